"""Plan files: validation, the problem they build, and the catalog's resale and rental curves."""

from pathlib import Path

import numpy as np
import pytest

from siliconomics import catalog
from siliconomics.catalog import history
from siliconomics.errors import CatalogError, InputError, ScenarioError
from siliconomics.planning import fleet, plan_file

DATA = Path(__file__).resolve().parents[2] / "data"


SMALL = {
    "plan": {"years": [2026, 2027], "sites": ["us-texas"], "accelerators": ["h100-sxm", "b200"],
             "cluster_size": 1000},
    "demand": {"unit": "pflop_per_s", "by_year": {2026: 1000, 2027: 3000}},
    "budget": {"usd_per_year": "2 B USD"},
    "sites": {"us-texas": {"power_available_mw": 100}},
}


def test_plan_from_dict_builds_problem():
    p = plan_file.plan_from_dict(SMALL)
    assert p.generations == ["h100-sxm", "b200"]
    assert p.demand.tolist() == [1000.0, 3000.0]
    assert p.budget.tolist() == [2e9, 2e9]
    assert p.compute_per_unit.tolist() == [pytest.approx(0.9894), pytest.approx(2.25)]
    r = fleet.solve(p)
    assert r.ok and all(c["pflop_per_s"] >= c["demand_pflop_per_s"] - 1e-6 for c in r.costs)


@pytest.mark.parametrize("change, message", [
    ({"budget": {"usd_per_year": "2 GW"}}, "budget.usd_per_year"),
    ({"demand": {"unit": "pflop_per_s", "by_year": {2026: -5}}}, "demand.by_year must be >= 0"),
    ({"plan": {**SMALL["plan"], "sites": ["us-texsa"]}}, "us-texas"),
    ({"plan": {**SMALL["plan"], "accelerators": ["b2000"]}}, "b200"),
    # a supply table none of whose years is planned is a typo, not "no cap"
    ({"supply": {"b200": {2036: 5000}}}, r"supply.b200 gives no year of the plan \(2026-2027\)"),
])
def test_plan_bad_input(change, message):
    with pytest.raises((InputError, CatalogError), match=message):
        plan_file.plan_from_dict({**SMALL, **change})


def test_plan_schema_errors_are_one_line():
    with pytest.raises(ScenarioError, match="plan.years"):
        plan_file.plan_from_dict({"plan": {**SMALL["plan"], "years": [2030, 2026]}})
    for where, change in (("plan.lot_size", {"plan": {**SMALL["plan"], "lot_size": 8.5}}),
                          ("existing.0.count", {"existing": [{"site": "us-texas",
                                                              "accelerator": "h100-sxm",
                                                              "count": 100.5}]})):
        with pytest.raises(ScenarioError, match=f"{where}: .*whole number of accelerators"):
            plan_file.plan_from_dict({**SMALL, **change})
    with pytest.raises(ScenarioError, match="bogus: Extra inputs"):
        plan_file.plan_from_dict({**SMALL, "bogus": 1})
    # a scenario file given as a plan names what is missing, not pydantic's "Field required"
    with pytest.raises(ScenarioError, match=r"plan: missing; a plan file needs table \[plan\]"):
        plan_file.plan_from_dict({"inputs": {"site": "us-texas"}})
    with pytest.raises(ScenarioError, match="plan.years: missing; a plan file needs key 'years'"):
        plan_file.plan_from_dict({"plan": {k: v for k, v in SMALL["plan"].items()
                                           if k != "years"}})


def test_example_plans_solve():
    for name in ("examples/plan_small.toml", "examples/plan_1gw.toml"):
        p = plan_file.build_problem(plan_file.load_plan(name))
        r = fleet.solve(p)
        assert r.ok, r.explanation
        assert all(c["pflop_per_s"] >= c["demand_pflop_per_s"] * (1 - 1e-9) for c in r.costs)


