"""Report section "Sites and plan": ranked sites, the fleet by generation, where each MW goes."""

from __future__ import annotations

import threading
from pathlib import Path

from ..html import Section

#: Plan solved for the report.
PLAN = Path(__file__).resolve().parents[4] / "examples" / "plan_1gw.toml"


class Background:
    """A function run in a daemon thread (the solver releases the GIL, so the other sections
    are built meanwhile); :meth:`result` waits and returns its value or raises its error."""

    def __init__(self, func, *args):
        self._value, self._error = None, None

        def run():
            try:
                self._value = func(*args)
            except BaseException as exc:  # handed to the caller of result()
                self._error = exc

        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()

    def result(self):
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value

    def wait(self) -> None:
        """Wait for the thread to end, whatever its outcome (a solver is never left running
        when the process exits)."""
        self._thread.join()


#: Wall-clock limit of the plan's solver in the report: ten times the solver's default, so that a
#: busy machine (the solve runs beside the other sections) slows the report down rather than
#: cutting the search short. [s]
PLAN_TIME_LIMIT_S = 600.0


def solve_plan(path=PLAN):
    """The plan file at ``path`` and its solved :class:`~siliconomics.planning.fleet` result."""
    from ...planning import fleet, plan_file

    spec = plan_file.load_plan(path)
    return spec, fleet.solve(plan_file.build_problem(spec), spec.plan.objective,
                             time_limit=PLAN_TIME_LIMIT_S)


def sites_section(accelerator="h100-sxm", accelerators=100_000, financing="hyperscaler") -> Section:
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
        title=f"Sites: where to build a {comp.accelerator} cluster",
        intro=(f"Cost of a {comp.accelerator} hour at every catalog site ({accelerators:,} "
               "accelerators), with operational carbon (annual energy times the grid's average "
               "intensity) and the earliest year new power arrives (time to power counted from "
               "2025; catalog values are labelled assumptions unless sourced)."),
        findings=[f"Power is {min(shares):.1%} to {max(shares):.1%} of the hourly cost across "
                  f"{len(rows)} sites: cheapest {rows[0].site} (${rows[0].usd_per_accelerator_hour:.2f}/h), "
                  f"dearest {rows[-1].site} (${rows[-1].usd_per_accelerator_hour:.2f}/h). Power "
                  f"arrives first at {first.site} ({first.earliest_power_year:g})."],
        figures=[(svg, "Cost per accelerator-hour by component and site, cheapest first; labels "
                       "give the total and power's share.",
                  f"Stacked horizontal bars of the cost of one {comp.accelerator} hour at "
                  f"{len(rows)} sites, from ${rows[0].usd_per_accelerator_hour:.2f} at "
                  f"{rows[0].site} to ${rows[-1].usd_per_accelerator_hour:.2f} at "
                  f"{rows[-1].site}, power {min(shares):.0%} to {max(shares):.0%} of it.")],
        tables=[("Sites ranked by cost per accelerator-hour", comp.to_frame())],
        data=comp.to_dict(),
        how_to_read=("One bar per site, cheapest at the top; each colour is a cost component, "
                     "so a long red (power) segment marks a site where the electricity price "
                     "or the PUE decides the ranking. The table adds what the bars cannot show: "
                     "carbon per hour and the year power could arrive."),
    )


def plan_section(path=PLAN, solved=None) -> Section:
    """The build-out plan of the plan file at ``path`` (``solved``: its :func:`solve_plan`)."""
    import pandas as pd

    from .. import plots

    spec, result = solved if solved is not None else solve_plan(path)
    title = f"Build-out plan: {spec.plan.name} (the plan file's own accelerators and sites)"
    if not result.ok:
        return Section(id="plan", title=title,
                       intro=f"{spec.plan.name}: " + ("no feasible plan." if result.status ==
                                                      "infeasible" else
                                                      f"no plan found (solver: {result.status})."),
                       findings=result.explanation)
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
        title=title,
        intro=(f"{spec.plan.name}: least net present cost of meeting demand with MW to build and "
               "accelerators to buy, keep and retire per year, site and generation (mixed-integer "
               f"program, HiGHS; {result.model_size['variables']} variables, "
               f"{result.model_size['constraints']} constraints, solved in "
               f"{result.solve_seconds:.1f} s). The value of one more MW is the dual of the power "
               "limit in the LP relaxation."),
        findings=[f"Net present cost ${result.npv_usd / 1e9:,.1f}B; binding: "
                  + (", ".join(sorted({b['constraint'] for b in result.binding_constraints})) or "none")
                  + "."],
        figures=[(svg, "Accelerators in service by generation over the plan years.",
                  "Stacked area chart of accelerators in service, in thousands, by generation "
                  f"and year from {years[0]} to {years[-1]}.")],
        tables=[("Where each MW goes, by site and year", mw)],
        data=result.to_dict(),
        how_to_read=("The chart shows the fleet the solver chose each year, one colour per "
                     "accelerator generation: older generations shrink as they are retired. "
                     "In the table a site's MW used at its MW available means power binds "
                     "there; the value of 1 MW says what one more MW would save."),
    )


def prefetch(ctx) -> None:
    """Start solving the built-in plan in the background."""
    job = Background(solve_plan, PLAN)
    ctx.extra["plan"] = job
    ctx.extra.setdefault("background", []).append(job)


def build(ctx) -> list[Section]:
    """The report's accelerator ranked at every site for its cluster size, then the built-in
    1 GW plan (solved in the background since :func:`prefetch`, when it was called)."""
    job = ctx.extra.get("plan")
    return [sites_section(ctx.accelerator, ctx.accelerators, ctx.financing),
            plan_section(PLAN, job.result() if job is not None else None)]
