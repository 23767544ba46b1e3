"""Industry dynamics: how many firms a fixed cost per generation leaves room for.

- :mod:`~siliconomics.industry.oligopoly`: the natural-oligopoly count, symmetric, with a
  leader's share, and with a Wright's-law volume leader.
- :mod:`~siliconomics.industry.foundries`: leading-edge foundries per node, 130 nm to 2 nm,
  calibrated on history with held-out nodes.
- :mod:`~siliconomics.industry.labs`: frontier AI labs able to fund a training run, by year.

>>> from siliconomics import industry
>>> industry.viable_firms(100.0, 0.3, 10.0)
3.0
"""

from __future__ import annotations

from . import foundries, labs, oligopoly
from .oligopoly import (
    annualized_fixed_cost,
    break_even_firms,
    follower_margin,
    required_revenue,
    viable_firms,
    viable_firms_learning,
    viable_firms_with_leader,
    wright_cost_ratio,
)

__all__ = [
    "foundries",
    "labs",
    "oligopoly",
    "annualized_fixed_cost",
    "break_even_firms",
    "follower_margin",
    "required_revenue",
    "viable_firms",
    "viable_firms_learning",
    "viable_firms_with_leader",
    "wright_cost_ratio",
]
