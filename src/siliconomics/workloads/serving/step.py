r"""Time of one forward pass of a serving replica: roofline terms, collectives and overheads.

Pure, vectorised formulas (:func:`phase_time_s`, :func:`allreduce_s`, :func:`alltoall_s`,
:func:`queue_wait_s`) and :func:`forward_s`, which times one pass of a
:class:`~siliconomics.workloads.serving.deployment.Deployment` component by component.

Model
-----
A pass of :math:`T` tokens over a replica of :math:`n = t \cdot d` accelerators (tensor
parallelism :math:`t` inside each of :math:`d` attention data-parallel groups; routed experts
spread over all :math:`n`) takes, on the busiest accelerator,

.. math::

    t = \sum_{c} \left[\left(\frac{F_c}{P \eta_c}\right)^p
        + \left(\frac{B_c}{W \eta_w}\right)^p\right]^{1/p}
        + L\,(2\,t_{\text{all-reduce}} + t_{\text{all-to-all}}) + L\,t_{\text{layer}}
        + L_{\text{MoE}}\left(t_{\text{MoE}} + \frac{A_{\text{MoE}}}{W}\right) + t_0

over three components :math:`c`, each its own roofline (with the corner rounded by the
exponent :math:`p` fitted to measured GEMMs, :func:`blended_roofline`): the dense weights (attention
projections, dense FFNs, shared experts, output head), the attention core (reading the KV
cache, at its own achieved bandwidth ``kv_bandwidth_efficiency``) and the routed experts (the experts the batch touches). Collectives are not overlapped:
two all-reduces per layer inside the tensor-parallel group, each paying a fixed latency (so
TP=8 decode at small batch is latency-bound), and for MoE with expert parallelism across
attention groups an all-to-all dispatch and combine per MoE layer, on the scale-up network
inside the scale-up domain and on the scale-out network beyond it
(:func:`~.moe.dispatch_s`: direct in decode, hierarchical in prefill).
:math:`t_{\text{layer}}` is the per-layer kernel launch and synchronisation time that CUDA
graphs do not hide; :math:`t_0` the fixed per-pass (scheduler, sampling) time. Each of the
:math:`L_{\text{MoE}}` MoE layers adds its expert block's own kernel time, fitted to measured
MoE layers (:func:`~.measured.moe_layer_s`): a fixed time :math:`t_{\text{MoE}}` (routing,
launches) and :math:`A_{\text{MoE}}` bytes moved at the full HBM bandwidth :math:`W`: the
routed copies' activations (:func:`~.moe.routed_activation_bytes_per_accelerator`) and the
expansion and weighted combine of every token the kernel is given (all the replica's tokens
after an all-gather or on one tensor-parallel group; none with an all-to-all, whose dispatch
and combine kernels do it), which make narrow experts slower than their FLOPs and weights
alone. Decode counts
MLA's attention core as engines run it, over the compressed latent (weight absorption;
:meth:`~siliconomics.workloads.models.Model.attention_core_flops`), prefill in the per-head
form. With :math:`p` pipeline stages a pass is :math:`p` steps of the busiest stage on one
micro-batch of :math:`T/p` tokens, each with the send to the next stage
(:func:`_pipelined_s`).

References
----------
.. [1] R. Pope et al., "Efficiently Scaling Transformer Inference," MLSys 2023,
   arXiv:2211.05102.
.. [2] A. Agrawal et al., "Vidur: A Large-Scale Simulation Framework for LLM Inference,"
   MLSys 2024, arXiv:2405.05465 (per-operator time of a forward pass; all-reduce per layer).
.. [3] NVIDIA, aiconfigurator (github.com/ai-dynamo/aiconfigurator): a step as the sum of
   per-operator times (GEMM, attention, all-reduce, MoE, all-to-all).
"""

from __future__ import annotations

import numpy as np

from ... import _checks

