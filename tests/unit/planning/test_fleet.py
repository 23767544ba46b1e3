"""The build-out MILP on hand-checked cases, its infeasibility explanations and the greedy plan."""

import numpy as np
import pytest

from siliconomics.errors import InputError
from siliconomics.planning import fleet


def problem(**kw):
    base = dict(years=[2026], sites=["a"], generations=["g"], compute_per_unit=[1.0],
                capex_per_unit=100.0, opex_per_unit_year=10.0, mw_per_unit=1.0,
                resale_per_unit=0.0, launch_year=2026, life_years=5, supply_cap=np.inf,
                build_cost_per_mw=50.0, power_available_mw=10.0, existing_mw=0.0, demand=2.5,
                budget=np.inf, discount_rate=0.0, facility_life_years=1.0)
    base.update(kw)
    return fleet.FleetProblem(**base)


def test_one_site_one_generation_buys_ceiling_of_demand():
    r = fleet.solve(problem())
    assert r.status == "optimal"
    assert r.plan[0]["bought"] == 3
    assert r.npv_usd == pytest.approx(3 * 100 + 3 * 10 + 3 * 50)


def test_picks_cheaper_site_by_hand():
    # site b: cheaper power (opex 5 vs 10) but dearer build (60 vs 50): per unit 100+10+50=160
    # at a, 100+5+60=165 at b over one year -> a; over 3 years a: 100+30+50=180, b: 100+15+60=175.
    one = fleet.solve(problem(sites=["a", "b"], opex_per_unit_year=[[10.0], [5.0]],
                              build_cost_per_mw=[50.0, 60.0], power_available_mw=10.0,
                              capex_per_unit=100.0, demand=2.0))
    assert {r["site"] for r in one.plan} == {"a"}
    three = fleet.solve(problem(years=[2026, 2027, 2028], sites=["a", "b"],
                                opex_per_unit_year=[[10.0], [5.0]], build_cost_per_mw=[50.0, 60.0],
                                power_available_mw=10.0, demand=2.0, facility_life_years=1.0))
    assert {r["site"] for r in three.plan} == {"b"}
    assert three.npv_usd == pytest.approx(2 * 175)


def test_power_cap_splits_sites():
    r = fleet.solve(problem(sites=["a", "b"], opex_per_unit_year=[[1.0], [2.0]],
                            power_available_mw=[[2.0], [10.0]], demand=5.0))
    by_site = {x["site"]: x["in_service"] for x in r.plan}
    assert by_site == {"a": 2.0, "b": 3.0}
    # One more MW at site a saves the opex difference: 1 USD (duals of the LP relaxation).
    assert r.sites[0]["mw_value"] == pytest.approx(1.0)
    assert r.sites[1]["mw_value"] == pytest.approx(0.0)
    assert any(b["constraint"] == "power available" and b["site"] == "a"
               for b in r.binding_constraints)


def test_discounting_and_resale_at_horizon():
    # Two years, 10% rate, units worth 40 at the end: NPV = 100 + 10 + 10/1.1 - 40/1.21 + build 50
    r = fleet.solve(problem(years=[2026, 2027], demand=1.0, discount_rate=0.1,
                            resale_per_unit=[[80.0, 60.0, 40.0]], build_cost_per_mw=50.0,
                            facility_life_years=2.0))
    # facility: 50 - 50 * (1 - 2/2)/1.21 = 50
    assert r.npv_usd == pytest.approx(100 + 10 + 10 / 1.1 - 40 / 1.21 + 50)


def test_retires_old_generation_when_power_binds():
    # Old units: 1 PFLOP/s per MW, new: 4 per MW. Power 2 MW, 2 old units existing, demand 4:
    # only retiring the old units makes room.
    r = fleet.solve(problem(years=[2026], generations=["old", "new"], compute_per_unit=[1.0, 4.0],
                            capex_per_unit=[[100.0, 100.0]], opex_per_unit_year=0.0,
                            mw_per_unit=1.0, power_available_mw=2.0, existing_mw=2.0,
                            build_cost_per_mw=0.0, launch_year=[2020, 2026], demand=4.0,
                            existing_site=[0], existing_gen=[0], existing_units=[2],
                            existing_years_left=[3]))
    rows = {x["generation"]: x for x in r.plan}
    assert rows["old"]["retired"] == 2 and rows["new"]["in_service"] == 1


def test_life_forces_replacement():
    r = fleet.solve(problem(years=[2026, 2027, 2028], life_years=2, demand=1.0,
                            opex_per_unit_year=0.0, build_cost_per_mw=0.0))
    bought = [x["bought"] for x in r.plan]
    assert sum(bought) == 2  # bought in 2026, replaced in 2028


