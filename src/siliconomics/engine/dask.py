"""Dask engine (optional extra ``siliconomics[dask]``): the same tasks on a Dask cluster.

``address=None`` starts a local cluster for the run, listening on 127.0.0.1 only and without a
dashboard; ``"tcp://host:8786"`` connects to an existing scheduler. Tasks are pure functions of their chunk indices, so a task lost with a
worker is recomputed elsewhere with the same result; results are gathered in task order, so the
aggregates are bit-for-bit those of the local engine.
"""

from __future__ import annotations

from . import in_order
from collections.abc import Callable, Iterable, Iterator

#: Interface a local cluster listens on.
LOOPBACK = "127.0.0.1"
#: How long to wait for a remote scheduler before giving up.
CONNECT_TIMEOUT = "3s"
#: Largest first message a scheduler's handshake may announce (its length prefix); a larger
#: one is another protocol's bytes read as a length (an HTTP server's "HTTP/1.1" is 3.5e18).
MAX_HANDSHAKE_BYTES = 2**26


def _seconds(timeout: str) -> float:
    return float(timeout.removesuffix("s"))


def probe(address: str, timeout: str | None = None) -> None:
    """Check that ``tcp://host:port`` answers as a Dask scheduler within ``timeout`` (default
    :data:`CONNECT_TIMEOUT`) before a client connects: a scheduler sends its handshake as soon
    as a connection opens, prefixed by its length (8 bytes). An address with nothing
    listening, one that accepts the connection but sends nothing (the client would wait on it
    without a bound), and one that answers in another protocol (a dashboard's or any HTTP
    port: its bytes read as a length of exabytes, which the client tries to allocate) each
    give one :class:`~siliconomics.errors.EngineError` within ``timeout``. Other schemes
    (``tls://``, ``inproc://``) are left to the client.
    """
    import socket
    import struct
    import time
    from urllib.parse import urlsplit

    from ..errors import EngineError

    parts = urlsplit(address)
    if parts.scheme != "tcp":
        return
    timeout = CONNECT_TIMEOUT if timeout is None else timeout
    limit = _seconds(timeout)
    deadline = time.monotonic() + limit
    port = "check the port: a scheduler listens on 8786 by default, its dashboard on 8787"
    head, connected = b"", False
    try:
        with socket.create_connection((parts.hostname, parts.port), timeout=limit) as sock:
            connected = True
            while len(head) < 8:
                sock.settimeout(max(deadline - time.monotonic(), 0.001))
                chunk = sock.recv(8 - len(head))
                if not chunk:
                    break
                head += chunk
    except (socket.timeout, TimeoutError):
        if connected:
            raise EngineError(f"{address} accepted the connection but sent no Dask handshake "
                              f"within {timeout}: not a Dask scheduler? {port}") from None
        raise _unreachable(address, f"no answer within {timeout}") from None
    except OSError as exc:
        raise _unreachable(address, exc.strerror or str(exc)) from None
    if len(head) < 8 or not 0 < struct.unpack("<Q", head)[0] <= MAX_HANDSHAKE_BYTES:
        raise EngineError(f"{address} answered, but not as a Dask scheduler (it sent "
                          f"{head[:8]!r} where a scheduler's handshake starts); {port}")


def _unreachable(address: str, why: str):
    """The :class:`~siliconomics.errors.EngineError` of a scheduler that cannot be reached."""
    from ..errors import EngineError

    return EngineError(f"cannot reach Dask scheduler {address} ({why}); start one with "
                       "dask-scheduler or use --engine local")


def _call(func: Callable, task):
    """Run ``func(task)`` on a worker (``func`` arrives once per worker, scattered). The first
    task a worker process runs gives it the allocator tuning of the local process pool
    (:func:`siliconomics.engine.local._tune_malloc`): without it each block's fresh arrays fault
    their pages in again. Done here rather than by a call to every worker, so a worker started
    mid-run (after one was lost) is tuned too, and nothing waits on a worker that died (the
    tuning is done once per process)."""
    from .local import _tune_malloc

    _tune_malloc()
    return func(task)


def _import():
    try:
        import distributed
    except ImportError:  # pragma: no cover - depends on the environment
        from ..errors import InputError

        raise InputError("the Dask engine needs the dask extra: pip install 'siliconomics[dask]'") from None
    return distributed


#: Settings of the clusters this engine starts: background work that takes its time from the
#: tasks when every core runs a worker, none of which a run of NumPy tasks needs often.
QUIET = {
    "distributed.worker.profile.enabled": False,  # a stack sample every 10 ms
    "distributed.admin.tick.interval": "500ms",  # event-loop health check every 20 ms
    "distributed.admin.system-monitor.interval": "2s",  # CPU, memory and disk every 500 ms
    "distributed.worker.memory.monitor-interval": "1s",  # spill and pause checks every 100 ms
    # Tasks here are few, heavy and alike, submitted a window at a time: there is nothing to
    # rebalance, and the stealing extension's bookkeeping ran on the scheduler, in the
    # calling process, for every task (measured: 10-15% of that process's CPU during a run).
    "distributed.scheduler.work-stealing": False,
}


def local_cluster(workers: int):
    """A ``LocalCluster`` of ``workers`` single-threaded worker processes, set up for these tasks.

    Scheduler, nannies and workers listen on loopback only and serve no dashboard; the
    scheduler's HTTP endpoint (health checks) takes a free loopback port rather than 8787, so
    runs side by side do not collide. Nothing opens to the network. Background monitoring runs
    less often (:data:`QUIET`): the workers' statistical profiler, for one, samples the running
    task's stack every 10 ms from a second thread, and when every core runs a worker that
    thread takes its time from the tasks.
    """
    distributed = _import()
    import dask

    with dask.config.set(QUIET):
        return distributed.LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, host=LOOPBACK,
            dashboard_address=None, worker_dashboard_address=None, silence_logs=40,
            scheduler_kwargs={"dashboard": False, "dashboard_address": f"{LOOPBACK}:0"})


def map_ordered(func: Callable, tasks: Iterable, *, address: str | None = None,
                workers: int | None = None, client=None, window: int | None = None) -> Iterator:
    """Yield ``func(task)`` for every task in order, computed on a Dask cluster.

    Parameters
    ----------
    address : str, optional
        Scheduler address; ``None`` starts a ``LocalCluster`` (``workers`` processes, one thread
        each) and closes it at the end.
    client : distributed.Client, optional
        An existing client (takes precedence over ``address``).
    window : int, optional
        Tasks in flight (default: 4 per worker thread), to bound memory on long runs.
    """
    distributed = _import()
    own = None
    if client is None:
        if address is None:
            from .local import default_workers

            own = local_cluster(workers or default_workers())
            client = distributed.Client(own)
        else:
            probe(address)
            try:
                client = distributed.Client(address, timeout=CONNECT_TIMEOUT)
            except (OSError, TimeoutError) as exc:
                raise _unreachable(address, f"no answer within {CONNECT_TIMEOUT}: {exc}") from None
    try:
        threads = sum(client.nthreads().values()) or 1
        window = window or 4 * threads
        # the function (the plan and its resolved inputs) travels to each worker once, not
        # with every task
        shipped = client.scatter(func, broadcast=True, hash=False)
        yield from in_order(lambda task: client.submit(_call, shipped, task, pure=False,
                                                       retries=3), tasks, window)
    finally:
        if own is not None:
            client.close()
            own.close()
        elif address is not None:
            client.close()
