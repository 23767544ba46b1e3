r"""Serving tokens: throughput, latency, memory and cost per token of a transformer.

Three layers, as elsewhere in the package:

- pure, vectorised roofline functions (:func:`phase_time_s`, :func:`decode_step_s`,
  :func:`prefill_s`, :func:`expected_experts_touched`, :func:`allreduce_s`);
- :class:`Deployment` (a model on ``tp`` accelerators at some precisions, with the catalog's
  efficiency factors) and its methods: memory plan, per-phase times, throughput and latency at
  a batch size, the throughput-interactivity frontier;
- searches and costs: :func:`best_under_slo`, :func:`disaggregated`, :func:`serving_cost`,
  :func:`estimate`.

Model
-----
A **replica** holds one copy of the weights on ``tp`` accelerators (tensor parallel; MoE experts
sharded over the same group). Each phase takes the larger of its compute time and its memory
time, plus its collectives and a fixed per-pass overhead:

.. math::

    t = \max\left(\frac{F}{n P \eta_c}, \frac{B_{\text{HBM}}}{n W \eta_w}\right)
        + 2L\,t_{\text{all-reduce}} + t_0

- **prefill** of a prompt of :math:`p` tokens: :math:`F = p\,f(p/2)` with :math:`f(s)` the
  forward FLOPs per token at attention span :math:`s` (:math:`2N_{\text{active}}` plus attention);
  bytes are the weights once plus the KV cache written;
- **decode step** of a batch of :math:`b` sequences at context :math:`s`: :math:`F = b\,f(s)`;
  bytes are the weights read once per step (for MoE, the experts the batch touches,
  :func:`expected_experts_touched`) plus :math:`b\,s` tokens of KV cache.

Under continuous batching a replica running :math:`b` sequences of :math:`p` prompt and
:math:`o` output tokens spends, per cycle of :math:`b` requests, :math:`b\,t_{\text{prefill}}`
on prefills and :math:`o\,t_{\text{step}}` decoding, so a user sees
:math:`\text{TPOT} = t_{\text{step}} + b\,t_{\text{prefill}}/o` and the replica makes
:math:`b\,o / (b\,t_{\text{prefill}} + o\,t_{\text{step}})` output tokens per second. Cost per
input (output) token charges the prefill (decode) share of the accelerator time.

References
----------
.. [1] R. Pope et al., "Efficiently Scaling Transformer Inference," MLSys 2023,
   arXiv:2211.05102 (roofline of prefill and decode, memory and communication costs).
.. [2] W. Kwon et al., "Efficient Memory Management for Large Language Model Serving with
   PagedAttention," SOSP 2023, arXiv:2309.06180.
.. [3] Y. Zhong et al., "DistServe: Disaggregating Prefill and Decoding for Goodput-optimized
   Large Language Model Serving," OSDI 2024, arXiv:2401.09670.
.. [4] DeepSeek-AI, "DeepSeek-V2," arXiv:2405.04434, 2024 (multi-head latent attention).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from .. import _checks
from ..errors import InputError
from .models import Model, bytes_per_element
from ..results import ResultMixin

#: Precisions a serving deployment may use for weights, activations or the KV cache.
PRECISIONS = ("bf16", "fp16", "fp8", "int8", "fp4", "int4")

#: Bytes per element of the activations exchanged by tensor-parallel collectives.
COMM_BYTES = 2.0

#: Tokens of one prefill chunk held as activations at once (chunked prefill).
PREFILL_CHUNK_TOKENS = 8192

#: Seconds per hour.
HOUR_S = 3600.0


# =============================================================================================
# Layer 1: pure, vectorised formulas
# =============================================================================================
def expected_experts_touched(tokens, experts, active_experts):
    r"""Expected distinct experts a batch of tokens routes to, in one MoE layer.

    Parameters
    ----------
    tokens : numeric
        Tokens in the forward pass (the batch in decode), >= 0. [count]
    experts : numeric
        Routed experts per layer, >= 1. [count]
    active_experts : numeric
        Experts each token is routed to, in [1, experts]. [count]

    Returns
    -------
    numeric
        :math:`E\,(1 - (1 - k/E)^{b})`, in [0, E]: uniform, independent routing. [count]

    Examples
    --------
    >>> float(expected_experts_touched(1, 256, 8))
    8.0
    >>> round(float(expected_experts_touched(64, 256, 8)), 1)
    222.4
    """
    _checks.non_negative("tokens", tokens)
    _checks.at_least("experts", experts, 1)
    _checks.at_least("active_experts", active_experts, 1)
    e = np.asarray(experts, dtype=float)
    p = np.asarray(active_experts, dtype=float) / e
    return e * (1.0 - (1.0 - p) ** np.asarray(tokens, dtype=float))


def allreduce_s(message_bytes, ranks, bandwidth_bytes_per_s, latency_s=0.0):
    r"""Time of one ring all-reduce of ``message_bytes`` over ``ranks`` accelerators.

    Parameters
    ----------
    message_bytes : numeric
        Size of the reduced buffer, >= 0. [bytes]
    ranks : numeric
        Accelerators taking part, >= 1 (1: no communication). [count]
    bandwidth_bytes_per_s : numeric
        Achieved one-direction bandwidth per accelerator, > 0. [bytes/s]
    latency_s : numeric
        Fixed latency of the collective, >= 0. [s]

    Returns
    -------
    numeric
        :math:`2 (n-1)/n \cdot M / W + t_{lat}`, zero when ``ranks == 1``. [s]

    Examples
    --------
    >>> allreduce_s(1e9, 8, 1e11)
    0.0175
    >>> float(allreduce_s(1e9, 1, 1e11, 1e-5))
    0.0
    """
    _checks.non_negative("message_bytes", message_bytes)
    _checks.at_least("ranks", ranks, 1)
    _checks.positive("bandwidth_bytes_per_s", bandwidth_bytes_per_s)
    n = np.asarray(ranks, dtype=float)
    t = 2.0 * (n - 1.0) / n * np.asarray(message_bytes) / bandwidth_bytes_per_s + latency_s
    out = np.where(n > 1, t, 0.0)
    return float(out) if out.ndim == 0 else out


def phase_time_s(flops, hbm_bytes, *, accelerators, peak_flop_per_s, hbm_bytes_per_s,
                 compute_efficiency, bandwidth_efficiency, communication_s=0.0, overhead_s=0.0):
    r"""Time of one forward pass on a replica: the roofline plus collectives and overhead.

    Parameters
    ----------
    flops : numeric
        FLOPs of the pass over the whole replica, >= 0. [FLOP]
    hbm_bytes : numeric
        Bytes read from and written to HBM over the whole replica, >= 0. [bytes]
    accelerators : numeric
        Accelerators of the replica, >= 1. [count]
    peak_flop_per_s, hbm_bytes_per_s : numeric
        Dense peak and HBM bandwidth of one accelerator. [FLOP/s], [bytes/s]
    compute_efficiency, bandwidth_efficiency : numeric
        Achieved fractions of those peaks, in (0, 1]. [dimensionless]
    communication_s, overhead_s : numeric
        Collectives (not overlapped) and fixed per-pass time, >= 0. [s]

    Returns
    -------
    numeric
        :math:`\max(F / (n P \eta_c), B / (n W \eta_w)) + t_{comm} + t_0`. [s]

    Examples
    --------
    >>> float(phase_time_s(1e15, 1e11, accelerators=1, peak_flop_per_s=1e15, hbm_bytes_per_s=1e12,
    ...              compute_efficiency=0.5, bandwidth_efficiency=0.5))
    2.0
    """
    _checks.fraction("compute_efficiency", compute_efficiency)
    _checks.fraction("bandwidth_efficiency", bandwidth_efficiency)
    compute = flops / (accelerators * peak_flop_per_s * compute_efficiency)
    memory = hbm_bytes / (accelerators * hbm_bytes_per_s * bandwidth_efficiency)
    return np.maximum(compute, memory) + communication_s + overhead_s


# =============================================================================================
# Layer 2: a deployment
# =============================================================================================
def _peak_tflop(acc, precision: str) -> float:
    """Dense peak of ``acc`` at ``precision``, falling back to the next wider format it has."""
    order = {
        "fp4": ("fp4_tflop_per_s", "fp8_tflop_per_s", "bf16_tflop_per_s"),
        "int4": ("fp4_tflop_per_s", "fp8_tflop_per_s", "bf16_tflop_per_s"),
        "fp8": ("fp8_tflop_per_s", "bf16_tflop_per_s"),
        "int8": ("fp8_tflop_per_s", "bf16_tflop_per_s"),
    }.get(precision, ("bf16_tflop_per_s",))
    for key in order:
        v = acc.get(key)
        if v:
            return float(v)
    return float(acc.bf16_tflop_per_s)


def _precision(name: str, value) -> str:
    p = str(value).lower()
    if p not in PRECISIONS:
        from ..errors import unknown

        raise InputError(unknown(f"{name}", p, PRECISIONS))
    return p


def efficiency(accelerator) -> Any:
    """The ``serving_efficiency`` catalog entry of ``accelerator`` (or ``default``): a name, an
    entry or resolved inputs."""
    from .. import catalog

    r = accelerator if isinstance(accelerator, catalog.Resolved) else catalog.resolve(accelerator)
    return r.entry("serving")


@dataclass(frozen=True)
class MemoryPlan:
    """HBM of one replica: what the weights, activations and KV cache take. [bytes]"""

    usable_bytes: float
    weights_bytes: float
    activation_bytes: float
    kv_bytes_per_sequence: float
    max_batch: int
    max_context_at_batch_1: int
    replicas_per_server: int

    @property
    def fits(self) -> bool:
        return self.max_batch >= 1

    def to_dict(self) -> dict:
        return {
            "usable_gb": self.usable_bytes / 1e9,
            "weights_gb": self.weights_bytes / 1e9,
            "activation_gb": self.activation_bytes / 1e9,
            "kv_gb_per_sequence": self.kv_bytes_per_sequence / 1e9,
            "max_batch": self.max_batch,
            "max_context_at_batch_1": self.max_context_at_batch_1,
            "replicas_per_server": self.replicas_per_server,
        }


@dataclass(frozen=True)
class Deployment:
    """A model served on ``tp`` accelerators of one kind, with its precisions and efficiencies.

    Build it with :meth:`create`, which reads the catalog; fields are plain numbers so a
    deployment can be copied with other efficiencies (:meth:`with_efficiency`).
    """

    model: Model
    accelerator: str
    tp: int
    precision: str  # weights
    activation_precision: str  # matmul inputs: sets the peak FLOP/s
    kv_precision: str
    peak_flop_per_s: float  # one accelerator at activation_precision
    hbm_bytes_per_s: float
    hbm_capacity_bytes: float
    scaleup_bytes_per_s: float  # one direction, one accelerator
    scaleup_domain: int
    accelerators_per_server: int
    compute_efficiency: float
    bandwidth_efficiency: float
    communication_efficiency: float
    collective_latency_s: float
    step_overhead_s: float
    memory_usable_fraction: float
    accelerator_power_w: float  # system power per accelerator, at maximum
    resolved: Any = field(default=None, repr=False, compare=False)  # inputs it was made from

    @classmethod
    def create(cls, model="llama-3.1-70b", accelerator="h100-sxm", *, tp=1, precision="fp8",
               activation_precision=None, kv_precision=None, **efficiencies) -> Deployment:
        """A deployment from catalog names, entries or resolved inputs.

        ``accelerator`` may be a name, an entry or a :class:`~siliconomics.catalog.Resolved`
        (whose values are used as they are: a user's own accelerator or memory).
        ``activation_precision`` defaults to the weights' precision where the accelerator has a
        peak for it (else BF16: weight-only quantisation); ``kv_precision`` to FP8 for weights
        of 8 bits or fewer, else BF16. ``efficiencies`` override the catalog's
        ``serving_efficiency`` fields.

        Examples
        --------
        >>> d = Deployment.create("llama-3.1-70b", "h100", tp=8, precision="fp8")
        >>> d.accelerator, d.kv_precision, d.peak_flop_per_s / 1e12 > 1000
        ('h100-sxm', 'fp8', True)
        """
        from .. import catalog

        m = Model.from_catalog(model)
        r = accelerator if isinstance(accelerator, catalog.Resolved) else catalog.resolve(accelerator)
        acc = r.accelerator
        _checks.at_least("tp", tp, 1)
        precision = _precision("precision", precision)
        if activation_precision is None:
            has = {"fp8": acc.get("fp8_tflop_per_s"), "int8": acc.get("fp8_tflop_per_s"),
                   "fp4": acc.get("fp4_tflop_per_s"), "int4": acc.get("fp4_tflop_per_s")}
            activation_precision = precision if has.get(precision, True) else "bf16"
        activation_precision = _precision("activation_precision", activation_precision)
        if kv_precision is None:
            kv_precision = "fp8" if bytes_per_element(precision) <= 1 else "bf16"
        kv_precision = _precision("kv_precision", kv_precision)
        eff = r.entry("serving")
        keys = ("compute_efficiency", "bandwidth_efficiency", "communication_efficiency",
                "collective_latency_us", "step_overhead_ms", "memory_usable_fraction")
        unknown_keys = set(efficiencies) - set(keys)
        if unknown_keys:
            from ..errors import unknown

            raise InputError(unknown("efficiency factor", sorted(unknown_keys)[0], keys))
        e = {k: (efficiencies[k] if efficiencies.get(k) is not None else eff.get(k))
             for k in keys}
        for k in ("compute_efficiency", "bandwidth_efficiency", "communication_efficiency",
                  "memory_usable_fraction"):
            _checks.fraction(k, e[k])
        per_system = int(r["system.accelerators"])
        return cls(
            model=m,
            accelerator=acc.slug,
            tp=int(tp),
            precision=precision,
            activation_precision=activation_precision,
            kv_precision=kv_precision,
            peak_flop_per_s=_peak_tflop(acc, activation_precision) * 1e12,
            hbm_bytes_per_s=float(r["accelerator.memory_bandwidth_tb_per_s"]) * 1e12,
            hbm_capacity_bytes=float(r["accelerator.memory_capacity_gb"]) * 1e9,
            scaleup_bytes_per_s=float(r["system.scaleup_bandwidth_gb_per_s"]) * 1e9 / 2.0,
            scaleup_domain=int(r["system.scaleup_domain"]),
            accelerators_per_server=per_system,
            compute_efficiency=float(e["compute_efficiency"]),
            bandwidth_efficiency=float(e["bandwidth_efficiency"]),
            communication_efficiency=float(e["communication_efficiency"]),
            collective_latency_s=float(e["collective_latency_us"]) * 1e-6,
            step_overhead_s=float(e["step_overhead_ms"]) * 1e-3,
            memory_usable_fraction=float(e["memory_usable_fraction"]),
            accelerator_power_w=float(r["system.power_kw"]) * 1e3 / per_system,
            resolved=r,
        )

    def with_efficiency(self, **changes) -> Deployment:
        """A copy with other efficiency factors (``compute_efficiency=0.4``...)."""
        return replace(self, **changes)

    # --- sizes ------------------------------------------------------------------------------
    @property
    def weights_bytes(self) -> float:
        """Weights of the whole replica. [bytes]"""
        return self.model.params_total * bytes_per_element(self.precision)

    @property
    def kv_replication(self) -> float:
        """Copies of the KV cache over the tensor-parallel group.

        KV heads are split across ranks; when ranks outnumber KV heads (and always for MLA's
        shared latent) each rank keeps a copy.
        """
        m = self.model
        if m.attention == "mla":
            return float(self.tp)
        return self.tp / min(self.tp, m.kv_heads)

    def kv_bytes_per_token(self, context=None) -> float:
        """KV cache of one token of context over the replica (copies included), averaged over
        ``context`` tokens where sliding-window layers cap what they keep. [bytes]"""
        return self.model.kv_bytes_per_token(self.kv_precision, context) * self.kv_replication

    def _weights_read(self, tokens):
        """Weight bytes one pass of ``tokens`` tokens reads (MoE: experts touched only)."""
        m = self.model
        b = bytes_per_element(self.precision)
        if not m.is_moe:
            return np.full(np.shape(tokens), self.weights_bytes) if np.ndim(tokens) else self.weights_bytes
        moe_layers = m.layers - m.dense_layers
        per_expert = m._ffn(m.expert_ffn_size or m.ffn_size)
        routed = moe_layers * m.experts * per_expert
        touched = expected_experts_touched(tokens, m.experts, m.active_experts)
        return (m.params_total - routed) * b + moe_layers * touched * per_expert * b

    def memory_plan(self, context_tokens) -> MemoryPlan:
        """Largest batch of sequences of ``context_tokens`` tokens (prompt + output) that fits.

        Activations: one prefill chunk (:data:`PREFILL_CHUNK_TOKENS` tokens or the context,
        whichever is less) through the widest layer, plus FP32 logits.

        Examples
        --------
        >>> p = Deployment.create("llama-2-70b", "h200", tp=1).memory_plan(256)
        >>> p.fits, 500 < p.max_batch < 2000
        (True, True)
        """
        _checks.at_least("context_tokens", context_tokens, 1)
        m = self.model
        usable = self.hbm_capacity_bytes * self.tp * self.memory_usable_fraction
        chunk = min(float(context_tokens), PREFILL_CHUNK_TOKENS)
        act_b = bytes_per_element(self.activation_precision if self.activation_precision in
                                  ("bf16", "fp16") else "bf16")
        widest = max(m.ffn_size, m.expert_ffn_size or 0) * (2 if m.gated_ffn else 1)
        activation = chunk * (4 * m.hidden_size + widest) * act_b + chunk * m.vocab_size * 4.0
        free = usable - self.weights_bytes - activation
        kv_tok = self.kv_bytes_per_token()
        kv_seq = self.kv_bytes_per_token(float(context_tokens)) * float(context_tokens)
        max_batch = int(max(free // kv_seq, 0)) if free > 0 else 0
        max_ctx = int(max(free // kv_tok, 0)) if free > 0 else 0
        return MemoryPlan(
            usable_bytes=usable,
            weights_bytes=self.weights_bytes,
            activation_bytes=activation,
            kv_bytes_per_sequence=kv_seq,
            max_batch=max_batch,
            max_context_at_batch_1=min(max_ctx, m.context_length),
            replicas_per_server=max(self.accelerators_per_server // self.tp, 0),
        )

    def check_fits(self, context_tokens) -> MemoryPlan:
        """:meth:`memory_plan`, raising :class:`InputError` when not even batch 1 fits."""
        plan = self.memory_plan(context_tokens)
        if plan.fits:
            return plan
        need = plan.weights_bytes + plan.activation_bytes + plan.kv_bytes_per_sequence
        short = need - plan.usable_bytes
        smallest = None
        tp = self.tp * 2
        while tp <= max(self.scaleup_domain, self.accelerators_per_server):
            if replace(self, tp=tp).memory_plan(context_tokens).fits:
                smallest = tp
                break
            tp *= 2
        hint = (f"smallest tensor parallelism that fits: --tp {smallest}" if smallest else
                f"no tensor parallelism within the {self.scaleup_domain}-accelerator scale-up "
                f"domain fits; use a lower precision or a shorter context")
        raise InputError(
            f"{self.model.name} at {self.precision} does not fit on {self.tp} x {self.accelerator} "
            f"at batch 1 with {int(context_tokens)} tokens of context: needs "
            f"{need / 1e9:.1f} GB, {plan.usable_bytes / 1e9:.1f} GB usable "
            f"(short by {short / 1e9:.1f} GB); {hint}"
        )

    # --- phases -----------------------------------------------------------------------------
    def _comm_s(self, tokens):
        if self.tp == 1:
            return np.zeros(np.shape(tokens)) if np.ndim(tokens) else 0.0
        msg = np.asarray(tokens, dtype=float) * self.model.hidden_size * COMM_BYTES
        one = allreduce_s(msg, self.tp, self.scaleup_bytes_per_s * self.communication_efficiency,
                          self.collective_latency_s)
        return 2.0 * self.model.layers * one

    def prefill_s(self, prompt_tokens, batch=1):
        """Time to prefill ``batch`` prompts of ``prompt_tokens`` tokens together. [s]

        Examples
        --------
        >>> d = Deployment.create("llama-3.1-70b", "h100", tp=8, precision="fp8")
        >>> 0.05 < float(d.prefill_s(2048)) < 0.5
        True
        """
        _checks.at_least("prompt_tokens", prompt_tokens, 1)
        _checks.at_least("batch", batch, 1)
        p = np.asarray(prompt_tokens, dtype=float)
        tokens = p * batch
        flops = tokens * self.model.forward_flops_per_token(p / 2.0)
        hbm = self._weights_read(tokens) + tokens * self.kv_bytes_per_token(p)
        return phase_time_s(
            flops, hbm, accelerators=self.tp, peak_flop_per_s=self.peak_flop_per_s,
            hbm_bytes_per_s=self.hbm_bytes_per_s, compute_efficiency=self.compute_efficiency,
            bandwidth_efficiency=self.bandwidth_efficiency, communication_s=self._comm_s(tokens),
            overhead_s=self.step_overhead_s,
        )

    def decode_step_s(self, batch, context_tokens):
        """Time of one decode step of ``batch`` sequences at ``context_tokens`` each. [s]

        Examples
        --------
        >>> d = Deployment.create("llama-3.1-70b", "h100", tp=8, precision="fp8")
        >>> 0.002 < float(d.decode_step_s(1, 2048)) < 0.01
        True
        """
        _checks.at_least("batch", batch, 1)
        _checks.at_least("context_tokens", context_tokens, 1)
        b = np.asarray(batch, dtype=float)
        s = np.asarray(context_tokens, dtype=float)
        flops = b * self.model.forward_flops_per_token(s)
        hbm = self._weights_read(b) + b * s * self.kv_bytes_per_token(s)
        return phase_time_s(
            flops, hbm, accelerators=self.tp, peak_flop_per_s=self.peak_flop_per_s,
            hbm_bytes_per_s=self.hbm_bytes_per_s, compute_efficiency=self.compute_efficiency,
            bandwidth_efficiency=self.bandwidth_efficiency, communication_s=self._comm_s(b),
            overhead_s=self.step_overhead_s,
        )

    # --- a batch ----------------------------------------------------------------------------
    def performance(self, batch, prompt_tokens, output_tokens) -> dict:
        """Throughput and latency of continuous batching at ``batch`` sequences in flight.

        Returns a dict of arrays (broadcast over ``batch``): ``ttft_s``, ``tpot_s``,
        ``e2e_latency_s``, ``tokens_per_s_per_user``, ``output_tokens_per_s_per_replica``,
        ``output_tokens_per_s_per_accelerator``, ``requests_per_s_per_replica``, and the
        accelerator-seconds per request spent in prefill and in decode.

        Examples
        --------
        >>> d = Deployment.create("llama-2-70b", "h200", tp=1, precision="fp8")
        >>> r = d.performance(512, 128, 128)
        >>> 2000 < float(r["output_tokens_per_s_per_accelerator"]) < 5000
        True
        """
        _checks.at_least("batch", batch, 1)
        _checks.at_least("output_tokens", output_tokens, 1)
        b = np.asarray(batch, dtype=float)
        o = np.asarray(output_tokens, dtype=float)
        p = np.asarray(prompt_tokens, dtype=float)
        t_pf = self.prefill_s(p)
        t_step = self.decode_step_s(b, p + o / 2.0)
        cycle = b * t_pf + o * t_step  # replica time to serve b requests
        tpot = cycle / o
        ttft = t_pf + t_step
        out_rate = b * o / cycle
        return {
            "batch": b,
            "prefill_s": t_pf * np.ones_like(b),
            "decode_step_s": t_step,
            "ttft_s": ttft,
            "tpot_s": tpot,
            "e2e_latency_s": ttft + (o - 1.0) * tpot,
            "tokens_per_s_per_user": 1.0 / tpot,
            "output_tokens_per_s_per_replica": out_rate,
            "output_tokens_per_s_per_accelerator": out_rate / self.tp,
            "requests_per_s_per_replica": b / cycle,
            "prefill_accelerator_s_per_request": self.tp * t_pf * np.ones_like(b),
            "decode_accelerator_s_per_request": self.tp * o * t_step / b,
        }

    def batches(self, max_batch: int) -> np.ndarray:
        """Batch sizes of the frontier: powers of two up to ``max_batch``, and ``max_batch``."""
        if max_batch < 1:
            return np.array([], dtype=float)
        pw = 2.0 ** np.arange(int(math.log2(max_batch)) + 1)
        return np.unique(np.append(pw, float(max_batch)))

    def frontier(self, prompt_tokens, output_tokens) -> list[dict]:
        """Throughput-interactivity frontier: one point per batch size that fits."""
        plan = self.check_fits(prompt_tokens + output_tokens)
        r = self.performance(self.batches(plan.max_batch), prompt_tokens, output_tokens)
        keys = ("batch", "ttft_s", "tpot_s", "tokens_per_s_per_user",
                "output_tokens_per_s_per_accelerator")
        return [
            {"tp": self.tp, "precision": self.precision} | {k: float(r[k][i]) for k in keys}
            for i in range(len(r["batch"]))
        ]


# =============================================================================================
# Layer 3: searches, disaggregation, cost
# =============================================================================================
def tp_options(accelerator) -> list[int]:
    """Tensor-parallel sizes to search: powers of two within the system's scale-up domain."""
    from .. import catalog

    r = accelerator if isinstance(accelerator, catalog.Resolved) else catalog.resolve(accelerator)
    limit = min(int(r["system.scaleup_domain"]), max(int(r["system.accelerators"]), 8))
    out, tp = [], 1
    while tp <= limit:
        out.append(tp)
        tp *= 2
    return out


@dataclass(frozen=True)
class Choice:
    """The best configuration found under a latency target."""

    deployment: Deployment
    batch: int
    performance: dict
    candidates: int

    def to_dict(self) -> dict:
        return {"tp": self.deployment.tp, "precision": self.deployment.precision,
                "batch": self.batch, "candidates": self.candidates}


def best_under_slo(model, accelerator, *, prompt_tokens, output_tokens, slo_tpot_s=None,
                   slo_ttft_s=None, tp=None, precisions=("fp8",), kv_precision=None,
                   **efficiencies) -> Choice:
    """Configuration (tensor parallelism, batch, precision) with the most output tokens per
    second per accelerator whose TPOT and TTFT meet the targets.

    Raises :class:`InputError` naming the best achievable TPOT and TTFT when no configuration
    meets them.

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
    tps = [int(tp)] if tp is not None else tp_options(accelerator)
    best, n, fitted = None, 0, []
    lowest_tpot, lowest_ttft = math.inf, math.inf
    for prec in precisions:
        for t in tps:
            d = Deployment.create(model, accelerator, tp=t, precision=prec,
                                  kv_precision=kv_precision, **efficiencies)
            plan = d.memory_plan(prompt_tokens + output_tokens)
            if not plan.fits:
                continue
            fitted.append(d)
            bs = d.batches(plan.max_batch)
            r = d.performance(bs, prompt_tokens, output_tokens)
            lowest_tpot = min(lowest_tpot, float(r["tpot_s"].min()))
            lowest_ttft = min(lowest_ttft, float(r["ttft_s"].min()))
            ok = np.ones(len(bs), dtype=bool)
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
        Deployment.create(model, accelerator, tp=max(tps), precision=precisions[-1],
                          kv_precision=kv_precision, **efficiencies).check_fits(prompt_tokens + output_tokens)
    if best is None:
        want = " and ".join(
            f"{k} <= {v * 1000:g} ms" if k == "TPOT" else f"{k} <= {v:g} s"
            for k, v in (("TPOT", slo_tpot_s), ("TTFT", slo_ttft_s)) if v is not None
        )
        raise InputError(
            f"no configuration meets {want}; best achievable: TPOT {lowest_tpot * 1000:.1f} ms, "
            f"TTFT {lowest_ttft:.3g} s (tp up to {max(tps)}, precision {'/'.join(precisions)})"
        )
    d, i, _, r = best
    perf = {k: v[i] for k, v in r.items()}
    return Choice(d, int(r["batch"][i]), perf, n)


def disaggregated(model, accelerator, *, prompt_tokens, output_tokens, decode_batch,
                  prefill_tp=None, decode_tp=None, precision="fp8",
                  kv_transfer_bytes_per_s=None, **efficiencies) -> dict:
    r"""Separate prefill and decode pools: their sizes and latencies per request rate.

    Prefill replicas take one prompt at a time; decode replicas run ``decode_batch`` sequences
    with no prefill interrupting them, so TPOT is one decode step. The KV cache of each prompt
    crosses the scale-out network (``kv_transfer_bytes_per_s`` per accelerator; default the
    catalog's ``scaleout-bandwidth-gb-per-s``). Accelerators needed per request/s:
    :math:`n_p t_{prefill}` and :math:`n_d\,o\,t_{step}/b`.

    Examples
    --------
    >>> r = disaggregated("llama-3.1-70b", "h100", prompt_tokens=2048, output_tokens=256,
    ...                   decode_batch=64, prefill_tp=4, decode_tp=8)
    >>> 0 < r["prefill_to_decode_ratio"] < 10
    True
    """
    from .. import catalog

    pf = Deployment.create(model, accelerator, tp=prefill_tp or 8, precision=precision,
                           **efficiencies)
    dc = Deployment.create(model, accelerator, tp=decode_tp or 8, precision=precision,
                           **efficiencies)
    pf.check_fits(prompt_tokens)
    plan = dc.check_fits(prompt_tokens + output_tokens)
    _checks.at_least("decode_batch", decode_batch, 1)
    if decode_batch > plan.max_batch:
        raise InputError(f"decode_batch must be <= {plan.max_batch} (the largest that fits on "
                         f"{dc.tp} x {dc.accelerator}), got {decode_batch}")
    if kv_transfer_bytes_per_s is None:
        kv_transfer_bytes_per_s = catalog.assumption("scaleout-bandwidth-gb-per-s") * 1e9
    t_pf = float(pf.prefill_s(prompt_tokens))
    t_step = float(dc.decode_step_s(decode_batch, prompt_tokens + output_tokens / 2.0))
    kv = prompt_tokens * dc.model.kv_bytes_per_token(dc.kv_precision, prompt_tokens)
    t_kv = kv / (kv_transfer_bytes_per_s * min(pf.tp, dc.tp))
    prefill_acc = pf.tp * t_pf  # accelerator-seconds per request
    decode_acc = dc.tp * output_tokens * t_step / decode_batch
    return {
        "prefill_tp": pf.tp,
        "decode_tp": dc.tp,
        "decode_batch": int(decode_batch),
        "ttft_s": t_pf + t_kv + t_step,
        "tpot_s": t_step,
        "kv_transfer_s": t_kv,
        "prefill_accelerators_per_request_per_s": prefill_acc,
        "decode_accelerators_per_request_per_s": decode_acc,
        "prefill_to_decode_ratio": prefill_acc / decode_acc,
        "output_tokens_per_s_per_accelerator": output_tokens / (prefill_acc + decode_acc),
    }


def accelerator_hour_usd(accelerator, *, site=None, financing=None, utilization=1.0,
                         rental_usd_per_hour=None, accelerators=10_000, pricing="list"):
    """Cost of one *utilised* accelerator-hour. [USD/h]

    Owned: :func:`siliconomics.tco.accelerator_hour` at ``utilization`` (its capital is spread
    over the utilised hours) for ``accelerator`` (a name, an entry or resolved inputs, whose
    values are used as they are). Rented: the hourly price is paid for every hour, so a
    utilised hour costs ``rental / utilization``.

    Examples
    --------
    >>> accelerator_hour_usd("h100", rental_usd_per_hour=2.0, utilization=0.5)
    4.0
    """
    _checks.fraction("utilization", utilization)
    if rental_usd_per_hour is not None:
        _checks.positive("rental_usd_per_hour", rental_usd_per_hour)
        return rental_usd_per_hour / utilization
    from .. import tco

    r = tco.accelerator_hour(accelerator, site, accelerators=accelerators,
                             utilization=utilization, financing=financing, pricing=pricing)
    return float(r.usd_per_accelerator_hour)


def token_costs(perf: dict, usd_per_accelerator_hour, *, prompt_tokens, output_tokens) -> dict:
    r"""USD per million input and output tokens from accelerator-seconds per request.

    Input tokens carry the prefill accelerator time, output tokens the decode time:
    :math:`c_{in} = C\,a_{prefill} / (3600\,p) \cdot 10^6`.

    Examples
    --------
    >>> perf = {"prefill_accelerator_s_per_request": 1.0, "decode_accelerator_s_per_request": 2.0}
    >>> token_costs(perf, 3600.0, prompt_tokens=1000, output_tokens=100)
    {'usd_per_million_input_tokens': 1000.0, 'usd_per_million_output_tokens': 20000.0}
    """
    _checks.non_negative("usd_per_accelerator_hour", usd_per_accelerator_hour)
    rate = np.asarray(usd_per_accelerator_hour) / HOUR_S
    return {
        "usd_per_million_input_tokens": _plain(rate * perf["prefill_accelerator_s_per_request"]
                                               / prompt_tokens * 1e6),
        "usd_per_million_output_tokens": _plain(rate * perf["decode_accelerator_s_per_request"]
                                                / output_tokens * 1e6),
    }


def _plain(x):
    """A float for a 0-d result, the array otherwise."""
    arr = np.asarray(x)
    return float(arr) if arr.ndim == 0 else arr


def energy(perf: dict, deployment: Deployment, *, output_tokens, pue=1.0,
           busy_draw_fraction=0.75, grid_kg_per_kwh=0.0) -> dict:
    r"""Facility energy per output token and emissions per million output tokens.

    The replica draws ``busy_draw_fraction`` of its servers' maximum power while serving,
    times the PUE; all of a request's accelerator time (prefill included) is charged to its
    output tokens.

    Examples
    --------
    >>> d = Deployment.create("llama-3.1-70b", "h100", tp=8)
    >>> e = energy(d.performance(64, 2048, 256), d, output_tokens=256, pue=1.2)
    >>> 0.1 < float(e["joules_per_token"]) < 10
    True
    """
    _checks.at_least("pue", pue, 1.0)
    acc_s = perf["prefill_accelerator_s_per_request"] + perf["decode_accelerator_s_per_request"]
    joules = acc_s * deployment.accelerator_power_w * busy_draw_fraction * pue / output_tokens
    return {
        "joules_per_token": joules,
        "g_co2e_per_million_tokens": joules * 1e6 / 3.6e6 * grid_kg_per_kwh * 1000.0,
    }


@dataclass
class ServingResult(ResultMixin):
    """A serving estimate: configuration, latency, throughput, memory, cost, energy."""

    deployment: Deployment
    batch: int
    prompt_tokens: int
    output_tokens: int
    plan: MemoryPlan
    performance: dict
    cost_full: dict
    cost_realized: dict
    utilization: float
    usd_per_accelerator_hour: float
    energy: dict
    frontier: list
    slo: dict = field(default_factory=dict)
    demand: dict | None = None
    cost_basis: str = ""

    def _repr_html_(self) -> str:
        """Notebook display: cost per million tokens, latency, throughput and the deployment."""
        from ..results import html_card, number

        d, p = self.to_dict(), self.performance
        return html_card(
            f"Serving {d['model']} on {d['tp']} x {d['accelerator']} ({d['precision']})",
            f"${number(d['usd_per_million_output_tokens'], 3)} per million output tokens at "
            f"{number(100 * self.utilization, 3)}% utilisation",
            inputs=[("prompt / output tokens", f"{self.prompt_tokens:,} / {self.output_tokens:,}"),
                    ("batch (largest that fits)", f"{self.batch:,} ({self.plan.max_batch:,})"),
                    ("USD per million input tokens", d["usd_per_million_input_tokens"]),
                    ("USD per million output tokens at full load",
                     d["usd_per_million_output_tokens_full_load"]),
                    ("time to first token [s]", d["ttft_s"]),
                    ("time per output token [s]", d["tpot_s"]),
                    ("output tokens/s per user", d["tokens_per_s_per_user"]),
                    ("output tokens/s per accelerator", d["output_tokens_per_s_per_accelerator"]),
                    ("USD per accelerator-hour", self.usd_per_accelerator_hour),
                    ("joules per token", float(np.asarray(self.energy["joules_per_token"])))],
            note=self.cost_basis)

    def to_dict(self) -> dict:
        d, p = self.deployment, self.performance
        f = lambda x: float(np.asarray(x))  # noqa: E731
        out = {
            "model": d.model.name,
            "accelerator": d.accelerator,
            "tp": d.tp,
            "precision": d.precision,
            "activation_precision": d.activation_precision,
            "kv_precision": d.kv_precision,
            "prompt_tokens": self.prompt_tokens,
            "output_tokens": self.output_tokens,
            "batch": self.batch,
            "max_batch": self.plan.max_batch,
            "memory": self.plan.to_dict(),
            "ttft_s": f(p["ttft_s"]),
            "tpot_s": f(p["tpot_s"]),
            "e2e_latency_s": f(p["e2e_latency_s"]),
            "tokens_per_s_per_user": f(p["tokens_per_s_per_user"]),
            "output_tokens_per_s_per_accelerator": f(p["output_tokens_per_s_per_accelerator"]),
            "output_tokens_per_s_per_replica": f(p["output_tokens_per_s_per_replica"]),
            "utilization": self.utilization,
            "cost_basis": self.cost_basis,
            "usd_per_accelerator_hour": self.usd_per_accelerator_hour,
            "usd_per_million_input_tokens": f(self.cost_realized["usd_per_million_input_tokens"]),
            "usd_per_million_output_tokens": f(self.cost_realized["usd_per_million_output_tokens"]),
            "usd_per_million_input_tokens_full_load":
                f(self.cost_full["usd_per_million_input_tokens"]),
            "usd_per_million_output_tokens_full_load":
                f(self.cost_full["usd_per_million_output_tokens"]),
            "joules_per_token": f(self.energy["joules_per_token"]),
            "g_co2e_per_million_tokens": f(self.energy["g_co2e_per_million_tokens"]),
            "efficiency": {
                "compute": d.compute_efficiency, "bandwidth": d.bandwidth_efficiency,
                "communication": d.communication_efficiency,
            },
            "slo": self.slo,
            "frontier": self.frontier,
        }
        if self.demand is not None:
            out["demand"] = self.demand
        return out


#: Serving-efficiency keywords of :func:`estimate` (the rest are catalog inputs).
EFFICIENCY_KEYS = ("compute_efficiency", "bandwidth_efficiency", "communication_efficiency",
                   "collective_latency_us", "step_overhead_ms", "memory_usable_fraction")


#: Bounds of a serving request and deployment: far beyond any served model, so only a typo
#: reaches them.
MAX_TOKENS_PER_REQUEST = 10**8
MAX_TP = 1024
MAX_BATCH = 10**6
MAX_SLO_S = 3600.0
MAX_RENTAL_USD_PER_HOUR = 1e4


def estimate(model="llama-3.1-70b", accelerator="h100-sxm", *, tp=None, precision="fp8",
             prompt_tokens=2048, output_tokens=256, batch=None, slo_tpot_s=None,
             slo_ttft_s=None, demand=None, utilization=None, site=None, financing=None,
             system=None, pricing="list", rental_usd_per_hour=None, kv_precision=None,
             set=None, **kwargs) -> ServingResult:
    """Serve ``model`` on ``accelerator``: the whole estimate behind ``siliconomics serve``.

    With ``batch`` the configuration is fixed; otherwise the best configuration under the
    latency targets is searched (:func:`best_under_slo`; with no target, the largest batch
    that fits). ``demand`` (a :class:`~siliconomics.workloads.demand.Demand` or CSV path) sizes
    a fleet for the peak and gives the realized utilization; else ``utilization`` (default 1).

    ``accelerator`` may be a name, an entry or resolved inputs
    (:func:`siliconomics.catalog.resolve`): the deployment's speed and its hourly cost come from
    the same values. ``kwargs`` are serving efficiencies (:data:`EFFICIENCY_KEYS`) or API
    keywords of :data:`siliconomics.catalog.KEYWORDS`; ``set`` changes input paths.

    Examples
    --------
    >>> r = estimate("llama-3.1-70b", "h100", tp=8, batch=64, rental_usd_per_hour=2.0)
    >>> d = r.to_dict()
    >>> d["usd_per_million_output_tokens"] > d["usd_per_million_input_tokens"] > 0
    True
    """
    from .. import tco

    _checks.within("prompt_tokens", prompt_tokens, 1, MAX_TOKENS_PER_REQUEST)
    _checks.within("output_tokens", output_tokens, 1, MAX_TOKENS_PER_REQUEST)
    if tp is not None:
        _checks.within("tp", tp, 1, MAX_TP)
    if batch is not None:
        _checks.within("batch", batch, 1, MAX_BATCH)
    for name, value, hi in (("slo_tpot_s", slo_tpot_s, MAX_SLO_S), ("slo_ttft_s", slo_ttft_s, MAX_SLO_S),
                            ("rental_usd_per_hour", rental_usd_per_hour, MAX_RENTAL_USD_PER_HOUR)):
        if value is not None:
            _checks.within(name, value, None, hi)
            _checks.positive(name, value)
    if demand is not None and utilization is not None:
        raise InputError("give a demand profile or a utilization, not both (the demand profile "
                         "sets the utilization)")
    efficiencies = {k: kwargs.pop(k) for k in EFFICIENCY_KEYS if k in kwargs}
    r = tco.resolve(accelerator, site, financing=financing, system=system, set=set, **kwargs)
    if batch is not None:
        _checks.at_least("batch", batch, 1)
        d = Deployment.create(model, r, tp=tp or 1, precision=precision,
                              kv_precision=kv_precision, **efficiencies)
        plan = d.check_fits(prompt_tokens + output_tokens)
        if batch > plan.max_batch:
            raise InputError(
                f"batch must be <= {plan.max_batch} (the largest that fits on {d.tp} x "
                f"{d.accelerator} with {prompt_tokens + output_tokens} tokens each), got {batch}"
            )
        perf = {k: v for k, v in d.performance(batch, prompt_tokens, output_tokens).items()}
        chosen_batch = int(batch)
    else:
        choice = best_under_slo(model, r, prompt_tokens=prompt_tokens,
                                output_tokens=output_tokens, slo_tpot_s=slo_tpot_s,
                                slo_ttft_s=slo_ttft_s, tp=tp, precisions=(precision,),
                                kv_precision=kv_precision, **efficiencies)
        d, perf, chosen_batch = choice.deployment, choice.performance, choice.batch
        plan = d.memory_plan(prompt_tokens + output_tokens)
    frontier = d.frontier(prompt_tokens, output_tokens)

    demand_info = None
    if demand is not None:
        from . import demand as demand_mod

        prof = demand if isinstance(demand, demand_mod.Demand) else demand_mod.read_csv(demand)
        fleet = demand_mod.fleet(prof, d, batch=chosen_batch, prompt_tokens=prompt_tokens,
                                 output_tokens=output_tokens)
        demand_info = fleet.to_dict()
        util = fleet.utilization
    else:
        util = 1.0 if utilization is None else float(utilization)
    _checks.fraction("utilization", util)

    cost_basis = (f"rental ${rental_usd_per_hour:g}/h" if rental_usd_per_hour is not None
                  else f"owned: TCO at {r.site.slug}, {r.financing.slug} financing, "
                       f"{pricing} pricing")
    full = accelerator_hour_usd(r, utilization=1.0, rental_usd_per_hour=rental_usd_per_hour,
                                pricing=pricing)
    real = accelerator_hour_usd(r, utilization=util, rental_usd_per_hour=rental_usd_per_hour,
                                pricing=pricing)
    en = energy(perf, d, output_tokens=output_tokens, pue=r["site.pue"],
                busy_draw_fraction=r.assumption("power-draw-fraction"),
                grid_kg_per_kwh=r["site.grid_intensity_kg_per_kwh"])
    return ServingResult(
        deployment=d, batch=chosen_batch, prompt_tokens=int(prompt_tokens),
        output_tokens=int(output_tokens), plan=plan, performance=perf,
        cost_full=token_costs(perf, full, prompt_tokens=prompt_tokens,
                              output_tokens=output_tokens),
        cost_realized=token_costs(perf, real, prompt_tokens=prompt_tokens,
                                  output_tokens=output_tokens),
        utilization=util, usd_per_accelerator_hour=real, energy=en, frontier=frontier,
        slo={"tpot_s": slo_tpot_s, "ttft_s": slo_ttft_s}, demand=demand_info,
        cost_basis=cost_basis,
    )
