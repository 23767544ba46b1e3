r"""Energy and emissions conventions: what a figure of energy or carbon counts, named.

Published energy figures for AI compute count different things. Luccioni et al. (2022) give
BLOOM's energy as GPU-hours times the GPUs' TDP; Meta's model cards multiply GPU-hours by TDP
and the datacenter PUE; Patterson et al. (2021) use measured server power per processor times
PUE; a TCO counts the whole server, the network and the facility overhead at an average draw.
The same run differs by a factor of two or more between them. An :class:`EnergyConvention`
names the choice, and every output that reports energy or emissions carries it:

``scope``
    ``accelerator`` (the accelerators' TDP alone), ``server`` (the system's power per
    accelerator plus the scale-out network where known: critical IT) or ``facility`` (the
    ``facility_base`` power times the site's PUE: what the grid supplies).
``busy_fraction``
    Average draw while working, as a fraction of the scope's maximum (1 = full draw; the
    catalog's ``power-draw-fraction``, 0.75 after Cottier et al. 2024, when not given).
``basis``
    ``location`` (energy times the site grid's average intensity) or ``market`` (the same,
    less the share of consumption matched by contracted carbon-free supply, PPAs and
    certificates, as in the GHG Protocol Scope 2 Guidance, 2015).

:func:`energy_mwh` and :func:`emissions_t` are what ``tco``, ``train``, ``serve`` and
``validate`` call; they take resolved catalog inputs (:func:`siliconomics.catalog.resolve`)
or plain numbers.

Examples
--------
>>> c = EnergyConvention(scope="accelerator", busy_fraction=1.0)
>>> c.label()
'accelerator TDP, full draw, location-based'
>>> round(float(energy_mwh(1_000_000, power_w=400.0, convention=c)), 1)
400.0
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from .. import _checks
from ..errors import InputError, unknown

#: What an energy figure counts (see the module docstring).
SCOPES = ("accelerator", "server", "facility")
#: Which power the PUE multiplies at ``facility`` scope.
FACILITY_BASES = ("server", "accelerator")
#: How emissions are counted.
BASES = ("location", "market")


@dataclass(frozen=True)
class EnergyConvention:
    """What an energy or emissions figure counts.

    Attributes
    ----------
    scope : {"accelerator", "server", "facility"}
        Power counted: accelerator TDP, server (critical IT), or facility (times PUE).
    busy_fraction : float or None
        Average draw while working, fraction of the scope's maximum, in (0, 1]; None takes the
        catalog's ``power-draw-fraction``. [dimensionless]
    basis : {"location", "market"}
        Location-based (grid average) or market-based (less contracted carbon-free supply).
    carbon_free_share : float
        With ``basis="market"``: share of consumption matched by contracted carbon-free
        supply, in [0, 1]. [dimensionless]
    facility_base : {"server", "accelerator"}
        At ``facility`` scope, the power the PUE multiplies: the server's (a TCO) or the
        accelerators' TDP (Meta's model cards).
    """

    scope: str = "facility"
    busy_fraction: float | None = None
    basis: str = "location"
    carbon_free_share: float = 0.0
    facility_base: str = "server"

    def __post_init__(self):
        for name, value, allowed in (("energy scope", self.scope, SCOPES),
                                     ("emissions basis", self.basis, BASES),
                                     ("facility base", self.facility_base, FACILITY_BASES)):
            if value not in allowed:
                raise InputError(unknown(name, value, allowed))
        if self.busy_fraction is not None:
            _checks.fraction("busy_fraction", self.busy_fraction)
        _checks.fraction("carbon_free_share", self.carbon_free_share, open_low=False)
        if self.carbon_free_share and self.basis != "market":
            raise InputError("a carbon-free share applies to market-based emissions; "
                             "set basis='market' (--emissions market) or drop the share")

    def with_busy(self, default: float) -> EnergyConvention:
        """The convention with ``busy_fraction`` filled from ``default`` when unset."""
        return self if self.busy_fraction is not None else replace(self, busy_fraction=default)

    def label(self) -> str:
        """One line naming the convention, for tables and reports."""
        power = {"accelerator": "accelerator TDP", "server": "server (critical IT)",
                 "facility": ("facility (server x PUE)" if self.facility_base == "server"
                              else "facility (accelerator TDP x PUE)")}[self.scope]
        if self.busy_fraction is None:
            draw = "catalog busy draw"
        elif np.ndim(self.busy_fraction):
            draw = "sampled busy draw"
        elif self.busy_fraction == 1.0:
            draw = "full draw"
        else:
            draw = f"busy draw {self.busy_fraction:.0%}"
        basis = "location-based" if self.basis == "location" else (
            f"market-based ({self.carbon_free_share:.0%} contracted carbon-free)")
        return f"{power}, {draw}, {basis}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary, with the label."""
        busy = self.busy_fraction
        if busy is not None:
            busy = float(busy) if np.ndim(busy) == 0 else np.asarray(busy).tolist()
        return {"scope": self.scope, "busy_fraction": busy, "basis": self.basis,
                "carbon_free_share": self.carbon_free_share,
                "facility_base": self.facility_base, "label": self.label()}


