"""The foundry-lab outlook: formulas, the year's chain, bands and the binding constraint."""

import numpy as np
import pytest

from siliconomics.errors import InputError
from siliconomics.finance import capital_recovery_factor
from siliconomics.industry import labs, oligopoly
from siliconomics.industry import outlook as o


def test_decelerating_path_is_the_labs_trend_scaled():
    assert o.decelerating_path(10.0, 2.0, 0.5, 2) == pytest.approx(10.0 * 2.0 * 1.5)
    assert o.decelerating_path(10.0, 2.0, 0.5, 0) == pytest.approx(10.0)


def test_lab_revenue_is_tokens_times_price_when_given():
    assert o.lab_revenue_usd(5e9) == 5e9
    assert o.lab_revenue_usd(5e9, 2e15, 3.0) == pytest.approx(6e9)
    with pytest.raises(InputError, match="together"):
        o.lab_revenue_usd(5e9, tokens_per_year=1e15)
    with pytest.raises(InputError, match="tokens_per_year must be >= 0"):
        o.lab_revenue_usd(5e9, -1.0, 2.0)


def test_supply_limit_is_packaging_output_or_the_given_cap():
    assert o.accelerator_supply_limit(10_000, 20) == pytest.approx(12 * 10_000 * 20)
    assert o.accelerator_supply_limit(10_000, 20, supply_limit=5e5) == 5e5
    with pytest.raises(InputError, match="accelerators_per_wafer must be > 0"):
        o.accelerator_supply_limit(10_000, 0)


def test_max_fundable_run_inverts_required_revenue():
    run = o.max_fundable_run_usd(4e10, 0.5, 0.3, 0.12, 1.0)
    assert run == pytest.approx(4e10 * 0.5 * 0.3 / capital_recovery_factor(0.12, 1.0))
    needed = oligopoly.required_revenue(run, 0.3, cost_of_capital=0.12, payback_years=1.0)
    assert needed == pytest.approx(4e10 * 0.5)


def test_run_flop_and_binding_constraint():
    assert o.run_flop(2, 1e15, 0.5, 2.0) == pytest.approx(2 * 1e15 * 0.5 * 86400 * 2)
    idx = o.binding_constraint({"fixed cost": np.array([1.0, 5.0, 5.0]), "revenue": 2.0,
                                "supply": np.array([3.0, 1.0, 5.0]), "power": 4.0})
    assert idx.tolist() == [0, 2, 1]
    tie = o.binding_constraint({"fixed cost": 1.0, "revenue": 1.0, "supply": 1.0, "power": 1.0})
    assert int(tie) == 0  # ties go to the earlier name


def test_next_node_fixed_cost_grows_beyond_the_catalog():
    slug, year, cost = o._node_costs()[-1]
    assert o.node_fixed_cost_usd(year - 1, 1.4, 2.5) == pytest.approx(cost)
    assert o.node_fixed_cost_usd(year + 2, 1.4, 2.5) == pytest.approx(cost * 1.4 ** 2)


def test_year_values_follow_the_chain():
    p = o._constrain(o.defaults())
    r = o.year_values(p, 2026)
    part = o._part(2026)  # what context() reads for the year
    spend = p["capex_2026_usd"] * p["accelerator_share_of_capex"] * p["other_buyers_multiplier"]
    assert r["accelerator_spend_usd"] == pytest.approx(spend)
    assert r["accelerators_built"] == pytest.approx(min(spend / part["price_usd"],
                                                        r["accelerator_supply_limit"]))
    assert r["wafers"] == pytest.approx(r["accelerators_built"] * part["wafers_per_accelerator"])
    assert r["funded_flop"] == pytest.approx(min(r["trend_flop"], r["revenue_limit_flop"],
                                                 r["supply_limit_flop"], r["power_limit_flop"]))
    assert r["trend_run_cost_usd"] == pytest.approx(labs.reconciled_run_cost(r["trend_flop"], 2026))


def test_a_supply_limit_given_by_year_binds_the_build():
    free = o.outlook([2026], samples=0).row(2026)
    capped = o.outlook([2026], samples=0, supply_limit={2026: 1e5}).row(2026)
    assert capped["accelerators_built"] == pytest.approx(1e5)
    assert capped["accelerators_limited_by"] == "packaging"
    assert capped["wafers"] < free["wafers"]
    assert capped["binding"] == "supply"


def test_token_revenue_enters_the_outlook():
    rich = o.outlook([2027], samples=0, tokens_per_year={2027: 1e17},
                     usd_per_million_tokens={2027: 5.0}).row(2027)
    assert rich["lab_revenue_usd"] == pytest.approx(5e11)


def test_outlook_covers_2025_to_2035_with_bands_and_a_binding_constraint():
    res = o.outlook(samples=300, seed=1)
    assert [r["year"] for r in res.rows] == list(range(2025, 2036))
    for r in res.rows:
        assert r["binding"] in o.BINDING
        assert sum(r["binding_share"].values()) == pytest.approx(1.0)
        for k in o.BANDED:
            b = r["band"][k]
            assert b["p5"] <= b["p50"] <= b["p95"]
    again = o.outlook(samples=300, seed=1)
    assert again.to_dict() == res.to_dict()


def test_bad_years_and_parameters():
    with pytest.raises(InputError, match=r"--from must be a year in \[2025, 2040\]"):
        o.check_years(2020, 2030)
    with pytest.raises(InputError, match=r"--to must be a year in \[2025, 2040\]"):
        o.check_years(2025, 2041)
    with pytest.raises(InputError, match="--from must be <= --to"):
        o.check_years(2030, 2026)
    with pytest.raises(InputError, match="did you mean 'mfu'"):
        o.outlook([2025], samples=0, mfuu=0.4)
    with pytest.raises(InputError, match="supply_limit has no value for 2026"):
        o.outlook([2025, 2026], samples=0, supply_limit={2025: 1e6})


def test_every_parameter_has_a_source_and_an_ordered_range():
    for name, v in o.PARAMETERS.items():
        assert v.low <= v.value <= v.high, name
        assert len(v.source) > 20, name


def test_2025_capex_is_the_sum_of_the_company_guidance():
    total = sum(v for v, _ in o.HYPERSCALER_CAPEX_USD[2025].values())
    assert o.PARAMETERS["capex_2025_usd"].value == pytest.approx(total)
    row = o.outlook([2025], samples=0).row(2025)
    assert row["capex_to_lab_revenue"] == pytest.approx(row["capex_usd"] / row["lab_revenue_usd"])
    assert set(o.outlook([2025], samples=0).to_dict()["hyperscaler_capex_usd"]) == {"2024", "2025"}


def test_a_user_catalog_reaches_the_outlook(tmp_path):
    """Catalog values are read per outlook, so a patched accelerator price changes the build."""
    from siliconomics import catalog

    base = o.outlook([2025], samples=0).row(2025)
    path = tmp_path / "gb200.toml"
    path.write_text('[accelerators.gb200]\nprice_usd = { value = 76000, source = "test", '
                    'as_of = "2026" }\n')
    with catalog.using(path):
        dear = o.outlook([2025], samples=0).row(2025)
    assert dear["accelerators_built"] == pytest.approx(base["accelerators_built"] / 2)
