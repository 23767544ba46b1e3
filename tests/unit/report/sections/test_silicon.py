"""Report section "Silicon": the bill of materials of the report's accelerator, its wafer map."""

import pytest

from siliconomics import silicon
from siliconomics.report.sections import ReportContext
from siliconomics.report.sections import silicon as section


@pytest.fixture(scope="module")
def built():
    [s] = section.build(ReportContext(accelerator="h100"))
    return s, silicon.chip_cost("h100")


def test_bill_of_materials_is_the_chip_cost(built):
    s, c = built
    frame = s.tables[0][1]
    assert frame["component"].tolist() == [k.replace("_", " ") for k in c]
    assert frame["USD"].sum() == pytest.approx(c.total)
    assert frame["share"].sum() == pytest.approx(1.0)
    assert {k: v for k, v in s.data.items() if k != "cost_band_usd"} == c.summary()
    band = s.data["cost_band_usd"]  # the catalog ranges' 90% band around the cost
    assert band["p5"] < c.total < band["p95"]


def test_findings_give_cost_memory_share_dies_and_margin(built):
    s, c = built
    d = c.details
    assert s.findings[0].startswith(f"One good {c.accelerator} costs about ${c.total:,.0f} to make")
    assert f"is {c.shares()['memory']:.0%} of it" in s.findings[0]
    assert s.findings[1].startswith(f"{d['dies_per_wafer']:.1f} compute dies fit on a 300 mm "
                                    f"{d['node']} wafer")
    assert f"{c.embodied_kgco2e:,.0f} kgCO2e" in s.findings[2]
    assert s.findings[-1] == (f"Against a price of ${c.price_usd:,.0f} the gross margin is "
                              f"{c.gross_margin:.0%}.")
    band = s.data["cost_band_usd"]
    assert f"(90% band ${band['p5']:,.0f} to ${band['p95']:,.0f})" in s.findings[0]


def test_the_harvested_yield_is_reconciled_with_the_wafer_command(built):
    # `chip h100` says 77.5% and `wafer` 54% on the same 814 mm^2 die: the report says why
    s, c = built
    d = c.details
    [line] = [f for f in s.findings if "siliconomics wafer" in f]
    assert line.startswith(f"Die yield {d['die_yield']:.1%} here against "
                           f"{d['die_yield_without_harvesting']:.1%} from `siliconomics wafer "
                           f"--die-area 814 --node n4` (murphy)")
    assert "132 of 144 units" in line
    # the figure quoted is the one `siliconomics wafer` computes for that die and node
    w = silicon.wafer(None, "n4", die_area_mm2=814.0, model="murphy")
    assert w.yield_by_model["murphy"] == pytest.approx(d["die_yield_without_harvesting"])
    assert d["die_yield_without_harvesting"] < d["die_yield"]


def test_no_harvesting_no_reconciliation():
    assert section.yield_reconciliation({"die_yield": 0.5, "harvesting": None,
                                         "die_yield_without_harvesting": 0.5}) is None


def test_chiplet_table_sweeps_the_accelerator_s_logic_area(built):
    s, c = built
    sweep = s.tables[1][1]
    assert sweep["n"].tolist() == [1, 2, 3, 4, 6, 8]
    area = c.details["compute_die_area_mm2"] * c.details["compute_dies"]
    assert sweep["chiplet_area_mm2"].iloc[0] == pytest.approx(area)


def test_figures_are_the_wafer_map_and_the_waterfall(built):
    s, c = built
    (wafer, wafer_caption, wafer_alt), (waterfall, _, waterfall_alt) = s.figures
    assert "green dies are good" in wafer_alt and f"total ${c.total:,.0f}" in waterfall_alt
    assert wafer.startswith("<svg") and waterfall.startswith("<svg")
    assert f"seed {section.SEED}" in wafer_caption
    assert f"${c.total:,.0f}" in waterfall
