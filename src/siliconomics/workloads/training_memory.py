r"""Memory of one accelerator in a parallel training layout: model states and activations.

Model states follow Rajbhandari et al. (2020): with mixed-precision Adam every parameter holds
2 bytes of weights, 2 of gradients and 12 of fp32 master weights, momentum and variance; ZeRO
stage 1 shards the 12, stage 2 also the gradients, stage 3 (and FSDP) everything, over the
data-parallel (and context-parallel) group.

Activations follow the derivation of Korthikanti et al. (2022, Section 4.1), tensor by tensor,
for today's layers rather than GPT-3's:

- FlashAttention (Dao et al. 2022) keeps no :math:`s \times s` score matrix: the attention core
  stores Q, K and V, its output and a float32 log-sum-exp per head and token;
- grouped-query (GQA/MQA) attention stores K and V at the KV heads' width, MLA at the width of
  its up-projected keys and values (what the attention core reads);
- gated FFNs (SwiGLU) store both input projections (:math:`2 f` wide) and their product;
  MoE layers store them for each routed and shared expert a token uses;
- no dropout masks (modern pre-training runs without dropout);
- with tensor parallelism, sequence parallelism splits the norms' tensors too, so every tensor
  is divided by :math:`t` (Korthikanti et al. 2022, Section 4.2.2); context parallelism divides
  the sequence by :math:`c`.

Recomputation modes:

- ``none``: every tensor above is kept;
- ``selective``: element-wise outputs that are cheap to redo (the norms' outputs and the gated
  FFN's product) are recomputed in the backward pass, as fused norm and activation kernels do,
  and so are MLA's up-projections from its compressed latents (DeepSeek-V3 report, 3.2.3);
  no matrix multiply is repeated (in Korthikanti's GPT-3 setting the selective mode recomputes
  the attention core's :math:`s^2` tensors, which FlashAttention never stores);
- ``full``: only each layer's input is kept, and one layer's activations are rebuilt at a time.

Pipeline stages hold the activations of the micro-batches in flight: stage :math:`i` of
:math:`p` holds :math:`p - i` under 1F1B; with :math:`v` interleaved chunks, stage :math:`i`
holds :math:`2(p - i - 1) + (v - 1) p + 1` chunks of :math:`1/v` of its layers (Megatron-LM's
warm-up count; for stage 0 this is Korthikanti's factor :math:`1 + (p-1)/(pv)`). When the
layers do not divide evenly the first and last stages take fewer (as Llama 3 did: one layer
fewer on each, for the embedding and the output head); stage inputs and outputs are freed once
sent (Megatron's ``deallocate_output_tensor``), so no extra pipeline buffers are kept.

References
----------
.. [1] V. Korthikanti et al., "Reducing Activation Recomputation in Large Transformer Models,"
   arXiv:2205.05198, 2022.
.. [2] S. Rajbhandari et al., "ZeRO: Memory Optimizations Toward Training Trillion Parameter
   Models," SC'20, arXiv:1910.02054.
.. [3] T. Dao et al., "FlashAttention: Fast and Memory-Efficient Exact Attention with
   IO-Awareness," arXiv:2205.14135, 2022.
.. [4] A. Grattafiori et al., "The Llama 3 Herd of Models," arXiv:2407.21783, 2024, Section
   3.3.2 (uneven first and last stages, freed stage tensors).
"""

from __future__ import annotations

import math

from .models import Model

#: Bytes per parameter of mixed-precision Adam: bf16 weights (2) and gradients (2), fp32
#: master weights, momentum and variance (12) (Rajbhandari et al. 2020).
WEIGHT_BYTES, GRAD_BYTES, OPTIMIZER_BYTES = 2.0, 2.0, 12.0
#: Bytes per logit of the output head's loss at its peak: the 16-bit logits and their fp32
#: copy, whose softmax is kept for the backward pass, where the gradient is formed in place and
#: cast back to 16 bits (Megatron-Core's fused vocabulary-parallel cross entropy,
#: megatron/core/tensor_parallel/cross_entropy.py: ``.float()``, ``exp`` and the division in
#: place, ``save_for_backward(exp_logits, ...)``, ``grad_input.mul_``): 2 + 4 bytes.
LOGIT_BYTES = 6.0


