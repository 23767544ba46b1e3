"""Invariants of the time-value-of-money formulas: annuities repay their capital, the capital
recovery factor rises with the rate and falls with the life, NPV is linear and discounts."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from siliconomics import finance


def reals(low, high):
    """Floats in [low, high] without subnormals, whose products round away from any relative
    tolerance."""
    return st.floats(low, high, allow_subnormal=False)


rates = reals(-0.5, 1.0)
positive_rates = st.floats(1e-6, 1.0)
lives = st.floats(0.25, 60.0)
whole_lives = st.integers(1, 40)
money = reals(0.0, 1e9)


def _npv_tolerance(flows, rate, life):
    """Rounding scale of an NPV: the discounted magnitudes times a few ulps per year. Below
    |r| = 1e-9 the factor is taken as 1/n, exact to within r n / 2."""
    t = np.arange(len(flows))
    scale = float(np.sum(np.abs(flows) / (1.0 + rate) ** t)) + 1.0
    return scale * (1e-12 * life + (abs(rate) * life if abs(rate) < 1e-9 else 0.0))


@settings(max_examples=100, deadline=None)
@given(rates, lives)
def test_capital_recovery_is_positive_and_inverse_of_present_value(rate, life):
    crf = finance.capital_recovery_factor(rate, life)
    assert crf > 0
    assert np.isclose(crf * finance.present_value_factor(rate, life), 1.0, rtol=1e-12)


@settings(max_examples=100, deadline=None)
@given(rates, st.floats(1e-4, 0.5), lives)
def test_capital_recovery_rises_with_the_rate(rate, step, life):
    low = finance.capital_recovery_factor(rate, life)
    high = finance.capital_recovery_factor(rate + step, life)
    assert high >= low * (1 - 1e-12)


@settings(max_examples=100, deadline=None)
@given(rates, lives, st.floats(1.001, 5.0))
def test_capital_recovery_falls_with_the_life(rate, life, factor):
    assert (finance.capital_recovery_factor(rate, life * factor)
            <= finance.capital_recovery_factor(rate, life) * (1 + 1e-12))


@settings(max_examples=100, deadline=None)
@given(lives, st.floats(-1e-7, 1e-7))
def test_zero_rate_is_straight_line_and_continuous(life, tiny):
    assert finance.capital_recovery_factor(0.0, life) == 1.0 / life
    assert np.isclose(finance.capital_recovery_factor(tiny, life), 1.0 / life, rtol=1e-5)


@settings(max_examples=100, deadline=None)
@given(positive_rates, st.floats(1.0, 60.0))
def test_capital_recovery_lies_between_the_rate_and_rate_plus_straight_line(rate, life):
    """Over a year or more, a loan's payment covers the interest and at most interest plus
    straight-line principal (Bernoulli: (1 + r)^n >= 1 + n r for n >= 1)."""
    crf = finance.capital_recovery_factor(rate, life)
    assert rate * (1 - 1e-12) <= crf <= (rate + 1.0 / life) * (1 + 1e-12)
    assert finance.capital_recovery_factor(rate, np.inf) == rate


@settings(max_examples=100, deadline=None)
@given(rates, whole_lives, money)
def test_the_annual_payments_repay_the_capital(rate, life, capex):
    """Present value of ``n`` annual payments of ``C * CRF`` is ``C``."""
    payment = finance.annualized_capex(capex, rate, life)
    flows = np.concatenate([[-capex], np.full(life, payment)])
    assert abs(finance.npv(flows, rate)) <= _npv_tolerance(flows, rate, life)


@settings(max_examples=100, deadline=None)
@given(rates, whole_lives, money, reals(0.0, 1.0))
def test_payments_and_resale_repay_the_capital(rate, life, capex, residual):
    payment = finance.annualized_capex(capex, rate, life, residual_fraction=residual)
    flows = np.concatenate([[-capex], np.full(life, payment)])
    flows[-1] += residual * capex
    assert abs(finance.npv(flows, rate)) <= _npv_tolerance(flows, rate, life)


@settings(max_examples=100, deadline=None)
@given(rates, lives, money, reals(0.0, 1.0), reals(0.0, 1.0))
def test_resale_never_raises_the_annual_cost(rate, life, capex, r1, r2):
    low, high = sorted((r1, r2))
    more = finance.annualized_capex(capex, rate, life, residual_fraction=high)
    less = finance.annualized_capex(capex, rate, life, residual_fraction=low)
    assert more <= less + 1e-12 * (abs(less) + 1.0)


@settings(max_examples=100, deadline=None)
@given(rates, lives, money, st.floats(1e-3, 1e3))
def test_annualized_capex_scales_with_capex(rate, life, capex, k):
    a = finance.annualized_capex(capex, rate, life, residual_fraction=0.2)
    b = finance.annualized_capex(capex * k, rate, life, residual_fraction=0.2)
    assert np.isclose(b, k * a, rtol=1e-12, atol=1e-300)


@settings(max_examples=100, deadline=None)
@given(st.lists(reals(-1e6, 1e6), min_size=1, max_size=20), reals(-1e6, 1e6),
       rates, reals(-5.0, 5.0))
def test_npv_is_linear_and_undiscounted_at_zero(flows, extra, rate, k):
    flows = np.array(flows)
    other = np.roll(flows, 1) + extra
    scale = np.abs(flows).sum() + np.abs(other).sum() + 1.0
    assert np.isclose(finance.npv(flows, 0.0), flows.sum(), atol=1e-9 * scale)
    assert np.isclose(finance.npv(k * flows + other, rate),
                      k * finance.npv(flows, rate) + finance.npv(other, rate),
                      atol=1e-9 * scale * (abs(k) + 1) * 2.0 ** len(flows))
    assert finance.npv(flows[:1], rate) == flows[0]


@settings(max_examples=100, deadline=None)
@given(st.lists(reals(0.0, 1e6), min_size=1, max_size=20), reals(0.0, 0.5),
       st.floats(1e-4, 0.5))
def test_npv_of_inflows_falls_as_the_rate_rises(flows, rate, step):
    assert finance.npv(flows, rate + step) <= finance.npv(flows, rate) * (1 + 1e-12) + 1e-9


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(rates, lives, money, reals(0.0, 1.0)), min_size=2, max_size=6))
def test_arrays_equal_scalars(rows):
    r, n, c, s = (np.array(col) for col in zip(*rows))
    crf = finance.capital_recovery_factor(r, n)
    ann = finance.annualized_capex(c, r, n, residual_fraction=s)
    for i, (ri, ni, ci, si) in enumerate(rows):
        assert np.isclose(crf[i], finance.capital_recovery_factor(ri, ni), rtol=1e-13)
        assert np.isclose(ann[i], finance.annualized_capex(ci, ri, ni, residual_fraction=si),
                          rtol=1e-13, atol=1e-300)
