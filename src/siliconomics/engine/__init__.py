"""Engines that map Monte Carlo tasks over workers: local threads/processes, or Dask.

Both yield task results in task order, so aggregates do not depend on the engine.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator


def in_order(submit: Callable, tasks: Iterable, window: int) -> Iterator:
    """Submit ``tasks`` with at most ``window`` in flight; yield results in submission order.

    ``submit(task)`` returns a future with ``result()`` and ``cancel()`` (concurrent.futures or
    Dask); futures still pending when the consumer stops are cancelled.
    """
    pending: deque = deque()
    try:
        for task in tasks:
            pending.append(submit(task))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for f in pending:
            f.cancel()


def get_mapper(engine: str = "local", *, workers: int | None = None, client=None):
    """A function ``(func, tasks) -> iterator of results in order`` for ``engine``.

    ``engine`` is ``"local"`` (a local process pool), ``"threads"`` (a local thread pool),
    ``"dask"`` (a local Dask cluster) or a scheduler address such as ``"tcp://host:8786"``.
    """
    from ..errors import InputError

    if engine in ("local", "threads", "processes"):
        from .local import map_ordered

        processes = engine != "threads"
        return lambda func, tasks: map_ordered(func, tasks, workers=workers, processes=processes)
    if engine == "dask" or "://" in engine or client is not None:
        from . import dask as dask_engine

        address = None if engine == "dask" else engine
        return lambda func, tasks: dask_engine.map_ordered(
            func, tasks, address=address, workers=workers, client=client)
    raise InputError(f"engine must be local, threads, processes, dask or a scheduler address "
                     f"(tcp://host:8786), got {engine!r}")