def test_supply_cap_and_launch_year():
    r = fleet.solve(problem(generations=["cheap", "dear"], compute_per_unit=[1.0, 1.0],
                            capex_per_unit=[[50.0, 200.0]], supply_cap=[[1.0], [np.inf]],
                            demand=3.0))
    rows = {x["generation"]: x["bought"] for x in r.plan}
    assert rows == {"cheap": 1.0, "dear": 2.0}
    late = fleet.solve(problem(generations=["new", "old"], compute_per_unit=[1.0, 1.0],
                               capex_per_unit=[[10.0, 100.0]], launch_year=[2027, 2020], demand=1.0))
    assert [x["generation"] for x in late.plan] == ["old"]


def test_compute_objective_spends_budget():
    r = fleet.solve(problem(budget=1000.0, demand=0.0, power_available_mw=100.0), "compute")
    # each unit costs 100 capex + 50 facility: 6 units in 1000 USD
    assert r.compute_pflop_s_years == pytest.approx(6.0)


def test_infeasible_power_is_explained():
    r = fleet.solve(problem(demand=1900.0, power_available_mw=1200.0))
    assert r.status == "infeasible"
    msg = r.explanation[0]
    assert "demand in 2026 needs at least 1.90 GW" in msg and "1.20 GW" in msg
    with pytest.raises(fleet.InfeasiblePlanError, match="1.90 GW"):
        r.raise_for_status()


def test_infeasible_budget_and_supply_explained():
    r = fleet.solve(problem(demand=5.0, budget=300.0))
    assert "budget allows $0.00B" in r.explanation[0]
    r = fleet.solve(problem(demand=5.0, supply_cap=2.0))
    assert "supply caps" in r.explanation[0] and "short by 3" in r.explanation[0]


def test_problem_validation():
    with pytest.raises(InputError, match="demand must be >= 0, got -1"):
        problem(demand=-1.0)
    with pytest.raises(InputError, match="objective must be"):
        fleet.solve(problem(), "profit")


def test_greedy_is_feasible_and_matches_simple_optimum():
    p = problem(years=[2026, 2027], demand=[1.0, 3.0])
    x = fleet.greedy(p)
    assert fleet.violation(p, x) == 0.0
    assert fleet.evaluate(p, x) >= fleet.solve(p).npv_usd - 1e-9




def test_lp_guided_plan_is_within_its_stated_gap_of_the_full_branch_and_bound():
    from siliconomics.planning import plan_file

    p = plan_file.build_problem(plan_file.parse_plan({
        "plan": {"years": [2026, 2031], "sites": ["us-texas", "malaysia-johor", "finland",
                                                  "saudi-arabia", "us-virginia"],
                 "accelerators": ["h100-sxm", "h200", "b200", "mi300x"], "lot_size": 72},
        "demand": {"by_year": {2026: 0, 2027: 20000, 2031: 200000}},
        "supply": {"b200": {2027: 700}},
        "sites": {s: {"power_available_mw": 150} for s in ("us-texas", "malaysia-johor",
                                                          "finland", "saudi-arabia",
                                                          "us-virginia")},
    }))
    fast = fleet.solve(p, mip_rel_gap=1e-4)
    assert fast.ok and fast.mip_gap is not None and 0 <= fast.mip_gap <= 1e-4
    assert fleet.violation(p, fast.x) < 1e-6
    model = fleet._assemble(p)
    full = fleet._solve_milp(model, mip_rel_gap=1e-7)
    best = float(model.c @ full.x + model.const)
    assert best <= fast.npv_usd + 1e-6 * abs(best)
    assert fast.npv_usd - best <= 1e-4 * abs(fast.npv_usd)


def test_a_yearly_budget_with_whole_lots_is_solved_near_the_lp_without_branch_and_bound(
        monkeypatch):
    """The 1 GW example: neither the RENS box nor the LP's nonzeros hold a plan (whole lots
    under a yearly budget must move to other years), but the site-generation pairs the LP uses
    do, within the gap, so the full branch and bound (3.7 s here) is not run."""
    from pathlib import Path

    from siliconomics.planning import plan_file

    example = Path(__file__).resolve().parents[3] / "examples" / "plan_1gw.toml"
    p = plan_file.build_problem(plan_file.load_plan(example))
    calls = []
    solve_milp = fleet._solve_milp
    monkeypatch.setattr(fleet, "_solve_milp",
                        lambda model, **kw: calls.append(kw) or solve_milp(model, **kw))
    r = fleet.solve(p, mip_rel_gap=1e-4)
    assert r.ok and 0 <= r.mip_gap <= 1e-4 and fleet.violation(p, r.x) < 1e-6
    assert len(calls) == 3 and all(kw["time_limit"] == 30.0 for kw in calls)
