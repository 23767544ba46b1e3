"""Training: the run estimate by hand, out-of-memory layouts, FLOP-only runs, mixed fleets."""

import pytest

from siliconomics import catalog
from siliconomics.errors import InputError, ModelWarning
from siliconomics.workloads import training


def test_out_of_memory_says_by_how_much():
    # an "80 GB" H100 holds 80 GiB, 85.9 GB
    with pytest.raises(InputError, match=r"GB usable of 85.9 GB HBM: .* GB over"):
        training.estimate("llama-3.1-405b", accelerator="h100", accelerators=128,
                          layout="tp=8,pp=1,dp=16")


@pytest.mark.parametrize("layout", [None, "auto"])
def test_a_cluster_too_small_for_the_model_states_is_refused(layout):
    # 405e9 parameters x 16 bytes = 6.49 TB; 75 x 80 GiB = 6.44 TB < 6.49 TB <= 76 x 80 GiB
    with pytest.raises(InputError, match="use at least 76 accelerators"):
        training.estimate("llama-3.1-405b", accelerator="h100", accelerators=75, layout=layout)
    assert training.estimate("llama-3.1-405b", accelerator="h100", accelerators=76,
                             mfu=0.4).wall_days > 0


def test_a_batch_shorter_than_one_sequence_is_refused_and_a_long_sequence_warned():
    with pytest.raises(InputError, match="global batch of 16,777,216 tokens is shorter than one "
                                         "sequence of 20,000,000 tokens"), \
            pytest.warns(ModelWarning, match="context window"):
        training.estimate("llama-3.1-8b", accelerator="h100", accelerators=1024,
                          seq_len=20_000_000)
    with pytest.warns(ModelWarning, match="beyond llama-3.1-8b's context window of 131,072"):
        r = training.estimate("llama-3.1-8b", accelerator="h100", accelerators=1024,
                              seq_len=262_144, global_batch_tokens=2**25)
    assert r.seq_len == 262_144


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


def test_embodied_emissions_default_to_the_bill_of_materials_or_take_a_given_footprint():
    from siliconomics.silicon import bom

    kw = dict(training_flop=1e25, accelerator="h100", accelerators=1024, mfu=0.4)
    r = training.estimate(**kw)
    life_h = catalog.financing("hyperscaler").accelerator_life_years * 8766.0
    share = r.accelerator_hours / life_h
    assert r.tco2e_embodied == pytest.approx(bom.chip_cost("h100").embodied_kgco2e / 1000 * share)
    given = training.estimate(**kw, embodied_kgco2e=1500.0)
    assert given.tco2e_embodied == pytest.approx(1.5 * share)
    assert given.tco2e_operational == r.tco2e_operational and given.cost_usd == r.cost_usd
    with pytest.raises(InputError, match="embodied_kgco2e"):
        training.estimate(**kw, embodied_kgco2e=-1.0)


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


def test_default_sequence_is_the_published_training_sequence():
    """DeepSeek-V3 pre-trained on 4K sequences: its FLOPs use 4,096, not min(context, 8192)."""
    from siliconomics.workloads.models import Model

    r = training.estimate("deepseek-v3", tokens=1e12, accelerator="h800", accelerators=2048,
                          mfu=0.3)
    m = Model.from_catalog("deepseek-v3")
    assert r.seq_len == 4096
    assert r.training_flops == pytest.approx(m.training_flops(1e12, context=4096))
    longer = training.estimate("deepseek-v3", tokens=1e12, accelerator="h800",
                               accelerators=2048, mfu=0.3, seq_len=8192)
    assert longer.training_flops > r.training_flops


def test_mfu_is_predicted_unless_the_flat_default_is_asked_for():
    kw = dict(accelerator="h100", accelerators=1024)
    r = training.estimate("llama-3.1-70b", **kw)
    assert r.mfu_source == "predicted from the best layout found" and r.layout
    assert r.mfu == pytest.approx(r.step["mfu"])
    flat = training.estimate("llama-3.1-70b", mfu="default", **kw)
    assert flat.mfu == 0.4 and flat.layout is None
    with pytest.raises(InputError, match="'default'"):
        training.estimate("llama-3.1-70b", mfu="fast", **kw)


def test_a_predicted_mfu_carries_the_measured_error_of_such_predictions():
    """The interval is the prediction times the catalog's training-mfu-error range (realised
    over predicted MFU on held-out published layouts); a given or flat MFU has none."""
    kw = dict(accelerator="h100", accelerators=1024)
    r = training.estimate("llama-3.1-70b", **kw)
    err = catalog.resolve("h100").value("assumptions.training-mfu-error")
    assert r.mfu_interval == pytest.approx((r.mfu * err.low, r.mfu * err.high))
    assert r.mfu_interval[0] < r.mfu < r.mfu_interval[1]
    assert r.to_dict()["mfu_interval"] == pytest.approx(list(r.mfu_interval))
    for given in (0.4, "default"):
        assert training.estimate("llama-3.1-70b", mfu=given, **kw).mfu_interval is None


