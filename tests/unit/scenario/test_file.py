"""Scenario files: parsing, catalog priors, overrides, correlations and errors with file:line."""

from pathlib import Path

import numpy as np
import pytest

from siliconomics import catalog, tco
from siliconomics.errors import ScenarioError
from siliconomics.scenario import Scenario
from siliconomics.uncertainty import montecarlo

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

BASE = """
[scenario]
name = "test"
samples = 20000
seed = 3
{header}

[inputs]
accelerator = "h100"
site = "us-texas"
{inputs}
"""


def scenario(inputs="", header="", extra="", path="s.toml"):
    return Scenario.from_text(BASE.format(inputs=inputs, header=header) + extra, path=path)


def test_no_uncertainty_no_distributions_is_the_point_estimate():
    sc = scenario()
    plan = sc.plan()
    assert plan.names == ()
    r = montecarlo.run(plan, workers=1)
    point = tco.accelerator_hour("h100", "us-texas", accelerators=100_000).usd_per_accelerator_hour
    s = r.metrics["usd_per_accelerator_hour"].summary()
    assert s["mean"] == pytest.approx(point, rel=1e-12)
    assert s["std"] == pytest.approx(0.0, abs=1e-12 * point)  # rounding of the block merges


def test_catalog_priors_use_every_catalog_range_as_a_90_percent_interval():
    plan = scenario(header='uncertainty = "catalog"').plan()
    price = catalog.get("accelerators", "h100").value("price_usd")
    d = plan.dists[plan.names.index("accelerator.price_usd")]
    np.testing.assert_allclose(d.ppf([0.05, 0.95]), [price.low, price.high], rtol=1e-12)
    pue = plan.dists[plan.names.index("site.pue")]
    assert pue.ppf(1e-9) >= 1.0  # clipped to the physical domain
    # design choices and counts stay at their catalog value
    assert "assumptions.switch-radix" not in plan.names and "system.accelerators" not in plan.names
    assert len(plan.names) >= 15


def test_monotone_output_quantiles_are_the_outputs_at_the_input_quantiles():
    sc = scenario(inputs='accelerator_price = 1\n'.replace("accelerator_price = 1\n", "")
                  + 'price_usd = "25000 to 40000"', header="samples = 100000".replace("samples", "#"))
    r = sc.run(samples=100_000, workers=1)
    s = r.metrics["usd_per_accelerator_hour"].summary()
    at = {p: tco.accelerator_hour("h100", "us-texas", accelerators=100_000,
                                  price_usd=v).usd_per_accelerator_hour
          for p, v in (("p5", 25_000), ("p95", 40_000))}
    for p in ("p5", "p95"):  # sketch accuracy 0.5% + sampling noise of a 5% quantile (~0.3%)
        assert s[p] == pytest.approx(at[p], rel=0.01)


def test_overrides_of_catalog_fields_by_table_and_units():
    sc = scenario(inputs='', extra='')
    text = BASE.format(header="", inputs="").replace(
        'accelerator = "h100"', 'accelerator.name = "h100"\naccelerator.price_usd = "$25k to $40k"\n'
        'power_price_usd_per_kwh = "5 cent/kWh"')
    sc = Scenario.from_text(text)
    plan = sc.plan()
    assert plan.names == ("accelerator.price_usd",)
    assert plan.constants["site.power_price_usd_per_kwh"] == pytest.approx(0.05)
    np.testing.assert_allclose(plan.dists[0].ppf([0.05, 0.95]), [25_000, 40_000])


def test_a_path_without_effect_says_why():
    """Under list pricing the memory price never reaches the TCO: the file is told so."""
    msg = _error(BASE.format(header="", inputs='"memory.price_usd_per_gb" = 4'))
    assert "memory.price_usd_per_gb does not affect the tco model" in msg
    assert "cost-plus" in msg


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


def test_several_sites_share_common_inputs_and_suffix_their_own():
    sc = Scenario.from_file(EXAMPLES / "tco_texas_vs_johor.toml")
    plan = sc.plan(samples=5000)
    assert "accelerator.price_usd" in plan.names and "site.pue@us-texas" in plan.names
    assert "site.pue@malaysia-johor" in plan.names
    r = montecarlo.run(plan, workers=1)
    assert set(r.metrics) >= {"usd_per_accelerator_hour@us-texas",
                              "usd_per_accelerator_hour@malaysia-johor"}


def _scenario_files():
    """Example files that are Monte Carlo scenarios (other examples feed other commands)."""
    import tomllib

    out = []
    for p in sorted(EXAMPLES.glob("*.toml")):
        data = tomllib.loads(p.read_text())
        if "scenario" in data and set(data) <= {"scenario", "catalog", "inputs", "correlations",
                                                "outputs"}:
            out.append(p.name)
    return out


@pytest.mark.parametrize("example", _scenario_files())
def test_examples_validate_and_run(example):
    sc = Scenario.from_file(EXAMPLES / example)
    r = sc.run(samples=3000, workers=1)
    assert all(a.count == 3000 for a in r.metrics.values())


# --- errors --------------------------------------------------------------------------------

