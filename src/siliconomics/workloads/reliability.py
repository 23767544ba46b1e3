r"""Failures, checkpoints and goodput of a synchronous training job.

A job on :math:`N` accelerators stops whenever any of them (or their server, network or
software) fails. With failures arriving at rate :math:`\lambda` per accelerator-hour the job's
mean time between interruptions is :math:`M = 1 / (\lambda N)`. The job saves a checkpoint every
:math:`\tau` of useful work, each save stalling it :math:`\delta`; after a failure it spends
:math:`R` restarting and redoes the work since the last checkpoint.

For exponential failures the expected wall time per unit of useful work is (Daly 2006, eq. 13)

.. math:: T / T_s = \frac{M}{\tau} e^{R/M} \left(e^{(\tau + \delta)/M} - 1\right)

and the **goodput** is its inverse. The interval that maximises it is close to Daly's
higher-order estimate, and for :math:`\delta \ll M` to Young's :math:`\sqrt{2 \delta M}`.

References
----------
.. [1] J. W. Young, "A first order approximation to the optimum checkpoint interval,"
   Commun. ACM 17(9), 530-531, 1974, doi:10.1145/361147.361115.
.. [2] J. T. Daly, "A higher order estimate of the optimum checkpoint interval for restart
   dumps," Future Generation Computer Systems 22(3), 303-312, 2006,
   doi:10.1016/j.future.2004.11.016.
"""

from __future__ import annotations

import numpy as np

from .. import _checks
from ..results import scalar_or_array as _f


def mtbf_hours(accelerators, failure_rate_per_accelerator_hour):
    """Mean time between job interruptions of a cluster, in hours.

    >>> round(mtbf_hours(16_384, 1.97e-5), 2)
    3.1
    """
    _checks.at_least("accelerators", accelerators, 1)
    _checks.positive("failure_rate_per_accelerator_hour", failure_rate_per_accelerator_hour)
    return _f(1.0 / (np.asarray(accelerators, dtype=float) * failure_rate_per_accelerator_hour))


def young_interval(checkpoint_s, mtbf_s):
    r"""Young's optimal checkpoint interval :math:`\sqrt{2 \delta M}`. [s]

    >>> round(young_interval(60, 3600), 3)
    657.267
    """
    _checks.positive("checkpoint_s", checkpoint_s)
    _checks.positive("mtbf_s", mtbf_s)
    return _f(np.sqrt(2.0 * np.asarray(checkpoint_s) * mtbf_s))


def daly_interval(checkpoint_s, mtbf_s):
    r"""Daly's higher-order optimal interval (his eq. 37). [s]

    :math:`\sqrt{2 \delta M}\,[1 + \tfrac13 \sqrt{\delta / 2M} + \tfrac19 (\delta / 2M)] - \delta`
    for :math:`\delta < 2M`, else :math:`M`.
    """
    _checks.positive("checkpoint_s", checkpoint_s)
    _checks.positive("mtbf_s", mtbf_s)
    d = np.asarray(checkpoint_s, dtype=float)
    m = np.asarray(mtbf_s, dtype=float)
    x = d / (2.0 * m)
    tau = np.sqrt(2.0 * d * m) * (1.0 + np.sqrt(x) / 3.0 + x / 9.0) - d
    return _f(np.where(d < 2.0 * m, tau, m))


def goodput(interval_s, checkpoint_s, restart_s, mtbf_s):
    """Fraction of wall time that advances training (Daly's expected-time model).

    Parameters
    ----------
    interval_s : numeric
        Useful work between checkpoints, > 0. [s]
    checkpoint_s : numeric
        Stall per checkpoint, >= 0. [s]
    restart_s : numeric
        Time to restart after a failure, >= 0. [s]
    mtbf_s : numeric
        Mean time between job interruptions, > 0. [s]

    Returns
    -------
    numeric
        Goodput in (0, 1]. [dimensionless]

    Examples
    --------
    >>> round(goodput(600, 60, 900, 11_160), 3)
    0.814
    """
    _checks.positive("interval_s", interval_s)
    _checks.non_negative("checkpoint_s", checkpoint_s)
    _checks.non_negative("restart_s", restart_s)
    _checks.positive("mtbf_s", mtbf_s)
    tau = np.asarray(interval_s, dtype=float)
    m = np.asarray(mtbf_s, dtype=float)
    x = (tau + checkpoint_s) / m
    # log of the wall time per unit of work, stable when failures dwarf the interval
    log_expm1 = np.where(x > 30.0, x + np.log1p(-np.exp(-np.minimum(x, 700.0))),
                         np.log(np.expm1(np.minimum(x, 30.0))))
    log_wall = np.log(m / tau) + np.asarray(restart_s) / m + log_expm1
    return _f(np.exp(-log_wall))


def optimal_goodput(accelerators, failure_rate_per_accelerator_hour, checkpoint_s, restart_s):
    """Goodput at Daly's optimal checkpoint interval, with the interval and the MTBF.

    Returns
    -------
    dict
        ``goodput``, ``interval_s``, ``mtbf_h``, ``failures_per_day``.

    Examples
    --------
    >>> r = optimal_goodput(16_384, 1.97e-5, checkpoint_s=60, restart_s=900)
    >>> round(r["goodput"], 3), round(r["failures_per_day"], 1)
    (0.83, 7.7)
    """
    m_h = np.asarray(mtbf_hours(accelerators, failure_rate_per_accelerator_hour))
    m_s = 3600.0 * m_h
    tau = daly_interval(np.maximum(checkpoint_s, 1e-9), m_s)
    return {
        "goodput": goodput(tau, checkpoint_s, restart_s, m_s),
        "interval_s": _f(tau),
        "mtbf_h": _f(m_h),
        "failures_per_day": _f(24.0 / m_h),
    }
