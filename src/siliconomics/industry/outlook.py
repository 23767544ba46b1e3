r"""The foundry-lab loop as one outlook, year by year, with 90% bands.

Two chains meet in each year:

1. **Capex to foundries.** Hyperscaler capex (Microsoft, Alphabet, Amazon, Meta: reported for
   2024, guided for 2025, a labelled assumption for 2026, a slowing trend after) times the share
   spent on accelerators, scaled up for the other buyers, buys accelerators at the year's
   accelerator price; at most the packaging supply can be built (:func:`accelerator_supply_limit`).
   Their compute dies need wafers (the chip-cost model's good dies per wafer), which at the
   node's wafer price, plus the interposer of each package, are leading-edge foundry revenue. With the rest of the leading edge's
   revenue this is the pool that must fund the next node: the number of foundries it admits is
   :func:`~siliconomics.industry.oligopoly.viable_firms_learning` with the foundry parameters of
   :func:`siliconomics.industry.foundries.defaults`.
2. **Tokens to labs.** Tokens served times their price are the frontier labs' revenue
   (:func:`lab_revenue_usd`; by default the catalog's sourced 2025 pool and its slowing growth).
   The frontier run the trend asks for (compute trend x the cost of a FLOP, the reconciled
   method of :func:`siliconomics.industry.labs.reconciled_run_cost`) is funded only up to the
   smallest of four limits, and the limit that is smallest is the year's **binding constraint**:

   - ``fixed cost``: the trend's run itself (the market can afford it; its fixed cost only
     decides how many labs can follow);
   - ``revenue``: the largest run the leading lab's contribution margin pays back in the
     payback period;
   - ``supply``: the share of the year's accelerators one cluster can get;
   - ``power``: the largest site's power at the year's energy efficiency.

Inputs of the other market models enter through named parameters, so they can replace the
defaults here without changing this module: ``tokens_per_year`` and
``usd_per_million_tokens`` (token economics and inference demand) in :func:`lab_revenue_usd`,
``supply_limit`` (accelerators buildable per year, from packaging and memory output) in
:func:`accelerator_supply_limit`; :func:`outlook` passes them through.

Every default is a :class:`Sourced` value of :data:`PARAMETERS` with its 90% range; the bands
come from the standard Monte Carlo engine (:mod:`siliconomics.uncertainty.montecarlo`) over
those ranges and the labs parameters' catalog ranges.

Examples
--------
>>> o = outlook(range(2025, 2028), samples=0)
>>> [r["year"] for r in o.rows]
[2025, 2026, 2027]
>>> o.rows[0]["binding"] in BINDING
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import _checks
from ..errors import InputError, unknown
from ..finance import capital_recovery_factor
from . import labs, oligopoly

#: Constraints that can bind a year's frontier run, in the order ties are broken.
BINDING = ("fixed cost", "revenue", "supply", "power")

#: First and last year of an outlook (the capex guidance starts in 2025; the labs data end 2040).
YEAR_MIN, YEAR_MAX = 2025, labs.YEAR_MAX


@dataclass(frozen=True)
class Sourced:
    """A default with its 90% interval and where it comes from."""

    value: float
    low: float
    high: float
    unit: str
    source: str
    assumption: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "low": self.low, "high": self.high, "unit": self.unit,
                "source": self.source, "assumption": self.assumption}


#: Capital expenditure by company and year (incl. finance leases where reported). [USD]
HYPERSCALER_CAPEX_USD: dict[int, dict[str, tuple[float, str]]] = {
    2024: {
        "microsoft": (7.56e10, "Microsoft quarterly reports, calendar 2024: capital expenditures "
                               "including finance leases $14.0B, $19.0B, $20.0B, $22.6B"),
        "alphabet": (5.25e10, "Alphabet 2024 Form 10-K: purchases of property and equipment $52.5B"),
        "amazon": (8.3e10, "Amazon Q4 2024 results: 2024 capital expenditures about $83B"),
        "meta": (3.92e10, "Meta Q4 2024 results: 2024 capital expenditures $39.23B"),
    },
    2025: {
        "microsoft": (8.0e10, "B. Smith, Microsoft On the Issues, 3 Jan. 2025: about $80B on "
                              "AI-enabled datacenters in fiscal 2025"),
        "alphabet": (9.2e10, "Alphabet Q3 2025 results (29 Oct. 2025): 2025 capex guidance "
                             "$91-93B"),
        "amazon": (1.25e11, "Amazon Q3 2025 results (30 Oct. 2025): about $125B of cash capex in "
                            "2025"),
        "meta": (7.1e10, "Meta Q3 2025 results (29 Oct. 2025): 2025 capex guidance $70-72B"),
    },
}

#: Model parameters: name -> sourced default with its 90% interval.
PARAMETERS: dict[str, Sourced] = {
    "capex_2025_usd": Sourced(
        3.68e11, 3.4e11, 4.0e11, "USD/year",
        "Sum of the four 2025 figures of HYPERSCALER_CAPEX_USD (company guidance, Jan.-Oct. "
        "2025); range: the guidance ranges and fiscal- vs calendar-year differences"),
    "capex_2026_usd": Sourced(
        5.0e11, 4.4e11, 6.0e11, "USD/year",
        "Assumption from qualitative guidance: Meta's 2026 capex 'dollar growth notably larger' "
        "than 2025's, Alphabet a 'significant increase', Amazon and Microsoft higher again "
        "(Q3 2025 results calls, Oct. 2025)", assumption=True),
    "capex_growth_after_2026": Sourced(
        1.15, 0.95, 1.4, "factor/year",
        "Assumption: capex growth of the first year after the guidance; 0.95 allows a cut",
        assumption=True),
    "capex_growth_persistence": Sourced(
        0.75, 0.5, 0.9, "fraction/year",
        "Assumption: share of the excess capex growth kept each year (growth slows towards 1x)",
        assumption=True),
    "accelerator_share_of_capex": Sourced(
        0.45, 0.35, 0.55, "fraction",
        "Assumption: servers are about half to two thirds of AI data-center capex and "
        "accelerators most of an AI server's cost; land, buildings, power and networking the "
        "rest", assumption=True),
    "other_buyers_multiplier": Sourced(
        1.3, 1.15, 1.6, "ratio",
        "Assumption: all accelerator spending over the four hyperscalers' (Oracle, neoclouds, "
        "sovereign and enterprise buyers); NVIDIA said large cloud providers were about half of "
        "its data-center revenue (Q4 FY2025 CFO commentary, Feb. 2025), but the four also buy "
        "TPUs and Trainium outside NVIDIA's revenue", assumption=True),
    "cowos_wafers_per_month_2025": Sourced(
        5.5e4, 4.5e4, 6.5e4, "wafers/month",
        "TrendForce (2024-25): TSMC CoWoS capacity about 35k wafers/month at the end of 2024, "
        "about 70-75k at the end of 2025; 2025 average"),
    "cowos_growth_per_year": Sourced(
        1.4, 1.15, 1.7, "factor/year",
        "TrendForce (2025): CoWoS capacity of about 90-100k wafers/month expected at the end of "
        "2026; growth held after that (assumption)", assumption=True),
    "accelerators_per_cowos_wafer": Sourced(
        15.0, 10.0, 22.0, "packages/wafer",
        "Assumption: a B200-class CoWoS-L interposer of about 3.3 reticles fits 14-16 times on "
        "a 300 mm wafer; smaller packages fit more", assumption=True),
    "non_ai_leading_edge_revenue_usd": Sourced(
        3.5e10, 2.8e10, 4.5e10, "USD/year",
        "TSMC 2024 annual report: revenue $90.1B, 3 nm 18% and 5 nm 34% of wafer revenue "
        "($47B); less AI accelerators (low-teens % of 2024 revenue per TSMC's Q4 2024 call)"),
    "non_ai_growth_per_year": Sourced(
        1.05, 1.0, 1.1, "factor/year",
        "Assumption: growth of the leading edge's non-AI revenue (phones, PCs, networking) as "
        "they move to newer nodes; TSMC's non-HPC revenue grew by single digits a year in "
        "2022-2024 (annual reports)", assumption=True),
    "node_cost_growth": Sourced(
        1.4, 1.2, 1.6, "factor/node",
        "IBS (H. Jones), Dec. 2023: a 3 nm fab about $20B, 2 nm about $28B (1.4x per node)"),
    "node_cadence_years": Sourced(
        2.5, 2.0, 3.0, "year",
        "TSMC volume production: N5 2020, N3 2022, N2 2025 (about 2.5 years a node)"),
    "largest_site_power_2025_w": Sourced(
        3.0e8, 1.5e8, 4.0e8, "W",
        "xAI Colossus, Memphis: about 150 MW for 100k H100s in 2024, about 300 MW after the 2025 "
        "expansion to 200k GPUs (xAI; Epoch AI, Frontier AI Data Centers, 2025)"),
    "largest_site_power_2026_w": Sourced(
        1.0e9, 6.0e8, 1.5e9, "W",
        "Epoch AI, Frontier AI Data Centers (2025): first 1 GW-class sites in 2026 (OpenAI/Oracle "
        "Abilene about 1.2 GW, Meta Prometheus about 1 GW); xAI Colossus about 0.3 GW in 2025"),
    "site_power_growth_per_year": Sourced(
        1.4, 1.1, 1.8, "factor/year",
        "Assumption after 2026: planned multi-GW campuses (Meta Hyperion 5 GW, Stargate sites) "
        "by 2028-2030", assumption=True),
    "largest_cluster_share": Sourced(
        0.06, 0.03, 0.12, "fraction",
        "Assumption: share of a year's accelerators in the largest training cluster (xAI "
        "Colossus 100k H100s against a few million H100-class shipped in 2024; Abilene's "
        "~400k GB200s against ~5-6M Blackwell GPUs in 2025)", assumption=True),
    "mfu": Sourced(
        0.4, 0.3, 0.5, "fraction",
        "Llama 3 405B: 38-43% bf16 MFU on 16k H100s (Dubey et al., arXiv:2407.21783, 2024)"),
    "efficiency_growth_per_year": Sourced(
        1.3, 1.2, 1.4, "factor/year",
        "Energy efficiency of ML accelerators (FLOP/s per W) doubling about every 2.5 years "
        "(Epoch AI, ML hardware data, 2024-25)"),
    "facility_w_per_accelerator_2025": Sourced(
        2200.0, 1800.0, 2800.0, "W",
        "GB200 NVL72 rack about 120-132 kW for 72 GPUs (NVIDIA; SemiAnalysis 2024) times a PUE "
        "of about 1.2"),
}

#: Accelerator a year's purchases are priced and built as (newest catalog part by that year).
ACCELERATOR_BY_YEAR = {2024: "h200", 2025: "gb200", 2026: "gb300", 2027: "rubin"}

#: Labs parameters sampled with their catalog ranges.
LAB_PARAMETERS = ("compute_flop", "compute_growth_per_year", "revenue_pool_usd",
                  "revenue_growth_per_year", "revenue_growth_persistence", "serving_cost_share",
                  "other_cost_share", "payback_years", "cost_of_capital", "leader_share",
                  "run_duration_days")

#: Figures given a 5-50-95% band.
BANDED = ("capex_usd", "accelerators_built", "wafers", "foundry_ai_revenue_usd",
          "viable_foundries", "lab_revenue_usd", "trend_run_cost_usd", "funded_run_cost_usd",
          "viable_labs")


# --- layer 1: formulas -------------------------------------------------------------------------

def decelerating_path(first_value, growth, persistence, years_after):
    r"""Level after ``years_after`` years of growth whose excess over 1 decays geometrically.

    Parameters
    ----------
    first_value : numeric
        Level in year 0, >= 0. [any unit]
    growth : numeric
        Growth factor of the first year, > 0. [1/year]
    persistence : numeric
        Share of the excess kept each year, in [0, 1]. [dimensionless]
    years_after : int
        Years after year 0, >= 0. [year]

    Returns
    -------
    numeric
        :math:`V_0 \prod_{k=0}^{n-1} (1 + (g - 1) d^k)`. [unit of ``first_value``]

    Examples
    --------
    >>> decelerating_path(100.0, 1.5, 0.5, 2)
    187.5
    """
    _checks.non_negative("first_value", first_value)
    out = np.asarray(first_value, dtype=float) * np.asarray(
        labs.decelerating_trend(1.0, growth, persistence, years_after))
    return float(out) if out.ndim == 0 else out


def lab_revenue_usd(revenue_pool_usd, tokens_per_year=None, usd_per_million_tokens=None):
    r"""Frontier labs' revenue: tokens served times their price, or the sourced pool.

    Parameters
    ----------
    revenue_pool_usd : numeric
        Default revenue when tokens and price are not given. [USD/year]
    tokens_per_year : numeric, optional
        Tokens the labs serve in the year (from an inference demand model). [tokens/year]
    usd_per_million_tokens : numeric, optional
        Blended price they are sold at (from a token-price model). [USD/Mtoken]

    Returns
    -------
    numeric
        :math:`T p / 10^6` when both are given, else ``revenue_pool_usd``. [USD/year]

    Examples
    --------
    >>> lab_revenue_usd(2e10, 1e16, 2.0)
    20000000000.0
    """
    if (tokens_per_year is None) != (usd_per_million_tokens is None):
        raise InputError("give tokens_per_year and usd_per_million_tokens together, or neither")
    if tokens_per_year is None:
        return revenue_pool_usd
    _checks.non_negative("tokens_per_year", tokens_per_year)
    _checks.non_negative("usd_per_million_tokens", usd_per_million_tokens)
    out = np.asarray(tokens_per_year, dtype=float) * np.asarray(usd_per_million_tokens,
                                                                dtype=float) / 1e6
    return float(out) if out.ndim == 0 else out


def accelerator_supply_limit(cowos_wafers_per_month, accelerators_per_wafer, supply_limit=None):
    r"""Most accelerators that can be packaged in a year.

    Parameters
    ----------
    cowos_wafers_per_month : numeric
        Advanced-packaging (CoWoS-class) wafer output, >= 0. [wafers/month]
    accelerators_per_wafer : numeric
        Accelerator packages per packaging wafer, > 0. [count/wafer]
    supply_limit : numeric, optional
        Accelerators buildable from a supply model (packaging and memory); replaces the
        estimate. [count/year]

    Returns
    -------
    numeric
        :math:`12\, W n`, or ``supply_limit``. [count/year]

    Examples
    --------
    >>> accelerator_supply_limit(50_000, 15)
    9000000.0
    """
    if supply_limit is not None:
        _checks.non_negative("supply_limit", supply_limit)
        return supply_limit
    _checks.non_negative("cowos_wafers_per_month", cowos_wafers_per_month)
    _checks.positive("accelerators_per_wafer", accelerators_per_wafer)
    out = 12.0 * np.asarray(cowos_wafers_per_month, dtype=float) * np.asarray(
        accelerators_per_wafer, dtype=float)
    return float(out) if out.ndim == 0 else out


def max_fundable_run_usd(revenue_usd, leader_share, margin, cost_of_capital, payback_years):
    r"""Largest run the leading lab's contribution margin pays back within the payback period.

    Parameters
    ----------
    revenue_usd : numeric
        Revenue of all frontier labs, >= 0. [USD/year]
    leader_share : numeric
        Leading lab's share of it, in [0, 1]. [dimensionless]
    margin : numeric
        Contribution margin after serving and other costs, in (0, 1]. [dimensionless]
    cost_of_capital : numeric
        Discount rate, > -1. [1/year]
    payback_years : numeric
        Payback period, > 0. [year]

    Returns
    -------
    numeric
        :math:`C_{max} = s R m / CRF(r, n)`. [USD]

    Notes
    -----
    The inverse of :func:`~siliconomics.industry.oligopoly.required_revenue` for the leader.

    Examples
    --------
    >>> max_fundable_run_usd(1e10, 0.5, 0.3, 0.0, 1.0)
    1500000000.0
    """
    crf = np.asarray(capital_recovery_factor(cost_of_capital, payback_years), dtype=float)
    out = (np.asarray(revenue_usd, dtype=float) * np.asarray(leader_share, dtype=float)
           * np.asarray(margin, dtype=float) / crf)
    return float(out) if out.ndim == 0 else out


def run_flop(accelerators, flop_per_s, mfu, run_duration_days):
    r"""Training compute of a cluster over one run.

    Parameters
    ----------
    accelerators : numeric
        Accelerators in the cluster, >= 0. [count]
    flop_per_s : numeric
        Peak dense throughput per accelerator, > 0. [FLOP/s]
    mfu : numeric
        Model FLOPs utilisation, in (0, 1]. [dimensionless]
    run_duration_days : numeric
        Length of the run, > 0. [day]

    Returns
    -------
    numeric
        :math:`N\, P\, u\, 86400\, d`. [FLOP]

    Examples
    --------
    >>> run_flop(1000, 1e15, 0.5, 1.0)
    4.32e+22
    """
    out = (np.asarray(accelerators, dtype=float) * np.asarray(flop_per_s, dtype=float)
           * np.asarray(mfu, dtype=float) * 86400.0 * np.asarray(run_duration_days, dtype=float))
    return float(out) if out.ndim == 0 else out


def binding_constraint(limits: dict[str, Any]) -> np.ndarray:
    """Index in :data:`BINDING` of the smallest limit (ties go to the earlier name).

    Examples
    --------
    >>> int(binding_constraint({"fixed cost": 5.0, "revenue": 3.0, "supply": 4.0, "power": 9.0}))
    1
    """
    stack = np.stack(np.broadcast_arrays(*[np.asarray(limits[k], dtype=float) for k in BINDING]))
    return np.argmin(stack, axis=0)


# --- layer 2: the year's constants and the evaluation -----------------------------------------

def _accelerator(year: int) -> str:
    return ACCELERATOR_BY_YEAR[max(y for y in ACCELERATOR_BY_YEAR if y <= year)]


def _part(year: int) -> dict[str, float]:
    """Price, throughput, wafers and wafer revenue of one accelerator bought in ``year``.

    Beyond the newest mapped part, throughput per dollar improves by the price-performance
    trend (:data:`siliconomics.industry.labs.PRICE_PERFORMANCE_OOM_PER_YEAR`) at a constant
    price and die content.
    """
    from .. import catalog
    from ..silicon import bom

    name = _accelerator(year)
    entry = catalog.load().get("accelerators", name)
    chip = bom.chip_cost(name).summary()
    wafers = float(chip["compute_dies"]) / float(chip["good_dies_per_wafer"])
    wafer_price = float(chip["inputs"]["node.wafer_price_usd"]["value"])
    packaging = float(chip["breakdown"].get("interposer", 0.0))
    later = max(0, year - max(ACCELERATOR_BY_YEAR))
    gain = 10.0 ** (labs.PRICE_PERFORMANCE_OOM_PER_YEAR * later)
    return {"accelerator": name, "price_usd": float(entry.get("price_usd")),
            "flop_per_s": float(entry.get("bf16_tflop_per_s")) * 1e12 * gain,
            "wafers_per_accelerator": wafers, "wafer_price_usd": wafer_price,
            "packaging_usd": packaging,
            "node": chip["node"]}


def _node_costs() -> tuple[tuple[str, int, float], ...]:
    """Every catalog node: slug, first volume year and fixed cost (development plus one fab)."""
    from . import foundries

    return tuple((n.slug, int(n.year), float(foundries.fixed_cost_usd(
        float(n.get("process_development_cost_usd")), float(n.get("fab_cost_usd")))))
        for n in foundries.nodes())


def next_node(year: int, nodes=None) -> tuple[str, int, float]:
    """The node after ``year``'s leading edge: the first catalog node entering volume after
    ``year``, else the newest one (slug, year, fixed cost [USD])."""
    nodes = nodes if nodes is not None else _node_costs()
    return next((n for n in nodes if n[1] > year), nodes[-1])


def node_fixed_cost_usd(year, node_cost_growth, node_cadence_years, nodes=None):
    r"""Fixed cost of the next leading-edge node that the year's revenue must fund.

    The first catalog node entering volume after ``year`` (:func:`next_node`); beyond the
    catalog, :math:`F = F_0 g^{\lceil (t + 1 - t_0) / c \rceil}` after the newest node (cost
    :math:`F_0`, first year :math:`t_0`), one node every :math:`c` years. [USD]
    """
    _, base_year, base = next_node(year, nodes)
    steps = np.ceil(np.maximum(0.0, (year + 1 - base_year)) / np.asarray(node_cadence_years, float))
    return base * np.asarray(node_cost_growth, dtype=float) ** steps


def _foundry_parameters() -> dict[str, float]:
    from . import foundries

    return foundries.defaults()


def _capex(p: dict, year: int):
    if year <= 2025:
        return np.asarray(p["capex_2025_usd"], dtype=float)
    if year == 2026:
        return np.asarray(p["capex_2026_usd"], dtype=float)
    return decelerating_path(p["capex_2026_usd"], p["capex_growth_after_2026"],
                             p["capex_growth_persistence"], year - 2026)


def context(years) -> dict[str, Any]:
    """What the outlook reads from the catalog and the chip-cost and training models for
    ``years``, computed once per outlook (the active catalog and ``--set`` values apply)."""
    years = sorted(set(years) | {2025})
    return {"parts": {y: _part(y) for y in years},
            "cost_per_flop": labs.reconciled_cost_per_flop(years),
            "foundry": _foundry_parameters(), "nodes": _node_costs()}


def year_values(p: dict[str, Any], year: int, *, tokens_per_year=None,
                usd_per_million_tokens=None, supply_limit=None, ctx=None) -> dict[str, Any]:
    """Every figure of the outlook for ``year`` (parameters as numbers or sample arrays).

    ``tokens_per_year``, ``usd_per_million_tokens`` and ``supply_limit`` are that year's values
    from the token, demand and supply models (see the module docstring), or None; ``ctx`` is
    :func:`context` (computed here when not given).
    """
    ctx = ctx if ctx is not None else context([year])
    part = ctx["parts"][year]
    fp = ctx["foundry"]
    capex = _capex(p, year)
    spend = capex * np.asarray(p["accelerator_share_of_capex"]) * np.asarray(p["other_buyers_multiplier"])
    wanted = spend / part["price_usd"]
    cowos = np.asarray(p["cowos_wafers_per_month_2025"]) * np.asarray(
        p["cowos_growth_per_year"]) ** (year - 2025)
    cap = accelerator_supply_limit(cowos, p["accelerators_per_cowos_wafer"], supply_limit)
    built = np.minimum(wanted, cap)
    wafers = built * part["wafers_per_accelerator"]
    ai_revenue = wafers * part["wafer_price_usd"] + built * part["packaging_usd"]
    pool = ai_revenue + np.asarray(p["non_ai_leading_edge_revenue_usd"]) * np.asarray(
        p["non_ai_growth_per_year"]) ** (year - 2025)
    node_cost = node_fixed_cost_usd(year, p["node_cost_growth"], p["node_cadence_years"],
                                    ctx["nodes"])
    annual_node = oligopoly.annualized_fixed_cost(node_cost, fp["cost_of_capital"],
                                                  fp["recovery_years"])
    foundries_n = oligopoly.viable_firms_learning(pool, fp["margin"], annual_node,
                                                  fp["leader_volume_ratio"], fp["progress_ratio"])

    bases = labs.base_years()
    revenue_trend = decelerating_path(p["revenue_pool_usd"], p["revenue_growth_per_year"],
                                      p["revenue_growth_persistence"],
                                      year - bases["revenue_pool_usd"])
    revenue = lab_revenue_usd(revenue_trend, tokens_per_year, usd_per_million_tokens)
    margin = labs.contribution_margin(p["serving_cost_share"], p["other_cost_share"])
    cost_per_flop = ctx["cost_per_flop"][year]
    trend_flop = labs.trend(p["compute_flop"], p["compute_growth_per_year"], year,
                            bases["compute_flop"])
    revenue_flop = max_fundable_run_usd(revenue, p["leader_share"], margin, p["cost_of_capital"],
                                        p["payback_years"]) / cost_per_flop
    supply_flop = run_flop(built * np.asarray(p["largest_cluster_share"]), part["flop_per_s"],
                           p["mfu"], p["run_duration_days"])
    site_w = (np.asarray(p["largest_site_power_2025_w"], dtype=float) if year < 2026 else
              np.asarray(p["largest_site_power_2026_w"]) * np.asarray(
                  p["site_power_growth_per_year"]) ** (year - 2026))
    w_per_acc = np.asarray(p["facility_w_per_accelerator_2025"]) * (
        part["flop_per_s"] / ctx["parts"][2025]["flop_per_s"]) / np.asarray(
        p["efficiency_growth_per_year"]) ** (year - 2025)
    power_flop = run_flop(site_w / w_per_acc, part["flop_per_s"], p["mfu"], p["run_duration_days"])
    limits = {"fixed cost": trend_flop, "revenue": revenue_flop, "supply": supply_flop,
              "power": power_flop}
    idx = binding_constraint(limits)
    funded_flop = np.minimum.reduce(np.broadcast_arrays(*[np.asarray(limits[k], float)
                                                          for k in BINDING]))
    funded_cost = funded_flop * cost_per_flop
    annual_run = oligopoly.annualized_fixed_cost(funded_cost, p["cost_of_capital"],
                                                 p["payback_years"])
    out = {
        "year": year,
        "accelerator": part["accelerator"],
        "node": part["node"],
        "capex_usd": capex,
        "accelerator_spend_usd": spend,
        "accelerators_wanted": wanted,
        "accelerator_supply_limit": cap,
        "accelerators_built": built,
        "accelerators_limited_by": np.where(wanted > cap, "packaging", "capex"),
        "wafers": wafers,
        "foundry_ai_revenue_usd": ai_revenue,
        "leading_edge_pool_usd": pool,
        "next_node": (next_node(year, ctx["nodes"])[0] if year < ctx["nodes"][-1][1]
                      else "beyond catalog"),
        "node_fixed_cost_usd": node_cost,
        "viable_foundries": foundries_n,
        "lab_revenue_usd": revenue,
        "capex_to_lab_revenue": capex / np.maximum(revenue, 1e-300),
        "trend_flop": trend_flop,
        "trend_run_cost_usd": trend_flop * cost_per_flop,
        "revenue_limit_flop": revenue_flop,
        "supply_limit_flop": supply_flop,
        "power_limit_flop": power_flop,
        "largest_site_w": site_w,
        "funded_flop": funded_flop,
        "funded_run_cost_usd": funded_cost,
        "viable_labs": oligopoly.viable_firms(revenue, margin, annual_run),
        "binding_index": idx,
    }
    for j, name in enumerate(BINDING):
        out[f"binds_{name.replace(' ', '_')}"] = (np.asarray(idx) == j).astype(float)
    return out


# --- parameters, Monte Carlo and the result ---------------------------------------------------

def defaults() -> dict[str, float]:
    """Central value of every parameter: :data:`PARAMETERS` and :data:`LAB_PARAMETERS`."""
    lab = labs.defaults()
    return {**{k: v.value for k, v in PARAMETERS.items()}, **{k: lab[k] for k in LAB_PARAMETERS}}


def distributions() -> dict[str, Any]:
    """Each uncertain parameter's distribution (the catalog convention: a 90% interval)."""
    from ..uncertainty.distributions import from_interval

    out = {k: from_interval(v.low, v.high) for k, v in PARAMETERS.items() if v.low != v.high}
    lab_ranges = labs.ranges()
    out.update({k: from_interval(*lab_ranges[k]) for k in LAB_PARAMETERS if k in lab_ranges})
    return out


