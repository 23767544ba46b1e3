"""Vectorised argument checks shared by the models.

Each check accepts scalars or arrays and raises :class:`~siliconomics.errors.InputError`
naming the parameter, the constraint and the offending value (the first offending one for arrays).
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterable, Iterator

import numpy as np

from .errors import InputError

#: Arrays whose values are known to lie within an interval without looking at them: the
#: Monte Carlo's sampled inputs, whose distributions bound every draw (``id -> (array, low,
#: high)``; the array is held so its id stays its own). Set per thread by :func:`known_bounds`.
_KNOWN: contextvars.ContextVar[dict | None] = contextvars.ContextVar("known_bounds", default=None)


@contextlib.contextmanager
def known_bounds(arrays: Iterable[tuple[np.ndarray, float, float]]) -> Iterator[None]:
    """Within the block, checks of these arrays compare their known bounds, not their values.

    Each item is ``(array, low, high)`` with ``low <= every value <= high`` (finite bounds
    mean finite values). A check the bounds prove passes without a pass over the array; one
    they do not prove looks at the values as before, so errors are the same. The Monte Carlo
    uses it for its sampled inputs: their distributions bound them (the range checks happen
    once per run, not once per block).

    >>> x = np.array([0.2, 0.5])
    >>> with known_bounds([(x, 0.1, 0.9)]):
    ...     fraction("utilization", x) is x
    True
    """
    known = dict(_KNOWN.get() or {})
    known.update((id(a), (a, float(lo), float(hi))) for a, lo, hi in arrays)
    token = _KNOWN.set(known)
    try:
        yield
    finally:
        _KNOWN.reset(token)


def _known(value) -> tuple[float, float] | None:
    """Known ``(low, high)`` bounds of an array (see :func:`known_bounds`), or None."""
    known = _KNOWN.get()
    if known:
        hit = known.get(id(value))
        if hit is not None and hit[0] is value:
            return hit[1], hit[2]
    return None


def known_range(value) -> tuple[float, float] | None:
    """``(low, high)`` bounding every value of ``value`` without a pass over it: a number's
    own value, an array's :func:`known_bounds`; None when not known."""
    t = type(value)
    if t is float or t is int or t is np.float64:
        return float(value), float(value)
    return _known(value) if t is np.ndarray else None


def known_finite(value) -> bool:
    """True when ``value`` is an array whose known bounds are finite (so are its values)."""
    b = _known(value)
    return b is not None and bool(np.isfinite(b[0]) and np.isfinite(b[1]))


def _worst(values, bad):
    arr = np.asarray(values)
    if arr.ndim == 0:
        return arr.item()
    return np.asarray(arr)[np.asarray(bad)].flat[0].item()


def _fmt(value):
    return f"{value:g}" if isinstance(value, float) else repr(value)


def _holds(value, low=None, high=None, *, open_low=False, open_high=False) -> bool:
    """True when ``value`` is certainly a float (or float array) within the bounds.

    The fast path of every check: one comparison for a scalar, one reduction per bound for an
    array, none for an array of :func:`known_bounds` that prove it (NaN fails every
    comparison, so it falls through to the full check, which names it).
    Anything else returns False and gets the full check.
    """
    t = type(value)
    if t is float or t is np.float64 or t is int:
        lo = hi = value
    elif t is np.ndarray and value.dtype.kind == "f" and value.size:
        b = _known(value)
        if b is not None and _within(b[0], b[1], low, high, open_low, open_high):
            return True
        lo = value.min() if low is not None else None
        hi = value.max() if high is not None else None
    else:
        return False
    return _within(lo, hi, low, high, open_low, open_high)


def _within(lo, hi, low, high, open_low, open_high) -> bool:
    if low is not None and not (lo > low if open_low else lo >= low):
        return False
    return high is None or bool(hi < high if open_high else hi <= high)


def positive(name: str, value):
    """Require ``value > 0`` everywhere."""
    if _holds(value, 0.0, open_low=True):
        return value
    _typed(name, value)
    bad = ~(np.asarray(value) > 0)
    if np.any(bad):
        raise InputError(f"{name} must be > 0, got {_fmt(_worst(value, bad))}")
    return value


def non_negative(name: str, value):
    """Require ``value >= 0`` everywhere."""
    if _holds(value, 0.0):
        return value
    _typed(name, value)
    bad = ~(np.asarray(value) >= 0)
    if np.any(bad):
        raise InputError(f"{name} must be >= 0, got {_fmt(_worst(value, bad))}")
    return value


def at_least(name: str, value, bound: float):
    """Require ``value >= bound`` everywhere."""
    if _holds(value, bound):
        return value
    _typed(name, value)
    bad = ~(np.asarray(value) >= bound)
    if np.any(bad):
        raise InputError(f"{name} must be >= {bound:g}, got {_fmt(_worst(value, bad))}")
    return value