def test_serving_demand_in_tokens_per_second():
    """Token demand is met with each generation's served tokens/s under the TPOT target."""
    from pathlib import Path

    from siliconomics.planning import fleet, plan_file
    from siliconomics.workloads import serving as inference

    path = Path(__file__).resolve().parents[3] / "examples" / "plan_serving.toml"
    spec = plan_file.load_plan(path)
    problem = plan_file.build_problem(spec)
    assert problem.capacity_unit == "output_tokens_per_s"
    b200 = problem.generations.index("b200")
    choice = inference.best_under_slo("llama-3.1-70b", "b200", prompt_tokens=2048,
                                      output_tokens=256, slo_tpot_s=0.05, precisions=("fp8",))
    assert problem.compute_per_unit[b200] == pytest.approx(
        choice.performance["output_tokens_per_s_per_accelerator"] * problem.unit_size)
    r = fleet.solve(problem)
    assert r.ok and r.capacity_unit == "output_tokens_per_s"
    for c in r.costs:
        assert c["output_tokens_per_s"] >= c["demand_output_tokens_per_s"] * (1 - 1e-9)


def test_plan_retires_earlier_when_resale_is_high():
    """The plan sells accelerators by the catalog's secondary-price curve: change the curve and
    the retirement decision changes."""
    from siliconomics.planning import fleet, plan_file

    plan = plan_file.load_plan(Path(__file__).resolve().parents[3] / "examples" / "plan_small.toml")
    retired = {}
    for level in ("high", "low"):
        with catalog.using(DATA / "catalog" / f"h100_resale_{level}.toml"):
            problem = plan_file.build_problem(plan)
            res = fleet.solve(problem)
        retired[level] = sum(r["retired"] for r in res.to_dict()["plan"]
                             if r["generation"] == "h100-sxm" and r["year"] <= 2027)
    assert retired["high"] > retired["low"]


def test_resale_curve_follows_the_series_then_declines():
    from siliconomics.planning.plan_file import resale_curve

    with catalog.using(DATA / "catalog" / "h100_resale_high.toml"):
        h = catalog.accelerator("h100")
        v = resale_curve(h, 40_000, [2025, 2026, 2028, 2031], 0.28)
    assert v[1] == pytest.approx(60_000) and v[2] == pytest.approx(60_000)
    assert v[3] == pytest.approx(60_000 * 0.72 ** (2031.5 - 2030.5))
    assert v[0] == pytest.approx(40_000 * 0.72 ** (2025 - h.year))  # before the series


RENT = """
[price_history.h100-test-rental]
name = "H100 1-year rental (test data)"
subject = "accelerators.h100-sxm"
measure = "rental-1y"
unit = "USD/h"
source = "siliconomics test data (2026)"
as_of = "2026"
points = [ {{ date = "2026", value = {price} }}, {{ date = "2028", value = {price} }} ]
"""


def test_plan_rents_when_the_rental_curve_is_cheap(tmp_path):
    """With renting allowed, the plan rents H100 capacity at a cheap rental price and buys at
    a dear one: the rental curve decides."""
    from siliconomics.planning import fleet, plan_file

    plan = plan_file.load_plan(DATA / "plan_rent.toml")
    rented = {}
    for price in (0.5, 50.0):
        p = tmp_path / f"rent_{price}.toml"
        p.write_text(RENT.format(price=price))
        with catalog.using(p):
            res = fleet.solve(plan_file.build_problem(plan)).to_dict()
        rented[price] = sum(r["in_service"] for r in res["plan"] if r["site"] == "rented")
    assert rented[0.5] > 0 and rented[50.0] == 0


def test_rental_curve_reads_the_series():
    from siliconomics.planning.plan_file import HOURS_PER_YEAR, rental_curve

    h = catalog.accelerator("h100")
    (s,) = history.series(h, "rental-1y")[:1]
    curve = rental_curve(h, [2025, 2026])
    assert curve[0] == pytest.approx(history.read(s, "2025").value * HOURS_PER_YEAR)
    assert np.isinf(rental_curve(catalog.accelerator("tpu-v5p"), [2026])).all()


