"""Training: scaling laws, step-time model, reliability and the run estimate, by hand."""

import math

import numpy as np
import pytest

from siliconomics import catalog
from siliconomics.errors import InputError
from siliconomics.workloads import parallelism, reliability, scaling, training
from siliconomics.workloads.parallelism import Layout


# --- scaling ----------------------------------------------------------------------------------
def test_compute_optimal_satisfies_budget_and_is_optimal():
    c = 1e24
    r = scaling.compute_optimal(c, fit="hoffmann")
    assert 6 * r["params"] * r["tokens"] == pytest.approx(c)
    # moving along C = 6ND in either direction never lowers the loss
    for f in (0.8, 1.25):
        n = r["params"] * f
        assert scaling.loss(n, c / (6 * n), fit="hoffmann") >= r["loss"]


def test_loss_fit_constants_by_hand():
    f = scaling.FITS["hoffmann"]
    assert scaling.loss(1e9, 1e10, fit="hoffmann") == pytest.approx(
        1.69 + 406.4 / 1e9**0.34 + 410.7 / 1e10**0.28)
    assert f.alpha == 0.34
    with pytest.raises(InputError, match="did you mean 'hoffmann'"):
        scaling.loss(1e9, 1e10, fit="hofman")


# --- reliability ------------------------------------------------------------------------------
def test_young_closed_form_and_daly_optimum():
    d, m = 60.0, 10_000.0
    assert reliability.young_interval(d, m) == pytest.approx(math.sqrt(2 * d * m))
    tau = reliability.daly_interval(d, m)
    grid = np.linspace(0.3 * tau, 3 * tau, 2001)
    best = grid[np.argmax(reliability.goodput(grid, d, 300.0, m))]
    assert best == pytest.approx(tau, rel=0.02)  # Daly's estimate is the numerical optimum


def test_goodput_by_hand():
    tau, d, r, m = 600.0, 60.0, 900.0, 11_160.0
    expect = 1 / (m / tau * math.exp(r / m) * (math.exp((tau + d) / m) - 1))
    assert reliability.goodput(tau, d, r, m) == pytest.approx(expect)
    # no failures in sight: only the checkpoint overhead remains
    assert reliability.goodput(600.0, 60.0, 0.0, 1e12) == pytest.approx(600 / 660, rel=1e-6)


def test_llama3_failure_rate_reproduces_interruptions():
    rate = catalog.assumption("failure-rate-per-accelerator-hour")
    per_day = reliability.optimal_goodput(16_384, rate, 30, 300)["failures_per_day"]
    assert per_day * 54 == pytest.approx(419, rel=0.01)


# --- parallelism ------------------------------------------------------------------------------
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


def test_memory_zero_stages_by_hand():
    hw = parallelism.Hardware("x", 1e15, 1e6, 100, 8, 50)
    base = dict(hardware=hw, global_batch=64, seq_len=1024)
    p = lambda z: parallelism.step_time("llama-3.1-8b", f"tp=1,pp=1,dp=64,zero={z}", **base)
    from siliconomics.workloads.models import Model

    n = Model.from_catalog("llama-3.1-8b").params_total
    assert p(0).memory_gb["states"] == pytest.approx(16 * n / 1e9)
    assert p(3).memory_gb["states"] == pytest.approx(16 * n / 64 / 1e9)
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


def test_out_of_memory_says_by_how_much():
    with pytest.raises(InputError, match=r"GB usable of 80 GB HBM: .* GB over"):
        training.estimate("llama-3.1-405b", accelerator="h100", accelerators=64,
                          layout="tp=8,pp=1,dp=8")


def test_auto_layout_fits_and_beats_a_fixed_one():
    r = parallelism.auto_layout("llama-3.1-70b", 512, "h100", global_batch=512, seq_len=4096)
    assert r.best is not None and r.best.fits and r.feasible > 1
    fixed = parallelism.step_time("llama-3.1-70b", "tp=8,pp=8,dp=8,recompute=full", "h100",
                                  global_batch=512, seq_len=4096)
    assert r.best.step_s <= fixed.step_s


# --- the run ----------------------------------------------------------------------------------
def test_run_arithmetic():
    r = training.estimate("llama-3.1-8b", tokens=1e12, accelerator="h100", accelerators=1024,
                          mfu=0.5, goodput=0.9, price_per_hour=2.0)
    peak = catalog.accelerator("h100").bf16_tflop_per_s * 1e12
    wall_s = r.training_flops / (1024 * peak * 0.5 * 0.9)
    assert r.wall_days == pytest.approx(wall_s / 86400)
    assert r.accelerator_hours == pytest.approx(1024 * wall_s / 3600)
    assert r.rental_cost_usd == pytest.approx(2.0 * r.accelerator_hours)
    assert r.cost_usd == pytest.approx(r.usd_per_accelerator_hour * r.accelerator_hours)
    assert sum(r.breakdown.values()) == pytest.approx(r.cost_usd)
    assert r.tco2e == pytest.approx(r.tco2e_operational + r.tco2e_embodied)
    site = catalog.site("us-texas")
    assert r.tco2e_operational == pytest.approx(r.energy_mwh * site.grid_intensity_kg_per_kwh)


def test_flops_only_run_for_the_labs_model():
    r = training.estimate(training_flop=1e26, accelerator="b200", accelerators=50_000)
    assert r.mfu == catalog.assumption("training-mfu") and r.cost_usd > 0


def test_mixed_fleet_split_vs_lockstep():
    split = training.mixed_fleet({"h100": 100, "b200": 100}, mfu=0.4)
    lock = training.mixed_fleet({"h100": 100, "b200": 100}, mfu=0.4, strategy="lockstep")
    h, b = (catalog.accelerator(x).bf16_tflop_per_s * 1e12 * 0.4 for x in ("h100", "b200"))
    assert split["flop_per_s"] == pytest.approx(100 * (h + b))
    assert lock["flop_per_s"] == pytest.approx(200 * h)
    # in lockstep, adding slower H100s to B200s can lower throughput: its value can be < 0
    assert lock["older_value"]["h100-sxm"] < 0 < split["older_value"]["h100-sxm"]
