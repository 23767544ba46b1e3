"""Parallelism: layouts, the step-time model by hand, memory per ZeRO stage, the layout search."""

from dataclasses import replace

import pytest

from siliconomics.errors import InputError
from siliconomics.workloads import parallelism
from siliconomics.workloads.models import Model
from siliconomics.workloads.parallelism import Layout


def test_layout_parse_roundtrip_and_errors():
    lay = Layout.parse("tp=8,pp=16,dp=128,ep=1,mb=2,zero=2,recompute=full,v=2")
    assert Layout.parse(str(lay)) == lay
    with pytest.raises(InputError, match="unknown layout key 'tq'"):
        Layout.parse("tq=8")
    with pytest.raises(InputError, match="name=value"):
        Layout.parse("tp8")


def test_step_parts_by_hand():
    """No parallelism at all: the step is the compute at the matmul efficiency."""
    hw = parallelism.Hardware("x", 1e15, 1e6, 100, 8, 50, matmul_efficiency=0.5)
    s = parallelism.step_time("llama-3.1-8b", "tp=1,pp=1,dp=1,recompute=none", hardware=hw,
                              global_batch=8, seq_len=1024)
    from siliconomics.workloads.models import Model

    flops = 8 * 1024 * Model.from_catalog("llama-3.1-8b").training_flops_per_token(1024)
    assert s.step_s == pytest.approx(flops / (1e15 * 0.5))
    assert s.mfu == pytest.approx(0.5)
    assert sum(s.parts_s.values()) == pytest.approx(s.step_s)


def test_bubble_and_tp_by_hand():
    hw = parallelism.Hardware("x", 1e15, 1e6, 100, 8, 50, matmul_efficiency=0.5,
                              collective_efficiency=1.0)
    s = parallelism.step_time("gpt-3-175b", "tp=4,pp=4,dp=1,recompute=none", hardware=hw,
                              global_batch=8, seq_len=2048)
    assert s.parts_s["bubble"] == pytest.approx(s.parts_s["compute"] * 3 / 8)
    msg = 1 * 2048 * 12288 * 2.0
    tp = 8 * (96 / 4) * 4 * 2 * 3 / 4 * msg / 100e9
    assert s.parts_s["tp"] == pytest.approx(tp)


def test_fewer_micro_batches_than_stages_leave_the_pipeline_unfilled():
    """Two micro-batches on four stages: interleaving cannot fill the pipeline, so the bubble
    is (p - m) + (m - 1)/v stage times over m, not (p - 1)/(v m)."""
    hw = parallelism.Hardware("x", 1e15, 1e6, 100, 8, 50, matmul_efficiency=0.5)
    kw = dict(hardware=hw, global_batch=2, seq_len=2048)
    for v, share in ((1, 3 / 2), (4, (2 + 1 / 4) / 2)):
        s = parallelism.step_time("gpt-3-175b", f"tp=4,pp=4,dp=1,v={v}", **kw)
        assert s.parts_s["bubble"] == pytest.approx(s.parts_s["compute"] * share)


def test_a_data_parallel_ring_across_servers_pays_nccl_latency_per_step():
    """The same gradients over 256 servers take 255 network steps' latency more than over
    the bandwidth alone, reduce-scatter and all-gather each, in each of Megatron's buckets:
    1.0e9 local parameters make 4 of 2.56e8 (1e6 x 256)."""
    lat = dict(collective_base_s=8.4e-6, collective_step_s=3.4e-6, collective_net_step_s=14e-6)
    slow = parallelism.Hardware("x", 1e15, 1e6, 100, 8, 50, dp_overlap=0.0, **lat)
    fast = parallelism.Hardware("x", 1e15, 1e6, 100, 8, 50, dp_overlap=0.0)
    kw = dict(global_batch=256, seq_len=2048)
    a = parallelism.step_time("llama-3.1-8b", "tp=8,pp=1,dp=256", hardware=slow, **kw)
    b = parallelism.step_time("llama-3.1-8b", "tp=8,pp=1,dp=256", hardware=fast, **kw)
    assert a.parts_s["dp"] - b.parts_s["dp"] == pytest.approx(4 * 2 * (8.4e-6 + 255 * 14e-6))


