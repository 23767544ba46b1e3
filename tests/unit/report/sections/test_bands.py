"""The headline bands: scenarios over the catalog ranges, run once per report, as a table."""

import pytest

from siliconomics.report.sections import ReportContext, _bands


def test_the_scenarios_sample_every_catalog_range_at_the_report_s_settings():
    sc = _bands.scenarios("b200", "finland", 2048, "neocloud", run_model="llama-3.1-405b",
                          run_accelerators=8192, samples=300, seed=4, tco_site="norway")
    assert {k: s.uncertainty for k, s in sc.items()} == {
        "tco": "catalog", "chain": "catalog", "training": "catalog"}
    assert sc["tco"].inputs == {"accelerator": "b200", "site": "norway",
                                "financing": "neocloud", "accelerators": 2048}
    assert sc["training"].inputs["accelerators"] == 8192 and sc["chain"].inputs["site"] == "finland"
    assert {s.samples for s in sc.values()} == {300} and {s.seed for s in sc.values()} == {4}


@pytest.fixture(scope="module")
def bands():
    ctx = ReportContext(accelerator="h100-sxm", sites=["us-texas"], accelerators=1024)
    return ctx, _bands.run(ctx)


def test_run_is_computed_once_per_report(bands):
    ctx, b = bands
    assert _bands.run(ctx, "norway") is b  # kept: every section quotes the same bands


def test_every_headline_figure_has_an_ordered_band(bands):
    _, b = bands
    for key in _bands.HEADLINES:
        assert b[key]["p5"] < b[key]["p50"] < b[key]["p95"], key
    assert b["runs"]["tco"][1].samples == _bands.SAMPLES


def test_the_table_scales_each_figure_to_its_unit(bands):
    _, b = bands
    frame = _bands.frame(b).set_index("figure")
    row = frame.loc["owned cost of the training run"]
    assert row["unit"] == "million USD"
    assert row["median"] == pytest.approx(b[("training", "training_cost_usd")]["p50"] / 1e6)
    assert frame.loc["power's share of that cost", "95%"] == pytest.approx(
        100 * b[("tco", "power_share")]["p95"])


def test_text_quotes_the_5th_and_95th_percentiles():
    assert _bands.text({"p5": 2e6, "p50": 3e6, "p95": 5e6}, "${:,.0f}M", 1e-6) == (
        "90% band $2M to $5M")
