"""Vectorised argument checks shared by the models.

Each check accepts scalars or arrays and raises :class:`~siliconomics.errors.InputError`
naming the parameter, the constraint and the offending value (the worst one for arrays).
"""

from __future__ import annotations

import numpy as np

from .errors import InputError


def _worst(values, bad):
    arr = np.asarray(values)
    if arr.ndim == 0:
        return arr.item()
    return np.asarray(arr)[np.asarray(bad)].flat[0].item()


def _fmt(value):
    return f"{value:g}" if isinstance(value, float) else repr(value)


def positive(name: str, value):
    """Require ``value > 0`` everywhere."""
    bad = ~(np.asarray(value) > 0)
    if np.any(bad):
        raise InputError(f"{name} must be > 0, got {_fmt(_worst(value, bad))}")
    return value


def non_negative(name: str, value):
    """Require ``value >= 0`` everywhere."""
    bad = ~(np.asarray(value) >= 0)
    if np.any(bad):
        raise InputError(f"{name} must be >= 0, got {_fmt(_worst(value, bad))}")
    return value


def at_least(name: str, value, bound: float):
    """Require ``value >= bound`` everywhere."""
    bad = ~(np.asarray(value) >= bound)
    if np.any(bad):
        raise InputError(f"{name} must be >= {bound:g}, got {_fmt(_worst(value, bad))}")
    return value


def fraction(name: str, value, *, open_low: bool = True, open_high: bool = False):
    """Require ``value`` in (0, 1] by default (bounds' openness adjustable)."""
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
    bad = ~(np.asarray(value) > bound)
    if np.any(bad):
        raise InputError(f"{name} must be > {bound:g}, got {_fmt(_worst(value, bad))}")
    return value
