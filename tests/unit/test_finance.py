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
