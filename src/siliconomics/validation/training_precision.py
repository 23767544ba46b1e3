"""Validation of low-precision training GEMMs: Transformer Engine's measured speed-ups.

The training step model runs FP8 and FP4 linear layers at its BF16 matmul efficiency times a
precision factor (:func:`siliconomics.workloads.parallelism.precision_gemm_factor`): large
low-precision GEMMs' measured share of their peak over large BF16 GEMMs' share of theirs,
from TensorRT-LLM's kernels as aiconfigurator-core timed them, inputs already quantized. In
training, every linear layer's inputs are quantized again each step (Transformer Engine's
"autocast"), which those kernel timings leave out.

Transformer Engine's GEMM profiling tutorial prints, for one 5B-parameter configuration on
a B300 and on an H200 NVL, each layer's twelve GEMMs (forward, data and weight gradients of
the four linear layers) timed in BF16 and in every low-precision recipe the GPU runs, in
autocast. Every autocast per-layer speed-up over BF16 printed there is a case: the ratio of
per-layer GEMM times against the model's ratio of linear-layer speeds at the same shapes.
None was used to fit anything.

The model has one FP8 level per accelerator: these cases say which recipes it describes.
The kernel-only ("pre-quantized") speed-ups the tutorial prints beside them are quoted in
the notes, not registered: the model's factors are kernel timings, so those rows test the
kernels' source rather than the training model.
"""

from __future__ import annotations

from functools import cache

from . import case

_COMMIT = "8f2e63578e103ce1d41503102f47504c129b94d2"
_SOURCE = ("NVIDIA, Transformer Engine, docs/examples/gemm_profiling/gemm_profiling.rst "
           f"(commit {_COMMIT[:8]}), benchmarks/gemm/benchmark_gemm.py in model config mode, "
           "autocast (quantization included), CUDA events over 100 timed iterations")

#: The configuration (the tutorial's command line): hidden 4,096, FFN 16,384 (GELU, not gated),
#: 32 heads, 24 layers, micro-batch 31 of 512 tokens (M = 15,872).
_CONFIG = dict(hidden_size=4096, ffn_size=16384, heads=32, layers=24, microbatch=31,
               seq_len=512)

#: The unit of these cases: a ratio of speeds, not a run's MFU (left out of
#: :func:`.training.mfu_ratio_interval`).
UNIT = "x over BF16"

#: Per-layer GEMM time in ms (twelve GEMMs), autocast, as printed: GPU column, catalog
#: accelerator, {recipe: ms}; BF16 first.
_TIMES = {
    "b300": ("NVIDIA B300 SXM6 AC", "b300",
             {"bf16": 12.758, "fp8-current": 9.147, "fp8-delayed": 7.802, "mxfp8": 8.984,
              "nvfp4": 6.453}),
    "h200": ("NVIDIA H200 NVL", "h200",
             {"bf16": 32.014, "fp8-current": 20.285, "fp8-delayed": 18.978,
              "fp8-block": 22.882}),
}

#: Kernel-only per-layer times the tutorial prints beside them (inputs quantized before the
#: timed loop; DelayedScaling cannot be, and is left out), for the notes.
_KERNEL_ONLY = {
    "b300": {"bf16": 13.102, "fp8-current": 6.812, "mxfp8": 7.161, "nvfp4": 3.764},
    "h200": {"bf16": 31.968, "fp8-current": 16.785},
}

_RECIPES = {
    "fp8-current": ("FP8 with current (tensor-wise, per-step) scaling", "fp8"),
    "fp8-delayed": ("FP8 with delayed (tensor-wise, amax-history) scaling", "fp8"),
    "fp8-block": ("FP8 with 2D block scaling", "fp8"),
    "mxfp8": ("MXFP8 (32-element block scales)", "fp8"),
    "nvfp4": ("NVFP4 (16-element block scales, Hadamard transforms and stochastic rounding "
              "on gradients)", "fp4"),
}

_QUANTIZATION = (
    "This recipe quantizes every linear layer's inputs (and, for the weight gradients, "
    "transposed copies) each step, and that work is {share:.0%} of its autocast time here "
    "({autocast:.3f} ms a layer against {kernel:.3f} ms kernel-only{kernel_ratio}). The step "
    "model has no term for it: it takes the speed-up of its own kernel timings "
    "(TensorRT-LLM's, inputs already quantized), {model:.2f}x, slower kernels than these but "
    "without their quantization. Tensor-wise delayed scaling, which reuses an amax history, "
    "costs little (its cases agree). A per-step quantization term taken from this benchmark "
    "would slow the model's NVFP4 training further, where it already puts the steps of "
    "MLPerf's NVFP4 Llama 3.1 405B rows (training.mlperf-v5.1.*.fp4.*) 23-34% long: those "
    "submissions fuse the quantization into neighbouring kernels, so how much of it a run "
    "pays depends on its software, which one benchmark of unfused autocast does not settle.")

