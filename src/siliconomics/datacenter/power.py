"""Power per accelerator and energy over a year."""

from __future__ import annotations

import numpy as np

from .. import _checks
from ..results import scalar_or_array as _f

HOURS_PER_YEAR = 8766.0  # Julian year, 365.25 days


def it_power_per_accelerator_w(server_power_kw, accelerators_per_server, network_power_w=0.0):
    r"""Critical IT power attributable to one accelerator at full load.

    Parameters
    ----------
    server_power_kw : numeric
        Maximum power of one server including its accelerators, > 0. [kW]
    accelerators_per_server : numeric
        Accelerators per server, > 0. [count]
    network_power_w : numeric
        Scale-out network power per accelerator (NICs, switches, optics), >= 0. [W]

    Returns
    -------
    numeric
        :math:`P = 1000 \, P_{server} / n + P_{net}`. [W]

    Examples
    --------
    >>> it_power_per_accelerator_w(10.2, 8, 50.0)
    1325.0
    """
    _checks.positive("server_power_kw", server_power_kw)
    _checks.positive("accelerators_per_server", accelerators_per_server)
    _checks.non_negative("network_power_w", network_power_w)
    return _f(1000.0 * np.asarray(server_power_kw) / accelerators_per_server + network_power_w)


def average_draw_fraction(utilization, busy_draw_fraction, idle_draw_fraction):
    r"""Average power as a fraction of maximum, mixing busy and idle hours.

    Parameters
    ----------
    utilization : numeric
        Fraction of hours the accelerator does useful work, in [0, 1]. [dimensionless]
    busy_draw_fraction : numeric
        Average draw while busy, as a fraction of maximum server power. [dimensionless]
    idle_draw_fraction : numeric
        Draw while idle, as a fraction of maximum server power. [dimensionless]

    Returns
    -------
    numeric
        :math:`f = u f_{busy} + (1 - u) f_{idle}`. [dimensionless]

    Examples
    --------
    >>> average_draw_fraction(0.5, 0.75, 0.25)
    0.5
    """
    _checks.fraction("utilization", utilization, open_low=False)
    return _f(np.asarray(utilization) * busy_draw_fraction + (1.0 - np.asarray(utilization)) * idle_draw_fraction)


def annual_energy_kwh(it_power_w, pue, draw_fraction, hours=HOURS_PER_YEAR):
    r"""Energy drawn from the grid in a year by a load of ``it_power_w`` at maximum.

    Parameters
    ----------
    it_power_w : numeric
        Critical IT power at maximum, >= 0. [W]
    pue : numeric
        Power usage effectiveness, >= 1. [dimensionless]
    draw_fraction : numeric
        Average draw as a fraction of maximum, in (0, 1]. [dimensionless]
    hours : numeric
        Hours in the period. [h]

    Returns
    -------
    numeric
        :math:`E = P \, f \, PUE \, h / 1000`. [kWh]

    Examples
    --------
    >>> annual_energy_kwh(1000.0, 1.2, 0.75, hours=1000)
    900.0
    """
    _checks.non_negative("it_power_w", it_power_w)
    _checks.at_least("pue", pue, 1.0)
    _checks.fraction("draw_fraction", draw_fraction)
    return _f(np.asarray(it_power_w) * draw_fraction * pue * hours / 1000.0)

