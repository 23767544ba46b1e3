"""Validation cases: published figures, what the models compute for them, and the tolerance.

Each case cites its source and states a relative tolerance matched to the source's precision
(``justification`` says why). Cases whose figure was used to fit a model parameter are marked
``calibration=True`` and reported apart: they show the fit, not a prediction. A case the model
misses for a documented reason keeps its tolerance and says why in ``known_miss``: it is printed
as a known miss, and the tests require it to keep missing, so a fix is noticed.
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
    kind: str = ""  # what is checked (a key of LIMITS); empty: derived from the unit
    known_miss: str = ""  # why the model misses this figure today (a documented limitation)

    @property
    def area(self) -> str:
        """The area the case is reported under (its topic)."""
        return self.topic

    @property
    def check(self) -> str:
        """What is checked: ``kind`` when given, else derived from the unit (:func:`kind_of`)."""
        return self.kind or kind_of(self.unit)

    @property
    def limit(self) -> float:
        """The widest tolerance allowed for the case's kind (:data:`LIMITS`). [relative]"""
        if self.check == "firms":
            # a count of firms: one firm either way, however few there are
            return 1.0 / abs(self.published) + 1e-12
        return LIMITS[self.check]


@dataclass(frozen=True)
class Outcome:
    case: Case
    computed: float
    error: float  # relative

    @property
    def passed(self) -> bool:
        return abs(self.error) <= self.case.tolerance + 1e-12

    @property
    def known_miss(self) -> bool:
        """A documented limitation: outside its tolerance, with the case's reason."""
        return bool(self.case.known_miss) and not self.passed


#: Widest relative tolerance a case of each kind may state. The first six are the project's
#: published limits (FLOPs; per-accelerator throughput or MFU of a stated layout; GPU-hours and
#: days; serving throughput of a stated setup; chip cost; energy once the conventions match);
#: the rest bound the other kinds the same way: a cost of ownership or of a run by a published
#: method as GPU-hours (it is GPU-hours times a price), power as energy, a catalog value or a
#: formula against the figure it was taken from within 5%, a share of time or an efficiency
#: as a throughput. ``firms`` is one firm either way (:attr:`Case.limit`).
LIMITS: dict[str, float] = {
    "flops": 0.10,
    "throughput": 0.15,
    "gpu-hours": 0.25,
    "serving-throughput": 0.25,
    "chip-cost": 0.35,
    "energy": 0.20,
    "cost": 0.25,
    "power": 0.20,
    "catalog": 0.05,
    "formula": 0.05,
    "efficiency": 0.15,
    "firms": 1.0,
    # counts of failures over a run: a duration-like figure, held to the GPU-hours limit
    "failures": 0.25,
    # a frontier run's cost against a published *estimate* (Cottier et al., Epoch AI), whose own
    # 90% interval is about a factor of two: the limit the markets issue sets for the outlook
    "estimate": 0.50,
}


def kind_of(unit: str) -> str:
    """The kind of a case from its unit, when the case names none.

    Examples
    --------
    >>> kind_of("TFLOP/s"), kind_of("output tokens/s"), kind_of("tCO2e"), kind_of("USD/h")
    ('throughput', 'serving-throughput', 'energy', 'cost')
    """
    u = unit.lower()
    if "tokens/s" in u:
        return "serving-throughput"
    if u.startswith("flop/s") or u.startswith("tflop/s") or u == "mfu" or u in ("s", "s/step"):
        return "throughput"  # a step time of a stated layout is its throughput inverted
    if u.startswith("flop"):
        return "flops"
    if "gpu-hour" in u or "accelerator-hour" in u or u in ("days", "day"):
        return "gpu-hours"
    if "wh" in u or "co2" in u:
        return "energy"
    if u in ("mw", "kw", "w"):
        return "power"
    if u == "firms":
        return "firms"
    if u in ("hosts", "interruptions", "failures", "interruptions/day"):
        return "failures"
    if u.startswith("usd"):
        return "cost"
    if u in ("fraction", "share"):
        return "efficiency"
    return "formula"


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


def known_misses_by_reason(outcomes: list[Outcome]) -> dict[str, list[Outcome]]:
    """The known misses among ``outcomes`` grouped by their documented reason, in the order
    first met: a reason shared by many rows of one table is explained once.

    >>> a = Case(id="a", topic="t", description="", published=1.0, unit="W", tolerance=0.1,
    ...          source="s", compute=lambda: 2.0, known_miss="why")
    >>> {r: [o.case.id for o in g] for r, g in known_misses_by_reason([evaluate(a)]).items()}
    {'why': ['a']}
    """
    groups: dict[str, list[Outcome]] = {}
    for o in outcomes:
        if o.known_miss:
            groups.setdefault(o.case.known_miss, []).append(o)
    return groups


def summarize(outcomes: list[Outcome]) -> list[dict]:
    """Per area, predictions and calibration cases apart: how many, how many passed, how many
    are known misses, and the mean, median and max absolute relative error (as Calculon's
    validation reports them).

    Examples
    --------
    >>> c = Case(id="x", topic="t", description="", published=2.0, unit="W", tolerance=0.1,
    ...          source="s", compute=lambda: 2.1)
    >>> summarize([evaluate(c)])[0]["max_abs_error"]
    0.05...
    """
    import statistics

    rows = []
    for area, calibration in sorted({(o.case.area, o.case.calibration) for o in outcomes}):
        group = [o for o in outcomes if o.case.area == area and o.case.calibration == calibration]
        errs = [abs(o.error) for o in group]
        rows.append({"area": area, "calibration": calibration, "cases": len(errs),
                     "passed": sum(o.passed for o in group),
                     "known_misses": sum(o.known_miss for o in group),
                     "mean_abs_error": sum(errs) / len(errs),
                     "median_abs_error": statistics.median(errs), "max_abs_error": max(errs)})
    return rows
