r"""Supply: how many accelerators of each kind the world's parts can build in a year.

Three capacities bound accelerator output (``catalog/supply_capacity.toml``, year-end levels
with published ranges):

- **CoWoS** interposer wafers: one accelerator needs one interposer of
  :math:`A_i = (A_{dies} + n_{HBM} A_{stack})(1 + o)` (:func:`siliconomics.silicon.packaging.interposer_area_mm2`,
  the package class's overhead), so a wafer gives :math:`DPW(A_i)\,y_{pkg}` packages;
- **HBM** bit output: one accelerator needs its memory capacity in GB;
- **leading-edge logic** wafers: a wafer gives :math:`DPW(A_d)\,Y(A_d, D_0)` good compute dies
  of area :math:`A_d` on the part's node, and an accelerator needs ``compute_dies`` of them;
  only a share of these wafers goes to accelerators (market parameter).

A year's output is the mean of the year-end capacities on either side times twelve months
(wafers) or the year's value (HBM GB). The most accelerators of one kind that can be built in a
year, if every part went to it, is the least of the three (:func:`max_buildable`); the limit
that gives it *binds*. :func:`cap_plan` turns those counts into a plan's supply caps, and
:func:`scarcity_price` is the price response when demand exceeds supply:

.. math:: p = p_0 \min\!\left(\kappa,\ (D/S)^{-1/\varepsilon}\right) \text{ if } D > S, \quad p_0 \text{ otherwise},

with price elasticity :math:`\varepsilon < 0` and cap :math:`\kappa` (market parameters), so more
supply never raises the price.

Examples
--------
>>> s = max_buildable("b200", 2025)
>>> s.binding in ("cowos", "hbm", "logic")
True
>>> scarcity_price(100.0, 2.0, 1.0, elasticity=-1.0, cap=3.0)
200.0
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .. import _checks
from ..errors import InputError, unknown
from ..results import ResultMixin

#: Capacity series per limit (``supply_capacity`` slugs).
SERIES = {"cowos": "cowos-wafers-per-month", "hbm": "hbm-gb-per-year",
          "logic": "leading-edge-wafers-per-month"}

#: Limits and their units, in messages and tables.
LIMIT_UNITS = {"cowos": "CoWoS wafers/year", "hbm": "HBM GB/year", "logic": "logic wafers/year"}

#: Logic nodes first produced in or after this year draw on the leading-edge capacity series
#: (N5-class and newer; older nodes are not scarce for accelerators). [year]
LEADING_EDGE_FROM_YEAR = 2020

#: Packaging classes whose interposers are counted against CoWoS-class capacity.
INTERPOSER_PACKAGES = ("cowos-s", "cowos-l", "cowos-r")


def _catalog():
    from .. import catalog

    return catalog.load()


def _param(name: str):
    return _catalog().get("market_parameters", name).fields["value"]


def _points(limit: str):
    return _catalog().get("supply_capacity", SERIES[limit]).fields["points"].value


def year_range() -> tuple[int, int]:
    """First and last year every capacity series covers (wafer series need the year before
    as well). [year]"""
    first, last = [], []
    for limit in SERIES:
        years = [int(p.date[:4]) for p in _points(limit)]
        first.append(min(years) + (0 if limit == "hbm" else 1))
        last.append(max(years))
    return max(first), min(last)


def check_year(year) -> int:
    """``year`` as an int, or :class:`InputError` when it lies outside the data's range."""
    lo, hi = year_range()
    y = _checks.count("year", year, 1900, 2200)
    if not lo <= y <= hi:
        raise InputError(f"year must be within {lo}-{hi} (the years the supply capacity data "
                         f"cover), got {y}")
    return y


def annual_output(limit: str, year, which: str = "value") -> float:
    """A limit's output in ``year``: wafers per year (mean of the year-end capacities of
    ``year - 1`` and ``year``, times 12) or HBM GB per year. ``which`` picks ``value``, ``low``
    or ``high`` of the published range.

    Examples
    --------
    >>> annual_output("cowos", 2025)
    660000.0
    """
    if limit not in SERIES:
        raise InputError(unknown("supply limit", limit, SERIES))
    if which not in ("value", "low", "high"):
        raise InputError(unknown("range end", which, ("value", "low", "high")))
    y = check_year(year)
    by_year = {int(p.date[:4]): p for p in _points(limit)}

    def level(p):
        v = getattr(p, which)
        return float(p.value if v is None else v)

    if limit == "hbm":
        return level(by_year[y])
    return (level(by_year[y - 1]) + level(by_year[y])) / 2.0 * 12.0


