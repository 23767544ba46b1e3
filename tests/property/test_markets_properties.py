"""Invariants of the markets models: custom silicon, retirement and the outlook."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from siliconomics.industry import custom_silicon as cs
from siliconomics.industry import outlook as o
from siliconomics.industry import retirement as rt

_margin = st.floats(0.0, 0.98)


@settings(max_examples=60, deadline=None)
@given(_margin, _margin, st.floats(1e7, 2e9), st.floats(100.0, 1e5), st.floats(0.05, 5.0),
       st.floats(100.0, 2e4), st.floats(1.0, 3.0), st.floats(0.1, 1.0))
def test_higher_vendor_margin_never_raises_the_break_even(m1, m2, nre, cost, ratio, custom,
                                                         markup, sw):
    lo, hi = sorted((m1, m2))
    at_lo = cs.break_even_units(nre, cs.price_at_margin(cost, lo), ratio, custom, markup, sw)
    at_hi = cs.break_even_units(nre, cs.price_at_margin(cost, hi), ratio, custom, markup, sw)
    assert at_hi <= at_lo


@settings(max_examples=10, deadline=None)
@given(st.sampled_from(sorted(cs.CASES)), st.floats(0.5, 0.95), st.floats(0.0, 0.04))
def test_published_cases_break_even_no_later_at_a_higher_margin(name, m, dm):
    c = cs.CASES[name]
    assert (cs.break_even(c, vendor_margin=m + dm)["break_even_units"]
            <= cs.break_even(c, vendor_margin=m)["break_even_units"])


@settings(max_examples=40, deadline=None)
@given(st.floats(0.0, 1e7), st.floats(0.0, 1e7), st.floats(0.0, 0.5), st.floats(0.0, 1.0),
       st.floats(1.0, 1e6))
def test_haircut_grows_with_the_lot(u1, u2, base, impact, depth):
    lo, hi = sorted((u1, u2))
    assert (rt.thin_market_haircut(lo, base, impact, depth)
            <= rt.thin_market_haircut(hi, base, impact, depth))


@settings(max_examples=12, deadline=None)
@given(st.sampled_from([("h100", 2025), ("h100", 2027), ("a100", 2026), ("h200", 2027)]),
       st.floats(0.0, 5e4), st.floats(0.0, 5e4))
def test_a_higher_resale_price_never_favours_keeping_over_selling(case, r1, r2):
    acc, year = case
    lo, hi = sorted((r1, r2))
    a = rt.decide(acc, year, resale_usd=lo, warn=False)
    b = rt.decide(acc, year, resale_usd=hi, warn=False)
    assert b.values["keep"] - b.values["sell"] <= a.values["keep"] - a.values["sell"] + 1e-6
    assert b.values["inference"] - b.values["sell"] <= a.values["inference"] - a.values["sell"] + 1e-6


@settings(max_examples=12, deadline=None)
@given(st.integers(2025, 2035), st.floats(1e4, 1e8), st.floats(1.0, 10.0))
def test_more_supply_never_shrinks_the_funded_run(year, cap, k):
    small = o.outlook([year], samples=0, supply_limit={year: cap}).row(year)
    large = o.outlook([year], samples=0, supply_limit={year: cap * k}).row(year)
    assert large["accelerators_built"] >= small["accelerators_built"]
    assert large["funded_run_cost_usd"] >= small["funded_run_cost_usd"] * (1 - 1e-12)


@settings(max_examples=12, deadline=None)
@given(st.integers(2025, 2035), st.floats(1e14, 1e18), st.floats(0.1, 20.0), st.floats(1.0, 5.0))
def test_more_token_revenue_never_shrinks_the_funded_run(year, tokens, price, k):
    a = o.outlook([year], samples=0, tokens_per_year={year: tokens},
                  usd_per_million_tokens={year: price}).row(year)
    b = o.outlook([year], samples=0, tokens_per_year={year: tokens},
                  usd_per_million_tokens={year: price * k}).row(year)
    assert b["funded_run_cost_usd"] >= a["funded_run_cost_usd"] * (1 - 1e-12)
    assert np.isfinite(b["funded_run_cost_usd"])