_NO_KERNEL = (
    "Block-scaled FP8 computes per-block scales of both the row-wise and column-wise copies "
    "each step; the tutorial gives no kernel-only time for it on Hopper (cuBLAS there does "
    "not take 2D block-scaled inputs). The step model, with no per-step quantization term, "
    "puts it at its tensor-wise FP8 kernels' {model:.2f}x.")

#: Cases beyond the tolerance (the rest agree): the recipes whose per-step quantization is
#: most of the difference from the kernels' speed.
_MISSES = {("b300", "fp8-current"), ("b300", "mxfp8"), ("b300", "nvfp4"), ("h200", "fp8-block")}


def te_model():
    """The tutorial's configuration as a model (vocabulary and context do not enter the linear
    layers' GEMMs)."""
    from ..workloads.models import Model

    c = _CONFIG
    return Model("te-gemm-5b", layers=c["layers"], hidden_size=c["hidden_size"],
                 heads=c["heads"], kv_heads=c["heads"],
                 head_dim=c["hidden_size"] // c["heads"], ffn_size=c["ffn_size"],
                 vocab_size=32000, gated_ffn=False, context_length=c["seq_len"])


@cache
def predicted_speedup(accelerator: str, precision: str) -> float:
    """The step model's speed of the configuration's linear layers at ``precision`` over
    BF16 on ``accelerator``."""
    from ..workloads import parallelism

    m = te_model()
    lay = parallelism.Layout(tp=1, microbatch=_CONFIG["microbatch"])

    def rate(p):
        hw = parallelism.Hardware.from_catalog(accelerator, p)
        return parallelism.linear_flop_per_s(m, lay, _CONFIG["seq_len"], hw)

    return rate(precision) / rate("bf16")


def _known_miss(gpu: str, recipe: str) -> str:
    if (gpu, recipe) not in _MISSES:
        return ""
    _, acc, times = _TIMES[gpu]
    model = predicted_speedup(acc, _RECIPES[recipe][1])
    kernel = _KERNEL_ONLY[gpu].get(recipe)
    if kernel is None:
        return _NO_KERNEL.format(model=model)
    autocast = times[recipe]
    ratio = _KERNEL_ONLY[gpu]["bf16"] / kernel
    return _QUANTIZATION.format(share=1.0 - kernel / autocast, autocast=autocast, kernel=kernel,
                                kernel_ratio=f": a kernel-only speed-up of {ratio:.2f}x",
                                model=model)


def _register(gpu: str, recipe: str) -> None:
    name, acc, times = _TIMES[gpu]
    label, precision = _RECIPES[recipe]
    published = times["bf16"] / times[recipe]

    @case(
        id=f"training.te-gemm.{gpu}.{recipe}.speedup",
        known_miss=_known_miss(gpu, recipe),
        topic="training",
        kind="throughput",
        description=f"Transformer Engine on {name}: a 5B configuration's per-layer linear GEMMs "
        f"(forward and both gradients, 15,872 tokens) in {label}, autocast: speed-up over BF16",
        published=round(published, 4),
        unit=UNIT,
        tolerance=0.15,
        source=f"{_SOURCE}: per-layer total {times['bf16']} ms in BF16 and {times[recipe]} ms "
        f"in {recipe} on {name}",
        status="C",
        note="Held out: the model's precision factors are TensorRT-LLM's kernel timings "
        "(aiconfigurator-core), not these. The configuration (hidden 4,096, FFN 16,384, 32 "
        "heads, micro-batch 31 x 512) is the tutorial's command line; the model's linear "
        "layers at those four forward shapes (it times the gradients as the forward). The "
        f"catalog's {acc} stands for the {name}"
        + (" (the SXM part; the NVL card's lower power limit slows both precisions alike, and "
           "the ratio is what is checked)" if gpu == "h200" else "") + ".",
        justification="Tolerance 15%, the limit for throughput of a stated setup: the source "
        "gives every shape and times each GEMM over 100 iterations (three to four digits); "
        "what it leaves open is the library and driver versions, which move one recipe's "
        "kernels by several percent.",
    )
    def _compute():
        return predicted_speedup(acc, precision)


for _gpu, (_name, _acc, _times) in _TIMES.items():
    for _recipe in _times:
        if _recipe != "bf16":
            _register(_gpu, _recipe)