def fraction(name: str, value, *, open_low: bool = True, open_high: bool = False):
    """Require ``value`` in (0, 1] by default (bounds' openness adjustable)."""
    if _holds(value, 0.0, 1.0, open_low=open_low, open_high=open_high):
        return value
    _typed(name, value)
    arr = np.asarray(value)
    lo_ok = arr > 0 if open_low else arr >= 0
    hi_ok = arr < 1 if open_high else arr <= 1
    bad = ~(lo_ok & hi_ok)
    if np.any(bad):
        interval = ("(" if open_low else "[") + "0, 1" + (")" if open_high else "]")
        raise InputError(f"{name} must be in {interval}, got {_fmt(_worst(value, bad))}")
    return value


def above(name: str, value, bound: float):
    """Require ``value > bound`` everywhere."""
    if _holds(value, bound, open_low=True):
        return value
    _typed(name, value)
    bad = ~(np.asarray(value) > bound)
    if np.any(bad):
        raise InputError(f"{name} must be > {bound:g}, got {_fmt(_worst(value, bad))}")
    return value


def _typed(name: str, value) -> None:
    """InputError naming ``name`` unless ``value`` is a number or an array of numbers."""
    if value is None or isinstance(value, (bool, str, bytes, np.bool_)):
        raise InputError(f"{name} must be a number, got {_shown(value)}")
    try:
        np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a number or an array of numbers, got "
                         f"{_shown(value)}") from None


def count(name: str, value, low: int = 1, high: int | None = None) -> int:
    """``value`` as an int if it is a whole number in [low, high], else an InputError.

    >>> count("accelerators", 8.0)
    8
    >>> count("accelerators", 2.5)
    Traceback (most recent call last):
    ...
    siliconomics.errors.InputError: accelerators must be a whole number, got 2.5
    """
    x = within(name, value, low, high)
    if np.ndim(x) or x != int(x):
        raise InputError(f"{name} must be a whole number, got {_shown(value)}")
    return int(x)


def number(name: str, value):
    """``value`` as a float or float array, or an InputError naming ``name`` when it is not
    numeric (None, text, bool) or not finite.

    >>> number("pue", 1.2)
    1.2
    >>> number("pue", "1.2")
    Traceback (most recent call last):
    ...
    siliconomics.errors.InputError: pue must be a number, got '1.2'
    """
    if type(value) is np.ndarray and value.dtype.kind == "f" and known_finite(value):
        return value
    if value is None or isinstance(value, (bool, str, bytes, np.bool_)):
        raise InputError(f"{name} must be a number, got {_shown(value)}")
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a number or an array of numbers, got "
                         f"{_shown(value)}") from None
    bad = ~np.isfinite(arr)
    if np.any(bad):
        raise InputError(f"{name} must be finite, got {_fmt(_worst(arr, bad))}")
    return float(arr) if arr.ndim == 0 else arr


def within(name: str, value, low: float | None = None, high: float | None = None):
    """:func:`number` between ``low`` and ``high`` (inclusive; None: unbounded)."""
    b = _known(value) if type(value) is np.ndarray and value.dtype.kind == "f" else None
    if b is not None and np.isfinite(b[0]) and np.isfinite(b[1]) and \
            _within(b[0], b[1], low, high, False, False):
        return value
    x = number(name, value)
    arr = np.asarray(x)
    if low is not None and np.any(arr < low):
        raise InputError(f"{name} must be >= {low:g}, got {_fmt(_worst(arr, arr < low))}")
    if high is not None and np.any(arr > high):
        raise InputError(f"{name} must be <= {high:g}, got {_fmt(_worst(arr, arr > high))}")
    return x


def same_shape(**arrays):
    """The broadcast shape of ``arrays``, or an InputError naming the ones that do not fit.

    >>> same_shape(a=np.ones(3), b=2.0)
    (3,)
    >>> same_shape(a=np.ones(3), b=np.ones(4))
    Traceback (most recent call last):
    ...
    siliconomics.errors.InputError: a (shape (3,)) and b (shape (4,)) cannot be combined; give arrays of one shape or scalars
    """
    shapes = {k: np.shape(v) for k, v in arrays.items()}
    try:
        return np.broadcast_shapes(*shapes.values())
    except ValueError:
        sized = [(k, s) for k, s in shapes.items() if s != ()]
        first = sized[0]
        other = next((k, s) for k, s in sized[1:] if s != first[1])
        raise InputError(f"{first[0]} (shape {first[1]}) and {other[0]} (shape {other[1]}) "
                         "cannot be combined; give arrays of one shape or scalars") from None


def _shown(value, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 4] + "...'"
