r"""Keep, sell or move to inference: retiring accelerators at market prices.

An owner of accelerators deciding in year :math:`Y` compares, per accelerator:

- **sell** now at the catalog's secondary price (:func:`siliconomics.planning.plan_file.resale_curve`:
  the ``secondary`` series, then the market's decline), less transaction costs and a
  thin-market haircut that grows with the lot sold (:func:`thin_market_haircut`);
- **keep** it in its current (training) role to the end of its service life: each year it is
  worth what renting the same capacity would cost (the catalog's ``rental-1y`` series, else
  on-demand: :func:`siliconomics.planning.plan_file.rental_curve`) at the owner's utilisation,
  less power and operations (:func:`siliconomics.tco.accelerator_hour`), then sold;
- **move to inference** for a longer life: each year it earns a share of the rental price
  (older parts serve at lower prices and utilisation), after a one-off redeployment cost,
  then sold.

Values are discounted to the decision year; the decision is the largest. The inference value per
hour can come from a token-economics model through ``inference_usd_per_hour``.

Examples
--------
>>> d = decide("h100", 2027, warn=False)
>>> d.decision in OPTIONS
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import _checks
from ..errors import InputError

#: The three options, in the order ties are broken (a tie goes to selling now).
OPTIONS = ("sell", "keep", "inference")

#: Last decision year (the labs and outlook data end there).
YEAR_MAX = 2040


@dataclass(frozen=True)
class Assumption:
    """A default with its 90% range and basis."""

    value: float
    low: float
    high: float
    source: str


def _defaults() -> dict[str, Assumption]:
    from ..planning import plan_file

    return {
        "transaction_cost": Assumption(
            plan_file.RESALE_TRANSACTION_COST, 0.03, 0.10,
            "Assumption: broker or marketplace fee, de-installation, data sanitisation, testing "
            "and freight (IT asset disposition fees of a few to ten percent)"),
        "base_haircut": Assumption(
            plan_file.RESALE_HAIRCUT, 0.05, 0.20,
            "Assumption: discount below the secondary series, whose points are mostly listings "
            "rather than transactions"),
        "market_depth_units_per_year": Assumption(
            5.0e4, 1.0e4, 2.0e5, "Assumption: used accelerators of one generation the secondary "
            "market absorbs in a year without a price break"),
        "price_impact": Assumption(
            0.3, 0.1, 0.5, "Assumption: further discount when a lot equal to a year's market "
            "depth is sold at once"),
        "service_life_years": Assumption(
            5.0, 4.0, 6.0, "Hyperscaler server depreciation lives: Amazon 5 years from 2025 (Q4 "
            "2024 results), Alphabet and Microsoft 6 years (10-K filings)"),
        "inference_extra_years": Assumption(
            2.0, 1.0, 3.0, "Assumption: years inference adds to a part's life (inference tolerates "
            "smaller memory and slower interconnect than frontier training)"),
        "utilization": Assumption(
            0.85, 0.7, 0.95, "Assumption: share of hours a kept training fleet is used"),
        "inference_value_share": Assumption(
            0.6, 0.4, 0.8, "Assumption: inference value per hour over the rental price (serving "
            "utilisation and the discount an older generation sells at)"),
        "redeploy_usd": Assumption(
            500.0, 200.0, 1500.0, "Assumption: moving and recabling a part into an inference "
            "fleet, per accelerator"),
        "discount_rate": Assumption(
            0.10, 0.07, 0.13, "Assumption: a pre-tax cost of capital of an infrastructure owner"),
    }


#: Defaults of every parameter: value, range and basis.
def assumptions() -> dict[str, Assumption]:
    """Every parameter's default, range and basis."""
    return _defaults()


# --- layer 1: formulas -------------------------------------------------------------------------

