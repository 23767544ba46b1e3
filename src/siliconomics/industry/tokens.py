r"""Token economics: API prices against serving cost, and the GPU-rental business.

Gross margin on tokens
    A price point (``catalog/token_prices.toml``: a model, its provider, input and output list
    prices, a date and a source) is set against the cost of serving the same tokens at the
    provider type's realized utilization (``catalog/provider_types.toml``: lab API, neocloud,
    hyperscaler, each with a financing preset, a site and a utilization range). The cost comes
    from the serving model (:func:`serving_cost`, the one place that calls
    :func:`siliconomics.workloads.serving.estimate`, the function behind
    ``siliconomics serve``). With :math:`r` input tokens per output token the blended margin is

    .. math:: m = 1 - \frac{r\,c_{in} + c_{out}}{r\,p_{in} + p_{out}},

    which never falls when a price rises (:func:`gross_margin`).

GPU-rental business
    One accelerator bought at its TCO capital cost (:func:`siliconomics.tco.accelerator_hour`),
    rented at a contract price for the contract's years, then at a spot price that declines
    with hardware price-performance, financed partly with debt repaid as an annuity over the
    contract; :func:`rental_business` gives the project and equity cash flows and their IRRs
    (:func:`irr`, a root of the NPV found with Brent's method).

Examples
--------
>>> round(gross_margin(2.0, 8.0, 0.5, 2.0, input_per_output=3.0), 3)
0.75
>>> round(irr([-100.0, 60.0, 60.0]), 4)
0.1307
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
import numpy as np

from .. import _checks
from ..errors import InputError, unknown
from ..finance import capital_recovery_factor, npv
from ..results import ResultMixin

#: Provider types of ``catalog/provider_types.toml``.
PROVIDER_TYPES = ("lab-api", "neocloud", "hyperscaler")

#: Accelerators tried in order for a model's serving cost: the first whose scale-up domain
#: holds the model's weights and a request's KV cache serves it.
ACCELERATORS = ("h100-sxm", "h200", "gb200")

#: Time per output token an interactive API must meet: 50 ms, 20 tokens/s per user (this
#: project's assumption: about reading speed, the slow end of the speeds providers advertise).
INTERACTIVE_TPOT_S = 0.05

#: Hours in a year (365.25 days). [h/year]
HOURS_PER_YEAR = 8766.0


def _catalog():
    from .. import catalog

    return catalog.load()


def parameter(name: str):
    """A market parameter's catalog value (with range and source)."""
    return _catalog().get("market_parameters", name).fields["value"]


# ---------------------------------------------------------------------------------------------
# Margins
# ---------------------------------------------------------------------------------------------

def gross_margin(price_in, price_out, cost_in, cost_out, *, input_per_output=3.0):
    r"""Blended gross margin on a mix of input and output tokens.

    Parameters
    ----------
    price_in, price_out : numeric
        List prices per million input and output tokens, > 0. [USD/Mtok]
    cost_in, cost_out : numeric
        Serving costs per million input and output tokens, >= 0. [USD/Mtok]
    input_per_output : numeric
        Input tokens per output token in the traffic, >= 0. [ratio]

    Returns
    -------
    numeric
        :math:`1 - (r c_{in} + c_{out}) / (r p_{in} + p_{out})`; negative when serving costs
        more than the price. [fraction of revenue]

    Examples
    --------
    >>> gross_margin(1.0, 1.0, 1.0, 1.0)
    0.0
    """
    _checks.positive("price_in", price_in)
    _checks.positive("price_out", price_out)
    _checks.non_negative("cost_in", cost_in)
    _checks.non_negative("cost_out", cost_out)
    _checks.non_negative("input_per_output", input_per_output)
    r = np.asarray(input_per_output, dtype=float)
    revenue = r * np.asarray(price_in, dtype=float) + np.asarray(price_out, dtype=float)
    cost = r * np.asarray(cost_in, dtype=float) + np.asarray(cost_out, dtype=float)
    return _plain(1.0 - cost / revenue)


def provider_type(name: str):
    """A provider type entry (``lab-api``, ``neocloud``, ``hyperscaler``)."""
    cat = _catalog()
    try:
        return cat.get("provider_types", name)
    except Exception:
        raise InputError(unknown("provider type", str(name), cat.names("provider_types"))) from None


