"""Dies per wafer: the closed form, the exact count, the die grid, the reticle, die sizes."""

import math

import numpy as np
import pytest

from siliconomics.errors import InputError
from siliconomics.silicon import dies


def test_dpw_closed_form():
    d, s = 300.0, 814.0
    expected = math.pi * d**2 / (4 * s) - math.pi * d / math.sqrt(2 * s)
    assert dies.dies_per_wafer(s, d, 0.0) == pytest.approx(expected)
    assert dies.dies_per_wafer(s, 300.0, 3.0) == pytest.approx(
        math.pi * 294**2 / (4 * s) - math.pi * 294 / math.sqrt(2 * s))


def test_dpw_vectorised():
    out = dies.dies_per_wafer(np.array([50.0, 100.0, 800.0]))
    assert out.shape == (3,) and np.all(np.diff(out) < 0)


@pytest.mark.parametrize("w", [2.0, 5.0, 10.0])
def test_exact_close_to_approximation_for_small_dies(w):
    exact = dies.dies_per_wafer_exact(w, w, 300.0, 3.0, 0.1)
    approx = float(dies.dies_per_wafer((w + 0.1) ** 2, 300.0, 3.0))
    assert abs(exact / approx - 1) < 0.05


@pytest.mark.parametrize("w,h", [(2, 3), (10, 10), (26, 31.3), (26, 33), (40, 40)])
def test_exact_never_above_area_bound(w, h):
    bound = math.pi * 294**2 / 4 / (w * h)
    assert dies.dies_per_wafer_exact(w, h) <= bound


def test_exact_hand_case_one_die_fits():
    # A 100 x 100 mm die fits once in a circle of diameter 150 (diagonal 141 mm) but not twice.
    assert dies.dies_per_wafer_exact(100, 100, 150, 0, 0) == 1
    assert dies.dies_per_wafer_exact(110, 110, 150, 0, 0) == 0


def test_die_grid_whole_dies_inside():
    g = dies.die_grid(20, 20)
    xs = np.stack([g["x"], g["x"] + 20])
    ys = np.stack([g["y"], g["y"] + 20])
    far = np.max(np.abs(xs), axis=0) ** 2 + np.max(np.abs(ys), axis=0) ** 2
    assert np.all(far[g["whole"]] <= g["radius"] ** 2 + 1e-6)
    assert g["whole"].sum() == dies.dies_per_wafer_exact(20, 20)


def test_reticle():
    assert dies.check_reticle(26, 33)
    assert dies.check_reticle(33, 26)
    with pytest.raises(InputError, match="reticle"):
        dies.check_reticle(27, 33)
    assert dies.check_reticle(27, 33, stitched=True) is False
    with pytest.raises(InputError, match="reticle"):
        dies.check_reticle(die_area_mm2=900)


def test_bad_die_area():
    with pytest.raises(InputError, match="die_area_mm2 must be > 0, got -5"):
        dies.dies_per_wafer(-5)
    with pytest.raises(InputError, match="smaller than the usable wafer"):
        dies.dies_per_wafer(80000)


def test_parse_die_size():
    assert dies.parse_die_size("26x31.3") == (26.0, 31.3)
    with pytest.raises(InputError):
        dies.parse_die_size("26 by 31")
