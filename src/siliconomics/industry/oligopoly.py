r"""Natural oligopoly: how many firms a market can support when each must pay a fixed cost.

A market with revenue pool :math:`R` per year, a margin :math:`m` on revenue and a fixed cost
:math:`F` per generation (annualised over the generation's life) supports at most the number of
firms whose margin on their share of :math:`R` covers :math:`F`. When :math:`F` grows faster
than :math:`R` the count falls, whatever the firms' skill: the argument behind the
consolidation of leading-edge chipmaking and of frontier AI training.

Every function broadcasts over NumPy arrays (one value per Monte Carlo sample) and returns a
float for scalar input. Counts are returned as floats holding whole numbers.

Examples
--------
>>> viable_firms(revenue_pool_usd=100e9, margin=0.5, fixed_cost_usd=12e9)
4.0
>>> viable_firms_with_leader(100e9, 0.5, 12e9, leader_share=0.5)
3.0
"""

from __future__ import annotations

import numpy as np

from .. import _checks
from ..finance import capital_recovery_factor

__all__ = [
    "annualized_fixed_cost",
    "break_even_firms",
    "viable_firms",
    "viable_firms_with_leader",
    "wright_cost_ratio",
    "follower_margin",
    "break_even_firms_learning",
    "viable_firms_learning",
    "required_revenue",
]

#: Counts within this of a whole number are rounded to it before the floor (float noise).
_EPS = 1e-9


def _out(x):
    arr = np.asarray(x, dtype=float)
    return float(arr) if arr.ndim == 0 else arr


def _check_market(revenue_pool_usd, margin, fixed_cost_usd):
    _checks.non_negative("revenue_pool_usd", revenue_pool_usd)
    _checks.fraction("margin", margin)
    _checks.positive("fixed_cost_usd", fixed_cost_usd)


def annualized_fixed_cost(fixed_cost_usd, cost_of_capital, life_years):
    r"""Fixed cost of one generation spread over its life as an annuity.

    Parameters
    ----------
    fixed_cost_usd : numeric
        Upfront fixed cost of entering one generation, > 0. [USD]
    cost_of_capital : numeric
        Discount rate, > -1. [1/year]
    life_years : numeric
        Years over which the generation earns revenue, > 0. [year]

    Returns
    -------
    numeric
        Equivalent cost per year. [USD/year]

    Notes
    -----
    :math:`F_{year} = F \cdot CRF(r, n)` with :math:`CRF = r / (1 - (1 + r)^{-n})`.

    References
    ----------
    .. [1] R. A. Brealey, S. C. Myers, F. Allen, *Principles of Corporate Finance*, 13th ed.,
       McGraw-Hill, 2020, ch. 2.

    Examples
    --------
    >>> annualized_fixed_cost(10e9, 0.0, 5) / 1e9
    2.0
    """
    _checks.positive("fixed_cost_usd", fixed_cost_usd)
    return _out(np.asarray(fixed_cost_usd, dtype=float)
                * capital_recovery_factor(cost_of_capital, life_years))


def break_even_firms(revenue_pool_usd, margin, fixed_cost_usd):
    r"""Number of equal firms at which each exactly recovers the fixed cost (not rounded).

    Parameters
    ----------
    revenue_pool_usd : numeric
        Revenue of the whole market, >= 0, in the same period as ``fixed_cost_usd`` (per year
        with an annualised fixed cost). [USD]
    margin : numeric
        Share of revenue left to pay the fixed cost, in (0, 1]. [dimensionless]
    fixed_cost_usd : numeric
        Fixed cost one firm must pay, > 0. [USD]

    Returns
    -------
    numeric
        :math:`m R / F`. [firms]

    Notes
    -----
    With :math:`n` symmetric firms each earns :math:`m R / n`, which covers :math:`F` while
    :math:`n \le m R / F`.

    References
    ----------
    .. [1] J. Sutton, *Sunk Costs and Market Structure*, MIT Press, 1991, ch. 2.

    Examples
    --------
    >>> break_even_firms(100.0, 0.3, 10.0)
    3.0
    """
    _check_market(revenue_pool_usd, margin, fixed_cost_usd)
    return _out(np.asarray(margin, dtype=float) * np.asarray(revenue_pool_usd, dtype=float)
                / np.asarray(fixed_cost_usd, dtype=float))


