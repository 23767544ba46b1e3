r"""Mixture-of-experts serving: which experts a batch touches, and expert parallelism.

Routed experts are spread evenly over all :math:`n` accelerators of a replica (expert
parallelism, EP = :math:`n`); attention runs in :math:`d` data-parallel groups of :math:`t`
accelerators (attention data parallelism, :math:`n = t\,d`), so a model with few KV heads or
an MLA latent keeps one KV copy per group instead of one per rank. A pass of :math:`T` tokens
routes each to :math:`k` of :math:`E` experts; an accelerator holding :math:`E/n` experts reads
the weights of those its tokens touch and computes :math:`2 T k N_e / n` FLOPs.

References
----------
.. [1] DeepSeek-AI, "DeepSeek-V3 Technical Report," arXiv:2412.19437, 2024, section 3.4
   (prefill EP32 with attention DP; decode EP320).
.. [2] NVIDIA, aiconfigurator (github.com/ai-dynamo/aiconfigurator): attention DP and MoE EP
   as separate degrees of one replica.
"""

from __future__ import annotations

import numpy as np

from ... import _checks


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