def test_mixed_run_paces_groups_by_speed_and_prices_the_mix():
    r = training.mixed_run({"h100": 1024, "b200": 1024}, "llama-3.1-70b")
    g = r["groups"]
    assert g["b200"]["batch_share"] > g["h100-sxm"]["batch_share"]
    assert sum(x["batch_share"] for x in g.values()) == pytest.approx(1.0)
    assert r["faster_alone"]["accelerator"] == "b200"
    # adding H100s to the B200s shortens the run, at a higher total cost
    assert r["vs_faster_alone"] < 0 and r["cost_usd"] > r["faster_alone"]["cost_usd"]
    hours = sum(x["accelerators"] for x in g.values()) * r["wall_days"] * 24
    assert r["accelerator_hours"] == pytest.approx(hours)
    assert r["penalty_s_per_step"] > 0
    with pytest.raises(InputError, match="twice"):
        training.mixed_run({"h100": 8, "h100-sxm": 8})


def test_goodput_options_at_scale():
    kw = dict(accelerator="h100", accelerators=400_000, mfu=0.4)
    base = training.estimate("llama-3.1-405b", **kw)
    better = training.estimate("llama-3.1-405b", checkpointing="in-memory", recovery="replica",
                               **kw)
    assert base.goodput < better.goodput < 1
    assert base.reliability["failures_per_day"] == pytest.approx(
        better.reliability["failures_per_day"])
    with pytest.raises(InputError, match="checkpointing"):
        training.estimate("llama-3.1-405b", checkpointing="never", **kw)


@pytest.mark.filterwarnings("ignore::siliconomics.units.UnitWarning")  # beyond the catalog range
def test_a_run_failures_leave_no_time_is_refused_and_one_barely_moving_warned():
    """At 1e-3 failures per accelerator-hour, 100,000 H100 are interrupted 2,400 times a day:
    restarting from checkpoints the run barely moves (a warning, with what would help);
    dropping replicas instead, every replica is down more than all the time (an error, which
    suggests only what is not already used)."""
    kw = dict(accelerator="h100", accelerators=100_000, mfu=0.4,
              set={"assumptions.failure-rate-per-accelerator-hour": 1e-3})
    with pytest.warns(ModelWarning, match="2,400 times a day.*use in-memory checkpointing, "
                                          "replica recovery, fewer accelerators"):
        slow = training.estimate("llama-3.1-405b", **kw)
    assert 0 < slow.goodput < training.LOW_GOODPUT
    with pytest.raises(InputError, match="makes no progress.*2,400 times a day.*; use fewer "
                                         "accelerators or a lower failure rate$"):
        training.estimate("llama-3.1-405b", checkpointing="in-memory", recovery="replica", **kw)


def test_a_set_value_reaches_the_energy_emissions_and_totals_computed_when_read():
    """The energy, emissions and cluster totals a run computes when first read take the
    values the run was given (``set``, as ``--set`` passes them), not the catalog's: a higher
    PUE raises the run's energy, its operational emissions and the facility's power in
    proportion and leaves the IT load, the capex and the embodied share alone; a build cost
    moves the capex by the facility's; a grid's intensity moves the operational emissions
    alone."""
    base = training.estimate(training_flop=1e24, accelerator="h100", accelerators=1024,
                             mfu=0.4)
    pue = base.hour_cost.resolved["site.pue"]
    hot = training.estimate(training_flop=1e24, accelerator="h100", accelerators=1024,
                            mfu=0.4, set={"site.pue": pue * 1.5})
    assert hot.energy_mwh == pytest.approx(1.5 * base.energy_mwh, rel=1e-12)
    assert hot.tco2e_operational == pytest.approx(1.5 * base.tco2e_operational, rel=1e-12)
    assert hot.tco2e_embodied == pytest.approx(base.tco2e_embodied, rel=1e-12)
    assert hot.hour_cost.facility_mw == pytest.approx(1.5 * base.hour_cost.facility_mw, rel=1e-12)
    assert hot.hour_cost.critical_it_mw == base.hour_cost.critical_it_mw
    # the facility's build cost is per MW of critical IT load, which the PUE leaves alone
    assert hot.hour_cost.capex_usd == base.hour_cost.capex_usd
    build = base.hour_cost.resolved["site.build_cost_usd_per_mw"]
    dear = training.estimate(training_flop=1e24, accelerator="h100", accelerators=1024,
                             mfu=0.4, set={"site.build_cost_usd_per_mw": 2 * build})
    facility = base.hour_cost.critical_it_mw * build
    assert dear.hour_cost.capex_usd == pytest.approx(base.hour_cost.capex_usd + facility,
                                                     rel=1e-12)
    grid = base.hour_cost.resolved["site.grid_intensity_kg_per_kwh"]
    dirty = training.estimate(training_flop=1e24, accelerator="h100", accelerators=1024,
                              mfu=0.4, set={"site.grid_intensity_kg_per_kwh": 2 * grid})
    assert dirty.tco2e_operational == pytest.approx(2 * base.tco2e_operational, rel=1e-12)
    assert dirty.energy_mwh == base.energy_mwh and dirty.cost_usd == base.cost_usd
