"""Sensitivity: Sobol indices of the Ishigami function against their analytic values, and more."""

import math

import numpy as np
import pytest

from siliconomics.errors import InputError
from siliconomics.scenario import Scenario
from siliconomics.uncertainty import montecarlo, sensitivity
from siliconomics.uncertainty.distributions import Normal, Uniform

A, B = 7.0, 0.1


def ishigami(v):
    x1, x2, x3 = v["x1"], v["x2"], v["x3"]
    return {"y": np.sin(x1) + A * np.sin(x2) ** 2 + B * x3**4 * np.sin(x1)}


def ishigami_indices():
    """Analytic Sobol indices of the Ishigami function (Saltelli et al., Global Sensitivity
    Analysis: The Primer, 2008, section 4.9; Sobol' & Levitan 1999)."""
    v1 = 0.5 * (1 + B * math.pi**4 / 5) ** 2
    v2 = A**2 / 8
    v13 = B**2 * math.pi**8 * (1 / 18 - 1 / 50)
    var = v1 + v2 + v13
    return {"S1": [v1 / var, v2 / var, 0.0], "ST": [(v1 + v13) / var, v2 / var, v13 / var]}


def ishigami_plan(rank_correlation=None):
    return montecarlo.Plan(names=("x1", "x2", "x3"), dists=(Uniform(-math.pi, math.pi),) * 3,
                           evaluate=ishigami, outputs=("y",), samples=1, seed=11,
                           rank_correlation=rank_correlation)


def test_sobol_indices_of_ishigami_match_the_analytic_values():
    r = sensitivity.sobol(ishigami_plan(), n=2**14)
    truth = ishigami_indices()
    got = {row["input"]: row for row in r.rows}
    for j, name in enumerate(("x1", "x2", "x3")):
        assert got[name]["S1"] == pytest.approx(truth["S1"][j], abs=0.02)
        assert got[name]["ST"] == pytest.approx(truth["ST"][j], abs=0.02)
        # the analytic value lies within a couple of the stated confidence half-widths
        assert abs(got[name]["ST"] - truth["ST"][j]) < 3 * got[name]["ST_conf"] + 0.005
    assert r.evaluations == 2**14 * 5
    assert [row["input"] for row in r.rows] == ["x1", "x2", "x3"]  # ordered by total index


def test_sobol_refuses_non_power_of_two():
    with pytest.raises(InputError, match="power of two"):
        sensitivity.sobol(ishigami_plan(), n=1000)


def test_morris_ranks_ishigami_inputs():
    r = sensitivity.morris(ishigami_plan(), trajectories=200)
    mu = {row["input"]: row["mu_star"] for row in r.rows}
    assert mu["x1"] > mu["x3"] > 0 and mu["x2"] > mu["x3"]


def test_tornado_by_hand():
    plan = montecarlo.Plan(names=("a", "b"), dists=(Normal(10, 1), Uniform(0, 4)),
                           evaluate=lambda v: {"y": v["a"] * v["b"]}, outputs=("y",), samples=1)
    r = sensitivity.tornado(plan)
    z = 1.6448536269514722
    rows = {row["input"]: row for row in r.rows}
    assert r.base == pytest.approx(10 * 2)
    assert rows["a"]["swing"] == pytest.approx(2 * z * 2)
    assert rows["b"]["swing"] == pytest.approx(10 * (3.8 - 0.2))
    assert [row["input"] for row in r.rows] == ["b", "a"]


def test_rank_correlations_of_a_linear_model():
    plan = montecarlo.Plan(names=("a", "b"), dists=(Normal(0, 1), Normal(0, 3)),
                           evaluate=lambda v: {"y": v["a"] + v["b"]}, outputs=("y",),
                           samples=1, seed=5)
    r = sensitivity.rank(plan, samples=50_000)
    rows = {row["input"]: row for row in r.rows}
    # Pearson 1/sqrt(10) and 3/sqrt(10) -> Spearman (6/pi) asin(r/2)
    for name, pearson in (("a", 1 / math.sqrt(10)), ("b", 3 / math.sqrt(10))):
        expected = 6 / math.pi * math.asin(pearson / 2)
        assert rows[name]["spearman"] == pytest.approx(expected, abs=0.01)
        assert rows[name]["low"] < rows[name]["spearman"] < rows[name]["high"]


def test_correlated_inputs_are_flagged_for_sobol_and_morris_not_rank():
    rho = np.array([[1, 0.5, 0], [0.5, 1, 0], [0, 0, 1]])
    plan = ishigami_plan(rank_correlation=rho)
    assert "assumes independent inputs" in sensitivity.sobol(plan, n=256).notes[0]
    assert "assumes independent inputs" in sensitivity.morris(plan, trajectories=10).notes[0]
    assert sensitivity.rank(plan, samples=1000).notes == []


def test_unknown_method_and_output():
    with pytest.raises(InputError, match="did you mean 'sobol'"):
        sensitivity.analyze(ishigami_plan(), "sobel")
    with pytest.raises(InputError, match="unknown output 'z'"):
        sensitivity.tornado(ishigami_plan(), "z")


def test_scenario_tornado_puts_the_accelerator_price_first():
    sc = Scenario.from_text('[scenario]\nuncertainty = "catalog"\n[inputs]\naccelerator = "h100"\n'
                            'site = "us-texas"\n')
    r = sensitivity.tornado(sc.plan())
    assert r.rows[0]["input"] == "accelerator.price_usd"
    assert r.rows[0]["output_at_high"] > r.rows[0]["output_at_low"]
