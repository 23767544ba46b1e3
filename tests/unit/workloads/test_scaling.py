"""Scaling laws: the fitted loss and the compute-optimal split of a FLOP budget."""

import numpy as np
import pytest

from siliconomics.errors import InputError
from siliconomics.workloads import scaling


def test_compute_optimal_satisfies_budget_and_is_optimal():
    c = 1e24
    r = scaling.compute_optimal(c, fit="hoffmann")
    assert 6 * r["params"] * r["tokens"] == pytest.approx(c)
    # moving along C = 6ND in either direction never lowers the loss
    for f in (0.8, 1.25):
        n = r["params"] * f
        assert scaling.loss(n, c / (6 * n), fit="hoffmann") >= r["loss"]


def test_loss_fit_constants_by_hand():
    f = scaling.FITS["hoffmann"]
    assert scaling.loss(1e9, 1e10, fit="hoffmann") == pytest.approx(
        1.69 + 406.4 / 1e9**0.34 + 410.7 / 1e10**0.28)
    assert f.alpha == 0.34
    with pytest.raises(InputError, match="did you mean 'hoffmann'"):
        scaling.loss(1e9, 1e10, fit="hofman")


@pytest.mark.parametrize("fit", sorted(scaling.FITS))
def test_the_optimum_balances_the_marginal_losses(fit):
    """Along C = 6ND the loss is least where alpha A / N^alpha = beta B / D^beta."""
    f = scaling.FITS[fit]
    r = scaling.compute_optimal(np.array([1e22, 1e25]), fit=fit)
    n, d = r["params"], r["tokens"]
    np.testing.assert_allclose(f.alpha * f.A / n**f.alpha, f.beta * f.B / d**f.beta, rtol=1e-10)
    np.testing.assert_allclose(6 * n * d, [1e22, 1e25], rtol=1e-12)
    np.testing.assert_allclose(r["tokens_per_param"], d / n)
    assert r["params"][1] > r["params"][0]


def test_a_fit_of_one_s_own():
    f = scaling.LossFit(E=1.0, A=1.0, B=1.0, alpha=0.5, beta=0.5, source="test")
    assert scaling.loss(100.0, 10_000.0, fit=f) == pytest.approx(1.0 + 0.1 + 0.01)
    r = scaling.compute_optimal(6e4, fit=f)  # symmetric fit: N = D = sqrt(C / 6)
    assert r["params"] == pytest.approx(100.0) and r["tokens"] == pytest.approx(100.0)


def test_bad_budgets():
    with pytest.raises(InputError, match="compute_flop must be > 0"):
        scaling.compute_optimal(0.0)
    with pytest.raises(InputError, match="tokens must be > 0"):
        scaling.loss(1e9, -1.0)
