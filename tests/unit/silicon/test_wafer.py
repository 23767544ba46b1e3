"""Wafer economics: the cost of a good die, and a die on a catalog node."""

import math

import pytest

from siliconomics import catalog, silicon
from siliconomics.errors import CatalogError, InputError
from siliconomics.silicon import dies, yield_models
from siliconomics.silicon.wafer import cost_per_good_die


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


def test_an_area_alone_uses_the_approximate_count():
    r = silicon.wafer(die_area_mm2=600.0, node_name="n3")
    n3 = catalog.get("nodes", "n3")
    approx = float(dies.dies_per_wafer(600.0))
    y = float(yield_models.die_yield(600.0, n3.defect_density_per_cm2, "murphy"))
    assert (r.die_width_mm, r.die_height_mm) == (None, None)
    assert r.dies_per_wafer == pytest.approx(approx) == r.dies_per_wafer_approx
    assert r.cost_per_good_die_usd == pytest.approx(n3.wafer_price_usd / (approx * y))
    assert r.sources["wafer_price_usd"] == n3.value("wafer_price_usd").source


def test_user_values_replace_the_node_s_and_say_so():
    r = silicon.wafer((20.0, 20.0), "n3", wafer_price_usd=10_000.0, defect_density_per_cm2=0.0)
    assert r.die_yield == 1.0 and r.good_dies_per_wafer == r.dies_per_wafer
    assert r.cost_per_good_die_usd == pytest.approx(10_000.0 / r.dies_per_wafer)
    assert r.sources == {"wafer_price_usd": "user input", "defect_density_per_cm2": "user input"}
    assert r.to_dict()["node"] == "n3"


def test_no_die_given():
    with pytest.raises(InputError, match="give a die size"):
        silicon.wafer(node_name="n3")


def test_a_given_yield_replaces_the_model_and_no_good_die_costs_infinity():
    r = cost_per_good_die(die_area_mm2=100, wafer_price_usd=1000, defect_density_per_cm2=0.5,
                          yield_fraction=0.25, edge_exclusion_mm=0)
    assert r["die_yield"] == 0.25
    assert r["cost_per_good_die_usd"] == pytest.approx(4 * r["cost_per_die_usd"])
    none = cost_per_good_die(die_area_mm2=100, wafer_price_usd=1000, defect_density_per_cm2=0.5,
                             yield_fraction=0.0)
    assert math.isinf(none["cost_per_good_die_usd"])
    with pytest.raises(InputError, match="wafer_price_usd must be >= 0"):
        cost_per_good_die(die_area_mm2=100, wafer_price_usd=-1, defect_density_per_cm2=0.1)


def test_node_applies_the_active_set_values():
    import importlib

    wafer_module = importlib.import_module("siliconomics.silicon.wafer")  # the package's
    # attribute ``wafer`` is the function of that name

    with catalog.using(set={"node.wafer_price_usd": 12_345}):
        assert wafer_module.node("n3").wafer_price_usd == 12_345
    assert wafer_module.node("n3").wafer_price_usd == catalog.get("nodes", "n3").wafer_price_usd
