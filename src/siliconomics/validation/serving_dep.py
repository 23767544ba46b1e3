"""Validation of the serving model on TensorRT-LLM's later performance overview, whose tables
state each run's layout (``DEP n``: attention data parallel over n GPUs, experts over all of
them) and report output tokens per second per GPU.

The page (``docs/source/developer-guide/perf-overview.md`` at commit 03e27c7d) is a later
measurement than the 1.0 table of :mod:`.serving`: other lengths (1,024 to 32,768 tokens in
and out), fewer GPUs for the large MoE models on Blackwell (``DEP4``), DeepSeek-R1 added, and
its MoE options printed as TensorRT-LLM reads them (``enable_attention_dp: true`` at the top
level of ``llm_options.yml``; the 1.0 page nested it where the engine refuses it). Nothing in
the model was fitted to these rows, and one thing was changed while they were examined: the
head size :mod:`.trtllm_bench` takes for an MLA model, corrected to the tool's own rule
(DeepSeek-R1's rows; two moved into the tolerance and one out). The selection rule was fixed
before any row was computed: every row of the catalog's models at the
five lengths whose request counts the page states, on every GPU the catalog has, but
GPT-OSS (its checkpoint's MXFP4 weights are neither of the formats the catalog's kernel
terms measure, and its Hopper columns are labelled FP8). The 1,000/1,000 rows, whose request
count the page does not state, are left out.

Each row is served as :mod:`.serving` serves the 1.0 table: the page's requests queued at
once and run in waves of the largest batch that fits, under the engine limits trtllm-bench
sets for a run that states none (:mod:`.trtllm_bench`), decode steps padded to the page's
CUDA-graph sizes, and a MoE model's tokens all-gathered to every rank's experts and the
outputs reduce-scattered (TensorRT-LLM's CUTLASS MoE on these servers). The page's per-GPU
figure is the replica's output rate over its GPUs. Tolerance +-25% as for the 1.0 rows.
"""

from __future__ import annotations

from . import serving

_COMMIT = "03e27c7d5ff0c6e89f8328838c0a8e64f1b34f9d"
SOURCE = ("NVIDIA TensorRT-LLM, docs/source/developer-guide/perf-overview.md (commit "
          f"{_COMMIT[:8]}), 'Performance Summary - All Networks': output tokens per second "
          "per GPU ('Per GPU Output Throughput' of trtllm-bench throughput, PyTorch backend, "
          "ModelOpt-quantized checkpoints but DeepSeek-R1-0528's own FP8, synthetic requests "
          "of fixed lengths, the layout in each column's heading)")

#: Input/output lengths of the rows used, in the page's order, and the requests of each
#: (its 'Preparing a Dataset' table).
LENGTHS = ((1024, 1024), (1024, 8192), (1024, 32768), (8192, 1024), (32768, 1024))
REQUESTS = {(1024, 1024): 3000, (8192, 1024): 1500, (1024, 8192): 1500, (32768, 1024): 1000,
            (1024, 32768): 1000}

#: Its columns: (model, GPU column, catalog accelerator, tensor parallelism, attention data
#: parallelism, precision, published output tokens/s per GPU in LENGTHS order, None where the
#: page has no row). ``DEP n`` is the model's tp 1, dp n.
COLUMNS = (
    ("deepseek-r1", "B200", "b200", 1, 4, "fp4", (6430, 3862, 1451, 1168, None)),
    ("deepseek-r1", "GB200", "gb200", 1, 4, "fp4", (6924, 4379, 1465, 1192, None)),
    ("deepseek-r1", "H200", "h200", 1, 8, "fp8", (1620, 1218, 438, None, None)),
    ("llama-3.3-70b", "B200", "b200", 1, 1, "fp4", (6842, 3242, None, 1362, 274)),
    ("llama-3.3-70b", "GB200", "gb200", 1, 1, "fp4", (7751, 3805, None, 1491, 302)),
    ("llama-3.3-70b", "H200", "h200", 2, 1, "fp8", (2582, 2009, None, 537, 120)),
    ("llama-3.3-70b", "H100", "h100-sxm", 2, 1, "fp8", (None, None, None, 398, None)),
    ("llama-4-maverick", "B200", "b200", 1, 4, "fp4", (11227, 5174, 2204, 3279, 859)),
    ("llama-4-maverick", "GB200", "gb200", 1, 4, "fp4", (11905, 5508, 2300, 3444, 963)),
    ("llama-4-maverick", "H200", "h200", 1, 8, "fp8", (4180, 1157, 679, 1276, None)),
    ("qwen3-235b-a22b", "B200", "b200", 1, 4, "fp4", (5756, 3389, 1255, 1410, 319)),
    ("qwen3-235b-a22b", "GB200", "gb200", 1, 4, "fp4", (5862, 3423, None, 1464, 333)),
    ("qwen3-235b-a22b", "H200", "h200", 1, 4, "fp8", (3268, 1417, None, 627, 134)),
    ("qwen3-235b-a22b", "H100", "h100-sxm", 1, 8, "fp8", (1935, 873, None, None, None)),
    ("qwen3-30b-a3b", "B200", "b200", 1, 1, "fp4", (26611, 13497, 4494, 5735, 1265)),
    ("qwen3-30b-a3b", "GB200", "gb200", 1, 1, "fp4", (22201, 14272, 4925, 6201, 1380)),
)


