"""A small Monte Carlo plan with known answers, shared by the engine and uncertainty tests."""

from siliconomics.uncertainty import montecarlo
from siliconomics.uncertainty.distributions import LogNormal, Normal


def linear(v):
    """y = 2a + 3b, and a/b: a mean and a ratio with closed forms."""
    return {"y": 2.0 * v["a"] + 3.0 * v["b"], "ratio": v["a"] / v["b"]}


def plan(samples=300_000, seed=7, **kw):
    return montecarlo.Plan(names=("a", "b"), dists=(Normal(1.0, 0.5), LogNormal.interval(2, 8)),
                           evaluate=linear, outputs=("y", "ratio"), samples=samples, seed=seed,
                           thresholds={"y": (10.0,)}, **kw)


def summaries(result):
    return {k: a.summary() for k, a in result.metrics.items()}