def serving_cost(model: str, provider: str, *, utilization=None, accelerator=None,
                 slo_tpot_s=INTERACTIVE_TPOT_S, prompt_tokens=2048, output_tokens=256) -> dict:
    """Cost of serving ``model`` for a provider type, per million input and output tokens.

    The only call into the serving model (``siliconomics serve``'s
    :func:`~siliconomics.workloads.serving.estimate`): the provider type's site and financing,
    at ``utilization`` (default the type's central value), on ``accelerator`` (default the
    first of :data:`ACCELERATORS` that holds the model), under an interactive latency target.

    Returns
    -------
    dict
        ``usd_per_million_input_tokens``, ``usd_per_million_output_tokens`` (realized, at the
        utilization), ``accelerator``, ``tp``, ``utilization``, ``usd_per_accelerator_hour``.
    """
    from ..workloads import serving

    pt = provider_type(provider)
    util = float(pt.value("utilization").value) if utilization is None else float(utilization)
    _checks.fraction("utilization", util)
    candidates = (accelerator,) if accelerator is not None else ACCELERATORS
    last = None
    for acc in candidates:
        try:
            d = serving.estimate(model, acc, utilization=util, site=pt.site,
                                   financing=pt.financing, slo_tpot_s=slo_tpot_s,
                                   prompt_tokens=prompt_tokens,
                                   output_tokens=output_tokens).to_dict()
        except InputError as exc:
            last = exc
            continue
        return {
            "usd_per_million_input_tokens": d["usd_per_million_input_tokens"],
            "usd_per_million_output_tokens": d["usd_per_million_output_tokens"],
            "accelerator": d["accelerator"], "tp": d["tp"], "batch": d["batch"],
            "utilization": util, "usd_per_accelerator_hour": d["usd_per_accelerator_hour"],
            "output_tokens_per_s_per_accelerator": d["output_tokens_per_s_per_accelerator"],
            "prompt_tokens": int(prompt_tokens), "output_tokens": int(output_tokens),
        }
    raise InputError(f"{model} cannot be served on {', '.join(candidates)}: {last}")


@dataclass
class TokenMargins(ResultMixin):
    """Token-margin table: one row per price point, with its source."""

    rows: list
    input_per_output: float
    slo_tpot_s: float
    provider_types: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"input_per_output": self.input_per_output, "slo_tpot_s": self.slo_tpot_s,
                "provider_types": self.provider_types, "rows": self.rows}


def price_points(names=None) -> list:
    """Token price entries: all (default) or the named ones, unknown names raising
    :class:`InputError` with the closest matches."""
    cat = _catalog()
    known = cat.names("token_prices")
    if not names:
        return [cat.get("token_prices", n) for n in known]
    out = []
    for n in names:
        try:
            out.append(cat.get("token_prices", n))
        except Exception:
            raise InputError(unknown("token price point", str(n), known)) from None
    return out


