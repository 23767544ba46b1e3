r"""Die yield: the fraction of dies a defect does not kill, and harvesting of partial dies.

:func:`die_yield` offers the four classic models by ``model=``; :func:`harvested_yield` gives
the yield of *sellable* dies when a die is built from ``n`` identical units (SMs, CUs) of which
only ``k`` must work, a defect in a unit disabling that unit only.
"""

from __future__ import annotations

import math

import numpy as np

from .. import _checks
from ..errors import InputError, unknown

MODELS = ("poisson", "murphy", "seeds", "negative_binomial")
_ALIASES = {"negbin": "negative_binomial", "negative-binomial": "negative_binomial",
            "nb": "negative_binomial"}


def _model(model: str) -> str:
    key = _ALIASES.get(str(model).lower(), str(model).lower())
    if key not in MODELS:
        raise InputError(unknown("yield model", str(model), MODELS))
    return key


def die_yield(
    die_area_mm2,
    defect_density_per_cm2,
    model="murphy",
    clustering=2.0,
    critical_area_fraction=1.0,
):
    r"""Fraction of dies with no killer defect.

    Parameters
    ----------
    die_area_mm2 : numeric
        Die area, > 0. [mm²]
    defect_density_per_cm2 : numeric
        Killer defect density D0, >= 0. [1/cm²]
    model : {"poisson", "murphy", "seeds", "negative_binomial"}
        Yield model (``"negbin"`` is accepted for the last).
    clustering : numeric
        Negative-binomial clustering parameter alpha, > 0 (that model only); small alpha means
        strongly clustered defects. [dimensionless]
    critical_area_fraction : numeric
        Share of the die area where a defect is fatal, in (0, 1]. [dimensionless]

    Returns
    -------
    numeric
        Yield in [0, 1]. [dimensionless]

    Notes
    -----
    With :math:`\lambda = A_c D_0` (critical area in cm² times defect density):
    Poisson :math:`e^{-\lambda}`; Murphy :math:`((1 - e^{-\lambda})/\lambda)^2`; Seeds
    :math:`1/(1 + \lambda)`; negative binomial :math:`(1 + \lambda/\alpha)^{-\alpha}`.
    Murphy and Seeds are 1 at :math:`\lambda = 0`. The negative binomial tends to Poisson as
    :math:`\alpha \to \infty` and equals Seeds at :math:`\alpha = 1`.

    References
    ----------
    .. [1] B. T. Murphy, "Cost-size optima of monolithic integrated circuits," Proc. IEEE,
       vol. 52, no. 12, pp. 1537-1545, 1964, doi:10.1109/PROC.1964.3442.
    .. [2] R. B. Seeds, "Yield, economic, and logistic models for complex digital arrays,"
       IEEE Int. Conv. Rec., pt. 6, pp. 60-61, 1967.
    .. [3] C. H. Stapper, "Defect density distribution for LSI yield calculations," IEEE Trans.
       Electron Devices, vol. 20, no. 7, pp. 655-657, 1973, doi:10.1109/T-ED.1973.17715.

    Examples
    --------
    >>> round(float(die_yield(100, 0.1, "poisson")), 4)
    0.9048
    >>> round(float(die_yield(814, 0.1, "murphy")), 4)
    0.4681
    >>> die_yield([100, 814], 0.0, "seeds")
    array([1., 1.])
    """
    kind = _model(model)
    _checks.positive("die_area_mm2", die_area_mm2)
    _checks.non_negative("defect_density_per_cm2", defect_density_per_cm2)
    _checks.fraction("critical_area_fraction", critical_area_fraction)
    _checks.same_shape(die_area_mm2=die_area_mm2, defect_density_per_cm2=defect_density_per_cm2,
                       critical_area_fraction=critical_area_fraction)
    lam = (np.asarray(die_area_mm2, dtype=float) / 100.0 * np.asarray(defect_density_per_cm2, float)
           * np.asarray(critical_area_fraction, dtype=float))
    if kind == "poisson":
        y = np.exp(-lam)
    elif kind == "murphy":
        safe = np.where(lam > 1e-12, lam, 1.0)
        y = np.where(lam > 1e-12, (-np.expm1(-safe) / safe) ** 2, 1.0 - lam)
    elif kind == "seeds":
        y = 1.0 / (1.0 + lam)
    else:
        _checks.positive("clustering", clustering)
        y = (1.0 + lam / np.asarray(clustering, dtype=float)) ** (-np.asarray(clustering, float))
    return y if np.ndim(y) else float(y)


