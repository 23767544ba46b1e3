r"""How many AI labs can fund a frontier training run, year by year.

The cost of the largest training run has grown about 2.4x a year since 2016 (Cottier et al.,
2024); the revenue that pays for it must grow as fast, or fewer labs can keep training at the
frontier. This module turns that into numbers: the run's cost by year (a trend from the catalog,
or the training model for a given accelerator), the revenue pool of frontier labs (a scenario
whose growth slows), the cost of serving, and from them the number of labs that can fund a run
(:func:`~siliconomics.industry.oligopoly.viable_firms`), the revenue one lab needs to fund its
next run within a payback period, and the cluster capex that implies as a share of revenue.

Parameters come from ``catalog/industry_trends.toml`` (see :data:`PARAMETERS`); a scenario file
(the standard format, ``model = "labs"``) or keyword arguments override them. :func:`project`
gives the point projection and, with ``samples``, 5-95% bands from the standard Monte Carlo
engine over the catalog's 90% intervals (the ``labs`` model of
:mod:`siliconomics.scenario.models`).

Examples
--------
>>> p = project(range(2025, 2036))
>>> p.rows[0]["year"], p.rows[-1]["year"]
(2025, 2035)
>>> p.rows[0]["viable_labs"] >= p.rows[-1]["viable_labs"]
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import _checks
from ..errors import InputError, unknown
from ..finance import capital_recovery_factor
from . import oligopoly

#: First and last year a projection may ask for (the revenue pool's base year to 2040).
YEAR_MIN, YEAR_MAX = 2025, 2040

#: Model parameter -> catalog entry (``industry_trends``) holding its value and range.
PARAMETERS: dict[str, str] = {
    "run_cost_usd": "frontier-run-cost",
    "run_cost_growth_per_year": "frontier-run-cost-growth",
    "compute_flop": "frontier-compute",
    "compute_growth_per_year": "frontier-compute-growth",
    "revenue_pool_usd": "ai-revenue-pool",
    "revenue_growth_per_year": "ai-revenue-growth",
    "revenue_growth_persistence": "ai-revenue-growth-persistence",
    "serving_cost_share": "serving-cost-share",
    "other_cost_share": "other-cost-share",
    "payback_years": "payback-years",
    "cost_of_capital": "lab-cost-of-capital",
    "hardware_life_years": "hardware-life-years",
    "run_duration_days": "run-duration-days",
    "hardware_share": "hardware-share-of-run-cost",
    "leader_share": "leader-share",
}

#: Base years of the levels that then grow (from the catalog entries' ``year``).
_BASE_YEAR = {"run_cost_usd": "frontier-run-cost", "compute_flop": "frontier-compute",
              "revenue_pool_usd": "ai-revenue-pool"}

_GROWTH = ("run_cost_growth_per_year", "compute_growth_per_year", "revenue_growth_per_year")
SHARES = ("revenue_growth_persistence", "serving_cost_share", "other_cost_share",
          "hardware_share", "leader_share")

#: Figures :func:`year_values` gives for each year.
OUTPUTS = ("run_cost_usd", "revenue_pool_usd", "viable_labs", "viable_labs_with_leader",
           "required_revenue_usd", "capex_usd")

#: Accelerator a frontier run of each year is trained on, for the training-model link.
ACCELERATOR_BY_YEAR = {2020: "a100-sxm4-80gb", 2023: "h100-sxm", 2024: "h200", 2025: "gb200"}

#: Hardware price-performance gain, orders of magnitude per year, applied to runs in years after
#: the newest catalog accelerator (Cottier et al. 2024, arXiv:2405.21015: 0.14 OOM/year).
PRICE_PERFORMANCE_OOM_PER_YEAR = 0.14

#: Years between buying a frontier cluster and releasing the model trained on it: GPT-4
#: (released March 2023) was trained on A100s in 2022 (OpenAI, GPT-4 technical report,
#: arXiv:2303.08774; Cottier et al. 2024), Grok 4 (July 2025) on xAI's Colossus H100s installed in
#: 2024 (Epoch AI, "Grok 4 training resources", 2025).
HARDWARE_LAG_YEARS = 1


@dataclass(frozen=True)
class PublishedRun:
    """A published estimate of one frontier run's amortised hardware-and-energy cost."""

    name: str
    release_year: int
    training_flop: float
    accelerator: str
    purchase_year: int
    cost_usd: float
    source: str
    calibration: bool = False


