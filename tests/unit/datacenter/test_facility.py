"""The facility: build cost per MW of critical IT and grid power with PUE."""

import numpy as np
import pytest

from siliconomics.datacenter import facility
from siliconomics.errors import InputError


def test_facility_power_and_capex():
    assert facility.facility_power_mw(150.0, 1.2) == pytest.approx(180.0)
    assert facility.build_capex_usd(150.0, 10e6) == pytest.approx(1.5e9)


def test_pue_below_one_rejected():
    with pytest.raises(InputError, match="pue must be >= 1, got 0.9"):
        facility.facility_power_mw(10.0, 0.9)


def test_arrays_of_samples_broadcast():
    np.testing.assert_allclose(facility.facility_power_mw(np.array([10.0, 20.0]), np.array([1.1, 1.5])),
                               [11.0, 30.0])
    np.testing.assert_allclose(facility.build_capex_usd(np.array([0.0, 2.0]), 5e6), [0.0, 1e7])


def test_bad_loads_and_costs():
    with pytest.raises(InputError, match="critical_it_mw must be >= 0, got -1"):
        facility.build_capex_usd(-1.0, 10e6)
    with pytest.raises(InputError, match="build_cost_usd_per_mw must be > 0, got 0"):
        facility.build_capex_usd(10.0, 0.0)
    with pytest.raises(InputError, match="critical_it_mw must be >= 0"):
        facility.facility_power_mw(np.array([1.0, -2.0]), 1.2)
