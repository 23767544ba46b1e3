"""Engines: local processes and threads, Dask (local cluster, scheduler address, lost workers).

Every engine yields task results in order, so a Monte Carlo run is bitwise the same on each.
"""

import dataclasses
import os
import signal
import threading
import time

import numpy as np
import pytest

from siliconomics import engine
from siliconomics.engine import local
from siliconomics.errors import EngineError, InputError
from siliconomics.uncertainty import montecarlo
from tests.unit.uncertainty import _plans


class _Future:
    """A finished future that records whether it was cancelled."""

    def __init__(self, value):
        self.value, self.cancelled = value, False

    def result(self):
        return self.value

    def cancel(self):
        self.cancelled = True


def test_in_order_yields_results_in_submission_order_with_a_bounded_window():
    submitted, in_flight = [], []
    consumed = 0

    def submit(task):
        submitted.append(_Future(task * 10))
        in_flight.append(len(submitted) - consumed)
        return submitted[-1]

    out = []
    for value in engine.in_order(submit, range(6), window=2):
        out.append(value)
        consumed += 1
    assert out == [0, 10, 20, 30, 40, 50]
    assert max(in_flight) == 2


def test_in_order_cancels_what_is_pending_when_the_consumer_stops():
    submitted = []

    def submit(task):
        submitted.append(_Future(task))
        return submitted[-1]

    it = engine.in_order(submit, range(5), window=2)
    assert next(it) == 0
    it.close()
    assert len(submitted) == 2  # nothing more was submitted
    assert [f.cancelled for f in submitted] == [False, True]


class _Running(_Future):
    """A future whose task is still running until its result is asked for."""

    def done(self):
        return False


def test_the_calling_process_runs_tasks_while_the_next_result_is_not_ready():
    submitted, ran_here, waiting = [], [], []

    def submit(task):
        submitted.append(task)
        return _Running(task * 10)

    def here(task):
        ran_here.append(task)
        return task * 10

    out = []
    for value in engine.in_order(submit, range(8), window=4, here=here, in_flight=2):
        out.append(value)
        waiting.append(len(submitted) + len(ran_here) - len(out))
    assert out == [t * 10 for t in range(8)]  # the same results in the same order
    assert submitted == [0, 1, 4, 5] and ran_here == [2, 3, 6, 7]
    assert max(waiting) <= 4 - 1  # never more than the window at once


def test_a_process_run_on_two_workers_is_bitwise_the_one_worker_run():
    """The calling process and a forked one share the blocks: the aggregates and every kept
    sample are those of one process, in the same order."""
    plan = _plans.plan(samples=9 * montecarlo.BLOCK + 5)
    two = montecarlo.run(plan, workers=2, blocks_per_task=1, keep_samples=True)
    one = montecarlo.run(plan, workers=1, keep_samples=True)
    assert _plans.summaries(two) == _plans.summaries(one)
    assert all(np.array_equal(two.values[k], one.values[k]) for k in one.values)


def test_unknown_engine():
    with pytest.raises(EngineError, match="unknown engine 'gpu'; known: dask, local, processes, "
                                          "threads .or a scheduler address"):
        engine.get_mapper("gpu")


def test_a_misspelt_engine_suggests_the_closest_and_a_bad_address_says_what_is_wrong():
    with pytest.raises(EngineError, match="did you mean 'dask'"):
        engine.check_engine("dsk")
    with pytest.raises(EngineError, match="needs a port"):
        engine.get_mapper("tcp://10.0.0.5")
    assert engine.check_engine("tcp://10.0.0.5:8786") == "tcp://10.0.0.5:8786"
    assert [engine.check_engine(e) for e in engine.ENGINES] == list(engine.ENGINES)


def test_threads_keep_the_order_when_later_tasks_finish_first():
    def slow_first(i):
        time.sleep(0.02 * (8 - i))
        return i * i

    mapper = engine.get_mapper("threads", workers=4)
    assert list(mapper(slow_first, range(8))) == [i * i for i in range(8)]


def test_one_worker_or_few_tasks_run_in_the_calling_thread():
    me = threading.get_ident()
    where = lambda _: threading.get_ident()  # noqa: E731
    assert set(local.map_ordered(where, range(6), workers=1, processes=False)) == {me}
    assert set(local.map_ordered(where, range(3), workers=2, processes=False)) == {me}
    assert me not in set(local.map_ordered(where, range(8), workers=2, processes=False))


def test_default_workers_are_the_cores_this_process_may_use():
    assert local.default_workers() == len(os.sched_getaffinity(0)) >= 1