def test_a_missing_plan_file_is_a_scenario_error(tmp_path):
    with pytest.raises(ScenarioError, match="not found"):
        plan_file.load_plan(tmp_path / "none.toml")


def test_supply_caps_count_accelerators_and_reject_other_units():
    ok = plan_file.plan_from_dict({**SMALL, "supply": {"b200": {2026: "800 accelerators/year"}}})
    assert ok.supply_cap[1, 0] == 800.0
    assert plan_file.supply_count(" 50 units ", "x") == 50.0
    for bad in ("5000 wafers/month", "3 GB", "20 B USD", "many"):
        with pytest.raises(InputError, match="counts accelerators per year"):
            plan_file.plan_from_dict({**SMALL, "supply": {"b200": {2026: bad}}})


def test_market_options_are_part_of_the_plan_schema():
    plan = plan_file.parse_plan({**SMALL, "plan": {**SMALL["plan"], "supply_share": 0.1,
                                                   "export_rules": True},
                                 "sites": {"us-texas": {"export_region": "tier-1"}}})
    assert plan.plan.supply_share == 0.1 and plan.plan.export_rules
    assert plan.sites["us-texas"].export_region == "tier-1"
    with pytest.raises(ScenarioError, match="supply_share"):
        plan_file.parse_plan({**SMALL, "plan": {**SMALL["plan"], "supply_share": 0}})
    # a problem allows every site and generation unless export rules say otherwise
    assert plan_file.build_problem(plan).allowed.all()


def test_a_plan_file_names_user_defined_sites_through_its_catalog_files(tmp_path):
    from pathlib import Path

    from siliconomics.planning import fleet, plan_file

    data = Path(__file__).resolve().parents[2] / "data" / "catalog" / "user_site.toml"
    (tmp_path / "my_sites.toml").write_text(data.read_text())
    p = tmp_path / "plan.toml"
    p.write_text('[plan]\nyears = [2026, 2027]\nsites = ["texas-ppa", "us-texas"]\n'
                 'accelerators = ["h100-sxm"]\n[catalog]\nfiles = ["my_sites.toml"]\n'
                 '[demand]\nby_year = { 2026 = 1000, 2027 = 2000 }\n'
                 '[sites.texas-ppa]\npower_available_mw = 100\n')
    spec = plan_file.load_plan(p)
    assert spec.catalog.files == [str(tmp_path / "my_sites.toml")]
    result = fleet.solve(plan_file.build_problem(spec))
    assert result.ok and {r["site"] for r in result.plan} <= {"texas-ppa", "us-texas"}
    # without the file, the site is unknown
    p.write_text(p.read_text().replace('files = ["my_sites.toml"]', "files = []"))
    with pytest.raises(Exception, match="texas-ppa"):
        plan_file.build_problem(plan_file.load_plan(p))


def test_plan_resale_is_net_of_transaction_costs_and_haircut():
    """Retired accelerators fetch the secondary price times (1 - haircut)(1 - costs)."""
    gross = {"plan": {**SMALL["plan"], "resale_transaction_cost": 0.0, "resale_haircut": 0.0},
             **{k: v for k, v in SMALL.items() if k != "plan"}}
    net = {"plan": {**SMALL["plan"], "resale_transaction_cost": 0.05, "resale_haircut": 0.2},
           **{k: v for k, v in SMALL.items() if k != "plan"}}
    g = plan_file.plan_from_dict(gross).resale_per_unit
    n = plan_file.plan_from_dict(net).resale_per_unit
    assert np.allclose(n, g * 0.95 * 0.8)
    default = plan_file.plan_from_dict(SMALL).resale_per_unit
    assert np.allclose(default, g * plan_file.net_sale_fraction(
        plan_file.RESALE_TRANSACTION_COST, plan_file.RESALE_HAIRCUT))
    with pytest.raises(ScenarioError):
        plan_file.plan_from_dict({"plan": {**SMALL["plan"], "resale_haircut": 1.0},
                                  **{k: v for k, v in SMALL.items() if k != "plan"}})
