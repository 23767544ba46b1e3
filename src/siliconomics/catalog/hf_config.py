r"""Models from Hugging Face ``config.json`` files (read locally; nothing is downloaded).

:func:`entry_from_config` turns a ``config.json`` into a ``models`` catalog entry (the same
schema as ``catalog/models.toml``, sourced "config.json at PATH"), so a model given as a file
is used exactly like a catalog model: ``--model PATH/config.json`` wherever a model name is
accepted, ``sx.workloads.model_from_config(path)`` in Python (which counts its parameters,
FLOPs and KV cache with :class:`siliconomics.workloads.models.Model`). A config carries no
published parameter count, so the entry has none (``params_billion``).

Supported architectures (``model_type``): dense Llama-style decoders (``llama``,
``mistral``, ``qwen2``, ``qwen3``, ``phi3``, ``gemma``, ``gemma2``, ``gemma3``), Falcon's
non-gated parallel blocks (``falcon``), mixture-of-experts (``mixtral``, ``qwen2_moe`` with its
shared expert, ``qwen3_moe``, ``gpt_oss``, ``glm4_moe``, ``llama4`` with interleaved dense and
MoE layers and a shared expert) and DeepSeek's MLA with shared experts and leading dense layers
(``deepseek_v2``, ``deepseek_v3``, ``kimi_k2``). Sliding-window and chunked-attention layers
(Mistral, Gemma 2 and 3, gpt-oss, Llama 4, Qwen2 when enabled) and tied embeddings are read
too; a multimodal config's ``text_config`` is read and its vision tower left out.

Counted as the rest of the package counts (:mod:`.models`): weight matrices, embeddings and
routers; biases, norms and DeepSeek's multi-token-prediction module are left out (each well
under 1% of the total; DeepSeek-V3's 671B likewise excludes its 14B MTP module).

Examples
--------
>>> import pathlib, json, tempfile
>>> cfg = {"model_type": "llama", "hidden_size": 4096, "intermediate_size": 14336,
...        "num_hidden_layers": 32, "num_attention_heads": 32, "num_key_value_heads": 8,
...        "vocab_size": 128256, "max_position_embeddings": 131072}
>>> p = pathlib.Path(tempfile.mkdtemp()) / "config.json"
>>> _ = p.write_text(json.dumps(cfg))
>>> e = entry_from_config(p)
>>> e.layers, e.architecture, e.get("params_billion")
(32, 'dense', None)
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..errors import InputError

#: Architectures read, by ``model_type``.
DENSE = ("llama", "mistral", "qwen2", "qwen3", "phi3", "gemma", "gemma2", "gemma3", "falcon")
MOE = ("mixtral", "qwen2_moe", "qwen3_moe", "gpt_oss", "glm4_moe", "llama4", "deepseek_v2",
       "deepseek_v3", "kimi_k2")
SUPPORTED = DENSE + MOE
#: Multimodal configs whose language model sits in ``text_config``.
_TEXT_CONFIG = ("llama4", "gemma3")


class _Config:
    """A parsed config with errors that name the file and the field."""

    def __init__(self, data: dict, path: str):
        self.data, self.path = data, path

    def error(self, key: str, msg: str) -> InputError:
        return InputError(f"{self.path}: {key}: {msg}")

    def get(self, key: str, default=None):
        return self.data.get(key, default)

    def int(self, *keys: str, default=None, minimum: int = 1) -> int:
        """The first of ``keys`` present, as a whole number >= ``minimum``."""
        for key in keys:
            if key in self.data and self.data[key] is not None:
                v = self.data[key]
                if isinstance(v, bool) or not isinstance(v, (int, float)) or int(v) != v:
                    raise self.error(key, f"must be a whole number, got {v!r}")
                if v < minimum:
                    raise self.error(key, f"must be >= {minimum}, got {v!r}")
                return int(v)
        if default is not None:
            return default
        raise self.error(keys[0], "missing (needed for a " + str(self.get("model_type")) + " model)")


def read_config(path) -> dict:
    """The JSON of a ``config.json`` (checked as :mod:`siliconomics.io` checks every file)."""
    from .. import io

    data = io.read_json(path, what="model config (config.json)")
    if not isinstance(data, dict):
        raise InputError(f"{path}: a config.json must hold one JSON object, got "
                         f"{type(data).__name__}")
    return data


def config_fields(path) -> dict[str, Any]:
    """The ``models`` catalog fields a ``config.json`` gives (architecture only)."""
    p = Path(path)
    data = read_config(p)
    c = _Config(data, str(p))
    kind = c.get("model_type")
    if kind in _TEXT_CONFIG and isinstance(data.get("text_config"), dict):
        c = _Config({**data["text_config"], "model_type": kind}, f"{p} text_config")
    if kind not in SUPPORTED:
        raise c.error("model_type", f"{kind!r} is not supported; supported: "
                                    f"{', '.join(SUPPORTED)}")
    return _fields(c, kind)


def entry_from_config(path, *, slug: str | None = None):
    """A ``models`` catalog entry from a Hugging Face ``config.json``.

    Parameters
    ----------
    path : path
        The ``config.json`` file.
    slug : str, optional
        Name of the model; default the file's folder (``.../Llama-3.1-8B/config.json`` ->
        ``llama-3.1-8b``) or its stem.

    Raises
    ------
    InputError
        One line naming the file and the field: a missing or malformed field, an unsupported
        ``model_type``, an inconsistent shape.
    """
    from .loader import Entry, Value

    p = Path(path)
    fields = config_fields(p)
    c = _Config(read_config(p), str(p))
    name = slug or (p.parent.name if p.stem == "config" and p.parent.name else p.stem)
    slug = re.sub(r"[^a-z0-9.\-]+", "-", name.lower()).strip("-") or "config"
    source = f"Hugging Face config.json at {p}"
    values = {k: Value(v, source, "", layer="user catalog") for k, v in fields.items()}
    arch = (c.get("architectures") or [c.get("model_type")])[0]
    return Entry(kind="models", slug=slug, name=f"{name} ({arch})",
                 source=source, as_of="", fields=values, origin=str(p), own=frozenset(values))


def _fields(c: _Config, kind: str) -> dict[str, Any]:
    d = c.int("hidden_size")
    layers = c.int("num_hidden_layers")
    heads = c.int("num_attention_heads")
    if kind == "falcon" and not c.get("new_decoder_architecture") and c.get("multi_query"):
        kv = 1
    else:
        kv = c.int("num_key_value_heads", "num_kv_heads", default=heads)
    if heads % kv:
        raise c.error("num_key_value_heads", f"{kv} does not divide num_attention_heads {heads}")
    out: dict[str, Any] = {
        "family": kind.split("_")[0],
        "architecture": "moe" if kind in MOE else "dense",
        "layers": layers,
        "hidden_size": d,
        "heads": heads,
        "kv_heads": kv,
        "vocab_size": c.int("vocab_size"),
        "context_length": c.int("max_position_embeddings", default=4096),
        # every supported architecture but Falcon uses a gated (SwiGLU/GeGLU) FFN
        "gated_ffn": 0 if kind == "falcon" else 1,
        "tied_embeddings": int(bool(c.get("tie_word_embeddings",
                                          kind.startswith("gemma") or kind == "falcon"))),
    }
    head_dim = c.int("head_dim", default=0, minimum=0)
    if head_dim and head_dim != d // heads:
        out["head_dim"] = head_dim
    out["attention"] = "mqa" if kv == 1 else ("gqa" if kv < heads else "mha")
    # --- feed-forward and experts ------------------------------------------------------------
    if kind == "mixtral":
        out.update(experts=c.int("num_local_experts"), active_experts=c.int("num_experts_per_tok"),
                   expert_ffn_size=c.int("intermediate_size"), ffn_size=c.int("intermediate_size"))
    elif kind == "gpt_oss":
        out.update(experts=c.int("num_local_experts"),
                   active_experts=c.int("num_experts_per_tok", "experts_per_token"),
                   expert_ffn_size=c.int("intermediate_size"), ffn_size=c.int("intermediate_size"))
    elif kind in ("qwen2_moe", "qwen3_moe"):
        expert = c.int("moe_intermediate_size")
        step = c.int("decoder_sparse_step", default=1)
        dense_only = c.get("mlp_only_layers") or []
        if not isinstance(dense_only, list):
            raise c.error("mlp_only_layers", f"must be a list of layer indices, got {dense_only!r}")
        moe = [i for i in range(layers) if i not in dense_only and (i + 1) % step == 0]
        out.update(experts=c.int("num_experts"), active_experts=c.int("num_experts_per_tok"),
                   expert_ffn_size=expert, ffn_size=c.int("intermediate_size", default=expert),
                   dense_layers=layers - len(moe))
        shared = c.int("shared_expert_intermediate_size", default=0, minimum=0)
        if shared:
            out.update(shared_experts=1, shared_expert_ffn_size=shared)
    elif kind == "glm4_moe":
        out.update(experts=c.int("n_routed_experts"), active_experts=c.int("num_experts_per_tok"),
                   shared_experts=c.int("n_shared_experts", default=0, minimum=0),
                   expert_ffn_size=c.int("moe_intermediate_size"),
                   ffn_size=c.int("intermediate_size"),
                   dense_layers=c.int("first_k_dense_replace", default=0, minimum=0))
    elif kind == "llama4":
        moe = c.get("moe_layers")
        if moe is None:
            step = c.int("interleave_moe_layer_step", default=1)
            moe = [i for i in range(layers) if (i + 1) % step == 0]
        if not isinstance(moe, list):
            raise c.error("moe_layers", f"must be a list of layer indices, got {moe!r}")
        expert = c.int("intermediate_size")
        out.update(experts=c.int("num_local_experts"), active_experts=c.int("num_experts_per_tok"),
                   expert_ffn_size=expert, shared_experts=1,
                   ffn_size=c.int("intermediate_size_mlp", default=expert),
                   dense_layers=layers - len(moe))
    elif kind == "falcon":
        out["ffn_size"] = c.int("ffn_hidden_size", default=4 * d)
    elif kind in ("deepseek_v2", "deepseek_v3", "kimi_k2"):
        freq = c.int("moe_layer_freq", default=1)
        if freq != 1:
            raise c.error("moe_layer_freq", f"only 1 (every layer after the dense ones) is "
                                            f"supported, got {freq}")
        out.update(experts=c.int("n_routed_experts"), active_experts=c.int("num_experts_per_tok"),
                   shared_experts=c.int("n_shared_experts", default=0, minimum=0),
                   expert_ffn_size=c.int("moe_intermediate_size"),
                   ffn_size=c.int("intermediate_size"),
                   dense_layers=c.int("first_k_dense_replace", default=0, minimum=0))
        nope = c.int("qk_nope_head_dim")
        v = c.int("v_head_dim", default=nope)
        if v != nope:
            raise c.error("v_head_dim", f"{v} differs from qk_nope_head_dim {nope}; MLA with "
                                        f"unequal query and value heads is not supported")
        out.update(attention="mla", head_dim=nope, kv_lora_rank=c.int("kv_lora_rank"),
                   q_lora_rank=c.int("q_lora_rank", default=0, minimum=0),
                   rope_head_dim=c.int("qk_rope_head_dim"))
    else:
        out["ffn_size"] = c.int("intermediate_size")
    if out["architecture"] == "moe" and out["active_experts"] > out["experts"]:
        raise c.error("num_experts_per_tok", f"{out['active_experts']} exceeds the "
                                             f"{out['experts']} experts")
    # --- sliding-window attention ------------------------------------------------------------
    window = c.get("sliding_window")
    types = c.get("layer_types")
    sliding = 0
    if types is not None:
        if not isinstance(types, list) or len(types) != layers:
            raise c.error("layer_types", f"must list one type per layer ({layers})")
        sliding = sum(1 for t in types if t == "sliding_attention")
    elif kind == "mistral" and window:
        sliding = layers
    elif kind == "gemma2" and window:
        sliding = layers // 2  # every other layer (local-global interleaving)
    elif kind == "gemma3" and window:
        pattern = c.int("sliding_window_pattern", default=6)
        sliding = layers - layers // pattern  # one global layer in every ``pattern``
    elif kind == "llama4" and c.get("attention_chunk_size"):
        # chunked local attention on the RoPE layers (no_rope_layers marks them with 1), a
        # window of at most one chunk for the KV cache and the attention FLOPs
        window = c.int("attention_chunk_size")
        marks = c.get("no_rope_layers")
        sliding = sum(1 for m in marks if m) if isinstance(marks, list) else layers * 3 // 4
    elif kind in ("qwen2", "qwen2_moe", "qwen3", "qwen3_moe") and c.get("use_sliding_window"):
        sliding = layers - c.int("max_window_layers", default=layers, minimum=0)
    if sliding:
        if isinstance(window, bool) or not isinstance(window, int) or window < 1:
            raise c.error("sliding_window", f"must be a whole number >= 1, got {window!r}")
        out.update(sliding_window=window, sliding_window_layers=sliding)
    return out
