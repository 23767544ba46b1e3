r"""Continuous batching: throughput and latency at a batch size, and the search for the best
configuration under latency targets.

Model
-----
A replica running :math:`b` sequences of :math:`p` prompt and :math:`o` output tokens serves,
per cycle of :math:`b` requests, their prefills batched in chunks of at most
``max_num_tokens`` tokens (a prefix-cache hit rate :math:`h` skips :math:`h\,p` of each) and
:math:`o/\tau` decode steps, where speculative decoding or multi-token prediction with
:math:`k` draft tokens accepted with probability :math:`\alpha` each yields
:math:`\tau = (1 - \alpha^{k+1})/(1 - \alpha)` tokens per step (Leviathan et al. 2023):

.. math::

    C = t_{\text{prefill}}(b\,p) + \frac{o}{\tau}\,t_{\text{step}}(b), \qquad
    \text{TPOT} = C / o, \qquad \text{throughput} = b\,o / C.

**TTFT** of a request is its own prefill, which yields its first token (the logits of its last
prompt token), plus, in a batch of :math:`b > 1`, the decode step of the :math:`b - 1` other
sequences that the same pass advances (an engine with chunked prefill mixes them into it;
Sarathi-Serve), plus, at an arrival rate
:math:`\lambda` per replica, the mean wait of an M/D/1 queue whose server is the replica with
the fixed service time :math:`S = C/b` per request (:func:`~.step.queue_wait_s`): a stated
simplification (Poisson arrivals, identical requests), not a simulation of the scheduler.

References
----------
.. [1] W. Kwon et al., "Efficient Memory Management for Large Language Model Serving with
   PagedAttention," SOSP 2023, arXiv:2309.06180.
.. [2] A. Agrawal et al., "Taming Throughput-Latency Tradeoff in LLM Inference with
   Sarathi-Serve," OSDI 2024, arXiv:2403.02310 (chunked prefill).
.. [3] Y. Leviathan, M. Kalman, Y. Matias, "Fast Inference from Transformers via Speculative
   Decoding," ICML 2023, arXiv:2211.17192 (expected tokens per step).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ... import _checks
from ...errors import InputError
from . import step
from ..models import Model
from .deployment import MAX_BATCH_SIZE, Deployment, tp_shape_error


def tokens_per_step(speculative_tokens: int, acceptance_rate: float) -> float:
    r"""Expected tokens a sequence gains per decode step with ``k`` speculative tokens.

    :math:`\tau = (1 - \alpha^{k+1}) / (1 - \alpha)`; :math:`k + 1` when :math:`\alpha = 1`.

    Examples
    --------
    >>> tokens_per_step(0, 0.0)
    1.0
    >>> round(tokens_per_step(1, 0.8), 2)
    1.8
    """
    k, a = int(speculative_tokens), float(acceptance_rate)
    if a >= 1.0:
        return float(k + 1)
    return (1.0 - a ** (k + 1)) / (1.0 - a)


def draft_s(d: Deployment, batch, context):
    """Time of ``speculative_tokens`` draft passes, each taken as one layer of the model (an
    MTP module or a small draft model). [s]"""
    full = step.forward_s(d, batch, context, batch)
    return d.speculative_tokens * full / d.model.layers


def performance(d: Deployment, batch, prompt_tokens, output_tokens,
                arrival_rate_per_s=None) -> dict:
    """Throughput and latency of continuous batching at ``batch`` sequences in flight.

    Returns a dict of arrays (broadcast over ``batch``): ``ttft_s``, ``tpot_s``,
    ``e2e_latency_s``, ``tokens_per_s_per_user``, ``output_tokens_per_s_per_replica``,
    ``output_tokens_per_s_per_accelerator``, ``requests_per_s_per_replica``,
    ``queue_wait_s``, and the accelerator-seconds per request spent in prefill and in decode.

    Decode steps attend over the mean context of the sequences in flight
    (:meth:`~.deployment.Deployment.decode_context`). A sequence stays in the batch in
    proportion to its output length, so with output lengths of coefficient of variation
    :math:`c` (``d.output_cv``) the batch holds the long ones more often (length-biased
    sampling): the mean context is :math:`p + (1 + c^2) o / 2`, and :math:`p + o/2` when every
    request has the same length. Reasoning workloads are heavy-tailed (MLPerf's DeepSeek-R1
    set: :math:`c = 1.25`, twice the context of its mean lengths). The batch that fits is
    sized at the final length :math:`p + o`, or at that mean in flight where it is larger
    (:meth:`~.deployment.Deployment.kv_tokens`, :math:`c > 1`). An engine that replays CUDA
    graphs (``d.graph_batches``) runs each decode step padded to the smallest graph that holds
    its batch (:meth:`~.deployment.Deployment.padded_batch`).

    Examples
    --------
    >>> d = Deployment.create("llama-2-70b", "h200", tp=1, precision="fp8")
    >>> r = performance(d, 512, 128, 128)
    >>> 2000 < float(r["output_tokens_per_s_per_accelerator"]) < 5000
    True
    """
    _checks.at_least("batch", batch, 1)
    _checks.at_least("output_tokens", output_tokens, 1)
    b = np.asarray(batch, dtype=float)
    o = np.asarray(output_tokens, dtype=float)
    p = np.asarray(prompt_tokens, dtype=float)
    n = d.accelerators
    t_pf_all = d.prefill_s(p, b)  # the b prompts, batched and chunked
    t_pf_one = d.prefill_s(p)
    context = d.decode_context(p, o)
    t_step = d.decode_step_s(b, context)
    # the pass that ends a request's prefill also advances the batch's b - 1 other sequences
    # (eagerly: no captured CUDA graph holds a pass with prefill in it)
    t_others = np.where(b > 1.0, d.decode_step_s(np.maximum(b - 1.0, 1.0), context,
                                                 graphs=False), 0.0)
    steps = o / tokens_per_step(d.speculative_tokens, d.acceptance_rate)
    cycle = t_pf_all + steps * t_step
    tpot = cycle / o
    if arrival_rate_per_s is None:
        wait = np.zeros_like(cycle)
    else:
        _checks.non_negative("arrival_rate_per_s", arrival_rate_per_s)
        wait = step.queue_wait_s(arrival_rate_per_s, cycle / b)
    ttft = wait + t_pf_one + t_others
    out_rate = b * o / cycle
    return {
        "batch": b,
        "prefill_s": t_pf_one * np.ones_like(b),
        "decode_step_s": t_step,
        "queue_wait_s": wait,
        "ttft_s": ttft,
        "tpot_s": tpot,
        "e2e_latency_s": ttft + (o - 1.0) * tpot,
        "tokens_per_s_per_user": 1.0 / tpot,
        "output_tokens_per_s_per_replica": out_rate,
        "output_tokens_per_s_per_accelerator": out_rate / n,
        "requests_per_s_per_replica": b / cycle,
        "prefill_accelerator_s_per_request": n * t_pf_all / b,
        "decode_accelerator_s_per_request": n * steps * t_step / b,
    }


def offline_waves(requests: int, batch: int) -> tuple[tuple[int, int], ...]:
    """The waves of an offline run: ``(sequences, how many such waves)`` for ``requests``
    requests of one length served ``batch`` at a time (a full ``batch`` as often as it fits,
    then what is left; all of them at once when ``batch`` holds them).

    Examples
    --------
    >>> offline_waves(3000, 2048)
    ((2048, 1), (952, 1))
    >>> offline_waves(1500, 16384)
    ((1500, 1),)
    >>> offline_waves(4096, 2048)
    ((2048, 2),)
    """
    _checks.at_least("requests", requests, 1)
    _checks.at_least("batch", batch, 1)
    full, left = divmod(int(requests), int(batch))
    waves = ((int(batch), full),) if full else ()
    return waves + (((left, 1),) if left else ())


def offline_run(d: Deployment, requests: int, batch: int, prompt_tokens: int,
                output_tokens: int) -> dict:
    r"""Throughput of an offline run: ``requests`` requests of ``prompt_tokens`` and
    ``output_tokens`` each, all queued at once, served at most ``batch`` at a time.

    An offline benchmark (``trtllm-bench throughput``, vLLM's ``benchmark_throughput``) hands
    the engine every request at the start. Requests of one length are admitted together, run
    their prefills and decode steps together and finish together, so the run is
    :func:`offline_waves`: :math:`\lfloor N/b \rfloor` cycles of :func:`performance` at the
    batch :math:`b` and one at the :math:`N \bmod b` left, and its output rate is
    :math:`N o / \sum_w C(b_w)`. A run of fewer requests than the batch holds serves them
    all in one cycle: the memory's batch is never reached, and a large batch's rate
    overstates such a run. Returns ``output_tokens_per_s_per_replica``,
    ``output_tokens_per_s_per_accelerator``, ``seconds`` and ``waves``.

    Examples
    --------
    >>> d = Deployment.create("llama-3.1-8b", "h100", tp=1, precision="fp8")
    >>> whole = offline_run(d, 2048, 2048, 128, 2048)["output_tokens_per_s_per_replica"]
    >>> tail = offline_run(d, 3000, 2048, 128, 2048)["output_tokens_per_s_per_replica"]
    >>> bool(tail < whole)  # the second wave runs 952 sequences at a time
    True
    """
    waves = offline_waves(requests, batch)
    seconds = 0.0
    for size, count in waves:
        r = performance(d, size, prompt_tokens, output_tokens)
        seconds += count * size * output_tokens / float(r["output_tokens_per_s_per_replica"])
    rate = int(requests) * float(output_tokens) / seconds
    return {"output_tokens_per_s_per_replica": rate,
            "output_tokens_per_s_per_accelerator": rate / d.accelerators,
            "seconds": seconds, "waves": waves}


#: Batch sizes the search tries one by one; beyond, :data:`SPREAD_BATCHES` sizes spread evenly
#: on a log scale (a replica of many attention groups can hold hundreds of thousands).
EVERY_BATCH = 16384
SPREAD_BATCHES = 4096

#: Largest replica the search tries for MoE models (attention-DP groups times tp); a larger one
#: can be given with ``dp``.
MAX_SEARCH_ACCELERATORS = 512


def batches(max_batch: int) -> np.ndarray:
    """Batch sizes the search tries: every size from 1 to ``max_batch`` up to
    :data:`EVERY_BATCH`, then :data:`SPREAD_BATCHES` sizes spread on a log scale up to
    ``max_batch``.

    Examples
    --------
    >>> batches(5).tolist()
    [1.0, 2.0, 3.0, 4.0, 5.0]
    >>> b = batches(10**6)
    >>> int(b[-1]), bool(len(b) < 21000)
    (1000000, True)
    """
    if max_batch < 1:
        return np.array([], dtype=float)
    every = np.arange(1, min(int(max_batch), EVERY_BATCH) + 1, dtype=float)
    if max_batch <= EVERY_BATCH:
        return every
    spread = np.round(np.geomspace(EVERY_BATCH, int(max_batch), SPREAD_BATCHES))
    return np.unique(np.concatenate([every, spread]))


def frontier_batches(max_batch: int) -> np.ndarray:
    """Batch sizes shown on a frontier: powers of two up to ``max_batch``, and ``max_batch``."""
    if max_batch < 1:
        return np.array([], dtype=float)
    pw = 2.0 ** np.arange(int(math.log2(max_batch)) + 1)
    return np.unique(np.append(pw, float(max_batch)))


def max_batch(d: Deployment, context_tokens, limit: int | None = None) -> int:
    """Largest batch that fits in memory, capped at ``limit`` sequences (an engine's own cap,
    such as vLLM's ``max_num_seqs``), by default :data:`MAX_BATCH_SIZE` per attention group
    and pipeline micro-batch (engines schedule each micro-batch up to their batch cap)."""
    cap = MAX_BATCH_SIZE * d.dp * d.pp if limit is None else int(limit)
    return min(d.memory_plan(context_tokens).max_batch, cap)


def frontier(d: Deployment, prompt_tokens, output_tokens) -> list[dict]:
    """Throughput-interactivity frontier: one point per shown batch size that fits."""
    slot = d.kv_tokens(prompt_tokens, output_tokens)
    d.check_fits(slot)
    r = performance(d, frontier_batches(max_batch(d, slot)), prompt_tokens, output_tokens)
    keys = ("batch", "ttft_s", "tpot_s", "tokens_per_s_per_user",
            "output_tokens_per_s_per_accelerator")
    return [
        {"tp": d.tp, "dp": d.dp, "pp": d.pp, "precision": d.precision}
        | {k: float(r[k][i]) for k in keys}
        for i in range(len(r["batch"]))
    ]


def tp_options(accelerator, model=None) -> list[int]:
    """Tensor-parallel sizes to search: powers of two within the system's scale-up domain
    (those that split ``model``'s attention heads evenly, when a model is given)."""
    from ... import catalog

    r = accelerator if isinstance(accelerator, catalog.Resolved) else catalog.resolve(accelerator)
    limit = min(int(r["system.scaleup_domain"]), max(int(r["system.accelerators"]), 8))
    m = model if model is None or isinstance(model, Model) else Model.from_catalog(model)
    out, tp = [], 1
    while tp <= limit:
        if m is None or not tp_shape_error(m, tp):
            out.append(tp)
        tp *= 2
    return out


def dp_options(model, accelerator, tp: int) -> list[int]:
    """Attention data-parallel sizes to search: 1 for dense models; for MoE powers of two up to
    four servers or the scale-up domain, whichever is larger, and at most
    :data:`MAX_SEARCH_ACCELERATORS` accelerators per replica."""
    from ... import catalog

    m = model if isinstance(model, Model) else Model.from_catalog(model)
    if not m.is_moe:
        return [1]
    r = accelerator if isinstance(accelerator, catalog.Resolved) else catalog.resolve(accelerator)
    limit = min(max(int(r["system.scaleup_domain"]), 4 * int(r["system.accelerators"])),
                MAX_SEARCH_ACCELERATORS)
    out, dp = [], 1
    while tp * dp <= limit:
        out.append(dp)
        dp *= 2
    return out


@dataclass(frozen=True)
class Choice:
    """The best configuration found under a latency target."""

    deployment: Deployment
    batch: int
    performance: dict
    candidates: int

    def to_dict(self) -> dict:
        return {"tp": self.deployment.tp, "dp": self.deployment.dp, "pp": self.deployment.pp,
                "precision": self.deployment.precision, "batch": self.batch,
                "candidates": self.candidates}


def best_under_slo(model, accelerator, *, prompt_tokens, output_tokens, slo_tpot_s=None,
                   slo_ttft_s=None, tp=None, dp=None, precisions=("fp8",), kv_precision=None,
                   arrival_rate_per_s=None, options=None, batch=None,
                   **efficiencies) -> Choice:
    """Configuration (tensor and attention data parallelism, batch, precision) with the most
    output tokens per second per accelerator whose TPOT and TTFT meet the targets. Every batch
    size that fits is tried (:func:`batches`); a given ``batch`` fixes it, and only the
    parallelism is searched among the deployments it fits.

    ``options`` are :meth:`Deployment.create` serving options (``speculative_tokens``,
    ``acceptance_rate``, ``prefix_hit_rate``, ``max_num_tokens``). Raises
    :class:`InputError` naming the best achievable TPOT and TTFT when no configuration meets
    the targets.

    Examples
    --------
    >>> c = best_under_slo("llama-3.1-70b", "h100", prompt_tokens=2048, output_tokens=256,
    ...                    slo_tpot_s=0.05, slo_ttft_s=2.0)
    >>> float(c.performance["tpot_s"]) <= 0.05
    True
    """
    if slo_tpot_s is not None:
        _checks.positive("slo_tpot_s", slo_tpot_s)
    if slo_ttft_s is not None:
        _checks.positive("slo_ttft_s", slo_ttft_s)
    options = options or {}
    tps = [int(tp)] if tp is not None else tp_options(accelerator, model)
    best, n, fitted = None, 0, []
    largest = (0, None)  # the largest batch any deployment holds, and its tensor parallelism
    lowest_tpot, lowest_ttft = math.inf, math.inf
    for prec in precisions:
        for t in tps:
            dps = [int(dp)] if dp is not None else dp_options(model, accelerator, t)
            for g in dps:
                d = Deployment.create(model, accelerator, tp=t, dp=g, precision=prec,
                                      kv_precision=kv_precision, **options, **efficiencies)
                mb = max_batch(d, d.kv_tokens(prompt_tokens, output_tokens))
                if mb < 1:
                    continue
                fitted.append(d)
                largest = max(largest, (mb, t), key=lambda x: x[0])
                if batch is not None and batch > mb:
                    continue
                bs = batches(mb) if batch is None else np.array([float(batch)])
                r = performance(d, bs, prompt_tokens, output_tokens,
                                arrival_rate_per_s=arrival_rate_per_s)
                lowest_tpot = min(lowest_tpot, float(r["tpot_s"].min()))
                lowest_ttft = min(lowest_ttft, float(r["ttft_s"].min()))
                ok = np.isfinite(r["ttft_s"])
                if slo_tpot_s is not None:
                    ok &= r["tpot_s"] <= slo_tpot_s
                if slo_ttft_s is not None:
                    ok &= r["ttft_s"] <= slo_ttft_s
                n += len(bs)
                if not ok.any():
                    continue
                thr = np.where(ok, r["output_tokens_per_s_per_accelerator"], -np.inf)
                i = int(np.argmax(thr))
                if best is None or thr[i] > best[2]:
                    best = (d, i, thr[i], r)
    if not fitted:
        d = Deployment.create(model, accelerator, tp=max(tps), dp=dp or 1,
                              precision=precisions[-1], kv_precision=kv_precision, **options,
                              **efficiencies)
        d.check_fits(d.kv_tokens(prompt_tokens, output_tokens))
    if batch is not None and batch > largest[0]:
        raise InputError(
            f"batch must be <= {largest[0]} (the largest that fits, at --tp {largest[1]}, with "
            f"{prompt_tokens + output_tokens} tokens each and tp up to {max(tps)}), got {batch}")
    if best is None:
        want = " and ".join(
            f"{k} <= {v * 1000:g} ms" if k == "TPOT" else f"{k} <= {v:g} s"
            for k, v in (("TPOT", slo_tpot_s), ("TTFT", slo_ttft_s)) if v is not None
        ) or "a finite queue"
        raise InputError(
            f"no configuration meets {want}; best achievable: TPOT {lowest_tpot * 1000:.1f} ms, "
            f"TTFT {lowest_ttft:.3g} s (tp up to {max(tps)}, precision {'/'.join(precisions)}"
            f"{', batch %d' % batch if batch is not None else ''}"
            f"{', arrival rate %g req/s' % arrival_rate_per_s if arrival_rate_per_s else ''})"
        )
    d, i, _, r = best
    perf = {k: v[i] for k, v in r.items()}
    return Choice(d, int(r["batch"][i]), perf, n)
