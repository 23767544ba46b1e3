"""PUE as a function of climate: a hinge model in the annual mean air temperature.

A liquid-cooled AI hall has a floor of overhead (power conversion, pumps, lighting) that does
not depend on the weather; above a hinge temperature, free cooling covers less of the year and
chillers or evaporative cooling add overhead roughly in proportion to the degrees above it.
"""

from __future__ import annotations

import numpy as np

from .. import _checks

#: Defaults of :func:`pue_from_climate`: least-squares fit to the 13 catalog sites' assumed
#: PUE against their annual mean temperature (residual RMS 0.024). The catalog PUEs are
#: labelled assumptions bracketed by Google's 1.10 fleet PUE (2021) and the 1.58 industry
#: average (Uptime Institute 2023), so this model is that judgement made continuous.
PUE_FLOOR = 1.12
HINGE_C = 6.0
SLOPE_PER_C = 0.0124


def pue_from_climate(mean_temperature_c, *, pue_floor=PUE_FLOOR, hinge_c=HINGE_C,
                     slope_per_c=SLOPE_PER_C):
    r"""Annualised PUE of a new AI hall from the site's annual mean temperature.

    Parameters
    ----------
    mean_temperature_c : numeric
        Annual mean dry-bulb air temperature. [°C]
    pue_floor : numeric
        PUE where free cooling covers the whole year, >= 1. [dimensionless]
    hinge_c : numeric
        Mean temperature above which cooling overhead grows. [°C]
    slope_per_c : numeric
        Added PUE per degree above the hinge, >= 0. [1/°C]

    Returns
    -------
    numeric
        PUE, >= ``pue_floor``. [dimensionless]

    Notes
    -----
    :math:`PUE = PUE_0 + s \max(T - T_h, 0)`.

    Examples
    --------
    >>> round(float(pue_from_climate(5.5)), 3), round(float(pue_from_climate(28.0)), 3)
    (1.12, 1.393)
    """
    _checks.at_least("pue_floor", pue_floor, 1.0)
    _checks.non_negative("slope_per_c", slope_per_c)
    t = np.asarray(mean_temperature_c, dtype=float)
    return pue_floor + slope_per_c * np.maximum(t - hinge_c, 0.0)