def margins(names=None, *, input_per_output=None, accelerator=None,
            slo_tpot_s=INTERACTIVE_TPOT_S) -> TokenMargins:
    """Gross margin of each price point at its provider type, with the range the type's
    utilization range gives, and the margin the same price would leave each other type.

    Examples
    --------
    >>> t = margins(["together-llama-3.1-70b"])
    >>> r = t.rows[0]
    >>> r["margin_low"] <= r["margin"] <= r["margin_high"]
    True
    """
    r = float(parameter("input-tokens-per-output-token").value) if input_per_output is None \
        else float(input_per_output)
    _checks.within("input_per_output", r, 0.0, 1e4)
    if slo_tpot_s is not None:
        _checks.within("slo_tpot_s", slo_tpot_s, None, 3600.0)
        _checks.positive("slo_tpot_s", slo_tpot_s)
    cache: dict = {}

    def cost(proxy, ptype, util):
        key = (proxy, ptype, util)
        if key not in cache:
            cache[key] = serving_cost(proxy, ptype, utilization=util, accelerator=accelerator,
                                      slo_tpot_s=slo_tpot_s)
        return cache[key]

    types = {}
    for name in PROVIDER_TYPES:
        pt = provider_type(name)
        u = pt.value("utilization")
        types[name] = {"financing": pt.financing, "site": pt.site,
                       "utilization": u.value, "utilization_low": u.low, "utilization_high": u.high,
                       "utilization_source": u.source, "assumption": u.assumption}
    rows = []
    for e in price_points(names):
        pin, pout = float(e.input_usd_per_mtok), float(e.output_usd_per_mtok)
        t = types[e.provider_type]
        out = {}
        for label, util in (("", t["utilization"]), ("_low", t["utilization_low"]),
                            ("_high", t["utilization_high"])):
            if util is None:
                util = t["utilization"]
            c = cost(e.cost_proxy, e.provider_type, util)
            out["margin" + label] = gross_margin(pin, pout, c["usd_per_million_input_tokens"],
                                                 c["usd_per_million_output_tokens"],
                                                 input_per_output=r)
            if not label:
                central = c
        by_type = {}
        for other in PROVIDER_TYPES:
            c = cost(e.cost_proxy, other, types[other]["utilization"])
            by_type[other] = gross_margin(pin, pout, c["usd_per_million_input_tokens"],
                                          c["usd_per_million_output_tokens"], input_per_output=r)
        v = e.fields["input_usd_per_mtok"]
        rows.append({
            "slug": e.slug, "model": e.model, "provider": e.provider,
            "provider_type": e.provider_type, "tier": e.tier, "date": v.as_of or e.as_of,
            "input_usd_per_mtok": pin, "output_usd_per_mtok": pout,
            "cost_proxy": e.cost_proxy, "cost_proxy_assumption": bool(e.cost_proxy_assumption),
            "accelerator": central["accelerator"], "tp": central["tp"],
            "utilization": central["utilization"],
            "cost_usd_per_mtok_input": central["usd_per_million_input_tokens"],
            "cost_usd_per_mtok_output": central["usd_per_million_output_tokens"],
            # margin at the type's central utilization; low/high at its utilization range ends
            "margin": out["margin"],
            "margin_low": min(out["margin_low"], out["margin_high"]),
            "margin_high": max(out["margin_low"], out["margin_high"]),
            "margin_by_provider_type": by_type,
            "source": v.source or e.source, "url": v.url,
        })
    return TokenMargins(rows=rows, input_per_output=r, slo_tpot_s=slo_tpot_s,
                        provider_types=types)


# ---------------------------------------------------------------------------------------------
# GPU-rental business
# ---------------------------------------------------------------------------------------------

def irr(cash_flows, *, low=-0.999, high=10.0) -> float:
    r"""Internal rate of return: the rate at which the NPV of end-of-year cash flows is zero.

    Parameters
    ----------
    cash_flows : array_like
        Cash flows of years 0, 1, 2, ... [USD]
    low, high : float
        Range searched, > -1. [1/year]

    Returns
    -------
    float
        The root of :func:`siliconomics.finance.npv` nearest zero within the range, found with
        Brent's method (:func:`scipy.optimize.brentq`) in the first bracket where the NPV changes
        sign on a grid; ``nan`` when it never does (no IRR). [1/year]

    Examples
    --------
    >>> irr([-100.0, 110.0])
    0.1
    >>> math.isnan(irr([100.0, 10.0]))
    True
    """
    from scipy.optimize import brentq

    flows = np.asarray(cash_flows, dtype=float)
    if flows.ndim != 1 or flows.size < 2 or not np.all(np.isfinite(flows)):
        raise InputError("cash_flows must be at least two finite numbers, one per year")
    _checks.above("low", low, -1.0)
    f = lambda rate: float(npv(flows, rate))  # noqa: E731
    grid = np.unique(np.concatenate([np.linspace(low, 0.0, 1000), np.linspace(0.0, high, 1000)]))
    values = np.array([f(r) for r in grid])
    change = np.nonzero(np.sign(values[:-1]) * np.sign(values[1:]) <= 0)[0]
    if change.size == 0:
        return float("nan")
    # bracket nearest a zero rate
    k = change[np.argmin(np.abs(grid[change]))]
    a, b = grid[k], grid[k + 1]
    if values[k] == 0.0:
        return float(a)
    if values[k + 1] == 0.0:
        return float(b)
    return float(round(brentq(f, a, b, xtol=1e-12, maxiter=500), 10))


@dataclass
class RentalBusiness(ResultMixin):
    """Cash flows and returns of renting out one accelerator."""

    inputs: dict
    years: list
    revenue_usd: list
    opex_usd: list
    debt_service_usd: list
    project_cash_flows_usd: list
    equity_cash_flows_usd: list
    project_irr: float
    equity_irr: float
    breakeven_rental_usd_per_hour: float
    tco_usd_per_hour: float

    def to_dict(self) -> dict:
        clean = lambda x: None if isinstance(x, float) and math.isnan(x) else x  # noqa: E731
        return {
            "inputs": self.inputs, "years": self.years, "revenue_usd": self.revenue_usd,
            "opex_usd": self.opex_usd, "debt_service_usd": self.debt_service_usd,
            "project_cash_flows_usd": self.project_cash_flows_usd,
            "equity_cash_flows_usd": self.equity_cash_flows_usd,
            "project_irr": clean(self.project_irr), "equity_irr": clean(self.equity_irr),
            "breakeven_rental_usd_per_hour": self.breakeven_rental_usd_per_hour,
            "tco_usd_per_hour": self.tco_usd_per_hour,
        }


