"""Streaming aggregates with bounded memory: moments, a mergeable quantile sketch, exceedances.

:class:`QuantileSketch` follows DDSketch (Masson, Rim & Lee 2019): values go into logarithmic
buckets ``(gamma^(i-1), gamma^i]`` with ``gamma = (1 + alpha) / (1 - alpha)``, so every quantile
it returns is within a relative error ``alpha`` of the value at that rank. Counts are integers,
so merging sketches in any order gives the same sketch.

:class:`Aggregate` adds the exact count, mean, standard deviation (Chan et al.'s pairwise
update), extremes and exceedance counts. Aggregates are merged in a fixed (chunk) order by the
engines, so their floating-point results do not depend on the number of workers.

References
----------
.. [1] C. Masson, J. E. Rim, H. K. Lee, "DDSketch: a fast and fully-mergeable quantile sketch
   with relative-error guarantees," Proc. VLDB Endow. 12(12), 2195-2205, 2019.
.. [2] T. F. Chan, G. H. Golub, R. J. LeVeque, "Updating formulae and a pairwise algorithm for
   computing sample variances," Stanford CS tech. report STAN-CS-79-773, 1979.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..errors import InputError

#: Default relative accuracy of the quantiles: 0.5%.
RELATIVE_ACCURACY = 0.005
_TINY = 1e-300


class _Store:
    """Dense integer counts over bucket indices [offset, offset + len(counts))."""

    __slots__ = ("offset", "counts")

    def __init__(self):
        self.offset = 0
        self.counts = np.zeros(0, dtype=np.int64)

    def add_indices(self, idx: np.ndarray) -> None:
        if idx.size == 0:
            return
        lo, hi = int(idx.min()), int(idx.max())
        counts = np.bincount(idx - lo, minlength=hi - lo + 1)
        self._add(lo, counts)

    def _add(self, lo: int, counts: np.ndarray) -> None:
        if counts.size == 0:
            return
        if self.counts.size == 0:
            self.offset, self.counts = lo, counts.astype(np.int64).copy()
            return
        new_lo = min(self.offset, lo)
        new_hi = max(self.offset + self.counts.size, lo + counts.size)
        if new_lo != self.offset or new_hi != self.offset + self.counts.size:
            grown = np.zeros(new_hi - new_lo, dtype=np.int64)
            grown[self.offset - new_lo: self.offset - new_lo + self.counts.size] = self.counts
            self.offset, self.counts = new_lo, grown
        self.counts[lo - self.offset: lo - self.offset + counts.size] += counts

    def merge(self, other: _Store) -> None:
        self._add(other.offset, other.counts)

    @property
    def total(self) -> int:
        return int(self.counts.sum())


class QuantileSketch:
    """Mergeable quantile sketch with relative accuracy ``alpha``.

    Examples
    --------
    >>> s = QuantileSketch()
    >>> s.add(np.arange(1, 10001, dtype=float))
    >>> abs(s.quantile(0.5) / 5000.5 - 1) <= 0.005
    True
    """

    def __init__(self, alpha: float = RELATIVE_ACCURACY):
        if not (0 < alpha < 1):
            raise InputError(f"alpha must be in (0, 1), got {alpha}")
        self.alpha = alpha
        self.gamma = (1 + alpha) / (1 - alpha)
        self._inv_log_gamma = 1.0 / math.log(self.gamma)
        self.pos = _Store()
        self.neg = _Store()
        self.zeros = 0

    def add(self, x) -> None:
        """Add finite values (NaN is ignored by the caller)."""
        x = np.asarray(x, dtype=float).ravel()
        a = np.abs(x)
        big = a > _TINY
        self.zeros += int(x.size - np.count_nonzero(big))
        if not big.all():
            x, a = x[big], a[big]
        idx = np.ceil(np.log(a) * self._inv_log_gamma).astype(np.int64)
        positive = x > 0
        if positive.all():
            self.pos.add_indices(idx)
        else:
            self.pos.add_indices(idx[positive])
            self.neg.add_indices(idx[~positive])

    def merge(self, other: QuantileSketch) -> None:
        if other.alpha != self.alpha:
            raise InputError("cannot merge sketches of different accuracy")
        self.pos.merge(other.pos)
        self.neg.merge(other.neg)
        self.zeros += other.zeros

    @property
    def count(self) -> int:
        return self.pos.total + self.neg.total + self.zeros

    def _value(self, index):
        return 2.0 * self.gamma ** np.asarray(index, dtype=float) / (self.gamma + 1.0)

    def buckets(self) -> tuple[np.ndarray, np.ndarray]:
        """Representative values and counts of every non-empty bucket, ascending."""
        neg_idx = self.neg.offset + np.arange(self.neg.counts.size)
        pos_idx = self.pos.offset + np.arange(self.pos.counts.size)
        values = np.concatenate([-self._value(neg_idx)[::-1], [0.0], self._value(pos_idx)])
        counts = np.concatenate([self.neg.counts[::-1], [self.zeros], self.pos.counts])
        keep = counts > 0
        return values[keep], counts[keep]

    def quantile(self, q):
        """Quantile(s) at ``q`` in [0, 1] (rank ``q (n - 1)``, lower neighbour)."""
        values, counts = self.buckets()
        n = counts.sum()
        if n == 0:
            return np.full(np.shape(q), np.nan) if np.ndim(q) else float("nan")
        cum = np.cumsum(counts)
        rank = np.floor(np.asarray(q, dtype=float) * (n - 1))
        out = values[np.searchsorted(cum, rank, side="right")]
        return out if np.ndim(q) else float(out)

    def histogram(self, bins: int = 40, *, low=None, high=None) -> tuple[np.ndarray, np.ndarray]:
        """Counts in ``bins`` equal-width bins between ``low`` and ``high`` (default p0.5, p99.5).

        Returns ``(edges, counts)``; bucket representatives outside the range go to the end bins.
        """
        values, counts = self.buckets()
        lo = self.quantile(0.005) if low is None else low
        hi = self.quantile(0.995) if high is None else high
        if not hi > lo:
            hi = lo + max(abs(lo) * 1e-6, 1e-12)
        edges = np.linspace(lo, hi, bins + 1)
        which = np.clip(np.searchsorted(edges, values, side="right") - 1, 0, bins - 1)
        return edges, np.bincount(which, weights=counts, minlength=bins).astype(np.int64)


@dataclass
class Aggregate:
    """Streaming summary of one output: count, mean, M2, extremes, sketch, exceedances."""

    thresholds: tuple = ()
    alpha: float = RELATIVE_ACCURACY
    count: int = 0
    nan: int = 0
    mean: float = 0.0
    m2: float = 0.0
    min: float = math.inf
    max: float = -math.inf
    exceed: list = field(default_factory=list)
    sketch: QuantileSketch | None = None

    def __post_init__(self):
        if self.sketch is None:
            self.sketch = QuantileSketch(self.alpha)
        if not self.exceed:
            self.exceed = [0] * len(self.thresholds)

    def add(self, x) -> None:
        """Add one chunk of samples."""
        x = np.asarray(x, dtype=float).ravel()
        finite = np.isfinite(x)
        if not finite.all():
            self.nan += int(x.size - np.count_nonzero(finite))
            x = x[finite]
        if x.size == 0:
            return
        part = Aggregate(self.thresholds, self.alpha)
        part.count = int(x.size)
        part.mean = float(np.mean(x))
        d = x - part.mean
        part.m2 = float(np.sum(d * d))  # pairwise sum: no BLAS, no alignment-dependent order
        part.min, part.max = float(x.min()), float(x.max())
        part.exceed = [int(np.count_nonzero(x > t)) for t in self.thresholds]
        part.sketch.add(x)
        self.merge(part)

    def merge(self, other: Aggregate) -> None:
        """Fold ``other`` in (Chan et al.); call in a fixed order for reproducible floats."""
        self.nan += other.nan
        if other.count:
            n = self.count + other.count
            delta = other.mean - self.mean
            self.mean = self.mean + delta * other.count / n
            self.m2 = self.m2 + other.m2 + delta * delta * self.count * other.count / n
            self.count = n
            self.min = min(self.min, other.min)
            self.max = max(self.max, other.max)
        self.exceed = [a + b for a, b in zip(self.exceed, other.exceed)]
        self.sketch.merge(other.sketch)

    @property
    def std(self) -> float:
        """Sample standard deviation (n - 1 in the denominator)."""
        return math.sqrt(self.m2 / (self.count - 1)) if self.count > 1 else 0.0

    def quantile(self, q):
        """Quantile(s) at ``q`` in [0, 1]: the sketch's, within its relative accuracy, kept
        between the exact extremes. A bucket's representative value can lie outside the
        samples when they all fall in few buckets (a spread narrower than the accuracy), and
        a 5th percentile above the mean would be read as an error; the true quantile is never
        outside [min, max], so clamping only brings the estimate closer."""
        out = self.sketch.quantile(q)
        if not self.count:
            return out
        clipped = np.clip(out, self.min, self.max)
        return clipped if np.ndim(q) else float(clipped)

    def summary(self, quantiles=(0.05, 0.25, 0.5, 0.75, 0.95)) -> dict:
        """JSON-ready dictionary: mean, std, min, max, p5, p50, p95..., P(x > t)."""
        out = {"mean": self.mean if self.count else math.nan, "std": self.std,
               "min": self.min if self.count else math.nan,
               "max": self.max if self.count else math.nan, "count": self.count}
        if self.nan:
            out["non_finite"] = self.nan
        for q, v in zip(quantiles, self.quantile(np.asarray(quantiles))):
            out[f"p{round(q * 100, 3):g}"] = float(v)
        if self.thresholds:
            out["exceedance"] = {f"{t:g}": e / self.count if self.count else math.nan
                                 for t, e in zip(self.thresholds, self.exceed)}
        out["relative_accuracy"] = self.alpha
        return out
