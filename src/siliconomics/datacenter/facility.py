"""The facility: build cost per MW of critical IT and power usage effectiveness (PUE)."""

from __future__ import annotations

import numpy as np

from .. import _checks
from ..results import scalar_or_array as _f


def build_capex_usd(critical_it_mw, build_cost_usd_per_mw):
    r"""Capital cost of the datacenter shell, power and cooling plant.

    Parameters
    ----------
    critical_it_mw : numeric
        Critical IT load the facility must carry, >= 0. [MW]
    build_cost_usd_per_mw : numeric
        Build cost per MW of critical IT, > 0. [USD/MW]

    Returns
    -------
    numeric
        :math:`C = P_{IT} \, c_{MW}`. [USD]

    Notes
    -----
    Industry cost guides quote build cost per MW of critical IT load, excluding land, soft costs
    and the owner's IT equipment, which is how the catalog's site values are stated.

    References
    ----------
    .. [1] Cushman & Wakefield, "Data Center Development Cost Guide," 2025.

    Examples
    --------
    >>> build_capex_usd(100.0, 11.7e6)
    1170000000.0
    """
    _checks.non_negative("critical_it_mw", critical_it_mw)
    _checks.positive("build_cost_usd_per_mw", build_cost_usd_per_mw)
    return _f(np.asarray(critical_it_mw) * build_cost_usd_per_mw)


def facility_power_mw(critical_it_mw, pue):
    r"""Power drawn from the grid by a facility: IT load times PUE.

    Parameters
    ----------
    critical_it_mw : numeric
        Critical IT load, >= 0. [MW]
    pue : numeric
        Power usage effectiveness, total facility power over IT power, >= 1. [dimensionless]

    Returns
    -------
    numeric
        :math:`P_{facility} = P_{IT} \cdot PUE`. [MW]

    References
    ----------
    .. [1] The Green Grid, "PUE: A Comprehensive Examination of the Metric," White Paper 49,
       2012.

    Examples
    --------
    >>> facility_power_mw(100.0, 1.3)
    130.0
    """
    _checks.non_negative("critical_it_mw", critical_it_mw)
    _checks.at_least("pue", pue, 1.0)
    return _f(np.asarray(critical_it_mw) * pue)

