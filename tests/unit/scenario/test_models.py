"""Scenario models: each adapter's Monte Carlo agrees with its point estimate; the labs band."""

import json

import numpy as np
import pytest

from siliconomics import catalog, tco
from siliconomics.catalog.schema import ASSUMPTION_DOMAINS
from siliconomics.errors import InputError, ScenarioError
from siliconomics.industry import labs
from siliconomics.scenario import Scenario, models
from siliconomics.scenario.models import labs_projection
from siliconomics.uncertainty import montecarlo
from tests.unit.scenario._text import BASE



def test_a_path_reaches_the_answer_under_cost_plus():
    """A scenario value at any path (here memory's price) moves the TCO under cost-plus."""
    text = BASE.format(header='', inputs='pricing = "cost-plus"\n"memory.price_usd_per_gb" = 4')
    r = montecarlo.run(Scenario.from_text(text).plan(samples=256), workers=1)
    cheap = tco.accelerator_hour("h100", pricing="cost-plus", memory_price_usd_per_gb=4)
    assert r.metrics["usd_per_accelerator_hour"].mean == pytest.approx(
        cheap.usd_per_accelerator_hour, rel=1e-12)


def test_training_compute_and_mfu_give_the_run_cost_with_goodput():
    """One training-cost formula: the Monte Carlo matches training.estimate, goodput included."""
    from siliconomics import training

    text = BASE.format(header='model = "training"', inputs='accelerators = 16384\n'
                       'training_flop = "3e25 FLOP"\n"assumptions.training-mfu" = "0.3 to 0.45"')
    r = montecarlo.run(Scenario.from_text(text).plan(), workers=1)
    s = r.metrics["cost_usd"].summary()
    at = {m: training.estimate(training_flop=3e25, accelerator="h100", accelerators=16384,
                               mfu=m).cost_usd for m in (0.3, 0.45)}
    assert s["p95"] == pytest.approx(at[0.3], rel=0.02)
    assert s["p5"] == pytest.approx(at[0.45], rel=0.02)
    assert training.estimate(training_flop=3e25, accelerator="h100", accelerators=16384,
                             mfu=0.3).goodput < 1


def test_training_model_without_uncertainty_is_the_training_estimate():
    from siliconomics.workloads import training

    sc = Scenario.from_text('[scenario]\nmodel = "training"\nsamples = 10\n[inputs]\n'
                            'model = "llama-3.1-405b"\naccelerators = 16384\n[outputs]\n'
                            'metrics = ["cost_usd", "wall_days", "goodput"]\n')
    r = sc.run(workers=1)
    # a catalog model's MFU is the one predicted for the best layout found, as `train` gives
    point = training.estimate("llama-3.1-405b", accelerator="h100-sxm", accelerators=16_384)
    assert point.mfu_source == "predicted from the best layout found"
    for name in ("cost_usd", "wall_days", "goodput"):
        assert r.metrics[name].mean == pytest.approx(float(getattr(point, name)), rel=1e-12)
    assert r.metrics["cost_usd"].std == pytest.approx(0.0, abs=1e-6 * float(point.cost_usd))


def test_a_catalog_models_mfu_is_sampled_around_its_prediction_by_the_measured_error():
    from siliconomics.workloads import training

    p = models.prepare("training", {"model": "llama-3.1-8b", "accelerators": 1024})
    point = training.estimate("llama-3.1-8b", accelerator="h100-sxm", accelerators=1024)
    err = catalog.resolve("h100").value("assumptions.training-mfu-error")
    s = p.inputs["assumptions.training-mfu"]
    assert s.value == pytest.approx(point.mfu)
    assert (s.low, s.high) == pytest.approx((point.mfu * err.low, point.mfu * err.high))
    assert str(point.layout) in s.source
    # known only by its FLOPs: the flat default; set on the command line: the user's value
    flat = models.prepare("training", {})
    assert flat.inputs["assumptions.training-mfu"].value == 0.40
    r = tco.resolve("h100", "us-texas", model="llama-3.1-8b").with_values(
        {"assumptions.training-mfu": 0.25}, layer="--set")
    locked = models.specs(r, ["assumptions.training-mfu"])
    models._predicted_mfu(r, point, locked)
    assert locked["assumptions.training-mfu"].value == 0.25


