"""Plan files: TOML with years, sites, generations, demand, budget, supply caps, existing fleet.

::

    [plan]
    name = "small"
    years = [2026, 2030]                 # first and last year, inclusive
    sites = ["us-texas", "finland"]
    accelerators = ["h100-sxm", "b200"]
    financing = "hyperscaler"            # discount rate and lives, unless given below
    objective = "cost"                   # or "compute"
    rent = false                         # true: capacity may also be rented, at the catalog's
                                         # rental price series (1-year, else on-demand)

    [demand]                             # per year; years between given ones interpolate
    unit = "accelerator_equivalents"     # or "pflop_per_s" (dense BF16 peak), or
    reference = "h100-sxm"               # "output_tokens_per_s" (serving: see below)
    by_year = { 2026 = 20000, 2030 = 100000 }
    # serving demand only: tokens/s at the peak, served by `model` under `slo_tpot_ms`
    # model = "llama-3.1-70b"; prompt_tokens = 2048; output_tokens = 256; slo_tpot_ms = 50

    [budget]                             # capital per year: numbers in USD or "20 B USD"
    usd_per_year = { 2026 = "5e9 USD" }

    [supply]                             # accelerators purchasable per year, all sites
    b200 = { 2026 = 50000 }

    [catalog]                            # user catalog files (your own sites, accelerators),
    files = ["my_sites.toml"]            # relative to the plan file

    [sites.us-texas]                     # overrides of the catalog's power availability
    power_available_mw = { 2026 = 100, 2028 = 600 }
    existing_mw = 0
    # export_region = "tier-2"           # with plan.export_rules: the site's export tier

``plan.supply_share`` (a share of the world's buildable accelerators per year,
:mod:`siliconomics.industry.supply`) and ``plan.export_rules`` (sites host only what their
export tier allows, :mod:`siliconomics.industry.export`) are applied by
:func:`siliconomics.industry.supply.cap_plan` and
:func:`siliconomics.industry.export.restrict_plan` (``siliconomics plan`` does both).

    [[existing]]
    site = "us-texas"
    accelerator = "h100-sxm"
    count = 10000
    age_years = 2

Retired accelerators sell at the catalog's ``secondary`` price series where one exists
(:func:`resale_curve`), less transaction costs and a haircut below the quoted price
(``resale_transaction_cost``, ``resale_haircut``: :func:`net_sale_fraction`), and rented capacity costs its ``rental-1y`` (or on-demand) series
(:func:`rental_curve`); sites and accelerators may come from user catalog files.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..errors import InputError, ScenarioError

#: Market value of an accelerator generation declines with hardware price-performance: 0.14
#: orders of magnitude a year (Cottier et al., arXiv:2405.21015, 2024), i.e. 28% a year.
MARKET_DECLINE_PER_YEAR = 1.0 - 10 ** -0.14

#: Costs of selling used accelerators, as a fraction of the secondary price: broker or
#: marketplace fee, de-installation, data sanitisation, testing and freight. A labelled
#: assumption (IT asset disposition fees run at a few to ten percent of resale), range 0.03-0.10.
RESALE_TRANSACTION_COST = 0.05

#: Discount a seller takes below the catalog's secondary series, whose points are mostly listings
#: rather than transactions, before any price impact of its own lot. A labelled assumption,
#: range 0.05-0.20 (the H100 series notes that its points are listings).
RESALE_HAIRCUT = 0.10

#: Hours in a year (365.25 days), for rentals paid by the hour.
HOURS_PER_YEAR = 8766.0

Number = float | int | str


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _whole(v: float) -> float:
    """Accelerators come whole: 16000.0 is 16,000, 16000.5 a typo."""
    if v != int(v):
        raise ValueError(f"must be a whole number of accelerators, got {v:g}")
    return v


class PlanSection(_Strict):
    name: str = "plan"
    years: list[int] = Field(min_length=2, max_length=2)
    sites: list[str] = Field(min_length=1)
    accelerators: list[str] = Field(min_length=1)
    financing: str = "hyperscaler"
    objective: Literal["cost", "compute"] = "cost"
    utilization: float = Field(1.0, gt=0, le=1)
    cluster_size: float = Field(100_000, ge=1)
    lot_size: float = Field(1.0, gt=0)
    resale_fraction: float = Field(1.0, ge=0, le=1)
    resale_transaction_cost: float = Field(RESALE_TRANSACTION_COST, ge=0, lt=1)
    resale_haircut: float = Field(RESALE_HAIRCUT, ge=0, lt=1)
    rent: bool = False  # may the plan rent capacity at the catalog's rental prices?
    market_decline_per_year: float = Field(MARKET_DECLINE_PER_YEAR, ge=0, lt=1)
    discount_rate: float | None = Field(None, gt=-1)
    accelerator_life_years: int | None = Field(None, ge=1)
    start_year: int | None = None
    # markets (applied by siliconomics.industry: supply.cap_plan, export.restrict_plan)
    supply_share: float | None = Field(None, gt=0, le=1)  # share of world buildable supply
    export_rules: bool = False  # sites host only what their export tier allows
    export_licences: bool = True  # tier-2 sites hold licences for controlled parts

    _whole_lot = field_validator("lot_size")(_whole)

    @field_validator("years")
    @classmethod
    def _ordered(cls, v):
        if v[0] > v[1]:
            raise ValueError(f"first year must be <= last year, got {v[0]} > {v[1]}")
        if v[1] - v[0] > 60:
            raise ValueError("at most 60 years")
        return v


class DemandSection(_Strict):
    unit: Literal["pflop_per_s", "accelerator_equivalents",
                  "output_tokens_per_s"] = "accelerator_equivalents"
    reference: str = "h100-sxm"
    by_year: dict[int, float] = Field(default_factory=dict)
    # serving demand (unit = "output_tokens_per_s")
    model: str = "llama-3.1-70b"
    prompt_tokens: int = Field(2048, ge=1)
    output_tokens: int = Field(256, ge=1)
    slo_tpot_ms: float | None = Field(50.0, gt=0)
    precision: str = "fp8"


class BudgetSection(_Strict):
    usd_per_year: dict[int, Number] | Number | None = None


class SiteSection(_Strict):
    power_available_mw: dict[int, Number] | Number | None = None
    existing_mw: Number | None = None
    export_region: str | None = None  # export tier region overriding the site's country


class ExistingCohort(_Strict):
    site: str
    accelerator: str
    count: float = Field(ge=0)
    age_years: float = Field(0.0, ge=0)

    _whole_count = field_validator("count")(_whole)


class CatalogSection(_Strict):
    files: list[str] = Field(default_factory=list)  # user catalog files, relative to the plan


class PlanFile(_Strict):
    plan: PlanSection
    catalog: CatalogSection = Field(default_factory=CatalogSection)
    demand: DemandSection = Field(default_factory=DemandSection)
    budget: BudgetSection = Field(default_factory=BudgetSection)
    supply: dict[str, dict[int, float | str]] = Field(default_factory=dict)
    sites: dict[str, SiteSection] = Field(default_factory=dict)
    existing: list[ExistingCohort] = Field(default_factory=list)


def _pydantic_message(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"])
    if err["type"] == "missing":
        what = f"table [{where}]" if len(err["loc"]) == 1 else f"key {err['loc'][-1]!r}"
        return (f"{where}: missing; a plan file needs {what} (see examples/plan_small.toml)")
    return f"{where}: {err['msg']}"


def parse_plan(data: dict, where: str = "plan") -> PlanFile:
    """Validate a plan dictionary; one-line :class:`ScenarioError` on the first problem."""
    try:
        return PlanFile.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(f"{where}: {_pydantic_message(exc)}") from None


def load_plan(path) -> PlanFile:
    """Read and validate a plan TOML file."""
    from ..io import read_toml

    data = read_toml(path, what="plan file", error_type=ScenarioError)
    if not data:
        raise ScenarioError(f"{path}: plan file is empty; see examples/plan_small.toml")
    spec = parse_plan(data, str(path))
    base = Path(path).parent
    spec.catalog.files = [str(f if Path(f).is_absolute() else base / f) for f in spec.catalog.files]
    return spec


_SCALED_USD = re.compile(r"^\s*([-+0-9.eE]+)\s*([kKMBT])\s*USD\s*$")
_SCALE = {"k": 1e3, "K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}


def parse(value, unit, *, name):
    """:func:`siliconomics.units.parse`, also reading ``"20 B USD"`` as 2e10 USD (pint would
    read ``B`` as a unit of its own)."""
    from ..units import parse as _parse

    if isinstance(value, str) and unit == "USD":
        m = _SCALED_USD.match(value)
        if m:
            try:
                return float(m.group(1)) * _SCALE[m.group(2)]
            except ValueError:
                pass
    return _parse(value, unit, name=name)


def _by_year(values, years, name, unit, *, default, interpolate=True):
    """Values per planning year from a scalar or a {year: value} table (interpolated)."""

    if values is None:
        return np.full(len(years), default, dtype=float)
    if not isinstance(values, dict):
        v = parse(values, unit, name=name)
        return np.full(len(years), v)
    pts = sorted((int(y), parse(v, unit, name=f"{name}[{y}]")) for y, v in values.items())
    xs = np.array([p[0] for p in pts], dtype=float)
    ys = np.array([p[1] for p in pts], dtype=float)
    if interpolate:
        return np.interp(years, xs, ys)
    out = np.full(len(years), default, dtype=float)
    for y, v in pts:
        if y in years:
            out[years.index(y)] = v
    return out


_COUNT = re.compile(r"^\s*([-+0-9.eE]+)\s*(accelerators?|units?|parts?)?\s*(/\s*(yr|year))?\s*$")


def supply_count(value, name: str) -> float:
    """A supply cap as accelerators per year: a number, or text such as ``"50000"`` or
    ``"50000 accelerators/year"``; any other unit (wafers, GB, USD) is :class:`InputError`."""
    if not isinstance(value, str):
        return float(value)
    m = _COUNT.match(value)
    if m:
        try:
            return float(m.group(1))
        except ValueError:
            pass
    raise InputError(f"{name}: a supply cap counts accelerators per year, got {value!r}; give a "
                     f"number such as 50000 (convert wafers or GB with 'siliconomics industry "
                     f"supply')")


def plan_from_dict(data: dict, where: str = "plan"):
    """A :class:`~.fleet.FleetProblem` from a plan dictionary (what a TOML file holds)."""
    return build_problem(parse_plan(data, where))


def build_problem(plan: PlanFile):
    """Assemble a :class:`~.fleet.FleetProblem` from a validated plan, reading the catalog (with
    the plan's own ``[catalog] files``: user-defined sites and accelerators) and
    :func:`siliconomics.tco.accelerator_hour` for per-accelerator costs and power."""
    from .. import catalog

    if not plan.catalog.files:
        return _build_problem(plan)
    with catalog.using(*plan.catalog.files):
        return _build_problem(plan)


def _build_problem(plan: PlanFile):
    from .. import _checks, catalog, tco
    from ..errors import unknown
    from .fleet import FleetProblem
    from .sites import START_YEAR, power_available_mw

    p = plan.plan
    years = list(range(p.years[0], p.years[1] + 1))
    T = len(years)
    sites = [catalog.site(s).slug for s in p.sites]
    gens = [catalog.accelerator(g).slug for g in p.accelerators]
    if len(set(sites)) < len(sites) or len(set(gens)) < len(gens):
        raise InputError("plan.sites and plan.accelerators must not repeat a name")
    fin = catalog.financing(p.financing)
    rate = fin.cost_of_capital if p.discount_rate is None else p.discount_rate
    life = int(round(fin.accelerator_life_years)) if p.accelerator_life_years is None \
        else p.accelerator_life_years
    S, G = len(sites), len(gens)
    lot = p.lot_size

    capex = np.zeros((S, G))
    opex = np.zeros((S, G))
    mw = np.zeros((S, G))
    build_cost = np.zeros(S)
    hardware = np.zeros(G)
    resolved = [tco.resolve(g, financing=p.financing) for g in gens]
    for i, s in enumerate(sites):
        for j, base in enumerate(resolved):
            r = tco.accelerator_hour(catalog.resolve(base, s), accelerators=p.cluster_size,
                                     utilization=p.utilization)
            n = r.accelerators
            build = r.resolved["site.build_cost_usd_per_mw"]
            it_capex = r.capex_usd - r.critical_it_mw * build
            capex[i, j] = it_capex / n
            opex[i, j] = r.annual_opex_usd / n
            mw[i, j] = r.facility_mw / n
            build_cost[i] = build / r.resolved["site.pue"]
            hardware[j] = r.price_usd + r.system.capex_usd_per_accelerator
    acc = [r.accelerator for r in resolved]
    compute = np.array([a.bf16_tflop_per_s / 1e3 for a in acc])  # PFLOP/s
    if plan.demand.unit == "output_tokens_per_s":
        compute = serving_capacity(plan.demand, resolved)
    launch = np.array([float(a.year) for a in acc])
    horizon = np.array(years + [years[-1] + 1], dtype=float)
    resale = np.array([resale_curve(r.accelerator, hw, horizon, p.market_decline_per_year)
                       for r, hw in zip(resolved, hardware)]) * p.resale_fraction * (
        net_sale_fraction(p.resale_transaction_cost, p.resale_haircut))
    rent = (np.array([rental_curve(r.accelerator, years) for r in resolved]) if p.rent
            else np.full((G, T), np.inf))

    start = p.start_year if p.start_year is not None else START_YEAR
    avail = np.zeros((S, T))
    existing_mw = np.zeros(S)
    for key, ov in plan.sites.items():
        slug = catalog.site(key).slug
        if slug not in sites:
            raise InputError(unknown("plan site (not in plan.sites)", key, sites))
    overrides = {catalog.site(k).slug: v for k, v in plan.sites.items()}
    for i, s in enumerate(sites):
        ov = overrides.get(s)
        if ov is not None and ov.power_available_mw is not None:
            avail[i] = _by_year(ov.power_available_mw, years, f"sites.{s}.power_available_mw",
                                "MW", default=0.0)
        else:
            avail[i] = power_available_mw(s, years, start_year=start)
        _checks.non_negative(f"sites.{s}.power_available_mw", avail[i])

    # Existing fleet
    ex_site, ex_gen, ex_units, ex_left = [], [], [], []
    for c in plan.existing:
        s = catalog.site(c.site).slug
        g = catalog.accelerator(c.accelerator).slug
        if s not in sites:
            raise InputError(unknown("existing-fleet site (not in plan.sites)", c.site, sites))
        if g not in gens:
            raise InputError(unknown("existing-fleet accelerator (not in plan.accelerators)",
                                     c.accelerator, gens))
        ex_site.append(sites.index(s))
        ex_gen.append(gens.index(g))
        ex_units.append(c.count / lot)
        ex_left.append(max(0, int(np.floor(life - c.age_years))))
    ex_site_a = np.asarray(ex_site, dtype=int)
    ex_gen_a = np.asarray(ex_gen, dtype=int)
    ex_units_a = np.asarray(ex_units, dtype=float)
    for i, s in enumerate(sites):
        ov = overrides.get(s)
        if ov is not None and ov.existing_mw is not None:
            existing_mw[i] = parse(ov.existing_mw, "MW", name=f"sites.{s}.existing_mw")
            _checks.non_negative(f"sites.{s}.existing_mw", existing_mw[i])
        else:
            here = ex_site_a == i
            existing_mw[i] = float(np.sum(ex_units_a[here] * lot * mw[i, ex_gen_a[here]]))

    # Demand
    d = plan.demand
    per = np.interp(years, sorted(d.by_year), [d.by_year[y] for y in sorted(d.by_year)]) \
        if d.by_year else np.zeros(T)
    _checks.non_negative("demand.by_year", per)
    if d.unit == "accelerator_equivalents":
        per = per * catalog.accelerator(d.reference).bf16_tflop_per_s / 1e3
    capacity_unit = "output_tokens_per_s" if d.unit == "output_tokens_per_s" else "pflop_per_s"
    # Budget
    budget = _by_year(plan.budget.usd_per_year, years, "budget.usd_per_year", "USD",
                      default=np.inf)
    _checks.non_negative("budget.usd_per_year", budget)
    # Supply caps
    supply = np.full((G, T), np.inf)
    for key, table in plan.supply.items():
        g = catalog.accelerator(key).slug
        if g not in gens:
            raise InputError(unknown("supply accelerator (not in plan.accelerators)", key, gens))
        if table and not any(int(y) in years for y in table):
            raise InputError(f"supply.{key} gives no year of the plan ({years[0]}-{years[-1]}): "
                             f"its years are {', '.join(str(y) for y in sorted(table))}")
        for y, v in table.items():
            v = supply_count(v, f"supply.{key}[{y}]")
            _checks.non_negative(f"supply.{key}[{y}]", v)
            if int(y) in years:
                supply[gens.index(g), years.index(int(y))] = v / lot

    return FleetProblem(
        years=years, sites=sites, generations=gens, compute_per_unit=compute * lot,
        capex_per_unit=capex * lot, opex_per_unit_year=opex * lot, mw_per_unit=mw * lot,
        resale_per_unit=resale * lot, launch_year=launch, life_years=np.full(G, life),
        supply_cap=supply, build_cost_per_mw=build_cost, power_available_mw=avail,
        existing_mw=existing_mw, demand=per, budget=budget, discount_rate=rate,
        facility_life_years=fin.facility_life_years, existing_site=ex_site_a,
        existing_gen=ex_gen_a, existing_units=ex_units_a,
        existing_years_left=np.asarray(ex_left, dtype=int), unit_size=lot,
        capacity_unit=capacity_unit, rent_per_unit_year=rent * lot,
    )


def net_sale_fraction(transaction_cost, haircut):
    r"""Share of the secondary price a seller keeps.

    Parameters
    ----------
    transaction_cost : numeric
        Selling costs as a fraction of the price, in [0, 1). [dimensionless]
    haircut : numeric
        Discount below the quoted secondary price, in [0, 1). [dimensionless]

    Returns
    -------
    numeric
        :math:`(1 - h)(1 - c)`. [dimensionless]

    Examples
    --------
    >>> round(net_sale_fraction(0.05, 0.10), 6)
    0.855
    """
    from .. import _checks

    _checks.fraction("transaction_cost", transaction_cost, open_low=False, open_high=True)
    _checks.fraction("haircut", haircut, open_low=False, open_high=True)
    out = (1.0 - np.asarray(haircut, dtype=float)) * (1.0 - np.asarray(transaction_cost, dtype=float))
    return float(out) if out.ndim == 0 else out


def resale_curve(accelerator, hardware_usd, years, decline_per_year) -> np.ndarray:
    """What one accelerator (in its system) sells for in each of ``years``. [USD]

    From the accelerator's ``secondary`` price series where the catalog has one
    (:func:`siliconomics.catalog.history.read`: log-linear between its points); after its last
    point the price falls by ``decline_per_year`` a year, and before the first (or with no
    series) it is ``hardware_usd`` declining from the launch year.
    """
    from ..catalog import history

    years = np.asarray(years, dtype=float)
    launch = float(accelerator.year)
    fallback = hardware_usd * (1.0 - decline_per_year) ** np.maximum(years - launch, 0.0)
    try:
        (series,) = history.series(accelerator, "secondary")[:1]
    except InputError:
        return fallback
    first, last = series.points[0], series.points[-1]
    out = []
    for y, fb in zip(years, fallback):
        t = y + 0.5  # the middle of the year
        if t < first.year:
            out.append(fb)
        elif t > last.year:
            out.append(last.value * (1.0 - decline_per_year) ** (t - last.year))
        else:
            out.append(history.read(series, f"{int(y)}").value)
    return np.asarray(out)


def rental_curve(accelerator, years) -> np.ndarray:
    """What renting one accelerator for each of ``years`` costs: the catalog's 1-year reserved
    rental price (else on-demand) at the middle of the year, for every hour. [USD/year]

    ``inf`` for a generation with no rental series (it cannot be rented). Past the last point
    the price is held flat (:func:`siliconomics.catalog.history.read`).
    """
    from ..catalog import history

    for measure in ("rental-1y", "rental-on-demand"):
        try:
            (series,) = history.series(accelerator, measure)[:1]
        except InputError:
            continue
        return np.array([history.read(series, f"{int(y)}").value * HOURS_PER_YEAR
                         for y in years])
    return np.full(len(years), np.inf)


def serving_capacity(demand: DemandSection, generations) -> np.ndarray:
    """Output tokens/s one accelerator of each generation serves at full load.

    Each generation (a name or resolved inputs) serves ``demand.model`` in its best
    configuration under the TPOT target (:func:`siliconomics.workloads.serving.best_under_slo`).
    """
    from ..errors import InputError
    from ..workloads import serving

    out = []
    for g in generations:
        try:
            choice = serving.best_under_slo(
                demand.model, g, prompt_tokens=demand.prompt_tokens,
                output_tokens=demand.output_tokens,
                slo_tpot_s=None if demand.slo_tpot_ms is None else demand.slo_tpot_ms / 1e3,
                precisions=(demand.precision,))
        except InputError as exc:
            name = getattr(getattr(g, "accelerator", None), "slug", g)
            raise InputError(f"demand: {name} cannot serve {demand.model}: {exc}") from None
        out.append(float(choice.performance["output_tokens_per_s_per_accelerator"]))
    return np.asarray(out)


def describe(plan: PlanFile) -> dict[str, Any]:
    """The plan's header fields, for reports and JSON output."""
    return plan.plan.model_dump()
