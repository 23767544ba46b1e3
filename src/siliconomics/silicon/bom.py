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

COMPONENTS = ("compute_dies", "io_dies", "interposer", "memory", "substrate_and_assembly", "test",
              "yield_loss")


def accelerator_cost(
    *,
    compute_dies,
    compute_die_area_mm2,
    compute_wafer_price_usd,
    compute_yield,
    memory_capacity_gb,
    memory_price_usd_per_gb,
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
    memory_capacity_gb : numeric
        Memory bought for the package (stacks times capacity per stack). [GB]
    memory_price_usd_per_gb : numeric
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
        USD per good package: compute_dies, io_dies, interposer (raw silicon), memory,
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
    ...     compute_yield=0.5, memory_capacity_gb=80, memory_price_usd_per_gb=15,
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
    for name, v in (("memory_capacity_gb", memory_capacity_gb),
                    ("memory_price_usd_per_gb", memory_price_usd_per_gb),
                    ("substrate_cost_usd", substrate_cost_usd), ("assembly_cost_usd", assembly_cost_usd),
                    ("test_cost_usd", test_cost_usd)):
        _checks.non_negative(name, v)

    def raw(area, wafer_price):
        return np.asarray(wafer_price, float) / dies.dies_per_wafer(area, 300.0, edge_exclusion_mm)

    nc, nio = np.asarray(compute_dies, float), np.asarray(io_dies, float)
    c_raw = nc * raw(compute_die_area_mm2, compute_wafer_price_usd)
    io_raw = np.where(nio > 0, nio * raw(io_die_area_mm2, io_wafer_price_usd), 0.0)
    i_raw = raw(interposer_area_mm2, interposer_wafer_price_usd)
    memory = np.asarray(memory_capacity_gb, float) * np.asarray(memory_price_usd_per_gb, float)
    sub_asm = np.asarray(substrate_cost_usd, float) + np.asarray(assembly_cost_usd, float)
    test = np.asarray(test_cost_usd, float)
    good_parts = (c_raw / np.asarray(compute_yield, float) + io_raw / np.asarray(io_yield, float)
                  + i_raw / np.asarray(interposer_yield, float) + memory + sub_asm + test)
    total = good_parts / np.asarray(packaging_yield, float)
    return Breakdown(
        {
            "compute_dies": c_raw,
            "io_dies": io_raw,
            "interposer": i_raw,
            "memory": memory,
            "substrate_and_assembly": sub_asm,
            "test": test,
            "yield_loss": total - (c_raw + io_raw + i_raw + memory + sub_asm + test),
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

    def _repr_html_(self) -> str:
        """Notebook display: cost to make, its breakdown, the dies, yield and margin."""
        from ..results import html_card, number

        d = self.details
        margin = self.gross_margin
        return html_card(
            f"Cost to make one good {self.accelerator}",
            f"${number(self.total)}" + ("" if margin is None else
                                         f"; gross margin {number(100 * margin, 3)}% at "
                                         f"${number(self.price_usd)}"),
            breakdown=self,
            inputs=[("compute dies", f"{d.get('compute_dies')} x "
                                     f"{number(d.get('compute_die_area_mm2'))} mm² on {d.get('node')}"),
                    ("dies per wafer", d.get("dies_per_wafer")),
                    ("die yield (sellable)", d.get("die_yield")),
                    ("die yield, perfect dies only", d.get("die_yield_without_harvesting")),
                    ("memory", f"{d.get('memory_stacks')} x {d.get('memory')}, "
                               f"{number(d.get('memory_capacity_gb'))} GB"),
                    ("package", d.get("package")),
                    ("embodied emissions [kgCO2e]", self.embodied_kgco2e)])

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


#: Paths of the resolved inputs the chip cost reads (and the Monte Carlo may sample).
INPUT_PATHS = (
    "node.wafer_price_usd", "node.defect_density_per_cm2",
    "io_node.wafer_price_usd", "io_node.defect_density_per_cm2",
    "memory.price_usd_per_gb",
    "package.interposer_wafer_price_usd", "package.interposer_defect_density_per_cm2",
    "package.interposer_area_overhead", "package.substrate_cost_usd",
    "package.assembly_cost_usd", "package.test_cost_usd", "package.packaging_yield",
)

#: Explicit design parameters of :func:`chip_cost` and the accelerator field each sets.
DESIGN = {
    "die_area_mm2": "compute_die_area_mm2", "node": "process_node",
    "compute_dies": "compute_dies", "io_dies": "io_dies", "io_die_area_mm2": "io_die_area_mm2",
    "io_node": "io_process_node", "memory": "memory", "hbm": "memory",
    "memory_stacks": "memory_stacks", "hbm_stacks": "memory_stacks",
    "memory_capacity_gb": "memory_capacity_gb", "hbm_capacity_gb": "memory_capacity_gb",
    "package": "package", "price_usd": "price_usd",
}


#: Below this share of its stacks' nominal capacity a part's capacity means smaller stacks,
#: not disabled ones (the catalog's memory check allows 70%; the parts selling part of their
#: HBM sell 94-98% of it: B200, B300, H200).
_PARTLY_ENABLED = 0.75


def _stacks_capacity(stacks, per_stack, datasheet=None):
    """Memory a package buys: ``stacks`` times the technology's ``per_stack`` capacity, or the
    part's ``datasheet`` capacity where stacks of that size cannot give it: more than they
    hold (a part set on a technology of smaller stacks than its own, such as MI300X's 192 GB on
    8-high HBM3's 16 GB), or under :data:`_PARTLY_ENABLED` of it (TPU v5e and v6e: 16 and
    32 GB over two and four stacks of the 16 GB HBM2E technology; their stacks are not
    published). [GB]

    >>> float(_stacks_capacity(6, 24, 141)), float(_stacks_capacity(8, 16, 192))
    (144.0, 192.0)
    >>> float(_stacks_capacity(4, 16, 32)), float(_stacks_capacity(5, 16))
    (32.0, 80.0)
    """
    nominal = np.asarray(stacks, float) * np.asarray(per_stack, float)
    if datasheet is None:
        return nominal
    ds = np.asarray(datasheet, float)
    own = (ds > nominal * (1.0 + 1e-9)) | (ds < _PARTLY_ENABLED * nominal)
    out = np.where(own, ds, nominal)
    return out if out.ndim else float(out)


def chip_cost(
    accelerator=None,
    *,
    model="murphy",
    clustering=2.0,
    harvesting=True,
    units=None,
    required_units=None,
    unit_area_fraction=None,
    stacked_compute=None,
    stitched=False,
    set=None,
    **kwargs,
) -> ChipCost:
    """What one good accelerator costs to make, from the catalog or explicit parameters.

    Parameters
    ----------
    accelerator : str, Entry or Resolved, optional
        Catalog accelerator (``"h100"``), an entry, or resolved inputs
        (:func:`siliconomics.catalog.resolve`); its fields are defaults for everything below.
        Without it, ``die_area_mm2``, ``node``, ``memory`` and ``memory_stacks`` are required.
    die_area_mm2 : numeric
        Area of one compute die. [mm²]
    node, io_node : str
        Process node slugs of the compute and I/O dies (``"n4"``, ``"n6"``).
    compute_dies, io_dies : int
        Dies per package. [count]
    io_die_area_mm2 : numeric
        Area of one I/O die. [mm²]
    memory (or hbm) : str
        Memory technology (``"hbm3e"``, ``"ddr5"``).
    memory_stacks (or hbm_stacks) : int
        Stacks (or DRAM devices) per package. [count]
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
    set : mapping, optional
        Input paths to change (``{"memory.price_usd_per_gb": 4}``).
    **kwargs
        The design parameters above, or API keywords of
        :data:`siliconomics.catalog.KEYWORDS` (``wafer_price_usd=20000``,
        ``packaging_yield=0.9``...), as numbers or arrays of samples.

    Returns
    -------
    ChipCost
        A Breakdown in USD per good accelerator, with ``details``, ``carbon``,
        ``gross_margin`` and ``embodied_kgco2e``.

    Notes
    -----
    Memory is bought by the stack: its cost is stacks times the technology's capacity per stack
    times its price per GB (a part selling 180 of 192 GB pays for 192), or the part's own
    capacity where its stacks cannot be of that size (:func:`_stacks_capacity`). Only memory
    placed on the interposer takes interposer area.

    Examples
    --------
    >>> c = chip_cost("h100")
    >>> round(c.details["dies_per_wafer"], 1), c.details["node"]
    (60.5, 'n4')
    >>> 0.8 < c.gross_margin < 0.95
    True
    >>> custom = chip_cost(die_area_mm2=600, node="n3", memory="hbm3e", memory_stacks=8,
    ...                    package="cowos-l")
    >>> custom.details["memory_capacity_gb"]
    192.0
    """
    from .. import catalog
    from ..catalog.inputs import Resolved

    design = {DESIGN[k]: kwargs.pop(k) for k in list(kwargs) if k in DESIGN and kwargs[k] is not None}
    for k in [k for k in kwargs if k in DESIGN]:
        kwargs.pop(k)
    if isinstance(accelerator, Resolved):
        r = catalog.resolve(accelerator, set={**_paths(design), **dict(set or {})}, **kwargs)
    elif accelerator is not None:
        r = catalog.resolve(accelerator, set={**_paths(design), **dict(set or {})}, **kwargs)
    else:
        r = catalog.resolve(_custom(design), set=set, **kwargs)
    return _chip_cost(r, model=model, clustering=clustering, harvesting=harvesting,
                      units=units, required_units=required_units,
                      unit_area_fraction=unit_area_fraction, stacked_compute=stacked_compute,
                      stitched=stitched)


def _paths(design: dict) -> dict:
    return {f"accelerator.{k}": v for k, v in design.items()}


def _custom(design: dict):
    """An accelerator entry made of explicit design parameters (no catalog part)."""
    from ..catalog import Entry, Value
    from ..errors import InputError

    for field, what in (("compute_die_area_mm2", "die_area_mm2"), ("process_node", "node"),
                        ("memory", "memory"), ("memory_stacks", "memory_stacks")):
        if design.get(field) is None:
            raise InputError(f"{what} is required without an accelerator")
    design.setdefault("compute_dies", 1)
    design.setdefault("io_dies", 0)
    fields = {k: Value(v, "user input", "", layer="api") for k, v in design.items()}
    return Entry(kind="accelerators", slug="custom", name="custom design", source="user input",
                 as_of="", fields=fields, origin="api", own=frozenset(fields))


def _chip_cost(r, *, model, clustering, harvesting, units, required_units, unit_area_fraction,
               stacked_compute, stitched) -> ChipCost:
    """The chip cost of resolved inputs ``r`` (see :func:`chip_cost`)."""
    from ..errors import InputError

    acc = r.accelerator
    area = r["accelerator.compute_die_area_mm2"]
    n_compute = r.get("accelerator.compute_dies", 1)
    n_io = r.get("accelerator.io_dies", 0) or 0
    stacks = r["accelerator.memory_stacks"]
    price = r.get("accelerator.price_usd")

    _checks.positive("die_area_mm2", area)
    _checks.at_least("compute_dies", n_compute, 1)
    _checks.non_negative("io_dies", n_io)
    _checks.at_least("memory_stacks", stacks, 1)
    _checks.non_negative("defect_density_per_cm2", r["node.defect_density_per_cm2"])
    dies.check_reticle(die_area_mm2=area, stitched=stitched)

    has_io = np.any(np.asarray(n_io) > 0)
    if has_io:
        io_area = r.get("accelerator.io_die_area_mm2")
        if io_area is None:
            raise InputError("io_die_area_mm2 is required with I/O dies")
        _checks.positive("io_die_area_mm2", io_area)
    else:
        io_area = 1.0

    paths = INPUT_PATHS if has_io else tuple(p for p in INPUT_PATHS if not p.startswith("io_"))
    v = {p: r[p] for p in paths}
    inputs = {row["path"]: row for row in r.provenance(("node", "io_node", "memory", "package"))
              if row["path"] in paths}

    mem = r.memory
    on_interposer = mem.placement == "interposer"
    capacity = _stacks_capacity(stacks, r["memory.capacity_gb_per_stack"],
                                r.get("accelerator.memory_capacity_gb"))
    footprint = r["memory.stack_footprint_mm2"] if on_interposer else 0.0
    interposer_stacks = stacks if on_interposer else 0

    # Harvesting of the compute die
    harvest = None
    if units is not None or required_units is not None:
        if units is None or required_units is None:
            raise InputError("give both units and required_units for harvesting")
        harvest = {"units": units, "required_units": required_units,
                   "unit_area_fraction": 0.6 if unit_area_fraction is None else unit_area_fraction,
                   "source": "user input"}
    elif harvesting and r.has("harvesting"):
        h = r.entry("harvesting")
        harvest = {"units": h.units, "required_units": h.required_units,
                   "unit_area_fraction": h.unit_area_fraction if unit_area_fraction is None
                   else unit_area_fraction, "source": h.source}
    d0 = v["node.defect_density_per_cm2"]
    full_yield = die_yield(area, d0, model, clustering)
    if harvest is not None:
        y_compute = harvested_yield(area, d0, harvest["units"], harvest["required_units"],
                                    harvest["unit_area_fraction"], model, clustering)
    else:
        y_compute = full_yield
    y_io = die_yield(io_area, v["io_node.defect_density_per_cm2"], model, clustering) if has_io else 1.0

    # Interposer: compute dies stacked on I/O dies count once, through the I/O dies
    compute_total = np.asarray(n_compute, float) * area
    io_total = np.asarray(n_io, float) * io_area if has_io else 0.0
    if stacked_compute is None:
        stacked_compute = bool(has_io and np.all(np.asarray(io_total) >= compute_total))
    base_area = io_total if stacked_compute else compute_total + io_total
    overhead = v["package.interposer_area_overhead"]
    i_area = packaging.interposer_area_mm2(base_area, interposer_stacks, footprint, overhead)
    # The package limit applies to what must sit on the interposer (dies and stacks); the
    # overhead is routing and keep-out that designs at the limit squeeze, so it adds cost only.
    pkg = r.entry("package")
    # compute dies stacked on base dies (AMD MI300/MI400) sit on the interposer through them
    packaging.check_package(pkg, n_io if stacked_compute else n_compute, interposer_stacks,
                            packaging.interposer_area_mm2(base_area, interposer_stacks, footprint, 0.0))
    interposer = packaging.interposer_cost(i_area, v["package.interposer_wafer_price_usd"],
                                           v["package.interposer_defect_density_per_cm2"], model,
                                           clustering)

    breakdown = accelerator_cost(
        compute_dies=n_compute,
        compute_die_area_mm2=area,
        compute_wafer_price_usd=v["node.wafer_price_usd"],
        compute_yield=y_compute,
        io_dies=n_io if has_io else 0,
        io_die_area_mm2=io_area,
        io_wafer_price_usd=v["io_node.wafer_price_usd"] if has_io else 0.0,
        io_yield=y_io,
        memory_capacity_gb=capacity,
        memory_price_usd_per_gb=v["memory.price_usd_per_gb"],
        interposer_area_mm2=i_area,
        interposer_wafer_price_usd=v["package.interposer_wafer_price_usd"],
        interposer_yield=interposer["yield"],
        substrate_cost_usd=v["package.substrate_cost_usd"],
        assembly_cost_usd=v["package.assembly_cost_usd"],
        test_cost_usd=v["package.test_cost_usd"],
        packaging_yield=v["package.packaging_yield"],
    )
    dpw = dies.dies_per_wafer(area, 300.0, dies.EDGE_EXCLUSION_MM)
    good = dpw * np.asarray(y_compute, float)
    io_good = (dies.dies_per_wafer(io_area, 300.0, dies.EDGE_EXCLUSION_MM) * y_io) if has_io else 1.0
    node, io_node = r.entry("node"), r.entry("io_node")
    carbon_b = carbon.package_kgco2e(
        compute_dies=n_compute,
        compute_good_dies_per_wafer=good,
        compute_kgco2e_per_cm2=r["node.embodied_kgco2e_per_cm2"],
        io_dies=n_io if has_io else 0,
        io_good_dies_per_wafer=io_good,
        io_kgco2e_per_cm2=r["io_node.embodied_kgco2e_per_cm2"] if has_io else 0.0,
        interposer_good_per_wafer=np.asarray(interposer["dies_per_wafer"]) * interposer["yield"],
        interposer_kgco2e_per_cm2=r["package.interposer_kgco2e_per_cm2"],
        memory_capacity_gb=capacity,
        memory_kgco2e_per_gb=r["memory.embodied_kgco2e_per_gb"],
        package_kgco2e=r["package.embodied_kgco2e_per_package"],
        packaging_yield=v["package.packaging_yield"],
    )
    details = {
        "node": node.slug,
        "io_node": io_node.slug if has_io else None,
        "memory": mem.slug,
        "memory_placement": mem.placement,
        "package": pkg.slug,
        "compute_dies": n_compute,
        "compute_die_area_mm2": area,
        "io_dies": n_io,
        "io_die_area_mm2": io_area if has_io else None,
        "memory_stacks": stacks,
        "memory_capacity_gb": _f(capacity),
        "memory_bandwidth_gb_per_s": _f(np.asarray(stacks, float)
                                        * np.asarray(r["memory.bandwidth_gb_per_s_per_stack"], float)),
        "model": model,
        "dies_per_wafer": _f(dpw),
        "die_yield": _f(y_compute),
        "die_yield_without_harvesting": _f(full_yield),
        "harvesting": {k: _plain(x) for k, x in harvest.items()} if harvest else None,
        "good_dies_per_wafer": _f(good),
        "cost_per_good_die_usd": _f(np.asarray(v["node.wafer_price_usd"], float) / good),
        "interposer_area_mm2": _f(i_area),
        "interposer_yield": interposer["yield"],
        "stacked_compute": stacked_compute,
        "price_usd": price,
        "inputs": inputs,
    }
    return ChipCost(dict(breakdown), details, carbon_b, acc.slug)


def memory_share(cost: ChipCost):
    """Memory's share of the manufacturing cost: its purchase over the total. [dimensionless]"""
    return _f(np.asarray(cost["memory"], float) / np.asarray(cost.total, float))


def embodied_kgco2e(accelerator="h100-sxm", **kwargs):
    """Embodied emissions of one good accelerator (catalog name or explicit parameters).

    Takes the same arguments as :func:`chip_cost` and returns its ``carbon`` Breakdown total.
    [kgCO2e]

    Examples
    --------
    >>> 50 < embodied_kgco2e("h100") < 500
    True
    """
    return chip_cost(accelerator, **kwargs).embodied_kgco2e


def _plain(x):
    if isinstance(x, np.ndarray):
        return float(x) if x.ndim == 0 else x.tolist()
    if isinstance(x, np.generic):
        return x.item()
    return x
