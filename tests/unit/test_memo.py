"""Answers kept per resolved inputs, with unhashable arguments computed every time."""

import numpy as np
import pytest

from siliconomics import _memo


def test_answers_are_kept_for_hashable_arguments_and_computed_for_others():
    calls = []

    @_memo.per_inputs(maxsize=4)
    def total(x):
        calls.append(x)
        return float(np.sum(x))

    assert total((1, 2)) == total((1, 2)) == 3.0
    assert len(calls) == 1 and total.cache_info().hits == 1
    values = np.arange(3.0)  # an array does not hash: computed, never cached
    assert total(values) == total(values) == 3.0
    assert len(calls) == 3 and total.cache_info().currsize == 1
    total.cache_clear()
    total((1, 2))
    assert len(calls) == 4


def test_a_type_error_inside_the_function_still_reaches_the_caller():
    @_memo.per_inputs(maxsize=4)
    def broken(x):
        raise TypeError("a bug, not an unhashable argument")

    with pytest.raises(TypeError, match="a bug"):
        broken(1)
