"""siliconomics: the economics of AI compute, from silicon to served tokens.

>>> import siliconomics as sx
>>> r = sx.tco.accelerator_hour("h100", "us-texas", accelerators=100_000)
>>> round(r.power_share, 2) < 0.5
True
"""

from __future__ import annotations

__version__ = "0.1.0"

import importlib

from .errors import CatalogError, InputError, ScenarioError, SiliconomicsError

#: Public submodules, loaded on first attribute access (``sx.tco``, ``sx.training``...).
_SUBMODULES = {
    "catalog": "catalog",
    "units": "units",
    "finance": "finance",
    "results": "results",
    "errors": "errors",
    "datacenter": "datacenter",
    "tco": "tco",
    "pricing": "pricing",
    "systems": "systems",
    "chain": "chain",
    "silicon": "silicon",
    "workloads": "workloads",
    "training": "workloads.training",
    "parallelism": "workloads.parallelism",
    "reliability": "workloads.reliability",
    "inference": "workloads.serving",
    "serving": "workloads.serving",
    "industry": "industry",
    "planning": "planning",
    "uncertainty": "uncertainty",
    "engine": "engine",
    "scenario": "scenario",
    "io": "io",
    "report": "report",
    "validation": "validation",
}

__all__ = [
    "Breakdown",
    "CatalogError",
    "InputError",
    "ScenarioError",
    "SiliconomicsError",
    "Scenario",
    *sorted(_SUBMODULES),
]


def __getattr__(name: str):
    # Submodules load on first use, so `import siliconomics` stays light.
    if name == "Breakdown":
        from .results import Breakdown

        return Breakdown
    if name == "Scenario":
        from .scenario import Scenario

        return Scenario
    if name in _SUBMODULES:
        return importlib.import_module(f".{_SUBMODULES[name]}", __name__)
    raise AttributeError(f"module 'siliconomics' has no attribute {name!r}")
