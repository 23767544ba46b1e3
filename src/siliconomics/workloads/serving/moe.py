r"""Mixture-of-experts serving: which experts a batch touches, and expert parallelism.

Routed experts are spread evenly over all :math:`n` accelerators of a replica (expert
parallelism, EP = :math:`n`); attention runs in :math:`d` data-parallel groups of :math:`t`
accelerators (attention data parallelism, :math:`n = t\,d`), so a model with few KV heads or
an MLA latent keeps one KV copy per group instead of one per rank. A pass of :math:`T` tokens
routes each to :math:`k` of :math:`E` experts; an accelerator holding :math:`E/n` experts reads
the weights of those its tokens touch and computes :math:`2 T k N_e / n` FLOPs.

The expert all-to-all (:func:`dispatch_s`) follows DeepEP: in decode each token goes straight
to every accelerator holding one of its experts; in prefill it crosses the scale-out network
once per other scale-up domain holding one, then fans out over the scale-up network, both
links busy at once (one kernel forwards over NVLink what arrives over RDMA, so the slower
link sets the time). The all-to-all is not overlapped with compute (the engines' two-batch
overlap is outside the model), and routing is taken as balanced. TensorRT-LLM's CUTLASS MoE
under attention data parallelism, with no all-to-all backend, gathers every rank's tokens
before the experts and reduce-scatters the outputs instead (``moe_dispatch="allgather"``,
:func:`gather_scatter_s`).

References
----------
.. [1] DeepSeek-AI, "DeepSeek-V3 Technical Report," arXiv:2412.19437, 2024, section 3.4
   (prefill EP32 with attention DP; decode EP320).
.. [2] DeepSeek-AI, DeepEP (github.com/deepseek-ai/DeepEP, docs/legacy.md, 'Normal kernels
   with NVLink and RDMA forwarding'): dispatch and combine kernels whose RDMA senders, NVLink
   forwarders and receivers run concurrently in one kernel; its H800 benchmark times each
   kernel once and names RDMA the bottleneck at EP16 to EP64 (43-58 GB/s against NVLink's
   ~160 GB/s).
.. [3] NVIDIA, aiconfigurator (github.com/ai-dynamo/aiconfigurator): attention DP and MoE EP
   as separate degrees of one replica.
"""

from __future__ import annotations

import math

import numpy as np

from ... import _checks

#: Bytes per element of an expert-parallel dispatch (FP8) plus its combine (BF16).
ALLTOALL_BYTES = 3.0


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


def expert_params(m) -> float:
    """Parameters of one routed expert. [count]"""
    return m._ffn(m.expert_ffn_size or m.ffn_size) if m.is_moe else 0.0


def routed_params(m, active: bool = False) -> float:
    """Parameters of all routed experts (``active``: the ``k`` a token uses). [count]

    Examples
    --------
    >>> from siliconomics.workloads.models import Model
    >>> round(routed_params(Model.from_catalog("deepseek-v3")) / 1e9)
    654
    """
    if not m.is_moe:
        return 0.0
    n = m.active_experts if active else m.experts
    return (m.layers - m.dense_layers) * n * expert_params(m)


def routed_flops_per_accelerator(m, tokens, accelerators):
    """FLOPs of the routed experts of a pass of ``tokens`` on one of ``accelerators``. [FLOP]"""
    return 2.0 * np.asarray(tokens, dtype=float) * routed_params(m, active=True) / accelerators


def routed_bytes_per_accelerator(m, tokens, accelerators, bytes_per_element):
    """Expert weights one of ``accelerators`` reads in a pass of ``tokens`` tokens. [bytes]

    Each holds :math:`E/n` experts and reads those any token touches:
    :math:`(E/n)(1 - (1 - k/E)^T)` per MoE layer.

    Examples
    --------
    >>> from siliconomics.workloads.models import Model
    >>> m = Model.from_catalog("deepseek-v3")
    >>> a = routed_bytes_per_accelerator(m, 1, 8, 1.0)
    >>> b = routed_bytes_per_accelerator(m, 4096, 8, 1.0)
    >>> bool(a < b <= routed_params(m) / 8 + 1)
    True
    """
    touched = expected_experts_touched(tokens, m.experts, m.active_experts) / accelerators
    return (m.layers - m.dense_layers) * touched * expert_params(m) * bytes_per_element


