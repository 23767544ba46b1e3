"""Invariants of the TCO model: parts sum to the total, monotonicity, scalars == arrays."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from siliconomics import tco

pos = st.floats(min_value=1.0, max_value=1e5, allow_nan=False)
inputs = st.fixed_dictionaries(
    {
        "accelerator_price_usd": st.floats(0, 1e5),
        "system_cost_usd": st.floats(0, 2e4),
        "network_capex_usd": st.floats(0, 1e4),
        "it_power_w": st.floats(100, 3000),
        "build_cost_usd_per_mw": st.floats(1e6, 3e7),
        "power_price_usd_per_kwh": st.floats(0, 0.5),
        "pue": st.floats(1.0, 2.0),
        "cost_of_capital": st.floats(0, 0.3),
        "accelerator_life_years": st.floats(1, 10),
        "network_life_years": st.floats(1, 10),
        "facility_life_years": st.floats(5, 40),
        "utilization": st.floats(0.05, 1.0),
        "busy_draw_fraction": st.floats(0.3, 1.0),
        "idle_draw_fraction": st.floats(0.0, 0.3),
        "it_maintenance_fraction": st.floats(0, 0.1),
        "facility_opex_usd_per_mw_year": st.floats(0, 5e5),
    }
)


@given(inputs)
def test_components_sum_to_total(kw):
    b = tco.cost_per_accelerator_hour(**kw)
    assert set(b) == set(tco.COMPONENTS)
    assert np.isclose(sum(b.values()), b.total, rtol=1e-12)
    assert all(v >= 0 for v in b.values())


@given(inputs, st.floats(1.0001, 3.0))
def test_higher_power_price_never_lowers_cost(kw, factor):
    low = tco.cost_per_accelerator_hour(**kw).total
    kw = dict(kw, power_price_usd_per_kwh=kw["power_price_usd_per_kwh"] * factor + 1e-6)
    assert tco.cost_per_accelerator_hour(**kw).total >= low


@given(inputs, st.floats(0.0, 1.0))
def test_higher_pue_never_lowers_cost(kw, extra):
    low = tco.cost_per_accelerator_hour(**kw).total
    assert tco.cost_per_accelerator_hour(**dict(kw, pue=kw["pue"] + extra)).total >= low * (1 - 1e-12)


@given(inputs, st.floats(0.1, 0.99))
def test_shorter_life_never_lowers_cost(kw, shrink):
    base = tco.cost_per_accelerator_hour(**kw).total
    shorter = dict(
        kw,
        accelerator_life_years=kw["accelerator_life_years"] * shrink,
        network_life_years=kw["network_life_years"] * shrink,
        facility_life_years=kw["facility_life_years"] * shrink,
    )
    assert tco.cost_per_accelerator_hour(**shorter).total >= base * (1 - 1e-12)


@settings(max_examples=25)
@given(st.lists(inputs, min_size=2, max_size=6))
def test_arrays_equal_scalars_elementwise(rows):
    arrays = {k: np.array([r[k] for r in rows]) for k in rows[0]}
    vector = tco.cost_per_accelerator_hour(**arrays)
    for i, r in enumerate(rows):
        scalar = tco.cost_per_accelerator_hour(**r)
        for name in tco.COMPONENTS:
            # identical up to rounding: NumPy's vector loops round pow() differently from scalars
            np.testing.assert_allclose(vector[name][i], scalar[name], rtol=1e-13, atol=0)
