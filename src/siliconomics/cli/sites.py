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
    from rich.table import Table

    out = console()
    table = Table(title=f"Sites ranked by the cost of a {comp.accelerator} hour "
                        f"({comp.accelerators:,.0f} accelerators, {comp.financing})",
                  title_justify="left")
    for col in ("#", "site", "USD/h", "power share", "PUE", "USD/kWh", "GWh/yr", "ktCO2e/yr",
                "power from", "cap MW", "water"):
        table.add_column(col, justify="left" if col == "site" else "right", no_wrap=True)
    for r in comp.rows:
        table.add_row(str(r.rank), r.site, money(r.usd_per_accelerator_hour), f"{r.power_share:.1%}",
                      f"{r.pue:.2f}", f"{r.power_price_usd_per_kwh:.3f}",
                      f"{r.annual_energy_mwh / 1e3:,.0f}", f"{r.tco2e_per_year / 1e3:,.0f}",
                      f"{r.earliest_power_year:g}", f"{r.power_available_mw:,.0f}",
                      "" if r.water_stress is None else f"{r.water_stress:g}")
    out.print(table)
    shares = [r.power_share for r in comp.rows]
    out.print(f"power is {min(shares):.1%} to {max(shares):.1%} of the hourly cost across "
              f"{len(shares)} sites; a cluster needs {comp.rows[0].facility_mw:,.0f} MW of grid power "
              f"at {comp.rows[0].site}")


def register(app: typer.Typer) -> None:
    """Add the ``sites`` command."""
    app.command("sites")(sites)