def viable_firms(revenue_pool_usd, margin, fixed_cost_usd):
    r"""Largest number of equal-share firms that each recover the fixed cost.

    Parameters
    ----------
    revenue_pool_usd : numeric
        Revenue of the whole market, >= 0 (same period as the fixed cost). [USD]
    margin : numeric
        Share of revenue left to pay the fixed cost, in (0, 1]. [dimensionless]
    fixed_cost_usd : numeric
        Fixed cost per firm, > 0. [USD]

    Returns
    -------
    numeric
        :math:`N = \lfloor m R / F \rfloor`, a whole number >= 0. [firms]

    Notes
    -----
    Symmetric natural oligopoly: firm :math:`i` of :math:`n` earns :math:`m R / n`, so the
    number of firms that can all break even is :math:`\lfloor m R / F \rfloor`. It never rises
    with :math:`F` and never falls with :math:`R` or :math:`m`.

    References
    ----------
    .. [1] J. Sutton, *Sunk Costs and Market Structure*, MIT Press, 1991, ch. 2.

    Examples
    --------
    >>> viable_firms(100.0, 0.3, 10.0)
    3.0
    >>> viable_firms([100.0, 29.0], 0.3, 10.0).tolist()
    [3.0, 0.0]
    """
    n = np.asarray(break_even_firms(revenue_pool_usd, margin, fixed_cost_usd), dtype=float)
    return _out(np.floor(n + _EPS))


def viable_firms_with_leader(revenue_pool_usd, margin, fixed_cost_usd, leader_share):
    r"""Viable firms when a leader takes share :math:`s` and the others split the rest equally.

    Parameters
    ----------
    revenue_pool_usd : numeric
        Revenue of the whole market, >= 0. [USD]
    margin : numeric
        Share of revenue left to pay the fixed cost, in (0, 1]. [dimensionless]
    fixed_cost_usd : numeric
        Fixed cost per firm, > 0. [USD]
    leader_share : numeric
        The leader's share of the revenue pool, in [0, 1]. [dimensionless]

    Returns
    -------
    numeric
        Leader (1 if it recovers :math:`F`) plus the followers that do. [firms]

    Notes
    -----
    :math:`N = \mathbf{1}[s m R \ge F] + \lfloor (1 - s) m R / F \rfloor`. A leader holding
    more than its symmetric share :math:`1/N` leaves less to the others, so the count is at
    most the symmetric one, and the same monotonicity in :math:`R` and :math:`F` holds.

    References
    ----------
    .. [1] J. Sutton, *Sunk Costs and Market Structure*, MIT Press, 1991, ch. 2-3.

    Examples
    --------
    >>> viable_firms_with_leader(100.0, 0.3, 10.0, leader_share=0.6)
    2.0
    >>> viable_firms_with_leader(100.0, 0.3, 10.0, leader_share=0.25)
    2.0
    """
    _check_market(revenue_pool_usd, margin, fixed_cost_usd)
    _checks.fraction("leader_share", leader_share, open_low=False)
    mr = np.asarray(margin, dtype=float) * np.asarray(revenue_pool_usd, dtype=float)
    f = np.asarray(fixed_cost_usd, dtype=float)
    s = np.asarray(leader_share, dtype=float)
    leader = np.where(s * mr / f + _EPS >= 1.0, 1.0, 0.0)
    followers = np.floor((1.0 - s) * mr / f + _EPS)
    return _out(leader + followers)


