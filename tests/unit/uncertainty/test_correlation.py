"""Rank correlations: Iman-Conover reordering, the nearest valid matrix, the fixed-order mix."""

import numpy as np
import pytest

from siliconomics.errors import InputError
from siliconomics.uncertainty import correlation, montecarlo
from tests.unit.uncertainty import _plans




def test_iman_conover_gives_the_requested_rank_correlation_and_keeps_marginals():
    from scipy import stats

    rng = np.random.default_rng(0)
    x = np.column_stack([rng.uniform(size=20_000), rng.lognormal(size=20_000)])
    y = correlation.iman_conover(x, np.array([[1, -0.5], [-0.5, 1]]), rng)
    assert stats.spearmanr(y[:, 0], y[:, 1]).statistic == pytest.approx(-0.5, abs=0.02)
    np.testing.assert_array_equal(np.sort(y[:, 1]), np.sort(x[:, 1]))
    plan = _plans.plan(samples=100_000, rank_correlation=np.array([[1, 0.4], [0.4, 1]]),
                 correlation_method="iman-conover")
    r = montecarlo.run(plan, workers=2, keep_samples=True)
    assert stats.spearmanr(r.values["a"], r.values["b"]).statistic == pytest.approx(0.4, abs=0.02)
    assert _plans.summaries(montecarlo.run(plan, workers=1)) == _plans.summaries(r)


def test_non_psd_correlations_are_refused_with_the_nearest_valid_matrix():
    m = np.array([[1, 0.9, 0.9], [0.9, 1, -0.9], [0.9, -0.9, 1]])
    with pytest.raises(InputError, match="not positive semi-definite.*nearest valid: a~b") as info:
        correlation.check(m, ["a", "b", "c"])
    assert "\n" not in str(info.value)
    near = correlation.nearest_correlation(m)
    assert np.linalg.eigvalsh(near).min() >= -1e-9
    np.testing.assert_allclose(np.diag(near), 1.0)


def test_mix_equals_the_matrix_product():
    rng = np.random.default_rng(3)
    f = correlation.normal_factor(np.array([[1, 0.3, 0], [0.3, 1, 0], [0, 0, 1]]))
    z = rng.standard_normal((3, 1000))
    np.testing.assert_allclose(correlation.mix(f, z), f @ z, rtol=1e-12, atol=1e-12)


def test_matrix_from_pairs_is_symmetric_with_unlisted_pairs_zero():
    m = correlation.matrix_from_pairs(["a", "b", "c"], {("a", "c"): 0.3, ("c", "b"): -0.2})
    np.testing.assert_array_equal(m, [[1, 0, 0.3], [0, 1, -0.2], [0.3, -0.2, 1]])


@pytest.mark.parametrize(("pairs", "message"), [
    ({("a", "z"): 0.5}, "unknown correlated input 'z'"),
    ({("a", "a"): 0.5}, "correlation of a with itself must be omitted"),
    ({("a", "b"): 1.5}, "correlation a, b must be in \\[-1, 1\\], got 1.5"),
])
def test_bad_pairs(pairs, message):
    with pytest.raises(InputError, match=message):
        correlation.matrix_from_pairs(["a", "b"], pairs)


@pytest.mark.parametrize(("matrix", "message"), [
    (np.ones((2, 3)), "must be square"),
    (np.array([[1, 0.5], [0.4, 1]]), "must be symmetric"),
    (np.array([[2, 0.5], [0.5, 1]]), "ones on the diagonal"),
    (np.array([[1, 1.5], [1.5, 1]]), "in \\[-1, 1\\]"),
])
def test_check_refuses_what_is_not_a_correlation_matrix(matrix, message):
    with pytest.raises(InputError, match=message):
        correlation.check(matrix)


def test_normal_factor_maps_spearman_to_pearson_for_normals():
    """Normals with Pearson r have Spearman (6/pi) asin(r/2): the factor inverts that."""
    rho_s = 0.5
    f = correlation.normal_factor(np.array([[1.0, rho_s], [rho_s, 1.0]]))
    r = (f @ f.T)[0, 1]
    assert r == pytest.approx(2 * np.sin(np.pi * rho_s / 6))
    assert 6 / np.pi * np.arcsin(r / 2) == pytest.approx(rho_s)


def test_normal_factor_of_a_singular_matrix():
    """Perfectly correlated inputs: no Cholesky factor, but L L^T still gives the matrix."""
    m = np.array([[1.0, 1.0], [1.0, 1.0]])
    f = correlation.normal_factor(m)
    np.testing.assert_allclose(f @ f.T, m, atol=1e-12)