#: The TCO's convention: what the grid supplies for the whole cluster at the catalog's draw.
TCO = EnergyConvention()


def power_w(convention: EnergyConvention, *, tdp_w, server_w=None, network_w=0.0, pue=1.0):
    r"""Power per accelerator counted by a convention, at maximum draw.

    Parameters
    ----------
    convention : EnergyConvention
    tdp_w : numeric
        Accelerator TDP, > 0. [W]
    server_w : numeric, optional
        System power per accelerator (hosts, scale-up fabric, cooling share); needed for
        ``server`` scope and ``facility`` scope on a server base. [W]
    network_w : numeric
        Scale-out network power per accelerator, >= 0. [W]
    pue : numeric
        Power usage effectiveness, >= 1 (``facility`` scope only). [dimensionless]

    Returns
    -------
    numeric
        :math:`P_{TDP}`, :math:`P_{server} + P_{net}` or :math:`PUE` times either. [W]

    Examples
    --------
    >>> round(power_w(EnergyConvention(scope="facility", facility_base="accelerator"),
    ...               tdp_w=700.0, pue=1.1), 6)
    770.0
    """
    _checks.positive("tdp_w", tdp_w)
    _checks.non_negative("network_w", network_w)
    if convention.scope == "accelerator":
        return tdp_w
    on_accelerator = convention.scope == "facility" and convention.facility_base == "accelerator"
    if on_accelerator:
        base = np.asarray(tdp_w, dtype=float)
    else:
        if server_w is None:
            raise InputError(f"the {convention.scope} energy scope needs the system's power per "
                             f"accelerator; give server_w or use scope 'accelerator'")
        _checks.positive("server_w", server_w)
        base = np.asarray(server_w, dtype=float) + np.asarray(network_w, dtype=float)
    if convention.scope == "facility":
        _checks.at_least("pue", pue, 1.0)
        base = base * np.asarray(pue, dtype=float)
    return float(base) if np.ndim(base) == 0 else base


def energy_mwh(accelerator_hours, resolved=None, *, convention: EnergyConvention = TCO,
               power_w=None, network_w=0.0):
    r"""Energy of ``accelerator_hours`` under a convention.

    Parameters
    ----------
    accelerator_hours : numeric
        Accelerator-hours of work, >= 0. [h]
    resolved : Resolved, optional
        Resolved catalog inputs (accelerator, system, site; :func:`siliconomics.catalog.resolve`);
        gives the TDP, the system's power per accelerator, the PUE and the default busy draw.
    convention : EnergyConvention
        What is counted (default: facility, catalog busy draw, location-based).
    power_w : numeric, optional
        Power per accelerator at maximum for the convention's scope, instead of ``resolved``.
        [W]
    network_w : numeric
        Scale-out network power per accelerator, added at server and facility scope. [W]

    Returns
    -------
    numeric
        :math:`E = h \, P \, f_{busy} / 10^6`. [MWh]

    Examples
    --------
    >>> from siliconomics import catalog
    >>> r = catalog.resolve("a100-sxm4-80gb", "france")
    >>> c = EnergyConvention(scope="accelerator", busy_fraction=1.0)
    >>> round(float(energy_mwh(1_082_990, r, convention=c)), 1)  # BLOOM, Luccioni et al. 2022
    433.2
    """
    _checks.non_negative("accelerator_hours", accelerator_hours)
    if power_w is None:
        if resolved is None:
            raise InputError("energy_mwh needs resolved catalog inputs or power_w")
        power_w = accelerator_power_w(resolved, convention, network_w=network_w)
    busy = convention.busy_fraction
    if busy is None:
        busy = 0.75 if resolved is None else resolved.assumption("power-draw-fraction")
    return _out(np.asarray(accelerator_hours, dtype=float) * np.asarray(power_w, dtype=float)
                * np.asarray(busy, dtype=float) / 1e6)