def wright_cost_ratio(volume_ratio, progress_ratio):
    r"""Unit cost of a follower over the leader's under Wright's law.

    Parameters
    ----------
    volume_ratio : numeric
        Leader's cumulative volume over the follower's, >= 1. [dimensionless]
    progress_ratio : numeric
        Unit cost multiplier per doubling of cumulative volume, in (0, 1] (0.8 = 20%
        learning rate). [dimensionless]

    Returns
    -------
    numeric
        :math:`c_{follower} / c_{leader} \ge 1`. [dimensionless]

    Notes
    -----
    Wright's law: :math:`c(Q) = c_1 Q^{-b}` with :math:`b = -\log_2 p`. A follower with
    :math:`1/v` of the leader's cumulative volume has unit cost :math:`v^{b}` times the
    leader's.

    References
    ----------
    .. [1] T. P. Wright, "Factors affecting the cost of airplanes," J. Aeronautical Sciences,
       vol. 3, no. 4, pp. 122-128, 1936.
    .. [2] D. A. Irwin and P. J. Klenow, "Learning-by-doing spillovers in the semiconductor
       industry," J. Political Economy, vol. 102, no. 6, pp. 1200-1227, 1994.

    Examples
    --------
    >>> wright_cost_ratio(2.0, 0.8)
    1.25
    >>> round(wright_cost_ratio(4.0, 0.8), 6)
    1.5625
    """
    _checks.at_least("volume_ratio", volume_ratio, 1.0)
    _checks.fraction("progress_ratio", progress_ratio)
    b = -np.log2(np.asarray(progress_ratio, dtype=float))
    return _out(np.asarray(volume_ratio, dtype=float) ** b)


def follower_margin(margin, cost_ratio):
    r"""Margin of a firm whose unit cost is ``cost_ratio`` times the price-setting leader's.

    Parameters
    ----------
    margin : numeric
        The leader's margin on price, in (0, 1]. [dimensionless]
    cost_ratio : numeric
        Follower's unit cost over the leader's, > 0. [dimensionless]

    Returns
    -------
    numeric
        :math:`1 - k (1 - m)`; negative when the follower sells below its cost. [dimensionless]

    Notes
    -----
    At the common price :math:`P`, the leader's unit cost is :math:`(1 - m) P`, the follower's
    :math:`k (1 - m) P`, so the follower keeps :math:`1 - k (1 - m)` of each dollar.

    References
    ----------
    .. [1] B. D. Henderson, "The experience curve reviewed," Boston Consulting Group, 1974.

    Examples
    --------
    >>> follower_margin(0.5, 1.25)
    0.375
    """
    _checks.fraction("margin", margin)
    _checks.positive("cost_ratio", cost_ratio)
    return _out(1.0 - np.asarray(cost_ratio, dtype=float) * (1.0 - np.asarray(margin, dtype=float)))


def break_even_firms_learning(revenue_pool_usd, margin, fixed_cost_usd, volume_ratio=1.0,
                              progress_ratio=0.8):
    r"""Continuous firm count with a volume leader that rides the learning curve.

    Parameters
    ----------
    revenue_pool_usd : numeric
        Revenue of the whole market, >= 0. [USD]
    margin : numeric
        The leader's margin, in (0, 1]. [dimensionless]
    fixed_cost_usd : numeric
        Fixed cost per firm, > 0. [USD]
    volume_ratio : numeric
        Leader's volume over each follower's, >= 1; 1 is the symmetric case. [dimensionless]
    progress_ratio : numeric
        Wright's-law cost multiplier per doubling, in (0, 1]. [dimensionless]

    Returns
    -------
    numeric
        :math:`1 + \max(0, m_f R / F - v)` when the leader alone recovers :math:`F`
        (:math:`m R \ge F`), else :math:`m R / F`. [firms]

    Notes
    -----
    The leader sells :math:`v` times each follower's volume, so with :math:`k` followers it has
    share :math:`v / (v + k)` and each follower :math:`1 / (v + k)`. A follower's unit cost is
    :math:`v^b` times the leader's (:func:`wright_cost_ratio`), leaving it the margin
    :math:`m_f` of :func:`follower_margin`. Followers break even while
    :math:`m_f R / (v + k) \ge F`, i.e. :math:`k \le m_f R / F - v`. At :math:`v = 1` this is
    :math:`m R / F`, the symmetric count.

    References
    ----------
    .. [1] J. Sutton, *Sunk Costs and Market Structure*, MIT Press, 1991.
    .. [2] D. A. Irwin and P. J. Klenow, J. Political Economy, vol. 102, no. 6, 1994.

    Examples
    --------
    >>> round(break_even_firms_learning(100.0, 0.3, 10.0), 6)
    3.0
    >>> round(break_even_firms_learning(100.0, 0.5, 10.0, volume_ratio=2.0), 6)
    2.75
    """
    _check_market(revenue_pool_usd, margin, fixed_cost_usd)
    m = np.asarray(margin, dtype=float)
    mf = np.asarray(follower_margin(margin, wright_cost_ratio(volume_ratio, progress_ratio)))
    r_over_f = np.asarray(revenue_pool_usd, dtype=float) / np.asarray(fixed_cost_usd, dtype=float)
    v = np.asarray(volume_ratio, dtype=float)
    leader_ok = m * r_over_f + _EPS >= 1.0
    return _out(np.where(leader_ok, 1.0 + np.maximum(0.0, mf * r_over_f - v), m * r_over_f))