def test_chain_model_without_uncertainty_is_the_chain_point_estimate():
    """Every stage of the chain's Monte Carlo at its central values is the point estimate's:
    the training stage's FLOPs, MFU and goodput, the serving fleet's cost of an hour."""
    from siliconomics import chain

    metrics = ", ".join(f'"{m}"' for m in models.CHAIN_OUTPUTS)
    sc = Scenario.from_text('[scenario]\nmodel = "chain"\nsamples = 8\nuncertainty = "none"\n'
                            f'[inputs]\nmodel = "deepseek-v3"\n[outputs]\nmetrics = [{metrics}]\n')
    r = sc.run(workers=1)
    point = chain.evaluate(model="deepseek-v3").to_dict()
    for name in models.CHAIN_OUTPUTS:
        assert r.metrics[name].mean == pytest.approx(point[name], rel=1e-9), name


def test_training_model_samples_mfu_and_failure_rate_from_the_catalog():
    sc = Scenario.from_text('[scenario]\nmodel = "training"\nuncertainty = "catalog"\n'
                            '[inputs]\ntraining_flop = "4e25 FLOP"\n')
    plan = sc.plan(samples=2000)
    assert {"assumptions.training-mfu", "assumptions.failure-rate-per-accelerator-hour",
            "assumptions.checkpoint-write-s", "assumptions.restart-s",
            "accelerator.price_usd"} <= set(plan.names)
    mfu = plan.dists[plan.names.index("assumptions.training-mfu")]
    np.testing.assert_allclose(mfu.ppf([0.05, 0.95]), [0.30, 0.50], rtol=1e-9)


def test_fixed_inputs_applied_once_give_the_same_numbers_as_applying_all_at_once():
    # the block path applies a run's fixed inputs once and keeps them; the model must see
    # bitwise the same inputs as when every value is applied in one go
    sc = Scenario.from_text('[scenario]\nmodel = "training"\nuncertainty = "catalog"\n'
                            '[inputs]\ntraining_flop = "4e25 FLOP"\n'
                            '"assumptions.restart-s" = 600\n')
    plan = sc.plan(samples=3000)
    values = plan.draw(0)
    resolved = plan.evaluate.keywords["resolved"]
    once = resolved.with_values(models._paths_only(values), layer="scenario")
    for _ in range(2):  # the second call takes the kept fixed inputs
        split = models._with_block(resolved, values)
        for path in models._paths_only(values):
            np.testing.assert_array_equal(split[path], once[path])
    assert split["assumptions.restart-s"] == 600


def test_training_blocks_reuse_the_embodied_emissions_unless_a_chip_input_is_sampled():
    from siliconomics.silicon import bom

    models._embodied_kgco2e.cache_clear()
    sc = Scenario.from_text('[scenario]\nmodel = "training"\nuncertainty = "catalog"\n'
                            '[inputs]\ntraining_flop = "4e25 FLOP"\n')
    plan = sc.plan(samples=2000)
    for i in range(2):
        plan.evaluate_block(0)
    assert models._embodied_kgco2e.cache_info().hits >= 1
    resolved = plan.evaluate.keywords["resolved"]
    values = plan.draw(0)
    base, arrays = models._split_block(resolved, values)
    assert "accelerator.price_usd" in arrays  # sampled, and it moves no emissions
    assert models._embodied_kgco2e(base) == bom.chip_cost(
        models._with_block(resolved, values)).embodied_kgco2e
    # a sampled input of the bill of materials reaches the emissions in every block: fewer
    # good dies a wafer, more carbon each
    r = _training_run('pricing = "cost-plus"\n"node.defect_density_per_cm2" = "0.05 to 0.3"\n',
                      ["tco2e"], 4000)
    assert _rises_with(r, "node.defect_density_per_cm2", "tco2e")


def _training_run(inputs: str, metrics: list[str], samples: int):
    """Every sample of a training scenario of 4e25 FLOP with ``inputs`` (TOML lines)."""
    sc = Scenario.from_text('[scenario]\nmodel = "training"\n[inputs]\n'
                            'training_flop = "4e25 FLOP"\n' + inputs
                            + f"[outputs]\nmetrics = {json.dumps(metrics)}\n")
    return montecarlo.run(sc.plan(samples=samples), workers=1, keep_samples=True)


def _rises_with(r, path: str, output: str) -> bool:
    """Whether ``output`` rises with ``path`` (the run's only sampled input) and moves."""
    x, y = r.values[path], r.values[output]
    return bool(np.all(np.diff(y[np.argsort(x)]) >= 0) and y.min() < y.max())


