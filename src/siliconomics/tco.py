"""Total cost of ownership: what one accelerator-hour costs to own, and its parts.

Two layers, as everywhere in the package:

- :func:`cost_per_accelerator_hour` is the pure, vectorised model: every input a number or an
  array of samples, the result a :class:`~siliconomics.results.Breakdown` in USD per
  utilised accelerator-hour;
- :func:`accelerator_hour` picks the inputs from the catalog (accelerator, site, financing and
  shared assumptions), applies user overrides, sizes the network for the cluster, and calls it.

Each capital cost is annualised with the cost of capital over its own life
(:func:`siliconomics.finance.annualized_capex`), then spread over the utilised hours of a year.
:func:`epoch_accelerator_hour` gives the published amortisation method of Cottier et al. (2024)
for comparison with their estimates.
"""

from __future__ import annotations

import functools

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import _checks, finance
from .datacenter import energy, network, power
from .results import Breakdown
from .results import scalar_or_array as _f

HOURS_PER_YEAR = power.HOURS_PER_YEAR

COMPONENTS = ("accelerator", "system", "network", "facility", "power", "operations")


def cost_per_accelerator_hour(
    *,
    accelerator_price_usd,
    system_cost_usd,
    network_capex_usd,
    it_power_w,
    build_cost_usd_per_mw,
    power_price_usd_per_kwh,
    pue,
    cost_of_capital,
    accelerator_life_years,
    network_life_years,
    facility_life_years,
    utilization=1.0,
    busy_draw_fraction=0.75,
    idle_draw_fraction=0.25,
    it_maintenance_fraction=0.0,
    facility_opex_usd_per_mw_year=0.0,
    residual_fraction=0.0,
) -> Breakdown:
    r"""Cost of one utilised accelerator-hour, by component.

    Parameters
    ----------
    accelerator_price_usd : numeric
        Purchase price of one accelerator. [USD]
    system_cost_usd : numeric
        Rest of the system per accelerator: hosts (CPUs, DRAM, NICs, chassis), scale-up
        switches and spine, cooling, rack and power shelves. [USD]
    network_capex_usd : numeric
        Scale-out network capex per accelerator (switches, optics, NICs). [USD]
    it_power_w : numeric
        Critical IT power per accelerator at maximum (server share plus network). [W]
    build_cost_usd_per_mw : numeric
        Facility build cost per MW of critical IT. [USD/MW]
    power_price_usd_per_kwh : numeric
        Electricity price, >= 0. [USD/kWh]
    pue : numeric
        Power usage effectiveness, >= 1. [dimensionless]
    cost_of_capital : numeric
        Annual cost of capital. [1/year]
    accelerator_life_years, network_life_years, facility_life_years : numeric
        Economic lives of the IT hardware, the fabric and the facility. [year]
    utilization : numeric
        Fraction of the year the accelerator does paid work, in (0, 1]. [dimensionless]
    busy_draw_fraction, idle_draw_fraction : numeric
        Average draw while busy and while idle, as fractions of maximum IT power. [dimensionless]
    it_maintenance_fraction : numeric
        IT hardware maintenance per year as a fraction of IT capex. [1/year]
    facility_opex_usd_per_mw_year : numeric
        Facility operations per MW of critical IT per year, power excluded. [USD/(MW year)]
    residual_fraction : numeric
        Resale value of accelerators and servers at end of life, fraction of cost. [dimensionless]

    Returns
    -------
    Breakdown
        USD per utilised accelerator-hour: accelerator, system, network, facility, power,
        operations.

    Notes
    -----
    With :math:`U` the utilised hours per year (:math:`8766 u`), every capex :math:`C` with life
    :math:`n` contributes :math:`C \, CRF(r, n) / U`; power contributes
    :math:`P \, \bar f \, PUE \, p \, 8766 / (1000 U)` with
    :math:`\bar f = u f_{busy} + (1 - u) f_{idle}`, so idle hours still cost their idle draw.

    Examples
    --------
    >>> b = cost_per_accelerator_hour(
    ...     accelerator_price_usd=30000, system_cost_usd=5000, network_capex_usd=3000,
    ...     it_power_w=1400, build_cost_usd_per_mw=11e6, power_price_usd_per_kwh=0.07, pue=1.3,
    ...     cost_of_capital=0.1, accelerator_life_years=5, network_life_years=5,
    ...     facility_life_years=20)
    >>> round(b.total, 3), round(b["power"], 4)
    (1.445, 0.0956)
    """
    _checks.non_negative("accelerator_price_usd", accelerator_price_usd)
    _checks.non_negative("system_cost_usd", system_cost_usd)
    _checks.non_negative("network_capex_usd", network_capex_usd)
    _checks.positive("it_power_w", it_power_w)
    _checks.non_negative("power_price_usd_per_kwh", power_price_usd_per_kwh)
    _checks.at_least("pue", pue, 1.0)
    _checks.fraction("utilization", utilization)
    _checks.fraction("busy_draw_fraction", busy_draw_fraction)
    _checks.fraction("idle_draw_fraction", idle_draw_fraction, open_low=False)
    _checks.non_negative("it_maintenance_fraction", it_maintenance_fraction)
    _checks.non_negative("facility_opex_usd_per_mw_year", facility_opex_usd_per_mw_year)

    hours = HOURS_PER_YEAR * np.asarray(utilization, dtype=float)
    it_mw = np.asarray(it_power_w, dtype=float) / 1e6

    # one capital recovery factor per life, shared by the parts that have it
    crf_it, crf_network, crf_facility = finance.capital_recovery_factors(
        cost_of_capital, accelerator_life_years, network_life_years, facility_life_years)
    keep_it = finance.residual_discount(cost_of_capital, accelerator_life_years,
                                        residual_fraction)

    def per_hour(capex, crf, keep=1.0):
        return finance.annual_payment(capex, crf, keep) / hours

    draw = power.average_draw_fraction(utilization, busy_draw_fraction, idle_draw_fraction)
    energy_kwh_per_year = power.annual_energy_kwh(it_power_w, pue, np.maximum(draw, 1e-12))
    it_capex = (
        np.asarray(accelerator_price_usd) + system_cost_usd + network_capex_usd
    )
    operations_per_year = (
        it_maintenance_fraction * it_capex + facility_opex_usd_per_mw_year * it_mw
    )
    return Breakdown(
        {
            "accelerator": per_hour(accelerator_price_usd, crf_it, keep_it),
            "system": per_hour(system_cost_usd, crf_it, keep_it),
            "network": per_hour(network_capex_usd, crf_network),
            "facility": per_hour(it_mw * build_cost_usd_per_mw, crf_facility),
            "power": energy_kwh_per_year * np.asarray(power_price_usd_per_kwh) / hours,
            "operations": operations_per_year / hours,
        },
        unit="USD/h",
        label="cost per accelerator-hour",
    )