def viable_firms_learning(revenue_pool_usd, margin, fixed_cost_usd, volume_ratio=1.0,
                          progress_ratio=0.8):
    r"""Whole number of firms that recover the fixed cost with a learning-curve leader.

    Parameters
    ----------
    revenue_pool_usd : numeric
        Revenue of the whole market, >= 0. [USD]
    margin : numeric
        The leader's margin, in (0, 1]. [dimensionless]
    fixed_cost_usd : numeric
        Fixed cost per firm, > 0. [USD]
    volume_ratio : numeric
        Leader's volume over each follower's, >= 1. [dimensionless]
    progress_ratio : numeric
        Wright's-law cost multiplier per doubling, in (0, 1]. [dimensionless]

    Returns
    -------
    numeric
        :math:`\mathbf{1}[m R \ge F]\,(1 + \max(0, \lfloor m_f R / F - v \rfloor))`. [firms]

    Notes
    -----
    The whole-number version of :func:`break_even_firms_learning`. It never rises with
    :math:`F` or :math:`v`, never falls with :math:`R`, and equals :func:`viable_firms` at
    :math:`v = 1`.

    References
    ----------
    .. [1] J. Sutton, *Sunk Costs and Market Structure*, MIT Press, 1991.

    Examples
    --------
    >>> viable_firms_learning(100.0, 0.5, 10.0, volume_ratio=2.0)
    2.0
    >>> viable_firms_learning(100.0, 0.5, 10.0)
    5.0
    """
    _check_market(revenue_pool_usd, margin, fixed_cost_usd)
    m = np.asarray(margin, dtype=float)
    mf = np.asarray(follower_margin(margin, wright_cost_ratio(volume_ratio, progress_ratio)))
    r_over_f = np.asarray(revenue_pool_usd, dtype=float) / np.asarray(fixed_cost_usd, dtype=float)
    v = np.asarray(volume_ratio, dtype=float)
    leader_ok = m * r_over_f + _EPS >= 1.0
    followers = np.maximum(0.0, np.floor(mf * r_over_f - v + _EPS))
    return _out(np.where(leader_ok, 1.0 + followers, 0.0))


def required_revenue(fixed_cost_usd, margin, *, cost_of_capital=0.0, payback_years=1.0):
    r"""Revenue per year a firm needs to earn back a fixed cost within a payback period.

    Parameters
    ----------
    fixed_cost_usd : numeric
        Upfront fixed cost, > 0. [USD]
    margin : numeric
        Share of revenue left to pay it, in (0, 1]. [dimensionless]
    cost_of_capital : numeric
        Discount rate, > -1. [1/year]
    payback_years : numeric
        Years to earn it back, > 0. [year]

    Returns
    -------
    numeric
        :math:`F \cdot CRF(r, p) / m`. [USD/year]

    Notes
    -----
    The firm's margin on revenue must cover the annuity that repays :math:`F` over :math:`p`
    years at rate :math:`r`.

    References
    ----------
    .. [1] R. A. Brealey, S. C. Myers, F. Allen, *Principles of Corporate Finance*, 13th ed.,
       McGraw-Hill, 2020, ch. 2.

    Examples
    --------
    >>> required_revenue(1e9, 0.25, payback_years=2.0) / 1e9
    2.0
    """
    _checks.fraction("margin", margin)
    return _out(np.asarray(annualized_fixed_cost(fixed_cost_usd, cost_of_capital, payback_years))
                / np.asarray(margin, dtype=float))
