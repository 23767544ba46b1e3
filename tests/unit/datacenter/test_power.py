"""Power per accelerator, the busy/idle draw mix and energy over a period."""

import numpy as np
import pytest

from siliconomics.datacenter import power
from siliconomics.errors import InputError


def test_it_power_and_energy():
    p = power.it_power_per_accelerator_w(10.2, 8, 50.0)
    assert p == pytest.approx(1325.0)
    assert power.annual_energy_kwh(p, 1.0, 1.0, hours=1.0) == pytest.approx(1.325)


def test_average_draw_fraction_bounds():
    assert power.average_draw_fraction(1.0, 0.8, 0.2) == pytest.approx(0.8)
    assert power.average_draw_fraction(0.0, 0.8, 0.2) == pytest.approx(0.2)


def test_a_year_of_energy_uses_the_julian_year():
    assert power.HOURS_PER_YEAR == 365.25 * 24
    # 1 kW at full draw and PUE 1 for a year: 8,766 kWh
    assert power.annual_energy_kwh(1000.0, 1.0, 1.0) == pytest.approx(8766.0)
    assert power.annual_energy_kwh(1000.0, 1.5, 0.5) == pytest.approx(1000.0 * 0.5 * 1.5 * 8766.0 / 1000)


def test_draw_mixes_busy_and_idle_hours_linearly():
    u = np.array([0.0, 0.25, 1.0])
    np.testing.assert_allclose(power.average_draw_fraction(u, 0.8, 0.2), 0.2 + 0.6 * u)


@pytest.mark.parametrize(("call", "message"), [
    (lambda: power.it_power_per_accelerator_w(0.0, 8), "server_power_kw must be > 0"),
    (lambda: power.it_power_per_accelerator_w(10.2, 0), "accelerators_per_server must be > 0"),
    (lambda: power.it_power_per_accelerator_w(10.2, 8, -1.0), "network_power_w must be >= 0"),
    (lambda: power.average_draw_fraction(1.2, 0.8, 0.2), "utilization must be in \\[0, 1\\]"),
    (lambda: power.annual_energy_kwh(1000.0, 0.9, 0.5), "pue must be >= 1"),
    (lambda: power.annual_energy_kwh(1000.0, 1.2, 0.0), "draw_fraction must be in \\(0, 1\\]"),
    (lambda: power.annual_energy_kwh(-1.0, 1.2, 0.5), "it_power_w must be >= 0"),
])
def test_bad_inputs_name_the_parameter(call, message):
    with pytest.raises(InputError, match=message):
        call()
