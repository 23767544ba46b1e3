"""Distributions: quantiles hit the stated intervals exactly (no randomness), parsing, errors."""

import math

import numpy as np
import pytest
from scipy import stats

from siliconomics.errors import InputError
from siliconomics.uncertainty import distributions as D


@pytest.mark.parametrize("low, high", [(0.05, 0.09), (25_000, 40_000), (1e-6, 1.0)])
def test_positive_interval_is_lognormal_with_those_5th_and_95th_percentiles(low, high):
    d = D.parse(f"{low} to {high}")
    assert isinstance(d, D.LogNormal)
    assert d.ppf(0.05) == pytest.approx(low, rel=1e-12)
    assert d.ppf(0.95) == pytest.approx(high, rel=1e-12)
    assert d.median == pytest.approx(math.sqrt(low * high), rel=1e-12)


def test_interval_across_zero_is_normal():
    d = D.parse("-2 to 4")
    assert isinstance(d, D.Normal)
    assert d.mean == pytest.approx(1.0)
    assert d.ppf(0.05) == pytest.approx(-2.0) and d.ppf(0.95) == pytest.approx(4.0)
    assert d.sd == pytest.approx(3.0 / 1.6448536269514722)


def test_explicit_forms_match_scipy():
    q = np.array([0.01, 0.1, 0.5, 0.9, 0.99])
    np.testing.assert_allclose(D.parse("normal(3, 2)").ppf(q), stats.norm(3, 2).ppf(q))
    np.testing.assert_allclose(D.parse("uniform(2, 6)").ppf(q), stats.uniform(2, 4).ppf(q))
    tri = stats.triang(c=(3 - 1) / (7 - 1), loc=1, scale=6)
    np.testing.assert_allclose(D.parse("triangular(1, 3, 7)").ppf(q), tri.ppf(q))
    np.testing.assert_allclose(D.parse("beta(2, 5)").ppf(q), stats.beta(2, 5).ppf(q))
    ln = D.parse("lognormal(10, 40)")
    np.testing.assert_allclose(ln.ppf([0.05, 0.95]), [10, 40])


def test_analytic_moments():
    assert D.Uniform(2, 6).std == pytest.approx(4 / math.sqrt(12))
    assert D.Triangular(1, 3, 7).mean == pytest.approx(11 / 3)
    assert D.Triangular(1, 3, 7).std == pytest.approx(stats.triang(1 / 3, 1, 6).std())
    assert D.Beta(2, 5).std == pytest.approx(stats.beta(2, 5).std())
    ln = D.LogNormal.interval(10, 40)
    ref = stats.lognorm(s=ln.sigma, scale=math.exp(ln.mu))
    assert ln.mean == pytest.approx(ref.mean()) and ln.std == pytest.approx(ref.std())


def test_from_normal_is_the_quantile_at_phi_z():
    z = np.linspace(-3, 3, 13)
    for text in ("3 to 9", "normal(1, 2)", "uniform(0, 1)", "triangular(0, 1, 4)", "beta(2, 3)"):
        d = D.parse(text)
        np.testing.assert_allclose(d.from_normal(z), d.ppf(stats.norm.cdf(z)), rtol=1e-9, atol=1e-12)


def test_clip_sets_values_outside_to_the_bounds():
    d = D.parse("clip(normal(0.4, 0.5), 0, 1)")
    assert d.ppf(0.001) == 0.0 and d.ppf(0.999) == 1.0
    assert d.ppf(0.5) == pytest.approx(0.4)
    one_sided = D.parse("clip(0.7 to 0.95, _, 0.9)")
    assert one_sided.ppf(0.99) == 0.9 and one_sided.ppf(0.05) == pytest.approx(0.7)


def test_units_are_converted_to_the_inputs_unit():
    d = D.parse("100 MW to 200 MW", unit="W")
    assert d.ppf(0.05) == pytest.approx(1e8) and d.ppf(0.95) == pytest.approx(2e8)
    assert D.parse("$0.05/kWh to $0.09/kWh", unit="USD/kWh").ppf(0.95) == pytest.approx(0.09)
    assert D.parse("150 MW", unit="MW") == D.Constant(150.0)
    assert D.parse(7) == D.Constant(7.0)


@pytest.mark.parametrize("text, message", [
    ("9 to 3", "low must be <= high"),
    ("lognormal(-1, 3)", "lognormal bounds must be > 0"),
    ("lognormal(0, 3)", "lognormal bounds must be > 0"),
    ("uniform(5, 1)", "low must be <= high"),
    ("normal(1, -2)", "sd must be >= 0"),
    ("triangular(1, 9, 3)", "low <= mode <= high"),
    ("beta(0, 1)", "beta parameters must be > 0"),
    ("nromal(1, 2)", "did you mean 'normal'"),
    ("normal(1)", "normal takes 2 arguments"),
    ("1 to 2 to 3", "cannot read"),
    ("ten", "cannot read"),
    ("5 kg to 6 kg", "expected a quantity in W"),
])
def test_bad_distributions_raise_one_line_naming_the_input(text, message):
    with pytest.raises(InputError, match=message) as info:
        D.parse(text, unit="W" if "kg" in text else "", name="price_usd")
    assert str(info.value).startswith("price_usd")
    assert "\n" not in str(info.value)


def test_sample_statistics_agree_with_analytic_values_within_a_few_standard_errors():
    rng = np.random.default_rng(12345)
    n = 200_000
    for d in (D.Normal(3, 2), D.LogNormal.interval(10, 40), D.Uniform(2, 6),
              D.Triangular(1, 3, 7), D.Beta(2, 5)):
        x = d.sample(rng, n)
        se = d.std / math.sqrt(n)
        assert abs(x.mean() - d.mean) < 4 * se, d
        # standard error of the sample sd ~ sd * sqrt((kurtosis - 1) / 4n); 5% relative is loose
        assert x.std(ddof=1) == pytest.approx(d.std, rel=0.02), d


@pytest.mark.parametrize("dist", [
    "normal(1, 2)", "lognormal(0.3, 0.5)", "2 to 8", "clip(2 to 8, 3, 7)", "clip(normal(0, 1), 0, _)",
    "uniform(1, 3)", "beta(2, 5)", "triangular(1, 2, 4)", "5"])
def test_values_written_over_the_normals_are_the_values_computed_apart(dist):
    from siliconomics.uncertainty.distributions import parse

    d = parse(dist)
    z = np.random.default_rng(0).standard_normal(5000)
    expected = np.broadcast_to(d.from_normal(z.copy()), z.shape)
    np.testing.assert_array_equal(np.broadcast_to(d.from_normal_into(z), z.shape), expected)