#: Bytes per element of the activations exchanged by tensor-parallel all-reduces (BF16).
COMM_BYTES = 2.0
#: Scalar types the collectives compute on directly, without arrays.
_SCALARS = (int, float, np.float64)


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
    if all(type(x) in _SCALARS for x in (message_bytes, ranks, bandwidth_bytes_per_s,
                                         latency_s)):
        # the same arithmetic on floats (the layout search calls this thousands of times)
        if ranks <= 1:
            return 0.0
        return 2.0 * (ranks - 1.0) / ranks * message_bytes / bandwidth_bytes_per_s + latency_s
    n = np.asarray(ranks, dtype=float)
    t = 2.0 * (n - 1.0) / n * np.asarray(message_bytes) / bandwidth_bytes_per_s + latency_s
    out = np.where(n > 1, t, 0.0)
    return float(out) if out.ndim == 0 else out


def alltoall_s(bytes_per_rank, ranks, bandwidth_bytes_per_s, latency_s=0.0):
    r"""Time of one all-to-all in which each of ``ranks`` accelerators sends ``bytes_per_rank``.

    Returns
    -------
    numeric
        :math:`(n-1)/n \cdot M / W + t_{lat}`, zero when ``ranks == 1``. [s]

    Examples
    --------
    >>> alltoall_s(1e9, 4, 1e11)
    0.0075
    """
    _checks.non_negative("bytes_per_rank", bytes_per_rank)
    _checks.at_least("ranks", ranks, 1)
    _checks.positive("bandwidth_bytes_per_s", bandwidth_bytes_per_s)
    n = np.asarray(ranks, dtype=float)
    t = (n - 1.0) / n * np.asarray(bytes_per_rank) / bandwidth_bytes_per_s + latency_s
    out = np.where(n > 1, t, 0.0)
    return float(out) if out.ndim == 0 else out


