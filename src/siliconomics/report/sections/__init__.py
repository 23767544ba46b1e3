"""Report sections: one module per model, each with ``build(ctx) -> list[Section]``.

Sections appear in :data:`ORDER`; a module not listed comes after them. The inputs table is last.
A module may also define ``prefetch(ctx)``, called once the first section is built (so the
inputs have been checked), to start slow work that releases the GIL (the build-out plan's
solver) in a background thread; its ``build`` then waits for the result. When a section fails,
background work is waited for before the error goes on: no solver is left running.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from collections.abc import Callable
from typing import Any

from ...io.write import held_signals

ORDER = ("tco", "silicon", "training", "serving", "sites", "industry", "markets", "uncertainty",
         "comparison", "validation", "inputs")


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


def build_all(ctx: ReportContext, progress: Callable[[str], None] | None = None) -> list:
    """Every section, in order.

    Interruptions (SIGINT, SIGTERM) are held while a section is built and delivered between
    sections: raised inside a plotting or solver extension they could abort the process.

    ``progress(name)`` is called after each section module is built (a progress bar's step).
    """
    names = modules()
    mods = [importlib.import_module(f".{name}", __name__) for name in names]
    out = []
    try:
        for i, (name, mod) in enumerate(zip(names, mods)):
            with held_signals():  # Ctrl-C and SIGTERM wait for the section: never mid-chart
                out.extend(mod.build(ctx))
            if i == 0:
                for later in mods[1:]:
                    if hasattr(later, "prefetch"):
                        later.prefetch(ctx)
            if progress is not None:
                progress(name)
    except BaseException:
        for job in ctx.extra.get("background", []):
            job.wait()
        raise
    finally:
        ctx.extra.pop("background", None)
    return out
