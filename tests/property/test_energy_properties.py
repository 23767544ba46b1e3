"""Invariants of the energy and emissions conventions."""

from hypothesis import given
from hypothesis import strategies as st

from siliconomics.datacenter import energy
from siliconomics.datacenter.energy import EnergyConvention

hours = st.floats(0.0, 1e9)
tdp = st.floats(50.0, 2000.0)
overhead = st.floats(1.0, 3.0)  # server power over TDP
pue = st.floats(1.0, 2.5)
busy = st.floats(0.05, 1.0)
grid = st.floats(0.0, 1.2)
share = st.floats(0.0, 1.0)


@given(hours, tdp, overhead, pue, busy)
def test_wider_scope_never_counts_less(h, t, k, p, b):
    def e(scope):
        c = EnergyConvention(scope=scope, busy_fraction=b)
        return energy.energy_mwh(h, power_w=energy.power_w(c, tdp_w=t, server_w=t * k, pue=p),
                                 convention=c)

    assert e("accelerator") <= e("server") * (1 + 1e-12) + 1e-12
    assert e("server") <= e("facility") * (1 + 1e-12) + 1e-12


@given(hours, tdp, busy, busy)
def test_more_busy_draw_never_lowers_energy(h, t, b1, b2):
    lo, hi = sorted((b1, b2))
    def e(b):
        return energy.energy_mwh(h, power_w=t, convention=EnergyConvention(scope="accelerator",
                                                                          busy_fraction=b))
    assert e(lo) <= e(hi) * (1 + 1e-12) + 1e-12


@given(st.floats(0.0, 1e7), grid, share)
def test_market_based_never_exceeds_location_based(mwh, g, s):
    loc = energy.emissions_t(mwh, grid_kg_per_kwh=g)
    mkt = energy.emissions_t(mwh, grid_kg_per_kwh=g,
                             convention=EnergyConvention(basis="market", carbon_free_share=s))
    assert 0.0 <= mkt <= loc * (1 + 1e-12) + 1e-12


@given(st.floats(1.0, 1e8), st.floats(1.0, 1e8), tdp, busy)
def test_energy_is_additive_in_hours(h1, h2, t, b):
    c = EnergyConvention(scope="accelerator", busy_fraction=b)
    whole = energy.energy_mwh(h1 + h2, power_w=t, convention=c)
    parts = energy.energy_mwh(h1, power_w=t, convention=c) + energy.energy_mwh(h2, power_w=t,
                                                                               convention=c)
    assert abs(whole - parts) <= 1e-9 * whole
