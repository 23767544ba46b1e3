"""Invariants of the industry models: fixed costs and markets move the count one way only."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from siliconomics.industry import labs
from siliconomics.industry import oligopoly as o

revenue = st.floats(0.0, 1e12, allow_nan=False)
cost = st.floats(1e6, 1e11, allow_nan=False)
margin = st.floats(0.01, 1.0)
share = st.floats(0.0, 1.0)
ratio = st.floats(1.0, 10.0)
progress = st.floats(0.5, 1.0)
factor = st.floats(1.0, 3.0)

EXAMPLES = settings(max_examples=60, deadline=None)


@EXAMPLES
@given(revenue, margin, cost, factor, share, ratio, progress)
def test_larger_fixed_cost_never_raises_the_count(r, m, f, k, s, v, p):
    assert o.viable_firms(r, m, f * k) <= o.viable_firms(r, m, f)
    assert o.viable_firms_with_leader(r, m, f * k, s) <= o.viable_firms_with_leader(r, m, f, s)
    assert o.viable_firms_learning(r, m, f * k, v, p) <= o.viable_firms_learning(r, m, f, v, p)


@EXAMPLES
@given(revenue, margin, cost, factor, share, ratio, progress)
def test_larger_market_never_lowers_the_count(r, m, f, k, s, v, p):
    assert o.viable_firms(r * k, m, f) >= o.viable_firms(r, m, f)
    assert o.viable_firms_with_leader(r * k, m, f, s) >= o.viable_firms_with_leader(r, m, f, s)
    assert o.viable_firms_learning(r * k, m, f, v, p) >= o.viable_firms_learning(r, m, f, v, p)


@EXAMPLES
@given(revenue, margin, cost, ratio, factor, progress)
def test_a_bigger_volume_lead_never_raises_the_count(r, m, f, v, k, p):
    assert o.viable_firms_learning(r, m, f, v * k, p) <= o.viable_firms_learning(r, m, f, v, p)


@EXAMPLES
@given(revenue, margin, cost)
def test_every_firm_counted_recovers_its_fixed_cost(r, m, f):
    n = o.viable_firms(r, m, f)
    assert n >= 0 and float(n).is_integer()
    if n > 0:
        assert m * r / n >= f * (1 - 1e-9)
    assert m * r / (n + 1) < f * (1 + 1e-9)


@EXAMPLES
@given(st.lists(revenue, min_size=1, max_size=8), margin, cost, ratio, progress)
def test_arrays_equal_scalars(rs, m, f, v, p):
    arr = o.viable_firms_learning(np.array(rs), m, f, v, p)
    assert np.atleast_1d(arr).tolist() == [o.viable_firms_learning(x, m, f, v, p) for x in rs]


@settings(max_examples=15, deadline=None)
@given(st.floats(1.5, 4.0), st.floats(1.05, 1.5), st.integers(2025, 2040))
def test_faster_run_cost_growth_never_adds_labs(g, k, year):
    slow = labs.project([year], run_cost="trend", run_cost_growth_per_year=g).row(year)["viable_labs"]
    fast = labs.project([year], run_cost="trend", run_cost_growth_per_year=min(g * k, 20.0)).row(year)["viable_labs"]
    assert fast <= slow
