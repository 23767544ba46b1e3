"""Yield models on hand-computed cases, their limits, and harvesting of partly defective dies."""

import math

import numpy as np

import pytest

from siliconomics.errors import InputError
from siliconomics.silicon import yield_models


def test_yield_models_hand_values():
    lam = 814 / 100 * 0.1
    assert yield_models.die_yield(814, 0.1, "poisson") == pytest.approx(math.exp(-lam))
    assert yield_models.die_yield(814, 0.1, "murphy") == pytest.approx(((1 - math.exp(-lam)) / lam) ** 2)
    assert yield_models.die_yield(814, 0.1, "seeds") == pytest.approx(1 / (1 + lam))
    assert yield_models.die_yield(814, 0.1, "negbin", clustering=2) == pytest.approx((1 + lam / 2) ** -2)


def test_negbin_limits():
    assert yield_models.die_yield(500, 0.2, "negative_binomial", clustering=1.0) == pytest.approx(
        yield_models.die_yield(500, 0.2, "seeds"))
    assert yield_models.die_yield(500, 0.2, "negative_binomial", clustering=1e7) == pytest.approx(
        yield_models.die_yield(500, 0.2, "poisson"), rel=1e-5)


def test_yield_zero_defects_and_critical_area():
    for m in yield_models.MODELS:
        assert yield_models.die_yield(800, 0.0, m) == pytest.approx(1.0)
    assert yield_models.die_yield(800, 0.1, "poisson", critical_area_fraction=0.5) == pytest.approx(
        yield_models.die_yield(400, 0.1, "poisson"))


def test_yield_errors():
    with pytest.raises(InputError, match="defect_density_per_cm2 must be >= 0"):
        yield_models.die_yield(100, -0.1)
    with pytest.raises(InputError, match="did you mean"):
        yield_models.die_yield(100, 0.1, "murphey")


def test_harvesting_hand_case():
    # 2 units of 1 cm^2 each, 1 required, no shared area, Poisson D0 = 1: y = e^-1 per unit.
    y = math.exp(-1)
    expected = 1 - (1 - y) ** 2
    assert yield_models.harvested_yield(200, 1.0, 2, 1, 1.0, "poisson") == pytest.approx(expected)


def test_harvesting_all_required_equals_poisson():
    full = yield_models.die_yield(814, 0.1, "poisson")
    assert yield_models.harvested_yield(814, 0.1, 144, 144, 0.6, "poisson") == pytest.approx(full)


def test_harvesting_bad_k():
    with pytest.raises(InputError, match="required_units"):
        yield_models.harvested_yield(814, 0.1, 10, 11, 0.6)


def test_at_least_k_of_n_matches_the_binomial_survival_function():
    from scipy import stats

    from siliconomics.silicon.yield_models import at_least_k_of_n

    p = np.concatenate([np.linspace(0.0, 1.0, 41), [1e-9, 1 - 1e-9]])
    for n in (1, 2, 7, 64, 144, 199):
        for k in range(0, n + 1, max(1, n // 13)):
            np.testing.assert_allclose(at_least_k_of_n(k, n, p), stats.binom.sf(k - 1, n, p),
                                       rtol=1e-12, atol=1e-12)
    # arrays of k or n, and long tails, go through SciPy
    np.testing.assert_allclose(at_least_k_of_n(np.array([3, 4]), 4, 0.9),
                               stats.binom.sf(np.array([2, 3]), 4, 0.9), rtol=1e-12)
    assert at_least_k_of_n(500, 1000, 0.5) == pytest.approx(stats.binom.sf(499, 1000, 0.5), rel=1e-12)
