"""Local engine: tasks mapped over a pool of processes (or threads), results yielded in order.

A model evaluates a few hundred NumPy operations per block; between them the GIL and the page
faults of fresh arrays serialise threads, so the default is a process pool (forked when the
process has a single thread, else a fork server), which scales with the cores; the calling
process works as one of the workers rather than wait on the others. Threads remain
available (``processes=False``). Results come back in task order whatever the number of
workers, so aggregates folded in that order are bit-for-bit identical for any worker count.
"""

from __future__ import annotations

import os
from . import in_order
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor


def default_workers() -> int:
    """Cores available to this process."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS / Windows
        return max(1, os.cpu_count() or 1)


_TUNED = False


def _tune_malloc() -> None:
    """Keep freed block-sized arrays in the heap instead of returning them to the OS.

    Each block allocates and frees a few dozen arrays of 512 KiB; glibc would map and unmap them,
    or trim the top of its heap after each block, and every fresh page costs a fault (measured:
    about 1,700 faults and a quarter of the time of a block run untuned in this process).
    Raising the mmap and trim thresholds lets the process reuse the same memory. Pool workers
    do it when they start; a run in the calling process (one worker, threads) does it once, and
    the setting stays for the rest of the process: freed memory up to the trim threshold stays
    in the heap for reuse rather than going back to the OS. No effect outside glibc.
    """
    global _TUNED
    if _TUNED:
        return
    _TUNED = True
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    if not name:
        return
    try:
        libc = ctypes.CDLL(name)
        m_trim_threshold, m_mmap_threshold = -1, -3
        libc.mallopt(m_mmap_threshold, 64 * 2**20)
        libc.mallopt(m_trim_threshold, 256 * 2**20)
    except (OSError, AttributeError):  # pragma: no cover - not glibc
        pass


#: The function a pool worker runs, installed once per worker by :func:`_install`.
_FUNC: Callable | None = None


def _install(func: Callable) -> None:
    """Pool initializer: tune the allocator and keep ``func`` (a model's plan: tens of
    kilobytes pickled, half a megabyte with a user's catalog) in the worker, so tasks carry
    only their block indices."""
    global _FUNC
    _tune_malloc()
    _FUNC = func


def _run_installed(task):
    return _FUNC(task)


def _process_pool(workers: int, func: Callable) -> Executor:
    import multiprocessing
    import threading

    methods = multiprocessing.get_all_start_methods()
    method = "fork" if "fork" in methods and threading.active_count() == 1 else (
        "forkserver" if "forkserver" in methods else "spawn")
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method),
                               initializer=_install, initargs=(func,))


def map_ordered(func: Callable, tasks: Iterable, *, workers: int | None = None,
                processes: bool = True, window: int | None = None) -> Iterator:
    """Yield ``func(task)`` for every task, in order, with at most ``window`` tasks in flight.

    ``workers=1``, or fewer tasks than two per worker, runs in the calling thread (no pool to
    start). With processes, the calling process is one of the ``workers``: it starts
    ``workers - 1`` processes and, whenever the next result is not ready, runs the next task
    itself (a short run is not left waiting on the pool's start: measured, 10^6 samples on
    two processes took longer than on one, each forked worker's first block paying thousands
    of page faults). The window bounds memory: results wait for their turn only while
    earlier tasks finish.
    """
    workers = default_workers() if workers is None else int(workers)
    tasks = list(tasks)
    if workers <= 1 or len(tasks) < 2 * workers:
        _tune_malloc()
        for task in tasks:
            yield func(task)
        return
    window = window or 2 * workers
    _tune_malloc()
    if processes:
        pool: Executor = _process_pool(workers - 1, func)
        submit = lambda task: pool.submit(_run_installed, task)  # noqa: E731
        here, in_flight = func, 2 * (workers - 1)
    else:
        pool = ThreadPoolExecutor(max_workers=workers)
        submit = lambda task: pool.submit(func, task)  # noqa: E731
        here, in_flight = None, None
    try:
        yield from in_order(submit, tasks, window, here=here, in_flight=in_flight)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
