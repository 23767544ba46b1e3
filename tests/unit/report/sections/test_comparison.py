"""The report's comparison section: two scenarios on common random numbers."""

from pathlib import Path

import numpy as np

from siliconomics.report.sections import ReportContext
from siliconomics.report.sections import comparison as section
from siliconomics.scenario.compare import compare

EXAMPLES = Path(__file__).resolve().parents[4] / "examples"
A, B = EXAMPLES / "tco_texas.toml", EXAMPLES / "tco_johor.toml"


def test_absent_without_two_scenarios():
    assert section.build(ReportContext()) == []
    assert section.build(ReportContext(scenario=str(A))) == []


def test_overlaid_and_difference_figures_and_the_paired_table(monkeypatch):
    monkeypatch.setattr(section, "SAMPLES", 4000)
    ctx = ReportContext(scenario=str(A))
    ctx.extra["compare"] = str(B)
    [s] = section.build(ctx)
    assert s.id == "comparison" and s.how_to_read
    table = s.tables[0][1]
    paired, _, _ = compare(A, B, samples=4000)
    assert table["metric"].tolist() == list(paired.metrics)
    assert len(s.figures) == 2 * len(paired.metrics)
    assert all(len(f) == 3 and f[2] for f in s.figures)  # every chart has alt text
    first = paired.metrics[0]
    row = table.iloc[0]
    d = paired.difference(first)
    assert row["A - B p50"] == np.quantile(d, 0.5)
    assert row["P(A lower)"] == np.mean(paired.a[first] < paired.b[first])
    assert row["A - B p5"] <= row["A - B p50"] <= row["A - B p95"]
