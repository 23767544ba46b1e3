r"""Embodied carbon: manufacturing emissions of one good accelerator package. [kgCO2e]

Each die is charged its wafer's emissions (processed area times the node's kgCO2e per cm²)
divided by the good dies the wafer yields, so edge loss and yield loss carry their carbon;
HBM is charged per GB, the package per unit, and the whole divided by the packaging yield.
"""

from __future__ import annotations

import numpy as np

from .. import _checks
from ..results import Breakdown

WAFER_AREA_CM2 = np.pi * 15.0**2  # 300 mm wafer


def wafer_kgco2e(kgco2e_per_cm2, wafer_diameter_mm=300.0):
    """Emissions of one processed wafer. [kgCO2e]

    Examples
    --------
    >>> round(float(wafer_kgco2e(2.47)), 1)
    1745.9
    """
    _checks.non_negative("kgco2e_per_cm2", kgco2e_per_cm2)
    return np.asarray(kgco2e_per_cm2, float) * np.pi * (np.asarray(wafer_diameter_mm, float) / 20.0) ** 2


def package_kgco2e(
    *,
    compute_dies,
    compute_good_dies_per_wafer,
    compute_kgco2e_per_cm2,
    io_dies=0,
    io_good_dies_per_wafer=1.0,
    io_kgco2e_per_cm2=0.0,
    interposer_good_per_wafer=1.0,
    interposer_kgco2e_per_cm2=0.0,
    memory_capacity_gb=0.0,
    memory_kgco2e_per_gb=0.0,
    package_kgco2e=0.0,
    packaging_yield=1.0,
) -> Breakdown:
    r"""Embodied emissions of one good package, by part.

    Parameters
    ----------
    compute_dies, io_dies : numeric
        Dies per package. [count]
    compute_good_dies_per_wafer, io_good_dies_per_wafer, interposer_good_per_wafer : numeric
        Good dies per 300 mm wafer. [count]
    compute_kgco2e_per_cm2, io_kgco2e_per_cm2, interposer_kgco2e_per_cm2 : numeric
        Manufacturing emissions per cm² of wafer. [kgCO2e/cm²]
    memory_capacity_gb : numeric
        HBM in the package. [GB]
    memory_kgco2e_per_gb : numeric
        [kgCO2e/GB]
    package_kgco2e : numeric
        Substrate, assembly and test. [kgCO2e]
    packaging_yield : numeric
        Fraction of packages passing final test, in (0, 1].

    Returns
    -------
    Breakdown
        ``compute_dies``, ``io_dies``, ``interposer``, ``memory``, ``package``. [kgCO2e]

    Notes
    -----
    Die :math:`= n \, c \, A_{wafer} / G` per kind, with :math:`G` good dies per wafer; every
    part is divided by the packaging yield, since a failed package scraps its contents.

    Examples
    --------
    >>> b = package_kgco2e(compute_dies=1, compute_good_dies_per_wafer=40,
    ...                    compute_kgco2e_per_cm2=2.47, memory_capacity_gb=80,
    ...                    memory_kgco2e_per_gb=0.2)
    >>> round(b.total, 1)
    59.6
    """
    _checks.fraction("packaging_yield", packaging_yield)
    _checks.positive("compute_good_dies_per_wafer", compute_good_dies_per_wafer)
    yp = np.asarray(packaging_yield, float)

    def per_die(n, good, c):
        return np.asarray(n, float) * wafer_kgco2e(c) / np.asarray(good, float) / yp

    io = np.where(np.asarray(io_dies) > 0, per_die(io_dies, np.maximum(io_good_dies_per_wafer, 1e-12),
                                                   io_kgco2e_per_cm2), 0.0)
    return Breakdown(
        {
            "compute_dies": per_die(compute_dies, compute_good_dies_per_wafer, compute_kgco2e_per_cm2),
            "io_dies": io,
            "interposer": per_die(1.0, interposer_good_per_wafer, interposer_kgco2e_per_cm2),
            "memory": np.asarray(memory_capacity_gb, float) * memory_kgco2e_per_gb / yp,
            "package": np.asarray(package_kgco2e, float) / yp,
        },
        unit="kgCO2e",
        label="embodied emissions per good accelerator",
    )
