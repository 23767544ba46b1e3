"""Validation of the serving model: measured throughputs of TensorRT-LLM's published
performance overview, predicted from the setup alone with the default catalog.

Every row of the tables for Llama 3.1 8B, Llama 3.3 70B and Llama 3.1 405B (the models of the
catalog) is a case: output tokens per second of one replica at the stated GPU, tensor
parallelism, precision and input/output lengths, under maximum load (every request queued).
The model serves them with continuous batching at the largest batch that fits
(:func:`siliconomics.workloads.serving.batching.max_batch`, capped at TensorRT-LLM's default
``max_batch_size`` of 2048) and chunked prefill of ``max_num_tokens`` 8192 (its default).
Efficiency terms are the catalog's ``serving_efficiency`` values, fitted to measured kernel
timings (GEMMs, attention, all-reduce; see that file), never to these throughputs, and never
tuned per case: no case here is a calibration case.

Tolerance: +-25% for every case, the limit for serving throughput of a stated setup. The
source reports one run per row (four to five significant digits); what the setup leaves open
is the engine's KV-cache share of free memory (0.95 in many runs, 0.90 where that ran out of
memory: the batch of memory-bound rows moves by about 5-10%) and its runtime batch and token
limits, so a model that gets the step time right lands within about 10-15%, and +-25% leaves
room for that and for the software version.

Earlier published points (TensorRT-LLM v0.5.0 and the XQA blog, 2023-2024 software, before
the kernels the efficiency terms were fitted to) are listed by :func:`comparison` for the
report, not registered as cases.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from . import case

PERF_OVERVIEW = ("NVIDIA TensorRT-LLM, docs/source/performance/perf-overview.md (commit "
                 "00f37686aa854010d68bcbd0f4ab000221541ca6), 'Throughput Measurements': Total "
                 "Output Throughput (tokens/sec), trtllm-bench throughput, PyTorch backend, "
                 "ModelOpt-quantized checkpoints, synthetic requests of fixed lengths")

#: Tolerance of every throughput case (see the module docstring).
TOLERANCE = 0.25

JUSTIFICATION = ("One vendor run per row, stated to 4-5 digits; the setup leaves the KV-cache "
                 "share of free memory (0.90-0.95) and the runtime's batch and token limits "
                 "open, moving memory-bound rows by ~5-15%; +-25% is the limit for serving "
                 "throughput of a stated setup.")

#: Input/output lengths of the table's rows used here.
LENGTHS = ((128, 128), (128, 2048), (2048, 128), (2048, 2048), (1000, 1000), (5000, 500))

#: (model, GPU column, catalog accelerator, tp, precision, published rows in LENGTHS order).
COLUMNS = (
    ("llama-3.1-8b", "H100", "h100-sxm", 1, "fp8", (28312, 22714, 3450, 9305, 15220, 3459)),
    ("llama-3.1-8b", "H200", "h200", 1, "fp8", (27911, 26221, 3538, 12194, 17744, 3902)),
    ("llama-3.3-70b", "H200", "h200", 1, "fp8", (3803, 4336, 442, 2003, 2909, 566)),
    ("llama-3.3-70b", "H100", "h100-sxm", 2, "fp8", (6378, 6651, 762, 3082, 4205, 898)),
    ("llama-3.3-70b", "B200", "b200", 1, "fp4", (11147, 9922, 1339, 4783, 7007, 1459)),
    ("llama-3.1-405b", "H100", "h100-sxm", 8, "fp8", (3627, 4340, 453, 2296, 2919, 610)),
    ("llama-3.1-405b", "H200", "h200", 8, "fp8", (3814, 5348, 456, 2948, 3330, 650)),
)


@cache
def predicted(model, accelerator, tp, precision, prompt, output, batch=None) -> float:
    """Model's total output tokens/s of a run (default catalog efficiencies). [tokens/s]"""
    from ..workloads.serving import Deployment
    from ..workloads.serving.batching import max_batch

    d = Deployment.create(model, accelerator, tp=tp, precision=precision)
    b = max_batch(d, prompt + output) if batch is None else batch
    return float(d.performance(b, prompt, output)["output_tokens_per_s_per_replica"])


