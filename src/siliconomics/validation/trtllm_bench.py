"""The engine limits ``trtllm-bench throughput`` sets for a run it is not given them.

TensorRT-LLM's published performance overview (1.0) runs ``trtllm-bench --tp n ... throughput
--dataset ... --backend pytorch --extra_llm_api_options llm_options.yml`` and states no
``max_batch_size`` nor ``max_num_tokens``. The tool then sets both itself
(``tensorrt_llm/bench/benchmark/utils/general.py``, ``get_settings``), from the dataset's
lengths and an estimate of the KV cache memory (``tensorrt_llm/bench/build/tuning.py``,
``calc_engine_setting`` and ``finetune_setting``):

- **KV requests**: the memory of the ``n`` GPUs (NVML's total) less the checkpoint's
  parameter count times its bytes per element (1 for FP8, 0.5 for NVFP4), times the
  ``kv_cache_free_gpu_mem_fraction`` of the run, over the KV bytes of one request of
  ``isl + osl`` tokens (every layer, ``max(tp, kv_heads)`` KV heads of the ``config.json``'s
  head size, one byte each in FP8);
- **max_batch_size**: those requests, at most 4,096, rounded up: to a multiple of 32 (at
  least 64) below 256, of 128 below 1,024, of 256 above;
- **max_num_tokens**: that raw batch times ``1 + isl/osl``, at most 32,768, rounded up (at
  least 2,048); the page's runs do not enable chunked prefill, so the tool raises it to
  ``max_isl + max_batch_size``.

Under attention data parallelism each of the ``n`` attention ranks schedules up to
``max_batch_size`` requests (the request queue admits ``tp_size * max_num_active_requests``,
``tensorrt_llm/_torch/pyexecutor``; ai-dynamo/dynamo pull request #11982 traces the same in
TensorRT-LLM 1.1.0rc5: "max_batch_size is already the per-attention-DP-rank cap").

The page's ``llm_options.yml`` captures CUDA graphs at 1-8,192 sequences with
``enable_padding: true``. The engine keeps the sizes up to ``min(max_batch_size,
max_num_tokens)`` and, padding on, adds that limit itself (``_filter_cuda_graph_batch_sizes``);
a decode step then runs padded to the smallest captured size that holds its batch
(:meth:`~siliconomics.workloads.serving.deployment.Deployment.padded_batch`).
"""

from __future__ import annotations

import math

from ..units import ACCELERATOR_GB

#: CUDA-graph batch sizes of the performance overview's ``llm_options.yml`` (dense and MoE
#: runs alike), with ``enable_padding: true``.
GRAPH_BATCHES = (1, 2, 4, 8, 16, 32, 64, 128, 256, 384, 512, 1024, 2048, 4096, 8192)

#: The page's KV-cache share of free memory: "In many cases, we also use a higher KV cache
#: percentage by setting --kv_cache_free_gpu_mem_fraction 0.95 ... We fall back to 0.90 or
#: lower if out-of-memory errors are encountered."
KV_FRACTION = 0.95

#: Bytes per element ``calc_engine_setting`` charges a checkpoint of each quantisation.
_BYTES = {"fp8": 1.0, "fp4": 0.5, "bf16": 2.0, "fp16": 2.0}


def checkpoint_elements(model, precision: str) -> float:
    """Elements of a checkpoint's safetensors (what ``ModelConfig.get_param_count`` sums).

    An FP8 checkpoint stores one element per parameter (its scales are negligible). NVIDIA's
    NVFP4 checkpoints pack two 4-bit weights in each byte (``U8`` elements) with an FP8 scale
    per 16 and keep the embeddings and output head in BF16, so their linear layers count
    :math:`q/2 + q/16` elements for :math:`q` parameters. [count]

    >>> from siliconomics.workloads.models import Model
    >>> m = Model.from_catalog("llama-3.3-70b")
    >>> round(checkpoint_elements(m, "fp4") / 1e9, 1)
    40.6
    """
    total = float(model.params_total)
    if precision != "fp4":
        return total
    linear = total - model.embedding_params()
    return linear / 2.0 + linear / 16.0 + model.embedding_params()


