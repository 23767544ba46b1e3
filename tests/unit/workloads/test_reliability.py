"""Reliability: checkpoint intervals, goodput under failures, the Llama 3 failure rate."""

import math

import numpy as np
import pytest

from siliconomics import catalog
from siliconomics.errors import InputError
from siliconomics.workloads import reliability


def test_young_closed_form_and_daly_optimum():
    d, m = 60.0, 10_000.0
    assert reliability.young_interval(d, m) == pytest.approx(math.sqrt(2 * d * m))
    tau = reliability.daly_interval(d, m)
    grid = np.linspace(0.3 * tau, 3 * tau, 2001)
    best = grid[np.argmax(reliability.goodput(grid, d, 300.0, m))]
    assert best == pytest.approx(tau, rel=0.02)  # Daly's estimate is the numerical optimum


def test_goodput_by_hand():
    tau, d, r, m = 600.0, 60.0, 900.0, 11_160.0
    expect = 1 / (m / tau * math.exp(r / m) * (math.exp((tau + d) / m) - 1))
    assert reliability.goodput(tau, d, r, m) == pytest.approx(expect)
    # no failures in sight: only the checkpoint overhead remains
    assert reliability.goodput(600.0, 60.0, 0.0, 1e12) == pytest.approx(600 / 660, rel=1e-6)


def test_llama3_failure_rate_reproduces_interruptions():
    rate = catalog.assumption("failure-rate-per-accelerator-hour")
    per_day = reliability.optimal_goodput(16_384, rate, 30, 300)["failures_per_day"]
    assert per_day * 54 == pytest.approx(419, rel=0.01)


def test_mtbf_is_the_inverse_of_the_cluster_failure_rate():
    assert reliability.mtbf_hours(1000, 1e-5) == pytest.approx(100.0)
    np.testing.assert_allclose(reliability.mtbf_hours(np.array([1, 4]), 0.5), [2.0, 0.5])
    with pytest.raises(InputError, match="failure_rate_per_accelerator_hour must be > 0"):
        reliability.mtbf_hours(1000, 0.0)


def test_daly_interval_by_hand_and_beyond_its_range():
    d, m = 60.0, 10_000.0
    x = d / (2 * m)
    assert reliability.daly_interval(d, m) == pytest.approx(
        math.sqrt(2 * d * m) * (1 + math.sqrt(x) / 3 + x / 9) - d)
    assert reliability.daly_interval(500.0, 200.0) == 200.0  # checkpoints longer than 2M: M


def test_optimal_goodput_puts_the_pieces_together():
    r = reliability.optimal_goodput(2048, 2e-5, 30.0, 600.0)
    mtbf_h = 1 / (2048 * 2e-5)
    tau = reliability.daly_interval(30.0, 3600 * mtbf_h)
    assert r["mtbf_h"] == pytest.approx(mtbf_h)
    assert r["failures_per_day"] == pytest.approx(24 / mtbf_h)
    assert r["interval_s"] == pytest.approx(tau)
    assert r["goodput"] == pytest.approx(reliability.goodput(tau, 30.0, 600.0, 3600 * mtbf_h))


def test_goodput_stays_finite_when_failures_dwarf_the_interval():
    g = reliability.goodput(1e5, 60.0, 900.0, 100.0)  # (tau + d) / M = 1000: exp would overflow
    assert 0.0 <= g < 1e-300 and math.isfinite(g)
    with pytest.raises(InputError, match="interval_s must be > 0"):
        reliability.goodput(0.0, 60.0, 900.0, 1000.0)


def test_component_rates_reproduce_llama3_table5():
    r = reliability.component_rates()
    hours = 16_384 * 54 * 24
    assert sum(r.values()) * hours == pytest.approx(419)
    assert r["accelerator"] * hours == pytest.approx(268)
    # a rack with 4 accelerators per host carries twice the host failures per accelerator
    assert reliability.component_rates(1 / 4)["host"] == pytest.approx(2 * r["host"])