def test_process_engine_is_bitwise_equal_to_threads():
    plan = _plans.plan(samples=3 * montecarlo.BLOCK)
    assert _plans.summaries(montecarlo.run(plan, engine="processes", workers=2)) == _plans.summaries(
        montecarlo.run(plan, workers=2))


def test_dask_engine_is_bitwise_equal_to_the_local_engine():
    from distributed import Client, LocalCluster

    plan = _plans.plan(samples=4 * montecarlo.BLOCK + 77, rank_correlation=np.array([[1, 0.5], [0.5, 1]]))
    ref = _plans.summaries(montecarlo.run(plan, workers=1))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                      dashboard_address=":0") as cluster, Client(cluster) as client:
        got = _plans.summaries(montecarlo.run(plan, engine="dask", client=client, blocks_per_task=1))
        # the Dask default split (tasks of nearly equal size), as a run with a client gets it
        split = _plans.summaries(montecarlo.run(plan, client=client))
        # an existing scheduler by its address, as --engine tcp://host:8786 does
        by_address = _plans.summaries(montecarlo.run(plan, engine=cluster.scheduler_address))
    assert got == ref
    assert split == ref
    assert by_address == ref


def test_unreachable_scheduler_is_one_clear_error(monkeypatch):
    from siliconomics.engine import dask as dask_engine

    monkeypatch.setattr(dask_engine, "CONNECT_TIMEOUT", "1s")
    with pytest.raises(InputError, match="cannot reach Dask scheduler tcp://127.0.0.1:1"):
        montecarlo.run(_plans.plan(samples=10), engine="tcp://127.0.0.1:1")


def _slow(v, inner):
    time.sleep(0.08)
    return inner(v)


def test_killing_a_dask_worker_mid_run_changes_nothing():
    import functools

    from distributed import Client, LocalCluster

    plan = _plans.plan(samples=40 * 8192)
    plan = dataclasses.replace(plan, block=8192, evaluate=functools.partial(_slow, inner=_plans.linear))
    ref = _plans.summaries(montecarlo.run(plan, workers=4))
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
        got = _plans.summaries(montecarlo.run(plan, engine="dask", client=client, blocks_per_task=1))
        finished_at = time.perf_counter()
        killer.join()
        assert killed_at and killed_at[0] < finished_at  # killed mid-run, not after
        client.wait_for_workers(2, timeout=120)  # the nanny's new worker has joined
        after = set(client.run(os.getpid).values())
    assert victim not in after  # the worker really died (the nanny started a new one)
    assert got == ref


def test_a_run_in_this_process_tunes_the_allocator_once(monkeypatch):
    # runs in the calling process (one worker) keep their block arrays in the heap, as pool
    # workers do; the tuning is done once however many runs follow
    calls = []
    monkeypatch.setattr(local, "_TUNED", False)
    real = local._tune_malloc

    def spy():
        calls.append(local._TUNED)
        real()

    monkeypatch.setattr(local, "_tune_malloc", spy)
    plan = _plans.plan(samples=3 * montecarlo.BLOCK)
    first = _plans.summaries(montecarlo.run(plan, workers=1))
    second = _plans.summaries(montecarlo.run(plan, workers=1))
    assert calls == [False, True] and local._TUNED
    assert first == second


@pytest.mark.parametrize("reply, message", [
    (None, "accepted the connection but sent no Dask handshake within 1s"),
    (b"HTTP/1.1 400 Bad Request\r\n\r\n", "answered, but not as a Dask scheduler"),
    (b"", "answered, but not as a Dask scheduler"),
])
def test_an_address_that_is_not_a_scheduler_is_one_clear_error_in_bounded_time(
        monkeypatch, reply, message):
    """A port that accepts and stays silent made the client wait without a bound; one that
    answers in another protocol (an HTTP or dashboard port) had its bytes read as a length of
    exabytes and an internal MemoryError. Both are one EngineError within the timeout."""
    import socket
    import threading

    from siliconomics.engine import dask as dask_engine
    from siliconomics.errors import EngineError

    monkeypatch.setattr(dask_engine, "CONNECT_TIMEOUT", "1s")
    server = socket.create_server(("127.0.0.1", 0))
    done = threading.Event()

    def serve():
        conn, _ = server.accept()
        with conn:
            if reply is not None:
                conn.sendall(reply)
                if not reply:
                    return  # close at once
            done.wait(5)

    threading.Thread(target=serve, daemon=True).start()
    address = f"tcp://127.0.0.1:{server.getsockname()[1]}"
    t0 = time.perf_counter()
    try:
        with pytest.raises(EngineError, match=message):
            montecarlo.run(_plans.plan(samples=10), engine=address)
    finally:
        done.set()
        server.close()
    assert time.perf_counter() - t0 < 3