def test_a_training_scenario_takes_the_inputs_of_its_emissions_without_sampling_them_unasked():
    from siliconomics.workloads import training

    text = ('[scenario]\nmodel = "training"\nuncertainty = "catalog"\n'
            '[inputs]\ntraining_flop = "4e25 FLOP"\n')
    cost_only = Scenario.from_text(text).plan(samples=100)
    assert not set(models.EMISSIONS_PATHS) & set(cost_only.names)
    # asked for the emissions, the catalog's ranges of their inputs are sampled too
    emissions = Scenario.from_text(text + '[outputs]\nmetrics = ["cost_usd", "tco2e"]\n')
    sampled = set(emissions.plan(samples=100).names)
    assert {"memory.embodied_kgco2e_per_gb", "site.grid_intensity_kg_per_kwh"} <= sampled
    r = emissions.run(samples=4000, workers=1)
    s = r.metrics["tco2e"].summary()
    assert s["p95"] / s["p5"] > 1.1  # the grid's intensity, 0.33-0.43 in Texas, now reaches it
    r = _training_run('"memory.embodied_kgco2e_per_gb" = "0.1 to 0.4"\n'
                      '"site.grid_intensity_kg_per_kwh" = 0.05\n', ["tco2e", "cost_usd"], 3000)
    assert _rises_with(r, "memory.embodied_kgco2e_per_gb", "tco2e")
    assert np.ptp(r.values["cost_usd"]) == 0  # emissions inputs move no cost
    point = training.estimate(training_flop=4e25, accelerator="h100-sxm", accelerators=16_384,
                              set={"site.grid_intensity_kg_per_kwh": 0.05,
                                   "memory.embodied_kgco2e_per_gb": 0.2})
    assert r.metrics["tco2e"].summary()["p50"] == pytest.approx(point.tco2e, rel=0.01)


def test_a_chip_input_reaches_training_and_serving_under_cost_based_pricing():
    # the error for a chip input at list price says to use cost-based pricing: there it works
    for model, extra in (("training", 'training_flop = "4e25 FLOP"\n'), ("serving", "")):
        text = (f'[scenario]\nmodel = "{model}"\n[inputs]\n{extra}'
                '"node.wafer_price_usd" = "15000 to 25000"\n')
        with pytest.raises(ScenarioError, match='use pricing = "cost-plus"'):
            Scenario.from_text(text).plan(samples=100)
        plan = Scenario.from_text(text + 'pricing = "cost-plus"\n').plan(samples=2000)
        assert "node.wafer_price_usd" in plan.names
        r = montecarlo.run(plan, workers=1, keep_samples=True)
        y = r.values[plan.outputs[0]]
        assert np.corrcoef(r.values["node.wafer_price_usd"], y)[0, 1] > 0.5


@pytest.mark.parametrize("model", ["tco", "training", "serving"])
def test_an_unknown_pricing_rule_is_refused_at_its_line(model):
    text = (f'[scenario]\nmodel = "{model}"\n[inputs]\n'
            + ('training_flop = "4e25 FLOP"\n' if model == "training" else "")
            + 'pricing = "costplus"\n')
    line = text.count("\n")
    with pytest.raises(ScenarioError, match=rf"<scenario>:{line}: inputs.pricing: unknown "
                                            r"pricing rule 'costplus'; did you mean 'cost-plus'"):
        Scenario.from_text(text).plan(samples=100)


def test_serving_model_at_full_utilization_is_the_serving_estimate():
    from siliconomics.workloads import serving as inference

    sc = Scenario.from_text('[scenario]\nmodel = "serving"\nsamples = 10\n[inputs]\n'
                            'utilization = 1.0\naccelerators = 10000\n')
    r = sc.run(workers=1)
    point = inference.estimate("llama-3.1-70b", "h100-sxm", tp=8, batch=64, precision="fp8")
    expected = point.to_dict()["usd_per_million_output_tokens"]
    assert r.metrics["usd_per_million_output_tokens"].mean == pytest.approx(expected, rel=1e-9)


