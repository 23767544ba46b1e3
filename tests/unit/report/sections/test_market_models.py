"""Report sections on the token, demand and supply models: margins, world demand, buildable accelerators."""

import pytest

from siliconomics.industry import demand, export, supply, tokens
from siliconomics.report.sections import ReportContext
from siliconomics.report.sections import market_models as section


@pytest.fixture(scope="module")
def built():
    return section.build(ReportContext())


def test_three_sections_with_ids(built):
    assert [s.id for s in built] == ["markets-tokens", "markets-demand", "markets-supply"]
    assert all(s.tables for s in built)


def test_token_table_is_the_margin_model(built):
    tok = built[0]
    t = tokens.margins()
    frame = tok.tables[0][1]
    assert frame["margin"].tolist() == pytest.approx([r["margin"] for r in t.rows])
    assert frame["source"].tolist() == [r["source"] for r in t.rows]
    assert len(set(frame["model"])) >= 5


def test_demand_finding_reports_the_google_ratio(built):
    dem = built[1]
    c = demand.google_check()
    assert f"{c['ratio']:.2f} times" in dem.findings[0]
    assert dem.tables[0][1]["year"].tolist() == list(section.DEMAND_YEARS)


def test_supply_table_is_the_supply_model(built):
    sup = built[2]
    frame = sup.tables[0][1]
    expected = [supply.max_buildable(a, section.SUPPLY_YEAR).accelerators_per_year
                for a in section.ACCELERATORS]
    assert frame["most per year"].tolist() == pytest.approx(expected)
    assert frame["export class"].tolist() == [export.classify(a) for a in section.ACCELERATORS]
    assert "<section id='markets-supply'>" in sup.to_html()
