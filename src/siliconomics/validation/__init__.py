"""Validation cases: published figures, what the models compute for them, and the tolerance.

Each case cites its source and states a relative tolerance matched to the source's precision
(``justification`` says why). Cases whose figure was used to fit a model parameter are marked
``calibration=True`` and reported apart: they show the fit, not a prediction.
``siliconomics validate`` prints every case; ``tests/validation`` asserts each one. A case that
misses stays visible as a failure with its note; tolerances are never loosened silently.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field



@dataclass(frozen=True)
class Case:
    """One published figure and how to compute it.

    ``tolerance`` is relative: the case passes when ``|computed - published| <= tolerance *
    |published|``. Where a source gives a band instead of a figure, ``published`` is its
    midpoint and ``tolerance`` its half-width, and ``band`` says so.
    """

    id: str
    topic: str
    description: str
    published: float
    unit: str
    tolerance: float
    source: str
    compute: Callable[[], float] = field(repr=False, compare=False)
    status: str = "C"  # C: stated in the source; C2: secondary copy; D: derived; band
    note: str = ""
    justification: str = ""  # why this tolerance: the source's precision and the setup's
    calibration: bool = False  # True when a model parameter was fitted on this figure


@dataclass(frozen=True)
class Outcome:
    case: Case
    computed: float
    error: float  # relative

    @property
    def passed(self) -> bool:
        return abs(self.error) <= self.case.tolerance + 1e-12


_REGISTRY: dict[str, Case] = {}


def case(**kwargs) -> Callable[[Callable[[], float]], Callable[[], float]]:
    """Decorator registering the decorated function as the ``compute`` of a :class:`Case`."""

    def register(func):
        c = Case(compute=func, **kwargs)
        if c.id in _REGISTRY:
            raise RuntimeError(f"duplicate validation case {c.id}")
        _REGISTRY[c.id] = c
        return func

    return register


def band(low: float, high: float) -> dict:
    """``published`` and ``tolerance`` for a published band [low, high]."""
    mid = (low + high) / 2.0
    return {"published": mid, "tolerance": (high - low) / 2.0 / abs(mid), "status": "band"}


def cases(topic: str | None = None) -> list[Case]:
    """Every registered case (loading the case modules first), optionally of one topic."""
    import pkgutil

    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f".{module.name}", __name__)
    return [c for c in _REGISTRY.values() if topic is None or c.topic == topic]


def evaluate(c: Case) -> Outcome:
    """Compute one case and its relative error."""
    computed = float(c.compute())
    error = (computed - c.published) / abs(c.published)
    return Outcome(c, computed, error)
