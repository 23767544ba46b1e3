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
    assert s.data == c.summary()


def test_findings_give_cost_memory_share_dies_and_margin(built):
    s, c = built
    d = c.details
    assert s.findings[0].startswith(f"One good {c.accelerator} costs about ${c.total:,.0f} to make")
    assert f"is {c.shares()['memory']:.0%} of it" in s.findings[0]
    assert s.findings[1].startswith(f"{d['dies_per_wafer']:.1f} compute dies fit on a 300 mm "
                                    f"{d['node']} wafer")
    assert f"{c.embodied_kgco2e:,.0f} kgCO2e" in s.findings[2]
    assert s.findings[3] == (f"Against a price of ${c.price_usd:,.0f} the gross margin is "
                             f"{c.gross_margin:.0%}.")


def test_chiplet_table_sweeps_the_accelerator_s_logic_area(built):
    s, c = built
    sweep = s.tables[1][1]
    assert sweep["n"].tolist() == [1, 2, 3, 4, 6, 8]
    area = c.details["compute_die_area_mm2"] * c.details["compute_dies"]
    assert sweep["chiplet_area_mm2"].iloc[0] == pytest.approx(area)


def test_figures_are_the_wafer_map_and_the_waterfall(built):
    s, c = built
    (wafer, wafer_caption), (waterfall, _) = s.figures
    assert wafer.startswith("<svg") and waterfall.startswith("<svg")
    assert f"seed {section.SEED}" in wafer_caption
    assert f"${c.total:,.0f}" in waterfall
