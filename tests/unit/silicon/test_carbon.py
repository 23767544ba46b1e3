"""Embodied carbon of one good package, by part."""

import math

import pytest

from siliconomics.errors import InputError


def test_carbon_hand():
    from siliconomics.silicon import carbon

    b = carbon.package_kgco2e(compute_dies=1, compute_good_dies_per_wafer=10,
                              compute_kgco2e_per_cm2=1.0, memory_capacity_gb=10,
                              memory_kgco2e_per_gb=1.0, packaging_yield=0.5)
    assert b["compute_dies"] == pytest.approx(math.pi * 225 / 10 / 0.5)
    assert b["memory"] == pytest.approx(20)


def test_wafer_emissions_are_area_times_intensity():
    from siliconomics.silicon import carbon

    assert float(carbon.wafer_kgco2e(1.0)) == pytest.approx(math.pi * 15.0**2)  # 300 mm: 706.9 cm^2
    assert float(carbon.wafer_kgco2e(2.0, 200.0)) == pytest.approx(2.0 * math.pi * 10.0**2)
    with pytest.raises(InputError, match="kgco2e_per_cm2 must be >= 0"):
        carbon.wafer_kgco2e(-1.0)


def test_every_part_is_charged_by_hand():
    from siliconomics.silicon import carbon

    wafer = math.pi * 15.0**2  # cm^2 of a 300 mm wafer
    b = carbon.package_kgco2e(compute_dies=2, compute_good_dies_per_wafer=40,
                              compute_kgco2e_per_cm2=2.0, io_dies=4, io_good_dies_per_wafer=100,
                              io_kgco2e_per_cm2=1.0, interposer_good_per_wafer=20,
                              interposer_kgco2e_per_cm2=0.5, memory_capacity_gb=80,
                              memory_kgco2e_per_gb=0.25, package_kgco2e=12.0, packaging_yield=0.8)
    assert b["compute_dies"] == pytest.approx(2 * 2.0 * wafer / 40 / 0.8)
    assert b["io_dies"] == pytest.approx(4 * 1.0 * wafer / 100 / 0.8)
    assert b["interposer"] == pytest.approx(0.5 * wafer / 20 / 0.8)
    assert b["memory"] == pytest.approx(80 * 0.25 / 0.8)
    assert b["package"] == pytest.approx(12.0 / 0.8)
    assert b.unit == "kgCO2e" and b.total == pytest.approx(sum(b.values()))


def test_no_io_die_no_io_emissions_and_bad_inputs():
    from siliconomics.silicon import carbon

    b = carbon.package_kgco2e(compute_dies=1, compute_good_dies_per_wafer=10,
                              compute_kgco2e_per_cm2=1.0, io_dies=0, io_good_dies_per_wafer=0,
                              io_kgco2e_per_cm2=5.0)
    assert b["io_dies"] == 0.0
    with pytest.raises(InputError, match="packaging_yield must be in \\(0, 1\\]"):
        carbon.package_kgco2e(compute_dies=1, compute_good_dies_per_wafer=10,
                              compute_kgco2e_per_cm2=1.0, packaging_yield=0.0)
    with pytest.raises(InputError, match="compute_good_dies_per_wafer must be > 0"):
        carbon.package_kgco2e(compute_dies=1, compute_good_dies_per_wafer=0,
                              compute_kgco2e_per_cm2=1.0)