#: Published frontier run costs (amortised hardware plus energy, the method of Cottier et al.).
#: The reconciled method's one fitted number (:func:`calibration_factor`) comes from the
#: ``calibration`` run only; the others are held out and checked in ``siliconomics validate``.
PUBLISHED_RUNS: tuple[PublishedRun, ...] = (
    PublishedRun("GPT-4", 2023, 2.1e25, "a100-sxm4-80gb", 2022, 4.0e7,
                 "B. Cottier et al., 'The rising costs of training frontier AI models,' "
                 "arXiv:2405.21015, 2024 (GPT-4: about $40M amortised hardware and energy; "
                 "2.1e25 FLOP on A100s, Epoch AI)", calibration=True),
    PublishedRun("Gemini 1.0 Ultra", 2023, 5.0e25, "tpu-v4", 2022, 3.0e7,
                 "Cottier et al., arXiv:2405.21015, 2024 (Gemini 1.0 Ultra: about $30M amortised "
                 "hardware and energy; 5e25 FLOP on TPU v4, Epoch AI)"),
    PublishedRun("Llama 3.1 405B", 2024, 3.8e25, "h100-sxm", 2023, 51_040_524.0,
                 "Cottier et al.'s published data: epoch-research/training-cost-trends, "
                 "model_costs.csv, Hardware_Capex_Energy_Cost for Llama 3.1-405B (2023 USD); "
                 "3.8e25 FLOP on H100s: A. Grattafiori et al., arXiv:2407.21783, 2024"),
    PublishedRun("Grok 4", 2025, 5.0e26, "h100-sxm", 2024, 4.9e8,
                 "Epoch AI, 'Grok 4 training resources,' data insight, 2025 (about $490M, amortised "
                 "hardware and power and by H100 rental, both about $490M; about 5e26 FLOP on "
                 "the Colossus H100 cluster)"),
)

# --- layer 1: formulas ---------------------------------------------------------------------

def trend(value_at_base, growth_per_year, year, base_year):
    r"""A quantity growing by a constant factor per year.

    Parameters
    ----------
    value_at_base : numeric
        Value in ``base_year``, > 0. [any unit]
    growth_per_year : numeric
        Multiplier per year, > 0 (2.4 = 2.4x a year). [1/year]
    year : numeric
        Year to evaluate. [year]
    base_year : numeric
        Year of ``value_at_base``. [year]

    Returns
    -------
    numeric
        :math:`V_0 g^{t - t_0}`. [unit of ``value_at_base``]

    Notes
    -----
    An exponential trend as fitted by Cottier et al. (2024) to training costs.

    References
    ----------
    .. [1] B. Cottier et al., "The rising costs of training frontier AI models,"
       arXiv:2405.21015, 2024.

    Examples
    --------
    >>> trend(40e6, 2.4, 2025, 2023) / 1e6
    230.4
    """
    _checks.positive("value_at_base", value_at_base)
    _checks.positive("growth_per_year", growth_per_year)
    out = np.asarray(value_at_base, dtype=float) * np.asarray(growth_per_year, dtype=float) ** (
        np.asarray(year, dtype=float) - np.asarray(base_year, dtype=float))
    return float(out) if out.ndim == 0 else out


def decelerating_trend(value_at_base, initial_growth_per_year, persistence, years_after_base):
    r"""A quantity whose growth factor's excess over 1 decays geometrically.

    Parameters
    ----------
    value_at_base : numeric
        Value in the base year, > 0. [any unit]
    initial_growth_per_year : numeric
        Growth factor in the first year, > 0. [1/year]
    persistence : numeric
        Fraction of the excess growth kept each year, in [0, 1]. [dimensionless]
    years_after_base : int
        Whole years after the base year, >= 0. [year]

    Returns
    -------
    numeric
        :math:`V_0 \prod_{k=0}^{n-1} (1 + (g_0 - 1) d^k)`. [unit of ``value_at_base``]

    Notes
    -----
    Growth :math:`g_k = 1 + (g_0 - 1) d^k` tends to 1 (no growth); with :math:`d = 1` it is
    the constant-growth :func:`trend`.

    References
    ----------
    .. [1] E. M. Rogers, *Diffusion of Innovations*, 5th ed., Free Press, 2003 (slowing growth
       of adoption as a market saturates).

    Examples
    --------
    >>> decelerating_trend(1.0, 3.0, 0.5, 2)
    6.0
    """
    _checks.positive("value_at_base", value_at_base)
    _checks.positive("initial_growth_per_year", initial_growth_per_year)
    _checks.fraction("persistence", persistence, open_low=False)
    _checks.non_negative("years_after_base", years_after_base)
    level = np.asarray(value_at_base, dtype=float)
    excess = np.asarray(initial_growth_per_year, dtype=float) - 1.0
    d = np.asarray(persistence, dtype=float)
    for k in range(int(years_after_base)):
        level = level * (1.0 + excess * d ** k)
    return float(level) if np.ndim(level) == 0 else level


