"""Silicon models on hand-computed cases."""

import math

import numpy as np
import pytest

from siliconomics import silicon
from siliconomics.errors import CatalogError, InputError
from siliconomics.silicon import bom, chiplets, dies, packaging, yield_models
from siliconomics.silicon.wafer import cost_per_good_die


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


def test_yield_models_hand_values():
    lam = 814 / 100 * 0.1
    assert yield_models.die_yield(814, 0.1, "poisson") == pytest.approx(math.exp(-lam))
    assert yield_models.die_yield(814, 0.1, "murphy") == pytest.approx(((1 - math.exp(-lam)) / lam) ** 2)
    assert yield_models.die_yield(814, 0.1, "seeds") == pytest.approx(1 / (1 + lam))
    assert yield_models.die_yield(814, 0.1, "negbin", clustering=2) == pytest.approx((1 + lam / 2) ** -2)


def test_negbin_limits():
    assert yield_models.die_yield(500, 0.2, "negative_binomial", clustering=1.0) == pytest.approx(
        yield_models.die_yield(500, 0.2, "seeds"))
    assert yield_models.die_yield(500, 0.2, "negative_binomial", clustering=1e7) == pytest.approx(
        yield_models.die_yield(500, 0.2, "poisson"), rel=1e-5)


def test_yield_zero_defects_and_critical_area():
    for m in yield_models.MODELS:
        assert yield_models.die_yield(800, 0.0, m) == pytest.approx(1.0)
    assert yield_models.die_yield(800, 0.1, "poisson", critical_area_fraction=0.5) == pytest.approx(
        yield_models.die_yield(400, 0.1, "poisson"))


def test_yield_errors():
    with pytest.raises(InputError, match="defect_density_per_cm2 must be >= 0"):
        yield_models.die_yield(100, -0.1)
    with pytest.raises(InputError, match="did you mean"):
        yield_models.die_yield(100, 0.1, "murphey")


def test_harvesting_hand_case():
    # 2 units of 1 cm^2 each, 1 required, no shared area, Poisson D0 = 1: y = e^-1 per unit.
    y = math.exp(-1)
    expected = 1 - (1 - y) ** 2
    assert yield_models.harvested_yield(200, 1.0, 2, 1, 1.0, "poisson") == pytest.approx(expected)


def test_harvesting_all_required_equals_poisson():
    full = yield_models.die_yield(814, 0.1, "poisson")
    assert yield_models.harvested_yield(814, 0.1, 144, 144, 0.6, "poisson") == pytest.approx(full)


def test_harvesting_bad_k():
    with pytest.raises(InputError, match="required_units"):
        yield_models.harvested_yield(814, 0.1, 10, 11, 0.6)


def test_cost_per_good_die_hand():
    r = cost_per_good_die(die_area_mm2=100, wafer_price_usd=10000,
                           defect_density_per_cm2=0.1, model="poisson", edge_exclusion_mm=0)
    dpw = math.pi * 300**2 / 400 - math.pi * 300 / math.sqrt(200)
    assert r["cost_per_good_die_usd"] == pytest.approx(10000 / (dpw * math.exp(-0.1)))


def test_wafer_result_and_unknown_node():
    r = silicon.wafer("26x31.3", "4N")
    assert r.node == "n4" and r.dies_per_wafer == dies.dies_per_wafer_exact(26, 31.3)
    assert set(r.yield_by_model) == set(yield_models.MODELS)
    with pytest.raises(CatalogError, match="did you mean"):
        silicon.wafer("26x31.3", "n9")


def test_interposer_and_hbm():
    assert packaging.interposer_area_mm2(800, 4, 100, 0.25) == pytest.approx(1500)
    assert packaging.hbm_cost_usd(192, 18) == pytest.approx(3456)


def test_accelerator_cost_hand():
    b = bom.accelerator_cost(
        compute_dies=2, compute_die_area_mm2=100, compute_wafer_price_usd=10000, compute_yield=0.5,
        memory_capacity_gb=10, memory_price_usd_per_gb=10, interposer_area_mm2=400,
        interposer_wafer_price_usd=1000, interposer_yield=1.0, substrate_cost_usd=10,
        assembly_cost_usd=20, test_cost_usd=5, packaging_yield=0.5, edge_exclusion_mm=0)
    c = 10000 / dies.dies_per_wafer(100, 300, 0)
    i = 1000 / dies.dies_per_wafer(400, 300, 0)
    total = (2 * c / 0.5 + i + 100 + 30 + 5) / 0.5
    assert b["compute_dies"] == pytest.approx(2 * c)
    assert b.total == pytest.approx(total)
    assert b["yield_loss"] == pytest.approx(total - (2 * c + i + 135))


