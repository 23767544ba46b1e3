"""Monte Carlo engine: determinism across chunking, workers and engines; statistics; streaming."""

import dataclasses
import math
import os
import signal
import threading
import time

import numpy as np
import pytest

from siliconomics.errors import InputError
from siliconomics.uncertainty import correlation, montecarlo
from siliconomics.uncertainty.distributions import LogNormal, Normal, Uniform
from siliconomics.uncertainty.sketch import Aggregate, QuantileSketch


def _linear(v):
    return {"y": 2.0 * v["a"] + 3.0 * v["b"], "ratio": v["a"] / v["b"]}


def _plan(samples=300_000, seed=7, **kw):
    return montecarlo.Plan(names=("a", "b"), dists=(Normal(1.0, 0.5), LogNormal.interval(2, 8)),
                           evaluate=_linear, outputs=("y", "ratio"), samples=samples, seed=seed,
                           thresholds={"y": (10.0,)}, **kw)


def _dicts(result):
    return {k: a.summary() for k, a in result.metrics.items()}


def test_mean_and_std_agree_with_analytic_values():
    plan = _plan(samples=400_000)
    r = montecarlo.run(plan, workers=1)
    b = LogNormal.interval(2, 8)
    mean = 2 * 1.0 + 3 * b.mean
    std = math.sqrt(4 * 0.25 + 9 * b.std**2)
    y = r.metrics["y"]
    assert y.count == 400_000
    assert abs(y.mean - mean) < 4 * std / math.sqrt(y.count)
    assert y.std == pytest.approx(std, rel=0.02)


def test_quantiles_and_exceedance_match_the_samples():
    plan = _plan(samples=200_000)
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
    plan = _plan(samples=5 * montecarlo.BLOCK + 123)
    ref = _dicts(montecarlo.run(plan, workers=1, blocks_per_task=4))
    got = _dicts(montecarlo.run(plan, workers=workers, blocks_per_task=blocks_per_task))
    assert got == ref


def test_process_engine_is_bitwise_equal_to_threads():
    plan = _plan(samples=3 * montecarlo.BLOCK)
    assert _dicts(montecarlo.run(plan, engine="processes", workers=2)) == _dicts(
        montecarlo.run(plan, workers=2))


def test_seed_changes_the_samples_and_same_seed_repeats_them():
    a = _dicts(montecarlo.run(_plan(seed=1), workers=1))
    assert a == _dicts(montecarlo.run(_plan(seed=1), workers=2))
    assert a != _dicts(montecarlo.run(_plan(seed=2), workers=1))


def test_blocks_are_seeded_by_index():
    plan = _plan(samples=3 * montecarlo.BLOCK)
    longer = dataclasses.replace(plan, samples=5 * montecarlo.BLOCK)
    np.testing.assert_array_equal(plan.draw(2)["a"], longer.draw(2)["a"])
    assert not np.array_equal(plan.draw(0)["a"], plan.draw(1)["a"])


def test_gaussian_copula_gives_the_requested_rank_correlation_and_keeps_marginals():
    from scipy import stats

    rho = np.array([[1.0, 0.7], [0.7, 1.0]])
    plan = _plan(samples=200_000, rank_correlation=rho)
    r = montecarlo.run(plan, workers=1, keep_samples=True)
    got = stats.spearmanr(r.values["a"], r.values["b"]).statistic
    assert got == pytest.approx(0.7, abs=0.01)
    assert np.quantile(r.values["b"], 0.95) == pytest.approx(8.0, rel=0.01)
    assert np.mean(r.values["a"]) == pytest.approx(1.0, abs=0.01)


def test_iman_conover_gives_the_requested_rank_correlation_and_keeps_marginals():
    from scipy import stats

    rng = np.random.default_rng(0)
    x = np.column_stack([rng.uniform(size=20_000), rng.lognormal(size=20_000)])
    y = correlation.iman_conover(x, np.array([[1, -0.5], [-0.5, 1]]), rng)
    assert stats.spearmanr(y[:, 0], y[:, 1]).statistic == pytest.approx(-0.5, abs=0.02)
    np.testing.assert_array_equal(np.sort(y[:, 1]), np.sort(x[:, 1]))
    plan = _plan(samples=100_000, rank_correlation=np.array([[1, 0.4], [0.4, 1]]),
                 correlation_method="iman-conover")
    r = montecarlo.run(plan, workers=2, keep_samples=True)
    assert stats.spearmanr(r.values["a"], r.values["b"]).statistic == pytest.approx(0.4, abs=0.02)
    assert _dicts(montecarlo.run(plan, workers=1)) == _dicts(r)


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


