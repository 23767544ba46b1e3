"""Fits of efficiency terms to measured kernel timings, on synthetic measurements."""

import sys

import numpy as np
import pytest

from siliconomics.errors import InputError
from siliconomics.workloads.serving import measured


def test_fit_compute_uses_large_gemms_only():
    m = np.array([8192, 16])
    t = np.array([2 * 8192**3 / 6e14, 1.0])
    assert measured.fit_compute(m, [8192, 8192], [8192, 8192], t, 1e15) == pytest.approx(0.6)
    with pytest.raises(InputError):
        measured.fit_compute([16], [16], [16], [1.0], 1e15)


def test_fit_bandwidth_recovers_line():
    n = np.array([1024.0, 4096, 8192, 16384])
    t = 4e-6 + n * 8192 * 1.0 / (0.85 * 3.35e12)
    t0, eta = measured.fit_bandwidth(np.ones(4), n, np.full(4, 8192), t, 1.0, 3.35e12)
    assert t0 == pytest.approx(4e-6) and eta == pytest.approx(0.85)


def test_fit_attention_and_allreduce():
    kv = 256 * 8192 * 2 * 8 * 128
    assert measured.fit_attention([256], [8192], [8], [128], 1.0, [kv / 2.4e12], 3e12) == \
        pytest.approx(0.8)
    lat, eta = measured.fit_allreduce([2, 2, 8, 8], [512, 1e9, 512, 1e9],
                                      [3e-6, 1e9 / 3e11, 3e-6, 1.75e9 / 3.6e11], 4e11)
    assert lat == pytest.approx(3e-6)
    assert eta == pytest.approx(np.median([0.75, 0.9]))


def test_missing_package_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "aiconfigurator_core", None)
    with pytest.raises(InputError, match=r"siliconomics\[measured\]"):
        measured.data_dir()


def test_fit_roofline_exponent_recovers_sharp_and_round_corners():
    c = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    m = np.array([4.0, 3.5, 3.0, 2.0, 1.0])
    assert measured.fit_roofline_exponent(c, m, 1e-6, 1e-6 + np.maximum(c, m)) == 8.0
    assert measured.fit_roofline_exponent(c, m, 0.0, (c**1.5 + m**1.5) ** (1 / 1.5)) == 1.5


def test_attention_fixed_time_uses_small_reads():
    t = measured.attention_fixed_s([1, 1, 512], [16, 32, 65536], [8, 8, 8], [128, 128, 128], 1.0,
                                   [5e-6, 7e-6, 1e-3])
    assert t == pytest.approx(6e-6)
