"""``siliconomics industry``: how many foundries a node, and how many labs a frontier run, can fund;
the outlook of the loop between them, custom silicon against merchant parts, and retirement."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._common import console, count, handle_errors, money, parse_option, print_json

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
    samples: Annotated[int, typer.Option(parser=count(0, 10**6), metavar="COUNT", help="Monte Carlo samples for the 5-95% band (0: none; up to 1e6).")] = 1000,
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
    samples: Annotated[int, typer.Option(parser=count(0, 10**6), metavar="COUNT", help="Monte Carlo samples for the 5-95% bands (0: none; up to 1e6).")] = 1000,
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


# --- markets: token margins, GPU rental, demand, supply, export rules ------------------------

@app.command("tokens")
@handle_errors
def tokens(
    point: Annotated[list[str] | None, typer.Option("--point", help="Price point of catalog/token_prices.toml (repeat); default all.")] = None,
    accelerator: Annotated[str | None, typer.Option("--accelerator", "-a", help="Serve every model on this accelerator (default: the first of h100, h200, gb200 that holds it).")] = None,
    input_per_output: Annotated[float | None, typer.Option("--input-per-output", min=0.0, max=1e4, help="Input tokens per output token of the traffic (default: market parameter).")] = None,
    slo_tpot: Annotated[str | None, typer.Option("--slo-tpot", help="Time per output token the service meets, e.g. 50ms (default 50 ms).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
):
    """Gross margin on tokens: dated API prices against serving cost per provider type."""
    from ..industry import tokens as model

    tpot = parse_option(slo_tpot, "s", "--slo-tpot")
    result = model.margins(point, input_per_output=input_per_output, accelerator=accelerator,
                           slo_tpot_s=model.INTERACTIVE_TPOT_S if tpot is None else tpot)
    data = result.to_dict()
    if as_json:
        print_json(data)
        return
    _print_tokens(data)


def _print_tokens(d: dict) -> None:
    from rich.table import Table

    out = console()
    table = Table(title="Token prices against serving cost (USD per million tokens)",
                  title_justify="left")
    for col in ("model", "provider", "type", "date", "price in/out", "cost in/out",
                "on", "margin", "range"):
        table.add_column(col, justify="left" if col in ("model", "provider", "type", "on")
                         else "right")
    for r in d["rows"]:
        proxy = f"{r['tp']}x {r['accelerator']}" + (" *" if r["cost_proxy_assumption"] else "")
        table.add_row(r["model"], r["provider"], r["provider_type"], r["date"],
                      f"{money(r['input_usd_per_mtok'], 2)} / {money(r['output_usd_per_mtok'], 2)}",
                      f"{money(r['cost_usd_per_mtok_input'], 2)} / "
                      f"{money(r['cost_usd_per_mtok_output'], 2)}",
                      proxy, f"{r['margin']:.0%}",
                      f"{r['margin_low']:.0%} to {r['margin_high']:.0%}")
    out.print(table)
    types = ", ".join(f"{k} {v['utilization']:.0%} ({v['utilization_low']:.0%}-"
                      f"{v['utilization_high']:.0%}), {v['financing']} financing"
                      for k, v in d["provider_types"].items())
    out.print(f"margin = 1 - cost/price on {d['input_per_output']:g} input tokens per output "
              f"token, at each provider type's utilization: {types}; range: the utilization "
              f"range. Served at <= {d['slo_tpot_s'] * 1000:g} ms per output token. "
              f"* closed model: cost from a stand-in architecture (an estimate).")
    out.print("sources:")
    for r in d["rows"]:
        out.print(f"  {r['slug']}: {r['source']}" + (f" <{r['url']}>" if r["url"] else ""))


@app.command("rental")
@handle_errors
def rental(
    accelerator: Annotated[str, typer.Option("--accelerator", "-a", help="Catalog accelerator rented out.")] = "h100-sxm",
    rent: Annotated[str | None, typer.Option("--rent", help="Contract price per accelerator-hour, e.g. 2.1 or '2.1 USD' (default: catalog 1-year rental price at --at).")] = None,
    contract_years: Annotated[int, typer.Option("--contract-years", min=1, max=30, help="Years at the contract price.")] = 3,
    life_years: Annotated[int | None, typer.Option("--life-years", min=1, max=30, help="Years rented in all (default: the financing preset's accelerator life).")] = None,
    site: Annotated[str | None, typer.Option(help="Site of the fleet (default us-texas).")] = None,
    financing: Annotated[str, typer.Option(help="Financing preset of the owner (TCO cost of capital and lives).")] = "neocloud",
    spot_utilization: Annotated[float | None, typer.Option("--spot-utilization", min=0.0, max=1.0, help="Share of hours rented after the contract, in (0, 1].")] = None,
    debt_fraction: Annotated[float | None, typer.Option("--debt-fraction", min=0.0, max=0.99, help="Share of capex borrowed, in [0, 0.99].")] = None,
    debt_rate: Annotated[float | None, typer.Option("--debt-rate", min=0.0, max=1.0, help="Interest on the debt per year, e.g. 0.11.")] = None,
    at: Annotated[str, typer.Option("--at", help="Date of the catalog rental price, YYYY or YYYY-MM.")] = "2025",
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
):
    """IRR of a GPU-rental business: contract price vs TCO, utilization, debt service."""
    from ..industry import tokens as model

    price = parse_option(rent, "USD", "--rent")
    b = model.rental_business(accelerator, rental_usd_per_hour=price,
                              contract_years=contract_years, life_years=life_years, site=site,
                              financing=financing, spot_utilization=spot_utilization,
                              debt_fraction=debt_fraction, debt_rate=debt_rate, date=at)
    data = b.to_dict()
    if as_json:
        print_json(data)
        return
    from rich.table import Table

    i = data["inputs"]
    out = console()
    out.print(f"{i['accelerator']} at {i['site']} ({i['financing']} financing): capex "
              f"{money(i['capex_usd'])} per accelerator, opex {money(i['opex_usd_per_year'])}/year; "
              f"rented at {money(i['rental_usd_per_hour'], 2)}/h for {i['contract_years']} years, "
              f"then spot at {i['spot_utilization']:.0%} utilization, price falling "
              f"{i['spot_decline_per_year']:.0%}/year; {i['debt_fraction']:.0%} debt at "
              f"{i['debt_rate']:.1%}")
    table = Table(title="Cash flows per accelerator", title_justify="left")
    for col in ("year", "revenue", "opex", "debt service", "project", "equity"):
        table.add_column(col, justify="right")
    for k, y in enumerate(data["years"]):
        j = k - 1
        table.add_row(str(y), money(data["revenue_usd"][j]) if k else "",
                      money(data["opex_usd"][j]) if k else "",
                      money(data["debt_service_usd"][j]) if k else "",
                      money(data["project_cash_flows_usd"][k]),
                      money(data["equity_cash_flows_usd"][k]))
    out.print(table)
    fmt = lambda x: "none (never pays back)" if x is None else f"{x:.1%}"  # noqa: E731
    be = data["breakeven_rental_usd_per_hour"]
    out.print(f"project IRR {fmt(data['project_irr'])}, equity IRR {fmt(data['equity_irr'])}; "
              f"break-even contract price {money(be, 2) if be == be else 'n/a'}/h; TCO at full "
              f"utilization {money(data['tco_usd_per_hour'], 2)}/h")


@app.command("demand")
@handle_errors
def demand(
    start: Annotated[int, typer.Option("--from", min=1900, max=2200, help="First year (2024-2035).")] = 2025,
    end: Annotated[int, typer.Option("--to", min=1900, max=2200, help="Last year (2024-2035).")] = 2035,
    model: Annotated[str, typer.Option("--model", "-m", help="Catalog model that serves the tokens (sizes the fleet).")] = "llama-3.1-70b",
    provider: Annotated[str, typer.Option("--provider", help="Provider type serving them: lab-api, neocloud, hyperscaler.")] = "neocloud",
    accelerator: Annotated[str | None, typer.Option("--accelerator", "-a", help="Accelerator of the fleet (default: the first that holds the model).")] = None,
    price: Annotated[str | None, typer.Option("--price", help="Blended price per million tokens, e.g. 2 (default: the reference price, no price effect).")] = None,
    elasticity: Annotated[float | None, typer.Option("--elasticity", min=-10.0, max=10.0, help="Price elasticity of demand, <= 0 (default: market parameter).")] = None,
    users: Annotated[float | None, typer.Option("--users", min=0.0, max=1e11, help="Weekly AI-assistant users in the base year (default: market parameter).")] = None,
    share: Annotated[float | None, typer.Option("--plan-share", min=0.0, max=1.0, help="Also print a plan file's [demand] section for this share of the world fleet.")] = None,
    samples: Annotated[int, typer.Option(parser=count(0, 10**6), metavar="COUNT", help="Monte Carlo samples for the 5-95% band (0: none; up to 1e6).")] = 1000,
    seed: Annotated[int, typer.Option(min=0, max=2**32 - 1, help="Seed of the samples.")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
):
    """World inference demand by year: tokens, the serving fleet, and a plan's demand."""
    from ..errors import InputError
    from ..industry import demand as dm

    if start > end:
        raise InputError(f"--from must be <= --to, got {start} > {end}")
    p = parse_option(price, "USD", "--price")
    given = {"elasticity": elasticity, "users": users}
    proj = dm.project(range(start, end + 1), model=model, provider=provider,
                      accelerator=accelerator, price_usd_per_mtok=p, samples=samples, seed=seed,
                      **given)
    data = proj.to_dict()
    if share is not None:
        from .. import _checks

        _checks.fraction("--plan-share", share)
        data["plan_demand"] = {"unit": "accelerator_equivalents", "reference": proj.accelerator,
                               "by_year": {r["year"]: r["accelerators"] * share
                                           for r in proj.rows}}
    if as_json:
        print_json(data)
        return
    from rich.table import Table

    out = console()
    table = Table(title="World inference demand", title_justify="left")
    cols = ["year", "tokens/year"] + (["5-95%"] if samples else []) + ["accelerators"]
    for col in cols:
        table.add_column(col, justify="right")
    for r in data["rows"]:
        row = [str(r["year"]), f"{r['tokens_per_year']:.3g}"]
        if samples:
            row.append(f"{r['tokens_per_year_p5']:.2g} to {r['tokens_per_year_p95']:.2g}")
        row.append(f"{r['accelerators']:,.0f}")
        table.add_row(*row)
    out.print(table)
    c = data["check"]
    out.print(f"fleet: {data['model']} on {data['accelerator']} at {data['utilization']:.0%} "
              f"utilization, {data['output_tokens_per_s_per_accelerator']:,.0f} output tokens/s "
              f"per accelerator")
    verdict = ("above that lower bound" if c["at_least_google"] else
               "BELOW that lower bound: the base-year inputs understate demand")
    out.print(f"check ({c['year']}): predicted {c['predicted_tokens_per_month']:.3g} tokens/month "
              f"for the world vs {c['google_tokens_per_month']:.3g} for Google alone "
              f"(ratio {c['ratio']:.2f}, {verdict}; {c['source']})")
    if "plan_demand" in data:
        pd = data["plan_demand"]
        years = ", ".join(f"{y} = {v:.0f}" for y, v in pd["by_year"].items())
        out.print(f"[demand]\nunit = \"{pd['unit']}\"\nreference = \"{pd['reference']}\"\n"
                  f"by_year = {{ {years} }}", markup=False, highlight=False)


