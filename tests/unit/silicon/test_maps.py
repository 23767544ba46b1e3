"""Wafer maps: good, defective and edge dies for a sampled defect pattern."""

import math

import numpy as np
import pytest

from siliconomics.silicon import dies


def test_wafer_map_counts():
    from siliconomics.silicon import maps

    clean = maps.wafer_map(20, 20, 0.0)
    assert clean["defective"] == 0 and clean["good"] == dies.dies_per_wafer_exact(20, 20)
    dirty = maps.wafer_map(20, 20, 1.0, seed=3)
    assert dirty["defective"] > 0


def test_defects_fall_on_the_usable_wafer_and_repeat_with_the_seed():
    from siliconomics.silicon import maps

    x, y = maps.sample_defects(0.5, 147.0, seed=11)
    assert x.size > 0 and np.all(x**2 + y**2 <= 147.0**2)
    x2, y2 = maps.sample_defects(0.5, 147.0, seed=11)
    np.testing.assert_array_equal(x, x2)
    np.testing.assert_array_equal(y, y2)


def test_defect_counts_are_poisson_and_clustering_spreads_them():
    """Mean count D0 times the area (pi 147^2 / 100 cm^2 at D0 = 0.1: 67.9); with clustering
    alpha the count is negative binomial, variance mean + mean^2 / alpha."""
    from siliconomics.silicon import maps

    mean = 0.1 * math.pi * 147.0**2 / 100.0
    n = 400
    plain = np.array([maps.sample_defects(0.1, 147.0, seed=s)[0].size for s in range(n)])
    assert abs(plain.mean() - mean) < 4 * math.sqrt(mean / n)
    assert plain.var(ddof=1) == pytest.approx(mean, rel=0.3)
    clustered = np.array([maps.sample_defects(0.1, 147.0, seed=s, clustering=1.0)[0].size
                          for s in range(n)])
    assert clustered.var(ddof=1) > 10 * mean  # mean + mean^2 = 4,680 against 68


def test_statuses_add_up():
    from siliconomics.silicon import maps

    m = maps.wafer_map(26.0, 31.3, 0.2, seed=5)
    status = m["status"].tolist()
    assert status.count("edge") == int((~m["whole"]).sum())
    assert m["good"] + m["defective"] == int(m["whole"].sum()) == dies.dies_per_wafer_exact(26.0, 31.3)
    assert m["defects_x"].size == m["defects_y"].size > 0
