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

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import _checks, finance
from .datacenter import network, power
from .results import Breakdown
from .results import scalar_or_array as _f

HOURS_PER_YEAR = power.HOURS_PER_YEAR

COMPONENTS = ("accelerator", "server", "network", "facility", "power", "operations")


def cost_per_accelerator_hour(
    *,
    accelerator_price_usd,
    server_other_cost_usd,
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
    server_other_cost_usd : numeric
        Rest of the server per accelerator (CPUs, memory, NICs' host side, chassis). [USD]
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
        USD per utilised accelerator-hour: accelerator, server, network, facility, power,
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
    ...     accelerator_price_usd=30000, server_other_cost_usd=5000, network_capex_usd=3000,
    ...     it_power_w=1400, build_cost_usd_per_mw=11e6, power_price_usd_per_kwh=0.07, pue=1.3,
    ...     cost_of_capital=0.1, accelerator_life_years=5, network_life_years=5,
    ...     facility_life_years=20)
    >>> round(b.total, 3), round(b["power"], 4)
    (1.445, 0.0956)
    """
    _checks.non_negative("accelerator_price_usd", accelerator_price_usd)
    _checks.non_negative("server_other_cost_usd", server_other_cost_usd)
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

    def per_hour(capex, life, residual=0.0):
        return finance.annualized_capex(capex, cost_of_capital, life, residual) / hours

    draw = power.average_draw_fraction(utilization, busy_draw_fraction, idle_draw_fraction)
    energy_kwh_per_year = power.annual_energy_kwh(it_power_w, pue, np.maximum(draw, 1e-12))
    it_capex = (
        np.asarray(accelerator_price_usd) + server_other_cost_usd + network_capex_usd
    )
    operations_per_year = (
        it_maintenance_fraction * it_capex + facility_opex_usd_per_mw_year * it_mw
    )
    return Breakdown(
        {
            "accelerator": per_hour(accelerator_price_usd, accelerator_life_years, residual_fraction),
            "server": per_hour(server_other_cost_usd, accelerator_life_years, residual_fraction),
            "network": per_hour(network_capex_usd, network_life_years),
            "facility": per_hour(it_mw * build_cost_usd_per_mw, facility_life_years),
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
        Accelerators in the cluster. [count]
    critical_it_mw, facility_mw : numeric
        IT load at maximum and grid power with PUE. [MW]
    annual_energy_mwh : numeric
        Energy drawn from the grid per year. [MWh]
    capex_usd : numeric
        Upfront capital: accelerators, servers, network and facility. [USD]
    annual_opex_usd : numeric
        Power and operations per year. [USD/year]
    inputs : dict
        Every input used, with its value and source (for reports and provenance).
    """

    breakdown: Breakdown
    accelerators: float
    critical_it_mw: Any
    facility_mw: Any
    annual_energy_mwh: Any
    capex_usd: Any
    annual_opex_usd: Any
    network: dict = field(default_factory=dict)
    inputs: dict = field(default_factory=dict)
    accelerator: str = ""
    site: str = ""
    financing: str = ""

    @property
    def usd_per_accelerator_hour(self):
        """Total cost per utilised accelerator-hour. [USD/h]"""
        return self.breakdown.total

    @property
    def power_share(self):
        """Power's share of the hourly cost. [dimensionless]"""
        return self.breakdown.shares()["power"]

    @property
    def annual_cost_usd(self):
        """Cluster cost per year, capital annualised. [USD/year]"""
        utilization = self.inputs.get("utilization", {}).get("value", 1.0)
        return self.breakdown.total * self.accelerators * HOURS_PER_YEAR * utilization

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
            "usd_per_accelerator_hour": plain(self.usd_per_accelerator_hour),
            "breakdown": {k: plain(v) for k, v in self.breakdown.items()},
            "power_share": plain(self.power_share),
            "critical_it_mw": plain(self.critical_it_mw),
            "facility_mw": plain(self.facility_mw),
            "annual_energy_mwh": plain(self.annual_energy_mwh),
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
        return self.breakdown._repr_html_()


#: Inputs of :func:`accelerator_hour` that can be overridden, and where their default comes from.
OVERRIDABLE = {
    "price_usd": ("accelerators", "price_usd"),
    "server_other_cost_usd": ("accelerators", "server_other_cost_usd"),
    "server_power_kw": ("accelerators", "server_power_kw"),
    "accelerators_per_server": ("accelerators", "accelerators_per_server"),
    "power_price_usd_per_kwh": ("sites", "power_price_usd_per_kwh"),
    "pue": ("sites", "pue"),
    "build_cost_usd_per_mw": ("sites", "build_cost_usd_per_mw"),
    "cost_of_capital": ("financing", "cost_of_capital"),
    "accelerator_life_years": ("financing", "accelerator_life_years"),
    "network_life_years": ("financing", "network_life_years"),
    "facility_life_years": ("financing", "facility_life_years"),
    "busy_draw_fraction": ("assumptions", "power-draw-fraction"),
    "idle_draw_fraction": ("assumptions", "idle-draw-fraction"),
    "it_maintenance_fraction": ("assumptions", "it-maintenance-fraction"),
    "facility_opex_usd_per_mw_year": ("assumptions", "facility-opex-usd-per-mw-year"),
    "switch_radix": ("assumptions", "switch-radix"),
    "switch_cost_usd": ("assumptions", "switch-cost-usd"),
    "switch_power_w": ("assumptions", "switch-power-w"),
    "transceiver_cost_usd": ("assumptions", "transceiver-cost-usd"),
    "transceiver_power_w": ("assumptions", "transceiver-power-w"),
    "nic_cost_usd": ("assumptions", "nic-cost-usd"),
    "nic_power_w": ("assumptions", "nic-power-w"),
}


def resolve_inputs(accelerator, site, financing="hyperscaler", pricing="list", **overrides) -> dict[str, dict]:
    """Every TCO input with its value and provenance: catalog defaults, then overrides.

    Returns a mapping name -> ``{"value", "low", "high", "source", "as_of"}`` where the value
    of an override is taken as given (float or array) and sourced ``"user input"``.
    ``pricing="cost-plus"`` replaces the catalog price by the accelerator's manufacturing cost
    (:func:`siliconomics.silicon.chip_cost`) times one plus the ``cost-plus-markup`` assumption.
    """
    from . import catalog
    from .errors import InputError, unknown

    cat = catalog.load()
    entries = {
        "accelerators": cat.get("accelerators", accelerator),
        "sites": cat.get("sites", site),
        "financing": cat.get("financing", financing),
    }
    extras = {"utilization", "residual_fraction", "nics_per_accelerator", "nics_in_server"}
    unknown_keys = set(overrides) - set(OVERRIDABLE) - extras
    if unknown_keys:
        key = sorted(unknown_keys)[0]
        raise InputError(unknown("TCO input", key, list(OVERRIDABLE) + sorted(extras)))
    resolved = {}
    for name, (kind, key) in OVERRIDABLE.items():
        if name in overrides and overrides[name] is not None:
            resolved[name] = {"value": overrides[name], "source": "user input", "as_of": ""}
            continue
        if kind == "assumptions":
            entry = cat.get("assumptions", key)
            v = entry.fields["value"]
        else:
            v = entries[kind].value(key)
        resolved[name] = {
            "value": v.value,
            "low": v.low,
            "high": v.high,
            "source": v.source,
            "as_of": v.as_of,
            "assumption": v.assumption,
        }
    for name, default, source in (
        ("utilization", 1.0, "default: fully utilised"),
        ("residual_fraction", 0.0, "default: no resale value"),
        ("nics_per_accelerator", 1.0, "default: one scale-out NIC per accelerator"),
        ("nics_in_server", 1.0, "default: NICs are in the catalog server cost and power"),
    ):
        given = overrides.get(name)
        resolved[name] = {
            "value": default if given is None else given,
            "source": source if given is None else "user input",
            "as_of": "",
        }
    if pricing not in ("list", "cost-plus"):
        raise InputError(unknown("pricing", str(pricing), ["list", "cost-plus"]))
    if pricing == "cost-plus" and overrides.get("price_usd") is None:
        from . import silicon

        markup = cat.get("assumptions", "cost-plus-markup").fields["value"]
        cost = silicon.chip_cost(entries["accelerators"]).total
        resolved["price_usd"] = {
            "value": cost * (1.0 + markup.value),
            "source": f"cost-plus: manufacturing cost ${cost:,.0f} (siliconomics.silicon.chip_cost) "
            f"times 1 + markup {markup.value:g} ({markup.source})",
            "as_of": markup.as_of,
            "assumption": True,
        }
    resolved["_entries"] = entries  # type: ignore[assignment]
    return resolved


def accelerator_hour(
    accelerator="h100-sxm",
    site="us-texas",
    *,
    accelerators=100_000,
    utilization=None,
    financing="hyperscaler",
    topology="rail-optimized",
    pricing="list",
    **overrides,
) -> TCOResult:
    """Cost of owning one accelerator-hour at a site, for a cluster of ``accelerators``.

    Parameters
    ----------
    accelerator : str or Entry
        Catalog name or alias (``"h100"``).
    site : str or Entry
        Catalog site (``"us-texas"``).
    accelerators : numeric
        Cluster size, >= 1; sizes the network fabric and the cluster totals. [count]
    utilization : numeric, optional
        Fraction of hours doing paid work, in (0, 1]; default 1. [dimensionless]
    financing : str
        Financing preset: ``hyperscaler``, ``neocloud`` or ``sovereign``.
    topology : {"rail-optimized", "fat-tree"}
        Scale-out fabric: one tree per NIC rail (rails = accelerators per server), or one tree.
    pricing : {"list", "cost-plus"}
        Accelerator price: the catalog's market price, or manufacturing cost plus a markup (a
        hyperscaler's own chip).
    **overrides
        Any name of :data:`OVERRIDABLE` (``power_price_usd_per_kwh=0.09``, ``pue=1.3``,
        ``price_usd=25_000``...), as numbers or arrays of samples.

    Returns
    -------
    TCOResult

    Examples
    --------
    >>> r = accelerator_hour("h100", "us-texas", accelerators=1024)
    >>> 0.5 < r.usd_per_accelerator_hour < 5
    True
    """
    _checks.at_least("accelerators", accelerators, 1)
    inputs = resolve_inputs(accelerator, site, financing, pricing=pricing, utilization=utilization,
                            **overrides)
    entries = inputs.pop("_entries")
    v = {k: d["value"] for k, d in inputs.items()}

    fab = network.fabric(
        accelerators,
        v["switch_radix"],
        nics_per_accelerator=v["nics_per_accelerator"],
        switch_cost_usd=v["switch_cost_usd"],
        switch_power_w=v["switch_power_w"],
        transceiver_cost_usd=v["transceiver_cost_usd"],
        transceiver_power_w=v["transceiver_power_w"],
        # The catalog's server cost and power already include the server's NICs.
        nic_cost_usd=0.0 if v["nics_in_server"] else v["nic_cost_usd"],
        nic_power_w=0.0 if v["nics_in_server"] else v["nic_power_w"],
        topology=topology,
        rails=v["accelerators_per_server"],
    )
    it_power_w = power.it_power_per_accelerator_w(
        v["server_power_kw"], v["accelerators_per_server"], fab["power_w_per_accelerator"]
    )
    server_other = np.asarray(v["server_other_cost_usd"]) / v["accelerators_per_server"]
    breakdown = cost_per_accelerator_hour(
        accelerator_price_usd=v["price_usd"],
        server_other_cost_usd=server_other,
        network_capex_usd=fab["capex_usd_per_accelerator"],
        it_power_w=it_power_w,
        build_cost_usd_per_mw=v["build_cost_usd_per_mw"],
        power_price_usd_per_kwh=v["power_price_usd_per_kwh"],
        pue=v["pue"],
        cost_of_capital=v["cost_of_capital"],
        accelerator_life_years=v["accelerator_life_years"],
        network_life_years=v["network_life_years"],
        facility_life_years=v["facility_life_years"],
        utilization=v["utilization"],
        busy_draw_fraction=v["busy_draw_fraction"],
        idle_draw_fraction=v["idle_draw_fraction"],
        it_maintenance_fraction=v["it_maintenance_fraction"],
        facility_opex_usd_per_mw_year=v["facility_opex_usd_per_mw_year"],
        residual_fraction=v["residual_fraction"],
    )
    n = float(accelerators)
    critical_it_mw = n * np.asarray(it_power_w) / 1e6
    draw = power.average_draw_fraction(v["utilization"], v["busy_draw_fraction"], v["idle_draw_fraction"])
    annual_energy_mwh = n * power.annual_energy_kwh(it_power_w, v["pue"], draw) / 1000.0
    facility_capex = critical_it_mw * np.asarray(v["build_cost_usd_per_mw"])
    capex = n * (np.asarray(v["price_usd"]) + server_other + fab["capex_usd_per_accelerator"]) + facility_capex
    hours = HOURS_PER_YEAR * np.asarray(v["utilization"], dtype=float)
    annual_opex = n * hours * (np.asarray(breakdown["power"]) + breakdown["operations"])
    return TCOResult(
        breakdown=breakdown,
        accelerators=n,
        critical_it_mw=_f(critical_it_mw),
        facility_mw=_f(critical_it_mw * np.asarray(v["pue"])),
        annual_energy_mwh=_f(annual_energy_mwh),
        capex_usd=_f(capex),
        annual_opex_usd=_f(annual_opex),
        network=fab,
        inputs={k: {kk: _plain(vv) for kk, vv in d.items()} for k, d in inputs.items()},
        accelerator=entries["accelerators"].slug,
        site=entries["sites"].slug,
        financing=entries["financing"].slug,
    )


def rent_vs_own(result: TCOResult, rental_usd_per_hour) -> dict[str, Any]:
    """Compare owning (``result``) with renting at ``rental_usd_per_hour``.

    Returns the rental price, the owned cost, the saving per hour from owning (negative when
    renting is cheaper), the ratio rental/owned, and the break-even utilisation: the lowest
    utilisation at which owning costs no more than renting, holding the other inputs.
    """
    _checks.positive("rental_usd_per_hour", rental_usd_per_hour)
    owned = result.usd_per_accelerator_hour
    u = result.inputs.get("utilization", {}).get("value", 1.0)
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

    Returns
    -------
    Breakdown
        ``hardware`` (accelerator, server and interconnect amortised) and ``energy``. [USD/h]

    Notes
    -----
    Hardware: :math:`P \, s / (1 - i) \cdot 0.14 \ln 10 / 8766`, the exponential depreciation
    implied by price-performance improving 0.14 orders of magnitude a year. Energy:
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
    rate = depreciation_oom_per_year * np.log(10.0)
    cluster_price = np.asarray(accelerator_price_usd) * server_overhead / (1.0 - interconnect_share)
    return Breakdown(
        {
            "hardware": cluster_price * rate / HOURS_PER_YEAR,
            "energy": np.asarray(tdp_w) * chip_to_server_power * power_draw_fraction * pue
            * power_price_usd_per_kwh / 1000.0,
        },
        unit="USD/h",
        label="cost per accelerator-hour (Cottier et al. 2024 method)",
    )


def _plain(x):
    if isinstance(x, np.ndarray):
        return x if x.ndim else float(x)
    return x
