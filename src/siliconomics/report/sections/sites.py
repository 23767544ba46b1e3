"""Report section "Sites and plan": ranked sites, the fleet by generation, where each MW goes."""

from __future__ import annotations

from pathlib import Path

from ..html import Section

#: Plan solved for the report.
PLAN = Path(__file__).resolve().parents[4] / "examples" / "plan_1gw.toml"


def sites_section(accelerator="b200", accelerators=100_000, financing="hyperscaler") -> Section:
    from ...planning import compare_sites
    from .. import plots

    comp = compare_sites(accelerator, accelerators=accelerators, financing=financing)
    rows = comp.rows
    components = {c: [r.breakdown[c] for r in rows] for c in rows[0].breakdown}
    svg = plots.stacked_bars([r.site for r in rows], components, "USD per accelerator-hour",
                             annotate_share="power")
    shares = [r.power_share for r in rows]
    first = min(rows, key=lambda r: r.earliest_power_year)
    return Section(
        id="sites",
        title="Sites and plan: where to build",
        intro=(f"Cost of a {comp.accelerator} hour at every catalog site ({accelerators:,} "
               "accelerators), with operational carbon (annual energy times the grid's average "
               "intensity) and the earliest year new power arrives (time to power counted from "
               "2025; catalog values are labelled assumptions unless sourced)."),
        findings=[f"Power is {min(shares):.1%} to {max(shares):.1%} of the hourly cost across "
                  f"{len(rows)} sites: cheapest {rows[0].site} (${rows[0].usd_per_accelerator_hour:.2f}/h), "
                  f"dearest {rows[-1].site} (${rows[-1].usd_per_accelerator_hour:.2f}/h). Power "
                  f"arrives first at {first.site} ({first.earliest_power_year:g})."],
        figures=[(svg, "Cost per accelerator-hour by component and site, cheapest first; labels "
                       "give the total and power's share.")],
        tables=[("Sites ranked by cost per accelerator-hour", comp.to_frame())],
        data=comp.to_dict(),
    )


def plan_section(path=PLAN) -> Section:
    import pandas as pd

    from ...planning import fleet, plan_file
    from .. import plots

    spec = plan_file.load_plan(path)
    result = fleet.solve(plan_file.build_problem(spec), spec.plan.objective)
    if not result.ok:
        return Section(id="plan", title="Sites and plan: build-out",
                       intro=f"{spec.plan.name}: no feasible plan.", findings=result.explanation)
    plt = plots._pyplot()
    years = [c["year"] for c in result.costs]
    by_gen = result.fleet_by_generation()
    fig, ax = plt.subplots(figsize=(8, 3.2))
    ax.stackplot(years, [[v / 1e3 for v in vals] for vals in by_gen.values()],
                 labels=list(by_gen))
    ax.set_ylabel("accelerators in service (thousands)")
    ax.legend(loc="upper left", frameon=False, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    svg = plots.to_svg(fig)
    mw = pd.DataFrame([
        {"year": m["year"], "site": m["site"], "MW built": m["mw_built"],
         "capacity MW": m["capacity_mw"], "MW used": m["mw_used"],
         "MW available": m["power_available_mw"], "value of 1 MW USD": m["mw_value"]}
        for m in result.sites if m["capacity_mw"] > 0 or m["mw_value"]
    ])
    return Section(
        id="plan",
        title="Sites and plan: build-out across generations",
        intro=(f"{spec.plan.name}: least net present cost of meeting demand with MW to build and "
               "accelerators to buy, keep and retire per year, site and generation (mixed-integer "
               f"program, HiGHS; {result.model_size['variables']} variables, "
               f"{result.model_size['constraints']} constraints, solved in "
               f"{result.solve_seconds:.1f} s). The value of one more MW is the dual of the power "
               "limit in the LP relaxation."),
        findings=[f"Net present cost ${result.npv_usd / 1e9:,.1f}B; binding: "
                  + (", ".join(sorted({b['constraint'] for b in result.binding_constraints})) or "none")
                  + "."],
        figures=[(svg, "Accelerators in service by generation over the plan years.")],
        tables=[("Where each MW goes, by site and year", mw)],
        data=result.to_dict(),
    )


def build(ctx) -> list[Section]:
    """Ranked sites for the report's cluster size, then the built-in 1 GW plan."""
    return [sites_section("b200", ctx.accelerators, ctx.financing), plan_section()]
