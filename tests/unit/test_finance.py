import numpy as np
import pytest

from siliconomics import finance
from siliconomics.errors import InputError


@pytest.mark.parametrize(("r", "n"), [(0.08, 5), (0.12, 3), (0.05, 20), (0.30, 1)])
def test_crf_closed_form(r, n):
    expected = r / (1 - (1 + r) ** -n)
    assert finance.capital_recovery_factor(r, n) == pytest.approx(expected, rel=1e-12)


def test_crf_zero_rate_is_straight_line():
    assert finance.capital_recovery_factor(0.0, 4) == 0.25


def test_crf_infinite_life_is_rate():
    assert finance.capital_recovery_factor(0.07, np.inf) == pytest.approx(0.07)


def test_crf_vectorised_matches_scalars():
    r = np.array([0.0, 0.05, 0.1])
    n = np.array([5.0, 10.0, np.inf])
    out = finance.capital_recovery_factor(r, n)
    for i in range(3):
        assert out[i] == pytest.approx(finance.capital_recovery_factor(float(r[i]), float(n[i])))


def test_crf_rejects_bad_life():
    with pytest.raises(InputError, match="life_years must be > 0, got -1"):
        finance.capital_recovery_factor(0.1, -1)


def test_annualized_capex_residual():
    r, n, c, s = 0.1, 4, 1000.0, 0.2
    expected = finance.capital_recovery_factor(r, n) * (c - s * c / (1 + r) ** n)
    assert finance.annualized_capex(c, r, n, s) == pytest.approx(expected)


def test_annualized_capex_pays_back_the_capital():
    # the present value of the annual payments equals the capital
    r, n = 0.09, 6
    a = finance.annualized_capex(1.0, r, n)
    pv = sum(a / (1 + r) ** t for t in range(1, n + 1))
    assert pv == pytest.approx(1.0)


def test_npv():
    assert finance.npv([-100.0, 60.0, 60.0], 0.1) == pytest.approx(-100 + 60 / 1.1 + 60 / 1.21)
    np.testing.assert_allclose(finance.npv([[1.0, 1.0], [2.0, 0.0]], 0.0), [2.0, 2.0])


def test_present_value_factor_is_the_annuity_factor():
    r, n = 0.08, 5
    assert finance.present_value_factor(r, n) == pytest.approx((1 - (1 + r) ** -n) / r)
    assert finance.present_value_factor(0.0, 4) == pytest.approx(4.0)


def test_annualized_capex_of_a_perpetuity_ignores_the_residual():
    assert finance.annualized_capex(1000.0, 0.05, np.inf, residual_fraction=0.5) == pytest.approx(50.0)


def test_bad_rates_and_residuals():
    with pytest.raises(InputError, match="rate must be > -1, got -1"):
        finance.capital_recovery_factor(-1.0, 5)
    with pytest.raises(InputError, match="residual_fraction must be in \\[0, 1\\], got 1.5"):
        finance.annualized_capex(1000.0, 0.1, 5, residual_fraction=1.5)


def test_npv_along_an_axis_with_a_rate_per_row():
    flows = np.array([[-100.0, 110.0], [-100.0, 120.0]])
    np.testing.assert_allclose(finance.npv(flows, np.array([0.1, 0.2])), [0.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(finance.npv(flows.T, 0.0, axis=0), [10.0, 20.0])


def _crf_reference(r, n):
    """The textbook closed form with every special case spelled out (the pre-optimised code)."""
    r, n = np.asarray(r, dtype=float), np.asarray(n, dtype=float)
    small = np.abs(r) < 1e-9
    r_safe = np.where(small, 1.0, r)
    annuity = np.where(np.isinf(n), 1.0, -np.expm1(-np.where(np.isinf(n), 1.0, n) * np.log1p(r_safe)))
    return np.where(small, 1.0 / n, r_safe / annuity)


def test_crf_fast_path_is_bitwise_the_closed_form_away_from_zero():
    rng = np.random.default_rng(3)
    r = np.concatenate([rng.uniform(1e-6, 0.5, 5000), rng.uniform(-0.5, -1e-6, 100)])
    n = np.concatenate([rng.uniform(0.5, 40.0, 5100)])
    n[::97] = np.inf
    np.testing.assert_array_equal(finance.capital_recovery_factor(r, n), _crf_reference(r, n))


def _crf_exact(r, n):
    """The closed form in 60-digit decimal arithmetic."""
    from decimal import Decimal, getcontext

    getcontext().prec = 60
    r, n = Decimal(r), Decimal(n)
    return float(r / (1 - (1 + r) ** -n))


def test_crf_near_zero_rate_is_exact_on_both_sides_of_the_series_switch():
    # below 1e-9 the series 1/n + r (n + 1) / (2n), above it the closed form: both exact
    for n in (1.5, 5.0, 30.0):
        for r in (1e-12, 0.999e-9, 1.001e-9, 1e-7, -1e-10):
            assert finance.capital_recovery_factor(r, n) == pytest.approx(_crf_exact(r, n),
                                                                          rel=1e-14)
        assert finance.capital_recovery_factor(1e-12, n) > 1.0 / n  # a tiny rate still costs
    assert finance.capital_recovery_factor(5e-324, 1.5) == pytest.approx(1 / 1.5)
    np.testing.assert_allclose(finance.capital_recovery_factor(np.array([0.0, 1e-12, 0.05]), 4.0),
                               [0.25, 0.25 + 1e-12 * 5 / 8, _crf_reference(0.05, 4.0)], rtol=1e-15)


def test_residual_discount_and_annual_payment_compose_annualized_capex():
    r, n, s = 0.07, 6.0, 0.3
    keep = finance.residual_discount(r, n, s)
    assert keep == pytest.approx(1 - s * 1.07**-6)
    assert finance.residual_discount(r, n) == 1.0 and type(finance.residual_discount(r, n)) is float
    crf = finance.capital_recovery_factor(r, n)
    assert finance.annual_payment(1000.0, crf, keep) == finance.annualized_capex(1000.0, r, n, s)
    arr = np.array([0.0, 0.2, 0.5])
    np.testing.assert_allclose(finance.annual_payment(1000.0, crf, finance.residual_discount(r, n, arr)),
                               [finance.annualized_capex(1000.0, r, n, x) for x in arr], rtol=1e-15)


def test_factors_at_one_rate_are_each_lifes_factor_bitwise():
    """capital_recovery_factors shares the rate's log1p between lives: every factor is the one
    capital_recovery_factor gives, bit for bit, for arrays and numbers, infinite lives and
    rates on both sides of the near-zero series; a bad life is refused whichever it is."""
    rng = np.random.default_rng(7)
    rates = np.concatenate([rng.uniform(-0.5, 0.4, 1000), [0.0, 1e-12, -1e-12, 5e-10]])
    lives = (rng.uniform(1, 40, rates.size), 5.0, np.inf,
             np.where(np.arange(rates.size) % 2, np.inf, 20.0))
    for got, life in zip(finance.capital_recovery_factors(rates, *lives), lives):
        assert np.array_equal(got, finance.capital_recovery_factor(rates, life))
    for r in (0.08, 0.0, 1e-12):
        assert finance.capital_recovery_factors(r, 5, 20, np.inf) == tuple(
            finance.capital_recovery_factor(r, n) for n in (5, 20, np.inf))
    with pytest.raises(InputError, match="life_years"):
        finance.capital_recovery_factors(0.08, 5, 0)
