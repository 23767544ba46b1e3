"""Cooling: PUE as a function of climate."""

import numpy as np
import pytest

from siliconomics.errors import InputError
from siliconomics.planning import pue_from_climate


def test_pue_from_climate_hinge():
    assert pue_from_climate([0.0, 6.0]).tolist() == [1.12, 1.12]
    assert float(pue_from_climate(16.0)) == pytest.approx(1.12 + 0.124)
    with pytest.raises(InputError, match="pue_floor must be >= 1"):
        pue_from_climate(10.0, pue_floor=0.9)


def test_hinge_formula_with_its_parameters():
    # PUE = floor + slope * max(T - hinge, 0)
    t = np.array([-10.0, 10.0, 30.0])
    np.testing.assert_allclose(pue_from_climate(t, pue_floor=1.05, hinge_c=10.0, slope_per_c=0.02),
                               [1.05, 1.05, 1.05 + 0.02 * 20])
    assert float(pue_from_climate(40.0, slope_per_c=0.0)) == 1.12  # no climate effect


def test_pue_never_falls_below_the_floor_and_rises_with_temperature():
    t = np.linspace(-40.0, 45.0, 86)
    p = pue_from_climate(t)
    assert p.min() == 1.12 and np.all(np.diff(p) >= 0)


def test_negative_slope_is_refused():
    with pytest.raises(InputError, match="slope_per_c must be >= 0, got -0.01"):
        pue_from_climate(20.0, slope_per_c=-0.01)
