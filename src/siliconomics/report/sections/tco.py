"""Report section "TCO": the cost of an accelerator-hour at every site."""

from __future__ import annotations

from ..html import Section
from . import _bands


def tco_by_site(accelerator: str = "h100-sxm", sites=None, accelerators: int = 100_000,
                financing: str = "hyperscaler", utilization: float = 1.0,
                band=None) -> tuple[Section, list]:
    """TCO of one accelerator-hour at each site: stacked bars, table, power shares.

    ``band``: the 90% band of the cheapest site's cost (``{"p5", "p95"}``, USD/h), or a
    function of the cheapest site's slug returning it, quoted in the headline finding.
    """
    import pandas as pd

    from ... import catalog, tco
    from .. import plots

    sites = list(sites) if sites else catalog.names("sites")
    results = [
        tco.accelerator_hour(accelerator, s, accelerators=accelerators, financing=financing,
                             utilization=utilization)
        for s in sites
    ]
    results.sort(key=lambda r: r.usd_per_accelerator_hour)
    labels = [r.site for r in results]
    components = {c: [r.breakdown[c] for r in results] for c in tco.COMPONENTS}
    svg = plots.stacked_bars(labels, components, "USD per accelerator-hour", annotate_share="power")
    frame = pd.DataFrame(
        [
            {
                "site": r.site,
                "USD/h": r.usd_per_accelerator_hour,
                **{c: r.breakdown[c] for c in tco.COMPONENTS},
                "power share": r.power_share,
                "power price USD/kWh": r.inputs["site.power_price_usd_per_kwh"]["value"],
                "PUE": r.inputs["site.pue"]["value"],
                "facility MW": r.facility_mw,
                "energy GWh/yr": r.annual_energy_mwh / 1e3,
                "capex USD": r.capex_usd,
            }
            for r in results
        ]
    )
    shares = [r.power_share for r in results]
    cheapest, dearest = results[0], results[-1]
    if callable(band):
        band = band(cheapest.site)
    first = results[0]
    findings = [
        f"Power is {min(shares):.0%} to {max(shares):.0%} of the cost of an {accelerator} hour "
        f"across {len(results)} sites; the cheapest site ({cheapest.site}, "
        f"${cheapest.usd_per_accelerator_hour:.2f}/h"
        + (f", {_bands.text(band, '${:.2f}')}" if band else "")
        + f") and the dearest ({dearest.site}, "
        f"${dearest.usd_per_accelerator_hour:.2f}/h) differ by "
        f"{dearest.usd_per_accelerator_hour / cheapest.usd_per_accelerator_hour - 1:.0%}.",
        f"A {accelerators:,}-accelerator cluster needs {first.critical_it_mw:,.0f} MW of critical IT "
        f"({first.network['tiers']:.0f}-tier fabric, {first.network['transceivers_per_accelerator']:.0f} "
        f"optical transceivers per accelerator) and {first.capex_usd / 1e9:,.1f} billion USD of capex "
        f"at {first.site}.",
    ]
    section = Section(
        id="tco",
        title=f"Total cost of ownership of an {accelerator} hour by site",
        intro=(
            f"Cost of one utilised accelerator-hour of {accelerator}, {financing} financing, "
            f"{accelerators:,} accelerators, utilisation {utilization:.0%}. Each capital cost is "
            "annualised with the cost of capital over its own life."
        ),
        findings=findings,
        figures=[(svg, "Cost per accelerator-hour by component and site, cheapest first; "
                  "labels give the total and power's share.",
                  f"Stacked horizontal bars of the cost of one {accelerator} hour at "
                  f"{len(results)} sites, from ${cheapest.usd_per_accelerator_hour:.2f} at "
                  f"{cheapest.site} to ${dearest.usd_per_accelerator_hour:.2f} at "
                  f"{dearest.site}, split into {', '.join(tco.COMPONENTS)}.")],
        tables=[("Cost per accelerator-hour (USD) and cluster totals by site", frame)],
        data={"accelerator": accelerator, "financing": financing, "accelerators": accelerators,
              "sites": [r.to_dict() for r in results]}
        | ({"cheapest_site_band_usd_per_hour": band} if band else {}),
        how_to_read=("Read the first bar: the cheapest site and what its hour is made of. "
                     "Accelerator and system are the hardware's capital spread over its life; "
                     "facility is the building; power is energy times PUE. The 90% band in the "
                     "finding comes from sampling every catalog range (see Uncertainty); the "
                     "table's last columns are totals for the whole cluster, its energy counted "
                     f"as {results[0].energy_convention.label()}."),
    )
    return section, results


def build(ctx) -> list[Section]:
    """The TCO section for the report context, with the 90% band of the cheapest site's hour;
    keeps the results for the inputs table."""
    section, results = tco_by_site(
        ctx.accelerator, ctx.sites, ctx.accelerators, ctx.financing,
        band=lambda site: _bands.run(ctx, site)[("tco", "usd_per_accelerator_hour")])
    ctx.tco_results = results
    return [section]