def routed_activation_bytes_per_accelerator(m, tokens, accelerators, bytes_per_output):
    r"""Activation bytes one of ``accelerators`` moves in one MoE layer's expert block for a
    pass of ``tokens`` tokens. [bytes]

    Each routed copy of a token (:math:`T k / n` of them per accelerator, balanced routing)
    produces :math:`g I + h` expert-GEMM outputs (gate and up, :math:`g = 2` when gated, then
    down), each costing ``bytes_per_output`` bytes of HBM traffic (its intermediate
    activations: the ``moe_activation_bytes`` fitted to measured MoE layers,
    :func:`.measured.fit_moe`).

    Examples
    --------
    >>> from siliconomics.workloads.models import Model
    >>> m = Model.from_catalog("qwen3-30b-a3b")
    >>> float(routed_activation_bytes_per_accelerator(m, 1, 1, 1.0)) == 8 * (2 * 768 + 2048)
    True
    """
    width = m.expert_ffn_size or m.ffn_size
    outputs = (2.0 if m.gated_ffn else 1.0) * width + m.hidden_size
    return (np.asarray(tokens, dtype=float) * m.active_experts / accelerators * outputs
            * bytes_per_output)


def distinct_holders(holders, active_experts):
    r"""Expected distinct holders (accelerators or domains, each with an equal share of the
    experts) one token's ``k`` experts fall on: :math:`h\,(1 - (1 - 1/h)^k)`.

    Examples
    --------
    >>> distinct_holders(1, 8)
    1.0
    >>> round(distinct_holders(4, 8), 2)
    3.6
    """
    h = float(holders)
    return h * (1.0 - (1.0 - 1.0 / h) ** active_experts)


def dispatch_s(d, tokens, *, hierarchical: bool = False):
    """Time of one MoE layer's dispatch and combine over the ``tp * dp`` accelerators of a
    replica's pipeline stage (all of it without stages). [s]

    Direct (decode, DeepEP's low-latency kernels): each token goes once to each accelerator
    holding one of its experts, over the scale-out network where the replica spans more than
    one scale-up domain. Hierarchical (prefill, DeepEP's normal kernels): a token crosses the
    scale-out network once per other domain holding one of its experts, then fans out over
    the scale-up network. The kernel forwards each chunk over the scale-up network as it
    arrives, so the two hops run at once and the time is the larger of the two
    (:func:`hierarchical_s`).

    Examples
    --------
    >>> from siliconomics.workloads.serving import Deployment
    >>> d = Deployment.create("deepseek-v3", "h800", tp=1, dp=32)
    >>> bool(dispatch_s(d, 4096, hierarchical=True) < dispatch_s(d, 4096) )
    True
    """
    from .step import alltoall_s

    m, n = d.model, d.stage_accelerators  # each pipeline stage routes over its own ranks
    if n <= d.tp:
        return np.zeros(np.shape(tokens)) if np.ndim(tokens) else 0.0
    if d.moe_dispatch == "allgather":
        return gather_scatter_s(d, tokens)
    per = np.asarray(tokens, dtype=float) / n * m.hidden_size * ALLTOALL_BYTES
    g = min(n, d.scaleup_domain)
    domains = math.ceil(n / g)
    # prefill runs the throughput kernels, decode the low-latency ones (DeepEP's two kinds)
    eta = d.alltoall_efficiency_decode if not hierarchical else d.alltoall_efficiency
    if eta is None:
        eta = d.alltoall_efficiency or d.communication_efficiency
    up, out = d.scaleup_bytes_per_s * eta, d.scaleout_bytes_per_s * eta
    if not hierarchical or domains == 1:
        bw = up if domains == 1 else out
        return alltoall_s(per * distinct_holders(n, m.active_experts), n, bw,
                          d.collective_latency_s)
    inside = alltoall_s(per * distinct_holders(g, m.active_experts), g, up,
                        d.collective_latency_s)
    across = alltoall_s(per * distinct_holders(domains, m.active_experts), domains, out,
                        d.collective_latency_s)
    return hierarchical_s(inside, across)


