"""``siliconomics tco``: what an accelerator-hour costs to own."""

from __future__ import annotations

from typing import Annotated

import typer

from ._common import (MAX_ACCELERATORS, BusyDraw, CarbonFreeShare, EmissionsBasis, EnergyScope,
                      console, energy_convention, handle_errors, money, parse_option, print_json)


@handle_errors
def tco(
    accelerator: Annotated[str, typer.Option("--accelerator", "-a", help="Catalog accelerator, e.g. h100, b200.")] = "h100-sxm",
    site: Annotated[str, typer.Option("--site", "-s", help="Catalog site, e.g. us-texas, malaysia-johor.")] = "us-texas",
    accelerators: Annotated[int, typer.Option("--accelerators", "-n", min=1, max=MAX_ACCELERATORS, help="Accelerators in the cluster.")] = 100_000,
    financing: Annotated[str, typer.Option(help="Financing preset: hyperscaler, neocloud, sovereign.")] = "hyperscaler",
    system: Annotated[str | None, typer.Option("--system", help="System the accelerators are installed in, e.g. hgx-h100, gb200-nvl72 (default: the accelerator's own).")] = None,
    utilization: Annotated[float, typer.Option(help="Fraction of hours doing paid work, in (0, 1].")] = 1.0,
    power_price: Annotated[str | None, typer.Option("--power-price", help='Electricity price, e.g. "0.09 USD/kWh" or "9 ¢/kWh".')] = None,
    pue: Annotated[float | None, typer.Option(help="Power usage effectiveness, >= 1.")] = None,
    price: Annotated[str | None, typer.Option("--price", help='Accelerator price, e.g. "30000 USD" or "$30k".')] = None,
    build_cost: Annotated[str | None, typer.Option("--build-cost", help='Facility build cost per MW of IT, e.g. "11.7 MUSD/MW".')] = None,
    rent: Annotated[str | None, typer.Option("--rent", help='Compare with a rental price, e.g. "2.5 USD/h".')] = None,
    method: Annotated[str, typer.Option(help="owned (annualised capex) or epoch (Cottier et al. 2024 amortisation).")] = "owned",
    purchase_date: Annotated[str | None, typer.Option("--purchase-date", help="With --method epoch: the price at this date from the catalog's price series (YYYY or YYYY-MM).")] = None,
    run_date: Annotated[str | None, typer.Option("--run-date", help="With --method epoch: when the run starts (YYYY or YYYY-MM); the hardware is depreciated from --purchase-date to it.")] = None,
    energy_scope: EnergyScope = "facility",
    busy_draw: BusyDraw = None,
    emissions: EmissionsBasis = "location",
    carbon_free_share: CarbonFreeShare = 0.0,
    pricing: Annotated[str, typer.Option(help="Accelerator price: list (catalog), cost-plus (manufacturing cost times 1 + markup) or pass-through (list plus a share of any change in manufacturing cost).")] = "list",
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
):
    """What one accelerator-hour costs to own at a site, by component, with cluster totals."""
    from .. import tco as tco_model
    from ..errors import InputError, unknown

    if method not in ("owned", "epoch"):
        raise InputError(unknown("method", method, ["owned", "epoch"]))
    if purchase_date is not None and method != "epoch":
        raise InputError("--purchase-date applies to --method epoch; add --method epoch")
    if run_date is not None and method != "epoch":
        raise InputError("--run-date applies to --method epoch; add --method epoch")
    convention = energy_convention(energy_scope, busy_draw, emissions, carbon_free_share)
    age = 0.0
    if run_date is not None or purchase_date is not None:
        age = tco_model.hardware_age_years(purchase_date or run_date, run_date or purchase_date)
    if price is not None and pricing == "cost-plus":
        raise InputError("--price sets the accelerator price, --pricing cost-plus derives it from "
                         "the manufacturing cost: give one of them")
    rental = parse_option(rent, "USD/hour", "--rent")
    if rental is not None:
        from .. import _checks

        _checks.within("--rent", rental, None, tco_model.MAX_RENTAL_USD_PER_HOUR)
        _checks.positive("--rent", rental)
    overrides = {
        "power_price_usd_per_kwh": parse_option(power_price, "USD/kWh", "--power-price"),
        "pue": pue,
        "price_usd": parse_option(price, "USD", "--price"),
        "build_cost_usd_per_mw": parse_option(build_cost, "USD/MW", "--build-cost"),
    }
    result = tco_model.accelerator_hour(
        accelerator,
        site,
        accelerators=accelerators,
        utilization=utilization,
        financing=financing,
        system=system,
        pricing=pricing,
        energy_convention=convention,
        **{k: v for k, v in overrides.items() if v is not None},
    )
    data = result.to_dict()
    if rental is not None:
        data["rent_vs_own"] = tco_model.rent_vs_own(result, rental)
    if method == "epoch":
        r = result.resolved
        paid = result.price_usd
        in_server = False
        bought = purchase_date or run_date
        if bought is not None:
            at = tco_model.price_at_purchase(r.accelerator, bought)
            if at is None:
                raise InputError(f"{r.accelerator.slug} has no list or street price series; "
                                 f"drop --purchase-date or add one with --catalog")
            paid = at.value
            in_server = tco_model.series_includes_server(at)
            data["purchase"] = at.to_dict()
            if at.warning:
                typer.echo(f"warning: {at.warning}", err=True)
        epoch = tco_model.epoch_accelerator_hour(
            accelerator_price_usd=paid,
            tdp_w=r["accelerator.tdp_w"],
            power_price_usd_per_kwh=r["site.power_price_usd_per_kwh"],
            chip_to_server_power=result.system.power_w_per_accelerator / r["accelerator.tdp_w"],
            pue=r["site.pue"],
            age_years=age,
            server_overhead=1.0 if in_server else 1.64,
        )
        data["epoch"] = {"usd_per_accelerator_hour": epoch.total, "breakdown": dict(epoch),
                         "accelerator_price_usd": paid, "hardware_age_years": age,
                         "price_includes_server": in_server}
    if as_json:
        print_json(data)
        return
    _print(result, data)