def stage_layers(layers: int, pp: int) -> list[int]:
    """Transformer layers on each of ``pp`` pipeline stages.

    Middle stages take :math:`\\lceil L / p \\rceil`; the shortfall is taken from the first and
    the last stage (the first one more when it is odd), which also hold the embedding and the
    output head.

    >>> stage_layers(126, 16)[:2], stage_layers(126, 16)[-1]
    ([7, 8], 7)
    >>> stage_layers(96, 16) == [6] * 16
    True
    """
    if pp == 1:
        return [layers]
    per = math.ceil(layers / pp)
    short = per * pp - layers
    first = per - (short + 1) // 2
    last = per - short // 2
    if first < 1 or last < 1:  # too few layers to trim the ends: spread them as evenly
        base, extra = divmod(layers, pp)
        return [base + (1 if i < extra else 0) for i in range(pp)]
    return [first] + [per] * (pp - 2) + [last]


def states_bytes(params: float, zero: int, group: int) -> float:
    """Bytes of weights, gradients and optimizer states of ``params`` parameters on one
    accelerator, with ZeRO stage ``zero`` (3 = FSDP) sharded over ``group`` ranks. [B]

    >>> states_bytes(1e9, 0, 8) / 1e9, states_bytes(1e9, 1, 8) / 1e9, states_bytes(1e9, 3, 8) / 1e9
    (16.0, 5.5, 2.0)
    """
    g = max(int(group), 1)
    w, gr, o = WEIGHT_BYTES * params, GRAD_BYTES * params, OPTIMIZER_BYTES * params
    if zero == 0:
        return w + gr + o
    if zero == 1:
        return w + gr + o / g
    if zero == 2:
        return w + (gr + o) / g
    return (w + gr + o) / g


def layer_activation_bytes(model: Model, tokens: float, tp: int, recompute: str,
                           act_bytes: float = 2.0, *, seq_len: int | None = None,
                           flash_attention: bool = True) -> float:
    """Activation bytes one layer keeps for ``tokens`` tokens (micro-batch times local
    sequence) on one of ``tp`` tensor-parallel ranks, with sequence parallelism. [B]

    Without FlashAttention (``flash_attention=False``, with ``seq_len`` the attended span) the
    scores, their softmax and its dropout mask are kept as well, :math:`5 a s` bytes per token
    (Korthikanti et al. 2022), unless recomputed (``selective`` or ``full``).

    Examples
    --------
    Llama 3.1 405B, 8,192 tokens, TP8, nothing recomputed: about 0.53 GB per layer.

    >>> m = Model.from_catalog("llama-3.1-405b")
    >>> round(layer_activation_bytes(m, 8192, 8, "none") / 1e9, 2)
    0.53
    """
    h = model.hidden_size
    if recompute == "full":
        return tokens * act_bytes * h / tp
    hd = model.head_size
    q = model.attention_width
    if model.attention == "mla" and recompute == "selective":
        # the up-projections are recomputed from the compressed latents (DeepSeek-V3, Section
        # 3.2.3): only the latents and the shared RoPE key are kept
        q = model.q_lora_rank or model.heads * (hd + model.rope_head_dim)
        kv = model.kv_lora_rank + model.rope_head_dim
    elif model.attention == "mla":  # the attention core reads up-projected keys and values
        kv = 2 * model.heads * hd + model.heads * model.rope_head_dim
        q = model.heads * (hd + model.rope_head_dim)
    else:
        kv = 2 * model.kv_heads * hd
    attn = (h                  # norm input
            + q + kv           # Q, K, V for the attention kernel
            + model.attention_width)  # attention output, input of the output projection
    attn = attn * act_bytes + 4.0 * model.heads  # fp32 log-sum-exp per head
    if model.is_moe:
        moe_share = 1.0 - model.dense_layers / model.layers
        expert_f = model.expert_ffn_size or model.ffn_size
        shared_f = model.shared_expert_ffn_size or expert_f
        width = (model.active_experts * expert_f + model.shared_experts * shared_f) * moe_share \
            + model.ffn_size * (1.0 - moe_share)
    else:
        width = model.ffn_size
    gate = 2 if model.gated_ffn else 1
    ffn = (h                       # norm input
           + gate * width          # the input projection(s)' output
           ) * act_bytes
    norm_outputs = 2 * h * act_bytes  # the two norms' outputs, inputs of QKV and the FFN
    product = width * act_bytes       # gated product / activation output, input of the down proj
    if recompute == "none":
        keep = attn + ffn + norm_outputs + product
        if not flash_attention:
            keep += 5.0 * model.heads * (seq_len or tokens)
    else:  # selective: norm outputs and the element-wise product are recomputed
        keep = attn + ffn
    return tokens * keep / tp