def test_sketch_relative_accuracy_and_merge_order_does_not_matter():
    rng = np.random.default_rng(1)
    x = np.concatenate([rng.lognormal(0, 2, 50_000), -rng.lognormal(0, 1, 5_000), np.zeros(10)])
    whole = QuantileSketch(0.01)
    whole.add(x)
    parts = [QuantileSketch(0.01) for _ in range(3)]
    for p, chunk in zip(parts, np.array_split(x, 3)):
        p.add(chunk)
    merged = QuantileSketch(0.01)
    for p in reversed(parts):
        merged.merge(p)
    q = np.array([0.001, 0.05, 0.1, 0.5, 0.9, 0.99])
    np.testing.assert_array_equal(merged.quantile(q), whole.quantile(q))
    exact = np.quantile(x, q, method="lower")
    assert np.all(np.abs(whole.quantile(q) - exact) <= 0.01 * np.abs(exact) + 1e-300)
    edges, counts = whole.histogram(20)
    assert counts.sum() == x.size and edges.size == 21


def test_aggregate_ignores_non_finite_values_and_counts_them():
    a = Aggregate()
    a.add(np.array([1.0, np.nan, 3.0, np.inf]))
    s = a.summary()
    assert s["count"] == 2 and s["non_finite"] == 2 and s["mean"] == 2.0


def test_zero_samples_and_in_memory_limits_are_refused():
    with pytest.raises(InputError, match="samples must be >= 1, got 0"):
        _plan(samples=0)
    with pytest.raises(InputError, match="beyond what fits in memory"):
        montecarlo.run(_plan(samples=montecarlo.MAX_IN_MEMORY + 1), keep_samples=True)


def test_samples_out_writes_parquet_in_sample_order(tmp_path):
    import pyarrow.parquet as pq

    plan = _plan(samples=2 * montecarlo.BLOCK + 5)
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


# --- Dask ------------------------------------------------------------------------------------

def test_dask_engine_is_bitwise_equal_to_the_local_engine():
    from distributed import Client, LocalCluster

    plan = _plan(samples=4 * montecarlo.BLOCK + 77, rank_correlation=np.array([[1, 0.5], [0.5, 1]]))
    ref = _dicts(montecarlo.run(plan, workers=1))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                      dashboard_address=":0") as cluster, Client(cluster) as client:
        got = _dicts(montecarlo.run(plan, engine="dask", client=client, blocks_per_task=1))
        # an existing scheduler by its address, as --engine tcp://host:8786 does
        by_address = _dicts(montecarlo.run(plan, engine=cluster.scheduler_address))
    assert got == ref
    assert by_address == ref


def test_unreachable_scheduler_is_one_clear_error(monkeypatch):
    from siliconomics.engine import dask as dask_engine

    monkeypatch.setattr(dask_engine, "CONNECT_TIMEOUT", "1s")
    with pytest.raises(InputError, match="cannot reach Dask scheduler tcp://127.0.0.1:1"):
        montecarlo.run(_plan(samples=10), engine="tcp://127.0.0.1:1")


def _slow(v, inner):
    time.sleep(0.08)
    return inner(v)


def test_killing_a_dask_worker_mid_run_changes_nothing():
    import functools

    from distributed import Client, LocalCluster

    plan = _plan(samples=40 * 8192)
    plan = dataclasses.replace(plan, block=8192, evaluate=functools.partial(_slow, inner=_linear))
    ref = _dicts(montecarlo.run(plan, workers=4))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=":0", worker_dashboard_address=":0",
                      silence_logs=50) as cluster, Client(cluster) as client:
        pids = client.run(os.getpid)
        victim = sorted(pids.values())[0]
        killed_at = []

        def kill():
            os.kill(victim, signal.SIGKILL)
            killed_at.append(time.perf_counter())

        killer = threading.Timer(0.8, kill)
        killer.start()
        got = _dicts(montecarlo.run(plan, engine="dask", client=client, blocks_per_task=1))
        finished_at = time.perf_counter()
        killer.join()
        assert killed_at and killed_at[0] < finished_at  # killed mid-run, not after
        after = set(client.run(os.getpid).values())
    assert victim not in after  # the worker really died (the nanny started a new one)
    assert got == ref