def _constrain(values: dict[str, Any]) -> dict[str, Any]:
    p = dict(values)
    for k in ("serving_cost_share", "other_cost_share", "leader_share", "mfu",
              "largest_cluster_share", "accelerator_share_of_capex",
              "revenue_growth_persistence", "capex_growth_persistence"):
        p[k] = np.clip(np.asarray(p[k], dtype=float), 0.0, 0.99)
    total = p["serving_cost_share"] + p["other_cost_share"]
    scale = np.where(total > 0.95, 0.95 / np.maximum(total, 1e-12), 1.0)
    p["serving_cost_share"] = p["serving_cost_share"] * scale
    p["other_cost_share"] = p["other_cost_share"] * scale
    p["mfu"] = np.maximum(p["mfu"], 1e-3)
    return p


def check_years(start: int, end: int) -> list[int]:
    """Years ``start`` to ``end`` inside [:data:`YEAR_MIN`, :data:`YEAR_MAX`]."""
    for name, y in (("--from", start), ("--to", end)):
        if not YEAR_MIN <= int(y) <= YEAR_MAX:
            raise InputError(f"{name} must be a year in [{YEAR_MIN}, {YEAR_MAX}] (capex guidance "
                             f"starts in 2025, the labs data end in {YEAR_MAX}), got {int(y)}")
    if start > end:
        raise InputError(f"--from must be <= --to, got {start} > {end}")
    return list(range(int(start), int(end) + 1))