def thin_market_haircut(units, base_haircut, price_impact, market_depth_units_per_year):
    r"""Discount below the quoted secondary price for selling ``units`` at once.

    Parameters
    ----------
    units : numeric
        Accelerators sold together, >= 0. [count]
    base_haircut : numeric
        Discount for a single unit, in [0, 1). [dimensionless]
    price_impact : numeric
        Extra discount for a lot of one year's market depth, >= 0. [dimensionless]
    market_depth_units_per_year : numeric
        Units the market absorbs in a year, > 0. [count/year]

    Returns
    -------
    numeric
        :math:`\min(0.9, h_0 + k\, n / D)`. [dimensionless]

    Notes
    -----
    A linear price impact (Kyle's lambda), capped so a sale always fetches something.

    References
    ----------
    .. [1] A. S. Kyle, "Continuous auctions and insider trading," Econometrica 53(6),
       1315-1335, 1985.

    Examples
    --------
    >>> thin_market_haircut(25_000, 0.1, 0.3, 50_000)
    0.25
    """
    _checks.non_negative("units", units)
    _checks.fraction("base_haircut", base_haircut, open_low=False, open_high=True)
    _checks.non_negative("price_impact", price_impact)
    _checks.positive("market_depth_units_per_year", market_depth_units_per_year)
    out = np.minimum(0.9, np.asarray(base_haircut, float) + np.asarray(price_impact, float)
                     * np.asarray(units, float) / np.asarray(market_depth_units_per_year, float))
    return float(out) if out.ndim == 0 else out


def discounted_value(cash_per_year, final_usd, discount_rate):
    r"""Present value of yearly cash (mid-year) and a final sale at the end.

    Parameters
    ----------
    cash_per_year : sequence of float
        Net cash of each year from the decision year on. [USD/year]
    final_usd : float
        Sale at the end of the last year. [USD]
    discount_rate : float
        Discount rate, > -1. [1/year]

    Returns
    -------
    float
        :math:`\sum_t x_t (1+r)^{-(t + 1/2)} + S (1+r)^{-n}`. [USD]

    Examples
    --------
    >>> discounted_value([], 100.0, 0.1)
    100.0
    >>> round(discounted_value([100.0], 0.0, 0.0), 6)
    100.0
    """
    _checks.above("discount_rate", discount_rate, -1.0)
    x = np.asarray(cash_per_year, dtype=float)
    t = np.arange(x.size, dtype=float)
    r = float(discount_rate)
    return float(np.sum(x * (1 + r) ** -(t + 0.5)) + final_usd * (1 + r) ** -float(x.size))


# --- layer 2: catalog curves and the decision ---------------------------------------------------

@dataclass
class Decision:
    """Values of the three options per accelerator, and the one chosen."""

    accelerator: str
    year: int
    units: float
    values: dict[str, float]
    decision: str
    detail: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"accelerator": self.accelerator, "year": self.year, "units": self.units,
                "values_usd_per_accelerator": dict(self.values), "decision": self.decision,
                **self.detail}


def check_year(entry, year: int) -> int:
    """``year`` between the accelerator's launch and :data:`YEAR_MAX`."""
    if isinstance(year, bool) or not float(year).is_integer():
        raise InputError(f"--year must be a whole year, got {year!r}")
    launch = int(entry.year)
    if not launch <= int(year) <= YEAR_MAX:
        raise InputError(f"--year must be in [{launch}, {YEAR_MAX}] for {entry.slug} (launched "
                         f"{launch}), got {int(year)}")
    return int(year)