def rental_cash_flows(*, capex_usd, opex_usd_per_year, rental_usd_per_hour, contract_years,
                      life_years, contract_utilization=1.0, spot_utilization=0.6,
                      spot_decline_per_year=0.28, debt_fraction=0.7, debt_rate=0.11,
                      residual_fraction=0.0):
    r"""Project and equity cash flows of one rented-out accelerator, years 0..life.

    Parameters
    ----------
    capex_usd : float
        Upfront cost of the accelerator with its share of system, network and facility. [USD]
    opex_usd_per_year : float
        Power and operations per year. [USD/year]
    rental_usd_per_hour : float
        Contract price per accelerator-hour. [USD/h]
    contract_years : int
        Years at the contract price and ``contract_utilization``, <= ``life_years``. [year]
    life_years : int
        Years the accelerator is rented. [year]
    contract_utilization, spot_utilization : float
        Share of hours paid for under the contract and after it, in (0, 1]. [fraction]
    spot_decline_per_year : float
        Yearly fall of the spot price from the contract price, in [0, 1). [1/year]
    debt_fraction : float
        Share of ``capex_usd`` borrowed, in [0, 1). [fraction]
    debt_rate : float
        Interest on the debt, repaid as an annuity over the contract years. [1/year]
    residual_fraction : float
        Resale value at the end of life, share of capex, in [0, 1]. [fraction]

    Returns
    -------
    dict
        Lists per year: ``revenue``, ``opex``, ``debt_service``, ``project`` and ``equity``
        cash flows. [USD]

    Notes
    -----
    Year :math:`t \ge 1` earns :math:`p_t\,8766\,u_t` with :math:`p_t = p` in the contract and
    :math:`p (1-d)^t` after it; equity pays :math:`(1-D) C` at :math:`t=0` and the annuity
    :math:`D\,C\,CRF(i, T_c)` in each contract year.
    """
    _checks.positive("capex_usd", capex_usd)
    _checks.non_negative("opex_usd_per_year", opex_usd_per_year)
    _checks.positive("rental_usd_per_hour", rental_usd_per_hour)
    _checks.within("rental_usd_per_hour", rental_usd_per_hour, None, 1e4)
    life = _checks.count("life_years", life_years, 1, 30)
    term = _checks.count("contract_years", contract_years, 1, 30)
    if term > life:
        raise InputError(f"contract_years must be <= life_years ({life}), got {term}")
    _checks.fraction("contract_utilization", contract_utilization)
    _checks.fraction("spot_utilization", spot_utilization)
    _checks.within("spot_decline_per_year", spot_decline_per_year, 0.0, 0.99)
    _checks.within("debt_fraction", debt_fraction, 0.0, 0.99)
    _checks.within("debt_rate", debt_rate, 0.0, 1.0)
    _checks.fraction("residual_fraction", residual_fraction, open_low=False)
    t = np.arange(1, life + 1)
    in_contract = t <= term
    price = np.where(in_contract, rental_usd_per_hour,
                     rental_usd_per_hour * (1.0 - spot_decline_per_year) ** t)
    util = np.where(in_contract, contract_utilization, spot_utilization)
    revenue = price * HOURS_PER_YEAR * util
    opex = np.full(life, float(opex_usd_per_year))
    debt = debt_fraction * capex_usd
    service = np.where(in_contract, debt * capital_recovery_factor(debt_rate, term), 0.0)
    residual = np.zeros(life)
    residual[-1] = residual_fraction * capex_usd
    project = np.concatenate([[-capex_usd], revenue - opex + residual])
    equity = np.concatenate([[-(capex_usd - debt)], revenue - opex - service + residual])
    return {"revenue": revenue, "opex": opex, "debt_service": service, "project": project,
            "equity": equity}


