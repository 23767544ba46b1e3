"""Wafer economics: dies per wafer, yield, good dies and the cost of one good die, by node."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import _checks
from ..catalog import schema
from . import dies
from .yield_models import MODELS, die_yield
from ..results import ResultMixin
from ..results import scalar_or_array as _f


def node(name):
    """Catalog entry of a process node (slug or alias, e.g. ``"n4"``, ``"4N"``, ``"7nm"``),
    with any active ``--set node.FIELD=...`` applied."""
    from .. import catalog

    return catalog.with_sets(catalog.get("nodes", name), "node")


def cost_per_good_die(
    *,
    die_area_mm2,
    wafer_price_usd,
    defect_density_per_cm2,
    model="murphy",
    clustering=2.0,
    wafer_diameter_mm=dies.WAFER_DIAMETER_MM,
    edge_exclusion_mm=dies.EDGE_EXCLUSION_MM,
    yield_fraction=None,
) -> dict[str, Any]:
    r"""Dies per wafer, yield, good dies per wafer and the cost of one good die.

    Parameters
    ----------
    die_area_mm2 : numeric
        Die area, > 0. [mm²]
    wafer_price_usd : numeric
        Price of one processed wafer, >= 0. [USD]
    defect_density_per_cm2 : numeric
        Killer defect density, >= 0. [1/cm²]
    model, clustering
        Yield model, see :func:`~siliconomics.silicon.yield_models.die_yield`.
    wafer_diameter_mm, edge_exclusion_mm : numeric
        Wafer geometry. [mm]
    yield_fraction : numeric, optional
        Use this yield instead of the model's (e.g. a harvested yield). [dimensionless]

    Returns
    -------
    dict
        ``dies_per_wafer`` [count], ``die_yield`` [dimensionless], ``good_dies_per_wafer``
        [count], ``cost_per_die_usd`` and ``cost_per_good_die_usd`` [USD].

    Notes
    -----
    Cost per good die :math:`= W / (DPW \cdot Y)`, with :math:`DPW` from
    :func:`~siliconomics.silicon.dies.dies_per_wafer`.

    Examples
    --------
    >>> r = cost_per_good_die(die_area_mm2=814, wafer_price_usd=16988,
    ...                       defect_density_per_cm2=0.1, edge_exclusion_mm=0.0)
    >>> round(r["dies_per_wafer"], 1), round(r["cost_per_good_die_usd"])
    (63.5, 572)
    """
    _checks.non_negative("wafer_price_usd", wafer_price_usd)
    dpw = dies.dies_per_wafer(die_area_mm2, wafer_diameter_mm, edge_exclusion_mm)
    y = (die_yield(die_area_mm2, defect_density_per_cm2, model, clustering)
         if yield_fraction is None else yield_fraction)
    good = dpw * np.asarray(y, dtype=float)
    wp = np.asarray(wafer_price_usd, dtype=float)
    with np.errstate(divide="ignore"):
        per_die = np.where(dpw > 0, wp / np.maximum(dpw, 1e-300), np.inf)
        per_good = np.where(good > 0, wp / np.maximum(good, 1e-300), np.inf)
    return {
        "dies_per_wafer": _f(dpw),
        "die_yield": _f(y),
        "good_dies_per_wafer": _f(good),
        "cost_per_die_usd": _f(per_die),
        "cost_per_good_die_usd": _f(per_good),
    }


@dataclass
class WaferResult(ResultMixin):
    """One die on one node: counts, yields by model and cost per good die."""

    node: str
    die_width_mm: float | None
    die_height_mm: float | None
    die_area_mm2: float
    wafer_price_usd: float
    defect_density_per_cm2: float
    model: str
    dies_per_wafer: int | float
    dies_per_wafer_approx: float
    die_yield: float
    good_dies_per_wafer: float
    cost_per_die_usd: float
    cost_per_good_die_usd: float
    yield_by_model: dict = field(default_factory=dict)
    within_reticle: bool = True
    sources: dict = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary; key names match the attributes."""
        return {k: getattr(self, k) for k in self.__dataclass_fields__}

    def _repr_html_(self) -> str:
        """Notebook display: cost per good die, the yield by model and the die and wafer."""
        from ..results import html_card, number

        size = (f"{self.die_width_mm:g} x {self.die_height_mm:g} mm" if self.die_width_mm
                else f"{number(self.die_area_mm2)} mm²")
        return html_card(
            f"A {size} die on {self.node}",
            f"${number(self.cost_per_good_die_usd)} per good die; yield "
            f"{number(100 * self.die_yield, 3)}% ({self.model}), "
            f"{number(self.good_dies_per_wafer, 3)} good dies per wafer",
            inputs=[("dies per wafer", self.dies_per_wafer),
                    ("defect density [1/cm²]", self.defect_density_per_cm2),
                    ("wafer price [USD]", self.wafer_price_usd),
                    ("within the reticle", "yes" if self.within_reticle else "no (stitched)")],
            tables=[("Yield by model (perfect dies; harvesting not counted)",
                     [{"model": m, "die yield": y} for m, y in self.yield_by_model.items()])])


