"""Uncertainty: distributions, correlated sampling, streaming aggregates, Monte Carlo, sensitivity.

Every input is drawn from a standard normal per sample and mapped through its distribution
(:meth:`Distribution.from_normal`), so rank correlations are a Gaussian copula on those normals
and every distribution can be evaluated at exact quantiles without randomness.
"""

from __future__ import annotations

from .distributions import (  # noqa: F401
    Beta,
    Clipped,
    Constant,
    Distribution,
    LogNormal,
    Normal,
    Triangular,
    Uniform,
    from_interval,
    parse,
)