@app.command("supply")
@handle_errors
def supply(
    accelerator: Annotated[list[str] | None, typer.Option("--accelerator", "-a", help="Catalog accelerator (repeat); default h100, b200, gb200, mi300x, h20.")] = None,
    year: Annotated[int, typer.Option("--year", min=1900, max=2200, help="Year within the supply data (2024-2026).")] = 2025,
    which: Annotated[str, typer.Option("--which", help="End of the capacity ranges: value, low or high.")] = "value",
    demand_units: Annotated[float | None, typer.Option("--demand", min=0.0, max=1e12, help="Accelerators demanded in the year: adds the scarcity price of each.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
):
    """Most accelerators of each kind buildable in a year from CoWoS, HBM and logic capacity."""
    from .. import catalog
    from ..industry import supply as model

    names = accelerator or ["h100-sxm", "b200", "gb200", "mi300x", "h20"]
    rows = []
    for n in names:
        d = model.max_buildable(n, year, which=which).to_dict()
        if demand_units is not None:
            list_price = float(catalog.accelerator(n).price_usd)
            d["list_price_usd"] = list_price
            d["scarcity_price_usd"] = model.scarcity_price(list_price, demand_units,
                                                           d["accelerators_per_year"])
        rows.append(d)
    data = {"year": year, "which": which, "rows": rows,
            "capacity": rows[0]["capacity"] if rows else {}}
    if as_json:
        print_json(data)
        return
    from rich.table import Table

    out = console()
    table = Table(title=f"Accelerators buildable in {year} if all capacity went to one kind",
                  title_justify="left")
    cols = ["accelerator", "CoWoS", "HBM", "logic", "most", "binds"]
    if demand_units is not None:
        cols += ["list", "scarcity price"]
    for col in cols:
        table.add_column(col, justify="left" if col in ("accelerator", "binds") else "right")
    fmt = lambda x: "-" if x is None else f"{x / 1e6:,.2f}M"  # noqa: E731
    for r in rows:
        b = r["by_limit"]
        row = [r["accelerator"], fmt(b["cowos"]), fmt(b["hbm"]), fmt(b["logic"]),
               fmt(r["accelerators_per_year"]), r["binding"]]
        if demand_units is not None:
            row += [money(r["list_price_usd"]), money(r["scarcity_price_usd"])]
        table.add_row(*row)
    out.print(table)
    cap = data["capacity"]
    out.print(f"capacity available to accelerators in {year}: {cap.get('cowos', 0):,.0f} CoWoS "
              f"wafers, {cap.get('hbm', 0):.3g} GB of HBM, {cap.get('logic', 0):,.0f} leading-edge "
              f"logic wafers (catalog/supply_capacity.toml, {which})")


_SHORT = {"allowed": "A", "licence": "L", "prohibited": "P"}


@app.command("export")
@handle_errors
def export(
    accelerator: Annotated[list[str] | None, typer.Option("--accelerator", "-a", help="Catalog accelerator (repeat); default the whole catalog.")] = None,
    site: Annotated[str | None, typer.Option("--site", help="Also say whether this site may host each part.")] = None,
    region: Annotated[str | None, typer.Option("--region", help="Export region of the site instead of its country's: tier-1, tier-2, tier-3.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
):
    """US export class (ECCN 3A090) of each accelerator from TPP and performance density."""
    from ..errors import InputError
    from ..industry import export as model

    if region is not None and site is None:
        raise InputError("--region sets a site's export region; add --site")
    t = model.table(accelerator)
    data = t.to_dict()
    if site is not None:
        tier = model.site_tier(site, region)
        data["site"] = {"site": site, "tier": tier}
        for r in data["rows"]:
            r["at_site"] = r["by_tier"][tier]
    if as_json:
        print_json(data)
        return
    from rich.table import Table

    out = console()
    table = Table(title="Export class under ECCN 3A090 (BIS, Oct 2023)", title_justify="left")
    cols = ["accelerator", "TPP", "die mm2", "density", "class", "price", "tier 1/2/3"]
    if site is not None:
        cols.append(f"at {site}")
    for col in cols:
        table.add_column(col, justify="left" if col in ("accelerator", "class", "tier 1/2/3")
                         or col.startswith("at ") else "right")
    for r in data["rows"]:
        row = [r["accelerator"], f"{r['tpp']:,.0f}", f"{r['die_area_mm2']:,.0f}",
               f"{r['performance_density']:.2f}", r["class"], money(r["price_usd"]),
               "/".join(_SHORT[r["by_tier"][k]] for k in (1, 2, 3))]
        if site is not None:
            row.append(r["at_site"])
        table.add_row(*row)
    out.print(table)
    out.print("tier 1/2/3: A allowed, L needs a licence, P prohibited")
    out.print(f"thresholds: {data['sources']['thresholds']}")
    out.print(f"tiers: {data['sources']['regions']}")