def points() -> list[dict]:
    """Every registered throughput point with its setup."""
    out = []
    for model, gpu, acc, tp, prec, rows in COLUMNS:
        for (p, o), pub in zip(LENGTHS, rows):
            out.append({"id": f"{model}.{gpu.lower()}.tp{tp}.{prec}.{p}-{o}", "model": model,
                        "gpu": gpu, "accelerator": acc, "tp": tp, "precision": prec,
                        "input": p, "output": o, "published": float(pub)})
    return out


#: Earlier published points shown by :func:`comparison` (not cases): (id, accelerator, tp,
#: batch, input, output, published total output tokens/s, note).
HISTORICAL = (
    ("llama-2-70b.h200.tp1.b512.128-128.v05", "h200", 1, 512, 128, 128, 3014.0,
     "TensorRT-LLM v0.5.0 (2023-11), H200 launch blog"),
    ("llama-2-70b.h100.tp4.b64.128-128.v05", "h100-sxm", 4, 64, 128, 128, 3317.0,
     "TensorRT-LLM v0.5.0 performance.md (2023-10)"),
    ("llama-2-70b.h100.tp4.b64.2048-128.v05", "h100-sxm", 4, 64, 2048, 128, 843.0,
     "TensorRT-LLM v0.5.0 performance.md (2023-10)"),
    ("llama-2-70b.h200.tp4.b512.128-2048.v05", "h200", 4, 512, 128, 2048, 6616.0,
     "TensorRT-LLM v0.5.0, before the XQA generation kernel"),
)


def comparison() -> list[dict]:
    """Every published point with the model's figure (for the report)."""
    out = []
    for pt in points():
        got = predicted(pt["model"], pt["accelerator"], pt["tp"], pt["precision"], pt["input"],
                        pt["output"])
        out.append({"id": pt["id"], "accelerator": pt["accelerator"], "tp": pt["tp"],
                    "batch": None, "input": pt["input"], "output": pt["output"],
                    "published": pt["published"], "model": got,
                    "error": got / pt["published"] - 1, "case": True, "note": ""})
    for pid, acc, tp, b, p, o, pub, note in HISTORICAL:
        got = predicted("llama-2-70b", acc, tp, "fp8", p, o, b)
        out.append({"id": pid, "accelerator": acc, "tp": tp, "batch": b, "input": p,
                    "output": o, "published": pub, "model": got, "error": got / pub - 1,
                    "case": False, "note": note + "; earlier software, not a case"})
    return out


def median_abs_error() -> float:
    """Median absolute relative error over the registered throughput cases.

    Examples
    --------
    >>> 0 <= median_abs_error() < 0.25
    True
    """
    return float(np.median([abs(r["error"]) for r in comparison() if r["case"]]))


def _register(pt):
    @case(
        id=f"serving.{pt['id']}",
        topic="serving",
        description=(f"{pt['model']} {pt['precision'].upper()} total output tokens/s, "
                     f"{pt['tp']} x {pt['gpu']}, {pt['input']} in / {pt['output']} out, maximum "
                     f"load (largest batch that fits, <= 2048)"),
        published=pt["published"],
        unit="output tokens/s",
        tolerance=TOLERANCE,
        source=PERF_OVERVIEW,
        status="C",
        justification=JUSTIFICATION,
        note="Default catalog (serving efficiency fitted to kernel timings, not to this figure).",
    )
    def _compute():
        return predicted(pt["model"], pt["accelerator"], pt["tp"], pt["precision"], pt["input"],
                         pt["output"])

    return _compute


for _pt in points():
    _register(_pt)
