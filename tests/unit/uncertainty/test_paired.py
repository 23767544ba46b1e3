"""Paired comparison on common random numbers: shared inputs get the same draws, the
difference's spread carries only what differs, and mismatched metrics are refused."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from siliconomics.errors import InputError
from siliconomics.uncertainty import montecarlo
from siliconomics.uncertainty.distributions import LogNormal, Normal
from siliconomics.uncertainty.paired import check_same_metrics, paired_samples


def cost(v):
    return {"cost": v["price"] * v["hours"] + v.get("power", 0.0)}


def _plan(power_mean=None, samples=20_000, seed=3, outputs=("cost",), names_extra=()):
    names = ["price", "hours", *names_extra]
    dists = [LogNormal.interval(20_000, 30_000), Normal(100.0, 10.0)]
    constants = {}
    if power_mean is not None:
        names.append("power")
        dists.append(Normal(power_mean, 5.0))
    return montecarlo.Plan(names=tuple(names), dists=tuple(dists), evaluate=cost,
                           outputs=outputs, samples=samples, seed=seed, constants=constants)


def test_shared_inputs_cancel_in_the_difference():
    p = paired_samples(_plan(power_mean=50.0), _plan(power_mean=80.0))
    d = p.difference("cost")
    # only the power term differs; the same quantile of each power range -> exactly -30
    np.testing.assert_allclose(d, -30.0, rtol=0, atol=1e-6)
    s = p.summary("cost")
    assert s["p_a_cheaper"] == 1.0
    assert s["difference_quantiles"]["p50"] == pytest.approx(-30.0)
    assert p.shared == ("hours", "power", "price")


def test_the_difference_is_far_narrower_than_independent_draws():
    a, b = _plan(power_mean=50.0), _plan(power_mean=80.0, seed=99)
    paired = paired_samples(a, b).difference("cost")
    independent = (montecarlo.run(a, keep_samples=True).values["cost"]
                   - montecarlo.run(b, keep_samples=True).values["cost"])
    assert paired.std() < independent.std() / 100


def test_a_plan_compared_with_itself_differs_by_nothing():
    p = paired_samples(_plan(), _plan())
    assert np.all(p.difference("cost") == 0.0)
    assert p.summary("cost")["p_a_cheaper"] == 0.0


def test_same_seed_repeats_and_samples_default_to_the_smaller_plan():
    p1 = paired_samples(_plan(samples=5000), _plan(samples=70_000))
    p2 = paired_samples(_plan(samples=5000), _plan(samples=70_000))
    assert p1.samples == 5000 and len(p1.a["cost"]) == 5000
    np.testing.assert_array_equal(p1.a["cost"], p2.a["cost"])


def test_samples_match_the_plan_run_alone_for_its_inputs():
    """A scenario in a pair sees the same distributions as when run alone (marginals kept)."""
    p = paired_samples(_plan(power_mean=50.0, samples=60_000), _plan(power_mean=80.0,
                                                                     samples=60_000))
    alone = montecarlo.run(_plan(power_mean=50.0, samples=60_000), keep_samples=True)
    assert np.mean(p.a["cost"]) == pytest.approx(np.mean(alone.values["cost"]), rel=0.01)
    assert np.std(p.a["cost"]) == pytest.approx(np.std(alone.values["cost"]), rel=0.03)


def test_different_metrics_are_refused_naming_them():
    with pytest.raises(InputError, match="only A has cost; only B has y"):
        paired_samples(_plan(), _plan(outputs=("y",)))
    with pytest.raises(InputError, match="texas.toml and johor.toml report different metrics"):
        check_same_metrics(["a"], ["b"], "texas.toml", "johor.toml")


@settings(max_examples=25, deadline=None)
@given(st.floats(min_value=-100, max_value=100), st.integers(min_value=1, max_value=3000))
def test_difference_of_a_shift_is_the_shift(shift, n):
    p = paired_samples(_plan(power_mean=50.0, samples=n), _plan(power_mean=50.0 + shift,
                                                                 samples=n))
    np.testing.assert_allclose(p.difference("cost"), -shift, atol=1e-6)
    q = p.summary("cost")["difference_quantiles"]
    assert q["p5"] <= q["p50"] <= q["p95"]
