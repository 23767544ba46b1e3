"""Build-out plan for mixed accelerator generations: a mixed-integer program solved with HiGHS.

Decisions per year ``t``, site ``s`` and generation ``g``:

- ``buy[s,g,t]`` accelerators bought (integer, in lots of ``unit_size``);
- ``fleet[s,g,t]`` bought accelerators still in service (integer); retirements are
  ``fleet[t-1] + buy[t] - fleet[t] >= 0`` and are sold at the generation's market value;
- ``keep[k,t]`` accelerators of existing cohort ``k`` still in service (integer,
  non-increasing, zero once the cohort reaches the end of its life);
- ``build[s,t]`` grid MW of facility built (continuous);
- ``rent[g,t]`` units of a generation rented for year ``t`` (continuous; only where the plan
  allows renting and a rental price exists): capacity without capex, power or site, paid at the
  rental price for every hour of the year.

Constraints: power used at a site within its built capacity, built capacity within the power
available by that year, demand (compute) per year, capital budget per year, supply caps per
generation and year, and a maximum service life (units in service never exceed the purchases
of the last ``life`` years, which is exact under oldest-first retirement).

Objective ``"cost"``: least net present cost, every cash flow dated at the start of its year
and discounted at ``discount_rate``: capex, power and operations, minus resale of retired
accelerators at market value, plus rentals, minus the value of the fleet and the undepreciated
facility at the end of the horizon. Objective ``"compute"``: the most PFLOP/s-years within the same
constraints. The marginal value of one more MW available at a site in a year is the dual of
its power-availability row in the LP relaxation (``scipy.optimize.linprog(method="highs")``).
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import _checks
from ..errors import InputError, ScenarioError
from ..results import ResultMixin

#: Tolerance below which a constraint's slack counts as binding.
BINDING_TOL = 1e-6


class InfeasiblePlanError(ScenarioError):
    """A plan no build-out can satisfy; the message says which constraint binds and by how much."""


#: Display names of the capacity units a plan can count demand in.
CAPACITY_LABELS = {"pflop_per_s": "PFLOP/s", "output_tokens_per_s": "output tokens/s"}


@dataclass
class FleetProblem:
    """Every number of a build-out problem, in arrays (canonical units, one unit = ``unit_size``
    accelerators).

    Shapes: ``S`` sites, ``G`` generations, ``T`` years, ``K`` existing cohorts.

    Attributes
    ----------
    years : list of int
        Planning years (``T``). [year]
    sites, generations : list of str
        Names (``S``, ``G``).
    compute_per_unit : (G,) array
        Compute of one unit. [PFLOP/s]
    capex_per_unit : (S, G) array
        Purchase cost of one unit with its server share and network. [USD]
    opex_per_unit_year : (S, G) array
        Power and operations of one unit in service for a year. [USD/year]
    mw_per_unit : (S, G) array
        Grid power of one unit (IT times PUE). [MW]
    resale_per_unit : (G, T + 1) array
        Market value of one unit sold at the start of each year; the last column values the
        fleet at the end of the horizon. [USD]
    launch_year : (G,) array
        First year a generation can be bought. [year]
    life_years : (G,) array of int
        Maximum service life of bought units. [year]
    supply_cap : (G, T) array
        Units of each generation purchasable per year across all sites (``inf``: no cap).
    build_cost_per_mw : (S,) array
        Facility cost per grid MW. [USD/MW]
    facility_life_years : float
        Straight-line life of the facility for its end-of-horizon value. [year]
    power_available_mw : (S, T) array
        Grid power available at each site in each year (including existing capacity). [MW]
    existing_mw : (S,) array
        Facility capacity already built. [MW]
    existing_site, existing_gen : (K,) int arrays
        Site and generation index of each existing cohort.
    existing_units : (K,) array
        Units in each cohort.
    existing_years_left : (K,) int array
        Years each cohort may still run (0: must go at once).
    demand : (T,) array
        Compute required in each year (0: none). [PFLOP/s]
    budget : (T,) array
        Capital budget per year (``inf``: none). [USD/year]
    discount_rate : float
        Discount rate of the net present cost. [1/year]
    unit_size : float
        Accelerators per unit. [count]
    rent_per_unit_year : (G, T) array, optional
        Cost of renting one unit for a year (``inf``: not rentable; default none is). [USD/year]
    allowed : (S, G) bool array, optional
        May a site buy a generation (export rules); default every pair may.
    """

    years: list
    sites: list
    generations: list
    compute_per_unit: Any
    capex_per_unit: Any
    opex_per_unit_year: Any
    mw_per_unit: Any
    resale_per_unit: Any
    launch_year: Any
    life_years: Any
    supply_cap: Any
    build_cost_per_mw: Any
    power_available_mw: Any
    existing_mw: Any
    demand: Any
    budget: Any
    discount_rate: float = 0.08
    facility_life_years: float = 20.0
    existing_site: Any = field(default_factory=lambda: np.zeros(0, int))
    existing_gen: Any = field(default_factory=lambda: np.zeros(0, int))
    existing_units: Any = field(default_factory=lambda: np.zeros(0))
    existing_years_left: Any = field(default_factory=lambda: np.zeros(0, int))
    unit_size: float = 1.0
    capacity_unit: str = "pflop_per_s"  # what compute_per_unit and demand count
    rent_per_unit_year: Any = np.inf
    allowed: Any = True

    @property
    def capacity_label(self) -> str:
        return CAPACITY_LABELS.get(self.capacity_unit, self.capacity_unit)

    def __post_init__(self):
        S, G, T = len(self.sites), len(self.generations), len(self.years)
        f = lambda x: np.asarray(x, dtype=float)  # noqa: E731
        self.compute_per_unit = f(self.compute_per_unit).reshape(G)
        self.capex_per_unit = np.broadcast_to(f(self.capex_per_unit), (S, G)).copy()
        self.opex_per_unit_year = np.broadcast_to(f(self.opex_per_unit_year), (S, G)).copy()
        self.mw_per_unit = np.broadcast_to(f(self.mw_per_unit), (S, G)).copy()
        self.resale_per_unit = np.broadcast_to(f(self.resale_per_unit), (G, T + 1)).copy()
        self.launch_year = np.broadcast_to(f(self.launch_year), (G,)).copy()
        self.life_years = np.broadcast_to(np.asarray(self.life_years, dtype=int), (G,)).copy()
        self.supply_cap = np.broadcast_to(f(self.supply_cap), (G, T)).copy()
        self.build_cost_per_mw = np.broadcast_to(f(self.build_cost_per_mw), (S,)).copy()
        self.power_available_mw = np.broadcast_to(f(self.power_available_mw), (S, T)).copy()
        self.existing_mw = np.broadcast_to(f(self.existing_mw), (S,)).copy()
        self.demand = np.broadcast_to(f(self.demand), (T,)).copy()
        self.budget = np.broadcast_to(f(self.budget), (T,)).copy()
        self.existing_site = np.asarray(self.existing_site, dtype=int)
        self.existing_gen = np.asarray(self.existing_gen, dtype=int)
        self.existing_units = f(self.existing_units)
        self.existing_years_left = np.asarray(self.existing_years_left, dtype=int)
        self.rent_per_unit_year = np.broadcast_to(f(self.rent_per_unit_year), (G, T)).copy()
        self.allowed = np.broadcast_to(np.asarray(self.allowed, dtype=bool), (S, G)).copy()
        _checks.non_negative("rent_per_unit_year", self.rent_per_unit_year)
        _checks.positive("compute_per_unit", self.compute_per_unit)
        _checks.non_negative("capex_per_unit", self.capex_per_unit)
        _checks.non_negative("opex_per_unit_year", self.opex_per_unit_year)
        _checks.positive("mw_per_unit", self.mw_per_unit)
        _checks.non_negative("resale_per_unit", self.resale_per_unit)
        _checks.at_least("life_years", self.life_years, 1)
        _checks.non_negative("supply_cap", self.supply_cap)
        _checks.non_negative("build_cost_per_mw", self.build_cost_per_mw)
        _checks.non_negative("power_available_mw", self.power_available_mw)
        _checks.non_negative("existing_mw", self.existing_mw)
        _checks.non_negative("demand", self.demand)
        _checks.non_negative("budget", self.budget)
        _checks.non_negative("existing_units", self.existing_units)
        _checks.above("discount_rate", self.discount_rate, -1.0)

    @property
    def shape(self) -> tuple[int, int, int, int]:
        """``(S, G, T, K)``."""
        return len(self.sites), len(self.generations), len(self.years), len(self.existing_units)


# --------------------------------------------------------------------------------------------
# Model assembly
# --------------------------------------------------------------------------------------------

@dataclass
class _Model:
    c: np.ndarray
    const: float
    A: Any  # scipy.sparse csr
    lb_row: np.ndarray
    ub_row: np.ndarray
    lb: np.ndarray
    ub: np.ndarray
    integrality: np.ndarray
    rows: dict  # family -> (start, stop, index array shape)
    idx: dict  # variable family -> index array


def _index(p: FleetProblem) -> tuple[dict, int]:
    S, G, T, K = p.shape
    n = 0
    idx = {}
    for name, shape in (("buy", (S, G, T)), ("fleet", (S, G, T)), ("keep", (K, T)),
                        ("build", (S, T)), ("rent", (G, T))):
        size = int(np.prod(shape))
        idx[name] = np.arange(n, n + size).reshape(shape)
        n += size
    return idx, n


def _assemble(p: FleetProblem, objective: str = "cost", *, relax: dict | None = None) -> _Model:
    """Objective, constraint matrix and bounds. ``relax`` maps families to True to drop them."""
    from scipy import sparse

    relax = relax or {}
    S, G, T, K = p.shape
    idx, n = _index(p)
    d = (1.0 + p.discount_rate) ** -np.arange(T + 1.0)
    v = p.resale_per_unit  # (G, T+1)
    years = np.asarray(p.years, dtype=float)

    c = np.zeros(n)
    const = 0.0
    if objective == "cost":
        c[idx["buy"]] = d[:T] * p.capex_per_unit[:, :, None] - (d[:T] * v[:, :T])[None]
        sale = (d[:T] * v[:, :T]) - (d[1:] * v[:, 1:])  # (G, T): +d_t v_t - d_{t+1} v_{t+1}
        c[idx["fleet"]] = d[:T] * p.opex_per_unit_year[:, :, None] + sale[None]
        if K:
            c[idx["keep"]] = (d[:T] * p.opex_per_unit_year[p.existing_site, p.existing_gen][:, None]
                              + sale[p.existing_gen])
            const -= float(np.sum(p.existing_units * v[p.existing_gen, 0]))
        left = np.clip(1.0 - (T - np.arange(T)) / p.facility_life_years, 0.0, 1.0)
        c[idx["build"]] = p.build_cost_per_mw[:, None] * (d[:T] - d[T] * left)[None]
        rentable = np.isfinite(p.rent_per_unit_year)
        c[idx["rent"]] = np.where(rentable, d[:T] * np.where(rentable, p.rent_per_unit_year, 0.0),
                                  0.0)
    elif objective == "compute":
        c[idx["fleet"]] = -np.broadcast_to(p.compute_per_unit[None, :, None], (S, G, T))
        # renting is a cost decision: the compute objective maximises what is owned
        if K:
            c[idx["keep"]] = -p.compute_per_unit[p.existing_gen][:, None]
    else:
        raise InputError(f"objective must be 'cost' or 'compute', got {objective!r}")

    lb = np.zeros(n)
    ub = np.full(n, np.inf)
    not_launched = years[None, :] < p.launch_year[:, None]  # (G, T)
    ub[idx["buy"][:, not_launched]] = 0.0
    ub[idx["buy"][~p.allowed]] = 0.0  # export rules: the site may not host the generation
    ub[idx["rent"]] = np.where(np.isfinite(p.rent_per_unit_year) & (objective == "cost"),
                               np.inf, 0.0)
    if K:
        alive = np.arange(T)[None, :] < p.existing_years_left[:, None]
        ub[idx["keep"]] = np.where(alive, p.existing_units[:, None], 0.0)
    integrality = np.zeros(n, dtype=int)
    integrality[idx["buy"].ravel()] = 1
    integrality[idx["fleet"].ravel()] = 1
    if K:
        integrality[idx["keep"].ravel()] = 1

    rows_i, cols, vals = [], [], []
    lo, hi = [], []
    families = {}
    r = 0

    def family(name, count):
        nonlocal r
        families[name] = (r, r + count)
        r += count
        return np.arange(r - count, r)

    def add(row_ids, col_ids, values):
        row_ids, col_ids, values = np.broadcast_arrays(row_ids, col_ids, values)
        rows_i.append(row_ids.ravel())
        cols.append(col_ids.ravel())
        vals.append(values.ravel().astype(float))

    # 1. Retirements non-negative: fleet[t] - fleet[t-1] - buy[t] <= 0
    rid = family("flow", S * G * T).reshape(S, G, T)
    add(rid, idx["fleet"], 1.0)
    add(rid, idx["buy"], -1.0)
    add(rid[:, :, 1:], idx["fleet"][:, :, :-1], -1.0)
    lo.append(np.full(S * G * T, -np.inf))
    hi.append(np.zeros(S * G * T))

    # 2. Life: fleet[t] - sum_{tau in (t-L, t]} buy[tau] <= 0
    rid = family("life", S * G * T).reshape(S, G, T)
    add(rid, idx["fleet"], 1.0)
    for g in range(G):
        L = int(p.life_years[g])
        for t in range(T):
            taus = np.arange(max(0, t - L + 1), t + 1)
            add(rid[:, g, t][:, None], idx["buy"][:, g, taus], -1.0)
    lo.append(np.full(S * G * T, -np.inf))
    hi.append(np.zeros(S * G * T))

    # 3. Existing cohorts only shrink: keep[t] - keep[t-1] <= 0
    if K and T > 1:
        rid = family("existing", K * (T - 1)).reshape(K, T - 1)
        add(rid, idx["keep"][:, 1:], 1.0)
        add(rid, idx["keep"][:, :-1], -1.0)
        lo.append(np.full(K * (T - 1), -np.inf))
        hi.append(np.zeros(K * (T - 1)))

    # 4. Power used within built capacity:
    #    sum_g mw * (fleet + keep) - sum_{tau<=t} build <= existing_mw
    rid = family("power_used", S * T).reshape(S, T)
    add(rid[:, None, :], idx["fleet"], p.mw_per_unit[:, :, None])
    if K:
        add(rid[p.existing_site], idx["keep"], p.mw_per_unit[p.existing_site, p.existing_gen][:, None])
    tri = np.tril(np.ones((T, T)))  # [t, tau] = tau <= t
    tt, tau = np.nonzero(tri)
    add(rid[:, tt], idx["build"][:, tau], -1.0)
    lo.append(np.full(S * T, -np.inf))
    hi.append(np.repeat(p.existing_mw, T))

    # 5. Built capacity within power available: sum_{tau<=t} build <= avail - existing
    rid = family("power_available", S * T).reshape(S, T)
    add(rid[:, tt], idx["build"][:, tau], 1.0)
    lo.append(np.full(S * T, -np.inf))
    cap = np.maximum(p.power_available_mw - p.existing_mw[:, None], 0.0)
    hi.append((np.full(S * T, np.inf) if relax.get("power") else cap.ravel()))

    # 6. Demand: sum compute >= demand
    rid = family("demand", T)
    add(rid[None, None, :], idx["fleet"], p.compute_per_unit[None, :, None])
    if K:
        add(rid[None, :], idx["keep"], p.compute_per_unit[p.existing_gen][:, None])
    add(rid[None, :], idx["rent"], p.compute_per_unit[:, None])
    lo.append(p.demand.copy())
    hi.append(np.full(T, np.inf))

    # 7. Budget: capex in year t <= budget
    rid = family("budget", T)
    add(rid[None, None, :], idx["buy"], p.capex_per_unit[:, :, None])
    add(rid[None, :], idx["build"], p.build_cost_per_mw[:, None])
    lo.append(np.full(T, -np.inf))
    hi.append(np.full(T, np.inf) if relax.get("budget") else p.budget.copy())

    # 8. Supply: sum_s buy <= cap
    rid = family("supply", G * T).reshape(G, T)
    add(rid[None], idx["buy"], 1.0)
    lo.append(np.full(G * T, -np.inf))
    hi.append(np.full(G * T, np.inf) if relax.get("supply") else p.supply_cap.ravel().copy())

    A = sparse.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows_i), np.concatenate(cols))), shape=(r, n)
    )
    return _Model(c, const, A, np.concatenate(lo), np.concatenate(hi), lb, ub, integrality,
                  families, idx)


def _solve_lp(model: _Model):
    """LP relaxation through linprog/HiGHS, rows as A_ub x <= b_ub (infinite rows dropped)."""
    from scipy import sparse
    from scipy.optimize import linprog

    A = model.A
    up = np.isfinite(model.ub_row)
    dn = np.isfinite(model.lb_row)
    A_ub = sparse.vstack([A[up], -A[dn]]).tocsr()
    b_ub = np.concatenate([model.ub_row[up], -model.lb_row[dn]])
    res = linprog(model.c, A_ub=A_ub, b_ub=b_ub, bounds=np.c_[model.lb, model.ub],
                  method="highs")
    duals = None
    if res.status == 0:
        m = res.ineqlin.marginals
        duals = np.zeros(A.shape[0])
        duals[np.nonzero(up)[0]] += m[: up.sum()]
        duals[np.nonzero(dn)[0]] -= m[up.sum():]
    return res, duals


class _quiet_stdout:
    """Silence HiGHS messages written straight to file descriptor 1 (they would corrupt JSON)."""

    def __enter__(self):
        import os
        import sys

        try:
            sys.stdout.flush()
            self._fd = os.dup(1)
        except (OSError, ValueError):
            self._fd = None
            return self
        self._null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(self._null, 1)
        return self

    def __exit__(self, *exc):
        import os

        if self._fd is not None:
            os.dup2(self._fd, 1)
            os.close(self._fd)
            os.close(self._null)
        return False


def _rens(model: _Model, lp_res, mip_rel_gap: float):
    """An integer plan within ``mip_rel_gap`` of the LP bound, from the LP relaxation.

    Build-out LPs are nearly integral: a 30-site, 8-generation, 10-year plan has about 80
    nonzero values among 4,800 integers, most of them fractional. Two neighbourhoods of the LP
    solution are searched as small MILPs, the first that holds a plan within the gap wins:

    1. relaxation-enforced neighbourhood search (RENS, Berthold 2014): integers whose LP value
       is whole are fixed to it, fractional ones bounded by their floor and ceiling;
    2. the integers the LP leaves at zero are fixed to zero, the others keep their bounds (a
       lot may move between sites, which the supply caps often require);
    3. only the site-generation pairs the LP never uses (in no year) are closed; every year of
       the others is free, so a lot can move to an earlier year (what a yearly budget with
       whole lots often requires: the 1 GW example's first two neighbourhoods hold no plan,
       this one holds one 4.7e-5 from the bound in 0.4 s, where the full branch and bound
       took 3.7 s).

    Either plan is feasible for the full problem and its distance to the LP bound is a proven
    optimality gap. Returns ``(x, gap)``, or ``(None, None)`` when neither neighbourhood holds
    a plan within the gap (the caller then runs the full branch and bound).

    References
    ----------
    .. [1] T. Berthold, "RENS: the optimal rounding", Math. Prog. Comp. 6 (2014) 33-54.
    """
    x_lp = lp_res.x
    ints = model.integrality == 1
    whole = ints & (np.abs(x_lp - np.round(x_lp)) <= 1e-6)
    zero = whole & (np.abs(x_lp) <= 1e-6)
    rens_lb, rens_ub = model.lb.copy(), model.ub.copy()
    rens_lb[whole] = rens_ub[whole] = np.round(x_lp[whole])
    frac = ints & ~whole
    rens_lb[frac] = np.maximum(model.lb[frac], np.floor(x_lp[frac]))
    rens_ub[frac] = np.minimum(model.ub[frac], np.ceil(x_lp[frac]))
    zero_ub = model.ub.copy()
    zero_ub[zero] = 0.0
    buy, fleet = model.idx["buy"], model.idx["fleet"]
    used = (np.abs(x_lp[fleet]) > 1e-6).any(axis=-1) | (np.abs(x_lp[buy]) > 1e-6).any(axis=-1)
    pair_ub = model.ub.copy()
    pair_ub[buy[~used]] = 0.0
    pair_ub[fleet[~used]] = 0.0
    bound = float(lp_res.fun)
    for lb, ub in ((rens_lb, rens_ub), (model.lb, zero_ub), (model.lb, pair_ub)):
        res = _solve_milp(dataclasses.replace(model, lb=lb, ub=ub), time_limit=30.0,
                          mip_rel_gap=mip_rel_gap / 2)
        if res.x is None or res.status not in (0, 1):
            continue
        value = float(model.c @ res.x)
        gap = max(value - bound, 0.0) / max(abs(value), 1e-9)
        if gap <= mip_rel_gap:
            return res.x, gap
    return None, None


def _solve_milp(model: _Model, *, time_limit=60.0, mip_rel_gap=1e-4):
    from scipy.optimize import Bounds, LinearConstraint, milp

    with _quiet_stdout():
        return milp(model.c, constraints=LinearConstraint(model.A, model.lb_row, model.ub_row),
                    integrality=model.integrality, bounds=Bounds(model.lb, model.ub),
                    options={"time_limit": time_limit, "mip_rel_gap": mip_rel_gap,
                             "presolve": True})


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------

@dataclass
class PlanResult(ResultMixin):
    """The optimal plan, its costs, binding constraints and the value of one more MW.

    ``plan`` has one row per year x site x generation with accelerators in service, bought
    and retired (bought units and existing ones) and the MW they use. ``sites`` has one row per
    year x site with MW built, capacity and ``mw_value_usd``: the drop in net present cost from
    one more MW of power available at that site in that year (present-value USD per MW; for
    the compute objective, PFLOP/s-years per MW in ``mw_value``).
    """

    status: str
    objective: str
    npv_usd: float | None
    compute_pflop_s_years: float | None
    plan: list = field(default_factory=list)
    sites: list = field(default_factory=list)
    costs: list = field(default_factory=list)
    binding_constraints: list = field(default_factory=list)
    mw_value_usd: list = field(default_factory=list)
    explanation: list = field(default_factory=list)
    model_size: dict = field(default_factory=dict)
    capacity_unit: str = "pflop_per_s"  # unit of the capacity and demand columns
    solve_seconds: float = 0.0
    mip_gap: float | None = None  # proven: (plan - LP bound) / |plan|, at most mip_rel_gap
    x: Any = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return self.status == "optimal"

    def raise_for_status(self) -> PlanResult:
        """Raise :class:`InfeasiblePlanError` with the explanation unless a plan was found."""
        if not self.ok:
            why = "; ".join(self.explanation) or f"solver status {self.status}"
            raise InfeasiblePlanError(f"no feasible plan: {why}")
        return self

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "x"}

    def _repr_html_(self) -> str:
        """Notebook display: the net present cost, the fleet by generation per year, the
        binding constraints."""
        from ..results import html_card, number

        if not self.ok:
            return html_card("Build-out plan", f"no feasible plan ({self.status})",
                             inputs=[("why", e) for e in self.explanation])
        years = sorted({r["year"] for r in self.plan})
        fleet = self.fleet_by_generation()
        headline = (f"net present cost ${number(self.npv_usd / 1e9, 3)}B"
                    if self.npv_usd is not None else
                    f"{number(self.compute_pflop_s_years)} PFLOP/s-years")
        return html_card(
            f"Build-out plan ({self.objective}), {years[0]}-{years[-1]}" if years else "Plan",
            headline,
            inputs=[("binding constraints", ", ".join(sorted(
                {b["constraint"] for b in self.binding_constraints})) or "none"),
                    ("variables / constraints", f"{self.model_size.get('variables', 0):,} / "
                                                f"{self.model_size.get('constraints', 0):,}"),
                    ("solved in [s]", self.solve_seconds)],
            tables=[("Accelerators in service by generation",
                     [{"year": str(y), **{g: v[i] for g, v in fleet.items()}}
                      for i, y in enumerate(years)])])

    def fleet_by_generation(self) -> dict[str, list[float]]:
        """Accelerators in service per generation (all sites) for each plan year."""
        years = sorted({r["year"] for r in self.plan})
        out: dict[str, list[float]] = {}
        for r in self.plan:
            out.setdefault(r["generation"], [0.0] * len(years))
            out[r["generation"]][years.index(r["year"])] += r["in_service"]
        return out


def evaluate(problem: FleetProblem, x, objective="cost") -> float:
    """Objective value of a decision vector (the NPV in USD for ``"cost"``)."""
    model = _assemble(problem, objective)
    return float(model.c @ np.asarray(x, dtype=float) + model.const)


def violation(problem: FleetProblem, x) -> float:
    """Largest constraint or bound violation of a decision vector (0 when feasible)."""
    m = _assemble(problem, "cost")
    x = np.asarray(x, dtype=float)
    ax = m.A @ x
    viol = np.concatenate([m.lb_row - ax, ax - m.ub_row, m.lb - x, x - m.ub])
    viol = viol[np.isfinite(viol)]
    return float(max(viol.max(initial=0.0), 0.0))


def solve(problem: FleetProblem, objective: str = "cost", *, relax_integrality=False,
          duals=True, time_limit=60.0, mip_rel_gap=1e-4) -> PlanResult:
    """Optimal build-out plan of ``problem``.

    Parameters
    ----------
    problem : FleetProblem
    objective : {"cost", "compute"}
        Least net present cost, or the most PFLOP/s-years.
    relax_integrality : bool
        Solve the LP relaxation only (continuous accelerator counts).
    duals : bool
        Compute the marginal value of one more MW from the LP relaxation.
    time_limit : float
        Solver time limit. [s]
    mip_rel_gap : float
        Relative optimality gap at which HiGHS stops. [dimensionless]

    Returns
    -------
    PlanResult
        With ``status`` ``"optimal"`` or ``"infeasible"`` (and ``explanation``).

    Examples
    --------
    One site, one generation of 1 PFLOP/s per unit, demand 2.5 PFLOP/s: three units.

    >>> p = FleetProblem(years=[2026], sites=["a"], generations=["g"], compute_per_unit=[1.0],
    ...     capex_per_unit=100.0, opex_per_unit_year=10.0, mw_per_unit=1.0,
    ...     resale_per_unit=0.0, launch_year=2026, life_years=5, supply_cap=np.inf,
    ...     build_cost_per_mw=50.0, power_available_mw=10.0, existing_mw=0.0, demand=2.5,
    ...     budget=np.inf, discount_rate=0.0, facility_life_years=1.0)
    >>> r = solve(p)
    >>> r.status, r.plan[0]["bought"], r.npv_usd
    ('optimal', 3.0, 480.0)
    """
    t0 = time.perf_counter()
    model = _assemble(problem, objective)
    size = {"variables": int(model.A.shape[1]), "integer_variables": int(model.integrality.sum()),
            "constraints": int(model.A.shape[0]), "nonzeros": int(model.A.nnz)}
    lp_res, lp_duals = _solve_lp(model) if (duals or relax_integrality) else (None, None)
    if relax_integrality:
        ok = lp_res.status == 0
        x = lp_res.x if ok else None
        status = "optimal" if ok else ("infeasible" if lp_res.status == 2 else lp_res.message)
    else:
        if lp_res is None:
            lp_res, _ = _solve_lp(model)
        x, gap = _rens(model, lp_res, mip_rel_gap) if lp_res.status == 0 else (None, None)
        if x is not None:
            status = "optimal"
        else:
            res = _solve_milp(model, time_limit=time_limit, mip_rel_gap=mip_rel_gap)
            ok = res.x is not None and res.status in (0, 1)
            x = res.x if ok else None
            gap = getattr(res, "mip_gap", None) if ok else None
            status = ("optimal" if res.status == 0 else "time_limit" if ok else
                      "infeasible" if res.status == 2 else f"failed: {res.message}")
    if x is None:
        result = PlanResult(status=status, objective=objective, npv_usd=None,
                            compute_pflop_s_years=None, model_size=size,
                            explanation=explain_infeasible(problem) if status == "infeasible" else [])
        result.solve_seconds = time.perf_counter() - t0
        return result
    if not relax_integrality:
        x = np.where(model.integrality == 1, np.round(x), x)
    result = _result(problem, model, x, objective, status, lp_duals if duals else None)
    result.model_size = size
    if not relax_integrality:
        result.mip_gap = None if gap is None else float(gap)
    result.solve_seconds = time.perf_counter() - t0
    return result


def _result(p, model, x, objective, status, lp_duals) -> PlanResult:
    S, G, T, K = p.shape
    idx = model.idx
    buy, fleet, build = x[idx["buy"]], x[idx["fleet"]], x[idx["build"]]
    rent = x[idx["rent"]]
    keep = x[idx["keep"]] if K else np.zeros((0, T))
    keep_sg = np.zeros((S, G, T))
    start_sg = np.zeros((S, G))
    for k in range(K):
        keep_sg[p.existing_site[k], p.existing_gen[k]] += keep[k]
        start_sg[p.existing_site[k], p.existing_gen[k]] += p.existing_units[k]
    prev_fleet = np.concatenate([np.zeros((S, G, 1)), fleet[:, :, :-1]], axis=2)
    retired_new = prev_fleet + buy - fleet
    prev_keep = np.concatenate([start_sg[:, :, None], keep_sg[:, :, :-1]], axis=2)
    retired_old = prev_keep - keep_sg
    in_service = fleet + keep_sg
    u = p.unit_size
    plan = []
    for t in range(T):
        for s in range(S):
            for g in range(G):
                if in_service[s, g, t] or buy[s, g, t] or retired_new[s, g, t] or retired_old[s, g, t]:
                    plan.append({
                        "year": int(p.years[t]), "site": p.sites[s], "generation": p.generations[g],
                        "in_service": float(in_service[s, g, t] * u),
                        "bought": float(buy[s, g, t] * u),
                        "retired": float((retired_new[s, g, t] + retired_old[s, g, t]) * u),
                        "existing_in_service": float(keep_sg[s, g, t] * u),
                        "mw": float(in_service[s, g, t] * p.mw_per_unit[s, g]),
                        p.capacity_unit: float(in_service[s, g, t] * p.compute_per_unit[g]),
                    })
    for t in range(T):
        for g in range(G):
            if rent[g, t] > 1e-9:
                plan.append({
                    "year": int(p.years[t]), "site": "rented", "generation": p.generations[g],
                    "in_service": float(rent[g, t] * u), "bought": 0.0, "retired": 0.0,
                    "existing_in_service": 0.0, "mw": 0.0,
                    p.capacity_unit: float(rent[g, t] * p.compute_per_unit[g]),
                })
    capacity = p.existing_mw[:, None] + np.cumsum(build, axis=1)
    used = np.einsum("sgt,sg->st", in_service, p.mw_per_unit)
    rows = model.rows
    mw_value = np.full((S, T), np.nan)
    if lp_duals is not None:
        a, b = rows["power_available"]
        sign = 1.0 if objective == "cost" else -1.0
        # d(cost)/d(avail) <= 0; the value of a MW is its negative.
        mw_value = -sign * lp_duals[a:b].reshape(S, T)
        mw_value = np.where(np.abs(mw_value) < 1e-9, 0.0, mw_value)
    sites = []
    for t in range(T):
        for s in range(S):
            sites.append({
                "year": int(p.years[t]), "site": p.sites[s], "mw_built": float(build[s, t]),
                "capacity_mw": float(capacity[s, t]), "mw_used": float(used[s, t]),
                "power_available_mw": float(p.power_available_mw[s, t]),
                "mw_value": None if np.isnan(mw_value[s, t]) else float(mw_value[s, t]),
            })
    d = (1.0 + p.discount_rate) ** -np.arange(T + 1.0)
    v = p.resale_per_unit
    costs = []
    for t in range(T):
        capex = float(np.sum(p.capex_per_unit * buy[:, :, t]) + np.sum(p.build_cost_per_mw * build[:, t]))
        rented = np.where(np.isfinite(p.rent_per_unit_year[:, t]), p.rent_per_unit_year[:, t], 0.0)
        opex = float(np.sum(p.opex_per_unit_year * in_service[:, :, t]) + np.sum(rented * rent[:, t]))
        resale = float(np.sum((retired_new[:, :, t] + retired_old[:, :, t]) * v[None, :, t]))
        costs.append({"year": int(p.years[t]), "capex_usd": capex, "opex_usd": opex,
                      "resale_usd": resale, "net_usd": capex + opex - resale,
                      "discount_factor": float(d[t]),
                      p.capacity_unit: float(np.sum(in_service[:, :, t] * p.compute_per_unit[None])
                                             + np.sum(rent[:, t] * p.compute_per_unit)),
                      f"demand_{p.capacity_unit}": float(p.demand[t])})
    npv = evaluate(p, x, "cost")
    compute = float(np.sum(in_service * p.compute_per_unit[None, :, None]))
    binding = _binding(p, model, x, lp_duals, objective)
    mw_usd = []
    if objective == "cost" and lp_duals is not None:
        mw_usd = [{"year": r["year"], "site": r["site"], "usd_per_mw": r["mw_value"]} for r in sites]
    return PlanResult(status=status, objective=objective, npv_usd=npv,
                      compute_pflop_s_years=compute, plan=plan, sites=sites, costs=costs,
                      binding_constraints=binding, mw_value_usd=mw_usd, x=x,
                      capacity_unit=p.capacity_unit)


def _binding(p, model, x, lp_duals, objective) -> list[dict]:
    S, G, T, K = p.shape
    ax = model.A @ x
    out = []
    for fam, label in (("power_available", "power available"), ("budget", "capital budget"),
                       ("supply", "supply cap"), ("demand", "demand")):
        a, b = model.rows[fam]
        for i in range(a, b):
            bound = model.lb_row[i] if fam == "demand" else model.ub_row[i]
            if not np.isfinite(bound):
                continue
            slack = abs(ax[i] - bound)
            if slack > BINDING_TOL * max(1.0, abs(bound)):
                continue
            j = i - a
            row = {"constraint": label}
            if fam == "power_available":
                s, t = divmod(j, T)
                if p.power_available_mw[s, t] <= p.existing_mw[s] and ax[i] == 0:
                    continue
                row.update(site=p.sites[s], year=int(p.years[t]),
                           limit=float(p.power_available_mw[s, t]), unit="MW")
            elif fam == "supply":
                g, t = divmod(j, T)
                row.update(generation=p.generations[g], year=int(p.years[t]),
                           limit=float(bound * p.unit_size), unit="accelerators")
            else:
                row.update(year=int(p.years[j]), limit=float(bound),
                           unit="USD" if fam == "budget" else p.capacity_label)
            if lp_duals is not None:
                row["dual"] = float(lp_duals[i])
            out.append(row)
    return out


# --------------------------------------------------------------------------------------------
# Infeasibility: which constraint binds, and by how much
# --------------------------------------------------------------------------------------------

def _fmt_mw(mw: float) -> str:
    return f"{mw / 1e3:,.2f} GW" if mw >= 1000 else f"{mw:,.0f} MW"


def _existing_compute(p: FleetProblem, t: int) -> float:
    alive = p.existing_years_left > t
    return float(np.sum(p.existing_units[alive] * p.compute_per_unit[p.existing_gen[alive]]))


def explain_infeasible(p: FleetProblem) -> list[str]:
    """Why no plan meets the demand: per year, the first constraint that cannot be met alone,
    with what is needed and what is available; else the constraints that bind jointly."""
    S, G, T, K = p.shape
    years = np.asarray(p.years, dtype=float)
    out = []
    avail = np.maximum(p.power_available_mw, p.existing_mw[:, None])
    for t in range(T):
        need = p.demand[t]
        if need <= 0:
            continue
        y = int(p.years[t])
        launched = p.launch_year <= years[t]
        usable = launched.copy()
        usable[p.existing_gen[p.existing_years_left > t]] = True
        # Power: the best compute per MW at each site bounds what its power can deliver.
        per_mw = np.where(usable[None, :], p.compute_per_unit[None, :] / p.mw_per_unit, 0.0)
        best = per_mw.max(axis=1)
        max_compute = float(np.sum(avail[:, t] * best))
        if need > max_compute * (1 + 1e-9):
            need_mw = need / best.max() if best.max() > 0 else np.inf
            out.append(f"demand in {y} needs at least {_fmt_mw(need_mw)} of power even with the "
                       f"most efficient generation available; at most {_fmt_mw(avail[:, t].sum())} "
                       f"is available by then (short by {_fmt_mw(need_mw - avail[:, t].sum())})")
            continue
        # Supply: existing fleet still alive plus every purchase the caps allow within life.
        existing = _existing_compute(p, t)
        buyable = 0.0
        for g in np.nonzero(launched)[0]:
            window = [tau for tau in range(t + 1)
                      if t - tau < p.life_years[g] and years[tau] >= p.launch_year[g]]
            buyable += float(np.sum(p.supply_cap[g, window])) * p.compute_per_unit[g]
        if need > existing + buyable * (1 + 1e-9):
            out.append(f"demand in {y} is {need:,.0f} {p.capacity_label}; the existing fleet and every "
                       f"accelerator the supply caps allow by then give at most "
                       f"{existing + buyable:,.0f} {p.capacity_label} (short by {need - existing - buyable:,.0f})")
            continue
        # Budget: the cheapest capex per PFLOP/s (with its facility) times the compute to add.
        to_add = max(need - existing, 0.0)
        unit_cost = (p.capex_per_unit + p.build_cost_per_mw[:, None] * p.mw_per_unit) \
            / p.compute_per_unit[None, :]
        unit_cost = np.where(launched[None, :], unit_cost, np.inf).min()
        spend = float(np.sum(p.budget[: t + 1]))
        if to_add > 0 and to_add * unit_cost > spend * (1 + 1e-9):
            out.append(f"demand in {y} needs at least ${to_add * unit_cost / 1e9:,.2f}B of capital "
                       f"by then at the cheapest capex per {p.capacity_label}; the budget allows "
                       f"${spend / 1e9:,.2f}B (short by ${(to_add * unit_cost - spend) / 1e9:,.2f}B)")
    if out:
        return out
    # Jointly binding: which families, relaxed alone, restore feasibility.
    fixes = []
    for fam in ("power", "budget", "supply"):
        res, _ = _solve_lp(_assemble(p, "cost", relax={fam: True}))
        if res.status == 0:
            fixes.append(fam)
    short = _elastic_shortfall(p)
    detail = ", ".join(f"{int(p.years[t])}: {s:,.0f} {p.capacity_label}" for t, s in short if s > 1e-6)
    which = (" or ".join(fixes) + " alone would make it feasible") if fixes else \
        "no single constraint family (power, budget, supply) explains it; they bind together"
    return [f"demand cannot be met in every year (shortfall {detail or 'fractional'}); "
            f"relaxing {which}"]


def _elastic_shortfall(p: FleetProblem) -> list[tuple[int, float]]:
    """Least total unmet demand per year (LP with a slack on each demand row)."""
    from scipy import sparse
    from scipy.optimize import linprog

    m = _assemble(p, "cost")
    T = len(p.years)
    a, b = m.rows["demand"]
    n = m.A.shape[1]
    slack_cols = sparse.csr_matrix((np.ones(T), (np.arange(a, b), np.arange(T))),
                                   shape=(m.A.shape[0], T))
    A = sparse.hstack([m.A, slack_cols]).tocsr()
    up = np.isfinite(m.ub_row)
    dn = np.isfinite(m.lb_row)
    A_ub = sparse.vstack([A[up], -A[dn]]).tocsr()
    b_ub = np.concatenate([m.ub_row[up], -m.lb_row[dn]])
    c = np.concatenate([np.zeros(n), np.ones(T) / np.maximum(p.demand, 1.0)])
    bounds = np.r_[np.c_[m.lb, m.ub], np.c_[np.zeros(T), np.full(T, np.inf)]]
    res = linprog(c, A_ub=A_ub, b_ub=b_ub, bounds=bounds, method="highs")
    if res.status != 0:
        return []
    return list(enumerate(res.x[n:]))


# --------------------------------------------------------------------------------------------
# Greedy heuristic (a baseline the optimizer must never lose to)
# --------------------------------------------------------------------------------------------

def greedy(problem: FleetProblem):
    """A feasible plan by a myopic rule, or ``None`` when the rule fails to meet a constraint.

    Each year: keep every unit until its end of life; if compute falls short of demand, buy the
    option (site, generation) with the least capex plus facility plus operations over its
    remaining years per PFLOP/s that still has supply, power and budget, building MW as needed.

    Returns
    -------
    numpy.ndarray or None
        Decision vector in the layout of :func:`solve` (see :func:`evaluate`).
    """
    p = problem
    S, G, T, K = p.shape
    idx, n = _index(p)
    x = np.zeros(n)
    years = np.asarray(p.years, dtype=float)
    # Built capacity must stay within every later year's availability.
    avail = np.maximum(p.power_available_mw, p.existing_mw[:, None])
    cap_eff = np.minimum.accumulate(avail[:, ::-1], axis=1)[:, ::-1]
    capacity = p.existing_mw.copy()
    bought = np.zeros((S, G, T))
    for t in range(T):
        keep = np.where(p.existing_years_left > t, p.existing_units, 0.0)
        x[idx["keep"][:, t]] = keep
        fleet = np.zeros((S, G))
        for g in range(G):
            lo = max(0, t - int(p.life_years[g]) + 1)
            fleet[:, g] = bought[:, g, lo:t].sum(axis=1)
        used = (fleet * p.mw_per_unit).sum(axis=1)
        for k in range(K):
            used[p.existing_site[k]] += keep[k] * p.mw_per_unit[p.existing_site[k], p.existing_gen[k]]
        compute = float((fleet * p.compute_per_unit).sum() + np.sum(keep * p.compute_per_unit[p.existing_gen]))
        budget_left = p.budget[t]
        supply_left = p.supply_cap[:, t].copy()
        built = np.zeros(S)
        remaining = T - t
        score = (p.capex_per_unit + p.build_cost_per_mw[:, None] * p.mw_per_unit
                 + p.opex_per_unit_year * np.minimum(p.life_years[None, :], remaining)) \
            / p.compute_per_unit[None, :]
        score = np.where((years[t] >= p.launch_year)[None, :], score, np.inf)
        score = np.where(p.allowed, score, np.inf)
        tried = np.zeros((S, G), bool)
        while compute < p.demand[t] - 1e-9:
            cand = np.where(tried, np.inf, score)
            if not np.isfinite(cand).any():
                return None
            s, g = np.unravel_index(np.argmin(cand), cand.shape)
            tried[s, g] = True
            want = np.ceil((p.demand[t] - compute) / p.compute_per_unit[g] - 1e-9)
            power_units = np.floor((cap_eff[s, t] - used[s]) / p.mw_per_unit[s, g] + 1e-9)
            unit_spend = p.capex_per_unit[s, g] + p.build_cost_per_mw[s] * p.mw_per_unit[s, g]
            budget_units = np.floor(budget_left / unit_spend + 1e-9) if unit_spend > 0 else np.inf
            k_units = min(want, supply_left[g], power_units, budget_units)
            if not k_units > 0:
                continue
            new_used = used[s] + k_units * p.mw_per_unit[s, g]
            add_mw = max(0.0, new_used - capacity[s])
            if p.capex_per_unit[s, g] * k_units + p.build_cost_per_mw[s] * add_mw > budget_left + 1e-6:
                continue
            budget_left -= p.capex_per_unit[s, g] * k_units + p.build_cost_per_mw[s] * add_mw
            capacity[s] += add_mw
            built[s] += add_mw
            used[s] = new_used
            supply_left[g] -= k_units
            bought[s, g, t] += k_units
            fleet[s, g] += k_units
            compute += k_units * p.compute_per_unit[g]
            tried[s, g] = False if k_units == want else True
        x[idx["buy"][:, :, t]] = bought[:, :, t]
        x[idx["fleet"][:, :, t]] = fleet
        x[idx["build"][:, t]] = built
    return x
