"""Report section "Industry": foundries per node against history, labs per year with a band."""

import pytest

from siliconomics.industry import foundries
from siliconomics.report.sections import ReportContext
from siliconomics.report.sections import industry as section
from siliconomics.scenario.models import labs_projection


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    slow = tmp_path_factory.mktemp("labs") / "slow.toml"
    slow.write_text('[scenario]\nname = "slow"\n[inputs]\nrevenue_growth_per_year = 1.5\n')
    return section.build(ReportContext(extra={"labs_scenario": str(slow)})), slow


def test_foundries_table_is_the_backtest(built):
    (fnd, _), _ = built
    bt = foundries.backtest()
    assert fnd.id == "industry-foundries" and fnd.data == bt.to_dict()
    frame = fnd.tables[0][1]
    assert frame["node"].tolist() == [r["name"] for r in bt.rows]
    assert frame["fixed cost B USD"].tolist() == pytest.approx(
        [r["fixed_cost_usd"] / 1e9 for r in bt.rows])
    assert frame["held out"].tolist() == ["yes" if r["held_out"] else "" for r in bt.rows]


def test_foundries_findings_give_each_node_s_error(built):
    (fnd, _), _ = built
    bt = foundries.backtest()
    held = ", ".join(f"{k} {v:+d}" for k, v in bt.errors("held_out").items())
    assert fnd.findings[0].startswith(f"Held-out nodes, predicted minus historical firms: {held};")
    first, last = bt.rows[0], bt.rows[-1]
    growth = last["market_revenue_usd_per_year"] / first["market_revenue_usd_per_year"]
    assert f"rose {growth:.1f}-fold" in fnd.findings[1]
    assert f"({bt.addressable_share:.3f})" in fnd.intro


def test_labs_use_the_scenario_given_in_the_context(built):
    (_, labs), slow = built
    expected = labs_projection(range(2025, 2036), samples=section.SAMPLES, seed=section.SEED,
                               scenario=str(slow))
    assert labs.id == "industry-labs" and labs.data == expected.to_dict()
    assert labs.data["parameters"]["revenue_growth_per_year"] == 1.5
    frame = labs.tables[0][1]
    assert frame["year"].tolist() == list(range(2025, 2036))
    assert frame["labs 5%"].tolist() == [r["band"]["viable_labs"]["p5"] for r in expected.rows]


def test_labs_findings_name_the_last_year_a_lab_can_fund_a_run(built):
    (_, labs), _ = built
    rows = labs.data["years"]
    viable = [r["year"] for r in rows if r["viable_labs"] >= 1]
    if viable:
        assert f"from its own revenue is {viable[-1]}." in labs.findings[0]
    else:
        assert labs.findings[0].startswith("On the central inputs no lab can fund")
    end = rows[-1]["band"]["viable_labs"]
    assert labs.findings[0].endswith(f"is {end['p5']:.0f} to {end['p95']:.0f}.")
    assert f"{section.SAMPLES} samples, seed {section.SEED}" in labs.intro
