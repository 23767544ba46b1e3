r"""Inference demand: tokens per year from users, use per user and multipliers, and the fleet
that serves them.

World token demand in year :math:`y` (base year :math:`y_0`):

.. math::
    Q(y) = U(y)\; t(y)\; 365\; m(y)\; (p / p_{ref})^{\varepsilon},\qquad
    U(y) = \min(U_{max},\ U_0 g_U^{\,y - y_0}),\ t(y) = t_0 g_t^{\,y-y_0},\
    m(y) = m_r m_a g_m^{\,y-y_0}

with weekly AI-assistant users :math:`U` (saturating at the world's internet users), tokens
per user per day :math:`t`, reasoning and agent multipliers :math:`m_r, m_a`, and price
elasticity :math:`\varepsilon \le 0` against a reference price. Every input is a market
parameter of ``catalog/market_parameters.toml`` with its 90% range and source.

Tokens per year become the accelerators that serve them through the serving model
(:func:`siliconomics.industry.tokens.serving_cost`, which calls the function behind
``siliconomics serve``): :math:`N = Q_{out} / (r_{acc}\,8766 \cdot 3600\,u)` for output
tokens :math:`Q_{out} = Q / (1 + r_{io})`, output tokens per second per accelerator
:math:`r_{acc}` (prefill included) and utilization :math:`u`. :func:`plan_demand` writes that
fleet as a ``[demand]`` section of a plan file (:mod:`siliconomics.planning.plan_file`).

Hourly demand profiles of one service (requests per second) are
:mod:`siliconomics.workloads.demand`; this module is the world's demand by year.

Examples
--------
>>> d = tokens_per_year(2025)
>>> 1e15 < d < 1e18
True
>>> tokens_per_year(2027) > tokens_per_year(2026)
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import _checks
from ..errors import InputError, unknown
from ..results import ResultMixin

#: First and last year the demand model answers: the base year's data (2025) back one year
#: and forward ten, as far as its growth assumptions are stated. [year]
YEAR_MIN, YEAR_MAX = 2024, 2035

#: Model input -> market parameter holding its value, range and source.
PARAMETERS = {
    "users": "ai-assistant-weekly-users",
    "users_growth": "ai-users-growth",
    "max_users": "internet-users",
    "tokens_per_user_per_day": "tokens-per-user-per-day",
    "tokens_per_user_growth": "tokens-per-user-growth",
    "reasoning_multiplier": "reasoning-multiplier",
    "agent_multiplier": "agent-multiplier",
    "multiplier_growth": "multiplier-growth",
    "elasticity": "token-price-elasticity",
    "reference_price_usd_per_mtok": "reference-token-price",
    "input_per_output": "input-tokens-per-output-token",
}

SECONDS_PER_YEAR = 8766.0 * 3600.0

#: Highest blended token price accepted: far above any list price (Opus 4 output: $75/M), so
#: only a typo or a unit mix-up reaches it. [USD/Mtok]
MAX_PRICE_USD_PER_MTOK = 1e4


def _value(name: str):
    from .. import catalog

    return catalog.load().get("market_parameters", PARAMETERS[name]).fields["value"]


def base_year() -> int:
    """Year of the users and tokens-per-user levels (the catalog entries' ``year``). [year]"""
    from .. import catalog

    return int(catalog.load().get("market_parameters", PARAMETERS["users"]).year)


def parameters(which: str = "value", **given) -> dict:
    """Every model input: ``given`` values, else the catalog's (``which``: value, low, high).

    Unknown names and bad values raise :class:`InputError`: demand-side levels must be >= 0,
    growth factors > 0, elasticity <= 0 (demand falls as the price rises).
    """
    for k in given:
        if k not in PARAMETERS:
            raise InputError(unknown("demand parameter", k, PARAMETERS))
    if which not in ("value", "low", "high"):
        raise InputError(unknown("range end", which, ("value", "low", "high")))
    out = {}
    for k in PARAMETERS:
        if given.get(k) is not None:
            out[k] = given[k]
            continue
        v = _value(k)
        end = getattr(v, which) if which != "value" else None
        out[k] = float(v.value if end is None else end)
    for k in ("users", "max_users", "tokens_per_user_per_day", "reasoning_multiplier",
              "agent_multiplier", "input_per_output"):
        _checks.non_negative(k, out[k])
    for k in ("users_growth", "tokens_per_user_growth", "multiplier_growth",
              "reference_price_usd_per_mtok"):
        _checks.positive(k, out[k])
    if np.any(np.asarray(out["elasticity"]) > 0):
        raise InputError(f"elasticity must be <= 0 (demand falls as the price rises), got "
                         f"{_checks._fmt(out['elasticity'])}")
    return out


def check_year(year) -> int:
    """``year`` as an int within :data:`YEAR_MIN`-:data:`YEAR_MAX`, else :class:`InputError`."""
    y = _checks.count("year", year, 1900, 2200)
    if not YEAR_MIN <= y <= YEAR_MAX:
        raise InputError(f"year must be within {YEAR_MIN}-{YEAR_MAX} (the demand model's "
                         f"range), got {y}")
    return y


def tokens_per_year(year, *, price_usd_per_mtok=None, which: str = "value", **given):
    """World tokens (input plus output) processed in ``year``. [tokens/year]

    Parameters
    ----------
    year : int
        Year within :data:`YEAR_MIN`-:data:`YEAR_MAX`.
    price_usd_per_mtok : numeric, optional
        Blended price per million tokens, > 0; default the reference price (no price effect).
        [USD/Mtok]
    which : {"value", "low", "high"}
        End of the catalog ranges used for inputs not given.
    **given
        Inputs of :data:`PARAMETERS` (numbers or arrays).
    """
    y = check_year(year)
    p = parameters(which, **given)
    dt = y - base_year()
    users = np.minimum(p["max_users"], p["users"] * np.asarray(p["users_growth"]) ** dt)
    per_user = p["tokens_per_user_per_day"] * np.asarray(p["tokens_per_user_growth"]) ** dt
    mult = p["reasoning_multiplier"] * p["agent_multiplier"] * np.asarray(
        p["multiplier_growth"]) ** dt
    price = p["reference_price_usd_per_mtok"] if price_usd_per_mtok is None else price_usd_per_mtok
    _checks.positive("price_usd_per_mtok", price)
    _checks.within("price_usd_per_mtok", price, None, MAX_PRICE_USD_PER_MTOK)
    response = (np.asarray(price, dtype=float) / p["reference_price_usd_per_mtok"]) ** np.asarray(
        p["elasticity"], dtype=float)
    out = users * per_user * 365.25 * mult * response
    out = np.asarray(out, dtype=float)
    return float(out) if out.ndim == 0 else out


@dataclass
class DemandProjection(ResultMixin):
    """Tokens per year, the fleet that serves them, and a published check."""

    rows: list
    model: str
    accelerator: str
    utilization: float
    output_tokens_per_s_per_accelerator: float
    check: dict

    def to_dict(self) -> dict:
        return {"model": self.model, "accelerator": self.accelerator,
                "utilization": self.utilization,
                "output_tokens_per_s_per_accelerator": self.output_tokens_per_s_per_accelerator,
                "check": self.check, "rows": self.rows}


def serving_rate(model="llama-3.1-70b", *, provider="neocloud", accelerator=None,
                 input_per_output=None) -> dict:
    """Output tokens per second one accelerator serves, with the request shape of the demand's
    input-to-output mix (256 output tokens, ``256 * input_per_output`` prompt tokens)."""
    from . import tokens

    r = float(_value("input_per_output").value) if input_per_output is None else input_per_output
    _checks.within("input_per_output", r, 0.0, 1e4)
    return tokens.serving_cost(model, provider, accelerator=accelerator,
                               prompt_tokens=max(1, int(round(256 * r))), output_tokens=256)


def fleet_for_tokens(tokens_per_year_, output_tokens_per_s_per_accelerator, *, utilization,
                     input_per_output):
    r"""Accelerators needed to serve ``tokens_per_year_`` tokens (input plus output).

    :math:`N = Q / (1 + r) / (r_{acc}\,T\,u)` with :math:`T` the seconds in a year.

    Examples
    --------
    >>> round(fleet_for_tokens(2 * 31557600.0, 1.0, utilization=0.5, input_per_output=1.0))
    2
    """
    _checks.non_negative("tokens_per_year", tokens_per_year_)
    _checks.positive("output_tokens_per_s_per_accelerator", output_tokens_per_s_per_accelerator)
    _checks.fraction("utilization", utilization)
    _checks.non_negative("input_per_output", input_per_output)
    out_tokens = np.asarray(tokens_per_year_, dtype=float) / (1.0 + input_per_output)
    n = out_tokens / (np.asarray(output_tokens_per_s_per_accelerator) * SECONDS_PER_YEAR
                      * utilization)
    return float(n) if np.ndim(n) == 0 else n


def sample_parameters(samples: int, seed: int = 0, **given) -> dict:
    """``samples`` draws of every input not ``given``, each from its catalog 90% interval
    (lognormal for positive ranges, normal otherwise; independent), with ``seed``."""
    from ..uncertainty.distributions import from_interval

    n = _checks.count("samples", samples, 1, 10**6)
    rng = np.random.default_rng(np.random.SeedSequence(int(seed)))
    out = {}
    for k in PARAMETERS:
        if given.get(k) is not None:
            out[k] = given[k]
            continue
        v = _value(k)
        if v.low is None or v.high is None:
            out[k] = float(v.value)
            continue
        draws = from_interval(float(v.low), float(v.high)).sample(rng, n)
        out[k] = np.minimum(draws, 0.0) if k == "elasticity" else draws
    return out


def project(years, *, model="llama-3.1-70b", provider="neocloud", accelerator=None,
            utilization=None, price_usd_per_mtok=None, samples=1000, seed=0,
            **given) -> DemandProjection:
    """Tokens per year, with a 5-95% band from ``samples`` Monte Carlo draws of the catalog
    ranges (0: none), and the fleet of ``accelerator`` serving ``model`` that they need."""
    years = [check_year(y) for y in years]
    if not years:
        raise InputError("give at least one year")
    from . import tokens

    pt = tokens.provider_type(provider)
    util = float(pt.value("utilization").value) if utilization is None else float(utilization)
    _checks.fraction("utilization", util)
    r = given.get("input_per_output")
    rate = serving_rate(model, provider=provider, accelerator=accelerator, input_per_output=r)
    io = parameters(**given)["input_per_output"]
    drawn = sample_parameters(samples, seed, **given) if samples else None
    rows = []
    for y in years:
        q = tokens_per_year(y, price_usd_per_mtok=price_usd_per_mtok, **given)
        n = fleet_for_tokens(q, rate["output_tokens_per_s_per_accelerator"], utilization=util,
                             input_per_output=io)
        row = {"year": y, "tokens_per_year": q, "accelerators": n}
        if drawn is not None:
            qs = tokens_per_year(y, price_usd_per_mtok=price_usd_per_mtok, **drawn)
            row["tokens_per_year_p5"], row["tokens_per_year_p95"] = (
                float(x) for x in np.percentile(qs, [5, 95]))
        rows.append(row)
    return DemandProjection(rows=rows, model=model, accelerator=rate["accelerator"],
                            utilization=util,
                            output_tokens_per_s_per_accelerator=rate[
                                "output_tokens_per_s_per_accelerator"],
                            check=google_check(**given))


def google_check(**given) -> dict:
    """The base year's predicted monthly tokens against Google's published monthly tokens (one
    provider, so a lower bound on the world's): never fitted, reported as a ratio."""
    from .. import catalog

    g = catalog.load().get("market_parameters", "google-tokens-per-month")
    v = g.fields["value"]
    y = int(g.year)
    # demand at the year's end month, so compare with the end-of-year growth applied half a year
    predicted = tokens_per_year(y, **given) / 12.0
    return {"year": y, "predicted_tokens_per_month": predicted,
            "google_tokens_per_month": float(v.value), "source": v.source,
            "ratio": predicted / float(v.value), "at_least_google": predicted >= float(v.value)}


def plan_demand(years, *, share=1.0, model="llama-3.1-70b", provider="neocloud",
                accelerator=None, utilization=None, **given) -> dict:
    """A plan file's ``[demand]`` section: ``share`` of the world's serving fleet per year, in
    accelerator equivalents of the serving accelerator (what
    :class:`~siliconomics.planning.plan_file.DemandSection` reads).

    Examples
    --------
    >>> d = plan_demand([2025, 2026], share=0.01)
    >>> d["unit"], sorted(d["by_year"])
    ('accelerator_equivalents', [2025, 2026])
    """
    _checks.fraction("share", share)
    proj = project(years, model=model, provider=provider, accelerator=accelerator,
                   utilization=utilization, samples=0, **given)
    return {"unit": "accelerator_equivalents", "reference": proj.accelerator,
            "by_year": {r["year"]: float(r["accelerators"]) * share for r in proj.rows}}


__all__ = ["PARAMETERS", "YEAR_MAX", "YEAR_MIN", "DemandProjection", "fleet_for_tokens",
           "google_check", "parameters", "plan_demand", "project", "sample_parameters",
           "serving_rate", "tokens_per_year"]
