"""Scenario files: parsing, catalog priors, overrides, correlations and errors with file:line."""

from pathlib import Path

import numpy as np
import pytest

from siliconomics import catalog, tco
from siliconomics.errors import ScenarioError
from siliconomics.scenario import Scenario, load
from siliconomics.uncertainty import montecarlo
from tests.unit.scenario._text import BASE

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"



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


def test_a_law_reaching_outside_its_inputs_domain_is_refused_before_sampling():
    """An explicit distribution that reaches values its input cannot take, at the normals the
    sampler draws, is refused at the key with the clip that keeps it inside (else the run
    fails, or not, on the samples a block happens to draw); one inside its domain runs."""
    msg = _error('[scenario]\n[inputs]\naccelerator = "h100"\n'
                 '"assumptions.transceiver-cost-usd" = "normal(100, 300)"\n')
    assert msg.startswith("bad.toml:4: inputs.assumptions.transceiver-cost-usd:")
    assert "below the 0" in msg and "clip(normal(100, 300), 0, _)" in msg
    msg = _error('[scenario]\n[inputs]\naccelerator = "h100"\npue = "uniform(0.9, 1.2)"\n')
    assert "below the 1 site.pue" in msg and "clip(uniform(0.9, 1.2), 1, _)" in msg
    msg = _error('[scenario]\n[inputs]\naccelerator = "h100"\n'
                 'utilization = "normal(0.8, 0.1)"\n')
    assert "above the 1" in msg and "clip(normal(0.8, 0.1), _, 1)" in msg
    msg = _error('[scenario]\n[inputs]\naccelerator = "h100"\nprice_usd = "normal(3e4, 9e3)"\n')
    assert "must be > 0" in msg and "lognormal(low, high)" in msg
    # inside the domain at every normal the sampler draws (|z| <= 5.65): runs
    ok = scenario('"assumptions.transceiver-cost-usd" = "normal(900, 100)"\n'
                  'utilization = "clip(normal(0.8, 0.1), _, 1)"').plan(samples=1000)
    assert set(ok.names) >= {"assumptions.transceiver-cost-usd", "utilization"}


def test_an_interval_has_its_tails_clipped_to_the_domain_as_a_catalog_range_does():
    """"a to b" states a 90% interval and nothing of the tails: they are clipped to the input's
    domain, as a catalog range's are, so a wide interval on a fraction runs (its lognormal
    passes 1 about once in 60,000 draws) and never leaves [0, 1]."""
    sc = scenario('utilization = "0.001 to 0.5"')
    plan = sc.plan(samples=200_000)
    d = plan.dists[plan.names.index("utilization")]
    assert d.ppf(1 - 1e-9) == 1.0 and d.ppf(0.5) == pytest.approx((0.001 * 0.5) ** 0.5)
    r = montecarlo.run(plan, workers=1, keep_samples=True)
    u = r.values["utilization"]
    assert u.max() == 1.0 and u.min() > 0
    # an interval the domain never binds is the unclipped law, value for value
    same = scenario('pue = "1.3 to 1.4"').plan(samples=5000)
    j = same.names.index("site.pue")
    assert same.dists[j].low == 1.0 and same._unclipped()[j] is same.dists[j].base


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


def test_unknown_model_suggests_the_registered_ones():
    msg = _error('[scenario]\nmodel = "trainig"\n')
    assert msg.startswith("bad.toml:2: scenario.model:") and "'training'" in msg


# --- reading and describing ----------------------------------------------------------------------

def test_catalog_files_are_relative_to_the_scenario_file(tmp_path):
    (tmp_path / "chips").mkdir()
    (tmp_path / "chips" / "mine.toml").write_text(
        (Path(__file__).resolve().parents[2] / "data" / "catalog" / "user_chip.toml").read_text())
    path = tmp_path / "s.toml"
    path.write_text('[scenario]\nsamples = 10\n[catalog]\nfiles = ["chips/mine.toml"]\n'
                    '[inputs]\naccelerator = "x1"\naccelerators = 800\n')
    sc = load(path)
    assert sc.catalog_files == [str(tmp_path / "chips" / "mine.toml")]
    plan = sc.plan()
    assert plan.names == () and plan.constants["accelerator.price_usd"] == 12000


def test_a_bad_catalog_file_is_located_at_the_catalog_table(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text('[scenario]\nsamples = 10\n\n[catalog]\nfiles = ["none.toml"]\n')
    with pytest.raises(ScenarioError,
                       match=r"s.toml:5: catalog.files: .*none.toml: catalog file not found"):
        Scenario.from_file(path).plan()


def test_defaults_to_dict_and_html():
    sc = Scenario.from_text('[inputs]\naccelerator = "h100"\nsite = "<b>"\n', path="x.toml")
    assert (sc.name, sc.samples, sc.seed, sc.model, sc.uncertainty) == ("scenario", 10_000, 0, "tco",
                                                                        "none")
    assert sc.to_dict()["inputs"] == {"accelerator": "h100", "site": "<b>"}
    html = sc._repr_html_()
    assert "<td>&lt;b&gt;</td>" in html and "<b>Scenario scenario</b>" in html
    assert Scenario.from_text('[scenario]\nname = "t"\n', default_model="chip").model == "chip"


def test_exceedance_thresholds_need_a_reported_metric():
    msg = _error('[scenario]\n[outputs]\nmetrics = ["power_share"]\n'
                 'exceed = { usd_per_accelerator_hour = [2.0] }\n')
    assert msg.startswith("bad.toml:") and "outputs.exceed.usd_per_accelerator_hour" in msg
    sc = Scenario.from_text('[scenario]\n[outputs]\nexceed = { usd_per_accelerator_hour = [2.0] }\n')
    assert sc.plan(samples=5).thresholds == {"usd_per_accelerator_hour": (2.0,)}


def test_a_path_without_effect_is_told_to_change_pricing_only_when_that_would_help():
    text = ('[scenario]\nmodel = "training"\n[inputs]\ntraining_flop = "4e25 FLOP"\n'
            '"serving.compute_efficiency" = 0.5\n')
    msg = _error(text)
    assert "serving.compute_efficiency does not affect the training model" in msg
    assert "cost-plus" not in msg
