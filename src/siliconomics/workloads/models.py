r"""Transformer architectures: parameters, FLOPs per token and KV-cache bytes.

A :class:`Model` is built from a catalog entry (``Model.from_catalog("llama-3.1-70b")``) or
given field by field. Counts follow the usual conventions:

- parameters: embeddings :math:`V d` (plus the output head unless tied), per layer the attention
  projections and the FFN (three matrices when gated), MoE experts counted once each;
- forward FLOPs per token: :math:`2 N_{\text{active}}` over the matrix multiplies, plus
  :math:`4 L s \, d_{\text{core}}` for the attention scores and their product with values at
  context :math:`s` (MLA's wider query-key products included; not halved for causal
  masking, as in Narayanan et al. 2021 and Hoffmann et al. 2022); training is three forward
  passes, full activation recomputation adds a fourth (hardware FLOPs).

References
----------
.. [1] J. Kaplan et al., "Scaling Laws for Neural Language Models," arXiv:2001.08361, 2020.
.. [2] D. Narayanan et al., "Efficient Large-Scale Language Model Training on GPU Clusters Using
   Megatron-LM," arXiv:2104.04473, 2021 (model FLOPs per iteration, their eq. 3).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from .. import _checks
from ..errors import InputError

#: Bytes per element of each precision name users may pass.
BYTES = {
    "fp32": 4.0, "tf32": 4.0, "bf16": 2.0, "fp16": 2.0, "fp8": 1.0, "int8": 1.0,
    "fp4": 0.5, "int4": 0.5,
}


def bytes_per_element(precision: str) -> float:
    """Bytes of one number stored in ``precision`` (``"bf16"`` -> 2.0)."""
    try:
        return BYTES[str(precision).lower()]
    except KeyError:
        from ..errors import unknown

        raise InputError(unknown("precision", str(precision), BYTES)) from None


@dataclass(frozen=True)
class Model:
    """A decoder-only transformer (dense or mixture-of-experts)."""

    name: str
    layers: int
    hidden_size: int
    heads: int
    kv_heads: int
    ffn_size: int
    vocab_size: int
    gated_ffn: bool = True
    head_dim: int | None = None
    attention: str = "gqa"
    architecture: str = "dense"
    experts: int = 0
    active_experts: int = 0
    shared_experts: int = 0
    expert_ffn_size: int = 0
    shared_expert_ffn_size: int = 0
    dense_layers: int = 0
    kv_lora_rank: int = 0
    q_lora_rank: int = 0
    rope_head_dim: int = 0
    attention_precision: str = ""  # served attention core, when wider than the matmuls
    tied_embeddings: bool = False
    relative_attention: bool = False
    parallel_layers: bool = False  # attention and FFN side by side on one normalised input
    sliding_window: int = 0
    sliding_window_layers: int = 0
    context_length: int = 4096
    params_published: float | None = None  # total parameters as published
    training_tokens: float | None = None
    training_flop: float | None = None

    def __post_init__(self):
        for f in ("layers", "hidden_size", "heads", "kv_heads", "ffn_size", "vocab_size"):
            _checks.at_least(f, getattr(self, f), 1)
        if self.heads % self.kv_heads:
            raise InputError(
                f"heads ({self.heads}) must be a multiple of kv_heads ({self.kv_heads})"
            )
        if not 0 <= self.sliding_window_layers <= self.layers:
            raise InputError(f"sliding_window_layers must be in [0, {self.layers}], got "
                             f"{self.sliding_window_layers}")
        if self.sliding_window_layers and self.sliding_window < 1:
            raise InputError("sliding_window must be >= 1 with sliding_window_layers")
        if self.is_moe and not (self.experts >= self.active_experts >= 1):
            raise InputError(
                f"an MoE model needs experts >= active_experts >= 1, got {self.experts} and "
                f"{self.active_experts}"
            )

    # --- construction -----------------------------------------------------------------------
    @classmethod
    def from_catalog(cls, name) -> Model:
        """The model named ``name``: a catalog name or alias, a ``models`` entry, or the path
        of a Hugging Face ``config.json`` (:func:`siliconomics.workloads.model_from_config`)."""
        from .. import catalog
        from ..catalog.inputs import _model

        if isinstance(name, Model):
            return name
        return cls.from_entry(_model(catalog.load(), name))

    @classmethod
    def from_entry(cls, e) -> Model:
        """The model of a ``models`` catalog entry."""
        known = {f.name for f in fields(cls)}
        kw = {k: e.get(k) for k in known if e.get(k) is not None}
        kw.update(
            name=e.slug,
            gated_ffn=bool(e.gated_ffn),
            tied_embeddings=bool(e.get("tied_embeddings", 0)),
            relative_attention=bool(e.get("relative_attention", 0)),
            parallel_layers=bool(e.get("parallel_layers", 0)),
            params_published=None if e.get("params_billion") is None else e.params_billion * 1e9,
        )
        return cls(**kw)

    # --- shapes -----------------------------------------------------------------------------
    @property
    def is_moe(self) -> bool:
        return self.architecture == "moe"

    @property
    def head_size(self) -> int:
        return self.head_dim or self.hidden_size // self.heads

    @property
    def attention_width(self) -> int:
        """Query width :math:`d_{attn}` = heads x head size."""
        return self.heads * self.head_size

    @property
    def attention_core_width(self) -> float:
        r"""Width :math:`d_{core}` that counts the attention core's FLOPs as :math:`4 L s \,
        d_{core}` per token: the mean of the query-key and the value widths. They are equal
        (:attr:`attention_width`) except under MLA, whose query-key products also span the
        decoupled RoPE dimensions (DeepSeek-V3: 128 + 64 per head against 128-wide values;
        arXiv:2412.19437, section 2.1.1), 1.25 times the FLOPs of 128-wide heads.

        >>> Model.from_catalog("deepseek-v3").attention_core_width / 128
        160.0
        """
        if self.attention == "mla":
            return self.heads * (self.head_size + self.rope_head_dim / 2.0)
        return float(self.attention_width)

    # --- parameters -------------------------------------------------------------------------
    def attention_params_per_layer(self) -> float:
        d, hd = self.hidden_size, self.head_size
        if self.attention == "mla":
            q_out = self.heads * (hd + self.rope_head_dim)
            q = d * q_out if not self.q_lora_rank else (d + q_out) * self.q_lora_rank
            kv_down = d * (self.kv_lora_rank + self.rope_head_dim)
            kv_up = self.kv_lora_rank * self.heads * 2 * hd
            return float(q + kv_down + kv_up + self.heads * hd * d)
        relative = d * self.heads * hd if self.relative_attention else 0
        return float(d * self.heads * hd * 2 + 2 * d * self.kv_heads * hd + relative)

    def _ffn(self, width: int) -> float:
        return float((3 if self.gated_ffn else 2) * self.hidden_size * width)

    def ffn_params_per_layer(self, active: bool = False) -> float:
        """FFN parameters of an average layer (all experts, or only those a token uses)."""
        if not self.is_moe:
            return self._ffn(self.ffn_size)
        moe_layers = self.layers - self.dense_layers
        per_expert = self._ffn(self.expert_ffn_size or self.ffn_size)
        per_shared = self._ffn(self.shared_expert_ffn_size or self.expert_ffn_size or self.ffn_size)
        n = self.active_experts if active else self.experts
        router = self.hidden_size * self.experts
        moe = moe_layers * (n * per_expert + self.shared_experts * per_shared + router)
        return (moe + self.dense_layers * self._ffn(self.ffn_size)) / self.layers

    def embedding_params(self) -> float:
        return float(self.vocab_size * self.hidden_size * (1 if self.tied_embeddings else 2))

    def params(self, active: bool = False) -> float:
        """Total parameters (``active=True``: those one token uses)."""
        per_layer = self.attention_params_per_layer() + self.ffn_params_per_layer(active)
        return self.layers * per_layer + self.embedding_params()

    @property
    def params_total(self) -> float:
        return self.params()

    @property
    def params_active(self) -> float:
        return self.params(active=True)

    # --- FLOPs ------------------------------------------------------------------------------
    def forward_flops_per_token(self, context=None):
        r"""Forward FLOPs per token at ``context`` tokens of attention span.

        :math:`2 (N_{\text{active}} - N_{\text{input emb}}) + 4 L s \, d_{core}`
        (:attr:`attention_core_width`): every weight is a multiply and an add; the input
        embedding is a lookup.

        Examples
        --------
        >>> m = Model.from_catalog("gpt-3-175b")
        >>> round(m.forward_flops_per_token(2048) / 1e9)
        359
        """
        s = self.context_length if context is None else context
        _checks.positive("context", s)
        lookup = self.vocab_size * self.hidden_size
        matmul = 2.0 * (self.params_active - lookup)
        if self.tied_embeddings:  # the tied matrix is used once as the output head
            matmul = 2.0 * self.params_active
        return matmul + self.attention_core_flops(s)

    def attended(self, context):
        r"""Layer-tokens attended at ``context``: :math:`(L - L_w) s + L_w \min(s, w)` with
        :math:`L_w` sliding-window layers of window :math:`w`."""
        import numpy as np

        w, lw = self.sliding_window, self.sliding_window_layers
        if not lw:
            return self.layers * context
        return (self.layers - lw) * np.asarray(context) + lw * np.minimum(context, w)

    def attention_core_flops(self, context, absorbed: bool = False):
        r"""Forward FLOPs per token of the attention core (scores and their product with the
        values) at ``context``: :math:`4 \cdot` :meth:`attended` :math:`\cdot d_{core}`.

        ``absorbed``: MLA as decoding runs it, with the key and value up-projections absorbed
        into the query and output, so each head attends over the compressed latent itself:
        scores over :math:`d_c + d_r` (512 + 64 for DeepSeek-V3) and values over :math:`d_c`,
        :math:`2 h s (2 d_c + d_r)` FLOPs per token and layer, 3.4 times the per-head form that
        training and prefill use (deepseek-ai/FlashMLA, docs/20250422-new-kernel-deep-dive.md:
        why MLA decoding is compute-bound). Other attention is the same either way.

        >>> m = Model.from_catalog("deepseek-v3")
        >>> ratio = m.attention_core_flops(4096, absorbed=True) / m.attention_core_flops(4096)
        >>> round(float(ratio), 2)
        3.4
        """
        width = self.attention_core_width
        if absorbed and self.attention == "mla":
            width = self.heads * (self.kv_lora_rank + self.rope_head_dim / 2.0)
        return 4.0 * self.attended(context) * width

    def training_flops_per_token(self, context=None, recompute: bool = False):
        """Training FLOPs per token: 3 forward passes, 4 with full activation recomputation."""
        return (4.0 if recompute else 3.0) * self.forward_flops_per_token(context)

    def training_flops(self, tokens, context=None, recompute: bool = False):
        """Training FLOPs of a run of ``tokens`` tokens."""
        _checks.positive("tokens", tokens)
        return tokens * self.training_flops_per_token(context, recompute)

    # --- memory -----------------------------------------------------------------------------
    def kv_bytes_per_token(self, precision="bf16", context=None) -> float:
        """KV-cache bytes per token of context (all layers), averaged over ``context`` tokens.

        MHA/GQA/MQA store a key and a value per KV head; MLA stores the compressed latent and
        the shared RoPE key. Sliding-window layers keep at most their window, so with
        ``context`` beyond it the average per token falls.

        Examples
        --------
        >>> Model.from_catalog("llama-3.1-70b").kv_bytes_per_token("bf16") / 1024
        320.0
        """
        b = bytes_per_element(precision)
        if self.attention == "mla":
            per_layer = (self.kv_lora_rank + self.rope_head_dim) * b
        else:
            per_layer = 2.0 * self.kv_heads * self.head_size * b
        if context is None or not self.sliding_window_layers:
            return self.layers * per_layer
        return per_layer * self.attended(context) / context

    def to_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)} | {
            "params_total": self.params_total,
            "params_active": self.params_active,
        }


def six_nd(params, tokens):
    """The classic training-compute approximation :math:`6 N D`. [FLOP]

    >>> f"{six_nd(175e9, 300e9):.3g}"
    '3.15e+23'
    """
    _checks.positive("params", params)
    _checks.positive("tokens", tokens)
    return 6.0 * params * tokens


def model_from_config(path, *, slug: str | None = None) -> Model:
    """The :class:`Model` of a Hugging Face ``config.json``
    (:func:`siliconomics.catalog.hf_config.entry_from_config`).

    Examples
    --------
    >>> import pathlib, json, tempfile
    >>> cfg = {"model_type": "llama", "hidden_size": 4096, "intermediate_size": 14336,
    ...        "num_hidden_layers": 32, "num_attention_heads": 32, "num_key_value_heads": 8,
    ...        "vocab_size": 128256, "max_position_embeddings": 131072}
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "config.json"
    >>> _ = p.write_text(json.dumps(cfg))
    >>> round(model_from_config(p).params_total / 1e9, 2)
    8.03
    """
    from ..catalog.hf_config import entry_from_config

    return Model.from_entry(entry_from_config(path, slug=slug))
