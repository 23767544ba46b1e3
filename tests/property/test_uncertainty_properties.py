"""Invariants of distributions, the quantile sketch, aggregates and correlation repair."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from siliconomics.uncertainty import correlation
from siliconomics.uncertainty import montecarlo
from siliconomics.uncertainty.distributions import Beta, Clipped, Triangular, from_interval
from siliconomics.uncertainty.sketch import Aggregate, QuantileSketch

finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)


# Intervals spanning more than ~100 decades are refused (draws would overflow), so positive
# lows start at 1e-30.
interval_low = finite.filter(lambda x: x <= 0 or x >= 1e-30)


@given(interval_low, st.floats(1e-6, 1e6))
def test_interval_quantiles_are_the_interval_ends(low, width):
    high = low + width
    d = from_interval(low, high)
    lo, hi = d.ppf(np.array([0.05, 0.95]))
    assert np.isclose(lo, low, rtol=1e-9, atol=1e-9 * width)
    assert np.isclose(hi, high, rtol=1e-9, atol=1e-9 * width)


@given(st.floats(-3, 3), st.floats(-3, 3), st.floats(1e-3, 100), st.floats(1.001, 100))
def test_quantile_function_is_monotone(z1, z2, low, ratio):
    d = from_interval(low, low * ratio)
    a, b = sorted((z1, z2))
    assert d.from_normal(np.array(a)) <= d.from_normal(np.array(b))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-1e9, 1e9, allow_nan=False), min_size=1, max_size=400),
       st.floats(0, 1))
def test_sketch_quantile_is_within_relative_accuracy_of_the_sample_quantile(values, q):
    x = np.asarray(values)
    s = QuantileSketch(0.01)
    s.add(x)
    exact = np.quantile(x, q, method="lower")
    got = s.quantile(q)
    assert abs(got - exact) <= 0.01 * abs(exact) + 1e-290


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-1e9, 1e9, allow_nan=False), min_size=1, max_size=400),
       st.floats(0, 1))
def test_aggregate_quantiles_are_ordered_between_the_extremes_and_as_accurate(values, q):
    x = np.asarray(values)
    agg = Aggregate(alpha=0.01)
    agg.add(x)
    qs = np.sort(np.array([0.0, q, 0.5, 1.0]))
    got = agg.quantile(qs)
    assert np.all(np.diff(got) >= 0) and x.min() <= got[0] and got[-1] <= x.max()
    exact = np.quantile(x, q, method="lower")
    assert abs(agg.quantile(q) - exact) <= 0.01 * abs(exact) + 1e-290


@settings(max_examples=40, deadline=None)
@given(st.lists(finite, min_size=2, max_size=300), st.integers(1, 5))
def test_merged_aggregates_equal_one_pass(values, parts):
    x = np.asarray(values)
    whole = Aggregate((0.0,))
    whole.add(x)
    merged = Aggregate((0.0,))
    for chunk in np.array_split(x, parts):
        a = Aggregate((0.0,))
        a.add(chunk)
        merged.merge(a)
    assert merged.count == whole.count and merged.exceed == whole.exceed
    assert np.isclose(merged.mean, whole.mean, rtol=1e-9, atol=1e-6)
    assert np.isclose(merged.std, whole.std, rtol=1e-6, atol=1e-6)
    assert merged.min == x.min() and merged.max == x.max()
    q = np.array([0.1, 0.5, 0.9])
    np.testing.assert_array_equal(merged.sketch.quantile(q), whole.sketch.quantile(q))


@settings(max_examples=30, deadline=None)
@given(st.integers(2, 6), st.integers(0, 10_000))
def test_nearest_correlation_is_a_valid_correlation_matrix(k, seed):
    rng = np.random.default_rng(seed)
    m = rng.uniform(-1, 1, (k, k))
    m = (m + m.T) / 2
    np.fill_diagonal(m, 1.0)
    near = correlation.nearest_correlation(m)
    assert np.linalg.eigvalsh(near).min() >= -1e-8
    np.testing.assert_allclose(np.diag(near), 1.0, atol=1e-9)
    np.testing.assert_allclose(near, near.T)
    correlation.check(near)  # accepted


_DISTRIBUTIONS = st.one_of(
    st.builds(lambda lo, w: from_interval(lo, lo + w), interval_low, st.floats(1e-6, 1e6)),
    st.builds(Beta, st.floats(0.05, 50), st.floats(0.05, 50)),
    st.builds(lambda lo, w, m: Triangular(lo, lo + m * w, lo + w),
              finite, st.floats(1e-3, 1e6), st.floats(0, 1)),
)


@settings(max_examples=60, deadline=None)
@given(_DISTRIBUTIONS, st.sampled_from(["random", "qmc"]), st.integers(0, 2**32),
       st.one_of(st.none(), st.floats(-1, 1)), st.one_of(st.none(), st.floats(0, 2)))
def test_every_sample_lies_within_the_plans_bounds_for_that_input(dist, sampler, seed, lo, width):
    """The bounds that spare the Monte Carlo its per-block range checks hold every draw."""
    if lo is not None or width is not None:
        dist = Clipped(dist, lo, None if width is None else (lo or 0.0) + width)
    plan = montecarlo.Plan(names=("x",), dists=(dist,), evaluate=lambda v: {"y": v["x"]},
                           outputs=("y",), samples=4096, seed=seed, sampler=sampler)
    (low, high), x = plan._bounds[0], plan.draw(0)["x"]
    assert low <= x.min() and x.max() <= high
