"""Invariants of the facility, power and network models: facility power is IT power times PUE,
energy agrees with power in every unit, PUE never falls as the climate warms, and a fat-tree
always has the ports and tiers its endpoints need."""

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from siliconomics.datacenter import facility, network, power
from siliconomics.planning import cooling


def reals(low, high):
    """Floats in [low, high] without subnormals, whose products round away from any relative
    tolerance."""
    return st.floats(low, high, allow_subnormal=False)


it_mw = reals(0.0, 5000.0)
pues = st.floats(1.0, 3.0)
radices = st.sampled_from([4, 8, 16, 32, 48, 64, 128, 256])
counts = st.integers(1, 2_000_000)
prices = st.fixed_dictionaries({
    "switch_cost_usd": reals(0.0, 1e5), "switch_power_w": reals(0.0, 5e3),
    "transceiver_cost_usd": reals(0.0, 5e3), "transceiver_power_w": reals(0.0, 50.0),
    "nic_cost_usd": reals(0.0, 5e3), "nic_power_w": reals(0.0, 100.0),
})
topologies = st.sampled_from(network.TOPOLOGIES)


# --- facility and power ------------------------------------------------------------------
@settings(max_examples=100, deadline=None)
@given(it_mw, pues, reals(0.0, 2.0))
def test_facility_power_is_it_power_times_pue_and_never_below_it(p, pue, extra):
    f = facility.facility_power_mw(p, pue)
    assert np.isclose(f, p * pue, rtol=1e-15, atol=0)
    assert f >= p
    assert facility.facility_power_mw(p, pue + extra) >= f


@settings(max_examples=100, deadline=None)
@given(it_mw, it_mw, st.floats(1e5, 5e7))
def test_build_capex_is_additive_in_load(a, b, per_mw):
    whole = facility.build_capex_usd(a + b, per_mw)
    parts = facility.build_capex_usd(a, per_mw) + facility.build_capex_usd(b, per_mw)
    assert np.isclose(whole, parts, rtol=1e-12, atol=1e-6)
    assert whole >= 0


@settings(max_examples=100, deadline=None)
@given(reals(0.0, 1e7), pues, st.floats(1e-3, 1.0), st.floats(1.0, 8784.0))
@example(it_w=2.2250738585072014e-308, pue=1.0, draw=1.0, hours=1.0)  # W -> MW is subnormal
def test_energy_agrees_with_facility_power_across_units(it_w, pue, draw, hours):
    """kWh from :func:`annual_energy_kwh` equals facility MW x draw x hours x 1000 (to a
    nanowatt-hour: a power near the smallest double loses relative precision in MW)."""
    kwh = power.annual_energy_kwh(it_w, pue, draw, hours=hours)
    expected = facility.facility_power_mw(it_w / 1e6, pue) * draw * hours * 1000.0
    assert np.isclose(kwh, expected, rtol=1e-12, atol=1e-9)
    full = facility.facility_power_mw(it_w / 1e6, pue) * hours * 1000.0
    assert kwh <= full * (1 + 1e-12) + 1e-9


@settings(max_examples=100, deadline=None)
@given(st.floats(0.1, 200.0), st.integers(1, 72), reals(0.0, 2000.0), st.floats(0.1, 100.0))
def test_power_per_accelerator_is_scale_invariant(server_kw, per_server, net_w, k):
    """k servers' power shared by k times the accelerators gives the same power each."""
    one = power.it_power_per_accelerator_w(server_kw, per_server, net_w)
    many = power.it_power_per_accelerator_w(server_kw * k, per_server * k, net_w)
    assert np.isclose(one, many, rtol=1e-12)
    assert one >= net_w


@settings(max_examples=100, deadline=None)
@given(reals(0.0, 1.0), reals(0.0, 1.0), reals(0.0, 1.0), reals(0.0, 1.0))
def test_average_draw_lies_between_idle_and_busy_and_rises_with_use(u1, u2, f1, f2):
    idle, busy = sorted((f1, f2))
    lo_u, hi_u = sorted((u1, u2))
    lo = power.average_draw_fraction(lo_u, busy, idle)
    hi = power.average_draw_fraction(hi_u, busy, idle)
    assert idle - 1e-15 <= lo <= hi + 1e-15 <= busy + 2e-15


@settings(max_examples=100, deadline=None)
@given(reals(-30.0, 45.0), reals(0.0, 20.0), st.floats(1.0, 1.5), reals(0.0, 20.0),
       reals(0.0, 0.05))
def test_pue_never_falls_as_the_climate_warms(t, warmer, floor, hinge, slope):
    kw = {"pue_floor": floor, "hinge_c": hinge, "slope_per_c": slope}
    cool = cooling.pue_from_climate(t, **kw)
    warm = cooling.pue_from_climate(t + warmer, **kw)
    assert floor <= cool <= warm
    assert cooling.pue_from_climate(min(t, hinge), **kw) == floor


# --- network -----------------------------------------------------------------------------
@settings(max_examples=100, deadline=None)
@given(counts, radices)
def test_tiers_are_the_fewest_that_connect_every_endpoint(n, k):
    t = network.tiers_needed(n, k)
    assert t >= 1 and t == int(t)
    assert network.max_endpoints(k, t) >= n
    if t > 1:
        assert network.max_endpoints(k, t - 1) < n


