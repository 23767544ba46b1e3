r"""Monolithic versus chiplets: split a logic area into n dies and compare cost per good package.

Splitting a large die into :math:`n` chiplets raises the yield of each (yield falls roughly
exponentially with area) but adds die-to-die interface area, per-die assembly and a package
yield that compounds with every die placed. :func:`chiplet_costs` computes the cost per good
package for each :math:`n`; a monolithic die beyond the reticle is infeasible unless stitched.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import _checks
from . import dies
from .yield_models import die_yield

#: Default die-to-die overhead: extra area per chiplet for the interface (PHYs, redundant
#: logic), as a fraction of its share of logic. A labelled assumption (range 0.05-0.2): no
#: single published figure; chiplet designs report interface and duplication overheads of
#: the order of ten percent.
D2D_OVERHEAD = 0.10
#: Default assembly cost per die placed and per-die bonding yield (assumptions).
BOND_COST_USD = 30.0
BOND_YIELD = 0.99


def chiplet_costs(
    total_logic_area_mm2,
    n_chiplets=(1, 2, 3, 4, 6, 8),
    *,
    wafer_price_usd,
    defect_density_per_cm2,
    d2d_overhead_fraction=D2D_OVERHEAD,
    package_base_cost_usd=500.0,
    bond_cost_usd=BOND_COST_USD,
    bond_yield=BOND_YIELD,
    model="murphy",
    clustering=2.0,
    stitched=False,
) -> dict[str, Any]:
    r"""Cost per good package of a logic area split into ``n`` chiplets, for each ``n``.

    Parameters
    ----------
    total_logic_area_mm2 : float
        Logic area of the monolithic design. [mm²]
    n_chiplets : sequence of int
        Splits to evaluate (1 = monolithic). [count]
    wafer_price_usd : float
        [USD]
    defect_density_per_cm2 : float
        [1/cm²]
    d2d_overhead_fraction : float
        Extra area per chiplet for die-to-die interfaces when ``n > 1``. [dimensionless]
    package_base_cost_usd : float
        Package cost independent of the die count (substrate, interposer share, test). [USD]
    bond_cost_usd : float
        Assembly cost per die placed. [USD]
    bond_yield : float
        Probability that placing one die succeeds; the package yield is ``bond_yield ** n``.
    model, clustering
        Die yield model.
    stitched : bool
        Allow dies larger than the reticle (otherwise they are infeasible: cost ``inf``).

    Returns
    -------
    dict
        Arrays over ``n``: ``n``, ``chiplet_area_mm2``, ``die_yield``, ``silicon_usd``,
        ``packaging_usd``, ``package_yield``, ``cost_usd`` (per good package), ``feasible``;
        and ``best_n``.

    Notes
    -----
    :math:`a_n = (A/n)(1 + o [n > 1])`,
    :math:`C_n = (n W / (DPW(a_n) Y(a_n)) + P + n b) / y_b^n`.

    Examples
    --------
    >>> r = chiplet_costs(1500, (1, 2, 4), wafer_price_usd=20000, defect_density_per_cm2=0.1)
    >>> r["feasible"].tolist(), int(r["best_n"])
    ([False, True, True], 4)
    """
    _checks.positive("total_logic_area_mm2", total_logic_area_mm2)
    _checks.non_negative("d2d_overhead_fraction", d2d_overhead_fraction)
    _checks.fraction("bond_yield", bond_yield)
    n = np.asarray(n_chiplets, dtype=float)
    _checks.at_least("n_chiplets", n, 1)
    a = float(total_logic_area_mm2) / n * (1.0 + d2d_overhead_fraction * (n > 1))
    feasible = (a <= dies.RETICLE_AREA_MM2 + 1e-9) | bool(stitched)
    y = die_yield(a, defect_density_per_cm2, model, clustering)
    dpw = dies.dies_per_wafer(a, 300.0, dies.EDGE_EXCLUSION_MM)
    silicon = n * wafer_price_usd / (dpw * y)
    pkg = package_base_cost_usd + n * bond_cost_usd
    pyield = bond_yield**n
    cost = np.where(feasible, (silicon + pkg) / pyield, np.inf)
    return {
        "n": n.astype(int),
        "chiplet_area_mm2": a,
        "die_yield": np.asarray(y),
        "silicon_usd": silicon,
        "packaging_usd": pkg,
        "package_yield": pyield,
        "cost_usd": cost,
        "feasible": np.asarray(feasible),
        "best_n": int(n[np.argmin(cost)]),
    }


@dataclass
class ChipletSweep:
    """:func:`chiplet_costs` on catalog inputs, with the node it used."""

    node: str
    total_logic_area_mm2: float
    rows: list

    @property
    def best_n(self) -> int:
        """Chiplet count with the lowest cost per good package."""
        return min(self.rows, key=lambda r: r["cost_usd"])["n"]

    def _repr_html_(self) -> str:
        """Notebook display: the cheapest split, then the cost of each."""
        from ..results import html_card, number

        return html_card(
            f"{number(self.total_logic_area_mm2)} mm² of logic on {self.node}, in chiplets",
            f"cheapest in {self.best_n} chiplet(s)", tables=[("Cost by chiplet count", self.rows)])

    def to_dict(self) -> dict[str, Any]:
        return {"node": self.node, "total_logic_area_mm2": self.total_logic_area_mm2,
                "best_n": self.best_n, "rows": self.rows}


def chiplet_sweep(total_logic_area_mm2, node="n3", n_chiplets=(1, 2, 3, 4, 6, 8), **kwargs) -> ChipletSweep:
    """:func:`chiplet_costs` with the wafer price and defect density of a catalog node.

    Examples
    --------
    >>> s = chiplet_sweep(800, "n3")
    >>> s.best_n > 1
    True
    """
    from .wafer import node as node_entry

    e = node_entry(node)
    kwargs.setdefault("wafer_price_usd", e.wafer_price_usd)
    kwargs.setdefault("defect_density_per_cm2", e.defect_density_per_cm2)
    r = chiplet_costs(total_logic_area_mm2, n_chiplets, **kwargs)
    keys = ("n", "chiplet_area_mm2", "die_yield", "silicon_usd", "packaging_usd", "package_yield",
            "cost_usd", "feasible")
    rows = [{k: (r[k][i].item() if hasattr(r[k][i], "item") else r[k][i]) for k in keys}
            for i in range(len(r["n"]))]
    return ChipletSweep(e.slug, float(total_logic_area_mm2), rows)