@dataclass(frozen=True)
class PartNeeds:
    """What one accelerator takes from each scarce capacity."""

    accelerator: str
    interposer_mm2: float | None  # None: not an interposer package
    packages_per_wafer: float | None
    hbm_gb: float | None  # None: not HBM
    compute_die_mm2: float
    compute_dies: int
    good_dies_per_wafer: float | None  # None: not a leading-edge node

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def part_needs(accelerator) -> PartNeeds:
    """Interposer area, packages per CoWoS wafer, HBM GB and good compute dies per logic wafer
    of ``accelerator`` (a catalog name or entry), from its package, memory and node entries."""
    from .. import catalog
    from ..silicon.dies import dies_per_wafer
    from ..silicon.packaging import interposer_area_mm2
    from ..silicon.yield_models import die_yield

    acc = accelerator if hasattr(accelerator, "slug") else catalog.accelerator(accelerator)
    cat = _catalog()
    mem = cat.get("memory", acc.memory)
    dies_area = acc.compute_dies * acc.compute_die_area_mm2 + (acc.io_dies or 0) * (
        acc.io_die_area_mm2 or 0.0)
    is_hbm = str(mem.technology).lower() == "hbm"
    interposer = per_wafer = None
    if acc.package in INTERPOSER_PACKAGES:
        pkg = cat.get("packaging", acc.package)
        stacks = acc.memory_stacks if is_hbm else 0
        interposer = float(interposer_area_mm2(dies_area, stacks, mem.stack_footprint_mm2,
                                               pkg.interposer_area_overhead))
        per_wafer = float(dies_per_wafer(interposer)) * float(_param("packaging-yield-supply").value)
    node = cat.get("nodes", acc.process_node)
    good = None
    if node.year >= LEADING_EDGE_FROM_YEAR:
        good = float(dies_per_wafer(acc.compute_die_area_mm2)) * float(
            die_yield(acc.compute_die_area_mm2, node.defect_density_per_cm2))
    return PartNeeds(acc.slug, interposer, per_wafer,
                     float(acc.memory_capacity_gb) if is_hbm else None,
                     float(acc.compute_die_area_mm2), int(acc.compute_dies), good)


@dataclass
class SupplyLimit(ResultMixin):
    """Most accelerators of one kind buildable in a year, by limit, and which binds."""

    accelerator: str
    year: int
    by_limit: dict  # limit -> accelerators per year (inf: not limited by it)
    binding: str
    accelerators_per_year: float
    needs: PartNeeds
    capacity: dict = field(default_factory=dict)  # limit -> capacity available to accelerators

    def to_dict(self) -> dict:
        fin = lambda x: None if not np.isfinite(x) else float(x)  # noqa: E731
        return {"accelerator": self.accelerator, "year": self.year,
                "accelerators_per_year": self.accelerators_per_year, "binding": self.binding,
                "by_limit": {k: fin(v) for k, v in self.by_limit.items()},
                "capacity": self.capacity, "needs": self.needs.to_dict()}


def max_buildable(accelerator, year, *, which: str = "value", logic_share=None,
                  hbm_share=None) -> SupplyLimit:
    """Most ``accelerator`` units buildable in ``year`` if all of each capacity went to them.

    Parameters
    ----------
    accelerator : str or Entry
        Catalog accelerator.
    year : int
        Year within :func:`year_range`. [year]
    which : {"value", "low", "high"}
        End of the capacities' published ranges.
    logic_share, hbm_share : float, optional
        Shares of leading-edge wafers and of HBM that go to accelerators, in (0, 1]; default
        the market parameters.

    Returns
    -------
    SupplyLimit
        Accelerators per year under each limit, the least of them, and the binding limit.
    """
    needs = part_needs(accelerator)
    ls = float(_param("accelerator-share-of-leading-edge").value) if logic_share is None \
        else logic_share
    hs = float(_param("accelerator-share-of-hbm").value) if hbm_share is None else hbm_share
    _checks.fraction("logic_share", ls)
    _checks.fraction("hbm_share", hs)
    cap = {"cowos": annual_output("cowos", year, which),
           "hbm": annual_output("hbm", year, which) * hs,
           "logic": annual_output("logic", year, which) * ls}
    by = {
        "cowos": cap["cowos"] * needs.packages_per_wafer if needs.packages_per_wafer else np.inf,
        "hbm": cap["hbm"] / needs.hbm_gb if needs.hbm_gb else np.inf,
        "logic": (cap["logic"] * needs.good_dies_per_wafer / needs.compute_dies
                  if needs.good_dies_per_wafer else np.inf),
    }
    binding = min(by, key=by.get)
    return SupplyLimit(needs.accelerator, int(year), by, binding, float(by[binding]), needs, cap)


