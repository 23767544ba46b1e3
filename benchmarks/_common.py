"""Timing helpers shared by the benchmark scripts: medians of several runs, and one line per
figure with its target and PASS or MISS (collected for the summary ``make bench`` prints)."""

from __future__ import annotations

import re
import statistics
import time

#: (name, value, unit, target, passed) of every figure with a target, in order.
RESULTS: list[tuple[str, float, str, str, bool]] = []

_TARGET = re.compile(r"^\s*(<=|>=|<|>)\s*([-+0-9.eE]+)")


def median_of(func, repeat: int = 5, number: int = 1) -> float:
    """Median wall time of ``number`` calls (per call), over ``repeat`` runs. [s]"""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(number):
            func()
        times.append((time.perf_counter() - t0) / number)
    return statistics.median(times)


def meets(value: float, target: str) -> bool:
    """``value`` against a target written ``"< 5 s"``, ``">= 3"``..."""
    m = _TARGET.match(target)
    if not m:
        raise ValueError(f"target {target!r} must start with <, <=, > or >= and a number")
    op, bound = m.group(1), float(m.group(2))
    return {"<": value < bound, "<=": value <= bound, ">": value > bound,
            ">=": value >= bound}[op]


def row(name: str, value: float, unit: str, target: str = "", baseline: float | None = None) -> None:
    """Print one figure, with its target and PASS/MISS, and its ratio to a baseline."""
    ratio = ""
    if baseline:
        ratio = (f"  ({baseline / value:,.1f}x faster than baseline)" if value <= baseline
                 else f"  ({value / baseline:,.1f}x slower than baseline)")
    verdict = ""
    if target:
        ok = meets(value, target)
        RESULTS.append((name, value, unit, target, ok))
        verdict = f"  target {target:<10} {'PASS' if ok else 'MISS'}"
    print(f"{name:<52} {value:>12,.4g} {unit:<12}{verdict}{ratio}", flush=True)
