"""Invariants of the market models: a higher token price never lowers the margin; more supply
never raises the price; demand never rises with the price; a part with more performance is
never less controlled."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from siliconomics.industry import demand, export, supply, tokens

price = st.floats(0.01, 1e3, allow_nan=False)
cost = st.floats(0.0, 1e3, allow_nan=False)
mix = st.floats(0.0, 100.0, allow_nan=False)
factor = st.floats(1.0, 10.0, allow_nan=False)
quantity = st.floats(1e-3, 1e9, allow_nan=False)
elasticity = st.floats(-5.0, -0.05, allow_nan=False)

EXAMPLES = settings(max_examples=80, deadline=None)


@EXAMPLES
@given(price, price, cost, cost, mix, factor)
def test_a_higher_token_price_never_lowers_the_margin(pin, pout, cin, cout, r, k):
    m = tokens.gross_margin(pin, pout, cin, cout, input_per_output=r)
    assert tokens.gross_margin(pin * k, pout, cin, cout, input_per_output=r) >= m - 1e-12
    assert tokens.gross_margin(pin, pout * k, cin, cout, input_per_output=r) >= m - 1e-12
    assert m <= 1.0


@EXAMPLES
@given(price, quantity, quantity, factor, elasticity, st.floats(1.0, 5.0))
def test_more_supply_never_raises_the_price(p0, d, s, k, e, cap):
    before = supply.scarcity_price(p0, d, s, elasticity=e, cap=cap)
    after = supply.scarcity_price(p0, d, s * k, elasticity=e, cap=cap)
    assert after <= before * (1 + 1e-12)
    assert p0 * (1 - 1e-12) <= after <= p0 * cap * (1 + 1e-12)


@EXAMPLES
@given(price, factor, elasticity, st.integers(2024, 2035))
def test_demand_never_rises_with_the_price(p, k, e, year):
    q = demand.tokens_per_year(year, price_usd_per_mtok=p, elasticity=e)
    assert demand.tokens_per_year(year, price_usd_per_mtok=p * k, elasticity=e) <= q * (1 + 1e-12)


@EXAMPLES
@given(st.floats(0.0, 1e6), st.floats(0.0, 100.0), factor)
def test_more_performance_is_never_less_controlled(tpp, density, k):
    order = {c: i for i, c in enumerate(export.CLASSES)}  # 0: most restricted
    base = order[export.classify_values(tpp, density)]
    assert order[export.classify_values(tpp * k, density)] <= base
    assert order[export.classify_values(tpp * k, density * k)] <= base


@settings(max_examples=10, deadline=None)
@given(st.floats(0.05, 1.0), st.floats(1.0, 3.0))
def test_more_supply_share_never_tightens_a_cap(share, k):
    small = supply.supply_caps(["h100"], [2025], share=share / k)["h100"][2025]
    large = supply.supply_caps(["h100"], [2025], share=share)["h100"][2025]
    assert large >= small * (1 - 1e-12)
    assert np.isfinite(large)