def test_chip_cost_catalog_accelerators():
    for name in ("h100", "b200", "mi300x", "a100", "tpu-v5p"):
        c = silicon.chip_cost(name)
        assert 1000 < c.total < 20000
        assert c.total == pytest.approx(sum(c.values()))
        assert 0 < c.gross_margin < 1
        assert c.embodied_kgco2e > 0


def test_chip_cost_multi_die():
    mi = silicon.chip_cost("mi300x")
    assert mi.details["compute_dies"] == 8 and mi.details["io_dies"] == 4
    assert mi.details["stacked_compute"] is True and mi["io_dies"] > 0
    b200 = silicon.chip_cost("b200")
    assert b200.details["compute_dies"] == 2


def test_harvesting_lowers_cost():
    with_h = silicon.chip_cost("h100")
    without = silicon.chip_cost("h100", harvesting=False)
    assert with_h.details["die_yield"] > without.details["die_yield"]
    assert with_h.total < without.total


def test_chip_cost_overrides_and_arrays():
    base = silicon.chip_cost("h100")
    dear = silicon.chip_cost("h100", wafer_price_usd=36000)
    assert dear["compute_dies"] == pytest.approx(2 * base["compute_dies"])
    arr = silicon.chip_cost("h100", hbm_price_usd_per_gb=np.array([10.0, 20.0]))
    assert np.asarray(arr.total).shape == (2,)
    with pytest.raises(InputError, match="did you mean"):
        silicon.chip_cost("h100", wafer_prise_usd=1)


def test_chip_cost_bad_inputs():
    with pytest.raises(InputError, match="die_area_mm2 must be > 0"):
        silicon.chip_cost(die_area_mm2=0, node="n3", hbm="hbm3e", hbm_stacks=8)
    with pytest.raises(InputError, match="reticle"):
        silicon.chip_cost(die_area_mm2=1000, node="n3", hbm="hbm3e", hbm_stacks=8)
    with pytest.raises(InputError, match="at most 4 compute dies"):
        silicon.chip_cost(die_area_mm2=600, node="n3", hbm="hbm3e", hbm_stacks=8,
                          compute_dies=6, package="cowos-l")
    with pytest.raises(InputError, match="mm\\^2 of interposer"):
        silicon.chip_cost(die_area_mm2=850, node="n3", hbm="hbm3e", hbm_stacks=8,
                          compute_dies=3, package="cowos-s")
    with pytest.raises(CatalogError, match="hbm4"):
        silicon.chip_cost(die_area_mm2=600, node="n3", hbm="hbm5", hbm_stacks=8)


def test_chiplets_win_for_large_area():
    r = chiplets.chiplet_costs(1600, (1, 2, 4), wafer_price_usd=20000, defect_density_per_cm2=0.1)
    assert not r["feasible"][0] and np.isinf(r["cost_usd"][0])
    small = chiplets.chiplet_costs(100, (1, 2, 4), wafer_price_usd=20000, defect_density_per_cm2=0.1)
    assert small["best_n"] == 1  # small dies: packaging overhead outweighs yield gain


def test_carbon_hand():
    from siliconomics.silicon import carbon

    b = carbon.package_kgco2e(compute_dies=1, compute_good_dies_per_wafer=10,
                              compute_kgco2e_per_cm2=1.0, memory_capacity_gb=10,
                              memory_kgco2e_per_gb=1.0, packaging_yield=0.5)
    assert b["compute_dies"] == pytest.approx(math.pi * 225 / 10 / 0.5)
    assert b["memory"] == pytest.approx(20)


def test_tco_cost_plus():
    from siliconomics import catalog, tco

    listed = tco.accelerator_hour("tpu-v5p", accelerators=1024)
    cp = tco.accelerator_hour("tpu-v5p", accelerators=1024, pricing="cost-plus")
    markup = catalog.assumption("cost-plus-markup")
    assert cp.price_usd == pytest.approx(silicon.chip_cost("tpu-v5p").total * (1 + markup))
    assert cp.price.rule == "cost-plus" and cp.price.source.startswith("cost-plus")
    assert cp.breakdown["accelerator"] != listed.breakdown["accelerator"]
    with pytest.raises(InputError):
        tco.accelerator_hour("h100", pricing="at-cost")


def test_wafer_map_counts():
    from siliconomics.silicon import maps

    clean = maps.wafer_map(20, 20, 0.0)
    assert clean["defective"] == 0 and clean["good"] == dies.dies_per_wafer_exact(20, 20)
    dirty = maps.wafer_map(20, 20, 1.0, seed=3)
    assert dirty["defective"] > 0
