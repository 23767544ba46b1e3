"""Timing helpers shared by the benchmark scripts."""

from __future__ import annotations

import statistics
import time


def best_of(func, repeat: int = 5, number: int = 1) -> float:
    """Best wall time of ``number`` calls, over ``repeat`` runs. [s]"""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(number):
            func()
        times.append((time.perf_counter() - t0) / number)
    return min(times)


def median_of(func, repeat: int = 5) -> float:
    """Median wall time of one call over ``repeat`` runs. [s]"""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        func()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def row(name: str, value: float, unit: str, target: str = "", baseline: float | None = None) -> None:
    """Print one figure, with its target and its ratio to a baseline when given."""
    ratio = f"  ({baseline / value:,.1f}x faster than baseline)" if baseline else ""
    tgt = f"  target {target}" if target else ""
    print(f"{name:<48} {value:>12,.4g} {unit:<10}{tgt}{ratio}")
