"""Peer estimates beside the cases: NVIDIA's aiconfigurator on TensorRT-LLM 1.0's table.

aiconfigurator (``pip install 'siliconomics[measured]'``, the aiconfigurator-core package) is
NVIDIA's own serving estimator: it times a forward pass as the sum of measured kernels of
TensorRT-LLM (GEMMs, attention, MoE, collectives) from its database. Side by side with the
published rows of :data:`siliconomics.validation.serving.COLUMNS` and siliconomics' figure, it
shows which misses a measured-kernel model shares and which are the analytical model's own.

Every column is compared in the layout its case takes (dense models at their tensor
parallelism; MoE models on one GPU, or attention data parallel over the column's GPUs with the
experts spread over all of them): aiconfigurator's static-batch estimate
(:meth:`EngineHandle.run_static`: the prefill of the batch, then its output tokens; its batch is
per attention rank) at the batch siliconomics serves the row at, over the same waves of the
row's requests (:func:`~siliconomics.workloads.serving.batching.offline_waves`: the page's
runs queue 1,000-30,000 requests at once), as ``requests x output / total time``. It has no
continuous batching or host time, so it is a peer at the same batches, not at the engine's own
schedule.
"""

from __future__ import annotations

from ..errors import InputError

#: aiconfigurator's model of each catalog model (its ``model_configs``; Llama 3.3 70B has the
#: architecture of Llama 3.1 70B).
AICONFIGURATOR_MODELS = {
    "llama-3.1-8b": "meta-llama/Meta-Llama-3.1-8B",
    "llama-3.3-70b": "meta-llama/Meta-Llama-3.1-70B",
    "llama-3.1-405b": "meta-llama/Meta-Llama-3.1-405B",
    "llama-4-scout": "meta-llama/Llama-4-Scout-17B-16E-Instruct",
    "qwen3-30b-a3b": "Qwen/Qwen3-30B-A3B",
    "qwen3-235b-a22b": "Qwen/Qwen3-235B-A22B",
    "llama-4-maverick": "meta-llama/Llama-4-Maverick-17B-128E-Instruct",
}
#: aiconfigurator's system of each catalog accelerator.
AICONFIGURATOR_SYSTEMS = {"h100-sxm": "h100_sxm", "h200": "h200_sxm", "b200": "b200_sxm",
                          "gb200": "gb200"}
#: Its quantization of each precision of the table (NVFP4 or FP8 weights, FP8 KV cache).
AICONFIGURATOR_QUANT = {
    "fp8": {"gemm_quant_mode": "fp8", "moe_quant_mode": "fp8", "kvcache_quant_mode": "fp8"},
    "fp4": {"gemm_quant_mode": "nvfp4", "moe_quant_mode": "nvfp4", "kvcache_quant_mode": "fp8"},
}


def _engine():
    try:
        import logging
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from aiconfigurator_core.sdk.engine import EngineHandle
        logging.getLogger("aiconfigurator_core").setLevel(logging.ERROR)
    except ImportError:
        raise InputError("peer estimates need the optional package aiconfigurator-core: "
                         "pip install 'siliconomics[measured]'") from None
    return EngineHandle


def aiconfigurator_rows() -> list[dict]:
    """Every compared row: published, siliconomics' and aiconfigurator's output tokens/s.

    Returns
    -------
    list of dict
        ``id`` (the case's), ``published``, ``siliconomics``, ``aiconfigurator``, ``batch``
        (the most sequences of the replica at once), ``requests`` and the two relative errors.
    """
    import contextlib
    import io

    from ..workloads.serving.batching import offline_waves
    from . import serving

    engine = _engine()
    handles = {}  # one compiled engine per column of the table
    rows = []
    for pt in serving.points():
        model, acc, tp, dp, prec = (pt[k] for k in ("model", "accelerator", "tp", "dp",
                                                     "precision"))
        if model not in AICONFIGURATOR_MODELS or acc not in AICONFIGURATOR_SYSTEMS:
            continue
        column = (model, acc, tp, dp, prec)
        if column not in handles:
            layout = ({} if dp == 1 else
                      {"attention_dp_size": dp, "moe_tp_size": 1, "moe_ep_size": dp})
            with contextlib.redirect_stdout(io.StringIO()), \
                    contextlib.redirect_stderr(io.StringIO()):
                handles[column] = engine.compile(
                    AICONFIGURATOR_MODELS[model], AICONFIGURATOR_SYSTEMS[acc], "trtllm",
                    tp_size=tp, **layout, **AICONFIGURATOR_QUANT[prec])
        p, o, requests, pub = pt["input"], pt["output"], pt["requests"], pt["published"]
        _, b = serving.served(model, acc, tp, prec, p, o, dp=dp,
                              moe_dispatch=serving.TRTLLM_DISPATCH, **serving.engine_limits(pt))
        seconds = 0.0
        for size, count in offline_waves(requests, b):
            per_rank = max(int(round(size / dp)), 1)
            total_ms = handles[column].run_static(batch_size=per_rank, isl=p, osl=o)[2]
            seconds += count * total_ms / 1e3 * size / (per_rank * dp)
        peer = requests * o / seconds
        ours = serving.table_predicted(pt)
        rows.append({"id": f"serving.{pt['id']}", "published": pub, "siliconomics": float(ours),
                     "aiconfigurator": float(peer), "batch": int(b), "requests": requests,
                     "siliconomics_error": ours / pub - 1.0,
                     "aiconfigurator_error": peer / pub - 1.0})
    return rows


def summarize(rows: list[dict], tolerance: float = 0.25) -> dict:
    """Each estimator's rows within ``tolerance``, and its mean and median absolute error."""
    import numpy as np

    out = {}
    for name in ("siliconomics", "aiconfigurator"):
        err = np.abs([r[f"{name}_error"] for r in rows])
        out[name] = {"rows": len(rows), "within": int((err <= tolerance).sum()),
                     "mean": float(err.mean()) if len(err) else 0.0,
                     "median": float(np.median(err)) if len(err) else 0.0}
    return out
