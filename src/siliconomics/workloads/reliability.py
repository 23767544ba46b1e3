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

import functools

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


# --- failures by component, blast radius, spares and recovery at scale ------------------------

#: Llama 3 405B's 419 unexpected interruptions in 54 days on 16,384 H100 in 2,048 servers
#: (Grattafiori et al. 2024, Table 5), grouped by what fails: the GPU itself (faulty GPU 148,
#: HBM3 72, SRAM 19, GPU system processor 17, silent data corruption 6, thermal interface and
#: sensor 6), its host server (host maintenance 32, NIC 7, SSD 3, power supply 3, chassis 2, IO
#: expansion board 2, CPU 2, system memory 2), the network (switches and cables 35) and
#: software (bugs 54, NCCL watchdog timeouts 7, dependencies 2).
LLAMA3_INTERRUPTIONS = {"accelerator": 268, "host": 53, "network": 35, "software": 63}
LLAMA3_GPUS, LLAMA3_SERVERS, LLAMA3_HOURS = 16_384, 2_048, 54 * 24.0

#: Checkpointing schemes: what a save stalls and what a restart reloads from.
CHECKPOINTING = ("sync", "async", "in-memory")
#: Recovery: the whole job restarts from its last checkpoint, or only the replica that lost an
#: accelerator drops out and rejoins from its peers while the others continue.
RECOVERY = ("restart", "replica")


def component_rates(hosts_per_accelerator: float = 1 / 8) -> dict:
    """Failures per accelerator-hour by component, calibrated on Llama 3's Table 5.

    Host failures are counted per server and spread over its accelerators, so a system with
    more accelerators per host (an NVL72 tray has 4, an HGX server 8) changes the host share.

    >>> r = component_rates()
    >>> round(sum(r.values()) * 1e5, 2)
    1.97
    """
    gpu_h = LLAMA3_GPUS * LLAMA3_HOURS
    return {
        "accelerator": LLAMA3_INTERRUPTIONS["accelerator"] / gpu_h,
        "host": LLAMA3_INTERRUPTIONS["host"] / (LLAMA3_SERVERS * LLAMA3_HOURS)
        * hosts_per_accelerator,
        "network": LLAMA3_INTERRUPTIONS["network"] / gpu_h,
        "software": LLAMA3_INTERRUPTIONS["software"] / gpu_h,
    }


def spare_shortfall(failures_per_h: float, blast: int, spares, repair_h: float, *,
                    job_stops: bool = True) -> float:
    r"""Probability that a failure finds no hot spare to replace the ``blast`` accelerators it
    takes out, for a pool of :math:`u = \lfloor S / b \rfloor` units and :math:`m = \lambda
    T_r` units that would be under repair (Little's law).

    ``job_stops`` (whole-job restart): the job runs only while no more units are out than the
    pool holds, and its units fail only while it runs, so the units out when a failure comes
    follow the Poisson law cut at :math:`u` (as the busy servers of a loss system do, whatever
    the repair time's distribution): Erlang's loss formula :math:`B(u, m)` (:func:`erlang_b`).
    Otherwise (replica recovery, the rest of the job running on) failures go on while a
    replica waits, and the units out are Poisson: :math:`P(X \ge u)`.

    >>> spare_shortfall(0.1, 8, 0, 48.0)
    1.0
    >>> spare_shortfall(0.1, 8, 800, 48.0) < 1e-12
    True
    """
    mean = np.asarray(failures_per_h, dtype=float) * np.asarray(repair_h, dtype=float)
    units = np.floor_divide(np.asarray(spares), max(int(blast), 1))
    if job_stops:
        return erlang_b(units, mean)
    from scipy import special  # imported only here: it costs a command's start-up

    return _f(np.where(units <= 0, 1.0, special.pdtrc(np.maximum(units, 1) - 1, mean)))