def accelerator_power_w(resolved, convention: EnergyConvention = TCO, *, network_w=0.0):
    """Power per accelerator at maximum counted by ``convention``, from resolved inputs. [W]"""
    from .. import systems

    server = None
    if convention.scope == "server" or (convention.scope == "facility"
                                        and convention.facility_base == "server"):
        server = systems.describe(resolved).power_w_per_accelerator
    pue = resolved["site.pue"] if convention.scope == "facility" else 1.0
    return power_w(convention, tdp_w=resolved["accelerator.tdp_w"], server_w=server,
                   network_w=network_w, pue=pue)


def emissions_t(energy, resolved=None, *, convention: EnergyConvention = TCO,
                grid_kg_per_kwh=None):
    r"""Operational emissions of ``energy`` under a convention's basis.

    Parameters
    ----------
    energy : numeric
        Energy, >= 0. [MWh]
    resolved : Resolved, optional
        Resolved inputs with a site (its ``grid_intensity_kg_per_kwh``).
    convention : EnergyConvention
        ``location``: grid average; ``market``: times ``1 - carbon_free_share``.
    grid_kg_per_kwh : numeric, optional
        Grid intensity instead of the site's. [kgCO2e/kWh]

    Returns
    -------
    numeric
        :math:`E \, g \, (1 - s)` (kg/kWh equals t/MWh). [tCO2e]

    Examples
    --------
    >>> emissions_t(1000.0, grid_kg_per_kwh=0.4)
    400.0
    >>> emissions_t(1000.0, grid_kg_per_kwh=0.4,
    ...             convention=EnergyConvention(basis="market", carbon_free_share=1.0))
    0.0
    """
    _checks.non_negative("energy", energy)
    if grid_kg_per_kwh is None:
        if resolved is None:
            raise InputError("emissions_t needs resolved catalog inputs with a site or "
                             "grid_kg_per_kwh")
        grid_kg_per_kwh = resolved["site.grid_intensity_kg_per_kwh"]
    _checks.non_negative("grid_kg_per_kwh", grid_kg_per_kwh)
    share = convention.carbon_free_share if convention.basis == "market" else 0.0
    return _out(np.asarray(energy, dtype=float) * np.asarray(grid_kg_per_kwh, dtype=float)
                * (1.0 - share))


def _out(x):
    arr = np.asarray(x, dtype=float)
    return float(arr) if arr.ndim == 0 else arr


def account(accelerator_hours, resolved, convention: EnergyConvention = TCO, *,
            network_w=0.0) -> dict[str, Any]:
    """Energy and emissions of ``accelerator_hours`` with the convention that produced them.

    What ``train`` and ``serve`` report: the numbers and the named convention together.

    Parameters
    ----------
    accelerator_hours : numeric
        Accelerator-hours of work, >= 0. [h]
    resolved : Resolved
        Resolved catalog inputs with an accelerator and a site.
    convention : EnergyConvention
        What is counted; an unset busy draw takes the catalog's.
    network_w : numeric
        Scale-out network power per accelerator, at server and facility scope. [W]

    Returns
    -------
    dict
        ``energy_mwh`` [MWh], ``tco2e`` [tCO2e] and ``convention`` (its fields and label).

    Examples
    --------
    >>> from siliconomics import catalog
    >>> r = catalog.resolve("h100-sxm", "france")
    >>> out = account(1000.0, r, EnergyConvention(scope="accelerator", busy_fraction=1.0))
    >>> out["energy_mwh"], out["convention"]["label"]
    (0.7, 'accelerator TDP, full draw, location-based')
    """
    c = convention.with_busy(resolved.assumption("power-draw-fraction"))
    mwh = energy_mwh(accelerator_hours, resolved, convention=c, network_w=network_w)
    return {"energy_mwh": mwh, "tco2e": emissions_t(mwh, resolved, convention=c),
            "convention": c.to_dict()}
