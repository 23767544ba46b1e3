"""Report sections "Inputs and sources" and "Provenance": one row per input with its source."""

from siliconomics import catalog, tco
from siliconomics.report.sections import ReportContext
from siliconomics.report.sections import inputs as section


def test_row_formats_range_source_and_layer():
    row = section._row("site.pue", "us-texas", {"value": 1.3, "low": 1.2, "high": 1.45,
                                                "source": "survey", "as_of": "2024",
                                                "assumption": True, "layer": None})
    assert row == {"input": "site.pue", "used by": "us-texas", "value": 1.3,
                   "90% range": "1.2 to 1.45", "source": "survey [assumption]", "as of": "2024",
                   "set by": "catalog"}
    bare = section._row("x", "all", {"value": 2, "source": None, "layer": "--set"})
    assert (bare["90% range"], bare["source"], bare["as of"], bare["set by"]) == ("", "", "", "--set")


def test_provenance_lists_site_inputs_per_site_and_the_rest_once():
    results = [tco.accelerator_hour("h100", s, accelerators=1024) for s in ("us-texas", "finland")]
    s = section.provenance(results)
    assert s.id == "inputs"
    rows = s.data["inputs"]
    by_input = {}
    for r in rows:
        by_input.setdefault(r["input"], []).append(r["used by"])
    assert sorted(by_input["site.pue"]) == ["finland", "us-texas"]
    assert by_input["accelerator.price_usd"] == ["all"]
    assert by_input["financing.cost_of_capital"] == ["all"]  # same financing at both sites
    assert len(rows) == len(results[0].inputs) + 3  # the three site inputs once more
    frame = s.tables[0][1]
    assert len(frame) == len(rows)
    price = results[0].inputs["accelerator.price_usd"]["value"]
    # numbers stay typed (CSV and XLSX cells are numbers, not "30,000"); the HTML formats them
    assert float(price) in frame["value"].tolist()
    assert not any(isinstance(v, str) and v.replace(",", "").replace(".", "").isdigit()
                   for v in frame["value"])


def test_calendar_year_ranges_read_as_years():
    row = section._row("site.earliest_power_year", "all",
                       {"value": 2027.0, "low": 2026.0, "high": 2029.0})
    assert row["90% range"] == "2026-2029"


def test_catalog_provenance_covers_the_accelerator_s_entries_and_the_models():
    with catalog.using(set={"memory.price_usd_per_gb": 4}):
        s = section.catalog_provenance(ReportContext(accelerator="h200",
                                                     extra={"models": ["llama-3.1-8b"] * 2}))
    rows = {r["input"]: r for r in s.data["inputs"]}
    assert not [k for k in rows if k.startswith(("site.", "financing."))]
    assert rows["memory.price_usd_per_gb"]["set by"] == "--set"
    assert rows["memory.price_usd_per_gb"]["value"] == 4
    assert rows["accelerator.price_usd"]["used by"] == "every section"
    assert rows["assumptions.power-draw-fraction"]["used by"] == "shared assumption"
    model = catalog.get("models", "llama-3.1-8b")
    assert rows["llama-3.1-8b.layers"]["value"] == model.layers
    assert rows["llama-3.1-8b.layers"]["used by"] == "training and serving"
    assert sum(1 for k in rows if k.startswith("llama-3.1-8b.")) == len(model.fields)


def test_build_adds_the_tco_table_only_after_a_tco_section():
    assert [s.id for s in section.build(ReportContext())] == ["provenance"]
    ctx = ReportContext(tco_results=[tco.accelerator_hour("h100", accelerators=1024)])
    assert [s.id for s in section.build(ctx)] == ["inputs", "provenance"]
