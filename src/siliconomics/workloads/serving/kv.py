"""The memory of a serving replica: weights, activations and how many sequences' KV cache fit.

:func:`memory_plan` sizes what one replica holds; the KV cache of one token is that of
:meth:`siliconomics.workloads.models.Model.kv_bytes_per_token` times its copies over the
tensor-parallel group (KV heads are split across ranks; when ranks outnumber KV heads, and
always for MLA's shared latent, each rank keeps a copy). A prefix-cache hit rate does not
change the memory: cached prefixes are still held, only their prefill is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass

from ... import _checks
from ..models import bytes_per_element


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


def kv_replication(m, tp: int) -> float:
    """Copies of the KV cache over a tensor-parallel group of ``tp`` ranks.

    Examples
    --------
    >>> from siliconomics.workloads.models import Model
    >>> kv_replication(Model.from_catalog("llama-3.1-70b"), 16)
    2.0
    """
    if m.attention == "mla":
        return float(tp)
    return tp / min(tp, m.kv_heads)


def activation_bytes(d, context_tokens) -> float:
    """Activations of one prefill chunk through the widest layer, plus FP32 logits, in each
    attention group and pipeline stage. [bytes]"""
    m = d.model
    chunk = min(float(context_tokens), float(d.max_num_tokens))
    act_b = bytes_per_element(d.activation_precision if d.activation_precision in
                              ("bf16", "fp16") else "bf16")
    widest = max(m.ffn_size, m.expert_ffn_size or 0) * (2 if m.gated_ffn else 1)
    return (chunk * (4 * m.hidden_size + widest) * act_b + chunk * m.vocab_size * 4.0) \
        * d.dp * d.pp


def memory_plan(d, context_tokens) -> MemoryPlan:
    """Largest batch of sequences of ``context_tokens`` tokens (prompt + output) that fits.

    Each catalog "GB" of memory is 2^30 bytes (:data:`siliconomics.units.ACCELERATOR_GB`).
    With ``kv_memory="total"`` (vLLM's ``gpu_memory_utilization``, SGLang's
    ``mem_fraction_static``) the usable memory is ``memory_usable_fraction`` of it all, the
    weights and one prefill chunk's activations come out of that and the KV cache takes the
    rest; with ``"free"`` (TensorRT-LLM's ``kv_cache_free_gpu_mem_fraction``) the KV cache
    takes that fraction of what the weights and activations leave.

    Examples
    --------
    >>> from siliconomics.workloads.serving import Deployment
    >>> p = memory_plan(Deployment.create("llama-2-70b", "h200", tp=1), 256)
    >>> p.fits, 500 < p.max_batch < 2000
    (True, True)
    """
    _checks.at_least("context_tokens", context_tokens, 1)
    total = d.hbm_capacity_bytes * d.accelerators
    activation = activation_bytes(d, context_tokens)
    if d.kv_memory == "free":
        free = (total - d.weights_bytes - activation) * d.memory_usable_fraction
        usable = d.weights_bytes + activation + free
    else:
        usable = total * d.memory_usable_fraction
        free = usable - d.weights_bytes - activation
    kv_tok = d.kv_bytes_per_token()
    kv_seq = d.kv_bytes_per_token(float(context_tokens)) * float(context_tokens)
    max_batch = int(max(free // kv_seq, 0)) if free > 0 else 0
    max_ctx = int(max(free // kv_tok, 0)) if free > 0 else 0
    return MemoryPlan(
        usable_bytes=usable,
        weights_bytes=d.weights_bytes,
        activation_bytes=activation,
        kv_bytes_per_sequence=kv_seq,
        max_batch=max_batch,
        max_context_at_batch_1=min(max_ctx, d.model.context_length),
        replicas_per_server=max(d.accelerators_per_server // d.accelerators, 0),
    )