def decide(accelerator: str, year: int, *, units: float = 1000.0, site: str | None = None,
           inference_usd_per_hour=None, resale_usd: float | None = None, warn: bool = True,
           **overrides) -> Decision:
    """Values of keeping, selling and moving ``units`` accelerators to inference in ``year``.

    Parameters
    ----------
    accelerator : str
        Catalog accelerator with a rental price series.
    year : int
        Decision year, from its launch to :data:`YEAR_MAX`.
    units : float
        Accelerators sold together (sets the thin-market haircut), >= 1. [count]
    site : str, optional
        Site whose power price and operations apply; default the catalog default.
    inference_usd_per_hour : float or sequence, optional
        Inference value per accelerator-hour (e.g. from a token-economics model), one value or
        one per year of the inference life; default the rental price times
        ``inference_value_share``. [USD/h]
    resale_usd : float, optional
        Secondary price per accelerator now, instead of the catalog's. [USD]
    warn : bool
        Warn when a price series is read beyond its last point.
    **overrides
        Parameters of :func:`assumptions` at other values.
    """
    from .. import catalog, tco
    from ..errors import unknown
    from ..planning.plan_file import (HOURS_PER_YEAR, MARKET_DECLINE_PER_YEAR, net_sale_fraction,
                                      rental_curve, resale_curve)

    entry = catalog.accelerator(accelerator)
    year = check_year(entry, year)
    _checks.at_least("units", units, 1.0)
    spec = assumptions()
    for k, v in overrides.items():
        if k not in spec:
            raise InputError(unknown("retirement parameter", k, spec))
        _checks.number(k, v)
    p = {k: float(overrides.get(k, a.value)) for k, a in spec.items()}
    life_end = int(entry.year) + int(round(p["service_life_years"]))
    inference_end = life_end + int(round(p["inference_extra_years"]))
    years = np.arange(year, max(inference_end, year) + 1)
    rental = rental_curve(entry, years) / HOURS_PER_YEAR  # USD/h
    if not np.all(np.isfinite(rental)):
        raise InputError(f"{entry.slug} has no rental price series in the catalog (needed to value "
                         "keeping it); add one with --catalog FILE")
    result = (tco.accelerator_hour(entry.slug, site) if site is not None
              else tco.accelerator_hour(entry.slug))
    opex = float(result.breakdown["power"] + result.breakdown["operations"])  # USD/h
    curve = resale_curve(entry, float(entry.get("price_usd")), years.astype(float),
                         MARKET_DECLINE_PER_YEAR)
    if resale_usd is not None:
        _checks.non_negative("resale_usd", resale_usd)
        curve = curve.copy()
        curve[0] = float(resale_usd)
    haircut = thin_market_haircut(units, p["base_haircut"], p["price_impact"],
                                  p["market_depth_units_per_year"])
    net = net_sale_fraction(p["transaction_cost"], haircut)
    sale = curve * net
    hours = HOURS_PER_YEAR
    n_keep = max(0, life_end - year)
    keep_cash = (rental[:n_keep] * p["utilization"] - opex) * hours
    keep = discounted_value(keep_cash, float(sale[n_keep]), p["discount_rate"])
    n_inf = max(0, inference_end - year)
    if inference_usd_per_hour is None:
        inf_rate = rental[:n_inf] * p["inference_value_share"]
    else:
        _checks.non_negative("inference_usd_per_hour", inference_usd_per_hour)
        inf_rate = np.broadcast_to(np.asarray(inference_usd_per_hour, float), (n_inf,))
    inference = discounted_value((inf_rate - opex) * hours, float(sale[n_inf]),
                                 p["discount_rate"]) - p["redeploy_usd"]
    values = {"keep": keep, "sell": float(sale[0]), "inference": inference}
    decision = max(OPTIONS, key=lambda k: (values[k], -OPTIONS.index(k)))
    detail = {
        "secondary_price_usd": float(curve[0]), "net_sale_fraction": float(net),
        "thin_market_haircut": float(haircut), "rental_usd_per_hour": float(rental[0]),
        "opex_usd_per_hour": opex, "keep_until": life_end, "inference_until": inference_end,
        "parameters": {k: {"value": p[k], "low": a.low, "high": a.high, "source": a.source}
                       for k, a in spec.items()},
        "price_series_extrapolated": bool(_extrapolated(entry, years, warn)),
    }
    return Decision(entry.slug, year, float(units), values, decision, detail)


def _extrapolated(entry, years, warn: bool) -> bool:
    """Whether the secondary or rental series are read past their last point."""
    from ..catalog import history

    last = 0.0
    for measure in ("secondary", "rental-1y", "rental-on-demand"):
        try:
            (s,) = history.series(entry, measure)[:1]
        except InputError:
            continue
        last = max(last, float(s.points[-1].year))
    out = bool(years[-1] + 0.5 > last) if last else True
    if out and warn:
        import warnings

        warnings.warn(f"{entry.slug}: prices after {last:.0f} extrapolated (secondary: the "
                      "market decline; rental: held flat)", UserWarning, stacklevel=3)
    return out
