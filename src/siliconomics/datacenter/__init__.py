"""Datacenters: facility build cost and PUE, power per accelerator, network fabric sizing."""

from . import facility, network, power
from .facility import build_capex_usd, facility_power_mw
from .network import fabric
from .power import annual_energy_kwh, it_power_per_accelerator_w

__all__ = [
    "facility",
    "network",
    "power",
    "build_capex_usd",
    "facility_power_mw",
    "fabric",
    "annual_energy_kwh",
    "it_power_per_accelerator_w",
]
