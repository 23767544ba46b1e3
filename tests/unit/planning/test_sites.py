"""Sites: power arriving over the years, and sites ranked by the cost of an accelerator-hour."""

import numpy as np
import pytest

from siliconomics import catalog
from siliconomics.errors import CatalogError, InputError
from siliconomics.planning import compare_sites, power_available_mw, sites
from siliconomics.planning.sites import available_mw, site_power


def test_available_mw_ramp():
    assert available_mw([2026, 2027, 2029], first_power_year=2027, cap_mw=300,
                        ramp_years=3).tolist() == [0.0, 100.0, 300.0]


def test_compare_sites_ranks_and_carbon():
    c = compare_sites("b200", ["finland", "us-texas", "ireland"], accelerators=10_000)
    costs = [r.usd_per_accelerator_hour for r in c.rows]
    assert costs == sorted(costs) and [r.rank for r in c.rows] == [1, 2, 3]
    fi = next(r for r in c.rows if r.site == "finland")
    grid = catalog.site("finland").value("grid_intensity_kg_per_kwh").value
    assert fi.tco2e_per_year == pytest.approx(fi.annual_energy_mwh * grid)
    assert fi.earliest_power_year == 2025 + 2.5
    assert all(0 < r.power_share < 0.3 for r in c.rows)


def test_compare_sites_climate_pue_and_errors():
    c = compare_sites("h100", ["uae"], accelerators=1000, pue_model="climate")
    assert c.rows[0].pue == pytest.approx(1.12 + 0.0124 * 22)
    with pytest.raises(CatalogError, match="saudi-arabia"):
        compare_sites("h100", ["saudi"  + "-arabiaa"])
    with pytest.raises(InputError, match="pue_model"):
        compare_sites("h100", ["uae"], pue_model="weather")


def test_ramp_is_linear_from_the_first_year_of_power():
    # first power mid-2027 (2027.5), ramp 2 years: (y - 2027.5 + 1) / 2 of the cap
    got = available_mw([2026, 2027, 2028, 2029], first_power_year=2027.5, cap_mw=100.0,
                       ramp_years=2.0)
    np.testing.assert_allclose(got, [0.0, 25.0, 75.0, 100.0])
    with pytest.raises(InputError, match="ramp_years must be > 0"):
        available_mw([2026], first_power_year=2026, cap_mw=1.0, ramp_years=0.0)
    with pytest.raises(InputError, match="cap_mw must be >= 0"):
        available_mw([2026], first_power_year=2026, cap_mw=-1.0, ramp_years=1.0)


def test_site_power_reads_the_catalog_and_counts_from_the_start_year():
    texas = catalog.site("us-texas")
    p = site_power("us-texas", start_year=2030)
    assert p["time_to_power_years"] == texas.time_to_power_years
    assert p["first_power_year"] == 2030 + texas.time_to_power_years
    assert p["power_available_mw"] == texas.power_available_mw
    years = [2025, 2027, 2030]
    np.testing.assert_allclose(
        power_available_mw("us-texas", years),
        available_mw(years, first_power_year=sites.START_YEAR + texas.time_to_power_years,
                     cap_mw=texas.power_available_mw, ramp_years=texas.power_ramp_years))


def test_a_site_without_planning_fields_gets_the_defaults():
    bare = catalog.site("us-texas").replace(time_to_power_years=None, power_available_mw=None,
                                            power_ramp_years=None)
    assert site_power(bare) == {
        "time_to_power_years": sites.DEFAULT_TIME_TO_POWER_YEARS,
        "first_power_year": sites.START_YEAR + sites.DEFAULT_TIME_TO_POWER_YEARS,
        "power_available_mw": sites.DEFAULT_POWER_AVAILABLE_MW,
        "power_ramp_years": sites.DEFAULT_RAMP_YEARS}
