"""Energy and emissions conventions: what each scope counts, busy draw, emissions basis."""

import numpy as np
import pytest

from siliconomics import catalog, systems
from siliconomics.datacenter import energy
from siliconomics.datacenter.energy import EnergyConvention
from siliconomics.errors import InputError


@pytest.fixture(scope="module")
def h100():
    return catalog.resolve("h100-sxm", "us-texas")


def test_accelerator_scope_is_tdp_times_hours():
    c = EnergyConvention(scope="accelerator", busy_fraction=1.0)
    assert energy.energy_mwh(1000.0, power_w=700.0, convention=c) == pytest.approx(0.7)


def test_server_and_facility_scopes_from_the_catalog(h100):
    server_w = systems.describe(h100).power_w_per_accelerator
    full = dict(busy_fraction=1.0)
    acc = energy.energy_mwh(1e6, h100, convention=EnergyConvention(scope="accelerator", **full))
    srv = energy.energy_mwh(1e6, h100, convention=EnergyConvention(scope="server", **full))
    fac = energy.energy_mwh(1e6, h100, convention=EnergyConvention(scope="facility", **full))
    assert acc == pytest.approx(700.0)
    assert srv == pytest.approx(server_w)
    assert fac == pytest.approx(server_w * h100["site.pue"])
    assert acc < srv < fac


def test_facility_on_the_accelerator_base_is_tdp_times_pue(h100):
    c = EnergyConvention(scope="facility", facility_base="accelerator", busy_fraction=1.0)
    assert energy.energy_mwh(1e6, h100, convention=c) == pytest.approx(700.0 * h100["site.pue"])


def test_default_busy_draw_is_the_catalogs(h100):
    c = EnergyConvention(scope="accelerator")
    busy = h100.assumption("power-draw-fraction")
    assert energy.energy_mwh(1e6, h100, convention=c) == pytest.approx(700.0 * busy)
    assert c.with_busy(0.5).busy_fraction == 0.5
    assert EnergyConvention(busy_fraction=0.9).with_busy(0.5).busy_fraction == 0.9


def test_location_and_market_emissions(h100):
    grid = h100["site.grid_intensity_kg_per_kwh"]
    assert energy.emissions_t(100.0, h100) == pytest.approx(100.0 * grid)
    market = EnergyConvention(basis="market", carbon_free_share=0.75)
    assert energy.emissions_t(100.0, h100, convention=market) == pytest.approx(25.0 * grid)
    assert energy.emissions_t(100.0, grid_kg_per_kwh=0.5) == 50.0


def test_labels_name_the_convention():
    assert EnergyConvention().label() == "facility (server x PUE), catalog busy draw, location-based"
    c = EnergyConvention(scope="server", busy_fraction=0.6, basis="market", carbon_free_share=1)
    assert c.label() == "server (critical IT), busy draw 60%, market-based (100% contracted carbon-free)"
    assert c.to_dict()["label"] == c.label()
    arr = EnergyConvention(busy_fraction=np.array([0.7, 0.8]))
    assert "sampled" in arr.label() and arr.to_dict()["busy_fraction"] == [0.7, 0.8]


def test_arrays_broadcast():
    out = energy.energy_mwh(np.array([1.0, 2.0]) * 1e6, power_w=500.0,
                            convention=EnergyConvention(scope="accelerator", busy_fraction=1.0))
    assert out.tolist() == [500.0, 1000.0]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"scope": "rack"}, "unknown energy scope 'rack'"),
        ({"basis": "offset"}, "unknown emissions basis 'offset'"),
        ({"facility_base": "gpu"}, "unknown facility base 'gpu'"),
        ({"busy_fraction": 1.5}, "busy_fraction must be in (0, 1]"),
        ({"carbon_free_share": -0.1}, "carbon_free_share must be in [0, 1]"),
        ({"carbon_free_share": 0.5}, "applies to market-based emissions"),
    ],
)
def test_bad_conventions(kwargs, message):
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")
                       .replace("[", r"\[").replace("]", r"\]")):
        EnergyConvention(**kwargs)


def test_missing_inputs_say_what_to_give():
    with pytest.raises(InputError, match="resolved catalog inputs or power_w"):
        energy.energy_mwh(1.0)
    with pytest.raises(InputError, match="grid_kg_per_kwh"):
        energy.emissions_t(1.0)
    with pytest.raises(InputError, match="needs the system's power"):
        energy.power_w(EnergyConvention(scope="server"), tdp_w=700.0)
    with pytest.raises(InputError, match="accelerator_hours must be >= 0"):
        energy.energy_mwh(-1.0, power_w=1.0)


def test_account_reports_numbers_with_their_convention(h100):
    out = energy.account(1e6, h100, EnergyConvention(scope="server", basis="market",
                                                     carbon_free_share=0.5))
    busy = h100.assumption("power-draw-fraction")
    assert out["convention"]["busy_fraction"] == busy
    assert out["energy_mwh"] == pytest.approx(systems.describe(h100).power_w_per_accelerator * busy)
    assert out["tco2e"] == pytest.approx(out["energy_mwh"] * h100["site.grid_intensity_kg_per_kwh"] / 2)
