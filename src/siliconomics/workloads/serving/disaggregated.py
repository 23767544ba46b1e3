r"""Disaggregated serving: separate prefill and decode pools, and the ratio between them.

Prefill replicas batch prompts in chunks (no decode interrupts them); decode replicas run
``decode_batch`` sequences with no prefill interrupting them, so TPOT is one decode step. The
KV cache of each prompt crosses the network between the pools. For :math:`x` prefill and
:math:`y` decode replicas the pools serve
:math:`\min(x / S_p,\; y\,b / (o\,t_{\text{step}}))` requests per second, with :math:`S_p` a
prefill replica's time per prompt; :func:`disaggregated` searches the integer ratio
:math:`x : y` (and, unless given, both pools' parallelism and the decode batch) for the most
output tokens per second per accelerator under the latency targets.

References
----------
.. [1] Y. Zhong et al., "DistServe: Disaggregating Prefill and Decoding for Goodput-optimized
   Large Language Model Serving," OSDI 2024, arXiv:2401.09670.
.. [2] NVIDIA, aiconfigurator (github.com/ai-dynamo/aiconfigurator): searches prefill and
   decode worker counts of a disaggregated deployment.
"""

from __future__ import annotations

import math

import numpy as np

from ... import _checks
from ...errors import InputError
from .batching import batches, dp_options, max_batch, tp_options
from .deployment import Deployment

#: Largest number of replicas of either pool in the ratio search.
MAX_REPLICAS = 16


def best_ratio(prefill_requests_per_s: float, decode_requests_per_s: float,
               prefill_accelerators: int, decode_accelerators: int,
               max_replicas: int = MAX_REPLICAS) -> tuple[int, int, float]:
    """Integer numbers of prefill and decode replicas with the most requests per second per
    accelerator: ``(x, y, requests_per_s)``.

    Examples
    --------
    >>> best_ratio(10.0, 5.0, 8, 8)
    (1, 2, 10.0)
    """
    _checks.positive("prefill_requests_per_s", prefill_requests_per_s)
    _checks.positive("decode_requests_per_s", decode_requests_per_s)
    best = (1, 1, -1.0, -1.0)
    for x in range(1, max_replicas + 1):
        for y in range(1, max_replicas + 1):
            rate = min(x * prefill_requests_per_s, y * decode_requests_per_s)
            per_acc = rate / (x * prefill_accelerators + y * decode_accelerators)
            if per_acc > best[3] * (1 + 1e-12):
                best = (x, y, rate, per_acc)
    return best[0], best[1], best[2]


def _pool_options(model, accelerator, tp, dp):
    tps = [int(tp)] if tp is not None else tp_options(accelerator, model)
    return [(t, g) for t in tps
            for g in ([int(dp)] if dp is not None else dp_options(model, accelerator, t))]


