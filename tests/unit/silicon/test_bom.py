"""The accelerator bill of materials by hand, and chip costs of catalog accelerators."""

import numpy as np
import pytest

from siliconomics import silicon
from siliconomics.errors import CatalogError, InputError
from siliconomics.silicon import bom, dies


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


@pytest.mark.parametrize("accelerator, gb", [("h200", 144.0), ("b200", 192.0), ("a100", 80.0),
                                             ("mi300x", 192.0), ("v100", 32.0),
                                             ("tpu-v4", 32.0), ("tpu-v5e", 16.0),
                                             ("a100-40gb", 40.0)])
def test_memory_is_bought_by_the_stacks_the_part_really_has(accelerator, gb):
    """Whole stacks are paid for (H200 sells 141 of 144 GB, B200 180 of 192), and a part whose
    capacity the stacks cannot give pays for the capacity it has, not stacks times a nominal
    size (MI300X on 8-high HBM3's 16 GB stacks would pay for 128 GB of its 192)."""
    assert bom.chip_cost(accelerator).details["memory_capacity_gb"] == pytest.approx(gb)