def scarcity_price(list_price, demand, supply, *, elasticity=None, cap=None):
    r"""Market price of a scarce good: the list price while supply covers demand, above it when
    demand exceeds supply.

    Parameters
    ----------
    list_price : numeric
        Price when supply is ample, > 0. [USD]
    demand, supply : numeric
        Quantities demanded and available at the list price, >= 0 and > 0. [units]
    elasticity : numeric, optional
        Price elasticity of demand, < 0; default the token-price elasticity parameter.
    cap : numeric, optional
        Most the price can rise over list, >= 1; default ``scarcity-price-cap``. [factor]

    Returns
    -------
    numeric
        :math:`p_0 \min(\kappa, (D/S)^{-1/\varepsilon})` when :math:`D > S`, else :math:`p_0`:
        the price at which demand falls to the supply. [USD]

    Examples
    --------
    >>> scarcity_price(100.0, 1.0, 2.0)
    100.0
    """
    e = float(_param("token-price-elasticity").value) if elasticity is None else elasticity
    k = float(_param("scarcity-price-cap").value) if cap is None else cap
    _checks.positive("list_price", list_price)
    _checks.non_negative("demand", demand)
    _checks.positive("supply", supply)
    if np.any(np.asarray(e) >= 0):
        raise InputError(f"elasticity must be < 0 (demand falls as the price rises), got "
                         f"{_checks._fmt(e)}")
    _checks.at_least("cap", k, 1.0)
    ratio = np.asarray(demand, dtype=float) / np.asarray(supply, dtype=float)
    with np.errstate(over="ignore"):
        rise = np.minimum(np.asarray(k, dtype=float), np.maximum(ratio, 1.0) ** (-1.0 / np.asarray(e)))
    out = np.asarray(list_price, dtype=float) * rise
    return float(out) if out.ndim == 0 else out


def supply_caps(accelerators, years, *, share=1.0, which="value") -> dict:
    """Accelerators of each kind purchasable per year by a buyer holding ``share`` of the
    world's supply: ``{slug: {year: count}}``. Years past the data are held at the last data
    year's level (capacity grows, so this is a conservative cap); years before it are
    :class:`InputError`."""
    _checks.fraction("share", share)
    lo, hi = year_range()
    out = {}
    for a in accelerators:
        per = {}
        for y in years:
            y = int(y)
            if y < lo:
                raise InputError(f"plan year {y} is before the supply capacity data ({lo}-{hi}); "
                                 f"start the plan in {lo} or later, or drop supply_share")
            per[y] = share * max_buildable(a, min(y, hi), which=which).accelerators_per_year
        out[a] = per
    return out


def cap_plan(problem, share, *, which="value"):
    """``problem`` (a :class:`~siliconomics.planning.fleet.FleetProblem`) with each
    generation's supply cap lowered to ``share`` of the world's buildable units per year
    (:func:`supply_caps`), in the plan's units of ``unit_size`` accelerators."""
    import dataclasses

    caps = supply_caps(problem.generations, problem.years, share=share, which=which)
    new = np.array(problem.supply_cap, dtype=float, copy=True)
    for g, name in enumerate(problem.generations):
        for t, y in enumerate(problem.years):
            new[g, t] = min(new[g, t], np.floor(caps[name][int(y)] / problem.unit_size))
    return dataclasses.replace(problem, supply_cap=new)


__all__ = ["SERIES", "PartNeeds", "SupplyLimit", "annual_output", "cap_plan", "check_year",
           "max_buildable", "part_needs", "scarcity_price", "supply_caps", "year_range"]
