"""The report's uncertainty section: absent without a scenario, histograms and tornado with one."""

from pathlib import Path

from siliconomics.report.sections import ReportContext
from siliconomics.report.sections import uncertainty as section

EXAMPLE = Path(__file__).resolve().parents[4] / "examples" / "tco_texas_vs_johor.toml"


def test_no_scenario_no_section():
    assert section.build(ReportContext()) == []


def test_scenario_section_has_histograms_and_a_tornado(monkeypatch):
    monkeypatch.setattr(section, "MAX_SAMPLES", 5000)
    [s] = section.build(ReportContext(scenario=str(EXAMPLE)))
    assert s.id == "uncertainty"
    svgs = [svg for svg, _ in s.figures]
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