def contribution_margin(serving_cost_share, other_cost_share):
    r"""Share of a lab's revenue left to pay for training after serving and other costs.

    Parameters
    ----------
    serving_cost_share : numeric
        Inference compute and hosting per dollar of revenue, in [0, 1). [dimensionless]
    other_cost_share : numeric
        Staff, sales and overheads per dollar of revenue, in [0, 1). [dimensionless]

    Returns
    -------
    numeric
        :math:`1 - c_{serve} - c_{other}`, in (0, 1]. [dimensionless]

    Notes
    -----
    Training is the fixed cost; serving scales with revenue, so it reduces the margin.

    References
    ----------
    .. [1] J. Sutton, *Sunk Costs and Market Structure*, MIT Press, 1991 (fixed vs variable
       costs).

    Examples
    --------
    >>> contribution_margin(0.5, 0.2)
    0.3
    """
    _checks.fraction("serving_cost_share", serving_cost_share, open_low=False, open_high=True)
    _checks.fraction("other_cost_share", other_cost_share, open_low=False, open_high=True)
    m = 1.0 - np.asarray(serving_cost_share, dtype=float) - np.asarray(other_cost_share, dtype=float)
    if np.any(~(m > 0)):
        worst = float(np.max(np.asarray(serving_cost_share) + np.asarray(other_cost_share)))
        raise InputError(f"serving_cost_share + other_cost_share must be < 1, got {worst:g}")
    m = np.round(m, 12)
    return float(m) if m.ndim == 0 else m


def cluster_capex_usd(run_cost_usd, hardware_share, cost_of_capital, hardware_life_years,
                      run_duration_days):
    r"""Capex of the cluster whose amortised cost over one run is ``run_cost_usd``.

    Parameters
    ----------
    run_cost_usd : numeric
        Amortised hardware and energy cost of the run, > 0. [USD]
    hardware_share : numeric
        Hardware's share of that cost, in (0, 1]. [dimensionless]
    cost_of_capital : numeric
        Discount rate, > -1. [1/year]
    hardware_life_years : numeric
        Depreciation life of the cluster, > 0. [year]
    run_duration_days : numeric
        Length of the run, > 0. [day]

    Returns
    -------
    numeric
        :math:`K = h C / (CRF(r, L)\, d / 365.25)`. [USD]

    Notes
    -----
    Cottier et al. amortise hardware over the run: :math:`h C = K \cdot CRF(r, L) \cdot d`.

    References
    ----------
    .. [1] B. Cottier et al., "The rising costs of training frontier AI models,"
       arXiv:2405.21015, 2024.

    Examples
    --------
    >>> round(cluster_capex_usd(1e8, 1.0, 0.0, 4.0, 365.25) / 1e8, 6)
    4.0
    """
    _checks.positive("run_cost_usd", run_cost_usd)
    _checks.fraction("hardware_share", hardware_share)
    _checks.positive("run_duration_days", run_duration_days)
    crf = np.asarray(capital_recovery_factor(cost_of_capital, hardware_life_years))
    out = (np.asarray(hardware_share, dtype=float) * np.asarray(run_cost_usd, dtype=float)
           / (crf * np.asarray(run_duration_days, dtype=float) / 365.25))
    return float(out) if out.ndim == 0 else out


# --- layer 2: catalog values, scenario files, projection -------------------------------------

def _catalog():
    from .. import catalog

    return catalog.load()