#: Largest defect density and wafer price accepted (the catalog schema's bounds).
D0_MAXIMUM = schema.UNIT_MAXIMUM["1/cm^2"]
WAFER_PRICE_MAXIMUM = schema.UNIT_MAXIMUM["USD"]


def wafer(
    die=None,
    node_name="n4",
    *,
    die_area_mm2=None,
    model="murphy",
    clustering=2.0,
    defect_density_per_cm2=None,
    wafer_price_usd=None,
    wafer_diameter_mm=dies.WAFER_DIAMETER_MM,
    edge_exclusion_mm=dies.EDGE_EXCLUSION_MM,
    scribe_mm=dies.SCRIBE_MM,
    stitched=False,
) -> WaferResult:
    """Dies per wafer, yield by every model and cost per good die for one die on one node.

    ``die`` is ``(width_mm, height_mm)`` or a string ``"26x31.3"``; for a rectangular die the
    count is exact (:func:`~siliconomics.silicon.dies.dies_per_wafer_exact`), for an area only
    (``die_area_mm2``) it is the approximation.

    Examples
    --------
    >>> r = wafer("26x31.3", "n4")
    >>> r.dies_per_wafer, round(r.die_yield, 2)
    (67, 0.54)
    """
    from ..errors import InputError

    entry = node(node_name)
    if die is not None and die_area_mm2 is not None:
        raise InputError("give a die size (e.g. 26x31.3) or a die area, not both")
    if die is not None:
        w, h = dies.parse_die_size(die) if isinstance(die, str) else (float(die[0]), float(die[1]))
        area = w * h
        within = dies.check_reticle(w, h, stitched=stitched)
        count = dies.dies_per_wafer_exact(w, h, wafer_diameter_mm, edge_exclusion_mm, scribe_mm)
    elif die_area_mm2 is not None:
        w = h = None
        area = float(die_area_mm2)
        _checks.positive("die_area_mm2", area)
        within = dies.check_reticle(die_area_mm2=area, stitched=stitched)
        count = None
    else:
        raise InputError("give a die size (e.g. 26x31.3) or a die area in mm^2")
    d0 = entry.defect_density_per_cm2 if defect_density_per_cm2 is None else _checks.within(
        "defect_density_per_cm2", defect_density_per_cm2, 0.0, D0_MAXIMUM)
    wp = entry.wafer_price_usd if wafer_price_usd is None else _checks.within(
        "wafer_price_usd", wafer_price_usd, 0.0, WAFER_PRICE_MAXIMUM)
    approx = float(dies.dies_per_wafer(area, wafer_diameter_mm, edge_exclusion_mm))
    count = approx if count is None else count
    yields = {m: float(die_yield(area, d0, m, clustering)) for m in MODELS}
    y = float(die_yield(area, d0, model, clustering))
    good = count * y
    return WaferResult(
        node=entry.slug,
        die_width_mm=w,
        die_height_mm=h,
        die_area_mm2=area,
        wafer_price_usd=float(wp),
        defect_density_per_cm2=float(d0),
        model=model,
        dies_per_wafer=count,
        dies_per_wafer_approx=approx,
        die_yield=y,
        good_dies_per_wafer=good,
        cost_per_die_usd=float(wp) / count if count > 0 else float("inf"),
        cost_per_good_die_usd=float(wp) / good if good > 0 else float("inf"),
        yield_by_model=yields,
        within_reticle=within,
        sources={
            "wafer_price_usd": entry.value("wafer_price_usd").source if wafer_price_usd is None else "user input",
            "defect_density_per_cm2": entry.value("defect_density_per_cm2").source
            if defect_density_per_cm2 is None else "user input",
        },
    )