def points() -> list[dict]:
    """Every registered row with its setup, as :func:`.serving.points` gives the 1.0 rows
    (``published`` the page's per-GPU figure; ``gpus`` the replica's GPUs)."""
    return [dict(pt, gpus=pt["tp"] * pt["dp"])
            for pt in serving.table_points(COLUMNS, LENGTHS, REQUESTS, dp_label="dep")]


def predicted(pt, model=None) -> float:
    """The model's output tokens/s per GPU of a row (a :func:`points` dict), served as
    :func:`.serving.table_predicted` serves a 1.0 row; ``model`` replaces the catalog's.
    [tokens/s]"""
    return serving.table_predicted(pt, model) / pt["gpus"]


def whole_context_predicted(pt) -> float:
    """:func:`predicted` with the model's chunked-attention layers keeping and reading the
    whole context (:func:`.serving.whole_context_predicted`). [tokens/s]"""
    return serving.whole_context_predicted(pt) / pt["gpus"]


_NOTE = ("Held out: registered after the model, by the selection rule of "
         "validation.serving_dep, and fitted to nothing. " + serving._CATALOG_NOTE)
_R1_NOTE = (" The engine limits of DeepSeek-R1's rows were corrected while these rows were "
            "examined: trtllm-bench's KV estimate reads the head size from config.json, which "
            "for MLA states none, so the tool takes 7,168/128 = 56 (validation.trtllm_bench); "
            "before, the limits took MLA's 128, and 6 of its 11 rows were within the tolerance "
            "against 7 after.")

_CHUNKED_ON_HOPPER = (
    "Llama 4 Maverick on H200 at 1,024/32,768, contexts four times the model's 8,192-token "
    "attention chunk: the chunked model is {err} and keeping and reading the whole context on "
    "the chunked layers gives {whole}, the reading that agrees with the 1.0 table's Hopper "
    "rows at 20,000/2,000 (see serving.llama-4-maverick.h200.dp8.fp8.20000-2000: "
    "TensorRT-LLM's chunked attention applies to context requests, its XQA generation kernels "
    "do not support it, and its 1.0 release notes list a Hopper regression of it). On B200 "
    "and GB200 the chunked model agrees at this length here too (+4%, +12%). The model is not "
    "changed for one GPU generation on these rows.")

_MAVERICK_HOPPER_DECODE = (
    "Llama 4 Maverick on H200 at 1,024/8,192 comes out {err} (the whole context kept and read "
    "on the chunked layers: {whole}; the contexts pass one chunk only near the end), where the "
    "same column agrees at 1,024/1,024 (-1%) and B200 and GB200 at this length (-21%, -24%). "
    "The published rate falls 3.6 times from 1,024 to 8,192 output tokens on H200 against 2.2 "
    "on B200, so the time these rows add is decode attention on Hopper, where TensorRT-LLM's "
    "XQA generation kernels do not support Llama 4's chunked attention and the MMHA kernels "
    "that do are slower (pull request #6306); no timing of those kernels was found, and the "
    "model has no term for them.")

