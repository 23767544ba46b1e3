r"""Accelerator bill of materials: what one good accelerator costs to make, by part.

Two layers:

- :func:`accelerator_cost` is the pure, vectorised model: every input a number or an array of
  samples, the result a :class:`~siliconomics.results.Breakdown` in USD per good package;
- :func:`chip_cost` picks the inputs from the catalog (accelerator, nodes, HBM generation,
  packaging class, harvesting), applies user overrides, checks the reticle and package limits,
  and adds die statistics, embodied carbon and the gross margin against the catalog price.

Accounting: dies are tested before assembly, so each die enters the package at its known-good
cost (raw cost over yield); HBM is bought as known-good stacks. A package failing final test
scraps everything inside, so the whole is divided by the packaging yield. The components
``compute_dies``, ``io_dies`` and ``interposer`` are raw silicon (wafer price over dies per
wafer); ``yield_loss`` is everything the die, interposer and package yields add.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import _checks
from ..results import Breakdown
from . import carbon, dies, packaging
from .yield_models import die_yield, harvested_yield
from ..results import scalar_or_array as _f

COMPONENTS = ("compute_dies", "io_dies", "interposer", "hbm", "substrate_and_assembly", "test",
              "yield_loss")


def accelerator_cost(
    *,
    compute_dies,
    compute_die_area_mm2,
    compute_wafer_price_usd,
    compute_yield,
    hbm_capacity_gb,
    hbm_price_usd_per_gb,
    interposer_area_mm2,
    interposer_wafer_price_usd,
    interposer_yield,
    substrate_cost_usd,
    assembly_cost_usd,
    test_cost_usd,
    packaging_yield,
    io_dies=0,
    io_die_area_mm2=1.0,
    io_wafer_price_usd=0.0,
    io_yield=1.0,
    edge_exclusion_mm=dies.EDGE_EXCLUSION_MM,
) -> Breakdown:
    r"""Cost of one good accelerator package, by component.

    Parameters
    ----------
    compute_dies, io_dies : numeric
        Dies per package. [count]
    compute_die_area_mm2, io_die_area_mm2, interposer_area_mm2 : numeric
        Areas of one die / the interposer. [mm²]
    compute_wafer_price_usd, io_wafer_price_usd, interposer_wafer_price_usd : numeric
        Price of one 300 mm wafer of each. [USD]
    compute_yield, io_yield, interposer_yield : numeric
        Die yields (sellable fraction, harvesting included), in (0, 1]. [dimensionless]
    hbm_capacity_gb : numeric
        HBM in the package. [GB]
    hbm_price_usd_per_gb : numeric
        [USD/GB]
    substrate_cost_usd, assembly_cost_usd, test_cost_usd : numeric
        Per package. [USD]
    packaging_yield : numeric
        Fraction of packages passing final test, in (0, 1]. [dimensionless]
    edge_exclusion_mm : numeric
        Wafer edge exclusion for dies per wafer. [mm]

    Returns
    -------
    Breakdown
        USD per good package: compute_dies, io_dies, interposer (raw silicon), hbm,
        substrate_and_assembly, test, yield_loss.

    Notes
    -----
    With :math:`c = W/DPW` the raw cost of a die and :math:`Y` its yield, the cost of a good
    package is :math:`(\sum n_i c_i / Y_i + H + S + A + T) / Y_p`; yield loss is that total
    minus the raw parts :math:`\sum n_i c_i + H + S + A + T`.

    Examples
    --------
    >>> b = accelerator_cost(
    ...     compute_dies=1, compute_die_area_mm2=814, compute_wafer_price_usd=18000,
    ...     compute_yield=0.5, hbm_capacity_gb=80, hbm_price_usd_per_gb=15,
    ...     interposer_area_mm2=1561, interposer_wafer_price_usd=10000, interposer_yield=0.9,
    ...     substrate_cost_usd=150, assembly_cost_usd=200, test_cost_usd=150,
    ...     packaging_yield=1.0, edge_exclusion_mm=0.0)
    >>> round(b["compute_dies"]), round(b["yield_loss"]), round(b.total)
    (284, 323, 2658)
    """
    for name, v in (("compute_yield", compute_yield), ("io_yield", io_yield),
                    ("interposer_yield", interposer_yield), ("packaging_yield", packaging_yield)):
        _checks.fraction(name, v)
    _checks.at_least("compute_dies", compute_dies, 1)
    _checks.non_negative("io_dies", io_dies)
    for name, v in (("hbm_capacity_gb", hbm_capacity_gb), ("hbm_price_usd_per_gb", hbm_price_usd_per_gb),
                    ("substrate_cost_usd", substrate_cost_usd), ("assembly_cost_usd", assembly_cost_usd),
                    ("test_cost_usd", test_cost_usd)):
        _checks.non_negative(name, v)

    def raw(area, wafer_price):
        return np.asarray(wafer_price, float) / dies.dies_per_wafer(area, 300.0, edge_exclusion_mm)

    nc, nio = np.asarray(compute_dies, float), np.asarray(io_dies, float)
    c_raw = nc * raw(compute_die_area_mm2, compute_wafer_price_usd)
    io_raw = np.where(nio > 0, nio * raw(io_die_area_mm2, io_wafer_price_usd), 0.0)
    i_raw = raw(interposer_area_mm2, interposer_wafer_price_usd)
    hbm = np.asarray(hbm_capacity_gb, float) * np.asarray(hbm_price_usd_per_gb, float)
    sub_asm = np.asarray(substrate_cost_usd, float) + np.asarray(assembly_cost_usd, float)
    test = np.asarray(test_cost_usd, float)
    good_parts = (c_raw / np.asarray(compute_yield, float) + io_raw / np.asarray(io_yield, float)
                  + i_raw / np.asarray(interposer_yield, float) + hbm + sub_asm + test)
    total = good_parts / np.asarray(packaging_yield, float)
    return Breakdown(
        {
            "compute_dies": c_raw,
            "io_dies": io_raw,
            "interposer": i_raw,
            "hbm": hbm,
            "substrate_and_assembly": sub_asm,
            "test": test,
            "yield_loss": total - (c_raw + io_raw + i_raw + hbm + sub_asm + test),
        },
        unit="USD",
        label="manufacturing cost per good accelerator",
    )


class ChipCost(Breakdown):
    """Cost per good accelerator (a :class:`Breakdown` in USD) with die statistics and margin.

    Attributes
    ----------
    accelerator : str
        Catalog slug, or ``"custom"`` for explicit parameters.
    details : dict
        Dies per wafer, yields, good dies per wafer, cost per good die, interposer figures,
        price, gross margin and the inputs used with their sources.
    carbon : Breakdown
        Embodied emissions per good accelerator by part. [kgCO2e]
    """

    def __init__(self, components, details: dict, carbon_breakdown: Breakdown, accelerator: str):
        super().__init__(components, unit="USD", label="manufacturing cost per good accelerator")
        self.details = details
        self.carbon = carbon_breakdown
        self.accelerator = accelerator

    @property
    def cost_usd(self):
        """Total cost per good accelerator. [USD]"""
        return self.total

    @property
    def price_usd(self):
        """Catalog (or given) sale price, None when unknown. [USD]"""
        return self.details.get("price_usd")

    @property
    def gross_margin(self):
        """``(price - cost) / price``, None without a price. [dimensionless]"""
        price = self.price_usd
        if price is None:
            return None
        return _f((np.asarray(price, float) - self.total) / np.asarray(price, float))

    @property
    def embodied_kgco2e(self):
        """Embodied emissions per good accelerator. [kgCO2e]"""
        return self.carbon.total

    def summary(self) -> dict[str, Any]:
        """JSON-ready dictionary of everything: cost, breakdown, die statistics, margin, carbon."""
        out = {"accelerator": self.accelerator}
        out.update({k: _plain(v) for k, v in self.details.items() if k != "inputs"})
        out["cost_usd"] = _plain(self.total)
        out["breakdown"] = {k: _plain(v) for k, v in self.items()}
        out["gross_margin"] = _plain(self.gross_margin) if self.gross_margin is not None else None
        out["embodied_kgco2e"] = _plain(self.embodied_kgco2e)
        out["carbon_breakdown"] = {k: _plain(v) for k, v in self.carbon.items()}
        out["inputs"] = self.details.get("inputs", {})
        return out


#: Numeric inputs of :func:`chip_cost` a user may override, and the catalog field they replace.
OVERRIDABLE = {
    "wafer_price_usd": ("nodes", "wafer_price_usd"),
    "defect_density_per_cm2": ("nodes", "defect_density_per_cm2"),
    "io_wafer_price_usd": ("io_nodes", "wafer_price_usd"),
    "io_defect_density_per_cm2": ("io_nodes", "defect_density_per_cm2"),
    "hbm_price_usd_per_gb": ("hbm", "price_usd_per_gb"),
    "interposer_wafer_price_usd": ("packaging", "interposer_wafer_price_usd"),
    "interposer_defect_density_per_cm2": ("packaging", "interposer_defect_density_per_cm2"),
    "interposer_area_overhead": ("packaging", "interposer_area_overhead"),
    "substrate_cost_usd": ("packaging", "substrate_cost_usd"),
    "assembly_cost_usd": ("packaging", "assembly_cost_usd"),
    "test_cost_usd": ("packaging", "test_cost_usd"),
    "packaging_yield": ("packaging", "packaging_yield"),
}


def chip_cost(
    accelerator=None,
    *,
    die_area_mm2=None,
    node=None,
    compute_dies=None,
    io_dies=None,
    io_die_area_mm2=None,
    io_node=None,
    hbm=None,
    hbm_stacks=None,
    hbm_capacity_gb=None,
    package=None,
    price_usd=None,
    model="murphy",
    clustering=2.0,
    harvesting=True,
    units=None,
    required_units=None,
    unit_area_fraction=None,
    stacked_compute=None,
    stitched=False,
    **overrides,
) -> ChipCost:
    """What one good accelerator costs to make, from the catalog or explicit parameters.

    Parameters
    ----------
    accelerator : str or Entry, optional
        Catalog accelerator (``"h100"``); its fields are defaults for everything below.
        Without it, ``die_area_mm2``, ``node``, ``hbm`` and ``hbm_stacks`` are required.
    die_area_mm2 : numeric
        Area of one compute die. [mm²]
    node, io_node : str
        Process node slugs of the compute and I/O dies (``"n4"``, ``"n6"``).
    compute_dies, io_dies : int
        Dies per package. [count]
    io_die_area_mm2 : numeric
        Area of one I/O die. [mm²]
    hbm : str
        HBM generation (``"hbm3e"``).
    hbm_stacks : int
        Stacks per package. [count]
    hbm_capacity_gb : numeric
        HBM per package; default stacks times the generation's capacity per stack. [GB]
    package : str
        Packaging class (``"cowos-s"``, ``"cowos-l"``); default ``cowos-s``.
    price_usd : numeric
        Sale price for the gross margin; default the catalog price. [USD]
    model, clustering
        Yield model of the dies, see :func:`~siliconomics.silicon.yield_models.die_yield`.
    harvesting : bool
        Use the catalog's die-harvesting configuration of the accelerator (if any).
    units, required_units, unit_area_fraction
        Explicit harvesting: the compute die has ``units`` identical units of which
        ``required_units`` must work, covering ``unit_area_fraction`` of its area.
    stacked_compute : bool, optional
        Compute dies sit on the I/O dies (3D, as AMD MI300); default: True when there are I/O
        dies whose total area is at least the compute dies'.
    stitched : bool
        Allow compute dies larger than the 26 x 33 mm reticle.
    **overrides
        Any name of :data:`OVERRIDABLE` (``wafer_price_usd=20000``, ``packaging_yield=0.9``...),
        as numbers or arrays of samples.

    Returns
    -------
    ChipCost
        A Breakdown in USD per good accelerator, with ``details``, ``carbon``,
        ``gross_margin`` and ``embodied_kgco2e``.

    Examples
    --------
    >>> c = chip_cost("h100")
    >>> round(c.details["dies_per_wafer"], 1), c.details["node"]
    (60.5, 'n4')
    >>> 0.8 < c.gross_margin < 0.95
    True
    >>> custom = chip_cost(die_area_mm2=600, node="n3", hbm="hbm3e", hbm_stacks=8,
    ...                    package="cowos-l")
    >>> custom.details["hbm_capacity_gb"]
    192.0
    """
    from .. import catalog
    from ..errors import CatalogError, InputError, unknown

    unknown_keys = set(overrides) - set(OVERRIDABLE)
    if unknown_keys:
        raise InputError(unknown("chip cost input", sorted(unknown_keys)[0], OVERRIDABLE))
    acc = catalog.get("accelerators", accelerator) if accelerator is not None else None

    def pick(given, field, default=None, required=True, what=None):
        if given is not None:
            return given
        if acc is not None and acc.get(field) is not None:
            return acc.get(field)
        if default is not None or not required:
            return default
        raise InputError(f"{what or field} is required without an accelerator")

    area = pick(die_area_mm2, "compute_die_area_mm2", what="die_area_mm2")
    node_name = pick(node, "process_node", what="node")
    n_compute = pick(compute_dies, "compute_dies", 1)
    n_io = pick(io_dies, "io_dies", 0)
    hbm_name = pick(hbm, "hbm_generation", what="hbm")
    stacks = pick(hbm_stacks, "hbm_stacks", what="hbm_stacks")
    pkg_name = pick(package, "package", "cowos-s")
    price = pick(price_usd, "price_usd", required=False)

    _checks.positive("die_area_mm2", area)
    _checks.at_least("compute_dies", n_compute, 1)
    _checks.non_negative("io_dies", n_io)
    _checks.at_least("hbm_stacks", stacks, 1)
    _checks.non_negative("defect_density_per_cm2", overrides.get("defect_density_per_cm2", 0.0))
    dies.check_reticle(die_area_mm2=area, stitched=stitched)

    entries = {
        "nodes": catalog.get("nodes", node_name),
        "hbm": catalog.get("hbm", hbm_name),
        "packaging": catalog.get("packaging", pkg_name),
    }
    has_io = np.any(np.asarray(n_io) > 0)
    if has_io:
        io_area = pick(io_die_area_mm2, "io_die_area_mm2", what="io_die_area_mm2")
        _checks.positive("io_die_area_mm2", io_area)
        entries["io_nodes"] = catalog.get("nodes", pick(io_node, "io_process_node", node_name))
    else:
        io_area = 1.0
        entries["io_nodes"] = entries["nodes"]

    inputs: dict[str, dict] = {}
    v: dict[str, Any] = {}
    for name, (kind, field) in OVERRIDABLE.items():
        if overrides.get(name) is not None:
            v[name] = overrides[name]
            inputs[name] = {"value": _plain(v[name]), "source": "user input"}
            continue
        val = entries[kind].value(field)
        v[name] = val.value
        inputs[name] = {"value": val.value, "low": val.low, "high": val.high, "source": val.source,
                        "as_of": val.as_of, "assumption": val.assumption}

    hbm_entry, pkg = entries["hbm"], entries["packaging"]
    capacity = pick(hbm_capacity_gb, "hbm_capacity_gb",
                    np.asarray(stacks, float) * hbm_entry.capacity_gb_per_stack)
    if hbm_capacity_gb is None and acc is None:
        capacity = np.asarray(stacks, float) * hbm_entry.capacity_gb_per_stack

    # Harvesting of the compute die
    harvest = None
    if units is not None or required_units is not None:
        if units is None or required_units is None:
            raise InputError("give both units and required_units for harvesting")
        harvest = {"units": units, "required_units": required_units,
                   "unit_area_fraction": 0.6 if unit_area_fraction is None else unit_area_fraction,
                   "source": "user input"}
    elif harvesting and acc is not None:
        try:
            h = catalog.get("die_harvesting", acc.slug)
        except CatalogError:
            h = None
        if h is not None:
            harvest = {"units": h.units, "required_units": h.required_units,
                       "unit_area_fraction": h.unit_area_fraction if unit_area_fraction is None
                       else unit_area_fraction, "source": h.source}
    d0 = v["defect_density_per_cm2"]
    full_yield = die_yield(area, d0, model, clustering)
    if harvest is not None:
        y_compute = harvested_yield(area, d0, harvest["units"], harvest["required_units"],
                                    harvest["unit_area_fraction"], model, clustering)
    else:
        y_compute = full_yield
    y_io = die_yield(io_area, v["io_defect_density_per_cm2"], model, clustering) if has_io else 1.0

    # Interposer: compute dies stacked on I/O dies count once, through the I/O dies
    compute_total = np.asarray(n_compute, float) * area
    io_total = np.asarray(n_io, float) * io_area if has_io else 0.0
    if stacked_compute is None:
        stacked_compute = bool(has_io and np.all(np.asarray(io_total) >= compute_total))
    base_area = io_total if stacked_compute else compute_total + io_total
    i_area = packaging.interposer_area_mm2(base_area, stacks, hbm_entry.stack_footprint_mm2,
                                           v["interposer_area_overhead"])
    # The package limit applies to what must sit on the interposer (dies and stacks); the
    # overhead is routing and keep-out that designs at the limit squeeze, so it adds cost only.
    packaging.check_package(pkg, n_compute, stacks,
                            packaging.interposer_area_mm2(base_area, stacks,
                                                          hbm_entry.stack_footprint_mm2, 0.0))
    interposer = packaging.interposer_cost(i_area, v["interposer_wafer_price_usd"],
                                           v["interposer_defect_density_per_cm2"], model, clustering)

    breakdown = accelerator_cost(
        compute_dies=n_compute,
        compute_die_area_mm2=area,
        compute_wafer_price_usd=v["wafer_price_usd"],
        compute_yield=y_compute,
        io_dies=n_io if has_io else 0,
        io_die_area_mm2=io_area,
        io_wafer_price_usd=v["io_wafer_price_usd"] if has_io else 0.0,
        io_yield=y_io,
        hbm_capacity_gb=capacity,
        hbm_price_usd_per_gb=v["hbm_price_usd_per_gb"],
        interposer_area_mm2=i_area,
        interposer_wafer_price_usd=v["interposer_wafer_price_usd"],
        interposer_yield=interposer["yield"],
        substrate_cost_usd=v["substrate_cost_usd"],
        assembly_cost_usd=v["assembly_cost_usd"],
        test_cost_usd=v["test_cost_usd"],
        packaging_yield=v["packaging_yield"],
    )
    dpw = dies.dies_per_wafer(area, 300.0, dies.EDGE_EXCLUSION_MM)
    good = dpw * np.asarray(y_compute, float)
    io_good = (dies.dies_per_wafer(io_area, 300.0, dies.EDGE_EXCLUSION_MM) * y_io) if has_io else 1.0
    carbon_b = carbon.package_kgco2e(
        compute_dies=n_compute,
        compute_good_dies_per_wafer=good,
        compute_kgco2e_per_cm2=entries["nodes"].embodied_kgco2e_per_cm2,
        io_dies=n_io if has_io else 0,
        io_good_dies_per_wafer=io_good,
        io_kgco2e_per_cm2=entries["io_nodes"].embodied_kgco2e_per_cm2 if has_io else 0.0,
        interposer_good_per_wafer=np.asarray(interposer["dies_per_wafer"]) * interposer["yield"],
        interposer_kgco2e_per_cm2=pkg.interposer_kgco2e_per_cm2,
        hbm_capacity_gb=capacity,
        hbm_kgco2e_per_gb=hbm_entry.embodied_kgco2e_per_gb,
        package_kgco2e=pkg.embodied_kgco2e_per_package,
        packaging_yield=v["packaging_yield"],
    )
    details = {
        "node": entries["nodes"].slug,
        "io_node": entries["io_nodes"].slug if has_io else None,
        "hbm_generation": hbm_entry.slug,
        "package": pkg.slug,
        "compute_dies": n_compute,
        "compute_die_area_mm2": area,
        "io_dies": n_io,
        "io_die_area_mm2": io_area if has_io else None,
        "hbm_stacks": stacks,
        "hbm_capacity_gb": _f(capacity),
        "hbm_bandwidth_gb_per_s": _f(np.asarray(stacks, float) * hbm_entry.bandwidth_gb_per_s_per_stack),
        "model": model,
        "dies_per_wafer": _f(dpw),
        "die_yield": _f(y_compute),
        "die_yield_without_harvesting": _f(full_yield),
        "harvesting": {k: _plain(x) for k, x in harvest.items()} if harvest else None,
        "good_dies_per_wafer": _f(good),
        "cost_per_good_die_usd": _f(np.asarray(v["wafer_price_usd"], float) / good),
        "interposer_area_mm2": _f(i_area),
        "interposer_yield": interposer["yield"],
        "stacked_compute": stacked_compute,
        "price_usd": price,
        "inputs": inputs,
    }
    return ChipCost(dict(breakdown), details, carbon_b, acc.slug if acc is not None else "custom")


def _plain(x):
    if isinstance(x, np.ndarray):
        return float(x) if x.ndim == 0 else x.tolist()
    if isinstance(x, np.generic):
        return x.item()
    return x