def _print(result, data) -> None:
    from rich.table import Table

    from .. import format as fmt

    out = console()
    title = (
        f"{result.accelerator} in {result.systems:,} x {result.system.slug} at {result.site}, "
        f"{fmt.integer(result.accelerators)} accelerators, {result.financing} financing, "
        f"{result.price.rule} pricing"
    )
    table = Table(title=title, title_justify="left")
    table.add_column("component")
    table.add_column("USD / accelerator-hour", justify="right")
    table.add_column("share", justify="right")
    shares = result.breakdown.shares()
    for name, value in result.breakdown.items():
        table.add_row(name, fmt.number(value, 3, scale=result.usd_per_accelerator_hour),
                      fmt.share(shares[name]))
    table.add_row("total", fmt.number(result.usd_per_accelerator_hour, 4), fmt.share(1.0),
                  style="bold")
    out.print(table)
    totals = Table(show_header=False, box=None)
    totals.add_row("critical IT", fmt.quantity(result.critical_it_mw, "MW"))
    totals.add_row("facility (with PUE)", fmt.quantity(result.facility_mw, "MW"))
    convention = result.energy_convention
    totals.add_row("energy per year", f"{fmt.quantity(result.annual_energy_mwh / 1e6, 'TWh')} "
                   f"({convention.label()})")
    totals.add_row("emissions per year", fmt.quantity(result.annual_emissions_t(), "tCO2e"))
    totals.add_row("capex", money(result.capex_usd))
    totals.add_row("opex per year", money(result.annual_opex_usd))
    totals.add_row("power share of TCO", fmt.share(result.power_share))
    price = result.price
    line = f"{money(price.price_usd)} ({price.rule})"
    if price.vendor_margin is not None:
        line += (f", cost to make {money(price.cost_usd)}, vendor margin "
                 f"{fmt.share(price.vendor_margin)}")
    totals.add_row("accelerator price", line)
    totals.add_row("network", f"{fmt.integer(data['network']['tiers'])} tiers, "
                   f"{fmt.integer(data['network']['switches'])} switches, "
                   f"{data['network']['transceivers_per_accelerator']:.1f} optics per accelerator")
    out.print(totals)
    changed = [r for r in result.resolved.changed() if r["layer"] not in ("catalog",)]
    for row in changed:
        out.print(f"changed: {row['path']} = {row['value']} ({row['source']})")
    if "rent_vs_own" in data:
        r = data["rent_vs_own"]
        out.print(
            f"renting at {fmt.money(r['rental_usd_per_hour'], unit='h')} costs "
            f"{fmt.number(r['rental_over_owned'], 3)}x owning; owning pays from "
            f"{fmt.share(r['breakeven_utilization'], 0)} utilisation"
        )
    if "epoch" in data:
        e = data["epoch"]
        out.print(f"Cottier et al. (2024) method: {fmt.money(e['usd_per_accelerator_hour'], unit='h')} "
                  f"(hardware {fmt.money(e['breakdown']['hardware'])}, energy "
                  f"{fmt.money(e['breakdown']['energy'])}; price "
                  f"{fmt.money(e['accelerator_price_usd'])} depreciated over "
                  f"{e['hardware_age_years']:.2f} years of age)")


def register(app: typer.Typer) -> None:
    """Add ``tco`` to the CLI."""
    app.command("tco")(tco)
