"""Monolithic versus chiplets: cost per good package for each split."""

import math

import numpy as np
import pytest

from siliconomics.errors import InputError
from siliconomics.silicon import chiplets, dies


def test_chiplets_win_for_large_area():
    r = chiplets.chiplet_costs(1600, (1, 2, 4), wafer_price_usd=20000, defect_density_per_cm2=0.1)
    assert not r["feasible"][0] and np.isinf(r["cost_usd"][0])
    small = chiplets.chiplet_costs(100, (1, 2, 4), wafer_price_usd=20000, defect_density_per_cm2=0.1)
    assert small["best_n"] == 1  # small dies: packaging overhead outweighs yield gain


def test_costs_follow_the_closed_form():
    w, d0 = 10_000.0, 0.1
    r = chiplets.chiplet_costs(600.0, (1, 2), wafer_price_usd=w, defect_density_per_cm2=d0,
                               model="poisson", package_base_cost_usd=500.0, bond_cost_usd=30.0,
                               bond_yield=0.99, d2d_overhead_fraction=0.1)
    for i, (n, a) in enumerate(((1, 600.0), (2, 300.0 * 1.1))):  # overhead only when split
        y = math.exp(-a / 100.0 * d0)
        dpw = dies.dies_per_wafer(a, 300.0, dies.EDGE_EXCLUSION_MM)
        assert r["chiplet_area_mm2"][i] == pytest.approx(a)
        assert r["silicon_usd"][i] == pytest.approx(n * w / (dpw * y))
        assert r["cost_usd"][i] == pytest.approx((n * w / (dpw * y) + 500.0 + 30.0 * n) / 0.99**n)
    assert r["best_n"] == int(r["n"][np.argmin(r["cost_usd"])])


def test_stitching_makes_a_large_monolithic_die_feasible():
    r = chiplets.chiplet_costs(1600, (1, 2), wafer_price_usd=20000, defect_density_per_cm2=0.1,
                               stitched=True)
    assert r["feasible"].tolist() == [True, True] and np.isfinite(r["cost_usd"]).all()


def test_sweep_uses_the_node_s_wafer_price_and_defect_density():
    from siliconomics import catalog

    n3 = catalog.get("nodes", "n3")
    s = chiplets.chiplet_sweep(800, "n3", n_chiplets=(1, 2, 4))
    direct = chiplets.chiplet_costs(800, (1, 2, 4), wafer_price_usd=n3.wafer_price_usd,
                                    defect_density_per_cm2=n3.defect_density_per_cm2)
    assert s.node == "n3" and [row["n"] for row in s.rows] == [1, 2, 4]
    assert [row["cost_usd"] for row in s.rows] == pytest.approx(direct["cost_usd"].tolist())
    assert s.best_n == direct["best_n"] and s.to_dict()["best_n"] == s.best_n
    assert all(isinstance(row["feasible"], bool) for row in s.rows)


def test_bad_splits_and_yields():
    with pytest.raises(InputError, match="n_chiplets must be >= 1, got 0"):
        chiplets.chiplet_costs(800, (0, 2), wafer_price_usd=1, defect_density_per_cm2=0.1)
    with pytest.raises(InputError, match="bond_yield must be in \\(0, 1\\]"):
        chiplets.chiplet_costs(800, (1, 2), wafer_price_usd=1, defect_density_per_cm2=0.1,
                               bond_yield=0.0)