def disaggregated(model, accelerator, *, prompt_tokens, output_tokens, decode_batch=None,
                  prefill_tp=None, decode_tp=None, prefill_dp=None, decode_dp=None,
                  precision="fp8", slo_tpot_s=None, slo_ttft_s=None,
                  kv_transfer_bytes_per_s=None, options=None, **efficiencies) -> dict:
    r"""The best disaggregated deployment: pools' parallelism, decode batch and their ratio.

    The KV cache of each prompt crosses the scale-out network (``kv_transfer_bytes_per_s``
    per accelerator; default the catalog's ``scaleout-bandwidth-gb-per-s``). Raises
    :class:`InputError` with the best achievable latencies when no candidate meets the targets.

    Examples
    --------
    >>> r = disaggregated("llama-3.1-70b", "h100", prompt_tokens=2048, output_tokens=256,
    ...                   decode_batch=64, prefill_tp=4, decode_tp=8)
    >>> r["prefill_replicas"] >= 1 and r["decode_replicas"] >= 1
    True
    """
    from ... import catalog

    options = options or {}
    if decode_batch is not None:
        _checks.at_least("decode_batch", decode_batch, 1)
    if kv_transfer_bytes_per_s is None:
        kv_transfer_bytes_per_s = catalog.assumption("scaleout-bandwidth-gb-per-s") * 1e9
    best, low_tpot, low_ttft, fitted = None, math.inf, math.inf, 0
    context = prompt_tokens + output_tokens
    prefills = []
    for t, g in _pool_options(model, accelerator, prefill_tp, prefill_dp):
        pf = Deployment.create(model, accelerator, tp=t, dp=g, precision=precision,
                               **options, **efficiencies)
        mb = max_batch(pf, prompt_tokens)
        if mb < 1:
            continue
        b = max(1, min(mb, pf.max_num_tokens // max(int(prompt_tokens), 1)))
        per_prompt = float(pf.prefill_s(prompt_tokens, b)) / b
        prefills.append((pf, float(pf.prefill_s(prompt_tokens)), per_prompt))
    for t, g in _pool_options(model, accelerator, decode_tp, decode_dp):
        dc = Deployment.create(model, accelerator, tp=t, dp=g, precision=precision,
                               **options, **efficiencies)
        mb = max_batch(dc, dc.kv_tokens(prompt_tokens, output_tokens))
        if mb < 1 or not prefills:
            continue
        if decode_batch is not None and decode_batch > mb:
            continue
        fitted += 1
        bs = batches(mb) if decode_batch is None else np.array([float(decode_batch)])
        steps = output_tokens / _tau(dc)
        # time per output token: one step per tau tokens, over the context in flight
        t_step = dc.decode_step_s(bs, dc.decode_context(prompt_tokens, output_tokens)) \
            * steps / output_tokens
        kv = prompt_tokens * dc.model.kv_bytes_per_token(dc.kv_precision, prompt_tokens)
        for pf, t_pf, per_prompt in prefills:
            t_kv = kv / (kv_transfer_bytes_per_s * min(pf.accelerators, dc.accelerators))
            ttft = t_pf + t_kv + t_step
            low_tpot = min(low_tpot, float(t_step.min()))
            low_ttft = min(low_ttft, float(ttft.min()))
            ok = np.ones(len(bs), dtype=bool)
            if slo_tpot_s is not None:
                ok &= t_step <= slo_tpot_s
            if slo_ttft_s is not None:
                ok &= ttft <= slo_ttft_s
            if not ok.any():
                continue
            rates = bs / (output_tokens * t_step)  # requests/s of one decode replica
            i = int(np.argmax(np.where(ok, rates / dc.accelerators, -np.inf)))
            x, y, rate = best_ratio(1.0 / per_prompt, float(rates[i]), pf.accelerators,
                                    dc.accelerators)
            per_acc = rate * output_tokens / (x * pf.accelerators + y * dc.accelerators)
            if best is None or per_acc > best["output_tokens_per_s_per_accelerator"]:
                best = {
                    "prefill_tp": pf.tp, "prefill_dp": pf.dp, "decode_tp": dc.tp,
                    "decode_dp": dc.dp, "decode_batch": int(bs[i]),
                    "prefill_replicas": x, "decode_replicas": y,
                    "prefill_to_decode_ratio": x * pf.accelerators / (y * dc.accelerators),
                    "accelerators": x * pf.accelerators + y * dc.accelerators,
                    "requests_per_s": rate,
                    "ttft_s": float(ttft[i]), "tpot_s": float(t_step[i]),
                    "kv_transfer_s": t_kv,
                    "output_tokens_per_s_per_accelerator": per_acc,
                }
    if best is None:
        if not fitted:
            raise InputError(
                f"no decode pool fits {model if isinstance(model, str) else model.name} with "
                f"{context} tokens per sequence"
                + (f" at decode batch {decode_batch}" if decode_batch else "")
                + "; use a lower precision, a larger --decode-tp or a smaller batch")
        want = " and ".join(
            f"{k} <= {v * 1000:g} ms" if k == "TPOT" else f"{k} <= {v:g} s"
            for k, v in (("TPOT", slo_tpot_s), ("TTFT", slo_ttft_s)) if v is not None)
        raise InputError(f"no disaggregated configuration meets {want}; best achievable: "
                         f"TPOT {low_tpot * 1000:.1f} ms, TTFT {low_ttft:.3g} s")
    return best


def _tau(d: Deployment) -> float:
    from .batching import tokens_per_step

    return tokens_per_step(d.speculative_tokens, d.acceptance_rate)