#: Bytes per element of the MoE input an all-gather moves: quantized before it is gathered
#: (NVFP4 with its scales, FP8), else BF16.
GATHER_BYTES = {"fp4": 0.5625, "int4": 0.5625, "fp8": 1.0, "int8": 1.0}
#: Bytes per token of the routing an all-gather moves with it: k expert ids and k weights.
ROUTING_BYTES_PER_EXPERT = 8.0


def gather_scatter_s(d, tokens):
    r"""Time of one MoE layer's all-gather and reduce-scatter over the ``tp * dp`` ranks of a
    replica's stage (``moe_dispatch="allgather"``). [s]

    Every rank gathers the :math:`T` tokens of all attention groups (each :math:`h` elements
    at the activation precision's :data:`GATHER_BYTES`, plus its :math:`k` expert ids and
    weights), runs its own experts on them, and the :math:`T \times h` BF16 outputs are
    reduce-scattered back to the ranks that own the tokens. Each is a ring collective in which
    a rank moves :math:`(n-1)/n` of the buffer, over the scale-up network when the ranks share
    a scale-up domain, else the scale-out one, at the achieved efficiency and with the fixed
    latency of NCCL's all-gather and reduce-scatter (``gather_efficiency``,
    ``gather_latency_us``: TensorRT-LLM's ``allgather`` and ``reducescatter`` ops call NCCL,
    not its custom all-reduce kernel).

    Examples
    --------
    >>> from siliconomics.workloads.serving import Deployment
    >>> d = Deployment.create("qwen3-235b-a22b", "b200", tp=1, dp=8, precision="fp4")
    >>> g = Deployment.create("qwen3-235b-a22b", "b200", tp=1, dp=8, precision="fp4",
    ...                       moe_dispatch="allgather")
    >>> bool(dispatch_s(g, 16384) > dispatch_s(d, 16384) > 0)
    True
    """
    from .step import COMM_BYTES

    m, n = d.model, d.stage_accelerators
    t = np.asarray(tokens, dtype=float)
    link = d.scaleup_bytes_per_s if n <= d.scaleup_domain else d.scaleout_bytes_per_s
    eta = d.communication_efficiency if d.gather_efficiency is None else d.gather_efficiency
    lat = d.collective_latency_s if d.gather_latency_s is None else d.gather_latency_s
    bw = link * eta
    gathered = t * (m.hidden_size * GATHER_BYTES.get(d.activation_precision, COMM_BYTES)
                    + m.active_experts * ROUTING_BYTES_PER_EXPERT)
    scattered = t * m.hidden_size * COMM_BYTES
    share = (n - 1.0) / n
    out = share * (gathered + scattered) / bw + 2.0 * lat
    return float(out) if np.ndim(out) == 0 else out


def hierarchical_s(inside_s, across_s):
    r"""Time of a two-hop all-to-all whose hops are pipelined: :math:`\max(t_{up}, t_{out})`.

    DeepEP's normal kernels give RDMA sending, NVLink forwarding and receiving their own
    warps in one kernel, passing chunks between them as they arrive; once the pipeline is
    full both links are busy together, so the slower one sets the kernel's time (the sum
    would be the time of two kernels run one after the other).

    Parameters
    ----------
    inside_s, across_s : numeric
        Time of the scale-up and of the scale-out hop, each on its own, >= 0. [s]

    Returns
    -------
    numeric
        The larger of the two. [s]

    Examples
    --------
    >>> float(hierarchical_s(0.004, 0.024))
    0.024
    """
    _checks.non_negative("inside_s", inside_s)
    _checks.non_negative("across_s", across_s)
    return np.maximum(inside_s, across_s)