def settings(model, memory_gib: float, gpus: int, precision: str, isl: int, osl: int,
             kv_fraction: float = KV_FRACTION) -> tuple[int, int]:
    """``(max_batch_size, max_num_tokens)`` trtllm-bench sets for a run of ``isl``/``osl``
    tokens on ``gpus`` GPUs of ``memory_gib`` each (``--tp gpus``, no pipeline stages, KV
    cache in FP8, chunked prefill off).

    >>> from siliconomics.workloads.models import Model
    >>> settings(Model.from_catalog("llama-3.3-70b"), 141, 1, "fp8", 500, 2000)
    (192, 2048)
    """
    heads = max(int(gpus), model.kv_heads)
    per_token = 2.0 * model.layers * heads * _head_size(model) * 1.0 / 2**30  # FP8 KV
    engine = checkpoint_elements(model, precision) * _BYTES[precision] / 2**30
    cache = (memory_gib * gpus - engine) * kv_fraction
    if cache <= 0:  # the tool refuses the run ("The model requires at least ...")
        from ..errors import InputError

        raise InputError(f"{model.name} needs {engine:,.1f} GiB for its weights, more than "
                         f"the {memory_gib * gpus:,.1f} GiB of {gpus} GPUs: use more GPUs")
    requests = cache / (per_token * (isl + osl))
    raw_bs = min(requests, 4096.0)
    raw_tokens = min(raw_bs * (1.0 + isl / osl), 32768.0)
    batch = _rounded(raw_bs, 64, ((256, 32), (1024, 128), (math.inf, 256)))
    tokens = _rounded(raw_tokens, 2048, ((4096, 256), (8192, 512), (math.inf, 1024)))
    return batch, max(tokens, isl + batch)


def _head_size(model) -> int:
    """The head size the tool reads from a model's ``config.json``: its ``head_dim``, else
    the hidden size over the attention heads (``ModelConfig.set_values_if_none``,
    ``tensorrt_llm/bench/build/dataclasses.py``). MLA models (DeepSeek-V3 and R1) state no
    ``head_dim``, so the tool takes 7,168 / 128 = 56 for them, with their 128 KV heads.

    >>> from siliconomics.workloads.models import Model
    >>> _head_size(Model.from_catalog("deepseek-r1")), _head_size(Model.from_catalog("qwen3-235b-a22b"))
    (56, 128)
    """
    if model.attention == "mla":
        return model.hidden_size // model.heads
    return model.head_size


def _rounded(x: float, floor: int, bands) -> int:
    """``x`` rounded up to a multiple of its band's step (``bands``: (upper bound, step) in
    ascending order), and at least ``floor``: ``finetune_setting``'s rounding."""
    step = next(step for bound, step in bands if x < bound)
    return int(max(floor, step * math.ceil(x / step)))


def graph_batches(max_batch_size: int, max_num_tokens: int) -> tuple[int, ...]:
    """CUDA-graph batch sizes the engine keeps of :data:`GRAPH_BATCHES`: those up to
    ``min(max_batch_size, max_num_tokens)``, and that limit (padding on).

    >>> graph_batches(640, 2560)[-4:]
    (256, 384, 512, 640)
    """
    top = min(int(max_batch_size), int(max_num_tokens))
    return tuple(sorted({g for g in GRAPH_BATCHES if g <= top} | {top}))


def run(model, accelerator: str, gpus: int, precision: str, isl: int, osl: int,
        kv_fraction: float = KV_FRACTION) -> dict:
    """The engine limits of a run of the performance overview: ``max_batch_size`` (per
    attention rank), ``max_num_tokens`` and the CUDA-graph batch sizes kept."""
    from .. import catalog
    from ..workloads.models import Model

    m = model if isinstance(model, Model) else Model.from_catalog(model)
    r = catalog.resolve(accelerator)
    gib = float(r["accelerator.memory_capacity_gb"]) * ACCELERATOR_GB / 2**30
    batch, tokens = settings(m, gib, gpus, precision, isl, osl, kv_fraction)
    return {"max_batch_size": batch, "max_num_tokens": tokens,
            "graph_batches": graph_batches(batch, tokens)}