@settings(max_examples=100, deadline=None)
@given(counts, counts, radices, radices)
def test_tiers_rise_with_endpoints_and_fall_with_radix(n1, n2, k1, k2):
    small, large = sorted((n1, n2))
    narrow, wide = sorted((k1, k2))
    assert network.tiers_needed(small, narrow) <= network.tiers_needed(large, narrow)
    assert network.tiers_needed(small, wide) <= network.tiers_needed(small, narrow)


@settings(max_examples=100, deadline=None)
@given(counts, radices, st.sampled_from([1.0, 2.0, 4.0, 8.0]), prices, topologies,
       st.sampled_from([1, 2, 4, 8]), st.booleans())
def test_fabric_parts_sum_to_totals(n, k, nics, kw, topology, rails, optical):
    f = network.fabric(n, k, nics_per_accelerator=nics, topology=topology, rails=rails,
                       optical_endpoint_links=optical, **kw)
    capex = (f["switches"] * kw["switch_cost_usd"] + f["transceivers"] * kw["transceiver_cost_usd"]
             + f["nics"] * kw["nic_cost_usd"])
    watts = (f["switches"] * kw["switch_power_w"] + f["transceivers"] * kw["transceiver_power_w"]
             + f["nics"] * kw["nic_power_w"])
    assert np.isclose(f["capex_usd"], capex, rtol=1e-12, atol=1e-9)
    assert np.isclose(f["power_w"], watts, rtol=1e-12, atol=1e-9)
    assert np.isclose(f["capex_usd_per_accelerator"] * n, f["capex_usd"], rtol=1e-12, atol=1e-9)
    assert np.isclose(f["power_w_per_accelerator"] * n, f["power_w"], rtol=1e-12, atol=1e-9)
    assert f["nics"] == n * nics
    assert min(f.values()) >= 0


@settings(max_examples=100, deadline=None)
@given(counts, radices, st.sampled_from([1.0, 2.0, 4.0, 8.0]), topologies,
       st.sampled_from([1, 2, 4, 8]))
def test_fabric_has_the_ports_it_needs(n, k, nics, topology, rails):
    """Every endpoint link lands on a switch port, and each tier boundary takes a port at both
    ends: switches x radix >= (2t - 1) x endpoints; one tree never needs more than N ports."""
    f = network.fabric(n, k, nics_per_accelerator=nics, topology=topology, rails=rails)
    endpoints = n * nics
    assert f["switches"] * k >= (2 * f["tiers"] - 1) * endpoints
    assert f["links"] == f["tiers"] * endpoints
    assert f["tiers"] <= network.tiers_needed(endpoints, k)


@settings(max_examples=100, deadline=None)
@given(counts, counts, radices, prices, topologies, st.sampled_from([1, 2, 4, 8]))
def test_a_larger_cluster_never_needs_less_network(n1, n2, k, kw, topology, rails):
    small, large = sorted((n1, n2))
    a = network.fabric(small, k, topology=topology, rails=rails, **kw)
    b = network.fabric(large, k, topology=topology, rails=rails, **kw)
    for key in ("tiers", "switches", "links", "transceivers", "nics", "capex_usd", "power_w",
                "transceivers_per_accelerator"):
        assert b[key] >= a[key] * (1 - 1e-12), key


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 4000), st.integers(1, 4000), radices, prices)
def test_per_accelerator_cost_never_falls_with_size_when_switches_are_full(m1, m2, k, kw):
    """With whole leaf switches (N a multiple of the radix) a fat-tree costs
    ((2t - 1)/k) switches, 2t transceivers and one NIC per endpoint: more tiers, more each."""
    small, large = sorted((m1 * k, m2 * k))
    a = network.fabric(small, k, **kw)
    b = network.fabric(large, k, **kw)
    assert b["capex_usd_per_accelerator"] >= a["capex_usd_per_accelerator"] * (1 - 1e-12)
    assert b["power_w_per_accelerator"] >= a["power_w_per_accelerator"] * (1 - 1e-12)


@settings(max_examples=100, deadline=None)
@given(counts, radices, prices, st.floats(0.01, 100.0))
def test_fabric_cost_scales_with_prices(n, k, kw, factor):
    base = network.fabric(n, k, **kw)
    dear = network.fabric(n, k, **{key: v * factor for key, v in kw.items()})
    assert np.isclose(dear["capex_usd"], factor * base["capex_usd"], rtol=1e-12, atol=1e-9)
    assert np.isclose(dear["power_w"], factor * base["power_w"], rtol=1e-12, atol=1e-9)
    assert dear["switches"] == base["switches"]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(counts, radices), min_size=2, max_size=6), prices,
       st.sampled_from([1, 2, 4, 8]))
def test_fabric_arrays_equal_scalars(rows, kw, rails):
    n, k = (np.array(col) for col in zip(*rows))
    for topology in network.TOPOLOGIES:
        vector = network.fabric(n, k, topology=topology, rails=rails, **kw)
        for i, (ni, ki) in enumerate(rows):
            scalar = network.fabric(ni, ki, topology=topology, rails=rails, **kw)
            for key, value in scalar.items():
                assert np.isclose(vector[key][i], value, rtol=1e-13, atol=0), key
