"""Engines that map Monte Carlo tasks over workers: local threads/processes, or Dask.

Both yield task results in task order, so aggregates do not depend on the engine.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator

#: Engines that run in this machine's processes or threads (no cluster).
LOCAL_ENGINES = ("local", "threads", "processes")


class _Here:
    """A task's result computed in the calling process (the interface of a done future)."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def result(self):
        return self.value

    def done(self) -> bool:
        return True

    def cancel(self) -> bool:
        return False


def in_order(submit: Callable, tasks: Iterable, window: int, *,
             here: Callable | None = None, in_flight: int | None = None) -> Iterator:
    """Submit ``tasks`` with at most ``window`` in flight; yield results in submission order.

    ``submit(task)`` returns a future with ``result()`` and ``cancel()`` (concurrent.futures or
    Dask); futures still pending when the consumer stops are cancelled.

    With ``here`` (a function), the calling process works too: whenever the next result is
    not ready, it runs the next unsubmitted task itself as ``here(task)`` rather than wait,
    while at most ``in_flight`` submitted tasks (default ``window``) keep the workers busy and
    at most ``window`` results wait for their turn. Results are the same, in the same order.
    """
    in_flight = window if in_flight is None else in_flight
    pending: deque = deque()
    submitted = 0  # futures in ``pending`` (the rest ran here)
    tasks = iter(tasks)
    left = True
    try:
        while True:
            while left and submitted < in_flight and len(pending) < window:
                task = next(tasks, _END)
                if task is _END:
                    left = False
                    break
                pending.append(submit(task))
                submitted += 1
            if not pending:
                return
            head = pending[0]
            if here is not None and left and len(pending) < window and not head.done():
                task = next(tasks, _END)
                if task is _END:
                    left = False
                else:
                    pending.append(_Here(here(task)))
                continue
            pending.popleft()
            if not isinstance(head, _Here):
                submitted -= 1
            yield head.result()
    finally:
        for f in pending:
            f.cancel()


_END = object()


_HOST = re.compile(r"^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                   r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$")


def check_host(host: str, name: str = "host") -> str:
    """``host`` if it is a host name or an IP address, else an InputError naming ``name``.

    >>> check_host("127.0.0.1")
    '127.0.0.1'
    >>> check_host("not a host!", "--host")
    Traceback (most recent call last):
    ...
    siliconomics.errors.InputError: --host: 'not a host!' is not a host name or IP address
    """
    import ipaddress

    from ..errors import InputError

    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    if not _HOST.match(host) or host.replace(".", "").isdigit():
        shown = repr(host) if len(host) <= 40 else repr(host[:36] + "...")
        raise InputError(f"{name}: {shown} is not a host name or IP address")
    return host


def scheduler_address(address: str) -> str:
    """``address`` if it is a Dask scheduler address ``tcp://host:port`` (or ``tls://``, or
    ``inproc://`` for a scheduler in this process), else an InputError saying what is wrong.

    Examples
    --------
    >>> scheduler_address("tcp://10.0.0.5:8786")
    'tcp://10.0.0.5:8786'
    >>> scheduler_address("tcp://")
    Traceback (most recent call last):
    ...
    siliconomics.errors.InputError: scheduler address 'tcp://' has no host; write tcp://host:8786
    """
    from urllib.parse import urlsplit

    from ..errors import InputError

    shown = repr(address) if len(address) <= 60 else repr(address[:56] + "...")
    try:
        parts = urlsplit(address)
        port = parts.port
    except ValueError as exc:
        raise InputError(f"scheduler address {shown} is not valid ({exc}); write "
                         "tcp://host:8786") from None
    if parts.scheme == "inproc":  # a scheduler in this process: no network involved
        return address
    if parts.scheme not in ("tcp", "tls"):
        raise InputError(f"scheduler address {shown} must start with tcp:// or tls://")
    if not parts.hostname:
        raise InputError(f"scheduler address {shown} has no host; write tcp://host:8786")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        raise InputError(f"scheduler address {shown} must be only scheme://host:port")
    check_host(parts.hostname, f"scheduler address {shown}")
    if port is None or port == 0:
        raise InputError(f"scheduler address {shown} needs a port from 1 to 65535, e.g. :8786")
    return address


def get_mapper(engine: str = "local", *, workers: int | None = None, client=None):
    """A function ``(func, tasks) -> iterator of results in order`` for ``engine``.

    ``engine`` is ``"local"`` (a local process pool), ``"threads"`` (a local thread pool),
    ``"dask"`` (a local Dask cluster) or a scheduler address such as ``"tcp://host:8786"``;
    anything else is an :class:`~siliconomics.errors.EngineError` (:func:`check_engine`).
    """
    if client is None:
        check_engine(engine)
    if engine in LOCAL_ENGINES and client is None:
        from .local import map_ordered

        processes = engine != "threads"
        return lambda func, tasks: map_ordered(func, tasks, workers=workers, processes=processes)
    from . import dask as dask_engine

    address = None if engine == "dask" or client is not None else engine
    return lambda func, tasks: dask_engine.map_ordered(
        func, tasks, address=address, workers=workers, client=client)


#: Engine names (a scheduler address ``scheme://host:port`` is also an engine).
ENGINES = (*LOCAL_ENGINES, "dask")


def check_engine(engine: str) -> str:
    """``engine`` if it names an engine or is a valid scheduler address, else an
    :class:`~siliconomics.errors.EngineError` that suggests the closest engine name."""
    from ..errors import EngineError, InputError, unknown

    if engine in ENGINES:
        return engine
    if "://" in engine:
        try:
            scheduler_address(engine)
        except InputError as exc:
            raise EngineError(str(exc)) from None
        return engine
    raise EngineError(unknown("engine", engine, ENGINES) + " (or a scheduler address such as "
                      "tcp://host:8786)")
