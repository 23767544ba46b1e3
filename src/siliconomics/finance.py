"""Time value of money: annuities, annualised capital cost, NPV.

All functions broadcast over NumPy arrays. Rates are per year as fractions (0.08 = 8%),
lives in years.
"""

from __future__ import annotations

import numpy as np

from . import _checks


def capital_recovery_factor(rate, life_years):
    r"""Annual payment that repays 1 unit of capital over ``life_years`` at ``rate``.

    Parameters
    ----------
    rate : numeric
        Cost of capital per year, > -1. [1/year]
    life_years : numeric
        Economic life, > 0; ``np.inf`` for a perpetuity. [year]

    Returns
    -------
    numeric
        Capital recovery factor. [1/year]

    Notes
    -----
    :math:`CRF = r / (1 - (1 + r)^{-n})`, evaluated as :math:`r / (-\mathrm{expm1}(-n \,
    \mathrm{log1p}(r)))` so that tiny rates keep full precision; the limit at :math:`r = 0` is
    :math:`1/n` (used only there), and at :math:`n = \infty` it is :math:`r`.

    References
    ----------
    .. [1] R. A. Brealey, S. C. Myers, F. Allen, *Principles of Corporate Finance*, 13th ed.,
       McGraw-Hill, 2020, ch. 2 (annuities).

    Examples
    --------
    >>> round(capital_recovery_factor(0.08, 5), 6)
    0.250456
    >>> capital_recovery_factor(0.0, 4)
    0.25
    """
    return capital_recovery_factors(rate, life_years)[0]


def capital_recovery_factors(rate, *lives) -> tuple:
    r""":func:`capital_recovery_factor` at one ``rate`` for each of several ``lives``, sharing
    the rate's :math:`\mathrm{log1p}(r)` (the same numbers as one call per life).

    >>> a, b = capital_recovery_factors(0.08, 5, 20)
    >>> a == capital_recovery_factor(0.08, 5), b == capital_recovery_factor(0.08, 20)
    (True, True)
    """
    _checks.above("rate", rate, -1.0)
    for life in lives:
        _checks.positive("life_years", life)
    r = np.asarray(rate, dtype=float)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        log_growth = np.log1p(r)
    return tuple(_crf(rate, life, r, log_growth) for life in lives)


def _crf(rate, life_years, r, log_growth):
    """The capital recovery factor from ``r`` (``rate`` as an array) and its ``log1p``."""
    n = np.asarray(life_years, dtype=float)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        # 1 - (1 + r)^-n with log1p/expm1, so small rates keep full precision; an infinite life
        # gives 1 (a perpetuity: CRF = r).
        crf = r / -np.expm1(-n * log_growth)
        if crf.ndim == 0:
            if n == np.inf:
                return float(r)
            if abs(r) < _TINY_RATE:
                return float(_crf_series(r, n))
            return float(crf)
        # the Monte Carlo's sampled lives and rates have known bounds: no pass to find these
        n_range, r_range = _checks.known_range(life_years), _checks.known_range(rate)
        if (n.max() if n_range is None else n_range[1]) == np.inf:
            crf = np.where(np.isinf(n), r, crf)
        near_zero = r_range is None or (r_range[0] < _TINY_RATE and r_range[1] > -_TINY_RATE)
        if near_zero and np.abs(r).min() < _TINY_RATE:
            crf = np.where((np.abs(r) < _TINY_RATE) & ~np.isinf(n), _crf_series(r, n), crf)
    return crf


#: Below this rate the CRF is its series in r (exact to ~r^2 n; the closed form divides 0/0
#: at r = 0 and loses digits among subnormal numbers).
_TINY_RATE = 1e-9


def _crf_series(r, n):
    """:math:`CRF = 1/n + r (n + 1) / (2 n) + O(r^2 n)` for tiny ``r``."""
    return 1.0 / n + r * (n + 1.0) / (2.0 * n)


