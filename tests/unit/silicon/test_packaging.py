"""2.5D packaging: interposer area and cost, HBM cost, the limits of a package class."""

import math

import numpy as np
import pytest

from siliconomics.errors import InputError
from siliconomics.silicon import dies, packaging


def test_interposer_and_hbm():
    assert packaging.interposer_area_mm2(800, 4, 100, 0.25) == pytest.approx(1500)
    assert packaging.hbm_cost_usd(192, 18) == pytest.approx(3456)


def test_interposer_area_broadcasts_and_checks_its_inputs():
    np.testing.assert_allclose(packaging.interposer_area_mm2(np.array([100.0, 200.0]), 2, 50.0, 0.0),
                               [200.0, 300.0])
    with pytest.raises(InputError, match="base_die_area_mm2 must be > 0, got 0"):
        packaging.interposer_area_mm2(0.0, 4, 100.0)
    with pytest.raises(InputError, match="area_overhead must be >= 0, got -0.1"):
        packaging.interposer_area_mm2(800.0, 4, 100.0, -0.1)


def test_interposer_cost_by_hand():
    dpw = dies.dies_per_wafer(400.0, 300.0, dies.EDGE_EXCLUSION_MM)
    perfect = packaging.interposer_cost(400.0, 1000.0, 0.0)
    assert perfect["dies_per_wafer"] == pytest.approx(dpw)
    assert perfect["yield"] == pytest.approx(1.0)
    assert perfect["cost_usd"] == pytest.approx(1000.0 / dpw) == perfect["good_cost_usd"]
    lam = 400.0 / 100.0 * 0.1
    poisson = packaging.interposer_cost(400.0, 1000.0, 0.1, model="poisson")
    assert poisson["good_cost_usd"] == pytest.approx(1000.0 / dpw / math.exp(-lam))


def test_an_interposer_larger_than_the_wafer():
    # below the usable wafer area, but the edge loss leaves no whole interposer
    with pytest.raises(InputError, match="interposer of 40,000 mm\\^2 does not fit on a 300 mm wafer"):
        packaging.interposer_cost(40_000.0, 1000.0, 0.0)


def test_hbm_cost_rejects_negative_inputs():
    with pytest.raises(InputError, match="price_usd_per_gb must be >= 0"):
        packaging.hbm_cost_usd(80, -1.0)
    np.testing.assert_allclose(packaging.hbm_cost_usd(np.array([80, 141]), 10.0), [800.0, 1410.0])


def test_check_package_names_the_limit_it_exceeds():
    p = packaging.package("cowos-s")
    assert p.slug == "cowos-s" and packaging.memory("hbm3e").slug == "hbm3e"
    packaging.check_package(p, p.max_compute_dies, p.max_hbm_stacks, p.max_interposer_area_mm2)
    with pytest.raises(InputError, match=f"package cowos-s holds at most {p.max_compute_dies} "
                                         f"compute dies, got {p.max_compute_dies + 1}"):
        packaging.check_package(p, p.max_compute_dies + 1, 0, 100.0)
    with pytest.raises(InputError, match=f"at most {p.max_hbm_stacks} HBM stacks"):
        packaging.check_package(p, 1, np.array([2, p.max_hbm_stacks + 2]), 100.0)
    with pytest.raises(InputError, match="mm\\^2 of interposer, more than package cowos-s's"):
        packaging.check_package(p, 1, 1, p.max_interposer_area_mm2 + 1)