def test_chip_model_without_uncertainty_is_the_chip_cost_and_samples_its_ranges():
    from siliconomics.silicon import bom

    sc = Scenario.from_text('[scenario]\nmodel = "chip"\nsamples = 10\n[inputs]\n'
                            'accelerator = "h100"\n')
    r = sc.run(workers=1)
    assert r.metrics["cost_usd"].mean == pytest.approx(float(bom.chip_cost("h100").total), rel=1e-12)
    plan = Scenario.from_text('[scenario]\nmodel = "chip"\nuncertainty = "catalog"\n'
                              '[inputs]\naccelerator = "h100"\n').plan()
    assert {"node.wafer_price_usd", "node.defect_density_per_cm2",
            "memory.price_usd_per_gb"} <= set(plan.names)
    assert "package.interposer_area_overhead" in plan.names  # sampled: only dies and stacks fit


def test_overrides_and_scenario_file(tmp_path):
    path = tmp_path / "slow.toml"
    path.write_text('[scenario]\nname = "slow"\n[inputs]\nrevenue_growth_per_year = 1.5\n')
    slow = labs_projection([2030], scenario=path).row(2030)
    base = labs.project([2030]).row(2030)
    assert slow["revenue_pool_usd"] < base["revenue_pool_usd"]
    assert slow["viable_labs"] <= base["viable_labs"]
    # keyword overrides win over the file
    assert labs_projection([2030], scenario=path, revenue_growth_per_year=2.5).row(2030)[
        "revenue_pool_usd"] == pytest.approx(base["revenue_pool_usd"])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[inputs]\nrevenue_growht_per_year = 2\n", "did you mean 'revenue_growth_per_year'"),
        ('[inputs]\nrun_cost_growth_per_year = "fast"\n', "run_cost_growth_per_year: cannot read 'fast'"),
        ("[inputs]\nrun_cost_usd = -1\n", "run_cost_usd must be > 0, got -1"),
        ("[inputs]\nrun_cost_growth_per_year = \n", "not valid TOML"),
    ],
)
def test_bad_scenario_files(tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ScenarioError, match=None) as exc:
        labs_projection([2030], scenario=path)
    assert message in str(exc.value)


def test_samples_hit_their_90_percent_intervals():
    """The band draws every parameter from its catalog 90% interval (the standard engine)."""
    from siliconomics.scenario import Scenario

    plan = Scenario(name="labs", samples=20_000, seed=3, model="labs", uncertainty="catalog",
                    inputs={}).plan()
    s = plan.draw(0)
    assert set(s) == set(labs.ranges())
    for name, (lo, hi) in labs.ranges().items():
        q5, q95 = np.percentile(s[name], [5, 95])
        assert q5 == pytest.approx(lo, rel=0.05), name
        assert q95 == pytest.approx(hi, rel=0.05), name


def test_band_is_seeded_and_ordered():
    a = labs_projection([2027, 2031], samples=400, seed=7)
    b = labs_projection([2027, 2031], samples=400, seed=7)
    assert a.rows == b.rows
    for r in a.rows:
        band = r["band"]["viable_labs"]
        assert band["p5"] <= band["p50"] <= band["p95"]


# --- the registry and input specs ----------------------------------------------------------------
def test_registered_models():
    assert {"tco", "chip", "training", "serving", "chain", "labs"} <= set(models.names())
    assert models.names() == sorted(models.MODELS)


def test_unknown_model_and_setting_suggest_the_closest():
    with pytest.raises(InputError, match="unknown model 'tcoo'; did you mean 'tco'"):
        models.prepare("tcoo")
    with pytest.raises(InputError, match="unknown tco model setting 'acelerator'; did you mean "
                                         "'accelerator'"):
        models.prepare("tco", {"acelerator": "h100"})


def test_spec_carries_the_catalog_range_unit_and_domain():
    r = catalog.resolve("h100", "us-texas")
    price = models.spec(r, "accelerator.price_usd")
    v = r.value("accelerator.price_usd")
    assert (price.value, price.low, price.high, price.unit) == (v.value, v.low, v.high, "USD")
    assert price.has_range and not price.locked and price.bounds[1] == 1e13  # the schema bound of USD values
    pue = models.spec(r, "site.pue")
    assert pue.bounds == (1.0, 3.0)  # PUE from 1 to the schema bound 3  # the schema's minimum
    draw = models.spec(r, "assumptions.power-draw-fraction")
    assert draw.bounds == ASSUMPTION_DOMAINS["power-draw-fraction"]
    # counts and design choices are never sampled
    assert not models.spec(r, "system.accelerators").has_range
    assert not models.spec(r, "assumptions.switch-radix").has_range