def residual_discount(rate, life_years, residual_fraction=0.0):
    r"""Share of a capital cost left to recover once the resale value is discounted back.

    Parameters
    ----------
    rate : numeric
        Cost of capital. [1/year]
    life_years : numeric
        Economic life; ``np.inf`` for none. [year]
    residual_fraction : numeric
        Resale value at end of life as a fraction of cost, in [0, 1]. [dimensionless]

    Returns
    -------
    numeric
        :math:`1 - s (1 + r)^{-n}`; exactly 1.0 when ``residual_fraction`` is the number 0, so
        callers can skip the product. [dimensionless]

    Examples
    --------
    >>> round(residual_discount(0.1, 5, 0.5), 6)
    0.689539
    >>> residual_discount(0.1, 5)
    1.0
    """
    _checks.fraction("residual_fraction", residual_fraction, open_low=False)
    if np.ndim(residual_fraction) == 0 and float(residual_fraction) == 0.0:
        return 1.0
    r = np.asarray(rate, dtype=float)
    n = np.asarray(life_years, dtype=float)
    s = np.asarray(residual_fraction, dtype=float)
    # 1 - s (1 + r)^-n as (1 - s) - s expm1(-n log1p(r)): no cancellation when s is near 1 and
    # the rate or the life near 0 (the difference is then tiny and must keep its digits)
    with np.errstate(over="ignore", invalid="ignore"):
        grow = np.expm1(-np.where(np.isinf(n), 0.0, n) * np.log1p(r))
        out = np.where(np.isinf(n), 1.0, (1.0 - s) - s * grow)
    return _float(out)


def annualized_capex(capex_usd, rate, life_years, residual_fraction=0.0):
    r"""Equivalent annual cost of an upfront capital expense.

    Parameters
    ----------
    capex_usd : numeric
        Upfront cost. [USD]
    rate : numeric
        Cost of capital. [1/year]
    life_years : numeric
        Economic life. [year]
    residual_fraction : numeric
        Resale value at end of life as a fraction of ``capex_usd``, in [0, 1]. [dimensionless]

    Returns
    -------
    numeric
        Annualised capital cost. [USD/year]

    Notes
    -----
    :math:`A = CRF(r, n) \, (C - S (1 + r)^{-n})` with residual :math:`S = s C`.

    Examples
    --------
    >>> round(annualized_capex(1000.0, 0.08, 5), 3)
    250.456
    >>> round(annualized_capex(1000.0, 0.0, 5, residual_fraction=0.5), 3)
    100.0
    """
    return annual_payment(capex_usd, capital_recovery_factor(rate, life_years),
                          residual_discount(rate, life_years, residual_fraction))


def annual_payment(capex_usd, crf, keep=1.0):
    """:func:`annualized_capex` from a capital recovery factor and a residual discount already
    computed (models that share one factor between several capital costs).

    >>> annual_payment(1000.0, capital_recovery_factor(0.08, 5)) == annualized_capex(1000.0, 0.08, 5)
    True
    """
    out = np.asarray(capex_usd) * crf
    return _float(out if (type(keep) is float and keep == 1.0) else out * keep)


def present_value_factor(rate, years):
    """Present value of 1 unit paid at the end of each year for ``years`` years (1/CRF)."""
    return _float(1.0 / np.asarray(capital_recovery_factor(rate, years)))


def npv(cash_flows_usd, rate, *, axis=-1):
    r"""Net present value of end-of-year cash flows.

    Parameters
    ----------
    cash_flows_usd : array_like
        Cash flows for years 0, 1, 2, ... along ``axis`` (year 0 is not discounted). [USD]
    rate : numeric
        Discount rate, broadcast against the other axes. [1/year]

    Returns
    -------
    numeric
        :math:`\sum_t CF_t / (1 + r)^t`. [USD]

    Examples
    --------
    >>> round(npv([-100.0, 60.0, 60.0], 0.1), 4)
    4.1322
    """
    flows = np.moveaxis(np.asarray(cash_flows_usd, dtype=float), axis, -1)
    t = np.arange(flows.shape[-1])
    r = np.asarray(rate, dtype=float)[..., None]
    return _float(np.sum(flows / (1.0 + r) ** t, axis=-1))


def _float(x):
    arr = np.asarray(x, dtype=float)
    return float(arr) if arr.ndim == 0 else arr
