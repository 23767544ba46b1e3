"""The report's uncertainty section: absent without a scenario, histograms and tornado with one."""

from pathlib import Path

from siliconomics.report.sections import ReportContext, _bands
from siliconomics.report.sections import uncertainty as section

EXAMPLE = Path(__file__).resolve().parents[4] / "examples" / "tco_texas_vs_johor.toml"


def test_without_a_scenario_the_section_gives_the_catalog_bands():
    ctx = ReportContext(accelerator="b200", sites=["finland"], accelerators=4096)
    [s] = section.build(ctx)
    assert s.id == "uncertainty" and "b200" in s.title
    frame = s.tables[0][1]
    assert frame["figure"].tolist() == [label for label, _, _ in _bands.HEADLINES.values()]
    assert (frame["5%"] < frame["median"]).all() and (frame["median"] < frame["95%"]).all()
    # the bands are those of the Monte Carlo runs kept for the report, one per headline figure
    runs = ctx.extra["bands"]["runs"]
    agg = runs["tco"][1].metrics["usd_per_accelerator_hour"].summary()
    assert frame["5%"].iloc[0] == agg["p5"] and frame["95%"].iloc[0] == agg["p95"]
    assert runs["tco"][1].samples == _bands.SAMPLES
    assert len(s.figures) == 2 and all(len(f) == 3 and f[2] for f in s.figures)  # alt text
    assert s.findings[-1].startswith("The cost of an accelerator-hour is most sensitive to ")
    assert s.how_to_read


def test_scenario_section_has_histograms_and_a_tornado(monkeypatch):
    monkeypatch.setattr(section, "MAX_SAMPLES", 5000)
    [s] = section.build(ReportContext(scenario=str(EXAMPLE)))
    assert s.id == "uncertainty"
    svgs = [svg for svg, *_ in s.figures]
    assert len(svgs) == 7 and all(svg.startswith("<svg") for svg in svgs)  # 6 metrics + tornado
    assert "Tornado" in s.figures[-1][1]
    assert s.data["run"]["samples"] == 5000
    rows = s.data["tornado"]["inputs"]
    swings = [abs(r["output_at_high"] - r["output_at_low"]) for r in rows]
    assert swings == sorted(swings, reverse=True)  # ranked by swing
    assert {"utilization", "accelerator.price_usd"} <= {r["input"] for r in rows[:3]}
    assert "90% interval" in s.findings[0]
    html = s.to_html()
    assert "usd_per_accelerator_hour@malaysia-johor" in html


def test_the_headline_findings_read_as_plain_figures():
    from siliconomics.report.sections import uncertainty

    (s,) = uncertainty.build(ReportContext(accelerator="h100"))
    share = next(f for f in s.findings if f.startswith("Power's share"))
    assert " %" not in share and "%, 90% band" in share
    # three significant figures, as the report's other numbers
    median = share.split("median ")[1].split("%")[0]
    assert len(median.replace(".", "").lstrip("0")) <= 3
