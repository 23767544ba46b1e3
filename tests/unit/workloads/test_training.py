"""Training: the run estimate by hand, out-of-memory layouts, FLOP-only runs, mixed fleets."""

import pytest

from siliconomics import catalog
from siliconomics.errors import InputError
from siliconomics.workloads import training


def test_out_of_memory_says_by_how_much():
    with pytest.raises(InputError, match=r"GB usable of 80 GB HBM: .* GB over"):
        training.estimate("llama-3.1-405b", accelerator="h100", accelerators=128,
                          layout="tp=8,pp=1,dp=16")


@pytest.mark.parametrize("layout", [None, "auto"])
def test_a_cluster_too_small_for_the_model_states_is_refused(layout):
    # 405e9 parameters x 16 bytes = 6.5 TB; 81 x 80 GB = 6.48 TB < 6.49 TB <= 82 x 80 GB
    with pytest.raises(InputError, match="use at least 82 accelerators"):
        training.estimate("llama-3.1-405b", accelerator="h100", accelerators=81, layout=layout)
    assert training.estimate("llama-3.1-405b", accelerator="h100", accelerators=82,
                             mfu=0.4).wall_days > 0


def test_tokens_and_training_flop_conflict():
    with pytest.raises(InputError, match="not both"):
        training.estimate("llama-3.1-8b", 1e12, training_flop=1e24)


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


def test_run_hours_closed_form():
    # C / (N P mfu g) seconds: 3.6e21 / (100 * 1e15 * 0.5 * 0.8) = 9e4 s = 25 h
    assert training.run_hours(3.6e21, 100, 1e15, 0.5, 0.8) == pytest.approx(25.0)
    assert training.run_hours([3.6e21, 7.2e21], 100, 1e15, 0.5, 0.8).tolist() == pytest.approx(
        [25.0, 50.0])
    with pytest.raises(InputError, match="mfu must be in \\(0, 1\\], got 0"):
        training.run_hours(1e21, 100, 1e15, 0.0)
    with pytest.raises(InputError, match="goodput must be in \\(0, 1\\], got 1.2"):
        training.run_hours(1e21, 100, 1e15, 0.4, 1.2)
