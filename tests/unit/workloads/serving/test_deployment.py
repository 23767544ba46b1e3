"""Deployments: catalog values, precisions, unsupported combinations, pass times by hand."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from siliconomics.errors import InputError
from siliconomics.workloads import serving as inf


def _dense():
    return inf.Deployment.create("llama-2-70b", "h200", tp=1, precision="fp8")


def test_catalog_terms_by_precision():
    d = inf.Deployment.create("llama-3.1-8b", "h100", precision="fp8")
    b = inf.Deployment.create("llama-3.1-8b", "h100", precision="bf16")
    e = inf.efficiency("h100")
    assert d.compute_efficiency == e.compute_efficiency_fp8
    assert b.compute_efficiency == e.compute_efficiency
    assert d.kv_bandwidth_efficiency == e.kv_bandwidth_efficiency


def test_accelerator_without_fitted_terms_uses_its_own_or_default():
    d = inf.Deployment.create("llama-3.1-8b", "mi300x", precision="fp8")
    assert d.kv_bandwidth_efficiency == d.bandwidth_efficiency  # no attention term: as weights
    assert d.compute_efficiency == inf.efficiency("mi300x").compute_efficiency_fp8
    assert d.bandwidth_efficiency == inf.efficiency("mi300x").bandwidth_efficiency_fp8


def test_factors_a_table_leaves_out_come_from_default():
    """MI300X's table gives no BF16 per-layer kernel time: the [default] table's applies (not
    zero time), while its own factors (BF16 compute, the roofline exponent) stay."""
    d = inf.Deployment.create("llama-3.1-70b", "mi300x", tp=8, precision="bf16")
    from siliconomics import catalog

    default = catalog.get("serving_efficiency", "default")
    own = inf.efficiency("mi300x")
    assert d.layer_overhead_s == pytest.approx(default.layer_overhead_us * 1e-6)
    assert d.roofline_exponent == own.roofline_exponent != default.roofline_exponent
    assert d.compute_efficiency == own.compute_efficiency != default.compute_efficiency


def test_prefill_single_chunk_by_hand_compute_bound():
    d = _dense()
    p = 4096
    m = d.model
    flops = p * 2 * d.dense_active_params + p * 4 * m.attended(p / 2) * m.attention_width
    t = flops / (d.peak_flop_per_s * d.compute_efficiency)
    over = m.layers * d.layer_overhead_s + d.step_overhead_s
    assert float(d.prefill_s(p)) == pytest.approx(t + over, rel=0.02)


def test_prefill_chunks_beyond_max_num_tokens():
    d = _dense()
    one = float(d.prefill_s(8192))
    assert float(d.prefill_s(8192, 4)) == pytest.approx(4 * float(d.prefill_s(8192, 1)), rel=0.05)
    assert float(d.prefill_s(1024, 8)) < 8 * float(d.prefill_s(1024, 1))  # batched prefill
    assert one > 0


def test_prefix_hits_shorten_prefill():
    base = _dense()
    hit = inf.Deployment.create("llama-2-70b", "h200", tp=1, precision="fp8", prefix_hit_rate=0.5)
    assert float(hit.prefill_s(4096)) < float(base.prefill_s(4096))


def test_speculative_step_costs_more_but_yields_more():
    spec = inf.Deployment.create("llama-3.1-70b", "h100", tp=8, speculative_tokens=3,
                                 acceptance_rate=0.8)
    base = inf.Deployment.create("llama-3.1-70b", "h100", tp=8)
    assert float(spec.decode_step_s(8, 2000)) > float(base.decode_step_s(8, 2000))
    assert float(spec.performance(8, 2000, 500)["tpot_s"]) < \
        float(base.performance(8, 2000, 500)["tpot_s"])


def test_too_big_model_says_by_how_much_and_smallest_tp():
    d = inf.Deployment.create("llama-3.1-405b", "h100", tp=1, precision="fp8")
    with pytest.raises(InputError, match=r"short by [\d.]+ GB.*--tp 8"):
        d.check_fits(2048)


def test_moe_that_needs_servers_suggests_dp():
    d = inf.Deployment.create("deepseek-v3", "h100", tp=8, precision="bf16")
    with pytest.raises(InputError, match=r"--dp \d+"):
        d.check_fits(4096)


def test_unsupported_combinations_one_line():
    with pytest.raises(InputError, match="needs a mixture-of-experts"):
        inf.Deployment.create("llama-3.1-8b", "h100", dp=2)
    with pytest.raises(InputError, match="scale-up domain"):
        inf.Deployment.create("llama-3.1-405b", "h100", tp=16)
    with pytest.raises(InputError, match="speculative_tokens"):
        inf.Deployment.create("llama-3.1-8b", "h100", acceptance_rate=0.5)


def test_tensor_parallelism_must_split_the_heads():
    with pytest.raises(InputError, match=r"does not divide the 64 attention heads.*use --tp 1, 2, 4 or 8$"):
        inf.Deployment.create("llama-3.1-70b", "mi300x", tp=3)
    assert inf.Deployment.create("llama-3.1-70b", "h100", tp=8).tp == 8


def test_kv_heads_live_on_whole_ranks():
    from siliconomics.workloads.models import Model

    m = Model("toy", layers=4, hidden_size=6144, heads=48, kv_heads=6, ffn_size=16384,
              vocab_size=32000)
    assert inf.tp_shape_error(m, 2) == "" and inf.tp_shape_error(m, 12) == ""
    assert "6 KV heads" in inf.tp_shape_error(m, 4)
    assert inf.tp_options("h100", m) == [1, 2]  # 4 and 8 split 48 heads but not 6 KV heads
    assert inf.tp_options("h100") == [1, 2, 4, 8]
    mla = Model.from_catalog("deepseek-v3")  # one latent cache per rank: only heads count
    assert inf.tp_shape_error(mla, 8) == ""


def test_unknown_precision_suggests():
    with pytest.raises(InputError, match="fp8"):
        inf.Deployment.create("llama-3.1-8b", "h100", precision="fp9")


def test_fp8_falls_back_to_bf16_peak_without_fp8_units():
    a100 = inf.Deployment.create("llama-3.1-8b", "a100", precision="fp8")
    assert a100.activation_precision == "bf16"
    assert a100.peak_flop_per_s == pytest.approx(312e12)


def test_whole_nvl72_replica_stays_in_one_domain():
    d = inf.Deployment.create("deepseek-v3", "gb200", tp=1, dp=72)
    assert d.accelerators == 72 and not d.spans_scaleup_domain
    assert d.memory_plan(4096).fits


def test_precision_specific_kernel_terms():
    e = inf.efficiency("b200")
    fp4 = inf.Deployment.create("llama-3.3-70b", "b200", precision="fp4")
    bf16 = inf.Deployment.create("llama-3.3-70b", "b200", precision="bf16")
    assert fp4.bandwidth_efficiency == e.bandwidth_efficiency_fp4
    assert fp4.layer_overhead_s == pytest.approx(e.layer_overhead_us_fp4 * 1e-6)
    assert bf16.layer_overhead_s == pytest.approx(e.layer_overhead_us * 1e-6)
    assert fp4.roofline_exponent == e.roofline_exponent


def test_overrides_win_over_catalog():
    d = inf.Deployment.create("llama-3.1-8b", "h100", compute_efficiency=0.3,
                              layer_overhead_us=0.0, roofline_exponent=3.0)
    assert d.compute_efficiency == 0.3 and d.layer_overhead_s == 0.0
    assert d.roofline_exponent == 3.0
    with pytest.raises(InputError, match="roofline_exponent"):
        inf.Deployment.create("llama-3.1-8b", "h100", roofline_exponent=0.5)


def test_host_time_per_sequence_bounds_the_decode_step_by_hand():
    """GB200's Grace host takes 29.4 us a sequence and step (TensorRT-LLM's measurement): a
    step of 2,048 small-model sequences waits for the host (60.2 ms), one of 64 does not; a
    rank of an attention data-parallel group hosts only its own sequences. Hosts without a
    measurement add nothing."""
    from dataclasses import replace

    from siliconomics.workloads.serving import Deployment

    d = Deployment.create("qwen3-30b-a3b", "gb200", tp=1, precision="fp4")
    assert d.host_s_per_sequence == pytest.approx(29.4e-6)
    gpu = replace(d, host_s_per_sequence=0.0)
    for b in (64.0, 2048.0):
        expected = max(float(gpu.decode_step_s(b, 192)), b * 29.4e-6)
        assert float(d.decode_step_s(b, 192)) == pytest.approx(expected, rel=1e-12)
    assert float(d.decode_step_s(2048.0, 192)) == pytest.approx(2048 * 29.4e-6, rel=1e-12)
    assert float(d.decode_step_s(64.0, 192)) == float(gpu.decode_step_s(64.0, 192))
    dp = Deployment.create("qwen3-235b-a22b", "gb200", tp=1, dp=8, precision="fp4")
    slow = replace(dp, host_s_per_sequence=1.0)
    assert float(slow.decode_step_s(800.0, 192)) == pytest.approx(100.0)  # 100 sequences a rank
    assert Deployment.create("qwen3-30b-a3b", "b200", tp=1, precision="fp4").host_s_per_sequence == 0


@given(st.floats(1, 4096), st.floats(0, 1e-4))
@settings(max_examples=50, deadline=None)
def test_host_time_never_shortens_a_step(batch, host_s):
    """The host term is a floor under the GPU step: it never makes a step shorter, and a
    longer host time never makes it shorter either."""
    from dataclasses import replace

    from siliconomics.workloads.serving import Deployment

    d = replace(Deployment.create("llama-3.1-8b", "h100", tp=1, precision="fp8"),
                host_s_per_sequence=0.0)
    base = float(d.decode_step_s(batch, 1024))
    with_host = float(replace(d, host_s_per_sequence=host_s).decode_step_s(batch, 1024))
    more = float(replace(d, host_s_per_sequence=2 * host_s).decode_step_s(batch, 1024))
    assert base <= with_host <= more


def test_a_set_efficiency_reaches_every_precision_unless_its_own_field_is_set():
    """``--set serving.compute_efficiency`` on an FP8 deployment: the user's value, not the
    catalog's _fp8 field the user never named; a set _fp8 field is more specific and wins."""
    from siliconomics import catalog

    r = catalog.resolve("h100").with_values({"serving.compute_efficiency": 0.3,
                                             "serving.bandwidth_efficiency": 0.5}, layer="--set")
    d = inf.Deployment.create("llama-3.1-8b", r, precision="fp8")
    assert (d.compute_efficiency, d.bandwidth_efficiency) == (0.3, 0.5)
    both = r.with_values({"serving.compute_efficiency_fp8": 0.4}, layer="--set")
    d = inf.Deployment.create("llama-3.1-8b", both, precision="fp8")
    assert (d.compute_efficiency, d.bandwidth_efficiency) == (0.4, 0.5)
    untouched = inf.Deployment.create("llama-3.1-8b", "h100", precision="fp8")
    assert untouched.compute_efficiency == inf.efficiency("h100").compute_efficiency_fp8


@pytest.mark.parametrize("bad", [0, 1.5, float("nan"), True, "8", 10**7])
def test_graph_batches_are_whole_numbers_in_range(bad):
    with pytest.raises(InputError, match="graph_batches"):
        inf.Deployment.create("llama-3.1-8b", "h100", graph_batches=(8, bad))


def test_graph_batches_are_kept_sorted_and_distinct():
    d = inf.Deployment.create("llama-3.1-8b", "h100", graph_batches=(512, 256, 256.0))
    assert d.graph_batches == (256, 512)
