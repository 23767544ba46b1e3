"""Argument checks: each constraint, scalars and arrays, and the message naming the value."""

import numpy as np
import pytest

from siliconomics import _checks
from siliconomics.errors import InputError, SiliconomicsError


@pytest.mark.parametrize(("check", "args", "good"), [
    (_checks.positive, (), [1e-12, 5, np.array([0.1, 2.0])]),
    (_checks.non_negative, (), [0, 0.0, np.array([0.0, 3.0])]),
    (_checks.at_least, (1.0,), [1, 1.0, np.array([1.0, 7.5])]),
    (_checks.above, (-1.0,), [-0.999, 0, np.array([-0.5, 2.0])]),
    (_checks.fraction, (), [1e-9, 1.0, np.array([0.5, 1.0])]),
])
def test_valid_values_are_returned_unchanged(check, args, good):
    for value in good:
        assert check("x", value, *args) is value


@pytest.mark.parametrize(("call", "message"), [
    (lambda: _checks.positive("die_area_mm2", -5), "die_area_mm2 must be > 0, got -5"),
    (lambda: _checks.positive("die_area_mm2", 0.0), "die_area_mm2 must be > 0, got 0"),
    (lambda: _checks.non_negative("wafer_price_usd", -0.5), "wafer_price_usd must be >= 0, got -0.5"),
    (lambda: _checks.at_least("pue", 0.9, 1.0), "pue must be >= 1, got 0.9"),
    (lambda: _checks.above("rate", -1.0, -1.0), "rate must be > -1, got -1"),
    (lambda: _checks.fraction("utilization", 0.0), "utilization must be in (0, 1], got 0"),
    (lambda: _checks.fraction("utilization", 1.5), "utilization must be in (0, 1], got 1.5"),
    (lambda: _checks.fraction("share", -0.1, open_low=False), "share must be in [0, 1], got -0.1"),
    (lambda: _checks.fraction("p", 1.0, open_high=True), "p must be in (0, 1), got 1"),
    (lambda: _checks.fraction("q", 1.0, open_low=False, open_high=True), "q must be in [0, 1), got 1"),
])
def test_message_names_parameter_constraint_and_value(call, message):
    with pytest.raises(InputError) as err:
        call()
    assert str(err.value) == message


def test_the_bounds_of_fraction_open_and_close_as_asked():
    _checks.fraction("s", 0.0, open_low=False)
    _checks.fraction("s", 1.0)
    with pytest.raises(InputError):
        _checks.fraction("s", 0.0)
    with pytest.raises(InputError):
        _checks.fraction("s", 1.0, open_high=True)


def test_arrays_name_an_offending_element():
    with pytest.raises(InputError, match=r"^x must be > 0, got -2$"):
        _checks.positive("x", np.array([1.0, -2.0, 3.0]))
    with pytest.raises(InputError, match=r"^m must be >= 0, got -4$"):
        _checks.non_negative("m", np.array([[1.0, 2.0], [-4.0, 0.0]]))
    with pytest.raises(InputError, match=r"^f must be in \(0, 1\], got 2$"):
        _checks.fraction("f", [0.5, 2.0])


def test_nan_fails_every_check():
    for call in (lambda: _checks.positive("x", np.nan), lambda: _checks.non_negative("x", np.nan),
                 lambda: _checks.at_least("x", np.nan, 0.0), lambda: _checks.above("x", np.nan, 0.0),
                 lambda: _checks.fraction("x", np.array([0.5, np.nan]))):
        with pytest.raises(InputError, match="got nan"):
            call()


def test_integers_are_shown_as_given():
    with pytest.raises(InputError, match=r"got -3$"):
        _checks.at_least("accelerators", -3, 1)


def test_errors_are_package_errors():
    with pytest.raises(SiliconomicsError):
        _checks.positive("x", -1)
    with pytest.raises(ValueError):  # InputError is a ValueError too
        _checks.positive("x", -1)


def _full(check, value, *args):
    """Outcome of a check with its fast path switched off."""
    import siliconomics._checks as c

    saved = c._holds
    c._holds = lambda *a, **k: False
    try:
        check(value, *args)
        return "ok"
    except InputError as exc:
        return str(exc)
    finally:
        c._holds = saved


@pytest.mark.parametrize("value", [0.5, 0.0, -0.0, 1.0, 1.5, -2.0, 3, np.float64(0.2),
                                   np.array([0.1, 0.9]), np.array([0.0, 0.5]),
                                   np.array([0.5, 1.0 + 1e-12]), np.array([0.5, np.nan]),
                                   np.array([np.inf, 1.0]), np.array([-np.inf]), np.empty(0),
                                   np.array([1, 2]), np.float32(0.5)])
def test_fast_path_accepts_and_refuses_exactly_as_the_full_check(value):
    from siliconomics import _checks as c

    cases = [(lambda v: c.positive("x", v),), (lambda v: c.non_negative("x", v),),
             (lambda v: c.at_least("x", v, 1.0),), (lambda v: c.above("x", v, -1.0),),
             (lambda v: c.fraction("x", v),), (lambda v: c.fraction("x", v, open_low=False),),
             (lambda v: c.fraction("x", v, open_high=True),)]
    for (check,) in cases:
        try:
            check(value)
            fast = "ok"
        except InputError as exc:
            fast = str(exc)
        assert fast == _full(check, value)