def test_values_set_on_the_command_line_are_locked():
    with catalog.using(set=["site.pue=1.25"]):
        r = catalog.resolve("h100", "us-texas")
    s = models.spec(r, "site.pue")
    assert s.locked and not s.has_range and s.value == 1.25


def test_specs_skip_paths_the_question_lacks():
    r = catalog.resolve("h100")  # no site
    got = models.specs(r, ["accelerator.price_usd", "site.pue"])
    assert list(got) == ["accelerator.price_usd"]


def test_prepared_tco_evaluates_the_point_estimate_at_its_central_values():
    p = models.prepare("tco", {"accelerator": "h100", "site": "us-texas", "accelerators": 4096})
    central = {k: s.value for k, s in p.inputs.items()}
    out = p.evaluate({k: np.array([v, v]) if isinstance(v, float) else v for k, v in central.items()})
    point = tco.accelerator_hour("h100", "us-texas", accelerators=4096).usd_per_accelerator_hour
    np.testing.assert_allclose(out["usd_per_accelerator_hour"], [point, point], rtol=1e-12)
    assert set(p.default_outputs) <= set(p.outputs)


def test_sites_evaluated_as_one_broadcast_equal_each_site_alone():
    sites = ["us-texas", "malaysia-johor", "finland"]
    both = models.prepare("tco", {"site": sites, "accelerators": 4096})
    rng = np.random.default_rng(0)
    values = {k: s.value * rng.uniform(0.9, 1.1, 1000) if s.has_range else s.value
              for k, s in both.inputs.items()}
    together = both.evaluate(values)
    for site in sites:
        alone = models.prepare("tco", {"site": site, "accelerators": 4096})
        mine = {k.split("@")[0]: v for k, v in values.items()
                if "@" not in k or k.endswith("@" + site)}
        for name, v in alone.evaluate(mine).items():
            np.testing.assert_array_equal(np.broadcast_to(together[f"{name}@{site}"], (1000,)),
                                          np.broadcast_to(v, (1000,)), err_msg=f"{name}@{site}")


@pytest.mark.parametrize("name", ["serving", "chain"])
def test_sampled_serving_efficiencies_are_the_fields_the_deployment_runs_at(name):
    """An FP8 deployment on H100 runs at the catalog's _fp8 efficiencies: those are the inputs
    sampled (the BF16 fields would move nothing), and a lower one raises the token cost."""
    p = models.prepare(name, {})
    assert {"serving.compute_efficiency_fp8", "serving.bandwidth_efficiency_fp8"} <= set(p.inputs)
    assert not {"serving.compute_efficiency", "serving.bandwidth_efficiency"} & set(p.inputs)
    central = {k: s.value for k, s in p.inputs.items()}
    low = dict(central)
    for path in ("serving.compute_efficiency_fp8", "serving.bandwidth_efficiency_fp8"):
        low[path] = np.array([p.inputs[path].low])
    cost = "usd_per_million_output_tokens"
    base = p.evaluate({k: np.array([v]) if isinstance(v, float) else v
                       for k, v in central.items()})[cost]
    assert float(np.ravel(p.evaluate(low)[cost])[0]) > float(np.ravel(base)[0]) * 1.05


def test_bf16_serving_samples_the_bf16_fields():
    p = models.prepare("serving", {"precision": "bf16"})
    assert {"serving.compute_efficiency", "serving.bandwidth_efficiency"} <= set(p.inputs)
    assert "serving.compute_efficiency_fp8" not in p.inputs


def test_an_mfu_set_over_the_catalog_is_the_runs_in_train_and_in_the_monte_carlo(tmp_path):
    """--set assumptions.training-mfu with a catalog model: `train` uses it (it was silently
    ignored for the predicted MFU), and the Monte Carlo keeps it as the central value."""
    from siliconomics.workloads import training

    r = tco.resolve("h100", "us-texas", model="llama-3.1-8b").with_values(
        {"assumptions.training-mfu": 0.25}, layer="--set")
    point = training.estimate(r.entry("model"), None, r, 1024)
    assert point.mfu == 0.25 and "as set (--set)" in point.mfu_source
    assert training.estimate("llama-3.1-8b", accelerators=1024).mfu != 0.25
    p = models.prepare("training", {"model": "llama-3.1-8b", "accelerators": 1024})
    spec = models.specs(r, ["assumptions.training-mfu"])
    models._predicted_mfu(r, point, spec)
    assert spec["assumptions.training-mfu"].value == 0.25
    assert p.inputs["assumptions.training-mfu"].value != 0.25


