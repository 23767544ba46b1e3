"""``siliconomics industry``: how many foundries a node, and how many labs a frontier run, can fund;
the outlook of the loop between them, custom silicon against merchant parts, and retirement."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._common import console, handle_errors, money, print_json

app = typer.Typer(help="Industry dynamics: foundries per node, labs per frontier run.",
                  no_args_is_help=True)


@app.command("foundries")
@handle_errors
def foundries(
    holdout: Annotated[list[str] | None, typer.Option("--holdout", help="Node left out of the calibration (repeat); default 7nm and 3nm.")] = None,
    leader_volume_ratio: Annotated[float | None, typer.Option("--leader-volume-ratio", min=1.0, max=1e6, help="Leader's cumulative volume over each follower's, >= 1 (1: symmetric).")] = None,
    margin: Annotated[float | None, typer.Option(min=0.0, max=1.0, help="Leader's margin on wafer revenue, in (0, 1].")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
):
    """Viable leading-edge foundries per node (130 nm to 2 nm) against the historical count."""
    from ..industry import foundries as model

    bt = model.backtest(tuple(holdout) if holdout else model.HELD_OUT,
                        leader_volume_ratio=leader_volume_ratio, margin=margin)
    data = bt.to_dict()
    if as_json:
        print_json(data)
        return
    from rich.table import Table

    out = console()
    table = Table(title="Leading-edge logic: viable firms per node vs history", title_justify="left")
    for col in ("node", "year", "viable", "historical", "fixed cost", "revenue pool/yr",
                "break-even wafers/mo", ""):
        table.add_column(col, justify="left" if col in ("node", "") else "right")
    for r in bt.rows:
        hist = "" if r["historical_firms"] is None else str(r["historical_firms"])
        table.add_row(r["name"], str(r["year"]), str(r["viable_firms"]), hist,
                      money(r["fixed_cost_usd"]), money(r["revenue_pool_usd"]),
                      f"{r['breakeven_wafers_per_month']:,.0f}",
                      "held out" if r["held_out"] else "")
    out.print(table)
    out.print(f"calibrated share of world semiconductor sales funding the leading edge: "
              f"{bt.addressable_share:.3f} in 2010, drifting {bt.share_growth:+.3f} a year; leader volume ratio {bt.params['leader_volume_ratio']:g}, "
              f"progress ratio {bt.params['progress_ratio']:g}, margin {bt.params['margin']:g}")
    errors = ", ".join(f"{k} {v:+d}" for k, v in bt.errors("held_out").items())
    out.print(f"held-out error (predicted - historical firms): {errors or 'none'}")


@app.command("labs")
@handle_errors
def labs(
    scenario: Annotated[Path | None, typer.Option("--scenario", help="Scenario file (model \"labs\") whose [inputs] set parameters to numbers or distributions.")] = None,
    start: Annotated[int, typer.Option("--from", min=2000, max=2100, help="First year.")] = 2025,
    end: Annotated[int, typer.Option("--to", min=2000, max=2100, help="Last year.")] = 2035,
    samples: Annotated[int, typer.Option(min=0, max=10**6, help="Monte Carlo samples for the 5-95% band (0: none).")] = 1000,
    seed: Annotated[int, typer.Option(min=0, max=2**32 - 1, help="Seed of the samples.")] = 0,
    run_cost: Annotated[str, typer.Option("--run-cost", help="reconciled (training model calibrated on GPT-4), or the cross-checks trend (catalog) and training (uncalibrated).")] = "reconciled",
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
):
    """Labs able to fund a frontier training run each year, with the revenue one lab needs."""
    from ..errors import InputError
    from ..scenario.models import labs_projection

    if start > end:
        raise InputError(f"--from must be <= --to, got {start} > {end}")
    proj = labs_projection(range(start, end + 1), samples=samples, seed=seed, run_cost=run_cost,
                           scenario=scenario)
    if as_json:
        print_json(proj.to_dict())
        return
    from rich.table import Table

    out = console()
    table = Table(title="Frontier AI labs able to fund a frontier run", title_justify="left")
    cols = ["year", "run cost", "revenue pool", "needed per lab", "viable labs",
            "with leader", "capex/revenue"]
    if samples:
        cols.append("labs 5-95%")
    for col in cols:
        table.add_column(col, justify="right")
    for r in proj.rows:
        row = [str(r["year"]), money(r["run_cost_usd"]), money(r["revenue_pool_usd"]),
               money(r["required_revenue_usd"]), str(r["viable_labs"]),
               str(r["viable_labs_with_leader"]), f"{r['capex_share_of_revenue']:.2f}"]
        if samples:
            b = r["band"]["viable_labs"]
            row.append(f"{b['p5']:.0f} to {b['p95']:.0f}")
        table.add_row(*row)
    out.print(table)
    p = proj.parameters
    cost = (f"run cost x{p['run_cost_growth_per_year']:g}/year" if proj.run_cost_source == "trend"
            else f"run cost by the {proj.run_cost_source} method, compute "
                 f"x{p['compute_growth_per_year']:g}/year")
    out.print(f"{cost}; revenue x{p['revenue_growth_per_year']:g} "
              f"in the first year, growth persistence {p['revenue_growth_persistence']:g}; margin after "
              f"serving {1 - p['serving_cost_share'] - p['other_cost_share']:.2f}; payback "
              f"{p['payback_years']:g} year(s)")


@app.command("outlook")
@handle_errors
def outlook(
    start: Annotated[int, typer.Option("--from", min=2000, max=2100, help="First year (2025-2040).")] = 2025,
    end: Annotated[int, typer.Option("--to", min=2000, max=2100, help="Last year (2025-2040).")] = 2035,
    samples: Annotated[int, typer.Option(min=0, max=10**6, help="Monte Carlo samples for the 5-95% bands (0: none).")] = 1000,
    seed: Annotated[int, typer.Option(min=0, max=2**32 - 1, help="Seed of the samples.")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
):
    """The foundry-lab loop year by year: capex -> accelerators -> wafers -> foundries; revenue -> the frontier run funded and the constraint that binds."""
    from ..industry import outlook as model

    result = model.outlook(model.check_years(start, end), samples=samples, seed=seed)
    if as_json:
        print_json(result.to_dict())
        return
    _print_outlook(result, samples)


def _print_outlook(result, samples: int) -> None:
    from rich.table import Table

    out = console()
    table = Table(title="Outlook: capex, foundries, labs and the binding constraint",
                  title_justify="left")
    cols = ["year", "capex", "accelerators", "foundry AI rev.", "foundries", "lab revenue",
            "trend run", "funded run", "labs", "binds"]
    if samples:
        cols.append("funded run 5-95%")
    for col in cols:
        table.add_column(col, justify="left" if col == "binds" else "right")
    for r in result.rows:
        binds = r["binding"]
        if samples:
            binds += f" ({r['binding_share'][r['binding']]:.0%})"
        row = [str(r["year"]), money(r["capex_usd"]), f"{r['accelerators_built'] / 1e6:.1f}M",
               money(r["foundry_ai_revenue_usd"]), str(r["viable_foundries"]),
               money(r["lab_revenue_usd"]), money(r["trend_run_cost_usd"]),
               money(r["funded_run_cost_usd"]), str(r["viable_labs"]), binds]
        if samples:
            b = r["band"]["funded_run_cost_usd"]
            row.append(f"{money(b['p5'])} to {money(b['p95'])}")
        table.add_row(*row)
    out.print(table)
    out.print("binds: the smallest of the trend run (fixed cost), the leader's fundable run "
              "(revenue), one cluster's share of the accelerators built (supply) and the largest "
              "site's power (power); in brackets the share of samples where it binds")


@app.command("asic")
@handle_errors
def asic(
    case: Annotated[list[str] | None, typer.Option("--case", help="Published case (repeat): tpu-v5p, trainium2, tpu-v6e; default all.")] = None,
    vendor_margin: Annotated[float | None, typer.Option("--vendor-margin", min=0.0, max=0.99, help="Merchant vendor's gross margin in [0, 0.99); default the catalog price's.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
):
    """Custom accelerator vs merchant: NRE, unit cost, break-even volume and what drives it; fabless vs own fab."""
    from ..industry import custom_silicon as model

    names = list(dict.fromkeys(case)) if case else list(model.CASES)
    cases = [model.case(n) for n in names]
    over = {} if vendor_margin is None else {"vendor_margin": vendor_margin}
    results = [{**model.break_even(c, **over), "sensitivity": model.sensitivity(c)} for c in cases]
    structure = model.fabless_vs_idm()
    if as_json:
        print_json({"cases": results, "fabless_vs_idm": structure})
        return
    _print_asic(results, structure)


def _print_asic(results: list, structure: dict) -> None:
    from rich.table import Table

    out = console()
    table = Table(title="Custom silicon vs merchant: break-even volume", title_justify="left")
    for col in ("case", "NRE", "custom cost", "merchant price", "perf. ratio", "saving/chip",
                "break-even chips", "drivers (tornado)"):
        table.add_column(col, justify="left" if col in ("case", "drivers (tornado)") else "right")
    for r in results:
        units = r["break_even_units"]
        shown = "never" if units == float("inf") else f"{units:,.0f}"
        drivers = ", ".join(row["input"] for row in r["sensitivity"][:3])
        table.add_row(r["case"], money(r["nre_usd"]), money(r["custom_unit_cost_usd"]),
                      money(r["merchant_price_usd"]), f"{r['performance_ratio']:.2f}",
                      money(r["saving_per_unit_usd"]), shown, drivers)
    out.print(table)
    for r in results:
        out.print(f"{r['custom']}: {r['volume_note']}")
    out.print(f"fabless vs own fab at {structure['node']} ({structure['utilization']:.0%} "
              f"utilised): an own fab and node pay off above "
              f"{structure['break_even_wafers_per_month']:,.0f} wafers/month")


@app.command("retire")
@handle_errors
def retire(
    accelerator: Annotated[str, typer.Option("--accelerator", "-a", help="Catalog accelerator with rental and resale prices (h100, a100, h200, ...).")] = "h100-sxm",
    year: Annotated[int, typer.Option("--year", min=2000, max=2100, help="Decision year (from the part's launch to 2040).")] = 2027,
    units: Annotated[float, typer.Option("--units", min=1.0, max=1e8, help="Accelerators sold together (sets the thin-market haircut).")] = 1000.0,
    site: Annotated[str | None, typer.Option("--site", "-s", help="Catalog site whose power price applies.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
):
    """Keep, sell or move to inference: each option's value per accelerator at market prices, and the decision."""
    from ..industry import retirement as model

    d = model.decide(accelerator, year, units=units, site=site, warn=False)
    if as_json:
        print_json(d.to_dict())
        return
    from rich.table import Table

    out = console()
    table = Table(title=f"Retire {d.accelerator} in {d.year}? ({d.units:,.0f} units)",
                  title_justify="left")
    table.add_column("option")
    table.add_column("value per accelerator", justify="right")
    table.add_column("")
    notes = {"keep": f"rent-equivalent value until {d.detail['keep_until']}, then sold",
             "sell": f"secondary {money(d.detail['secondary_price_usd'])} x "
                     f"{d.detail['net_sale_fraction']:.2f} after costs and haircut",
             "inference": f"serving until {d.detail['inference_until']}, then sold"}
    for k in model.OPTIONS:
        table.add_row(("> " if k == d.decision else "  ") + k, money(d.values[k]), notes[k])
    out.print(table)
    out.print(f"decision: {d.decision}; rental {d.detail['rental_usd_per_hour']:.2f} USD/h, power "
              f"and operations {d.detail['opex_usd_per_hour']:.2f} USD/h"
              + ("; prices past the catalog's last point extrapolated"
                 if d.detail["price_series_extrapolated"] else ""))


def register(parent: typer.Typer) -> None:
    """Add the ``industry`` command group to the CLI."""
    parent.add_typer(app, name="industry")