def test_memory_zero_stages_by_hand():
    hw = parallelism.Hardware("x", 1e15, 1e6, 100, 8, 50)
    base = dict(hardware=hw, global_batch=64, seq_len=1024)
    p = lambda z: parallelism.step_time("llama-3.1-8b", f"tp=1,pp=1,dp=64,zero={z}", **base)
    from siliconomics.workloads.models import Model

    m = Model.from_catalog("llama-3.1-8b")
    n = m.params_total
    layer = (n - m.embedding_params()) / m.layers  # ZeRO-3 gathers the layer it computes
    assert p(0).memory_gb["states"] == pytest.approx(16 * n / 1e9)
    assert p(3).memory_gb["states"] == pytest.approx((16 * n / 64 + 2 * layer * 63 / 64) / 1e9)
    assert p(0).memory_gb["states"] > p(1).memory_gb["states"] > p(2).memory_gb["states"]


@pytest.mark.parametrize(("layout", "message"), [
    ("tp=16,pp=1,dp=64", "exceeds the scale-up domain of 8"),
    ("tp=8,pp=1,dp=64", "uses tp\\*pp\\*dp\\*cp = 512 accelerators, the cluster has 1024"),
    ("tp=8,pp=200,dp=1", "exceeds the 126 layers"),
    ("tp=3,pp=1,dp=1", "does not divide the 128 attention heads"),
])
def test_bad_layouts_say_why(layout, message):
    lay = Layout.parse(layout)
    hw = parallelism.Hardware.from_catalog("h100")
    n = 1024 if "dp=64" in layout and "tp=8" in layout else lay.accelerators
    why = parallelism.check_layout(
        __import__("siliconomics.workloads.models", fromlist=["Model"]).Model.from_catalog(
            "llama-3.1-405b"), lay, n, hw, 2048)
    assert why and __import__("re").search(message, why)


def test_tensor_parallelism_must_divide_the_key_value_groups():
    """Megatron shards grouped-query attention's key/value groups over the tensor-parallel
    ranks: 96 heads split six ways, but 8 key/value groups do not, so neither an explicit
    layout nor the search may use tp=6 for Nemotron-4 340B."""
    m = Model.from_catalog("nemotron-4-340b")
    hw = parallelism.Hardware.from_catalog("h100")
    why = parallelism.check_layout(m, Layout.parse("tp=6,pp=4,dp=4"), 96, hw, 64)
    assert why == ("tp=6 does not divide the 8 key/value heads (grouped-query attention); "
                   "use tp=4")
    found = parallelism.auto_layout(m, 6144, "h100", global_batch=2304, seq_len=4096)
    assert found.best is not None and m.kv_heads % found.best.layout.tp == 0


def test_auto_layout_fits_and_beats_a_fixed_one():
    r = parallelism.auto_layout("llama-3.1-70b", 512, "h100", global_batch=512, seq_len=4096)
    assert r.best is not None and r.best.fits and r.feasible > 1
    fixed = parallelism.step_time("llama-3.1-70b", "tp=8,pp=8,dp=8,recompute=full", "h100",
                                  global_batch=512, seq_len=4096)
    assert r.best.step_s <= fixed.step_s


def test_interleaving_needs_pipeline_stages():
    with pytest.raises(InputError, match="needs pipeline stages"):
        Layout.parse("tp=8,pp=1,dp=4,v=2")


def test_a_layout_that_does_not_fit_says_by_how_much_and_what_fits():
    s = parallelism.step_time("llama-3.1-405b", "tp=8,pp=8,dp=256,v=2,recompute=none", "h100",
                              global_batch=2048, seq_len=8192)
    assert not s.fits
    assert "GB over" in s.reason and "fits with recompute=selective" in s.reason


def test_llama3_published_layout_fits_and_fsdp_is_zero3():
    s = parallelism.step_time("llama-3.1-405b", "tp=8,pp=16,dp=128,v=4,zero=2", "h100",
                              global_batch=2048, seq_len=8192)
    assert s.fits and s.memory_gb["total"] < s.memory_gb["usable"]
    assert Layout.parse("tp=8,dp=4,fsdp=1").zero == 3


