r"""2.5D packaging and HBM: the interposer as its own die, substrate, assembly, test, memory.

The interposer is made on its own (mature-node) wafer, so it has its own dies per wafer and
yield (:func:`interposer_cost`). HBM is bought as known-good stacks, priced per GB
(:func:`hbm_cost_usd`). A package that fails final test scraps every die and stack inside it;
:mod:`siliconomics.silicon.bom` divides the whole package by the packaging yield.
"""

from __future__ import annotations

import numpy as np

from .. import _checks
from ..errors import InputError
from . import dies
from .yield_models import die_yield
from ..results import scalar_or_array as _f


def memory(name):
    """Catalog entry of a memory technology (``"hbm3e"``, ``"ddr5"``...)."""
    from .. import catalog

    return catalog.get("memory", name)


def package(name):
    """Catalog entry of a packaging class (``"cowos-s"``, ``"cowos-l"``)."""
    from .. import catalog

    return catalog.get("packaging", name)


def interposer_area_mm2(base_die_area_mm2, hbm_stacks, stack_footprint_mm2, area_overhead=0.1):
    r"""Interposer area needed for the dies and stacks it carries.

    Parameters
    ----------
    base_die_area_mm2 : numeric
        Total area of the dies sitting on the interposer (dies stacked on other dies count
        once, through their base die). [mm²]
    hbm_stacks : numeric
        HBM stacks on the interposer, >= 0. [count]
    stack_footprint_mm2 : numeric
        Area of one stack. [mm²]
    area_overhead : numeric
        Spacing and routing beyond the parts, as a fraction of their area, >= 0.

    Returns
    -------
    numeric
        :math:`(A_{dies} + n_{HBM} A_{stack})(1 + o)`. [mm²]

    Examples
    --------
    >>> round(float(interposer_area_mm2(814, 5, 121, 0.1)), 1)
    1560.9
    """
    _checks.positive("base_die_area_mm2", base_die_area_mm2)
    _checks.non_negative("hbm_stacks", hbm_stacks)
    _checks.non_negative("area_overhead", area_overhead)
    parts = np.asarray(base_die_area_mm2, float) + np.asarray(hbm_stacks, float) * stack_footprint_mm2
    return parts * (1.0 + np.asarray(area_overhead, float))


def interposer_cost(
    area_mm2, wafer_price_usd, defect_density_per_cm2, model="murphy", clustering=2.0,
    edge_exclusion_mm=dies.EDGE_EXCLUSION_MM,
):
    r"""Raw and known-good cost of one interposer made on its own wafer.

    Returns
    -------
    dict
        ``dies_per_wafer`` [count], ``yield`` [dimensionless], ``cost_usd`` (wafer price over
        dies per wafer) and ``good_cost_usd`` (over good dies) [USD].

    Examples
    --------
    >>> r = interposer_cost(1560.9, 10000, 0.01)
    >>> round(r["dies_per_wafer"], 1), round(r["good_cost_usd"])
    (27.0, 433)
    """
    dpw = dies.dies_per_wafer(area_mm2, 300.0, edge_exclusion_mm)
    y = die_yield(area_mm2, defect_density_per_cm2, model, clustering)
    if np.any(np.asarray(dpw) < 1):
        raise InputError(f"interposer of {float(np.max(area_mm2)):,.0f} mm^2 does not fit on a 300 mm wafer")
    raw = np.asarray(wafer_price_usd, float) / dpw
    return {"dies_per_wafer": _f(dpw), "yield": _f(y), "cost_usd": _f(raw), "good_cost_usd": _f(raw / y)}


def hbm_cost_usd(capacity_gb, price_usd_per_gb):
    """Cost of the package's HBM: capacity times price per GB. [USD]

    Examples
    --------
    >>> hbm_cost_usd(80, 15.0)
    1200.0
    """
    _checks.non_negative("capacity_gb", capacity_gb)
    _checks.non_negative("price_usd_per_gb", price_usd_per_gb)
    return _f(np.asarray(capacity_gb, float) * np.asarray(price_usd_per_gb, float))


def check_package(package_entry, compute_dies, hbm_stacks, area_mm2) -> None:
    """Raise :class:`InputError` when the dies, stacks or interposer exceed the package class."""
    name = package_entry.slug
    if np.any(np.asarray(compute_dies) > package_entry.max_compute_dies):
        raise InputError(
            f"package {name} holds at most {package_entry.max_compute_dies} compute dies, "
            f"got {int(np.max(compute_dies))}"
        )
    if np.any(np.asarray(hbm_stacks) > package_entry.max_hbm_stacks):
        raise InputError(
            f"package {name} holds at most {package_entry.max_hbm_stacks} HBM stacks, "
            f"got {int(np.max(hbm_stacks))}"
        )
    limit = package_entry.max_interposer_area_mm2
    if np.any(np.asarray(area_mm2) > limit):
        raise InputError(
            f"dies and HBM need {float(np.max(area_mm2)):,.0f} mm^2 of interposer, more than "
            f"package {name}'s {limit:,.0f} mm^2"
        )