def erlang_b(units, mean):
    r"""Erlang's loss formula: :math:`B(u, m) = (m^u / u!) / \sum_{k=0}^{u} m^k / k!`, the
    probability that all :math:`u` servers are busy when :math:`m` would be on average.

    One number: the stable recursion :math:`B_k = m B_{k-1} / (k + m B_{k-1})`, :math:`B_0 =
    1` (answers kept). Arrays: the Poisson probability of :math:`u` over that of at most
    :math:`u` (SciPy), and where both underflow (:math:`m` far above :math:`u`) the series
    :math:`1/B = \sum_j u! / ((u - j)!\, m^j)`.

    >>> round(erlang_b(2, 5.0), 6)  # 12.5 / (1 + 5 + 12.5)
    0.675676
    >>> erlang_b(0, 3.0), erlang_b(4, 0.0)
    (1.0, 0.0)
    """
    u, m = np.asarray(units), np.asarray(mean, dtype=float)
    if u.ndim == 0 and m.ndim == 0:
        return _erlang_b(int(u), float(m))
    from scipy import special  # imported only here: it costs a command's start-up

    u, m = np.broadcast_arrays(np.maximum(u, 0).astype(float), np.maximum(m, 0.0))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        log_pmf = np.where(m > 0, u * np.log(np.where(m > 0, m, 1.0)) - m
                           - special.gammaln(u + 1.0), np.where(u == 0, 0.0, -np.inf))
        below = special.pdtr(u, m)  # P(X <= u)
        b = np.exp(log_pmf) / below
    lost = ~(below > 0.0)  # m far above u: both underflow
    if np.any(lost):
        b = np.where(lost, 0.0, b)
        b[lost] = 1.0 / _falling_series(u[lost], m[lost])
    return _f(np.clip(b, 0.0, 1.0))


def _falling_series(u, m):
    r""":math:`\sum_j u! / ((u - j)!\, m^j)`, for :math:`m` well above :math:`u`."""
    total, term, j = np.ones_like(m), np.ones_like(m), 0
    while True:
        term = term * np.maximum(u - j, 0.0) / m
        j += 1
        total = total + term
        if not np.any(term > 1e-17 * total):
            return total


@functools.lru_cache(maxsize=512)
def _erlang_b(units: int, mean: float) -> float:
    if units <= 0:
        return 1.0
    if mean <= 0.0:
        return 0.0
    b = 1.0
    for k in range(1, units + 1):
        b = mean * b / (k + mean * b)
    return b


def repair_wait_h(failures_per_h, blast: int, spares, repair_h, *, job_stops: bool = True):
    r"""Expected wait of a hardware failure for a unit to replace the one it took out. [h]

    With :math:`u` spare units, failed units repaired in :math:`T_r` hours and failures at
    :math:`\lambda` an hour, a failure that finds the pool empty waits for the first unit
    back; the units out have remaining repair times uniform on :math:`(0, T_r)`.

    ``job_stops`` (whole-job restart): units fail only while the job runs, so a failure finds
    the pool empty with Erlang's :math:`B(u, m)`, :math:`m = \lambda T_r` (:func:`spare_shortfall`),
    with exactly :math:`u` units already out:

    .. math:: E[w] = T_r \, B(u, m) / (u + 1),

    the whole repair with no spare. Otherwise (replica recovery) failures go on during the
    wait, :math:`X` units out are Poisson, the wait is :math:`T_r / (X + 1)` and, over every
    failure, :math:`E[w] = P(X \ge u + 1) / \lambda`. Discrete-event simulations of both
    agree within 1-3%: ``tests/unit/workloads/test_reliability.py``.

    >>> repair_wait_h(0.3, 8, 0, 48.0)  # no spare: every failure waits out its repair
    48.0
    >>> round(repair_wait_h(0.28, 8, 8 * 13, 48.0), 3)  # 13 units for 13.4 out on average
    0.713
    >>> round(repair_wait_h(0.3, 8, 0, 48.0, job_stops=False), 3)  # the next of 14.4 back
    3.333
    """
    return _shortfall_and_wait(failures_per_h, blast, spares, repair_h, job_stops)[1]


def _shortfall_and_wait(failures_per_h, blast: int, spares, repair_h, job_stops: bool):
    """(:func:`spare_shortfall`, :func:`repair_wait_h`) of one pool, the shortfall computed
    once for both."""
    short = spare_shortfall(failures_per_h, blast, spares, repair_h, job_stops=job_stops)
    units = np.floor_divide(np.asarray(spares), max(int(blast), 1))
    if job_stops:
        return short, _f(np.asarray(repair_h, dtype=float) * short / (np.maximum(units, 0) + 1.0))
    lam = np.asarray(failures_per_h, dtype=float)
    beyond = spare_shortfall(lam, blast, np.asarray(spares) + max(int(blast), 1), repair_h,
                             job_stops=False)
    with np.errstate(divide="ignore", invalid="ignore"):
        wait = np.where(lam > 0, beyond / np.where(lam > 0, lam, 1.0), repair_h)
    return short, _f(wait)


@functools.lru_cache(maxsize=256)
def spare_units_for(in_repair: float, shortfall: float = 0.01) -> int:
    """Fewest spare units (each one system's blast radius) for which a failure finds none
    free with probability at most ``shortfall`` (:func:`erlang_b`), when ``in_repair`` units
    would be out on average (failures per hour times repair hours). Pure in its two numbers,
    so answers are kept (a Monte Carlo run at fixed reliability inputs asks the same question
    for every block).

    >>> spare_units_for(12.0)
    20
    >>> spare_units_for(0.0)
    0
    """
    if in_repair <= 0.0:
        return 0
    b, u = 1.0, 0
    while b > shortfall:  # Erlang's recursion, one unit at a time
        u += 1
        b = in_repair * b / (u + in_repair * b)
    return u