@dataclass
class TCOResult:
    """What an accelerator-hour costs at one site and cluster size, with cluster totals.

    Attributes
    ----------
    breakdown : Breakdown
        USD per utilised accelerator-hour by component.
    accelerators : float
        Accelerators installed: the cluster asked for, rounded up to whole systems. [count]
    systems : int
        Systems (servers or racks) installed. [count]
    critical_it_mw, facility_mw : numeric
        IT load at maximum and grid power with PUE. [MW]
    annual_energy_mwh : numeric
        Energy per year as ``energy_convention`` counts it (default: drawn from the grid,
        servers and network times PUE, at the catalog's busy draw). [MWh]
    capex_usd : numeric
        Upfront capital: accelerators, systems, network and facility. [USD]
    annual_opex_usd : numeric
        Power and operations per year. [USD/year]
    price : Price
        The accelerator's price under the pricing rule, with its cost and margin.
    system : System
        The system: capex by part, power, scale-up domain.
    inputs : dict
        Every input used, by path, with its value, source and the layer that set it (built on
        first use: a Monte Carlo block never needs it).
    resolved : Resolved
        The resolved inputs, for downstream models (not serialised).
    """

    breakdown: Breakdown
    accelerators: float
    network: dict = field(default_factory=dict)
    extra_inputs: dict = field(default_factory=dict, repr=False)
    accelerator: str = ""
    site: str = ""
    financing: str = ""
    systems: int = 0
    utilization: Any = 1.0
    price: Any = None
    system: Any = None
    resolved: Any = field(default=None, repr=False)
    energy_convention: Any = None

    # The cluster totals below are computed when first read (a Monte Carlo block that asks
    # for the cost of an hour alone makes no pass over its samples for them).
    @functools.cached_property
    def critical_it_mw(self):
        """IT load of the cluster at maximum: servers and network. [MW]"""
        return _f(self._critical_it_mw)

    @functools.cached_property
    def _critical_it_mw(self):
        it_power_w = (np.asarray(self.system.power_w_per_accelerator)
                      + np.asarray(self.network["power_w_per_accelerator"]))
        return self.accelerators * it_power_w / 1e6

    @functools.cached_property
    def facility_mw(self):
        """Grid power of the cluster at maximum: IT load times PUE. [MW]"""
        return _f(self._critical_it_mw * np.asarray(self.resolved["site.pue"]))

    @functools.cached_property
    def annual_energy_mwh(self):
        """Energy per year as ``energy_convention`` counts it (default: drawn from the grid,
        servers and network times PUE, at the catalog's busy draw). [MWh]"""
        r, convention = self.resolved, self.energy_convention
        draw = power.average_draw_fraction(self.utilization, convention.busy_fraction,
                                           r.assumption("idle-draw-fraction"))
        return _f(self.accelerators * power.annual_energy_kwh(
            energy.power_w(convention, tdp_w=r["accelerator.tdp_w"],
                           server_w=self.system.power_w_per_accelerator,
                           network_w=self.network["power_w_per_accelerator"],
                           pue=r["site.pue"]), 1.0, draw) / 1000.0)

    @functools.cached_property
    def capex_usd(self):
        """Upfront capital: accelerators, systems, network and facility. [USD]"""
        facility_capex = self._critical_it_mw * np.asarray(
            self.resolved["site.build_cost_usd_per_mw"])
        return _f(self.accelerators * (np.asarray(self.price.price_usd)
                                       + self.system.capex_usd_per_accelerator
                                       + self.network["capex_usd_per_accelerator"])
                  + facility_capex)

    @functools.cached_property
    def annual_opex_usd(self):
        """Power and operations per year. [USD/year]"""
        hours = HOURS_PER_YEAR * np.asarray(self.utilization, dtype=float)
        return _f(self.accelerators * hours * (np.asarray(self.breakdown["power"])
                                               + self.breakdown["operations"]))

    @property
    def usd_per_accelerator_hour(self):
        """Total cost per utilised accelerator-hour. [USD/h]"""
        return self.breakdown.total

    @property
    def power_share(self):
        """Power's share of the hourly cost. [dimensionless]"""
        return self.breakdown.shares()["power"]

    @property
    def price_usd(self):
        """Price paid per accelerator under the pricing rule. [USD]"""
        return self.price.price_usd

    @property
    def annual_cost_usd(self):
        """Cluster cost per year, capital annualised. [USD/year]"""
        return self.breakdown.total * self.accelerators * HOURS_PER_YEAR * np.asarray(self.utilization)

    def annual_emissions_t(self):
        """Operational emissions per year under the result's convention. [tCO2e/year]"""
        if self.resolved is None or not self.resolved.has("site"):
            return np.nan
        return energy.emissions_t(self.annual_energy_mwh, self.resolved,
                                  convention=self.energy_convention or energy.TCO)

    def energy_mwh_per_accelerator_hour(self):
        """Energy per installed accelerator-hour at the result's utilisation, as the result's
        ``energy_convention`` counts it (default: grid energy). [MWh/h]"""
        return np.asarray(self.annual_energy_mwh) / (self.accelerators * HOURS_PER_YEAR)

    @functools.cached_property
    def inputs(self) -> dict:
        """Every input used, by path: value, range, unit, source and the layer that set it."""
        out = dict(self.extra_inputs)
        if self.resolved is not None:
            out.update({row["path"]: {k: _plain(v) for k, v in row.items() if k != "path"}
                        for row in self.resolved.provenance(
                            ("accelerator", "system", "site", "financing", "assumptions"))
                        if row["path"] in INPUT_PATHS})
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary; key names match the attributes."""
        def plain(x):
            arr = np.asarray(x)
            return float(arr) if arr.ndim == 0 else arr.tolist()

        return {
            "accelerator": self.accelerator,
            "site": self.site,
            "financing": self.financing,
            "accelerators": self.accelerators,
            "systems": self.systems,
            "usd_per_accelerator_hour": plain(self.usd_per_accelerator_hour),
            "breakdown": {k: plain(v) for k, v in self.breakdown.items()},
            "power_share": plain(self.power_share),
            "price": {k: (None if v is None else v if isinstance(v, str) else plain(v))
                      for k, v in self.price.to_dict().items()},
            "system": self.system.to_dict(),
            "critical_it_mw": plain(self.critical_it_mw),
            "facility_mw": plain(self.facility_mw),
            "annual_energy_mwh": plain(self.annual_energy_mwh),
            "energy_convention": (None if self.energy_convention is None
                                  else self.energy_convention.to_dict()),
            "annual_emissions_t": plain(self.annual_emissions_t()),
            "capex_usd": plain(self.capex_usd),
            "annual_opex_usd": plain(self.annual_opex_usd),
            "annual_cost_usd": plain(self.annual_cost_usd),
            "network": {k: plain(v) for k, v in self.network.items()},
            "inputs": self.inputs,
        }

    def to_frame(self):
        """The breakdown as a DataFrame (component, value, share)."""
        return self.breakdown.to_frame()

    def _repr_html_(self) -> str:
        """Notebook display: the cost of an hour, its breakdown, the cluster and key inputs."""
        from .results import html_card, number

        price = self.inputs.get("site.power_price_usd_per_kwh", {}).get("value")
        pue = self.inputs.get("site.pue", {}).get("value")
        return html_card(
            f"TCO of {self.accelerator or 'an accelerator'} at {self.site or 'a site'}",
            f"${number(self.usd_per_accelerator_hour)} per accelerator-hour "
            f"(power {number(100 * np.mean(self.power_share), 3)}% of it)",
            breakdown=self.breakdown,
            inputs=[("accelerators", int(self.accelerators)), ("financing", self.financing),
                    ("utilisation", self.utilization),
                    ("power price [USD/kWh]", price), ("PUE", pue),
                    ("critical IT [MW]", self.critical_it_mw),
                    ("facility [MW]", self.facility_mw),
                    ("capex [USD]", self.capex_usd),
                    ("annual opex [USD]", self.annual_opex_usd)])


#: Inputs of the TCO that are not catalog values: name -> (default, source of the default).
EXTRA_INPUTS = {
    "utilization": (1.0, "default: fully utilised"),
    "residual_fraction": (0.0, "default: no resale value"),
    "nics_in_server": (1.0, "default: the system's host cost and power include its NICs"),
}

#: Paths of the resolved inputs the TCO reads (the Monte Carlo may sample them).
INPUT_PATHS = (
    "accelerator.price_usd",
    "system.accelerators", "system.power_kw", "system.host_cost_usd",
    "system.scaleup_switch_cost_usd", "system.scaleup_fabric_cost_usd", "system.cooling_cost_usd",
    "system.rack_power_cost_usd",
    "site.power_price_usd_per_kwh", "site.pue", "site.build_cost_usd_per_mw",
    "financing.cost_of_capital", "financing.accelerator_life_years",
    "financing.network_life_years", "financing.facility_life_years",
    "assumptions.power-draw-fraction", "assumptions.idle-draw-fraction",
    "assumptions.it-maintenance-fraction", "assumptions.facility-opex-usd-per-mw-year",
    "assumptions.switch-radix", "assumptions.switch-cost-usd", "assumptions.switch-power-w",
    "assumptions.transceiver-cost-usd", "assumptions.transceiver-power-w",
    "assumptions.nic-cost-usd", "assumptions.nic-power-w",
)


def resolve(accelerator="h100-sxm", site=None, *, financing=None, system=None, model=None,
            set=None, **overrides):
    """Resolved inputs of a TCO question: the accelerator, its system, a site (default
    ``us-texas``) and a financing preset (default ``hyperscaler``); see
    :func:`siliconomics.catalog.resolve`."""
    from . import catalog

    base = accelerator if isinstance(accelerator, catalog.Resolved) else None
    if site is None and (base is None or not base.has("site")):
        site = "us-texas"
    if financing is None and (base is None or not base.has("financing")):
        financing = "hyperscaler"
    return catalog.resolve(accelerator, site, financing=financing, system=system, model=model,
                           set=set, **overrides)


def accelerator_hour(
    accelerator="h100-sxm",
    site=None,
    *,
    accelerators=100_000,
    utilization=None,
    financing=None,
    system=None,
    topology="rail-optimized",
    pricing="list",
    residual_fraction=None,
    nics_per_accelerator=None,
    nics_in_server=None,
    chip_cost_usd=None,
    energy_convention=None,
    set=None,
    **overrides,
) -> TCOResult:
    """Cost of owning one accelerator-hour at a site, for a cluster of ``accelerators``.

    Parameters
    ----------
    accelerator : str, Entry or Resolved
        Catalog name or alias (``"h100"``), an entry (a user's own), or resolved inputs
        (:func:`siliconomics.catalog.resolve`).
    site : str or Entry, optional
        Catalog site; default ``us-texas`` (or the resolved inputs' site).
    accelerators : numeric
        Cluster size, >= 1; rounded up to whole systems, sizes the network fabric and the
        cluster totals. [count]
    utilization : numeric, optional
        Fraction of hours doing paid work, in (0, 1]; default 1. [dimensionless]
    financing : str, optional
        Financing preset: ``hyperscaler`` (default), ``neocloud`` or ``sovereign``.
    system : str, optional
        System the accelerators are installed in (``"gb200-nvl72"``); default the
        accelerator's own.
    topology : {"rail-optimized", "fat-tree"}
        Scale-out fabric: one tree per NIC rail (rails = NICs per host), or one tree.
    pricing : {"list", "cost-plus", "pass-through"}
        Accelerator price: the catalog list price, manufacturing cost plus a markup, or the list
        price plus a share of any change in manufacturing cost (:mod:`siliconomics.pricing`).
    residual_fraction : numeric, optional
        Resale value of accelerators and systems at end of life, fraction of cost; default 0.
    nics_per_accelerator : numeric, optional
        Scale-out NICs per accelerator; default the system's.
    nics_in_server : bool, optional
        The system's host cost and power include its NICs (default True).
    chip_cost_usd : numeric, optional
        The accelerator's manufacturing cost if already computed (pricing rules that need it).
    energy_convention : EnergyConvention, optional
        What the reported energy counts (:mod:`siliconomics.datacenter.energy`): scope
        (accelerator, server or facility), busy draw and emissions basis; default facility
        energy at the catalog's busy draw. Its busy draw also prices the power.
    set : mapping, optional
        Input paths to change (``{"memory.price_usd_per_gb": 4}``).
    **overrides
        API keywords of :data:`siliconomics.catalog.KEYWORDS` (``power_price_usd_per_kwh=0.09``,
        ``pue=1.3``, ``price_usd=25_000``, ``wafer_price_usd=25_000``...), as numbers or
        arrays of samples.

    Returns
    -------
    TCOResult

    Examples
    --------
    >>> r = accelerator_hour("h100", "us-texas", accelerators=1024)
    >>> 0.5 < r.usd_per_accelerator_hour < 5
    True
    >>> cheaper = accelerator_hour("h100", pricing="cost-plus", wafer_price_usd=10_000)
    >>> cheaper.price_usd < accelerator_hour("h100", pricing="cost-plus").price_usd
    True
    """
    from . import pricing as pricing_rules
    from . import systems

    _checks.within("accelerators", accelerators, 1, MAX_ACCELERATORS)
    pricing_rules.check_rule(pricing)
    r = resolve(accelerator, site, financing=financing, system=system, set=set, **overrides)
    extra = {"utilization": utilization, "residual_fraction": residual_fraction,
             "nics_in_server": nics_in_server}
    inputs = {}
    for name, (default, source) in EXTRA_INPUTS.items():
        given = extra[name]
        inputs[name] = {"value": _plain(default if given is None else given),
                        "source": source if given is None else "user input",
                        "layer": "catalog" if given is None else "api"}
    u = 1.0 if utilization is None else utilization
    residual = 0.0 if residual_fraction is None else residual_fraction
    _checks.same_shape(**{"the input arrays": np.empty(r.sample_shape()), "utilization": u,
                          "residual_fraction": residual})
    in_server = True if nics_in_server is None else bool(nics_in_server)

    price = pricing_rules.accelerator_price(r, pricing, cost_usd=chip_cost_usd)
    sys = systems.describe(r)
    n_systems = systems.systems_needed(accelerators, sys.accelerators)
    n = float(n_systems * sys.accelerators)
    nics = sys.nics_per_accelerator if nics_per_accelerator is None else nics_per_accelerator
    a = r.assumption
    fab = network.fabric(
        n,
        a("switch-radix"),
        nics_per_accelerator=nics,
        switch_cost_usd=a("switch-cost-usd"),
        switch_power_w=a("switch-power-w"),
        transceiver_cost_usd=a("transceiver-cost-usd"),
        transceiver_power_w=a("transceiver-power-w"),
        # The system's host cost and power already include its NICs.
        nic_cost_usd=0.0 if in_server else a("nic-cost-usd"),
        nic_power_w=0.0 if in_server else a("nic-power-w"),
        topology=topology,
        rails=sys.rails,
    )
    it_power_w = np.asarray(sys.power_w_per_accelerator) + np.asarray(fab["power_w_per_accelerator"])
    system_capex = sys.capex_usd_per_accelerator
    convention = (energy.TCO if energy_convention is None else energy_convention).with_busy(
        a("power-draw-fraction"))
    busy, idle = convention.busy_fraction, a("idle-draw-fraction")
    breakdown = cost_per_accelerator_hour(
        accelerator_price_usd=price.price_usd,
        system_cost_usd=system_capex,
        network_capex_usd=fab["capex_usd_per_accelerator"],
        it_power_w=it_power_w,
        build_cost_usd_per_mw=r["site.build_cost_usd_per_mw"],
        power_price_usd_per_kwh=r["site.power_price_usd_per_kwh"],
        pue=r["site.pue"],
        cost_of_capital=r["financing.cost_of_capital"],
        accelerator_life_years=r["financing.accelerator_life_years"],
        network_life_years=r["financing.network_life_years"],
        facility_life_years=r["financing.facility_life_years"],
        utilization=u,
        busy_draw_fraction=busy,
        idle_draw_fraction=idle,
        it_maintenance_fraction=a("it-maintenance-fraction"),
        facility_opex_usd_per_mw_year=a("facility-opex-usd-per-mw-year"),
        residual_fraction=residual,
    )
    return TCOResult(
        breakdown=breakdown,
        accelerators=n,
        network=fab,
        extra_inputs=inputs,
        accelerator=r.accelerator.slug,
        site=r.site.slug,
        financing=r.financing.slug,
        systems=n_systems,
        utilization=u,
        price=price,
        system=sys,
        resolved=r,
        energy_convention=convention,
    )


def price_at_purchase(accelerator, date, *, catalog=None):
    """The accelerator's price at a purchase date from the catalog's price series (``list``,
    else ``street``; :func:`siliconomics.catalog.history.price_at`), or None without one.

    The Cottier et al. (2024) method amortises the price paid when the hardware was bought.
    """
    from .catalog import history
    from .errors import InputError

    for measure in ("list", "street"):
        try:
            return history.price_at(accelerator, date, measure, catalog=catalog, warn=False)
        except InputError as exc:
            if "price series" not in str(exc):
                raise
    return None


def series_includes_server(at, *, catalog=None) -> bool:
    """Whether a price read from a series (:func:`price_at_purchase`) is a per-GPU share of a
    whole system (DGX/HGX, server included), from the series' name; else a bare accelerator.

    The Cottier et al. (2024) method multiplies a bare accelerator price by the server overhead
    (1.64) and a system price by nothing.
    """
    from . import catalog as cat

    if at is None or not at.series:
        return False
    name = (catalog or cat.load()).get("price_history", at.series).name.lower()
    return any(word in name for word in ("system", "server", "dgx", "hgx"))


def hardware_age_years(purchase_date, run_date) -> float:
    """Years from ``purchase_date`` to ``run_date`` (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``).

    The Cottier et al. (2024) method depreciates the price paid over this age before
    amortising it over the run.

    Examples
    --------
    >>> round(hardware_age_years("2023-09", "2024-03"), 2)
    0.5
    """
    from .catalog.loader import _DATE, decimal_year
    from .errors import InputError

    for name, d in (("purchase date", purchase_date), ("run date", run_date)):
        if not _DATE.match(str(d)):
            raise InputError(f"{name} must be YYYY, YYYY-MM or YYYY-MM-DD, got {d!r}")
    age = decimal_year(str(run_date)) - decimal_year(str(purchase_date))
    if age < -1e-9:
        raise InputError(f"run date {run_date} is before the purchase date {purchase_date}; "
                         f"hardware is used after it is bought")
    return max(age, 0.0)


#: Largest cluster accepted: 100 million accelerators, far beyond any announced build-out.
MAX_ACCELERATORS = 1e8
#: Highest rental price accepted: a thousand times any 2026 rate for one accelerator-hour.
MAX_RENTAL_USD_PER_HOUR = 1e4


def rent_vs_own(result: TCOResult, rental_usd_per_hour) -> dict[str, Any]:
    """Compare owning (``result``) with renting at ``rental_usd_per_hour``.

    Returns the rental price, the owned cost, the saving per hour from owning (negative when
    renting is cheaper), the ratio rental/owned, and the break-even utilisation: the lowest
    utilisation at which owning costs no more than renting, holding the other inputs.
    """
    _checks.within("rental_usd_per_hour", rental_usd_per_hour, None, MAX_RENTAL_USD_PER_HOUR)
    _checks.positive("rental_usd_per_hour", rental_usd_per_hour)
    owned = result.usd_per_accelerator_hour
    u = result.utilization
    # Capex and operations scale as 1/u; power is nearly so (idle draw). Solve cost(u') = rent
    # assuming the per-year cost is fixed: cost(u') = cost(u) * u / u'.
    breakeven = np.asarray(owned) * u / np.asarray(rental_usd_per_hour)
    return {
        "rental_usd_per_hour": _plain(rental_usd_per_hour),
        "owned_usd_per_hour": _plain(owned),
        "saving_usd_per_hour": _plain(np.asarray(rental_usd_per_hour) - owned),
        "rental_over_owned": _plain(np.asarray(rental_usd_per_hour) / owned),
        "breakeven_utilization": _plain(breakeven),
    }


def epoch_accelerator_hour(
    *,
    accelerator_price_usd,
    tdp_w,
    power_price_usd_per_kwh,
    server_overhead=1.64,
    interconnect_share=0.19,
    depreciation_oom_per_year=0.14,
    chip_to_server_power=1.82,
    power_draw_fraction=0.75,
    pue=1.1,
    age_years=0.0,
) -> Breakdown:
    r"""Hourly cost by the amortisation method of Cottier et al. (2024).

    Parameters
    ----------
    accelerator_price_usd : numeric
        Acquisition price of one accelerator. [USD]
    tdp_w : numeric
        Accelerator TDP. [W]
    power_price_usd_per_kwh : numeric
        Electricity price. [USD/kWh]
    server_overhead : numeric
        Server cost over accelerator cost (1.64 in the paper; A100 1.66). [dimensionless]
    interconnect_share : numeric
        Cluster interconnect as a share of total cluster cost (0.19). [dimensionless]
    depreciation_oom_per_year : numeric
        Hardware price-performance gain, orders of magnitude per year (0.14). [1/year]
    chip_to_server_power : numeric
        Server power per accelerator over its TDP (H100: (10.2 kW / 8) / 0.7 = 1.82).
    power_draw_fraction : numeric
        Average draw over maximum (0.75). [dimensionless]
    pue : numeric
        1.1 for hyperscalers, 1.25 otherwise in the paper. [dimensionless]
    age_years : numeric
        Age of the hardware when the run starts (run date minus purchase date), >= 0: the
        purchase price is depreciated by :math:`10^{-0.14 a}` first, as the hardware's value
        falls with price-performance progress. [year]

    Returns
    -------
    Breakdown
        ``hardware`` (accelerator, server and interconnect amortised) and ``energy``. [USD/h]

    Notes
    -----
    Hardware: :math:`P \, 10^{-0.14 a} \, s / (1 - i) \cdot 0.14 \ln 10 / 8766`, the
    exponential depreciation implied by price-performance improving 0.14 orders of magnitude a
    year, applied first over the hardware's age :math:`a` at the run, then over the run. Energy:
    :math:`TDP \cdot k \cdot 0.75 \cdot PUE \cdot p / 1000`.

    References
    ----------
    .. [1] B. Cottier, R. Rahman, L. Fattorini, N. Maslej, D. Owen, "The rising costs of training
       frontier AI models," arXiv:2405.21015, 2024.

    Examples
    --------
    >>> b = epoch_accelerator_hour(accelerator_price_usd=30000, tdp_w=700,
    ...                            power_price_usd_per_kwh=0.08)
    >>> round(b["hardware"], 3), round(b["energy"], 4)
    (2.234, 0.0841)
    """
    _checks.non_negative("age_years", age_years)
    rate = depreciation_oom_per_year * np.log(10.0)
    value = np.asarray(accelerator_price_usd) * 10.0 ** (
        -np.asarray(depreciation_oom_per_year) * np.asarray(age_years))
    cluster_price = value * server_overhead / (1.0 - interconnect_share)
    return Breakdown(
        {
            "hardware": cluster_price * rate / HOURS_PER_YEAR,
            "energy": np.asarray(tdp_w) * chip_to_server_power * power_draw_fraction * pue
            * power_price_usd_per_kwh / 1000.0,
        },
        unit="USD/h",
        label="cost per accelerator-hour (Cottier et al. 2024 method)",
    )


def epoch_run_cost(accelerator, accelerator_hours, *, run_date, purchase_date=None,
                   server_included=None, price_usd=None, power_price_usd_per_kwh=None,
                   pue=1.1, catalog=None) -> Breakdown:
    r"""Amortised hardware and energy cost of a training run by the Cottier et al. (2024) method.

    Parameters
    ----------
    accelerator : str
        Catalog accelerator with a ``list`` or ``street`` price series.
    accelerator_hours : numeric
        Accelerator-hours of the run, > 0. [h]
    run_date : str
        When the run starts (``YYYY`` or ``YYYY-MM``).
    purchase_date : str, optional
        When the hardware was bought; default the run date (no age).
    server_included : bool, optional
        The price already includes the server share (a DGX or HGX price per GPU); else the
        paper's server overhead (1.64) is applied. Default: from the series' name
        (:func:`series_includes_server`), False for a given ``price_usd``.
    price_usd : numeric, optional
        The price paid at the purchase date when it comes from a source outside the catalog's
        series (cite it); default the series' price at ``purchase_date``. [USD]
    power_price_usd_per_kwh : numeric, optional
        Electricity price; default the US industrial average at the run date from the catalog's
        price series (the paper uses the US average of the year). [USD/kWh]
    pue : numeric
        1.1, the paper's value for hyperscalers. [dimensionless]

    Returns
    -------
    Breakdown
        ``hardware`` and ``energy`` of the run. [USD]

    Notes
    -----
    The price at the purchase date (:func:`siliconomics.catalog.history.price_at`) is
    depreciated by :math:`10^{-0.14 a}` over the hardware's age :math:`a` at the run, then
    amortised over the run's accelerator-hours (:func:`epoch_accelerator_hour`).

    References
    ----------
    .. [1] B. Cottier et al., "The rising costs of training frontier AI models,"
       arXiv:2405.21015, 2024.
    """
    from . import catalog as cat
    from .catalog import history
    from .errors import InputError

    _checks.positive("accelerator_hours", accelerator_hours)
    bought = purchase_date or run_date
    age = hardware_age_years(bought, run_date)
    entry = (catalog or cat.load()).get("accelerators", accelerator) if isinstance(
        accelerator, str) else accelerator
    if price_usd is None:
        at = price_at_purchase(accelerator, bought, catalog=catalog)
        if at is None:
            raise InputError(f"{entry.slug} has no list or street price series for the Epoch "
                             f"method; give price_usd")
        price_usd = at.value
        if server_included is None:
            server_included = series_includes_server(at, catalog=catalog)
    _checks.positive("price_usd", price_usd)
    if power_price_usd_per_kwh is None:
        power_price_usd_per_kwh = history.price_at("sites.us-texas", run_date, "power",
                                                   provider="us-average", catalog=catalog,
                                                   warn=False).value
    hourly = epoch_accelerator_hour(
        accelerator_price_usd=price_usd, tdp_w=entry.tdp_w,
        power_price_usd_per_kwh=power_price_usd_per_kwh,
        server_overhead=1.0 if server_included else 1.64, pue=pue, age_years=age)
    return hourly.scale(accelerator_hours, unit="USD",
                        label="training run cost (Cottier et al. 2024 method)")


def _plain(x):
    if isinstance(x, np.ndarray):
        return x if x.ndim else float(x)
    return x
