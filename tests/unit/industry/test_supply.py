"""Supply limits: buildable accelerators by year, the binding limit, plan caps, scarcity price."""

import numpy as np
import pytest

from siliconomics.errors import InputError
from siliconomics.industry import supply
from siliconomics.planning import fleet, plan_file
from siliconomics.silicon.dies import dies_per_wafer


def test_annual_output_is_the_mean_of_year_end_capacities():
    # CoWoS: 35,000/month at end-2024 and 75,000 at end-2025 -> 55,000 x 12
    assert supply.annual_output("cowos", 2025) == pytest.approx(660_000.0)
    assert supply.annual_output("cowos", 2025, "low") < supply.annual_output("cowos", 2025, "high")
    assert supply.annual_output("hbm", 2026) == pytest.approx(3.75e9)


def test_years_outside_the_data_are_rejected():
    lo, hi = supply.year_range()
    assert (lo, hi) == (2024, 2026)
    with pytest.raises(InputError, match="2024-2026"):
        supply.annual_output("cowos", 2030)
    with pytest.raises(InputError, match="supply limit"):
        supply.annual_output("wafers", 2025)


def test_part_needs_of_h100_by_hand():
    n = supply.part_needs("h100")
    # (814 + 5 x 121) x 1.1 = 1560.9 mm2 of interposer, 80 GB of HBM
    assert n.interposer_mm2 == pytest.approx(1560.9)
    assert n.hbm_gb == 80.0
    assert n.packages_per_wafer == pytest.approx(float(dies_per_wafer(1560.9)) * 0.9)
    assert n.compute_dies == 1


def test_max_buildable_is_the_least_limit():
    s = supply.max_buildable("b200", 2025)
    finite = {k: v for k, v in s.by_limit.items() if np.isfinite(v)}
    assert s.accelerators_per_year == min(finite.values())
    assert s.binding == min(finite, key=finite.get)
    # b200 has two compute dies: half as many as its good dies per logic wafer allow
    assert s.by_limit["logic"] == pytest.approx(
        s.capacity["logic"] * s.needs.good_dies_per_wafer / 2)


def test_more_capacity_builds_more():
    assert supply.max_buildable("h100", 2026).accelerators_per_year > \
        supply.max_buildable("h100", 2024).accelerators_per_year
    assert supply.max_buildable("h100", 2025, which="high").accelerators_per_year > \
        supply.max_buildable("h100", 2025, which="low").accelerators_per_year


def test_scarcity_price_by_hand():
    assert supply.scarcity_price(100.0, 1.0, 2.0, elasticity=-1.0, cap=2.0) == 100.0
    assert supply.scarcity_price(100.0, 1.5, 1.0, elasticity=-1.0, cap=2.0) == pytest.approx(150.0)
    # demand twice supply with elasticity -0.5: price must rise 2^(1/0.5) = 4x, capped at 2x
    assert supply.scarcity_price(100.0, 2.0, 1.0, elasticity=-0.5, cap=2.0) == pytest.approx(200.0)


def test_scarcity_price_rejects_the_wrong_elasticity_sign():
    with pytest.raises(InputError, match="elasticity must be < 0"):
        supply.scarcity_price(100.0, 2.0, 1.0, elasticity=0.5)


def _plan(share=None):
    data = {"plan": {"years": [2026, 2027], "sites": ["us-texas"],
                     "accelerators": ["h100-sxm", "b200"], "lot_size": 8, "cluster_size": 20000},
            "demand": {"by_year": {2026: 20000, 2027: 30000}},
            "sites": {"us-texas": {"power_available_mw": 500}}}
    problem = plan_file.build_problem(plan_file.parse_plan(data))
    return problem if share is None else supply.cap_plan(problem, share)


def _bought(result, gen, year):
    return sum(r["bought"] for r in result.plan if r["generation"] == gen and r["year"] == year)


def test_a_supply_cap_binds_the_plan_and_changes_it():
    free = fleet.solve(_plan(), "cost").raise_for_status()
    capped_problem = _plan(share=0.0005)
    capped = fleet.solve(capped_problem, "cost").raise_for_status()
    cap_b200_2026 = capped_problem.supply_cap[1, 0] * capped_problem.unit_size
    assert _bought(free, "b200", 2026) > cap_b200_2026  # without the cap the plan buys more
    assert _bought(capped, "b200", 2026) <= cap_b200_2026 + 1e-6
    assert _bought(capped, "h100-sxm", 2026) > _bought(free, "h100-sxm", 2026)
    assert capped.npv_usd > free.npv_usd
    assert any(b["constraint"] == "supply cap" and b["generation"] == "b200"
               for b in capped.binding_constraints)


def test_cap_plan_holds_the_last_data_year_and_rejects_earlier_years():
    caps = supply.supply_caps(["h100"], [2026, 2030], share=0.5)
    assert caps["h100"][2030] == pytest.approx(caps["h100"][2026])
    with pytest.raises(InputError, match="before the supply capacity data"):
        supply.supply_caps(["h100"], [2020], share=0.5)