def in_flight_chunks(stage: int, pp: int, interleave: int, microbatches: int) -> float:
    """Model chunks whose activations stage ``stage`` holds at its peak (Megatron-LM's 1F1B
    warm-up plus one), capped by the micro-batches of a step.

    >>> in_flight_chunks(0, 16, 1, 64), in_flight_chunks(0, 16, 2, 64)
    (16, 47)
    """
    if interleave == 1:
        held = pp - stage
    else:
        held = 2 * (pp - stage - 1) + (interleave - 1) * pp + 1
    return min(held, microbatches * interleave)


def stage_memory(model: Model, layout, *, seq_len: int, microbatches: int,
                 expert_params_per_layer: float, dense_params_per_layer: float,
                 act_bytes: float = 2.0, flash_attention: bool = True) -> list[dict]:
    """States and activations of the first, second and last pipeline stage (the ones that
    can be the largest). [B]

    Parameters
    ----------
    model : Model
    layout : Layout
        Parallel layout.
    seq_len : int
        Tokens per sequence. [count]
    microbatches : int
        Micro-batches per pipeline per step. [count]
    expert_params_per_layer, dense_params_per_layer : float
        Parameters of an average layer, in routed experts and the rest. [count]

    Returns
    -------
    list of dict
        ``stage``, ``layers``, ``states``, ``activations`` and ``total`` bytes.
    """
    t, p, v = layout.tp, layout.pp, layout.interleave
    dp_group = layout.dp * layout.cp // layout.dcn  # ZeRO shards within a dcn group
    ep_group = max(layout.expert_dp // layout.dcn, 1)  # replicas of each expert shard
    tokens = layout.microbatch * seq_len / layout.cp
    per_layer = layer_activation_bytes(model, tokens, t, layout.recompute, act_bytes,
                                       seq_len=seq_len / layout.cp,
                                       flash_attention=flash_attention)
    working = 0.0
    if layout.recompute == "full":  # one layer rebuilt at a time during the backward pass
        working = layer_activation_bytes(model, tokens, t, "selective", act_bytes)
    emb = model.vocab_size * model.hidden_size / t
    layers = stage_layers(model.layers, p)
    picks = sorted({0, min(1, p - 1), p - 1})
    out = []
    for i in picks:
        n_layers = layers[i]
        params_dense = n_layers * dense_params_per_layer / t
        if i == 0:
            params_dense += emb
        if i == p - 1 and not (model.tied_embeddings and p == 1):
            params_dense += emb
        params_expert = n_layers * expert_params_per_layer / (layout.expert_tp * layout.ep)
        states = (states_bytes(params_dense, layout.zero, dp_group)
                  + states_bytes(params_expert, layout.zero, ep_group))
        if layout.zero == 3:  # the layer being computed is gathered in full (its own shard
            # is already resident)
            states += WEIGHT_BYTES * (dense_params_per_layer / t * (1 - 1 / dp_group)
                                      + expert_params_per_layer / (layout.expert_tp * layout.ep)
                                      * (1 - 1 / ep_group))
        chunks = in_flight_chunks(i, p, v, microbatches)
        act = per_layer * n_layers / v * chunks + working
        if i == p - 1:  # the loss on the last stage: LOGIT_BYTES per logit at its peak
            act += LOGIT_BYTES * tokens * model.vocab_size / t
        out.append({"stage": i, "layers": n_layers, "states": states, "activations": act,
                    "total": states + act})
    return out