def parameter_values() -> dict[str, Any]:
    """Every parameter of :data:`PARAMETERS` as its catalog value (with range and source)."""
    cat = _catalog()
    return {k: cat.get("industry_trends", slug).value("value") for k, slug in PARAMETERS.items()}


def defaults() -> dict[str, float]:
    """Central catalog value of every parameter in :data:`PARAMETERS`."""
    return {k: float(v.value) for k, v in parameter_values().items()}


def ranges() -> dict[str, tuple[float, float]]:
    """90% interval (low, high) of every uncertain parameter."""
    return {k: (float(v.low), float(v.high)) for k, v in parameter_values().items()
            if v.is_uncertain}


def base_years() -> dict[str, int]:
    """Year of each growing level (run cost, compute, revenue pool)."""
    cat = _catalog()
    return {k: int(cat.get("industry_trends", slug).year) for k, slug in _BASE_YEAR.items()}


def check_parameters(params: dict[str, Any]) -> dict[str, Any]:
    """Validate a full parameter set (scalars or sample arrays); returns it.

    Examples
    --------
    >>> check_parameters({**defaults(), "run_cost_growth_per_year": -1.0})
    Traceback (most recent call last):
    ...
    siliconomics.errors.InputError: run_cost_growth_per_year must be > 0, got -1
    """
    for k, v in params.items():
        if k not in PARAMETERS:
            raise InputError(unknown("labs parameter", k, PARAMETERS))
        if isinstance(v, bool) or not isinstance(v, (int, float, np.ndarray, np.number)):
            raise InputError(f"{k} must be a number, got {v!r}")
    for k in _GROWTH:
        _checks.positive(k, params[k])
        bad = np.asarray(params[k]) > 20
        if np.any(bad):
            raise InputError(f"{k} must be a growth factor per year in (0, 20] "
                             f"(2.4 means 2.4x a year), got {np.max(params[k]):g}")
    for k in ("run_cost_usd", "compute_flop", "payback_years", "hardware_life_years",
              "run_duration_days"):
        _checks.positive(k, params[k])
    _checks.non_negative("revenue_pool_usd", params["revenue_pool_usd"])
    _checks.above("cost_of_capital", params["cost_of_capital"], -1.0)
    _checks.fraction("revenue_growth_persistence", params["revenue_growth_persistence"],
                     open_low=False)
    _checks.fraction("hardware_share", params["hardware_share"])
    _checks.fraction("leader_share", params["leader_share"], open_low=False)
    contribution_margin(params["serving_cost_share"], params["other_cost_share"])
    return params


def check_years(years) -> list[int]:
    """Whole years within [:data:`YEAR_MIN`, :data:`YEAR_MAX`], in order."""
    out = []
    for y in years:
        if isinstance(y, bool) or not float(y).is_integer():
            raise InputError(f"year must be a whole number, got {y!r}")
        if not YEAR_MIN <= int(y) <= YEAR_MAX:
            raise InputError(f"year must be in [{YEAR_MIN}, {YEAR_MAX}], got {int(y)}")
        out.append(int(y))
    if not out:
        raise InputError("need at least one year")
    return sorted(set(out))


def run_cost_from_training(year: int, training_flop: float, accelerator: str | None = None, **kwargs):
    """Cost of a frontier run from the training model (:func:`siliconomics.training.estimate`).

    The run of ``training_flop`` FLOP is estimated on ``accelerator`` (by default the one of
    :data:`ACCELERATOR_BY_YEAR` for ``year``). For years after that accelerator's first year the
    cost falls by :data:`PRICE_PERFORMANCE_OOM_PER_YEAR` orders of magnitude a year, standing in
    for hardware not yet in the catalog. Where the catalog's price series cover ``year`` the
    accelerator is priced at that year's list (or street) price.
    """
    from ..workloads import training

    acc = accelerator or ACCELERATOR_BY_YEAR[max(y for y in ACCELERATOR_BY_YEAR if y <= max(year, 2020))]
    # the price paid in that year where the catalog's price series covers it
    from ..tco import price_at_purchase

    paid = price_at_purchase(_catalog().get("accelerators", acc), f"{year}")
    priced = paid is not None and not paid.extrapolated_years and "price_usd" not in kwargs
    if priced:
        kwargs["price_usd"] = paid.value
    result = training.estimate(training_flop=training_flop, accelerator=acc, **kwargs)
    # a price of that year already carries the hardware's fall in price; otherwise the trend
    later = 0 if priced else max(0, year - int(_catalog().get("accelerators", acc).year))
    progress = 10.0 ** (-PRICE_PERFORMANCE_OOM_PER_YEAR * later)
    return float(result.cost_usd) * progress