def test_spares_and_repairs_by_hand():
    assert reliability.spare_shortfall(0.5, 8, 0, 10.0) == 1.0
    # 2 units in the pool, 5 that would be out: Erlang's loss formula, 12.5 / (1 + 5 + 12.5)
    assert reliability.spare_shortfall(0.5, 8, 16, 10.0) == pytest.approx(12.5 / 18.5)
    # no spare: every failure waits out its own repair; a pool that covers what is out
    # leaves a small share of it
    assert reliability.repair_wait_h(0.5, 8, 0, 10.0) == 10.0
    assert reliability.repair_wait_h(0.5, 8, 16, 10.0) == pytest.approx(10.0 * 12.5 / 18.5 / 3)


def test_replica_recovery_and_in_memory_checkpoints_absorb_failures_at_scale():
    rates = reliability.component_rates()
    kw = dict(rates=rates, blast=8, spares=20_000, replica=128, reconfigure_s=60)
    restart = reliability.cluster_goodput(400_000, checkpoint_s=30, restart_s=300, **kw)
    in_memory = reliability.cluster_goodput(400_000, checkpoint_s=2, restart_s=120, **kw)
    replica = reliability.cluster_goodput(400_000, checkpoint_s=2, restart_s=120,
                                          recovery="replica", **kw)
    assert restart["goodput"] < in_memory["goodput"] < replica["goodput"] < 1
    assert restart["failures_per_day"] == pytest.approx(24 * 400_000 * sum(rates.values()))


def test_too_few_spares_costs_repair_time():
    rates = reliability.component_rates()
    kw = dict(rates=rates, blast=8, checkpoint_s=30, restart_s=300, repair_h=48)
    assert (reliability.cluster_goodput(16_384, spares=0, **kw)["goodput"]
            < reliability.cluster_goodput(16_384, spares=800, **kw)["goodput"])
    with pytest.raises(InputError, match="recovery"):
        reliability.cluster_goodput(8, recovery="pray", **kw, spares=0)


def test_a_wait_for_repair_adds_its_length_to_each_interruption():
    """Each hardware interruption that finds no spare waits for a repaired unit: a delay added
    once per interruption (goodput / (1 + wait / MTBF)), which failures during it do not undo
    (the job is stopped); a restart, cut short by failures, keeps Daly's exponential cost."""
    rates = reliability.component_rates()
    kw = dict(rates=rates, blast=72, checkpoint_s=30, restart_s=300)
    n = 100_000
    total = n * sum(rates.values())  # interruptions per hour
    m_s = 3600.0 / total
    hw = n * (rates["accelerator"] + rates["host"])
    daly = reliability.goodput(reliability.daly_interval(30.0, m_s), 30.0, 300.0, m_s)
    for repair_h in (4.0, 48.0, 168.0):
        for spares in (0, 72 * 10, 72 * 40):
            g = reliability.cluster_goodput(n, repair_h=repair_h, spares=spares, **kw)["goodput"]
            wait_s = 3600.0 * reliability.repair_wait_h(hw, 72, spares, repair_h) * hw / total
            assert g == pytest.approx(daly / (1.0 + wait_s / m_s), rel=1e-12)
            assert 0 < g <= daly
    spared = [reliability.cluster_goodput(n, repair_h=168.0, spares=s, **kw)["goodput"]
              for s in np.array([0, 72 * 5, 72 * 20, 72 * 60])]
    assert np.all(np.diff(spared) > 0)  # a larger pool waits less


@pytest.mark.parametrize("rate, repair_h, units", [
    (0.05, 48.0, 0), (0.05, 48.0, 2), (0.28, 48.0, 5), (0.28, 48.0, 13), (0.28, 48.0, 22),
    (2.0, 48.0, 80), (1.0, 168.0, 150)])
