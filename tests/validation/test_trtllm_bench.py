"""trtllm-bench's engine limits for a run that states none (validation.trtllm_bench), and the
TensorRT-LLM 1.0 rows served under them."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from siliconomics.validation import serving, trtllm_bench
from siliconomics.workloads.models import Model

MODELS = st.sampled_from(["llama-3.1-8b", "llama-3.3-70b", "llama-3.1-405b", "qwen3-30b-a3b",
                          "llama-4-scout", "qwen3-235b-a22b"])
LENGTHS = st.integers(1, 32_000)


def test_a_worked_run_follows_the_tools_arithmetic():
    # Llama 3.3 70B in FP8 on one H200 (141 GiB) at 500/2,000 tokens, KV share 0.95:
    # 80 layers x 8 KV heads x 128 x 2 bytes = 160 KiB a token, 2,500 tokens a request
    m = Model.from_catalog("llama-3.3-70b")
    cache = (141 - m.params_total / 2**30) * 0.95
    requests = cache / (2 * 80 * 8 * 128 / 2**30 * 2500)
    assert 160 < requests < 192  # below 256: rounded up to a multiple of 32
    assert trtllm_bench.settings(m, 141, 1, "fp8", 500, 2000) == (
        32 * math.ceil(requests / 32), 2048)  # raw tokens under 2,048: the floor


@settings(max_examples=80, deadline=None)
@given(MODELS, st.sampled_from([1, 2, 4, 8]), st.sampled_from(["fp8", "fp4"]), LENGTHS,
       LENGTHS)
def test_limits_are_rounded_as_the_tool_rounds_them(model, gpus, precision, isl, osl):
    m = Model.from_catalog(model)
    if gpus * 80 <= trtllm_bench.checkpoint_elements(m, precision) / 2**30:
        return  # the tool refuses a checkpoint larger than the GPUs
    batch, tokens = trtllm_bench.settings(m, 80, gpus, precision, isl, osl)
    assert 64 <= batch <= 4096
    assert batch % (32 if batch <= 256 else 128 if batch <= 1024 else 256) == 0
    assert tokens >= isl + batch and tokens >= 2048  # chunked prefill off: a whole prompt fits
    graphs = trtllm_bench.graph_batches(batch, tokens)
    assert graphs[-1] == min(batch, tokens)
    assert set(graphs) <= set(trtllm_bench.GRAPH_BATCHES) | {graphs[-1]}


@settings(max_examples=60, deadline=None)
@given(MODELS, LENGTHS, LENGTHS, st.integers(1, 4000))
def test_more_memory_or_shorter_requests_never_lower_the_batch_limit(model, isl, osl, extra):
    m = Model.from_catalog(model)
    base = trtllm_bench.settings(m, 141, 8, "fp8", isl, osl)[0]
    assert trtllm_bench.settings(m, 180, 8, "fp8", isl, osl)[0] >= base
    assert trtllm_bench.settings(m, 141, 8, "fp8", isl + extra, osl)[0] <= base


def test_a_checkpoint_larger_than_the_gpus_is_refused_as_the_tool_refuses_it():
    from siliconomics.errors import InputError

    with pytest.raises(InputError, match="use more GPUs"):
        trtllm_bench.settings(Model.from_catalog("llama-3.1-405b"), 80, 1, "fp8", 128, 128)


def test_every_row_of_the_table_is_served_under_its_limits():
    for pt in serving.points():
        e = pt["engine"]
        d, b = serving.served(pt["model"], pt["accelerator"], pt["tp"], pt["precision"],
                              pt["input"], pt["output"], dp=pt["dp"],
                              moe_dispatch=serving.TRTLLM_DISPATCH, **serving.engine_limits(pt))
        assert b <= e["max_batch_size"] * pt["dp"]
        assert d.graph_batches == e["graph_batches"]
        assert serving.table_predicted(pt) > 0


def test_rows_of_releases_the_tool_did_not_limit_are_served_as_before():
    # TensorRT-LLM 0.13's A100 rows carry no engine limits: plain predicted
    pt = serving.a100_points()[0]
    assert "engine" not in pt
    assert serving.table_predicted(pt) == pytest.approx(serving.predicted(
        pt["model"], pt["accelerator"], pt["tp"], pt["precision"], pt["input"], pt["output"],
        dp=pt["dp"], moe_dispatch=serving.TRTLLM_DISPATCH, requests=pt["requests"]))


def test_an_mla_model_is_sized_at_the_head_size_its_config_implies():
    # DeepSeek's config.json states 128 KV heads and no head_dim, so the tool takes
    # hidden / heads = 56 for the head size: 2 x 61 x 128 x 56 bytes of FP8 KV a token
    m = Model.from_catalog("deepseek-r1")
    per_token = 2 * 61 * 128 * 56 / 2**30
    engine = trtllm_bench.checkpoint_elements(m, "fp4") * 0.5 / 2**30
    requests = (4 * 178 - engine) * 0.95 / (per_token * 2048)
    batch, _ = trtllm_bench.settings(m, 178, 4, "fp4", 1024, 1024)
    assert batch == 128 * math.ceil(requests / 128)  # 256 to 1,024: multiples of 128
