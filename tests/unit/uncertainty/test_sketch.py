"""Streaming aggregates: the quantile sketch's relative accuracy and merges, non-finite values."""

import numpy as np
import pytest

from siliconomics.uncertainty.sketch import Aggregate, QuantileSketch


def test_sketch_relative_accuracy_and_merge_order_does_not_matter():
    rng = np.random.default_rng(1)
    x = np.concatenate([rng.lognormal(0, 2, 50_000), -rng.lognormal(0, 1, 5_000), np.zeros(10)])
    whole = QuantileSketch(0.01)
    whole.add(x)
    parts = [QuantileSketch(0.01) for _ in range(3)]
    for p, chunk in zip(parts, np.array_split(x, 3)):
        p.add(chunk)
    merged = QuantileSketch(0.01)
    for p in reversed(parts):
        merged.merge(p)
    q = np.array([0.001, 0.05, 0.1, 0.5, 0.9, 0.99])
    np.testing.assert_array_equal(merged.quantile(q), whole.quantile(q))
    exact = np.quantile(x, q, method="lower")
    assert np.all(np.abs(whole.quantile(q) - exact) <= 0.01 * np.abs(exact) + 1e-300)
    edges, counts = whole.histogram(20)
    assert counts.sum() == x.size and edges.size == 21


def test_aggregate_ignores_non_finite_values_and_counts_them():
    a = Aggregate()
    a.add(np.array([1.0, np.nan, 3.0, np.inf]))
    s = a.summary()
    assert s["count"] == 2 and s["non_finite"] == 2 and s["mean"] == 2.0


def test_an_empty_sketch_has_no_quantiles():
    s = QuantileSketch()
    assert s.count == 0 and np.isnan(s.quantile(0.5))
    assert np.isnan(s.quantile([0.1, 0.9])).all()


def test_quantiles_are_the_lower_neighbour_within_the_relative_accuracy():
    s = QuantileSketch(0.01)
    s.add(np.array([1.0, 2.0, 3.0, 4.0, 100.0]))
    # rank q (n - 1), lower neighbour: q = 0.5 -> the third value; q = 1 -> the largest
    assert s.quantile(0.5) == pytest.approx(3.0, rel=0.01)
    assert s.quantile(1.0) == pytest.approx(100.0, rel=0.01)
    assert s.quantile(0.0) == pytest.approx(1.0, rel=0.01)


def test_sketches_of_different_accuracy_do_not_merge():
    with pytest.raises(ValueError, match="different accuracy"):
        QuantileSketch(0.01).merge(QuantileSketch(0.02))
    with pytest.raises(ValueError, match="alpha must be in \\(0, 1\\)"):
        QuantileSketch(1.0)


def test_aggregate_merged_from_chunks_equals_one_pass():
    rng = np.random.default_rng(2)
    x = rng.normal(5.0, 2.0, 10_001)
    one = Aggregate(thresholds=(5.0, 9.0))
    one.add(x)
    parts = Aggregate(thresholds=(5.0, 9.0))
    for chunk in np.array_split(x, 7):
        parts.add(chunk)
    assert parts.count == one.count == x.size
    assert parts.mean == pytest.approx(x.mean(), rel=1e-12)
    assert parts.std == pytest.approx(x.std(ddof=1), rel=1e-10)
    assert (parts.min, parts.max) == (x.min(), x.max())
    s = parts.summary()
    assert s["exceedance"] == {"5": np.mean(x > 5.0), "9": np.mean(x > 9.0)}
    assert s["relative_accuracy"] == parts.alpha and "non_finite" not in s


def test_an_empty_aggregate_summarises_as_nan():
    s = Aggregate().summary()
    assert s["count"] == 0 and np.isnan(s["mean"]) and s["std"] == 0.0


def test_quantiles_stay_between_the_exact_extremes_when_the_spread_is_below_the_accuracy():
    # every sample within 0.1% of 2,144: one or two buckets of 1% width, whose representative
    # values lie outside the samples; a 5th percentile above the mean would read as an error
    x = 2144.0 + np.random.default_rng(0).normal(0.0, 0.8, 20_000)
    agg = Aggregate()
    agg.add(x)
    s = agg.summary()
    raw = agg.sketch.quantile(np.array([0.05, 0.5, 0.95]))
    assert np.any((raw < x.min()) | (raw > x.max()))  # the bucket values alone fall outside
    for key in ("p5", "p25", "p50", "p75", "p95"):
        assert x.min() <= s[key] <= x.max()
        assert abs(s[key] / np.quantile(x, float(key[1:]) / 100) - 1) <= agg.alpha
    assert s["p5"] <= s["p50"] <= s["p95"]
    assert isinstance(agg.quantile(0.5), float)