def cost_per_flop_usd(purchase_year: int, accelerator: str | None = None) -> float:
    """Cost of one training FLOP on the cluster bought in ``purchase_year`` (training model).

    The accelerator defaults to the newest of :data:`ACCELERATOR_BY_YEAR` by ``purchase_year``;
    it is priced at that year's catalog price, with the price-performance trend beyond the
    catalog (:func:`run_cost_from_training`). [USD/FLOP]
    """
    reference = 1e26
    return run_cost_from_training(int(purchase_year), reference, accelerator) / reference


def calibration_factor() -> float:
    r"""Published over modelled cost of the calibration run (GPT-4), :math:`k`.

    :math:`k = C_{pub} / (F \, c(t_{buy}))`: the one number the reconciled method fits; it
    carries what the training model leaves out of an amortised run cost, or counts twice
    (cluster overheads, utilisation), into every other year. [dimensionless]
    """
    (run,) = [r for r in PUBLISHED_RUNS if r.calibration]
    return run.cost_usd / (run.training_flop * cost_per_flop_usd(run.purchase_year, run.accelerator))


def reconciled_run_cost(training_flop, release_year: int, accelerator: str | None = None,
                        factor=None):
    r"""Amortised hardware-and-energy cost of a frontier run: the one reconciled method.

    Parameters
    ----------
    training_flop : numeric
        Training compute, > 0 (numbers or sample arrays). [FLOP]
    release_year : int
        Year the model is released; its cluster is bought :data:`HARDWARE_LAG_YEARS` earlier.
    accelerator : str, optional
        Cluster accelerator; default the newest of :data:`ACCELERATOR_BY_YEAR` by the
        purchase year.
    factor : numeric, optional
        Calibration factor; default :func:`calibration_factor` (fitted on GPT-4 only).

    Returns
    -------
    numeric
        :math:`C = k\, F\, c(t - \ell)`. [USD]

    Notes
    -----
    Compute :math:`F` follows the compute trend (Epoch AI: 4-5x a year) and the cost of a FLOP
    :math:`c` follows the training model on the hardware of the purchase year, falling
    :data:`PRICE_PERFORMANCE_OOM_PER_YEAR` orders of magnitude a year beyond the catalog. The
    catalog's 2.4x-a-year cost trend (Cottier et al., fitted on 2016-2023) is kept only as a
    cross-check (``run_cost="trend"``): compute grew faster than that since 2023 (GPT-4 to
    Grok 4: about 24x in two years), and the trend puts the 2025 run at half the published
    estimates.

    References
    ----------
    .. [1] B. Cottier et al., "The rising costs of training frontier AI models,"
       arXiv:2405.21015, 2024.
    .. [2] J. Sevilla and E. Roldan, "Training compute of frontier AI models grows by 4-5x per
       year," Epoch AI, 2024.
    """
    _checks.positive("training_flop", training_flop)
    k = calibration_factor() if factor is None else factor
    _checks.positive("factor", k)
    c = cost_per_flop_usd(int(release_year) - HARDWARE_LAG_YEARS, accelerator)
    out = np.asarray(k, dtype=float) * np.asarray(training_flop, dtype=float) * c
    return float(out) if out.ndim == 0 else out


def reconciled_cost_per_flop(years) -> dict[int, float]:
    """Calibrated cost of a training FLOP for runs released in each of ``years``. [USD/FLOP]"""
    k = calibration_factor()
    return {int(y): k * cost_per_flop_usd(int(y) - HARDWARE_LAG_YEARS) for y in years}


def reconciled_run_costs(years, params: dict[str, Any] | None = None,
                         cost_per_flop: dict[int, float] | None = None) -> dict[int, Any]:
    """Run cost of each year by :func:`reconciled_run_cost` at the compute trend of ``params``
    (numbers or sample arrays); ``cost_per_flop`` (:func:`reconciled_cost_per_flop`) may be
    computed once and reused."""
    p = params or defaults()
    bases = base_years()
    c = cost_per_flop if cost_per_flop is not None else reconciled_cost_per_flop(years)
    return {y: np.asarray(trend(p["compute_flop"], p["compute_growth_per_year"], y,
                                bases["compute_flop"])) * c[y] for y in years}


