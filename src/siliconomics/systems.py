"""Systems: the servers and racks accelerators ship in, priced and sized part by part.

An HGX server carries 8 GPUs and one host; a GB200 NVL72 rack carries 72 GPUs in 18 compute
trays with 9 NVLink switch trays, a copper spine, liquid cooling and power shelves; a TPU v5p
cube carries 64 chips on 16 hosts. The catalog's ``systems`` entries give each system's capex
by part (accelerators excluded), its power, its scale-up domain and bandwidth, its scale-out
NICs and how many accelerators one hardware failure takes out of a job.

:func:`system_cost` is the pure, vectorised model (capex and power per accelerator);
:func:`describe` reads a resolved system and adds what the TCO, training and serving models
need. :func:`systems_needed` rounds a cluster up to whole systems.

Examples
--------
>>> from siliconomics import catalog
>>> s = describe(catalog.resolve("gb200"))
>>> s.accelerators, s.scaleup_domain, s.rails
(72, 72, 4)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _checks
from .catalog.schema import SYSTEM_PARTS
from .results import Breakdown
from .results import scalar_or_array as _f

#: Breakdown component of each capex part.
PART_NAMES = {"host_cost_usd": "hosts", "scaleup_switch_cost_usd": "scaleup_switches",
              "scaleup_fabric_cost_usd": "scaleup_fabric", "cooling_cost_usd": "cooling",
              "rack_power_cost_usd": "rack_and_power"}


def system_cost(*, accelerators, power_kw, **parts) -> tuple[Breakdown, Any]:
    """Capex per accelerator by part, and power per accelerator, of one system.

    Parameters
    ----------
    accelerators : numeric
        Accelerators in one system, >= 1. [count]
    power_kw : numeric
        Maximum power of the system. [kW]
    **parts
        ``host_cost_usd``, ``scaleup_switch_cost_usd``, ``scaleup_fabric_cost_usd``,
        ``cooling_cost_usd``, ``rack_power_cost_usd``: USD per system, accelerators excluded.

    Returns
    -------
    (Breakdown, numeric)
        USD per accelerator by part, and W per accelerator.

    Examples
    --------
    >>> b, w = system_cost(accelerators=8, power_kw=10.2, host_cost_usd=40000,
    ...                    scaleup_switch_cost_usd=0, scaleup_fabric_cost_usd=0,
    ...                    cooling_cost_usd=0, rack_power_cost_usd=4000)
    >>> b.total, w
    (5500.0, 1275.0)
    """
    _checks.at_least("accelerators", accelerators, 1)
    _checks.positive("power_kw", power_kw)
    n = np.asarray(accelerators, dtype=float)
    comps = {}
    for key in SYSTEM_PARTS:
        _checks.non_negative(key, parts.get(key, 0.0))
        comps[PART_NAMES[key]] = np.asarray(parts.get(key, 0.0), dtype=float) / n
    return (Breakdown(comps, unit="USD", label="system capex per accelerator"),
            _f(np.asarray(power_kw, dtype=float) * 1e3 / n))


@dataclass(frozen=True)
class System:
    """A resolved system: what the TCO, training and serving models read from it."""

    slug: str
    name: str
    form: str
    accelerators: int
    hosts: int
    scaleup_domain: int
    scaleup_bandwidth_gb_per_s: Any
    rails: int
    nics_per_accelerator: float  # scale-out ports per accelerator (1 where they are on-chip)
    power_w_per_accelerator: Any
    capex_per_accelerator: Breakdown
    blast_radius_accelerators: int

    @property
    def capex_usd_per_accelerator(self):
        """Everything in the system but the accelerator, per accelerator. [USD]"""
        return self.capex_per_accelerator.total

    def to_dict(self) -> dict[str, Any]:
        return {
            "system": self.slug, "name": self.name, "form": self.form,
            "accelerators": self.accelerators, "hosts": self.hosts,
            "scaleup_domain": self.scaleup_domain,
            "scaleup_bandwidth_gb_per_s": _plain(self.scaleup_bandwidth_gb_per_s),
            "rails": self.rails, "nics_per_accelerator": self.nics_per_accelerator,
            "power_w_per_accelerator": _plain(self.power_w_per_accelerator),
            "capex_usd_per_accelerator": _plain(self.capex_usd_per_accelerator),
            "capex_per_accelerator": {k: _plain(v) for k, v in self.capex_per_accelerator.items()},
            "blast_radius_accelerators": self.blast_radius_accelerators,
        }


def describe(resolved) -> System:
    """The system of a resolved question (:func:`siliconomics.catalog.resolve`)."""
    e = resolved.system
    n = int(resolved["system.accelerators"])
    hosts = int(resolved["system.hosts"])
    capex, watts = system_cost(
        accelerators=n, power_kw=resolved["system.power_kw"],
        **{k: resolved[f"system.{k}"] for k in SYSTEM_PARTS})
    nics = int(resolved["system.scaleout_nics"])
    # Scale-out ports integrated in the accelerator (Gaudi, Ascend): no NIC cards, but the
    # fabric still needs one port's worth of switch ports and optics per accelerator.
    per_acc = nics / n if nics else 1.0
    return System(
        slug=e.slug, name=e.name, form=e.form, accelerators=n, hosts=hosts,
        scaleup_domain=int(resolved["system.scaleup_domain"]),
        scaleup_bandwidth_gb_per_s=resolved["system.scaleup_bandwidth_gb_per_s"],
        rails=max(nics // hosts, 1), nics_per_accelerator=per_acc,
        power_w_per_accelerator=watts, capex_per_accelerator=capex,
        blast_radius_accelerators=int(resolved["system.blast_radius_accelerators"]),
    )


def systems_needed(accelerators, per_system) -> int:
    """Whole systems that hold ``accelerators``: :math:`\\lceil N / n \\rceil`.

    >>> systems_needed(100, 72)
    2
    """
    _checks.at_least("accelerators", accelerators, 1)
    return int(np.ceil(float(accelerators) / float(per_system) - 1e-12))


def _plain(x):
    arr = np.asarray(x)
    return float(arr) if arr.ndim == 0 else arr.tolist()