def cluster_goodput(accelerators, *, rates: dict, blast: int, checkpoint_s: float,
                    restart_s: float, recovery: str = "restart", replica: int = 1,
                    reconfigure_s: float = 60.0, spares: int = 0, repair_h: float = 48.0):
    r"""Goodput of a synchronous job from per-component failure rates.

    ``restart``: every failure stops the job, which restarts from its last checkpoint (Daly's
    model, :func:`optimal_goodput`); when a hardware failure finds no hot spare the job also
    waits for a repaired unit (:func:`spare_shortfall`, :func:`repair_wait_h`), a delay added
    to the interruption's cost (unlike a restart, a wait is not undone by the failures that
    come during it).

    ``replica``: a hardware or network failure takes only the data-parallel replica holding
    the failed accelerators out; the job pauses ``reconfigure_s`` to regroup, the replica
    rejoins from its peers' state after ``restart_s`` (or a repair without a spare).
    Software failures still stop the whole job (Daly's model).

    Parameters
    ----------
    accelerators : int
        Accelerators training. [count]
    rates : dict
        Failures per accelerator-hour by component (:func:`component_rates`). [1/h]
    blast : int
        Accelerators a hardware failure takes out of service (the system's blast radius).
    checkpoint_s, restart_s : float
        Stall per checkpoint and time to restart. [s]
    recovery : {"restart", "replica"}
    replica : int
        Accelerators in one data-parallel replica (tp x pp x cp), for ``replica``. [count]
    reconfigure_s : float
        Pause of the whole job while it regroups after a replica drops out. [s]
    spares : int or array of int
        Hot spare accelerators (one pool per sample where an array). [count]
    repair_h : float
        Time to repair or replace a failed unit. [h]

    Returns
    -------
    dict
        ``goodput``, ``mtbf_h``, ``failures_per_day``, ``spare_shortfall`` and the
        ``components`` rates of the whole job (per hour).

    Examples
    --------
    >>> r = cluster_goodput(16_384, rates=component_rates(), blast=8, checkpoint_s=30,
    ...                     restart_s=300, spares=256)
    >>> round(r["goodput"], 3), round(r["failures_per_day"], 1)
    (0.904, 7.8)
    """
    from ..errors import InputError, unknown

    if recovery not in RECOVERY:
        raise InputError(unknown("recovery", recovery, RECOVERY))
    _checks.at_least("accelerators", accelerators, 1)
    n = float(accelerators)
    job = {k: np.asarray(v, dtype=float) * n for k, v in rates.items()}
    total = sum(job.values())
    hardware = job["accelerator"] + job["host"]
    stops = recovery == "restart"  # else the job runs on while a replica waits
    short, wait_h = _shortfall_and_wait(hardware, blast, spares, repair_h, stops)
    checkpoint_s = np.asarray(checkpoint_s, dtype=float)
    restart_s = np.asarray(restart_s, dtype=float)
    if recovery == "restart":
        m_s = 3600.0 / total
        wait_s = 3600.0 * wait_h * hardware / np.maximum(total, 1e-300)  # per interruption
        tau = daly_interval(np.maximum(checkpoint_s, 1e-9), m_s)
        # a restart is itself cut short by failures (Daly's exponential term); a wait for a
        # repaired unit is not: it adds its expected length to each interruption
        g = goodput(tau, checkpoint_s, restart_s, m_s) / (1.0 + wait_s / m_s)
    else:
        soft = job["software"]
        with np.errstate(divide="ignore"):
            m_s = np.where(soft > 0, 3600.0 / np.maximum(soft, 1e-300), np.inf)
        tau = daly_interval(np.maximum(checkpoint_s, 1e-9), np.minimum(m_s, 1e300))
        g = np.where(soft > 0, goodput(tau, checkpoint_s, restart_s, np.minimum(m_s, 1e300)), 1.0)
        local = (hardware + job["network"]) / 3600.0  # per second
        down_s = restart_s + 3600.0 * wait_h * hardware \
            / np.maximum(hardware + job["network"], 1e-300)
        g = g * np.maximum(0.0, 1.0 - local * reconfigure_s) * np.maximum(
            0.0, 1.0 - local * down_s * min(replica, n) / n)
    g, short, total = _f(g), _f(short), _f(total)
    return {"goodput": g, "mtbf_h": 1.0 / total, "failures_per_day": 24.0 * total,
            "spare_shortfall": short, "components": job}