def phase_time_s(flops, hbm_bytes, *, accelerators, peak_flop_per_s, hbm_bytes_per_s,
                 compute_efficiency, bandwidth_efficiency, communication_s=0.0, overhead_s=0.0):
    r"""Roofline time of work spread evenly over ``accelerators``, plus collectives and overhead.

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


def queue_wait_s(arrival_rate_per_s, service_s):
    r"""Mean wait in an M/D/1 queue: Poisson arrivals, one server, fixed service time.

    Pollaczek-Khinchine with zero service-time variance:
    :math:`W_q = \rho\,S / (2 (1 - \rho))`, :math:`\rho = \lambda S`; infinite at
    :math:`\rho \ge 1` (the queue grows without bound).

    Parameters
    ----------
    arrival_rate_per_s : numeric
        Requests arriving per second at this server, >= 0. [1/s]
    service_s : numeric
        Time the server spends on one request, >= 0. [s]

    Returns
    -------
    numeric
        Mean time a request waits before its service starts. [s]

    Examples
    --------
    >>> queue_wait_s(5.0, 0.1)
    0.05
    >>> queue_wait_s(0.0, 0.1)
    0.0
    """
    _checks.non_negative("arrival_rate_per_s", arrival_rate_per_s)
    _checks.non_negative("service_s", service_s)
    s = np.asarray(service_s, dtype=float)
    rho = np.asarray(arrival_rate_per_s, dtype=float) * s
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.where(rho < 1.0, rho * s / (2.0 * (1.0 - np.minimum(rho, 0.999999999))), np.inf)
    return float(w) if w.ndim == 0 else w


def blended_roofline(compute_s, memory_s, exponent):
    r"""A roofline with a rounded corner: :math:`(t_c^p + t_m^p)^{1/p}`.

    :math:`p \to \infty` is the sharp roofline :math:`\max(t_c, t_m)`; a finite :math:`p`
    (fitted to measured GEMMs, ``roofline_exponent``) makes kernels near the ridge point,
    where neither compute nor memory is saturated, slower than either bound.

    Examples
    --------
    >>> round(float(blended_roofline(3.0, 4.0, 2.0)), 6)
    5.0
    >>> float(blended_roofline(3.0, 4.0, np.inf))
    4.0
    """
    c, m = np.asarray(compute_s, dtype=float), np.asarray(memory_s, dtype=float)
    if not np.isfinite(exponent):
        return np.maximum(c, m)
    hi = np.maximum(np.maximum(c, m), 1e-300)  # scaled: no overflow at large exponents
    return hi * ((c / hi) ** exponent + (m / hi) ** exponent) ** (1.0 / exponent)


def _roofline(flops, hbm_bytes, d, bandwidth_efficiency=None, peak_flop_per_s=None):
    """Per-accelerator roofline of one component (``flops`` and ``hbm_bytes`` per accelerator;
    ``peak_flop_per_s`` where the component runs in another format than the matmuls)."""
    eta = d.bandwidth_efficiency if bandwidth_efficiency is None else bandwidth_efficiency
    peak = d.peak_flop_per_s if peak_flop_per_s is None else peak_flop_per_s
    return blended_roofline(flops / (peak * d.compute_efficiency),
                            hbm_bytes / (d.hbm_bytes_per_s * eta), d.roofline_exponent)


def forward_s(d, tokens, context, sequences, *, kv_write_tokens=0.0, prefill=False,
              padding=0.0):
    r"""Time of one forward pass of a deployment. [s]

    Parameters
    ----------
    d : Deployment
        The replica (:class:`~siliconomics.workloads.serving.deployment.Deployment`).
    tokens : numeric
        Tokens processed in the pass over the whole replica (decode: one per sequence and
        speculative position; prefill: the chunk), >= 1. [count]
    context : numeric
        Mean attention span of those tokens, >= 1. [tokens]
    sequences : numeric
        Sequences whose KV cache the pass reads (decode: the batch; prefill: the prompts in
        the chunk), >= 0. [count]
    kv_write_tokens : numeric
        Tokens whose KV cache the pass writes (prefill), >= 0. [count]
    prefill : bool
        A prefill pass (hierarchical expert all-to-all) rather than a decode step.
    padding : numeric
        Tokens of the dummy sequences a captured CUDA graph pads the step with
        (:meth:`~siliconomics.workloads.serving.deployment.Deployment.padded_batch`), >= 0:
        they run the linear layers, experts and collectives like ``tokens`` but attend over
        nothing and read no KV cache. [count]

    Returns
    -------
    numeric
        Step time of the busiest accelerator. [s]

    Examples
    --------
    >>> from siliconomics.workloads.serving import Deployment
    >>> d = Deployment.create("llama-3.1-8b", "h100", tp=1, precision="fp8")
    >>> 0.002 < float(forward_s(d, 64, 1024, 64)) < 0.02
    True
    """
    m = d.model
    t = np.asarray(tokens, dtype=float)
    s = np.asarray(context, dtype=float)
    seqs = np.asarray(sequences, dtype=float)
    kv_write = np.asarray(kv_write_tokens, dtype=float)
    pad = np.asarray(padding, dtype=float)
    if d.pp > 1:
        return _pipelined_s(d, t, s, seqs, kv_write, prefill, pad)
    return _pass_s(d, t, s, seqs, kv_write, prefill, m.layers, pad)


def _pass_s(d, t, s, seqs, kv_write, prefill, layers, pad=0.0):
    """:func:`forward_s` of ``layers`` of the model's layers (all of them, or a pipeline
    stage's share: the weights outside the routed experts, attention and KV cache in
    proportion, the output head spread with them; as many routed layers as the model has, up
    to ``layers``), on ``d.tp * d.dp`` accelerators; ``pad`` dummy tokens run all but the
    attention."""
    m = d.model
    attended, t = t, t + pad  # the attention core runs the real tokens only
    share = layers / m.layers
    tp, dp, n = d.tp, d.dp, d.tp * d.dp
    wb = d.weight_bytes_per_element
    # dense weights: replicated over attention groups, split over tp
    dense_flops = 2.0 * (t / dp) * d.dense_active_params / tp
    dense_bytes = d.dense_weight_bytes / tp
    # attention core: each group's sequences, heads split over tp
    # decode attends over MLA's latent itself (absorbed); prefill in the per-head form
    core = m.attention_core_flops(np.maximum(s, 1.0), absorbed=not prefill)
    attn_flops = (attended / dp) * core / tp
    kv_tok = d.kv_bytes_per_token(s) / tp  # per accelerator of a group (copies included)
    if share != 1.0:
        dense_flops, dense_bytes = dense_flops * share, dense_bytes * share
        attn_flops, kv_tok = attn_flops * share, kv_tok * share
    dense = _roofline(dense_flops, dense_bytes, d)
    attn_bytes = ((seqs / dp) * s + kv_write / dp) * kv_tok
    # ... at the model's own attention format where it is wider (DeepSeek-V3 serves MLA in BF16)
    attention = _roofline(attn_flops, attn_bytes, d, d.kv_bandwidth_efficiency,
                          d.attention_peak_flop_per_s)
    total = dense + attention
    comm = 2.0 * layers * allreduce_s(
        (t / dp) * m.hidden_size * COMM_BYTES, tp,
        d.scaleup_bytes_per_s * d.communication_efficiency, d.collective_latency_s)
    if m.is_moe:
        from .moe import (dispatch_s, routed_activation_bytes_per_accelerator,
                          routed_bytes_per_accelerator, routed_flops_per_accelerator)

        # the routed layers this pass runs: all of them, or as many as a stage of `layers` holds
        # (the busiest stage is all routed; DeepSeek-V3's dense layers lead the first)
        routed = m.layers - m.dense_layers
        moe_layers = min(layers, routed)
        experts = _roofline(routed_flops_per_accelerator(m, t, n),
                            routed_bytes_per_accelerator(m, t, n, wb), d) * (moe_layers / routed)
        # the expert block's own kernels: a fixed time per layer, the activations of the routed
        # copies, and the expansion and weighted combine of every token the kernel is given
        # (all the tokens, unless an all-to-all delivers only the routed ones: its dispatch and
        # combine kernels do that work, timed with them)
        given = 0.0 if (n > tp and d.moe_dispatch == "alltoall") else t
        experts = experts + moe_layers * (
            d.moe_layer_overhead_s
            + (routed_activation_bytes_per_accelerator(m, t, n, d.moe_activation_bytes)
               + given * m.hidden_size * d.moe_token_bytes) / d.hbm_bytes_per_s)
        total = total + experts
        comm = comm + moe_layers * dispatch_s(d, t, hierarchical=prefill)
    overhead = layers * d.layer_overhead_s + d.step_overhead_s
    return total + comm + overhead


def _pipelined_s(d, tokens, context, sequences, kv_write_tokens, prefill, padding=0.0):
    r""":func:`forward_s` of a pipeline of ``d.pp`` stages.

    The pass's :math:`T` tokens run as :math:`p` micro-batches, one in each stage at a time;
    in steady state every stage is busy, so the pass takes :math:`p` stage steps. A step is
    the busiest stage's time (:math:`\lceil L/p \rceil` layers, all routed in a MoE model that
    has that many: that share of the weights, attention, experts, all-reduces, expert
    all-to-alls and per-layer overheads, for one micro-batch, plus the per-pass
    overhead) and the send of the micro-batch's activations to the next stage, over the
    scale-up network when the whole pipeline sits in one scale-up domain, else the scale-out
    one:

    .. math:: t = p \left[t_{\text{stage}}(T/p) + \frac{(T/p)\, h\, b}{W \eta} + t_{lat}\right]

    A sequence advances one token per :math:`p` stage steps and each stage reads its weights
    once per micro-batch, as in TensorRT-LLM's and vLLM's pipeline-parallel serving.
    """
    p = d.pp
    mb = tokens / p
    stage = _pass_s(d, mb, context, sequences / p, kv_write_tokens / p, prefill, d.stage_layers,
                    padding / p)
    mb = mb + padding / p
    link = d.scaleup_bytes_per_s if d.accelerators <= d.scaleup_domain else d.scaleout_bytes_per_s
    send = mb * d.model.hidden_size * COMM_BYTES / (link * d.communication_efficiency) \
        + d.collective_latency_s
    return p * (stage + send)
