"""Site comparison: what an accelerator-hour costs where, how much carbon, and when power comes.

Thin orchestration over :func:`siliconomics.tco.accelerator_hour`: one TCO per site, plus the
planning fields of the site catalog (time to power, power available, climate, water stress).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import _checks
from ..results import ResultMixin

#: Year from which ``time_to_power_years`` is counted.
START_YEAR = 2025

#: Defaults for sites whose catalog entry lacks the planning fields. [year], [MW], [year]
DEFAULT_TIME_TO_POWER_YEARS = 3.0
DEFAULT_POWER_AVAILABLE_MW = 1000.0
DEFAULT_RAMP_YEARS = 3.0


def available_mw(years, *, first_power_year, cap_mw, ramp_years):
    r"""Grid power a campus can draw in each year: zero until first power, then a linear ramp.

    Parameters
    ----------
    years : numeric
        Calendar years. [year]
    first_power_year : numeric
        Year the first power arrives (may be fractional). [year]
    cap_mw : numeric
        Power available once fully ramped, >= 0. [MW]
    ramp_years : numeric
        Years from first power to the full cap, > 0. [year]

    Returns
    -------
    numeric
        :math:`P(y) = P_{max} \, \mathrm{clip}((y - y_0 + 1) / r, 0, 1)`: power available
        during year ``y``. [MW]

    Examples
    --------
    >>> available_mw([2026, 2027, 2028, 2030], first_power_year=2027, cap_mw=900, ramp_years=3)
    array([  0., 300., 600., 900.])
    """
    _checks.non_negative("cap_mw", cap_mw)
    _checks.positive("ramp_years", ramp_years)
    y = np.asarray(years, dtype=float)
    return np.asarray(cap_mw, dtype=float) * np.clip((y - first_power_year + 1.0) / ramp_years,
                                                      0.0, 1.0)


def _field(entry, name, default):
    value = entry.get(name)
    return default if value is None else float(value)


def site_power(site, *, start_year=START_YEAR) -> dict[str, float]:
    """Time to power, first power year, cap and ramp of a catalog site (defaults when absent)."""
    from .. import catalog

    entry = site if hasattr(site, "slug") else catalog.with_sets(catalog.site(site), "site")
    ttp = _field(entry, "time_to_power_years", DEFAULT_TIME_TO_POWER_YEARS)
    return {
        "time_to_power_years": ttp,
        "first_power_year": start_year + ttp,
        "power_available_mw": _field(entry, "power_available_mw", DEFAULT_POWER_AVAILABLE_MW),
        "power_ramp_years": _field(entry, "power_ramp_years", DEFAULT_RAMP_YEARS),
    }


def power_available_mw(site, years, *, start_year=START_YEAR):
    """Grid power available at a catalog site in each of ``years``. [MW]

    Examples
    --------
    >>> power_available_mw("us-texas", [2025, 2027, 2030]).tolist()
    [0.0, 666.6666666666666, 2000.0]
    """
    p = site_power(site, start_year=start_year)
    return available_mw(years, first_power_year=p["first_power_year"],
                        cap_mw=p["power_available_mw"], ramp_years=p["power_ramp_years"])


@dataclass
class SiteResult(ResultMixin):
    """One site's economics for one accelerator and cluster size."""

    site: str
    name: str
    usd_per_accelerator_hour: float
    breakdown: dict
    power_share: float
    pue: float
    power_price_usd_per_kwh: float
    annual_energy_mwh: float
    tco2e_per_year: float
    grid_intensity_kg_per_kwh: float
    critical_it_mw: float
    facility_mw: float
    capex_usd: float
    time_to_power_years: float
    earliest_power_year: float
    power_available_mw: float
    max_accelerators: float
    water_stress: float | None
    rank: int = 0
    tco: Any = field(default=None, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary; key names match the attributes."""
        return {k: v for k, v in self.__dict__.items() if k != "tco"}

    def _repr_html_(self) -> str:
        """Notebook display: the cost of an hour at the site, its breakdown, power and carbon."""
        from ..results import Breakdown, html_card, number

        return html_card(
            f"{self.name} ({self.site})",
            f"${number(self.usd_per_accelerator_hour)} per accelerator-hour, power "
            f"{number(100 * self.power_share, 3)}% of it",
            breakdown=Breakdown(self.breakdown, unit="USD/h"),
            inputs=[("power price [USD/kWh]", self.power_price_usd_per_kwh), ("PUE", self.pue),
                    ("facility [MW]", self.facility_mw), ("capex [USD]", self.capex_usd),
                    ("emissions [tCO2e/year]", self.tco2e_per_year),
                    ("earliest power (year)", f"{self.earliest_power_year:.0f}"),
                    ("power available [MW]", self.power_available_mw)])


@dataclass
class SiteComparison:
    """Sites ranked by the cost of an accelerator-hour, cheapest first."""

    accelerator: str
    accelerators: float
    financing: str
    pue_model: str
    rows: list[SiteResult]

    def to_dict(self) -> dict[str, Any]:
        return {
            "accelerator": self.accelerator,
            "accelerators": self.accelerators,
            "financing": self.financing,
            "pue_model": self.pue_model,
            "sites": [r.to_dict() for r in self.rows],
        }

    def to_frame(self):
        """One row per site: rank, cost, components, power share, energy, carbon, power date."""
        import pandas as pd

        return pd.DataFrame([
            {
                "rank": r.rank, "site": r.site, "USD/h": r.usd_per_accelerator_hour,
                **r.breakdown, "power share": r.power_share, "PUE": r.pue,
                "energy GWh/yr": r.annual_energy_mwh / 1e3, "ktCO2e/yr": r.tco2e_per_year / 1e3,
                "earliest power": r.earliest_power_year, "power cap MW": r.power_available_mw,
                "water stress": r.water_stress,
            }
            for r in self.rows
        ])

    def _repr_html_(self) -> str:
        """Notebook display: the cheapest site, then the ranking."""
        from ..results import html_card, number

        first = self.rows[0]
        return html_card(
            f"{self.accelerator} at {len(self.rows)} sites ({number(self.accelerators)} "
            f"accelerators, {self.financing} financing)",
            f"cheapest: {first.site} at ${number(first.usd_per_accelerator_hour)} per "
            "accelerator-hour",
            tables=[("Sites, cheapest first", [
                {"rank": r.rank, "site": r.site, "USD/h": r.usd_per_accelerator_hour,
                 "power share": f"{r.power_share:.1%}", "PUE": r.pue,
                 "tCO2e/year": r.tco2e_per_year, "earliest power": f"{r.earliest_power_year:.0f}"}
                for r in self.rows])])


def compare_sites(accelerator="b200", sites=None, *, accelerators=100_000, utilization=None,
                  financing="hyperscaler", pue_model="catalog", start_year=START_YEAR,
                  **overrides) -> SiteComparison:
    """Cost of an accelerator-hour at each site, ranked, with power, carbon and time to power.

    Parameters
    ----------
    accelerator : str
        Catalog accelerator (``"b200"``).
    sites : list of str, optional
        Catalog sites; default all.
    accelerators : numeric
        Cluster size, >= 1. [count]
    utilization : numeric, optional
        Fraction of hours doing paid work, in (0, 1]. [dimensionless]
    financing : str
        Financing preset.
    pue_model : {"catalog", "climate"}
        PUE from the site catalog, or from :func:`~.cooling.pue_from_climate` and the site's
        mean temperature.
    start_year : int
        Year from which the time to power is counted. [year]
    **overrides
        Other inputs of :func:`siliconomics.tco.accelerator_hour` (not ``pue`` with
        ``pue_model="climate"``).

    Returns
    -------
    SiteComparison
        Rows cheapest first. ``tco2e_per_year`` is operational (scope 2, location-based):
        annual energy times the grid's average intensity. [tCO2e/year]

    Examples
    --------
    >>> c = compare_sites("h100", ["us-texas", "ireland"], accelerators=1024)
    >>> [r.site for r in c.rows], c.rows[0].power_share < 0.2
    (['us-texas', 'ireland'], True)
    """
    from .. import catalog, tco
    from ..errors import InputError
    from .cooling import pue_from_climate

    if pue_model not in ("catalog", "climate"):
        raise InputError(f"pue_model must be 'catalog' or 'climate', got {pue_model!r}")
    _checks.at_least("accelerators", accelerators, 1)
    names = list(sites) if sites else catalog.names("sites")
    if not names:
        raise InputError("sites must name at least one site")
    rows = []
    base = tco.resolve(accelerator, financing=financing)
    for name in names:
        res = catalog.resolve(base, name)
        entry = res.site
        extra = dict(overrides)
        if pue_model == "climate":
            temp = entry.get("mean_temperature_c")
            if temp is None:
                raise InputError(f"site {entry.slug!r} has no mean_temperature_c for pue_model='climate'")
            extra["pue"] = float(pue_from_climate(temp))
        r = tco.accelerator_hour(res, accelerators=accelerators, utilization=utilization, **extra)
        power = site_power(entry, start_year=start_year)
        intensity = float(r.resolved["site.grid_intensity_kg_per_kwh"])
        facility_mw = float(r.facility_mw)
        rows.append(SiteResult(
            site=entry.slug,
            name=entry.name or entry.slug,
            usd_per_accelerator_hour=float(r.usd_per_accelerator_hour),
            breakdown={k: float(v) for k, v in r.breakdown.items()},
            power_share=float(r.power_share),
            pue=float(r.resolved["site.pue"]),
            power_price_usd_per_kwh=float(r.resolved["site.power_price_usd_per_kwh"]),
            annual_energy_mwh=float(r.annual_energy_mwh),
            tco2e_per_year=float(r.annual_emissions_t()),
            grid_intensity_kg_per_kwh=intensity,
            critical_it_mw=float(r.critical_it_mw),
            facility_mw=facility_mw,
            capex_usd=float(r.capex_usd),
            time_to_power_years=power["time_to_power_years"],
            earliest_power_year=power["first_power_year"],
            power_available_mw=power["power_available_mw"],
            # facility_mw is that of the cluster as built (whole systems), not as asked
            max_accelerators=power["power_available_mw"] / facility_mw * float(r.accelerators),
            water_stress=entry.get("water_stress"),
            tco=r,
        ))
    rows.sort(key=lambda s: s.usd_per_accelerator_hour)
    for i, row in enumerate(rows, 1):
        row.rank = i
    first = rows[0].tco
    return SiteComparison(accelerator=first.accelerator, accelerators=float(accelerators),
                          financing=first.financing, pue_model=pue_model, rows=rows)