def training_run_costs(years, params: dict[str, Any] | None = None) -> dict[int, float]:
    """Run cost of each year from the training model at the compute trend of ``params``."""
    p = params or defaults()
    bases = base_years()
    return {y: run_cost_from_training(
        y, trend(p["compute_flop"], p["compute_growth_per_year"], y, bases["compute_flop"]))
        for y in years}


def constrain(params: dict[str, Any]) -> dict[str, Any]:
    """Sampled parameters made consistent, then checked: the two cost shares scaled down
    where they sum past 0.95, so every sample keeps a positive margin."""
    p = dict(params)
    total = np.asarray(p["serving_cost_share"]) + np.asarray(p["other_cost_share"])
    scale = np.where(total > 0.95, 0.95 / np.maximum(total, 1e-12), 1.0)
    p["serving_cost_share"] = np.asarray(p["serving_cost_share"]) * scale
    p["other_cost_share"] = np.asarray(p["other_cost_share"]) * scale
    return check_parameters(p)


def year_values(p: dict[str, Any], year: int, run_costs=None) -> dict[str, Any]:
    """Every figure of the projection for ``year`` (parameters as numbers or sample arrays).

    ``run_costs`` maps years to run costs from the training model; default the cost trend.
    """
    bases = base_years()
    run_cost = (trend(p["run_cost_usd"], p["run_cost_growth_per_year"], year, bases["run_cost_usd"])
                if run_costs is None else run_costs[year])
    compute = trend(p["compute_flop"], p["compute_growth_per_year"], year, bases["compute_flop"])
    pool = decelerating_trend(np.maximum(p["revenue_pool_usd"], 1e-300),
                              p["revenue_growth_per_year"], p["revenue_growth_persistence"],
                              year - bases["revenue_pool_usd"])
    pool = np.where(np.asarray(p["revenue_pool_usd"]) > 0, pool, 0.0)
    margin = contribution_margin(p["serving_cost_share"], p["other_cost_share"])
    annual_run = oligopoly.annualized_fixed_cost(run_cost, p["cost_of_capital"], p["payback_years"])
    viable = oligopoly.viable_firms(pool, margin, annual_run)
    with_leader = oligopoly.viable_firms_with_leader(pool, margin, annual_run, p["leader_share"])
    needed = oligopoly.required_revenue(run_cost, margin, cost_of_capital=p["cost_of_capital"],
                                        payback_years=p["payback_years"])
    capex = cluster_capex_usd(run_cost, p["hardware_share"], p["cost_of_capital"],
                              p["hardware_life_years"], p["run_duration_days"])
    return {
        "year": year,
        "run_cost_usd": run_cost,
        "training_flop": compute,
        "revenue_pool_usd": pool,
        "serving_cost_usd": pool * np.asarray(p["serving_cost_share"]),
        "margin": margin,
        "fixed_cost_usd": annual_run,
        "viable_labs": viable,
        "viable_labs_with_leader": with_leader,
        "break_even_labs": np.asarray(margin) * pool / np.asarray(annual_run),
        "required_revenue_usd": needed,
        "capex_usd": capex,
        "capex_share_of_revenue": np.asarray(capex) / np.asarray(needed),
    }


@dataclass
class LabsProjection:
    """Labs able to fund a frontier run, by year; ``band`` holds Monte Carlo quantiles."""

    parameters: dict[str, float]
    rows: list[dict[str, Any]] = field(default_factory=list)
    samples: int = 0
    seed: int = 0
    run_cost_source: str = "trend"

    def row(self, year: int) -> dict[str, Any]:
        return next(r for r in self.rows if r["year"] == year)

    def _repr_html_(self) -> str:
        """Notebook display: the last year a lab can fund a run, then the count by year."""
        from ..results import html_card

        viable = [r["year"] for r in self.rows if r["viable_labs"] >= 1]
        return html_card(
            "Labs able to fund a frontier run",
            f"at least one lab until {viable[-1]}" if viable else "no lab in any year",
            inputs=[("run cost from", self.run_cost_source),
                    ("Monte Carlo samples", self.samples or "none (central inputs)")],
            tables=[("By year", [
                {"year": str(r["year"]), "run cost, B USD": r["run_cost_usd"] / 1e9,
                 "revenue pool, B USD": r["revenue_pool_usd"] / 1e9, "labs": r["viable_labs"],
                 **({"labs 5%": r["band"]["viable_labs"]["p5"],
                     "labs 95%": r["band"]["viable_labs"]["p95"]} if "band" in r else {})}
                for r in self.rows])])

    def to_dict(self) -> dict[str, Any]:
        return {"parameters": dict(self.parameters), "samples": self.samples, "seed": self.seed,
                "run_cost_source": self.run_cost_source, "years": self.rows}


