"""Natural-oligopoly counts on hand-checked cases and closed forms."""

import numpy as np
import pytest

from siliconomics.errors import InputError
from siliconomics.finance import capital_recovery_factor
from siliconomics.industry import oligopoly as o


def test_symmetric_count_hand_checked():
    # 0.3 * 100 / 10 = 3 firms exactly; 2.9 -> 2; 0.29 -> 0
    assert o.viable_firms(100.0, 0.3, 10.0) == 3.0
    assert o.viable_firms(97.0, 0.3, 10.0) == 2.0
    assert o.viable_firms(9.7, 0.3, 10.0) == 0.0
    assert o.break_even_firms(97.0, 0.3, 10.0) == pytest.approx(2.91)


def test_symmetric_count_arrays_match_scalars():
    r = np.array([0.0, 50.0, 100.0, 1000.0])
    out = o.viable_firms(r, 0.5, 10.0)
    assert out.tolist() == [o.viable_firms(x, 0.5, 10.0) for x in r] == [0.0, 2.0, 5.0, 50.0]


def test_zero_revenue_supports_nobody():
    assert o.viable_firms(0.0, 0.5, 1.0) == 0.0
    assert o.viable_firms_with_leader(0.0, 0.5, 1.0, 0.5) == 0.0
    assert o.viable_firms_learning(0.0, 0.5, 1.0, 2.0) == 0.0


def test_leader_share_hand_checked():
    # m R / F = 3: a leader with 60% earns 1.8 F (viable); followers split 1.2 F -> 1 firm
    assert o.viable_firms_with_leader(100.0, 0.3, 10.0, 0.6) == 2.0
    # a 25% "leader" earns 0.75 F (not viable); the rest, 2.25 F, supports 2
    assert o.viable_firms_with_leader(100.0, 0.3, 10.0, 0.25) == 2.0
    # a monopolist that covers F
    assert o.viable_firms_with_leader(100.0, 0.3, 10.0, 1.0) == 1.0


def test_leader_never_more_than_symmetric():
    r = np.linspace(0.0, 500.0, 101)
    for s in (0.0, 0.3, 0.5, 0.8, 1.0):
        assert np.all(o.viable_firms_with_leader(r, 0.4, 10.0, s) <= o.viable_firms(r, 0.4, 10.0) + 1)


def test_wright_cost_ratio_closed_form():
    assert o.wright_cost_ratio(2.0, 0.8) == pytest.approx(1.25)
    assert o.wright_cost_ratio(8.0, 0.8) == pytest.approx(1.25 ** 3)
    assert o.wright_cost_ratio(1.0, 0.7) == 1.0
    assert o.wright_cost_ratio(5.0, 1.0) == 1.0  # no learning, no advantage
    b = -np.log2(0.85)
    assert o.wright_cost_ratio(3.0, 0.85) == pytest.approx(3.0 ** b)


def test_follower_margin_closed_form():
    assert o.follower_margin(0.5, 1.25) == pytest.approx(0.375)
    assert o.follower_margin(0.4, 1.0) == pytest.approx(0.4)
    assert o.follower_margin(0.2, 2.0) == pytest.approx(-0.6)  # sells below its cost


def test_learning_count_hand_checked():
    # v = 2, p = 0.8: follower cost 1.25x, margin 1 - 1.25 * 0.5 = 0.375;
    # m_f R / F = 3.75, minus v = 1.75 -> one follower, plus the leader
    assert o.break_even_firms_learning(100.0, 0.5, 10.0, 2.0, 0.8) == pytest.approx(2.75)
    assert o.viable_firms_learning(100.0, 0.5, 10.0, 2.0, 0.8) == 2.0


@pytest.mark.parametrize("revenue", [0.0, 5.0, 19.9, 20.0, 55.0, 1234.0])
def test_learning_count_without_advantage_is_symmetric(revenue):
    assert o.viable_firms_learning(revenue, 0.5, 10.0, 1.0, 0.8) == o.viable_firms(revenue, 0.5, 10.0)


def test_annualized_fixed_cost_is_an_annuity():
    assert o.annualized_fixed_cost(10e9, 0.1, 5) == pytest.approx(10e9 * capital_recovery_factor(0.1, 5))
    assert o.annualized_fixed_cost(10e9, 0.0, 4) == pytest.approx(2.5e9)


def test_required_revenue_closed_form():
    r, p, f, m = 0.12, 2.0, 3e9, 0.3
    expected = f * r / (1 - (1 + r) ** -p) / m
    assert o.required_revenue(f, m, cost_of_capital=r, payback_years=p) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: o.viable_firms(-5.0, 0.5, 1.0), "revenue_pool_usd must be >= 0, got -5"),
        (lambda: o.viable_firms(5.0, 0.5, -1.0), "fixed_cost_usd must be > 0, got -1"),
        (lambda: o.viable_firms(5.0, 1.5, 1.0), "margin must be in (0, 1], got 1.5"),
        (lambda: o.viable_firms_with_leader(5.0, 0.5, 1.0, 1.2), "leader_share must be in [0, 1], got 1.2"),
        (lambda: o.wright_cost_ratio(0.5, 0.8), "volume_ratio must be >= 1, got 0.5"),
        (lambda: o.wright_cost_ratio(2.0, 0.0), "progress_ratio must be in (0, 1], got 0"),
        (lambda: o.viable_firms(np.array([1.0, -3.0]), 0.5, 1.0), "got -3"),
    ],
)
def test_bad_input_names_parameter_and_value(call, message):
    with pytest.raises(InputError, match=None) as exc:
        call()
    assert message in str(exc.value)