def rental_business(accelerator="h100-sxm", *, rental_usd_per_hour=None, contract_years=3,
                    life_years=None, site=None, financing="neocloud", spot_utilization=None,
                    debt_fraction=None, debt_rate=None, spot_decline_per_year=None,
                    date="2025") -> RentalBusiness:
    """IRR of buying ``accelerator`` to rent it out: capital and operating cost from
    :func:`siliconomics.tco.accelerator_hour`, the contract price (default the catalog's 1-year
    rental price at ``date``), debt and spot-market terms from ``catalog/market_parameters``.

    Examples
    --------
    >>> b = rental_business("h100", rental_usd_per_hour=3.0)
    >>> b.equity_irr > rental_business("h100", rental_usd_per_hour=2.5).equity_irr > 0
    True
    """
    from .. import catalog, tco
    from ..planning.plan_file import MARKET_DECLINE_PER_YEAR

    date = check_date(date)
    r = tco.accelerator_hour(accelerator, site, financing=financing, utilization=1.0)
    n = float(r.accelerators)
    capex = float(r.capex_usd) / n
    opex = float(r.annual_opex_usd) / n
    life = int(round(catalog.financing(financing).accelerator_life_years)) if life_years is None \
        else life_years
    if rental_usd_per_hour is None:
        rental_usd_per_hour = float(catalog.price_at(r.accelerator, str(date), "rental-1y",
                                                     warn=False).value)
    p = lambda name, given: float(parameter(name).value) if given is None else float(given)  # noqa: E731
    inputs = {
        "accelerator": r.accelerator, "site": r.site, "financing": financing,
        "rental_usd_per_hour": float(rental_usd_per_hour), "contract_years": int(contract_years),
        "life_years": int(life), "capex_usd": capex, "opex_usd_per_year": opex,
        "spot_utilization": p("rental-spot-utilization", spot_utilization),
        "debt_fraction": p("rental-debt-fraction", debt_fraction),
        "debt_rate": p("rental-debt-rate", debt_rate),
        "spot_decline_per_year": MARKET_DECLINE_PER_YEAR if spot_decline_per_year is None
        else float(spot_decline_per_year),
    }
    kw = {k: inputs[k] for k in ("capex_usd", "opex_usd_per_year", "rental_usd_per_hour",
                                 "contract_years", "life_years", "spot_utilization",
                                 "debt_fraction", "debt_rate", "spot_decline_per_year")}
    flows = rental_cash_flows(**kw)
    tco_hour = float(tco.accelerator_hour(accelerator, site, financing=financing,
                                          utilization=1.0).usd_per_accelerator_hour)
    return RentalBusiness(
        inputs=inputs, years=list(range(0, life + 1)),
        revenue_usd=[float(x) for x in flows["revenue"]],
        opex_usd=[float(x) for x in flows["opex"]],
        debt_service_usd=[float(x) for x in flows["debt_service"]],
        project_cash_flows_usd=[float(x) for x in flows["project"]],
        equity_cash_flows_usd=[float(x) for x in flows["equity"]],
        project_irr=irr(flows["project"]), equity_irr=irr(flows["equity"]),
        breakeven_rental_usd_per_hour=_breakeven(kw), tco_usd_per_hour=tco_hour,
    )


def check_date(date) -> str:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` naming a real day in 2000-2100, else
    :class:`InputError`."""
    import datetime
    import re

    text = str(date).strip()
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text)
    ok = False
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
        try:
            datetime.date(y, mo, d)
            ok = 2000 <= y <= 2100
        except ValueError:
            ok = False
    if not ok:
        raise InputError(f"date must be YYYY, YYYY-MM or YYYY-MM-DD between 2000 and 2100, got "
                         f"{text!r}")
    return text


def _breakeven(kw: dict) -> float:
    """Contract price at which the project IRR equals zero (its cash flows just pay back). [USD/h]"""
    from scipy.optimize import brentq

    def total(price):
        return float(np.sum(rental_cash_flows(**{**kw, "rental_usd_per_hour": price})["project"]))

    lo, hi = 1e-6, 1e4
    if total(lo) >= 0 or total(hi) <= 0:
        return float("nan")
    return float(brentq(total, lo, hi, xtol=1e-9))


def _plain(x):
    arr = np.asarray(x, dtype=float)
    return float(arr) if arr.ndim == 0 else arr


__all__ = ["PROVIDER_TYPES", "RentalBusiness", "TokenMargins", "gross_margin", "irr",
           "margins", "price_points", "provider_type", "rental_business", "rental_cash_flows",
           "serving_cost"]