def test_fp8_speeds_the_linear_layers_only():
    kw = dict(global_batch=2048, seq_len=8192)
    lay = "tp=8,pp=16,dp=64,v=4,zero=2"
    bf16 = parallelism.step_time("llama-3.1-405b", lay, "h100", **kw)
    fp8 = parallelism.step_time("llama-3.1-405b", lay, "h100", precision="fp8", **kw)
    ratio = bf16.parts_s["compute"] / fp8.parts_s["compute"]
    assert 1.0 < ratio < 2.0


def test_gemm_model_by_hand():
    """A sharp roofline without fixed time: compute-bound at the compute efficiency, and a
    GEMM moving more bytes than its FLOPs cover runs at the bandwidth bound."""
    g = parallelism.GemmModel(0.8, 0.5, 0.0, float("inf"))
    assert g.seconds(8192, 8192, 8192, 1e15, 1e12) == pytest.approx(2 * 8192**3 / 0.8e15)
    nbytes = 2.0 * (8192 * 64 + 64 * 8192 + 8192 * 8192)
    assert g.seconds(8192, 8192, 64, 1e15, 1e12) == pytest.approx(nbytes / 0.5e12)
    assert g.share_of_peak([(8192, 8192, 8192)], 1e15, 1e12) == pytest.approx(0.8)