def _by_year(name: str, value, years) -> dict[int, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InputError(f"{name} must map years to values, got {type(value).__name__}")
    missing = [y for y in years if y not in value]
    if missing:
        raise InputError(f"{name} has no value for {missing[0]}; give every year of the outlook")
    return value


def _evaluate(values: dict, *, years, tokens, prices, supply, ctx) -> dict[str, np.ndarray]:
    p = _constrain(values)
    out = {}
    for y in years:
        row = year_values(p, y, tokens_per_year=tokens.get(y), usd_per_million_tokens=prices.get(y),
                          supply_limit=supply.get(y), ctx=ctx)
        for k in (*BANDED, *(f"binds_{b.replace(' ', '_')}" for b in BINDING)):
            out[f"{k}@{y}"] = row[k]
    return out


@dataclass
class Outlook:
    """The loop year by year: point values, 5-50-95% bands and the binding constraint."""

    rows: list[dict[str, Any]]
    samples: int = 0
    seed: int = 0
    parameters: dict[str, Any] = field(default_factory=dict)

    def row(self, year: int) -> dict[str, Any]:
        return next(r for r in self.rows if r["year"] == year)

    def to_dict(self) -> dict[str, Any]:
        return {"samples": self.samples, "seed": self.seed, "binding_constraints": list(BINDING),
                "published_runs": [
                    {"name": r.name, "release_year": r.release_year, "cost_usd": r.cost_usd,
                     "training_flop": r.training_flop, "calibration": r.calibration,
                     "source": r.source} for r in labs.PUBLISHED_RUNS],
                "hyperscaler_capex_usd": {
                    str(y): {c: {"value": v, "source": src} for c, (v, src) in by.items()}
                    for y, by in HYPERSCALER_CAPEX_USD.items()},
                "parameters": self.parameters, "years": self.rows}


def outlook(years=range(2025, 2036), *, samples: int = 1000, seed: int = 0,
            tokens_per_year: dict[int, float] | None = None,
            usd_per_million_tokens: dict[int, float] | None = None,
            supply_limit: dict[int, float] | None = None, **overrides) -> Outlook:
    """The outlook for ``years``: point values and, with ``samples``, Monte Carlo bands.

    Parameters
    ----------
    years : iterable of int
        Consecutive years in [:data:`YEAR_MIN`, :data:`YEAR_MAX`].
    samples, seed : int
        Monte Carlo samples (0: point values only) and their seed.
    tokens_per_year, usd_per_million_tokens : dict, optional
        Year -> tokens served and blended price (token and demand models); see
        :func:`lab_revenue_usd`.
    supply_limit : dict, optional
        Year -> accelerators buildable (supply model); see :func:`accelerator_supply_limit`.
    **overrides
        Parameters of :data:`PARAMETERS` or :data:`LAB_PARAMETERS` held at a given value.
    """
    from ..uncertainty import montecarlo

    years = list(years)
    if not years:
        raise InputError("need at least one year")
    years = check_years(min(years), max(years))
    tokens = _by_year("tokens_per_year", tokens_per_year, years)
    prices = _by_year("usd_per_million_tokens", usd_per_million_tokens, years)
    supply = _by_year("supply_limit", supply_limit, years)
    point = defaults()
    for k, v in overrides.items():
        if k not in point:
            raise InputError(unknown("outlook parameter", k, point))
        _checks.number(k, v)
        point[k] = float(v)
    _checks.non_negative("samples", samples)
    ctx = context(years)
    rows = []
    for y in years:
        row = year_values(_constrain(point), y, tokens_per_year=tokens.get(y),
                          usd_per_million_tokens=prices.get(y), supply_limit=supply.get(y),
                          ctx=ctx)
        rows.append(_plain(row))
    params = {k: (PARAMETERS[k].to_dict() | {"value": point[k]}) if k in PARAMETERS
              else {"value": point[k], "source": "catalog industry_trends (labs)"}
              for k in point}
    result = Outlook(rows=rows, parameters=params)
    if not samples:
        return result
    dists = {k: d for k, d in distributions().items() if k not in overrides}
    import functools

    plan = montecarlo.Plan(
        names=tuple(dists), dists=tuple(dists.values()),
        constants={k: v for k, v in point.items() if k not in dists},
        evaluate=functools.partial(_evaluate, years=tuple(years), tokens=tokens, prices=prices,
                                   supply=supply, ctx=ctx),
        outputs=tuple(f"{k}@{y}" for y in years
                      for k in (*BANDED, *(f"binds_{b.replace(' ', '_')}" for b in BINDING))),
        samples=int(samples), seed=int(seed))
    mc = montecarlo.run(plan, workers=1)
    for row in rows:
        y = row["year"]
        row["band"] = {k: {f"p{q}": _band_value(k, mc.metrics[f"{k}@{y}"].quantile(q / 100.0))
                           for q in (5, 50, 95)} for k in BANDED}
        row["binding_share"] = {b: float(mc.metrics[f"binds_{b.replace(' ', '_')}@{y}"].mean)
                                for b in BINDING}
    result.samples, result.seed = int(samples), int(seed)
    return result


def _band_value(name: str, q) -> float:
    """A quantile; whole firms for counts (the sketch's relative error is below one half)."""
    return float(round(float(q))) if name.startswith("viable_") else float(q)


def _plain(row: dict) -> dict:
    out = {}
    for k, v in row.items():
        if k.startswith("binds_"):
            continue
        if isinstance(v, str) or k == "year":
            out[k] = v
        elif k in ("accelerators_limited_by", "next_node"):
            out[k] = str(np.asarray(v))
        elif k == "binding_index":
            out["binding"] = BINDING[int(np.asarray(v))]
        elif k in ("viable_foundries", "viable_labs"):
            out[k] = int(np.asarray(v))
        else:
            out[k] = float(np.asarray(v))
    return out
