"""Report sections: one module per model, each with ``build(ctx) -> list[Section]``.

Sections appear in :data:`ORDER`; a module not listed comes after them. The inputs table is last.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import Any

ORDER = ("tco", "silicon", "training", "serving", "sites", "industry", "markets", "uncertainty", "inputs")


@dataclass
class ReportContext:
    """What the report is about; sections read it and may leave results for later ones."""

    accelerator: str = "h100-sxm"
    accelerators: int = 100_000
    sites: list[str] | None = None
    financing: str = "hyperscaler"
    scenario: Any = None
    tco_results: list = field(default_factory=list)
    extra: dict = field(default_factory=dict)


def modules() -> list[str]:
    """Section module names in report order."""
    found = [m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")]
    return [m for m in ORDER if m in found and m != "inputs"] + sorted(
        set(found) - set(ORDER)
    ) + (["inputs"] if "inputs" in found else [])


def build_all(ctx: ReportContext) -> list:
    """Every section, in order."""
    out = []
    for name in modules():
        out.extend(importlib.import_module(f".{name}", __name__).build(ctx))
    return out