def test_linear_shapes_split_by_tensor_parallelism():
    from siliconomics.workloads.models import Model

    m = Model.from_catalog("llama-3.1-70b")
    one = parallelism.linear_shapes(m, Layout(tp=1, microbatch=2), 4096)
    eight = parallelism.linear_shapes(m, Layout(tp=8, microbatch=2), 4096)
    assert one[0] == (8192, (64 + 2 * 8) * 128, 8192)  # QKV: tokens, q + k + v width, hidden
    assert one[2] == (8192, 2 * 28672, 8192)  # gated FFN input projection
    assert [s[1] for s in eight] == [one[0][1] // 8, 8192, one[2][1] // 8, 8192]
    assert [s[2] for s in eight] == [8192, 8192 // 8, 8192, 28672 // 8]


def test_narrow_gemms_slow_a_small_model_split_eight_ways():
    """On H100 (measured GEMMs) an 8B model's TP8 layers run further from the peak than its
    unsplit layers, while wide 405B layers keep the calibrated efficiency."""
    from siliconomics.workloads.models import Model

    hw = parallelism.Hardware.from_catalog("h100-sxm")
    assert hw.gemm is not None
    small = Model.from_catalog("llama-3.1-8b")
    tp8, _ = parallelism._efficiencies(small, Layout(tp=8), 8192, hw)
    tp1, _ = parallelism._efficiencies(small, Layout(tp=1), 8192, hw)
    wide, _ = parallelism._efficiencies(Model.from_catalog("llama-3.1-405b"), Layout(tp=8),
                                        8192, hw)
    assert tp8 < tp1 <= hw.matmul_efficiency
    assert wide == pytest.approx(hw.matmul_efficiency, rel=0.01)


def test_flat_efficiency_without_measurements_or_in_fp8():
    assert parallelism.Hardware.from_catalog("h100-sxm", "fp8").gemm is None
    assert parallelism.Hardware.from_catalog("tpu-v5p").gemm is None
    h800 = parallelism.Hardware.from_catalog("h800")
    assert h800.gemm == parallelism.Hardware.from_catalog("h100-sxm").gemm
    hw = parallelism.Hardware("x", 1e15, 80, 100, 8, 50, matmul_efficiency=0.5,
                              hbm_tb_per_s=3.0)
    from siliconomics.workloads.models import Model

    assert parallelism._efficiencies(Model.from_catalog("llama-3.1-8b"), Layout(tp=8), 8192,
                                     hw) == (0.5, 0.5)


# --- torus scale-up, data parallelism across the scale-out network, partial recomputation --

def test_torus_group_bandwidth_by_hand():
    """A group drives the links of the torus dimensions it spans; a switch gives them all."""
    torus = parallelism.Hardware("t", 1e15, 32, 300.0, 4096, 12.5, torus_dims=3)
    assert [torus.group_gb_per_s(g) for g in (1, 2, 16, 17, 256, 257, 4096)] == [
        300.0, 100.0, 100.0, 200.0, 200.0, 300.0, 300.0]
    ring = parallelism.Hardware("r", 1e15, 32, 200.0, 1024, 12.5, torus_dims=2)
    assert ring.group_gb_per_s(32) == 100.0 and ring.group_gb_per_s(64) == 200.0
    switched = parallelism.Hardware("s", 1e15, 80, 450.0, 72, 50.0)
    assert switched.group_gb_per_s(72) == 450.0


def test_catalog_torus_dimensions():
    assert parallelism.Hardware.from_catalog("tpu-v4").torus_dims == 3
    assert parallelism.Hardware.from_catalog("tpu-v3").torus_dims == 2
    assert parallelism.Hardware.from_catalog("h100-sxm").torus_dims == 0


def test_tp_on_torus_by_hand():
    """Tensor parallelism over 4 chips of a 3D torus drives one dimension's two links."""
    hw = parallelism.Hardware("t", 1e15, 1e6, 300.0, 4096, 50, matmul_efficiency=0.5,
                              collective_efficiency=1.0, torus_dims=3)
    s = parallelism.step_time("gpt-3-175b", "tp=4,pp=1,dp=1,recompute=none", hardware=hw,
                              global_batch=8, seq_len=2048)
    msg = 1 * 2048 * 12288 * 2.0
    assert s.parts_s["tp"] == pytest.approx(8 * 96 * 4 * 2 * 3 / 4 * msg / 100e9)


def test_parallel_layers_halve_tp_collectives():
    from dataclasses import replace

    from siliconomics.workloads.models import Model

    hw = parallelism.Hardware("x", 1e15, 1e6, 100, 8, 50)
    serial = Model.from_catalog("gpt-3-175b")
    assert not serial.parallel_layers and Model.from_catalog("palm-540b").parallel_layers
    run = lambda m: parallelism.step_time(m, "tp=8,pp=1,dp=1,recompute=full", hardware=hw,
                                          global_batch=8, seq_len=2048).parts_s["tp"]
    assert run(replace(serial, parallel_layers=True)) == pytest.approx(run(serial) / 2)


def test_dcn_groups_by_hand():
    """Two groups of 4: each reduces over the scale-up links, then exchanges its shard over
    the scale-out network; ZeRO-3 shards (and gathers) within a group only."""
    from siliconomics.workloads.models import Model

    hw = parallelism.Hardware("x", 1e15, 1e6, 100.0, 4, 10.0, collective_efficiency=1.0,
                              dp_overlap=0.0)
    m = Model.from_catalog("llama-3.1-8b")
    grads = m.params_total * 2.0
    lay = Layout.parse("tp=1,dp=8,dcn=2")
    inner, outer = parallelism._data_parallel_s(
        lay, 8, hw, grads, 0.0, lambda g: hw.group_gb_per_s(g) * 1e9, 10e9)
    assert inner == pytest.approx(2 * 3 / 4 * grads / 100e9)
    assert outer == pytest.approx(2 * 1 / 2 * (grads / 4) / 10e9)
    s = parallelism.step_time(m, lay, hardware=hw, global_batch=8, seq_len=1024)
    assert s.parts_s["dp"] == pytest.approx(inner + outer)
    flat = parallelism.step_time(m, "tp=1,dp=8", hardware=hw, global_batch=8, seq_len=1024)
    # one ring over the network, through the four NICs of each domain's four members at once
    assert flat.parts_s["dp"] == pytest.approx(2 * 7 / 8 * grads / (4 * 10e9))
    z = lambda lay: parallelism.step_time(m, lay, hardware=hw, global_batch=8, seq_len=1024)
    assert z("tp=1,dp=8,dcn=2,zero=3").memory_gb["states"] > z("tp=1,dp=8,zero=3").memory_gb[
        "states"]  # sharded over 4, not 8


def test_dcn_and_remat_layouts():
    lay = Layout.parse("tp=12,dp=512,dcn=2,mb=4,zero=3,recompute=full,remat=0.75")
    assert (lay.dcn, lay.remat) == (2, 0.75) and Layout.parse(str(lay)) == lay
    with pytest.raises(InputError, match="dcn=3 must divide dp=8"):
        Layout.parse("dp=8,dcn=3")
    with pytest.raises(InputError, match="give recompute=full"):
        Layout.parse("dp=8,remat=0.5")
    with pytest.raises(InputError, match="remat must be in"):
        Layout.parse("dp=8,recompute=full,remat=1.5")


def test_partial_recomputation_flops_by_hand():
    """PaLM 540B: 3.28 model and 4.10 hardware TFLOPs per token (Chowdhery et al. 2022,
    Table 22) with 75% of the linear layers' and all of the attention's forward redone."""
    hw = parallelism.Hardware.from_catalog("tpu-v4")
    s = parallelism.step_time("palm-540b", "tp=12,dp=512,dcn=2,mb=4,zero=3,recompute=full,"
                              "remat=0.75", hardware=hw, global_batch=2048, seq_len=2048)
    assert s.model_flops_per_step / s.tokens_per_step / 1e12 == pytest.approx(3.28, abs=0.005)
    assert s.hardware_flops_per_step / s.tokens_per_step / 1e12 == pytest.approx(4.10, abs=0.005)
    full = parallelism.step_time("palm-540b", "tp=12,dp=512,dcn=2,mb=4,zero=3,recompute=full",
                                 hardware=hw, global_batch=2048, seq_len=2048)
    assert full.hardware_flops_per_step == pytest.approx(4 / 3 * full.model_flops_per_step)
    assert s.parts_s["compute"] < full.parts_s["compute"]


def test_scaleout_takes_the_systems_own_nic_rate():
    """DGX A100 carries one 200 Gb/s HDR port per GPU (25 GB/s one way), DGX-1 V100 one
    100 Gb/s EDR port per two GPUs; systems without a NIC rate keep the 400 Gb/s default."""
    hw = parallelism.Hardware.from_catalog
    assert hw("a100-sxm4-80gb").scaleout_gb_per_s == pytest.approx(25.0)
    assert hw("v100-sxm2").scaleout_gb_per_s == pytest.approx(12.5 * 4 / 8)
    assert hw("h100-sxm").scaleout_gb_per_s == pytest.approx(50.0)


def test_zero3_gathers_twice_and_reduces_once_every_micro_batch():
    """With nothing hidden, ZeRO-3 moves 1.5 all-reduces a micro-batch (two parameter
    all-gathers and one gradient reduce-scatter), ZeRO-2 one all-reduce a step; each of
    ZeRO-3's collectives is a layer's (FSDP wraps each block), so the rings' latency is paid
    1.5 times a layer and micro-batch, ZeRO-2's once a bucket."""
    import dataclasses

    lat = parallelism.Hardware.from_catalog("h100-sxm")
    hw = dataclasses.replace(lat, dp_overlap=0.0, collective_base_s=0.0, collective_step_s=0.0,
                             collective_net_step_s=0.0)
    kw = dict(global_batch=64, seq_len=4096)

    def dp(layout, h):
        return parallelism.step_time("llama-3.1-70b", layout, hardware=h, **kw).parts_s["dp"]

    z2, z3 = dp("tp=8,pp=1,dp=16,zero=2", hw), dp("tp=8,pp=1,dp=16,zero=3", hw)
    assert z3 == pytest.approx(1.5 * 4 * z2)
    ring = parallelism.ring_latency_s(16, 1, lat)  # 16 servers, one replica each
    with_lat = dataclasses.replace(lat, dp_overlap=0.0)
    assert dp("tp=8,pp=1,dp=16,zero=3", with_lat) - z3 == pytest.approx(1.5 * 4 * 80 * ring)
    # ZeRO-2: 8.8e9 local parameters in buckets of 4e7 (1e6 x 16 is smaller): 221 rings
    assert dp("tp=8,pp=1,dp=16,zero=2", with_lat) - z2 == pytest.approx(221 * ring)


def test_dp_exposure_by_hand():
    # up to ZeRO-2: one all-reduce behind 0.8 of one micro-batch's compute
    assert parallelism.dp_exposed_s(3.0, 10.0, 4, 1, 0.8) == pytest.approx(1.0)
    # ZeRO-3: 1.5 x 4 all-reduces behind 0.8 of the whole step's compute
    assert parallelism.dp_exposed_s(3.0, 10.0, 4, 3, 0.8) == pytest.approx(10.0)
    assert parallelism.dp_exposed_s(1.0, 10.0, 4, 3, 0.8) == 0.0


def test_user_nic_rate_reaches_the_step_time():
    """--set system.scaleout_nic_gb_per_s changes the exposed data-parallel traffic of a
    layout whose gradients cross the scale-out network."""
    from siliconomics import catalog

    lay = "tp=8,pp=1,dp=16,zero=3"
    kw = dict(global_batch=64, seq_len=4096)
    base = parallelism.step_time("llama-3.1-70b", lay, "a100-sxm4-80gb", **kw)
    with catalog.using(set={"system.scaleout_nic_gb_per_s": 200.0}):
        hw = parallelism.Hardware.from_catalog("a100-sxm4-80gb")
        fast = parallelism.step_time("llama-3.1-70b", lay, hardware=hw, **kw)
    assert hw.scaleout_gb_per_s == pytest.approx(200.0)
    assert base.parts_s["dp"] > 0 and fast.parts_s["dp"] < base.parts_s["dp"]


def test_an_accelerators_own_matmul_efficiency_sets_its_compute_time():
    """TPUs carry their own calibrated matmul efficiency (0.69), GPUs the assumption (0.6); the
    compute part scales as its inverse, and a user's --set of either reaches the step."""
    from siliconomics import catalog

    lay, kw = "tp=8,dp=32,zero=3", dict(global_batch=256, seq_len=2048)
    tpu = parallelism.Hardware.from_catalog("tpu-v5p")
    assert tpu.matmul_efficiency == pytest.approx(0.69)
    assert parallelism.Hardware.from_catalog("h100-sxm").matmul_efficiency == pytest.approx(0.6)
    base = parallelism.step_time("llama-3.1-70b", lay, "tpu-v5p", **kw)
    with catalog.using(set={"accelerator.matmul_efficiency": 0.345}):
        hw = parallelism.Hardware.from_catalog("tpu-v5p")
        slow = parallelism.step_time("llama-3.1-70b", lay, hardware=hw, **kw)
    assert hw.matmul_efficiency == pytest.approx(0.345)
    assert slow.parts_s["compute"] == pytest.approx(2 * base.parts_s["compute"], rel=0.05)
    with catalog.using(set={"assumptions.matmul-efficiency": 0.5}):  # TPUs keep their own
        assert parallelism.Hardware.from_catalog("tpu-v5p").matmul_efficiency == 0.69
        assert parallelism.Hardware.from_catalog("h100-sxm").matmul_efficiency == 0.5


def test_user_catalog_gemm_terms_reach_the_step_time(tmp_path):
    """A user's [gemm_efficiency.<slug>] table replaces the measured one in the step model."""
    from siliconomics import catalog

    f = tmp_path / "gemm.toml"
    f.write_text('[gemm_efficiency.h100-sxm]\nname = "slow GEMMs"\nsource = "test"\n'
                 'as_of = "2026"\n'
                 'compute_efficiency = { value = 0.779, source = "test", as_of = "2026" }\n'
                 'bandwidth_efficiency = { value = 0.2, source = "test", as_of = "2026" }\n'
                 'fixed_us = { value = 500.0, source = "test", as_of = "2026" }\n'
                 'roofline_exponent = { value = 2.0, source = "test", as_of = "2026" }\n')
    kw = dict(global_batch=2048, seq_len=8192)
    base = parallelism.step_time("llama-3.1-8b", "tp=8,pp=1,dp=2048", **kw)
    with catalog.using(f):
        assert catalog.get("gemm_efficiency", "h100-sxm").fixed_us == 500.0
        slow = parallelism.step_time("llama-3.1-8b", "tp=8,pp=1,dp=2048",
                                     hardware=parallelism.Hardware.from_catalog("h100-sxm"),
                                     **kw)
    assert slow.parts_s["compute"] > base.parts_s["compute"]


def test_low_precision_linear_layers_keep_the_measured_share_of_their_peak():
    """FP8 (FP4) linear layers run at the matmul efficiency times the measured large-GEMM
    share of their peak over BF16's: 1.58x BF16's speed on H100, not 2x."""
    from siliconomics import catalog

    e = catalog.get("gemm_efficiency", "h100-sxm")
    hw = parallelism.Hardware.from_catalog("h100-sxm", "fp8")
    ratio = e.compute_efficiency_fp8 / e.compute_efficiency
    assert hw.precision_gemm_factor == pytest.approx(ratio)
    assert parallelism.Hardware.from_catalog("h100-sxm", "bf16").precision_gemm_factor == 1.0
    b = catalog.get("gemm_efficiency", "b200")
    assert parallelism.Hardware.from_catalog("b200", "fp4").precision_gemm_factor == pytest.approx(
        b.compute_efficiency_fp4 / b.compute_efficiency)
    # no measured BF16 and FP8 pair: the flat efficiency
    assert parallelism.precision_gemm_factor("mi300x", "fp8") == 1.0
    lay = "tp=4,pp=4,dp=4,recompute=selective"
    bf16 = parallelism.step_time("llama-3.1-70b", lay, "h100-sxm", global_batch=64, seq_len=8192)
    fp8 = parallelism.step_time("llama-3.1-70b", lay, "h100-sxm", global_batch=64, seq_len=8192,
                      precision="fp8")
    flat_hw = replace(parallelism.Hardware.from_catalog("h100-sxm", "fp8"),
                      precision_gemm_factor=1.0)
    flat = parallelism.step_time("llama-3.1-70b", lay, "h100-sxm", global_batch=64, seq_len=8192,
                                 precision="fp8", hardware=flat_hw)
    assert flat.step_s < fp8.step_s < bf16.step_s


def test_user_fp8_gemm_share_reaches_the_step_and_the_run(tmp_path):
    """A --catalog patch of the measured FP8 large-GEMM share reaches FP8 training's step time
    and the run's GPU-hours, and leaves BF16 alone."""
    from siliconomics import catalog
    from siliconomics.workloads import training

    f = tmp_path / "fp8.toml"
    f.write_text('[gemm_efficiency.h100-sxm]\n'
                 'compute_efficiency_fp8 = { value = 0.3, source = "test", as_of = "2026" }\n')
    lay, kw = "tp=4,pp=4,dp=4,recompute=selective", dict(global_batch=64, seq_len=8192)
    run = dict(accelerator="h100-sxm", accelerators=64, layout=lay, precision="fp8",
               tokens=1e12)
    base_step = parallelism.step_time("llama-3.1-70b", lay, precision="fp8", **kw)
    base_bf16 = parallelism.step_time("llama-3.1-70b", lay, **kw)
    base_run = training.estimate("llama-3.1-70b", **run)
    with catalog.using(f):
        slow_step = parallelism.step_time("llama-3.1-70b", lay, precision="fp8", **kw)
        bf16 = parallelism.step_time("llama-3.1-70b", lay, **kw)
        slow_run = training.estimate("llama-3.1-70b", **run)
    assert slow_step.parts_s["compute"] > base_step.parts_s["compute"]
    assert slow_run.accelerator_hours > base_run.accelerator_hours
    assert bf16.step_s == base_bf16.step_s


def test_expert_tensor_parallelism_parses_and_round_trips():
    lay = Layout.parse("tp=2,pp=4,dp=16,ep=32,etp=1")
    assert (lay.etp, lay.expert_tp, lay.expert_dp) == (1, 1, 1)
    assert Layout.parse(str(lay)) == lay and "etp=1" in str(lay)
    assert Layout.parse("tp=2,dp=16,ep=8").expert_tp == 2  # etp defaults to tp
    with pytest.raises(InputError, match="etp must divide tp=4"):
        Layout.parse("tp=4,dp=2,etp=3")


def test_folded_expert_parallelism_spans_the_tensor_parallel_ranks():
    """Megatron-Core's MoE parallel folding (etp=1): EP32 over TP2 x DP16 is a valid layout,
    holds the experts EP16 over DP (with TP-sharded experts) would, and drops the MoE layers'
    tensor-parallel collectives."""
    m = Model.from_catalog("deepseek-v3")
    hw = parallelism.Hardware.from_catalog("gb200")
    assert "must divide" in parallelism.check_layout(
        m, Layout.parse("tp=2,pp=4,dp=16,ep=32"), 128, hw, 1024)
    assert parallelism.check_layout(m, Layout.parse("tp=2,pp=4,dp=16,ep=32,etp=1"), 128, hw,
                                    1024) == ""

    def step(layout):
        return parallelism.step_time(m, layout, "gb200", global_batch=1024, seq_len=4096)

    folded, sharded = step("tp=2,pp=4,dp=16,ep=32,etp=1"), step("tp=2,pp=4,dp=16,ep=16")
    assert folded.memory_gb["states"] == pytest.approx(sharded.memory_gb["states"])
    assert folded.parts_s["tp"] < sharded.parts_s["tp"]
    # etp equal to tp is the default, bit for bit
    assert step("tp=2,pp=4,dp=16,ep=16,etp=2").step_s == sharded.step_s


def test_the_search_tries_experts_folded_over_the_tensor_ranks():
    """With tp > 1 the search also tries routed experts kept whole and spread over the tensor
    ranks too (etp=1), so it looks at more layouts and never finds a slower one. Folding pays
    at NeMo's TP2 for DeepSeek-V3 on 512 GB200: EP64 over the folded ranks (its recipe) is
    faster than the EP32 the unfolded layout allows and about three times faster than EP64 with
    each expert split over the two tensor ranks (the all-to-all then crosses the racks)."""
    kw = dict(global_batch=2048, seq_len=4096)
    found = parallelism.auto_layout("deepseek-v3", 512, "gb200", **kw)
    unfolded = parallelism.auto_layout("deepseek-v3", 512, "gb200", fold_experts=False, **kw)
    assert unfolded.evaluated < found.evaluated
    assert found.best.step_s <= unfolded.best.step_s and unfolded.best.layout.etp == 0

    def step(lay):
        return parallelism.step_time("deepseek-v3", lay + ",zero=1,recompute=selective",
                                     "gb200", **kw).step_s

    folded = step("tp=2,pp=4,dp=64,ep=64,etp=1")
    assert folded < step("tp=2,pp=4,dp=64,ep=32") and 2.5 * folded < step("tp=2,pp=4,dp=64,ep=64")


def test_a_precision_without_a_peak_names_the_ones_the_accelerator_has():
    with pytest.raises(InputError, match="h100-sxm has no dense fp4 peak in the catalog; "
                                         "use bf16 or fp8$"):
        parallelism.Hardware.from_catalog("h100", precision="fp4")


def test_the_loss_bytes_per_logit_follow_from_the_published_cross_entropy_benchmark():
    """apple/ml-cross-entropy's baseline loss on A100-SXM4 80GB (8,192 tokens, vocabulary
    256,000, hidden 2,304): 208.8 ms forward and backward, less its three GEMMs at A100's
    measured GEMM level, over the logits at the HBM peak."""
    from siliconomics import catalog

    tokens, vocab, hidden = 8192, 256_000, 2304
    a100 = catalog.accelerator("a100-sxm4-80gb")
    gemm_s = 3 * 2.0 * tokens * vocab * hidden / (
        float(a100.bf16_tflop_per_s) * 1e12 * parallelism.gemm_model(a100).efficiency)
    per_logit = (208.8e-3 - gemm_s) * float(a100.memory_bandwidth_tb_per_s) * 1e12 / (
        tokens * vocab)
    assert parallelism.LOSS_BYTES_PER_LOGIT == pytest.approx(per_logit, rel=0.01)


def test_the_loss_runs_on_the_last_stage_and_scales_with_the_vocabulary(monkeypatch):
    hw = parallelism.Hardware("x", 1e15, 1e6, 100, 8, 50, matmul_efficiency=0.5,
                              hbm_tb_per_s=2.0)
    m = Model.from_catalog("llama-3.1-8b")

    def step(layout="tp=1,pp=1,dp=1,recompute=none"):
        return parallelism.step_time(m, layout, hardware=hw, global_batch=8,
                                     seq_len=1024).parts_s["compute"]

    loss = 8 * 1024 * parallelism.loss_bytes_per_token(m) / 2e12
    two = "tp=1,pp=2,dp=1,recompute=none,mb=1"
    with_loss = step(), step(two)
    monkeypatch.setattr(parallelism, "LOSS_BYTES_PER_LOGIT", 0.0)
    without = step(), step(two)
    assert with_loss[0] == pytest.approx(without[0] + loss)
    # with two stages the last one carries the whole loss: the pace-setting stage grows by it
    assert with_loss[1] == pytest.approx(without[1] + loss)
