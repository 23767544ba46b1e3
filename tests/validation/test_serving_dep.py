"""TensorRT-LLM's later performance overview (validation.serving_dep): its selection rule,
its per-GPU units, and the figures its known misses state."""

import pandas as pd
import pytest

from siliconomics import validation
from siliconomics.validation import serving, serving_dep

POINTS = {p["id"]: p for p in serving_dep.points()}


def test_every_row_of_the_catalogs_models_at_the_stated_lengths_is_a_case():
    rows = sum(r is not None for *_, rows in serving_dep.COLUMNS for r in rows)
    assert len(POINTS) == rows == 63
    assert {(p["input"], p["output"]) for p in POINTS.values()} == set(serving_dep.REQUESTS)
    assert not set(POINTS) & {p["id"] for p in serving.points()}  # no id shared with 1.0
    by_id = {c.id: c for c in validation.cases()}
    for pid in POINTS:
        case = by_id[f"serving.{pid}"]
        assert not case.calibration and case.unit == "output tokens/s per GPU"


def test_the_per_gpu_figure_is_the_replicas_rate_over_its_gpus():
    pt = POINTS["qwen3-235b-a22b.h100.dep8.fp8.1024-1024"]
    assert pt["gpus"] == 8 and pt["dp"] == 8 and pt["tp"] == 1
    assert serving_dep.predicted(pt) == pytest.approx(serving.table_predicted(pt) / 8)


def test_known_misses_name_only_rows_outside_the_tolerance():
    for pid, pt in POINTS.items():
        err = serving_dep.predicted(pt) / pt["published"] - 1
        assert (abs(err) > serving.TOLERANCE) == (pid in serving_dep.KNOWN_MISSES), pid


def test_the_long_hopper_maverick_row_agrees_with_the_whole_context_only():
    pt = POINTS["llama-4-maverick.h200.dep8.fp8.1024-32768"]
    chunked = serving_dep.predicted(pt) / pt["published"] - 1
    whole = serving_dep.whole_context_predicted(pt) / pt["published"] - 1
    assert chunked > 0.25 and abs(whole) <= 0.25
    for gpu in ("b200", "gb200"):  # the chunk holds where the kernels support it
        other = POINTS[f"llama-4-maverick.{gpu}.dep4.fp4.1024-32768"]
        assert abs(serving_dep.predicted(other) / other["published"] - 1) <= 0.25


def test_r1_hopper_note_states_the_measured_block_fp8_moe_layers():
    """The note's ratio: measured block-FP8 CUTLASS MoE layers of DeepSeek's shape on H200
    against the model's FP8 MoE layer, at the tokens the rows' DEP8 steps gather."""
    from siliconomics.workloads.serving import Deployment, measured

    path = measured.data_dir() / "h200_sxm/moe/trtllm/1.3.0rc20/moe_perf.parquet"
    df = pd.read_parquet(path)
    x = df[(df.hidden_size == 7168) & (df.inter_size == 2048) & (df.num_experts == 256)
           & (df.topk == 8) & (df.moe_tp_size == 1) & (df.moe_ep_size == 8)
           & (df.distribution == measured.MOE_DISTRIBUTION) & (df.moe_dtype == "fp8_block")]
    d = Deployment.create("deepseek-r1", "h200", tp=1, dp=8, precision="fp8")
    ratios = {}
    for tokens in (512, 3072):
        pt = POINTS[{512: "deepseek-r1.h200.dep8.fp8.1024-32768",
                     3072: "deepseek-r1.h200.dep8.fp8.1024-1024"}[tokens]]
        assert pt["engine"]["max_batch_size"] * 8 == tokens  # the step's gathered tokens
        model = measured.moe_layer_s(
            tokens, 7168, 2048, 256, 8, bytes_per_element=1.0,
            peak_flop_per_s=d.peak_flop_per_s, hbm_bytes_per_s=d.hbm_bytes_per_s,
            compute_efficiency=d.compute_efficiency, bandwidth_efficiency=d.bandwidth_efficiency,
            exponent=d.roofline_exponent, ep=8, fixed_s=d.moe_layer_overhead_s,
            activation_bytes=d.moe_activation_bytes, token_bytes=d.moe_token_bytes)
        measured_s = float(x[x.num_tokens == tokens].latency.iloc[0]) * 1e-3
        ratios[tokens] = measured_s / float(model)
    assert round(ratios[512], 1) == 1.2 and round(ratios[3072], 1) == 1.4