def test_a_training_samples_goodput_depends_on_its_own_inputs_alone():
    """The hot-spare pool is sized before the run at the point inputs, so a sample's goodput is
    the same whichever block, and whichever other samples, it is drawn with; the pool's share
    (hot-spare-fraction) and the repair time are inputs a scenario can sample."""
    text = ('[scenario]\nmodel = "training"\n[inputs]\naccelerator = "gb200"\n'
            'training_flop = "4e25 FLOP"\naccelerators = 100000\n'
            '"assumptions.failure-rate-per-accelerator-hour" = "1e-5 to 8e-5"\n'
            '"assumptions.repair-hours" = "4 to 168"\n'
            '"assumptions.hot-spare-fraction" = "0.001 to 0.05"\n'
            '[outputs]\nmetrics = ["goodput", "cost_usd"]\n')
    plan = Scenario.from_text(text).plan(samples=4000)
    values = plan.draw(0)
    whole = plan.evaluate(values)["goodput"]
    rate = values["assumptions.failure-rate-per-accelerator-hour"]
    for pick in (np.argsort(rate)[:300], np.argsort(rate)[-300:]):  # calm and stormy blocks
        part = {k: v[pick] if isinstance(v, np.ndarray) and v.shape == rate.shape else v
                for k, v in values.items()}
        assert np.array_equal(plan.evaluate(part)["goodput"], whole[pick])
    r = montecarlo.run(plan, workers=1, keep_samples=True)
    g = r.values["goodput"]
    assert np.all((g > 0) & (g <= 1))
    # at a fixed failure rate, a larger pool never lowers goodput, a longer repair never raises it
    fixed = text.replace('"1e-5 to 8e-5"', "6e-5")
    one = _sampled(fixed.replace('"4 to 168"', "168"), "assumptions.hot-spare-fraction")
    assert _rises_with(one, "assumptions.hot-spare-fraction", "goodput")
    one = _sampled(fixed.replace('"0.001 to 0.05"', "0.001"), "assumptions.repair-hours")
    x, y = one.values["assumptions.repair-hours"], one.values["goodput"]
    assert np.all(np.diff(y[np.argsort(x)]) <= 0) and y.min() < y.max()


def _sampled(text: str, path: str):
    plan = Scenario.from_text(text).plan(samples=2000)
    assert plan.names == (path,)
    return montecarlo.run(plan, workers=1, keep_samples=True)


def test_a_block_computes_the_outputs_a_run_asks_for_and_no_other(monkeypatch):
    """Models compute their outputs when read (models.Outputs): a run of the training cost
    alone makes no pass over its samples for the run's energy and emissions, nor for the
    TCO's cluster totals, and one that asks for them gets them."""
    from siliconomics.datacenter import energy

    reads = []
    emissions = energy.emissions_t
    monkeypatch.setattr(energy, "emissions_t", lambda *a, **k: reads.append(1) or emissions(*a, **k))
    capex = tco.TCOResult.capex_usd.func
    monkeypatch.setattr(tco.TCOResult, "capex_usd", property(lambda self: reads.append(2) or capex(self)))
    text = BASE.format(header='model = "training"\nuncertainty = "catalog"',
                       inputs='accelerators = 4096\ntraining_flop = "1e25 FLOP"')
    sc = Scenario.from_text(text)
    montecarlo.run(sc.plan(samples=5000), workers=1)
    assert reads == []
    r = montecarlo.run(sc.plan(samples=5000, outputs=["cost_usd", "tco2e"]), workers=1)
    assert 1 in reads and 2 not in reads and r.metrics["tco2e"].mean > 0
    reads.clear()
    t = Scenario.from_text(BASE.format(header='uncertainty = "catalog"', inputs=""))
    montecarlo.run(t.plan(samples=5000), workers=1)
    assert reads == []
    montecarlo.run(t.plan(samples=5000, outputs=["capex_usd"]), workers=1)
    assert 2 in reads
    values = models.Outputs({"a": lambda: reads.append(3) or 1.0, "b": lambda: 2.0})
    assert "a" in values and "c" not in values and 3 not in reads and list(values) == ["a", "b"]
    assert values["a"] == values["a"] == 1.0 and reads.count(3) == 1  # computed once
