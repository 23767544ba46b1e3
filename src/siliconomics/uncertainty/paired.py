r"""Paired comparison of two Monte Carlo plans with common random numbers.

Two scenarios that share an input (the accelerator's price, the cost of capital) should see the
same draw of it in every sample, and inputs they both have with different ranges (each site's
power price) the same quantile of each range: then the difference :math:`A_i - B_i` of sample
:math:`i` carries only what differs between the scenarios, not the uncertainty they share, and
its spread is far narrower than the two distributions side by side suggest.

Each block draws one standard normal per input name of either plan from the same seeded
generator (:meth:`~siliconomics.uncertainty.montecarlo.Plan.generator` of the first plan's seed,
names in sorted order), so an input of the same name gets the same normals in both plans; each
plan then applies its own correlations (Gaussian copula) and its own distributions. The module
knows no model: plans bring their own ``evaluate``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import InputError
from . import correlation
from .montecarlo import BLOCK, MAX_IN_MEMORY, standard_normals

#: Quantiles reported for each paired difference.
QUANTILES = (0.05, 0.5, 0.95)


@dataclass
class PairedSamples:
    """Samples of the same metrics under plans A and B, drawn with common random numbers.

    Attributes
    ----------
    a, b : dict of str to ndarray
        Metric -> samples under A and under B (sample ``i`` of both from the same draw).
    samples, seed : int
    shared : tuple of str
        Sampled inputs both plans share (same normals in both).
    """

    a: dict
    b: dict
    samples: int
    seed: int
    shared: tuple = field(default_factory=tuple)

    @property
    def metrics(self) -> list[str]:
        return list(self.a)

    def difference(self, metric: str) -> np.ndarray:
        """A - B, sample by sample. [unit of the metric]"""
        return self.a[metric] - self.b[metric]

    def summary(self, metric: str) -> dict:
        """Means, the difference's quantiles and the probability that A is lower (cheaper).

        Examples
        --------
        >>> p = PairedSamples({"c": np.array([1.0, 2.0, 3.0])}, {"c": np.array([2.0, 2.5, 2.0])},
        ...                   3, 0)
        >>> s = p.summary("c")
        >>> s["p_a_lower"], s["mean_difference"]
        (0.6666666666666666, -0.16666666666666666)
        """
        a, b = self.a[metric], self.b[metric]
        d = a - b
        q = np.quantile(d, QUANTILES)
        return {
            "mean_a": float(np.mean(a)), "mean_b": float(np.mean(b)),
            "mean_difference": float(np.mean(d)),
            "difference_quantiles": {f"p{round(100 * p)}": float(v) for p, v in zip(QUANTILES, q)},
            "p_a_lower": float(np.mean(a < b)),
            "p_a_cheaper": float(np.mean(a < b)),
        }

    def to_dict(self) -> dict:
        return {"samples": self.samples, "seed": self.seed, "shared_inputs": list(self.shared),
                "metrics": {m: self.summary(m) for m in self.metrics}}


def check_same_metrics(outputs_a, outputs_b, label_a: str = "A", label_b: str = "B") -> None:
    """InputError naming the metrics only one side has.

    >>> check_same_metrics(["x", "y"], ["x", "z"])
    Traceback (most recent call last):
    ...
    siliconomics.errors.InputError: A and B report different metrics: only A has y; only B has z; give both the same [outputs] metrics
    """
    only_a = [m for m in outputs_a if m not in outputs_b]
    only_b = [m for m in outputs_b if m not in outputs_a]
    if only_a or only_b:
        parts = ([f"only {label_a} has {', '.join(only_a)}"] if only_a else []) + \
                ([f"only {label_b} has {', '.join(only_b)}"] if only_b else [])
        raise InputError(f"{label_a} and {label_b} report different metrics: {'; '.join(parts)}; "
                         "give both the same [outputs] metrics")


def _draw(plan, z_all: np.ndarray, index: dict, n: int) -> dict:
    values = dict(plan.constants)
    if not plan.names:
        return values
    z = z_all[[index[name] for name in plan.names]]
    factor = getattr(plan, "_factor", None)
    if factor is not None:
        z = correlation.mix(factor, z)  # Gaussian copula: the normals stay common
    values.update({name: d.from_normal(z[j]) for j, (name, d) in
                   enumerate(zip(plan.names, plan.dists))})
    return values


def paired_samples(plan_a, plan_b, *, samples: int | None = None,
                   seed: int | None = None) -> PairedSamples:
    """Evaluate both plans on common random numbers.

    Parameters
    ----------
    plan_a, plan_b : Plan
        Monte Carlo plans with the same outputs (:meth:`siliconomics.Scenario.plan`).
    samples : int, optional
        Samples of each (default: the smaller of the plans' counts).
    seed : int, optional
        Seed of the common stream (default: ``plan_a``'s).

    Returns
    -------
    PairedSamples
    """
    check_same_metrics(plan_a.outputs, plan_b.outputs)
    n_total = int(samples if samples is not None else min(plan_a.samples, plan_b.samples))
    if not 1 <= n_total <= MAX_IN_MEMORY:
        raise InputError(f"samples must be between 1 and {MAX_IN_MEMORY:,}, got {n_total:,}")
    s = plan_a.seed if seed is None else int(seed)
    union = sorted(set(plan_a.names) | set(plan_b.names))
    index = {name: i for i, name in enumerate(union)}
    outputs = list(plan_a.outputs)
    parts_a: dict = {m: [] for m in outputs}
    parts_b: dict = {m: [] for m in outputs}
    for i in range(-(-n_total // BLOCK)):
        n = min(BLOCK, n_total - i * BLOCK)
        rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(s, spawn_key=(i,))))
        z_all = standard_normals(rng, len(union), n) if union else np.empty((0, n))
        for plan, parts in ((plan_a, parts_a), (plan_b, parts_b)):
            raw = plan.evaluate(_draw(plan, z_all, index, n))
            for m in outputs:
                parts[m].append(np.broadcast_to(np.asarray(raw[m], dtype=float), (n,)))
    return PairedSamples(
        a={m: np.concatenate(v) for m, v in parts_a.items()},
        b={m: np.concatenate(v) for m, v in parts_b.items()},
        samples=n_total, seed=s, shared=tuple(sorted(set(plan_a.names) & set(plan_b.names))))