_MAVERICK_LONG_PROMPT = (
    "Llama 4 Maverick at 8,192 prompt tokens and 1,024 out comes out 25-31% below the "
    "published rate on B200, GB200 and H200 alike, where its 1,024/1,024 rows agree (-1% to "
    "-20%) and its 32,768-token prompts too (-2%, +4%). Prefill is 32-42% of the model's time "
    "for these rows: prompts of exactly one attention chunk, one a pass on each attention rank "
    "under trtllm-bench's max_num_tokens (8,960-9,088). Qwen3-235B-A22B at the same length on "
    "the same GPUs agrees (-3% to +7%), so the time is Maverick's own; what the engine does "
    "faster for it (its chunked layers' context kernels, its 128 experts of top-1 routing at "
    "8,192 tokens a pass) is not published.")

_R1_LONG_OUTPUT = (
    "DeepSeek-R1 at 1,024/8,192 on B200 and GB200 comes out 31-37% below the published rate, "
    "where the same columns agree at 1,024/1,024 (-14%, -16%), 8,192/1,024 (+1%, +4%) and "
    "1,024/32,768 (+12%, +15%). trtllm-bench sets 96 sequences per attention rank for this "
    "length (its KV estimate takes DeepSeek's 128 KV heads at the head size its config.json "
    "implies, 7,168/128 = 56, not MLA's compressed cache; validation.trtllm_bench) and the "
    "model serves the row at that batch; a run given its own max_batch_size would not be "
    "bound by it, and the page states none.")

_R1_HOPPER = (
    "DeepSeek-R1-0528 on H200 runs its own FP8 checkpoint, whose weights are block-scaled "
    "(128 x 128), where the catalog's FP8 MoE terms are fitted to per-tensor FP8 MoE layers. "
    "aiconfigurator-core's measured block-FP8 CUTLASS MoE layers of DeepSeek's shape on H200 "
    "(expert parallel 8, power-law routing; systems/data/h200_sxm/moe/trtllm/1.3.0rc20) take "
    "1.2-1.4 times the model's FP8 layer at the 512-3,072 tokens these rows' DEP8 steps "
    "gather (1.08 against 0.77 ms at 3,072), over 58 MoE layers. The model has no block-FP8 "
    "term, so it comes out {err} here; the row at 1,024/8,192 lands within the tolerance "
    "(+16%).")

#: Rows outside the tolerance and why (formatted with the row's errors where marked).
KNOWN_MISSES = {
    "llama-4-maverick.h200.dep8.fp8.1024-8192": _MAVERICK_HOPPER_DECODE,
    "llama-4-maverick.h200.dep8.fp8.1024-32768": _CHUNKED_ON_HOPPER,
    "llama-4-maverick.b200.dep4.fp4.8192-1024": _MAVERICK_LONG_PROMPT,
    "llama-4-maverick.gb200.dep4.fp4.8192-1024": _MAVERICK_LONG_PROMPT,
    "llama-4-maverick.h200.dep8.fp8.8192-1024": _MAVERICK_LONG_PROMPT,
    "deepseek-r1.b200.dep4.fp4.1024-8192": _R1_LONG_OUTPUT,
    "deepseek-r1.gb200.dep4.fp4.1024-8192": _R1_LONG_OUTPUT,
    "deepseek-r1.h200.dep8.fp8.1024-1024": _R1_HOPPER,
    "deepseek-r1.h200.dep8.fp8.1024-32768": _R1_HOPPER,
}


def _known_miss(pt) -> str:
    text = KNOWN_MISSES.get(pt["id"], "")
    if "{" not in text:
        return text
    err = predicted(pt) / pt["published"] - 1.0
    whole = (whole_context_predicted(pt) / pt["published"] - 1.0
             if "{whole}" in text else 0.0)
    return text.format(err=f"{err:+.0%}", whole=f"{whole:+.0%}")


def _register(pt):
    layout = (f"TP{pt['tp']}" if pt["dp"] == 1 else
              f"DEP{pt['dp']} (attention data parallel, experts over all)")
    return serving._serving_case(
        pt["id"], lambda: predicted(pt), known_miss=_known_miss(pt),
        unit="output tokens/s per GPU",
        description=(f"{pt['model']} {pt['precision'].upper()} output tokens/s per GPU, "
                     f"{pt['gpus']} x {pt['gpu']} {layout}, {pt['input']} in / "
                     f"{pt['output']} out, {pt['requests']:,} requests queued at once (in "
                     "waves of the largest batch that fits, under trtllm-bench's engine "
                     "limits)"),
        published=pt["published"], source=SOURCE, justification=serving.JUSTIFICATION,
        note=_NOTE + (_R1_NOTE if pt["model"] == "deepseek-r1" else ""))


for _pt in points():
    _register(_pt)