def _error(text, path="bad.toml"):
    with pytest.raises(ScenarioError) as info:
        sc = Scenario.from_text(text, path=path)
        sc.plan()
    msg = str(info.value)
    assert "\n" not in msg
    return msg


def test_malformed_toml_names_the_file_and_line():
    msg = _error('[scenario]\nsamples = 10\nname = "unterminated\n')
    assert msg.startswith("bad.toml: scenario is not valid TOML") and "line 3" in msg


def test_unknown_keys_and_tables_suggest_the_closest():
    msg = _error('[scenario]\nsample = 10\n')
    assert msg.startswith("bad.toml:2: scenario.sample:") and "'samples'" in msg
    msg = _error('[scenario]\n[input]\nx = 1\n')
    assert "input" in msg and "'inputs'" in msg
    msg = _error('[scenario]\n[inputs]\naccelerator = "h100"\npower_price = "0.05 to 0.1"\n')
    assert msg.startswith("bad.toml:4: inputs.power_price:") and "power_price_usd_per_kwh" in msg


def test_bad_distributions_point_at_the_key_and_line():
    msg = _error('[scenario]\n[inputs]\naccelerator = "h100"\n\npue = "1.4 to 1.1"\n')
    assert msg.startswith("bad.toml:5: inputs.pue:") and "low must be <= high" in msg
    msg = _error('[scenario]\n[inputs]\nprice_usd = "lognormal(0, 30000)"\n')
    assert msg.startswith("bad.toml:3: inputs.price_usd:") and "> 0" in msg


def test_zero_samples_is_refused():
    msg = _error('[scenario]\nsamples = 0\n')
    assert msg.startswith("bad.toml:2: scenario.samples:") and "greater than or equal to 1" in msg


def test_unknown_catalog_name():
    msg = _error('[scenario]\n[inputs]\nsite = "texass"\n')
    assert msg.startswith("bad.toml:3: inputs.site:") and "us-texas" in msg


def test_correlations_not_psd_are_refused_with_the_nearest_valid_matrix():
    text = ('[scenario]\nuncertainty = "catalog"\n[inputs]\naccelerator = "h100"\n'
            '[correlations]\n"price_usd, system.host_cost_usd" = 0.9\n'
            '"price_usd, cost_of_capital" = 0.9\n"system.host_cost_usd, cost_of_capital" = -0.9\n')
    msg = _error(text)
    assert msg.startswith("bad.toml:5: correlations:")
    assert "not positive semi-definite" in msg and "nearest valid" in msg


def test_correlations_need_sampled_inputs():
    text = '[scenario]\n[inputs]\naccelerator = "h100"\n[correlations]\n"price_usd, pue" = 0.3\n'
    msg = _error(text)
    assert msg.startswith("bad.toml:5: correlations.price_usd, pue:") and "sampled" in msg


def test_unknown_output_metric():
    msg = _error('[scenario]\n[outputs]\nmetrics = ["usd_per_hour"]\n')
    assert msg.startswith("bad.toml:3: outputs.metrics:") and "usd_per_accelerator_hour" in msg


def test_missing_file():
    with pytest.raises(ScenarioError, match="nope.toml: scenario file not found"):
        Scenario.from_file("nope.toml")


def test_empty_scenario_is_refused():
    with pytest.raises(ScenarioError, match="the scenario is empty"):
        Scenario.from_text("", path="e.toml")


def test_training_model_without_uncertainty_is_the_training_estimate():
    from siliconomics.workloads import training

    sc = Scenario.from_text('[scenario]\nmodel = "training"\nsamples = 10\n[inputs]\n'
                            'model = "llama-3.1-405b"\naccelerators = 16384\n')
    r = sc.run(workers=1)
    point = training.estimate("llama-3.1-405b", accelerator="h100-sxm", accelerators=16_384)
    assert r.metrics["cost_usd"].mean == pytest.approx(float(point.cost_usd), rel=1e-12)
    assert r.metrics["cost_usd"].std == pytest.approx(0.0, abs=1e-6 * float(point.cost_usd))


def test_training_model_samples_mfu_and_failure_rate_from_the_catalog():
    sc = Scenario.from_text('[scenario]\nmodel = "training"\nuncertainty = "catalog"\n'
                            '[inputs]\ntraining_flop = "4e25 FLOP"\n')
    plan = sc.plan(samples=2000)
    assert {"assumptions.training-mfu", "assumptions.failure-rate-per-accelerator-hour",
            "assumptions.checkpoint-write-s", "assumptions.restart-s",
            "accelerator.price_usd"} <= set(plan.names)
    mfu = plan.dists[plan.names.index("assumptions.training-mfu")]
    np.testing.assert_allclose(mfu.ppf([0.05, 0.95]), [0.30, 0.50], rtol=1e-9)


def test_serving_model_at_full_utilization_is_the_serving_estimate():
    from siliconomics.workloads import inference

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


def test_unknown_model_suggests_the_registered_ones():
    msg = _error('[scenario]\nmodel = "trainig"\n')
    assert msg.startswith("bad.toml:2: scenario.model:") and "'training'" in msg
