"""Invariants of the site comparison: cheaper power never ranks a site lower and leaves the
other sites alone, every row's figures agree with each other in their units, and the grid
power of a campus ramps between zero and its cap."""

import functools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from siliconomics import catalog
from siliconomics.planning import sites
from siliconomics.tco import HOURS_PER_YEAR


def reals(low, high):
    """Floats in [low, high] without subnormals, whose products round away from any relative
    tolerance."""
    return st.floats(low, high, allow_subnormal=False)


SITES = catalog.names("sites")
ACCELERATORS = st.sampled_from(["h100-sxm", "b200", "mi300x", "gb200"])


@functools.cache
def _compare(accelerator, accelerators, pue_model="catalog"):
    return sites.compare_sites(accelerator, accelerators=accelerators, pue_model=pue_model)


def _row(comparison, slug):
    return next(r for r in comparison.rows if r.site == slug)


@settings(max_examples=40, deadline=None)
@given(ACCELERATORS, st.sampled_from(SITES), reals(0.0, 0.999),
       st.sampled_from([1024, 16_384]))
def test_cheaper_power_never_ranks_a_site_lower(acc, slug, cut, n):
    base = _compare(acc, n)
    entry = catalog.site(slug)
    cheaper = entry.replace(power_price_usd_per_kwh=entry.power_price_usd_per_kwh * (1 - cut))
    names = [cheaper if s == slug else s for s in SITES]
    after = sites.compare_sites(acc, names, accelerators=n)
    before_row, after_row = _row(base, slug), _row(after, slug)
    assert after_row.usd_per_accelerator_hour <= before_row.usd_per_accelerator_hour
    assert after_row.rank <= before_row.rank
    for other in SITES:  # all else equal: the other sites' costs do not move
        if other != slug:
            assert (_row(after, other).usd_per_accelerator_hour
                    == _row(base, other).usd_per_accelerator_hour)


@settings(max_examples=40, deadline=None)
@given(ACCELERATORS, st.sampled_from([1024, 16_384]), st.sampled_from(["catalog", "climate"]))
def test_rows_are_ranked_and_their_shares_are_fractions(acc, n, pue_model):
    c = _compare(acc, n, pue_model)
    costs = [r.usd_per_accelerator_hour for r in c.rows]
    assert costs == sorted(costs)
    assert [r.rank for r in c.rows] == list(range(1, len(c.rows) + 1))
    for r in c.rows:
        assert 0 <= r.power_share <= 1
        assert np.isclose(sum(r.breakdown.values()), r.usd_per_accelerator_hour, rtol=1e-12)
        assert np.isclose(r.power_share, r.breakdown["power"] / r.usd_per_accelerator_hour,
                          rtol=1e-12)


@settings(max_examples=40, deadline=None)
@given(ACCELERATORS, st.sampled_from([1024, 16_384]), st.sampled_from(["catalog", "climate"]))
def test_each_row_agrees_with_itself_across_units(acc, n, pue_model):
    for r in _compare(acc, n, pue_model).rows:
        assert r.pue >= 1
        assert np.isclose(r.facility_mw, r.critical_it_mw * r.pue, rtol=1e-12)
        # kg/kWh is t/MWh
        assert np.isclose(r.tco2e_per_year, r.annual_energy_mwh * r.grid_intensity_kg_per_kwh,
                          rtol=1e-12)
        assert 0 < r.annual_energy_mwh <= r.facility_mw * HOURS_PER_YEAR * (1 + 1e-12)
        assert r.earliest_power_year == sites.START_YEAR + r.time_to_power_years


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["h100-sxm", "b200", "mi300x"]), st.sampled_from(SITES),
       st.integers(1, 20_000))
def test_max_accelerators_fill_the_power_available(acc, slug, n):
    """The accelerators a site's power can hold, at the facility power per installed
    accelerator of this cluster, draw exactly the power available."""
    r = sites.compare_sites(acc, [slug], accelerators=n).rows[0]
    per_accelerator_mw = r.facility_mw / r.tco.accelerators
    assert np.isclose(r.max_accelerators * per_accelerator_mw, r.power_available_mw, rtol=1e-9)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(2000, 2060), min_size=1, max_size=20), st.floats(2000.0, 2060.0),
       reals(0.0, 1e4), st.floats(0.1, 10.0))
def test_available_power_ramps_from_zero_to_the_cap(years, first, cap, ramp):
    years = np.sort(np.array(years, dtype=float))
    p = sites.available_mw(years, first_power_year=first, cap_mw=cap, ramp_years=ramp)
    assert np.all((p >= 0) & (p <= cap))
    assert np.all(np.diff(p) >= 0)
    assert np.all(p[years <= first - 1 - 1e-9] == 0)
    assert np.all(p[years >= first - 1 + ramp + 1e-9] == cap)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(SITES), st.integers(2020, 2040), st.integers(0, 10))
def test_site_power_never_falls_with_time(slug, year, later):
    early, late = sites.power_available_mw(slug, [year, year + later])
    cap = sites.site_power(slug)["power_available_mw"]
    assert 0 <= early <= late <= cap
