"""Answers kept per resolved inputs: functions of a model's inputs that a Monte Carlo run asks
again for every block with the same fixed values."""

from __future__ import annotations

import functools


def per_inputs(maxsize: int):
    """:func:`functools.lru_cache` for functions of resolved inputs, whose arguments may not
    hash (an array value, a user's unhashable setting): those are computed every time.
    ``cache_clear`` and ``cache_info`` are the cache's.

    >>> @per_inputs(4)
    ... def twice(x):
    ...     return 2 * x
    >>> twice(3), twice([3]), twice.cache_info().currsize
    (6, [3, 3], 1)
    """
    def decorate(func):
        cached = functools.lru_cache(maxsize=maxsize)(func)

        @functools.wraps(func)
        def kept(*args):
            try:
                return cached(*args)
            except TypeError:  # an unhashable argument
                return func(*args)

        kept.cache_clear, kept.cache_info = cached.cache_clear, cached.cache_info
        return kept

    return decorate
