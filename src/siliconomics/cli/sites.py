"""``siliconomics sites``: rank sites by the cost of an accelerator-hour, with power's share."""

from __future__ import annotations

from typing import Annotated

import typer

from ._common import MAX_ACCELERATORS, names_list, console, handle_errors, money, print_json


@handle_errors
def sites(
    accelerator: Annotated[str, typer.Option("--accelerator", "-a", help="Catalog accelerator.")] = "b200",
    accelerators: Annotated[float, typer.Option("--accelerators", "-n", min=1, max=MAX_ACCELERATORS, help="Cluster size (accelerators).")] = 100_000,
    site_list: Annotated[str | None, typer.Option("--sites", help="Comma-separated catalog sites; default all.")] = None,
    utilization: Annotated[float | None, typer.Option(help="Fraction of hours doing paid work, in (0, 1].")] = None,
    financing: Annotated[str, typer.Option(help="Financing preset.")] = "hyperscaler",
    pue_model: Annotated[str, typer.Option("--pue-model", help="catalog or climate (PUE from mean temperature).")] = "catalog",
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
):
    """Rank sites by USD per accelerator-hour, with power share, energy, carbon and power date."""
    from ..planning import compare_sites

    names = names_list(site_list, "--sites")
    comp = compare_sites(accelerator, names, accelerators=accelerators, utilization=utilization,
                         financing=financing, pue_model=pue_model)
    if as_json:
        print_json(comp.to_dict())
        return
    from rich.console import Console

    from .. import format as fmt

    out = console()
    headers = ["#", "site", "USD/h", "power share", "PUE", "USD/kWh", "GWh/yr", "ktCO2e/yr",
               "power from", "cap MW", "water"]
    rows = [[fmt.integer(r.rank), r.site, fmt.money(r.usd_per_accelerator_hour),
             fmt.share(r.power_share), fmt.number(r.pue, 3), fmt.number(r.power_price_usd_per_kwh, 2),
             fmt.integer(r.annual_energy_mwh / 1e3), fmt.integer(r.tco2e_per_year / 1e3),
             fmt.year(r.earliest_power_year), fmt.integer(r.power_available_mw),
             "" if r.water_stress is None else fmt.number(r.water_stress, 2)]
            for r in comp.rows]
    width = Console().width
    table, note = fmt.rich_table(
        headers, rows, width=width, keep=(0, 1, 2), wrap=(1,), left=(1,),
        drop=(10, 9, 7, 6, 5, 4, 8, 3),
        title=f"Sites ranked by the cost of a {comp.accelerator} hour "
              f"({fmt.integer(comp.accelerators)} accelerators, {comp.financing})")
    out.print(table, width=width)
    if note:
        out.print(note, highlight=False, width=width)
    shares = [r.power_share for r in comp.rows]
    out.print(f"power is {fmt.share(min(shares))} to {fmt.share(max(shares))} of the hourly cost "
              f"across {len(shares)} sites; a cluster needs "
              f"{fmt.quantity(comp.rows[0].facility_mw, 'MW')} of grid power at {comp.rows[0].site}",
              highlight=False, width=width)


def register(app: typer.Typer) -> None:
    """Add the ``sites`` command."""
    app.command("sites")(sites)
