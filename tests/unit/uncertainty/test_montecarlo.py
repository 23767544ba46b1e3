"""Monte Carlo: determinism across chunking and workers, statistics, the copula, streaming."""

import dataclasses
import math

import numpy as np
import pytest

from siliconomics.errors import InputError
from siliconomics.uncertainty import montecarlo
from siliconomics.uncertainty.distributions import Clipped, LogNormal, Normal, Uniform
from tests.unit.uncertainty import _plans




def test_a_clip_its_distribution_never_reaches_is_skipped_and_one_it_does_still_binds():
    """A catalog domain around a lognormal (>= 0) leaves every sample as it is, so the plan
    draws it without the clip's pass; a clip inside the sampled range still clips."""
    base = LogNormal.interval(2, 8)
    loose, tight = Clipped(base, 0.0, 1e6), Clipped(base, None, 6.0)
    plan = montecarlo.Plan(names=("a", "b"), dists=(loose, tight), evaluate=lambda v: v,
                           outputs=("a",), samples=montecarlo.BLOCK, seed=3)
    assert plan._transforms == (base, tight)
    v = plan.draw(0)
    z = montecarlo.standard_normals(plan.generator(0), 2, montecarlo.BLOCK)
    assert np.array_equal(v["a"], loose.from_normal(z[0]))  # bit for bit the clipped values
    assert np.array_equal(v["b"], tight.from_normal(z[1])) and v["b"].max() == 6.0


def test_mean_and_std_agree_with_analytic_values():
    plan = _plans.plan(samples=400_000)
    r = montecarlo.run(plan, workers=1)
    b = LogNormal.interval(2, 8)
    mean = 2 * 1.0 + 3 * b.mean
    std = math.sqrt(4 * 0.25 + 9 * b.std**2)
    y = r.metrics["y"]
    assert y.count == 400_000
    assert abs(y.mean - mean) < 4 * std / math.sqrt(y.count)
    assert y.std == pytest.approx(std, rel=0.02)


def test_quantiles_and_exceedance_match_the_samples():
    plan = _plans.plan(samples=200_000)
    r = montecarlo.run(plan, workers=1, keep_samples=True)
    y = r.values["y"]
    s = r.metrics["y"].summary()
    for q in (5, 50, 95):
        exact = np.quantile(y, q / 100, method="lower")
        assert abs(s[f"p{q}"] / exact - 1) <= 0.005 + 1e-12
    assert s["exceedance"]["10"] == np.mean(y > 10.0)
    assert r.metrics["y"].mean == pytest.approx(y.mean(), rel=1e-12)
    assert r.metrics["y"].std == pytest.approx(y.std(ddof=1), rel=1e-9)


@pytest.mark.parametrize("workers, blocks_per_task", [(1, 1), (2, 1), (2, 3), (4, 2), (1, 8)])
def test_results_are_bitwise_equal_whatever_the_chunking_and_workers(workers, blocks_per_task):
    plan = _plans.plan(samples=5 * montecarlo.BLOCK + 123)
    ref = _plans.summaries(montecarlo.run(plan, workers=1, blocks_per_task=4))
    got = _plans.summaries(montecarlo.run(plan, workers=workers, blocks_per_task=blocks_per_task))
    assert got == ref


