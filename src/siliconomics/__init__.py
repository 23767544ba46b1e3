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

_SUBMODULES = {
    "catalog", "units", "finance", "tco", "datacenter", "results", "errors",
}

__all__ = [
    "Breakdown",
    "CatalogError",
    "InputError",
    "ScenarioError",
    "SiliconomicsError",
    *sorted(_SUBMODULES),
]


def __getattr__(name: str):
    # Submodules load on first use, so `import siliconomics` stays light.
    if name == "Breakdown":
        from .results import Breakdown

        return Breakdown
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'siliconomics' has no attribute {name!r}")