def project(years=range(2025, 2036), *, run_cost: str = "reconciled", inputs=None,
            **overrides) -> LabsProjection:
    """Project, year by year, how many labs can fund a frontier run (point values).

    Parameters
    ----------
    years : iterable of int
        Years in [:data:`YEAR_MIN`, :data:`YEAR_MAX`].
    run_cost : {"reconciled", "trend", "training"}
        Run cost by the reconciled method (:func:`reconciled_run_cost`, calibrated on GPT-4),
        or, as cross-checks, the catalog's cost trend or the uncalibrated training model for
        each year's accelerator (:func:`run_cost_from_training`).
    inputs : mapping, optional
        Parameter values (numbers, or distributions whose median is used), e.g. a scenario
        file's ``[inputs]``.
    **overrides
        Parameter overrides (names of :data:`PARAMETERS`); they win over ``inputs``.

    The 5-95% bands of the same projection come from the standard Monte Carlo engine:
    :func:`siliconomics.scenario.models.labs_projection` (``siliconomics industry labs``).
    """
    from ..uncertainty.distributions import Constant, parse

    years = check_years(years)
    if run_cost not in RUN_COST_METHODS:
        raise InputError(unknown("run cost source", run_cost, RUN_COST_METHODS))
    given = {**(inputs or {}), **overrides}
    for k in given:
        if k not in PARAMETERS:
            raise InputError(unknown("labs parameter", k, PARAMETERS))
    point = dict(defaults())
    for k, v in given.items():
        dist = parse(v, name=k)
        point[k] = dist.value if isinstance(dist, Constant) else float(dist.quantile(0.5))
        check_parameters({**defaults(), k: point[k]})
    params = check_parameters(point)
    run_costs = run_costs_by(run_cost, years, params)
    rows = [_plain(year_values(params, y, run_costs)) for y in years]
    return LabsProjection(parameters=params, rows=rows, run_cost_source=run_cost)


#: Ways to cost a frontier run: the reconciled method and its two cross-checks.
RUN_COST_METHODS = ("reconciled", "trend", "training")


def run_costs_by(method: str, years, params: dict[str, Any] | None = None):
    """Run costs by year for ``method`` (None for the trend, which :func:`year_values` applies)."""
    if method not in RUN_COST_METHODS:
        raise InputError(unknown("run cost source", str(method), RUN_COST_METHODS))
    if method == "training":
        return training_run_costs(years, params)
    if method == "reconciled":
        return reconciled_run_costs(years, params)
    return None


#: Figures that get a 5-95% band.
BANDED = ("viable_labs", "viable_labs_with_leader", "run_cost_usd", "revenue_pool_usd",
          "required_revenue_usd")


def attach_bands(projection: LabsProjection, metrics, samples: int, seed: int) -> LabsProjection:
    """Add each year's 5/50/95% quantiles (and the mean of ``viable_labs``) from Monte Carlo
    ``metrics`` named ``"<figure>@<year>"`` (streaming aggregates of the ``labs`` model)."""
    for row in projection.rows:
        y = row["year"]
        row["band"] = {k: {f"p{q}": float(metrics[f"{k}@{y}"].quantile(q / 100.0))
                           for q in (5, 50, 95)} for k in BANDED}
        row["band"]["viable_labs"]["mean"] = float(metrics[f"viable_labs@{y}"].mean)
    projection.samples, projection.seed = int(samples), int(seed)
    return projection


def _plain(values: dict) -> dict:
    out = {}
    for k, v in values.items():
        arr = np.asarray(v)
        out[k] = int(arr) if k in ("year",) else float(arr)
    for k in ("viable_labs", "viable_labs_with_leader"):
        out[k] = int(out[k])
    return out