@pytest.mark.parametrize("n_blocks", [1, 2, 7, 8, 9, 16, 17, 153, 1526])
@pytest.mark.parametrize("local", [True, False])
@pytest.mark.parametrize("threads", [None, 1, 2, 64])
@pytest.mark.parametrize("keep", [True, False])
def test_tasks_cover_every_block_once_in_order(n_blocks, local, threads, keep):
    tasks = montecarlo._tasks(n_blocks, None, local=local, threads=threads, keep=keep)
    assert [b for r in tasks for b in r] == list(range(n_blocks))
    assert all(len(r) >= 1 for r in tasks)
    sizes = [len(r) for r in tasks]
    if local:
        assert all(s == montecarlo.BLOCKS_PER_TASK for s in sizes[:-1])
    else:  # Dask: at most the cap, shrinking to single blocks at the end
        cap = (montecarlo.DASK_BLOCKS_PER_TASK if keep
               else montecarlo.DASK_BLOCKS_PER_TASK_AGGREGATES)
        assert max(sizes) <= cap
        assert sizes == sorted(sizes, reverse=True)
        assert sizes[-1] == 1
        if threads and n_blocks >= 2 * threads:  # no task takes more than its share
            assert sizes[0] <= -(-n_blocks // (montecarlo.DASK_SHARE_PER_THREAD * threads))


def test_dask_tasks_are_sized_by_the_clusters_threads():
    """Guided self-scheduling: more worker threads, smaller first tasks; tasks that keep
    their samples stay at the smaller cap (memory), aggregate-only tasks may be larger."""
    first = {t: len(montecarlo._tasks(1526, None, local=False, threads=t, keep=False)[0])
             for t in (1, 2, 8, 64)}
    assert first[1] >= first[2] >= first[8] >= first[64]
    assert first[64] == -(-1526 // 128)
    kept = montecarlo._tasks(1526, None, local=False, threads=1, keep=True)
    assert max(len(r) for r in kept) == montecarlo.DASK_BLOCKS_PER_TASK
    assert montecarlo._dask_threads("dask", 3, None) == 3
    assert montecarlo._dask_threads("tcp://127.0.0.1:8786", None, None) is None


def test_seed_changes_the_samples_and_same_seed_repeats_them():
    a = _plans.summaries(montecarlo.run(_plans.plan(seed=1), workers=1))
    assert a == _plans.summaries(montecarlo.run(_plans.plan(seed=1), workers=2))
    assert a != _plans.summaries(montecarlo.run(_plans.plan(seed=2), workers=1))


def test_blocks_are_seeded_by_index():
    plan = _plans.plan(samples=3 * montecarlo.BLOCK)
    longer = dataclasses.replace(plan, samples=5 * montecarlo.BLOCK)
    np.testing.assert_array_equal(plan.draw(2)["a"], longer.draw(2)["a"])
    assert not np.array_equal(plan.draw(0)["a"], plan.draw(1)["a"])


def test_gaussian_copula_gives_the_requested_rank_correlation_and_keeps_marginals():
    from scipy import stats

    rho = np.array([[1.0, 0.7], [0.7, 1.0]])
    plan = _plans.plan(samples=200_000, rank_correlation=rho)
    r = montecarlo.run(plan, workers=1, keep_samples=True)
    got = stats.spearmanr(r.values["a"], r.values["b"]).statistic
    assert got == pytest.approx(0.7, abs=0.01)
    assert np.quantile(r.values["b"], 0.95) == pytest.approx(8.0, rel=0.01)
    assert np.mean(r.values["a"]) == pytest.approx(1.0, abs=0.01)


def test_zero_samples_and_in_memory_limits_are_refused():
    with pytest.raises(InputError, match="samples must be between 1 and 10,000,000,000, got 0"):
        _plans.plan(samples=0)
    with pytest.raises(InputError, match="beyond what fits in memory"):
        montecarlo.run(_plans.plan(samples=montecarlo.MAX_IN_MEMORY + 1), keep_samples=True)


def test_samples_out_writes_parquet_in_sample_order(tmp_path):
    import pyarrow.parquet as pq

    plan = _plans.plan(samples=2 * montecarlo.BLOCK + 5)
    path = tmp_path / "s.parquet"
    r = montecarlo.run(plan, workers=2, samples_out=path, keep_samples=True)
    table = pq.read_table(path)
    assert table.num_rows == plan.samples
    np.testing.assert_array_equal(table.column("y").to_numpy(), r.values["y"])
    assert set(table.column_names) == {"a", "b", "y", "ratio"}
    assert not list(tmp_path.glob(".*partial"))


def _failing(v):
    if np.any(v["a"] > 1e9):  # never
        return {}
    raise InputError("mfu must be in (0, 1], got 1.5")


def test_failed_run_leaves_no_partial_file(tmp_path):
    plan = montecarlo.Plan(names=("a",), dists=(Uniform(0, 1),), evaluate=_failing,
                           outputs=("y",), samples=10)
    path = tmp_path / "s.parquet"
    with pytest.raises(InputError):
        montecarlo.run(plan, samples_out=path)
    assert list(tmp_path.iterdir()) == []




def test_plans_check_what_they_are_given():
    with pytest.raises(InputError, match="names and dists must have the same length"):
        montecarlo.Plan(names=("a", "b"), dists=(Normal(0, 1),), evaluate=_plans.linear, outputs=("y",),
                        samples=10)
    with pytest.raises(InputError, match="correlation method must be copula or iman-conover"):
        _plans.plan(samples=10, rank_correlation=np.eye(2), correlation_method="vine")
    with pytest.raises(InputError, match="blocks_per_task must be >= 1"):
        montecarlo.run(_plans.plan(samples=10), blocks_per_task=0)


def test_blocks_cover_the_samples_exactly():
    plan = dataclasses.replace(_plans.plan(samples=10), block=4)
    assert plan.n_blocks == 3 and [plan.block_size(i) for i in range(3)] == [4, 4, 2]
    assert plan.draw(2)["a"].shape == (2,)


def test_an_output_the_model_does_not_give_is_named():
    plan = montecarlo.Plan(names=("a", "b"), dists=(Normal(1.0, 0.5), LogNormal.interval(2, 8)),
                           evaluate=_plans.linear, outputs=("z",), samples=10)
    with pytest.raises(InputError, match="unknown output 'z'"):
        montecarlo.run(plan, workers=1)


def test_constants_and_scalar_outputs_broadcast_to_the_block():
    plan = montecarlo.Plan(names=(), dists=(), evaluate=lambda v: {"y": v["c"] * 2.0},
                           outputs=("y",), samples=100, constants={"c": 1.5})
    r = montecarlo.run(plan, workers=1)
    assert r.metrics["y"].count == 100 and r.metrics["y"].mean == 3.0 and r.metrics["y"].std == 0.0
    d = r.to_dict()
    assert d["samples"] == 100 and d["metrics"]["y"]["mean"] == 3.0 and d["inputs"] == {}


def test_evaluate_at_given_values():
    plan = _plans.plan(samples=10)
    out = montecarlo.evaluate_at(plan, {"a": np.array([1.0, 2.0]), "b": np.array([1.0, 4.0])})
    np.testing.assert_allclose(out["y"], [5.0, 16.0])
    np.testing.assert_allclose(out["ratio"], [1.0, 0.5])
    assert montecarlo.distribution_of(plan, "b") == LogNormal.interval(2, 8)


def test_standard_normals_are_standard():
    rng = np.random.default_rng(0)
    z = montecarlo.standard_normals(rng, 3, 100_001)
    assert z.shape == (3, 100_001) and z.dtype == np.float64
    assert abs(z.mean()) < 4 / np.sqrt(z.size) and z.std() == pytest.approx(1.0, abs=0.01)
    assert np.abs(z).max() <= np.sqrt(46 * np.log(2)) + 1e-6  # 23-bit uniforms cap |z|
    # a normal's quantiles, not only its first two moments
    from scipy import stats

    assert stats.kstest(z.ravel(), "norm").pvalue > 1e-3


def _box_muller_reference(rng, k, n):
    """The sampler written plainly (temporaries, no in-place work, no bit tricks): uniforms
    are the top 23 bits of each 32-bit half of the raw output, times 2**-23."""
    m = k * n
    half = (m + 1) // 2
    top = rng.bit_generator.random_raw(half).view(np.uint32).reshape(2, half) >> np.uint32(9)
    u = top.astype(np.float32) * np.float32(2.0**-23)
    r = np.sqrt(np.float32(-2.0) * np.log1p(-u[0]))
    theta = np.float32(2.0 * np.pi) * u[1]
    z = np.empty(2 * half, dtype=np.float64)
    np.multiply(r, np.cos(theta), out=z[:half], casting="unsafe")
    np.multiply(r, np.sin(theta), out=z[half:], casting="unsafe")
    return z[:m].reshape(k, n)


@pytest.mark.parametrize(("k", "n"), [(21, 2**16), (3, 1001), (1, 1)])
def test_in_place_box_muller_is_bitwise_the_reference(k, n):
    a = montecarlo.standard_normals(np.random.default_rng(5), k, n)
    b = _box_muller_reference(np.random.default_rng(5), k, n)
    np.testing.assert_array_equal(a, b)


def test_qmc_agrees_with_random_sampling_within_its_error():
    rand = montecarlo.run(_plans.plan(samples=200_000), workers=1)
    qmc = montecarlo.run(_plans.plan(samples=200_000, sampler="qmc"), workers=1)
    b = LogNormal.interval(2, 8)
    exact = 2 * 1.0 + 3 * b.mean
    se = rand.metrics["y"].std / math.sqrt(200_000)
    assert abs(rand.metrics["y"].mean - exact) < 4 * se
    assert abs(qmc.metrics["y"].mean - exact) < 4 * se
    for q in ("p5", "p50", "p95"):
        assert qmc.metrics["y"].summary()[q] == pytest.approx(rand.metrics["y"].summary()[q],
                                                              rel=0.02)
    assert qmc.sampler == "qmc" and qmc.to_dict()["sampler"] == "qmc"


def test_qmc_is_more_accurate_than_random_sampling_for_the_same_count():
    # spread of the mean over independent seeds: a scrambled net is far tighter
    def spread(sampler):
        means = [montecarlo.run(_plans.plan(samples=4096, seed=s, sampler=sampler),
                                workers=1).metrics["y"].mean for s in range(12)]
        return np.std(means)

    assert spread("qmc") < spread("random") / 3


def test_qmc_results_do_not_depend_on_task_size_or_workers():
    plan = _plans.plan(samples=5 * montecarlo.BLOCK + 123, sampler="qmc")
    a = montecarlo.run(plan, workers=1, blocks_per_task=1)
    b = montecarlo.run(plan, workers=2, blocks_per_task=2)
    assert _plans.summaries(a) == _plans.summaries(b)


def test_unknown_sampler_suggests_the_closest():
    with pytest.raises(InputError, match="unknown sampler 'qcm'; did you mean 'qmc'"):
        _plans.plan(sampler="qcm")


def test_a_dask_client_is_used_or_refused_never_ignored():
    with pytest.raises(InputError, match="a Dask client runs on its own cluster"):
        montecarlo.run(_plans.plan(samples=1000), engine="threads", client=object())


def test_estimate_scales_a_timed_trial_block():
    est = montecarlo.estimate(_plans.plan(samples=10**9), workers=2)
    assert est["workers"] == 2 and est["rate"] > 0
    assert est["seconds"] == pytest.approx(10**9 / est["rate"])
    assert est["bytes_out"] == 8 * (2 + 2) * 10**9  # two inputs and two outputs


def test_the_samplers_largest_normals_are_within_their_stated_caps():
    from scipy import special

    # Box-Muller's largest radius comes from its smallest 1 - u on the 2**-23 grid, in float32
    u = np.float32(1.0) - np.float32(2.0**-23)
    r = np.sqrt(np.float32(-2.0) * np.log1p(-u))
    assert r.dtype == np.float32 and float(r) <= montecarlo.Z_RANDOM < float(r) + 0.01
    # Sobol points are clipped to [2**-53, 1 - 2**-53] before the inverse normal CDF
    ends = special.ndtri(np.array([2.0**-53, 1.0 - 2.0**-53]))
    assert np.abs(ends).max() <= montecarlo.Z_QMC < np.abs(ends).max() + 0.05


_BOUNDED_PLANS = {
    "random": dict(),
    "qmc": dict(sampler="qmc"),
    "copula": dict(rank_correlation=np.array([[1.0, 0.8, -0.6], [0.8, 1.0, -0.3],
                                              [-0.6, -0.3, 1.0]])),
    "iman-conover": dict(rank_correlation=np.array([[1.0, 0.8, -0.6], [0.8, 1.0, -0.3],
                                                    [-0.6, -0.3, 1.0]]),
                         correlation_method="iman-conover"),
}


@pytest.mark.parametrize("kind", sorted(_BOUNDED_PLANS))
def test_every_drawn_value_lies_within_the_plans_input_bounds(kind):
    from siliconomics.uncertainty.distributions import Clipped

    dists = (Normal(1.0, 0.5), Clipped(LogNormal.interval(0.02, 0.3), 1e-9, 0.25),
             Uniform(2.0, 9.0))
    plan = montecarlo.Plan(names=("a", "b", "c"), dists=dists, evaluate=lambda v: {"y": v["a"]},
                           outputs=("y",), samples=3 * montecarlo.BLOCK, seed=3,
                           **_BOUNDED_PLANS[kind])
    for i in range(plan.n_blocks):
        values = plan.draw(i)
        for name, (lo, hi) in zip(plan.names, plan._bounds):
            assert lo <= values[name].min() and values[name].max() <= hi, (kind, name)
    # the clip's ends are bounds exactly, so a check at them needs no pass over the samples
    assert plan._bounds[1][1] == 0.25


def test_a_check_the_bounds_prove_reads_no_values_and_one_they_do_not_still_fails():
    from siliconomics import _checks

    x = np.array([0.5, -1.0])  # not within the bounds claimed: only a check that reads fails
    with _checks.known_bounds([(x, 0.1, 0.9)]):
        assert _checks.fraction("share", x) is x
        with pytest.raises(InputError, match="share must be >= 0.2, got -1"):
            _checks.at_least("share", x, 0.2)  # 0.1 does not prove >= 0.2: the values are read
    with pytest.raises(InputError, match="share must be in"):
        _checks.fraction("share", x)  # outside the block the values are read again


@pytest.mark.parametrize("rate", [Normal(0.06, 0.01), Normal(2e-9, 1e-9)])
def test_results_do_not_depend_on_the_input_bounds(rate):
    """The bounds only spare passes over the samples: checks and the capital recovery factor's
    branches (tiny rates, infinite lives) decide alike with and without them."""
    from siliconomics import finance
    from siliconomics.uncertainty.distributions import Clipped

    plan = montecarlo.Plan(
        names=("rate", "life"), dists=(rate, Clipped(Normal(6.0, 3.0), 1.0, None)),
        evaluate=lambda v: {"crf": finance.capital_recovery_factor(v["rate"], v["life"])},
        outputs=("crf",), samples=3 * montecarlo.BLOCK + 17, seed=2)
    unbounded = dataclasses.replace(plan)
    object.__setattr__(unbounded, "_bounds", tuple((-math.inf, math.inf) for _ in plan.names))
    a = montecarlo.run(plan, workers=1, keep_samples=True)
    b = montecarlo.run(unbounded, workers=1, keep_samples=True)
    np.testing.assert_array_equal(a.values["crf"], b.values["crf"])
    assert np.isfinite(a.values["crf"]).all()


def test_samples_outside_a_models_domain_are_still_refused():
    from siliconomics import finance

    def crf(v):
        return {"crf": finance.capital_recovery_factor(v["rate"], 5)}

    plan = montecarlo.Plan(names=("rate",), dists=(Normal(0.05, 0.6),), evaluate=crf,
                           outputs=("crf",), samples=montecarlo.BLOCK, seed=1)
    with pytest.raises(InputError, match="rate must be > -1"):
        montecarlo.run(plan, workers=1)
