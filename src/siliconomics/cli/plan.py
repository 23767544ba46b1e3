"""``siliconomics plan PLAN.toml``: the least-cost (or most-compute) build-out plan."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._common import console, handle_errors, money, print_json


@handle_errors
def plan(
    path: Annotated[Path, typer.Argument(help="Plan file (TOML); see examples/plan_*.toml.")],
    objective: Annotated[str | None, typer.Option(help="cost (least NPV) or compute (most PFLOP/s-years); default from the file.")] = None,
    time_limit: Annotated[float, typer.Option("--time-limit", min=0.1, max=86_400, help="Solver time limit [s].")] = 60.0,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
):
    """Solve a build-out plan: MW to build, accelerators to buy, keep and retire per year and site."""
    from ..errors import InputError
    from ..planning import fleet, plan_file

    spec = plan_file.load_plan(path)
    obj = spec.plan.objective if objective is None else objective
    if obj not in ("cost", "compute"):
        raise InputError(f"--objective must be 'cost' or 'compute', got {obj!r}")
    problem = _market_rules(plan_file.build_problem(spec), spec)
    result = fleet.solve(problem, obj, time_limit=time_limit)
    result.raise_for_status()
    if as_json:
        data = result.to_dict()
        data["name"] = spec.plan.name
        print_json(data)
        return
    from rich.table import Table

    from ..planning.fleet import CAPACITY_LABELS

    out = console()
    out.print(f"{spec.plan.name}: status {result.status}, objective {obj}, "
              f"NPV {money(result.npv_usd)}, {result.compute_pflop_s_years:,.0f} {CAPACITY_LABELS.get(result.capacity_unit, result.capacity_unit)}-years; "
              f"{result.model_size['variables']} variables "
              f"({result.model_size['integer_variables']} integer), "
              f"{result.model_size['constraints']} constraints, {result.solve_seconds:.2f} s")
    table = Table(title="Plan by year, site and generation", title_justify="left")
    for col in ("year", "site", "generation", "in service", "bought", "retired", "MW"):
        table.add_column(col, justify="left" if col in ("site", "generation") else "right")
    for r in result.plan:
        table.add_row(str(r["year"]), r["site"], r["generation"], f"{r['in_service']:,.0f}",
                      f"{r['bought']:,.0f}", f"{r['retired']:,.0f}", f"{r['mw']:,.1f}")
    out.print(table)
    costs = Table(title="Costs by year (undiscounted)", title_justify="left")
    unit = result.capacity_unit
    for col in ("year", "capex", "opex", "resale", CAPACITY_LABELS.get(unit, unit), "demand"):
        costs.add_column(col, justify="right")
    for c in result.costs:
        costs.add_row(str(c["year"]), money(c["capex_usd"]), money(c["opex_usd"]),
                      money(c["resale_usd"]), f"{c[unit]:,.0f}", f"{c['demand_' + unit]:,.0f}")
    out.print(costs)
    valued = [m for m in result.sites if m["mw_value"]]
    if valued:
        unit = ("USD (present value)" if obj == "cost"
                else f"{CAPACITY_LABELS.get(result.capacity_unit, result.capacity_unit)}-years")
        out.print("value of one more MW available, " + unit + ": " + ", ".join(
            f"{m['site']} {m['year']}: {m['mw_value']:,.0f}" for m in valued))
    for b in result.binding_constraints:
        where = " ".join(str(b[k]) for k in ("site", "generation", "year") if k in b)
        out.print(f"binding: {b['constraint']} {where} (limit {b['limit']:,.4g} {b['unit']})")


def _market_rules(problem, spec):
    """The plan's market options: a share of world supply caps purchases; export rules limit
    which accelerators each site may host."""
    p = spec.plan
    regions = {k: v.export_region for k, v in spec.sites.items() if v.export_region is not None}
    if p.supply_share is not None:
        from ..industry import supply

        problem = supply.cap_plan(problem, p.supply_share)
    if p.export_rules or regions:
        from ..industry import export

        if not p.export_rules:
            for name in regions.values():
                export.region(name)  # a named region is checked even when rules are off
        else:
            problem = export.restrict_plan(problem, regions=regions, licences=p.export_licences)
    return problem


def register(app: typer.Typer) -> None:
    """Add the ``plan`` command."""
    app.command("plan")(plan)
