"""Invariants of the silicon models."""

from hypothesis import given, settings
from hypothesis import strategies as st

from siliconomics.silicon import dies, yield_models

areas = st.floats(1.0, 850.0)
d0s = st.floats(0.0, 2.0)
models = st.sampled_from(yield_models.MODELS)


@given(areas, d0s, st.floats(0.0, 1.0), models)
def test_more_defects_never_raise_yield(a, d0, extra, model):
    assert yield_models.die_yield(a, d0 + extra, model) <= yield_models.die_yield(a, d0, model) + 1e-12


@given(areas, st.floats(0.0, 100.0), d0s, models)
def test_larger_dies_never_raise_yield(a, extra, d0, model):
    assert yield_models.die_yield(a + extra, d0, model) <= yield_models.die_yield(a, d0, model) + 1e-12


@given(areas, st.floats(0.0, 500.0))
def test_larger_dies_never_raise_dies_per_wafer(a, extra):
    assert dies.dies_per_wafer(a + extra) <= dies.dies_per_wafer(a) + 1e-9


@settings(max_examples=30, deadline=None)
@given(st.floats(3.0, 30.0), st.floats(3.0, 30.0), st.floats(0.0, 5.0), st.floats(0.0, 5.0))
def test_exact_count_monotone_and_bounded(w, h, dw, dh):
    n = dies.dies_per_wafer_exact(w, h)
    assert n <= 3.141592653589793 * 294**2 / 4 / (w * h)
    assert dies.dies_per_wafer_exact(w + dw, h + dh) <= n


@given(areas, d0s, st.integers(1, 200), st.data(), st.floats(0.0, 1.0), models)
def test_harvesting_never_lowers_yield(a, d0, n, data, f, model):
    k = data.draw(st.integers(1, n))
    full = yield_models.harvested_yield(a, d0, n, n, f, model)
    assert yield_models.harvested_yield(a, d0, n, k, f, model) >= full - 1e-12


@given(areas, d0s, st.integers(1, 200), st.floats(0.0, 1.0))
def test_harvesting_not_below_whole_die_poisson(a, d0, n, f):
    whole = yield_models.die_yield(a, d0, "poisson")
    assert yield_models.harvested_yield(a, d0, n, max(1, n - 1), f, "poisson") >= whole - 1e-9