def harvested_yield(
    die_area_mm2,
    defect_density_per_cm2,
    units,
    required_units,
    unit_area_fraction,
    model="poisson",
    clustering=2.0,
    critical_area_fraction=1.0,
):
    r"""Yield of sellable dies when only ``required_units`` of ``units`` identical units must work.

    Parameters
    ----------
    die_area_mm2 : numeric
        Die area, > 0. [mm²]
    defect_density_per_cm2 : numeric
        Killer defect density, >= 0. [1/cm²]
    units : int
        Identical units on the full die (SMs, CUs), >= 1. [count]
    required_units : int
        Units that must work, 1 <= k <= units. [count]
    unit_area_fraction : numeric
        Share of the die area in the units, in [0, 1]; the rest (caches, PHYs, fabric) must be
        defect-free. [dimensionless]
    model, clustering, critical_area_fraction
        As :func:`die_yield`, applied to the shared area and to each unit.

    Returns
    -------
    numeric
        Fraction of dies that can be sold, in [0, 1]; never below :func:`die_yield` of the
        whole die under the Poisson model. [dimensionless]

    Notes
    -----
    With :math:`Y_s` the yield of the shared area and :math:`y` that of one unit, a die sells
    when the shared area works and at least :math:`k` of :math:`n` units do:
    :math:`Y = Y_s \, P[\mathrm{Bin}(n, y) \ge k]`. Units fail independently, as a defect in a
    unit disables only that unit.

    Examples
    --------
    >>> full = die_yield(814, 0.1, "poisson")
    >>> harvested = harvested_yield(814, 0.1, 144, 132, 0.6, model="poisson")
    >>> round(float(full), 3), round(float(harvested), 3)
    (0.443, 0.722)
    >>> round(float(harvested_yield(814, 0.1, 144, 144, 0.6, model="poisson")), 12) == round(float(full), 12)
    True
    """
    _checks.at_least("units", units, 1)
    _checks.at_least("required_units", required_units, 1)
    n = np.asarray(units)
    k = np.asarray(required_units)
    if np.any(k > n):
        raise InputError(f"required_units must be <= units ({int(np.max(n))}), got {int(np.max(k))}")
    _checks.fraction("unit_area_fraction", unit_area_fraction, open_low=False)
    _checks.positive("die_area_mm2", die_area_mm2)
    area = np.asarray(die_area_mm2, dtype=float)
    f = np.asarray(unit_area_fraction, dtype=float)
    shared_area = area * (1.0 - f)
    unit_area = area * f / n
    kw = {"model": model, "clustering": clustering, "critical_area_fraction": critical_area_fraction}
    y_shared = np.where(shared_area > 0,
                        die_yield(np.maximum(shared_area, 1e-12), defect_density_per_cm2, **kw), 1.0)
    y_unit = np.where(unit_area > 0,
                      die_yield(np.maximum(unit_area, 1e-12), defect_density_per_cm2, **kw), 1.0)
    p_enough = at_least_k_of_n(k, n, y_unit)
    y = np.clip(y_shared * p_enough, 0.0, 1.0)
    return y if np.ndim(y) else float(y)


#: Longest sum :func:`at_least_k_of_n` evaluates term by term; longer ones use SciPy.
_MAX_TERMS = 64


def at_least_k_of_n(k, n, p):
    r"""Probability that at least ``k`` of ``n`` independent units work, each with probability
    ``p``: the binomial survival function :math:`P(X \ge k)`.

    For whole ``k`` and ``n`` given as numbers (every catalog die) the shorter of the two tails
    is summed term by term with log-gamma coefficients, so a chip's yield needs no SciPy import
    (half the start-up of a command); arrays of ``k`` or ``n``, or tails longer than 64 terms,
    use :func:`scipy.special.bdtrc`. Agrees with ``scipy.stats.binom.sf(k - 1, n, p)`` to
    within 1e-12 (every n < 200, every k).

    Examples
    --------
    >>> round(float(at_least_k_of_n(132, 144, 0.99)), 10)
    0.9999999969
    >>> float(at_least_k_of_n(1, 1, 0.25))
    0.25
    """
    p = np.asarray(p, dtype=float)
    if np.ndim(k) or np.ndim(n) or min(int(k), int(n) - int(k) + 1) > _MAX_TERMS:
        from scipy import special

        return special.bdtrc(np.asarray(k) - 1, n, p)
    k, n = int(k), int(n)
    if k <= 0:
        return np.ones_like(p) if p.ndim else 1.0
    upper = n - k + 1 <= k  # sum P(X = j) for j >= k, else 1 - sum for j < k
    js = range(k, n + 1) if upper else range(0, k)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_p, log_q = np.log(p), np.log1p(-p)
        total = np.zeros_like(p)
        for j in js:
            log_c = math.lgamma(n + 1) - math.lgamma(j + 1) - math.lgamma(n - j + 1)
            # 0 * log(0) is 0: a term with j = 0 (or j = n) has no p (or 1 - p) factor
            term = log_c + (j * log_p if j else 0.0) + ((n - j) * log_q if j != n else 0.0)
            total += np.exp(term)
    out = total if upper else 1.0 - total
    return np.clip(out, 0.0, 1.0)