def test_the_repair_wait_matches_a_simulated_job_and_pool(rate, repair_h, units):
    """A discrete-event simulation of a job and its spare pool: the job's units fail at
    ``rate`` an hour while it runs, each failure takes a unit out for exactly ``repair_h``,
    and a failure that leaves more units out than the pool holds stops the job until one
    comes back. Its mean wait per failure matches T B(u, m) / (u + 1) within sampling error
    (about 1%), where P(X >= u) T (the model before) overstated it up to 1,000 times and
    P(X >= u + 1) / rate (a pool whose units fail even while the job is stopped) understated
    it 13 times with no spare."""
    import heapq

    rng = np.random.default_rng(7)
    t, out, waits = 0.0, [], []
    for gap in rng.exponential(1.0 / rate, 40_000):
        t += gap  # the job ran until this failure
        while out and out[0] <= t:
            heapq.heappop(out)
        heapq.heappush(out, t + repair_h)
        if len(out) > units:  # the pool is empty: wait for the first unit back
            back = heapq.heappop(out)
            waits.append(back - t)
            t = back
        else:
            waits.append(0.0)
    simulated = np.mean(waits[1000:])  # after the pool warms up
    predicted = reliability.repair_wait_h(rate, 1, units, repair_h)
    assert simulated == pytest.approx(predicted, rel=0.03, abs=1e-3)



@pytest.mark.parametrize("rate, repair_h, units", [
    (0.05, 48.0, 0), (0.3, 48.0, 0), (0.3, 48.0, 14), (2.0, 48.0, 80), (1.0, 168.0, 150)])
def test_the_repair_wait_of_a_replica_matches_a_simulated_pool(rate, repair_h, units):
    """Replica recovery: the rest of the job runs on, so failures go on while a replica waits.
    Simulated (Poisson failures, each unit out for exactly ``repair_h``, a failure that finds
    every spare in use waiting for the first unit back), the mean wait per failure matches
    P(X >= u + 1) / rate within sampling error."""
    import heapq

    rng = np.random.default_rng(7)
    t, out, waits = 0.0, [], []
    for gap in rng.exponential(1.0 / rate, 20_000):
        t += gap
        while out and out[0] <= t:
            heapq.heappop(out)
        short = len(out) >= units
        heapq.heappush(out, t + repair_h)
        waits.append(out[0] - t if short else 0.0)
    simulated = np.mean(waits[500:])  # after the pool warms up
    predicted = reliability.repair_wait_h(rate, 1, units, repair_h, job_stops=False)
    assert simulated == pytest.approx(predicted, rel=0.05)
    if units == 0:  # with no spare a stopped job waits out the whole repair, a replica less
        assert reliability.repair_wait_h(rate, 1, 0, repair_h) == repair_h > predicted

def test_erlang_b_by_its_sum_and_the_array_path_by_the_recursion():
    from math import factorial

    for u in (0, 1, 2, 5, 12):
        for m in (0.01, 0.7, 3.0, 15.0):
            direct = (m**u / factorial(u)) / sum(m**k / factorial(k) for k in range(u + 1))
            assert reliability.erlang_b(u, m) == pytest.approx(direct, rel=1e-12)
    rng = np.random.default_rng(3)
    units = np.concatenate([rng.integers(0, 3000, 500), [0, 4, 2500, 2500]])
    mean = np.concatenate([10 ** rng.uniform(-3, 3.7, 500), [0.0, 0.0, 6000.0, 3000.0]])
    one_by_one = [reliability.erlang_b(int(u), float(m)) for u, m in zip(units, mean)]
    # where the Poisson probabilities underflow (m far above u), the series takes over
    np.testing.assert_allclose(reliability.erlang_b(units, mean), one_by_one, rtol=1e-10,
                               atol=1e-300)


@pytest.mark.parametrize("shortfall", [0.001, 0.01, 0.3])
def test_spare_units_are_the_fewest_whose_shortfall_is_within_target(shortfall):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=150, deadline=None)
    @given(st.floats(min_value=1e-6, max_value=2000.0, allow_nan=False))
    def check(in_repair):
        u = reliability.spare_units_for(in_repair, shortfall)
        assert reliability.erlang_b(u, in_repair) <= shortfall
        assert u == 0 or reliability.erlang_b(u - 1, in_repair) > shortfall

    check()
