import numpy as np
import pytest

from siliconomics import catalog, finance, silicon, tco
from siliconomics.datacenter.power import HOURS_PER_YEAR
from siliconomics.errors import CatalogError, InputError


def base_inputs(**kw):
    d = dict(
        accelerator_price_usd=30000.0, system_cost_usd=5000.0, network_capex_usd=3000.0,
        it_power_w=1400.0, build_cost_usd_per_mw=11e6, power_price_usd_per_kwh=0.07, pue=1.3,
        cost_of_capital=0.1, accelerator_life_years=5.0, network_life_years=5.0,
        facility_life_years=20.0,
    )
    d.update(kw)
    return d


def test_components_by_hand():
    b = tco.cost_per_accelerator_hour(**base_inputs())
    crf5 = 0.1 / (1 - 1.1**-5)
    crf20 = 0.1 / (1 - 1.1**-20)
    assert b["accelerator"] == pytest.approx(30000 * crf5 / HOURS_PER_YEAR)
    assert b["system"] == pytest.approx(5000 * crf5 / HOURS_PER_YEAR)
    assert b["network"] == pytest.approx(3000 * crf5 / HOURS_PER_YEAR)
    assert b["facility"] == pytest.approx(1400e-6 * 11e6 * crf20 / HOURS_PER_YEAR)
    assert b["power"] == pytest.approx(1.4 * 0.75 * 1.3 * 0.07)
    assert b["operations"] == 0.0


def test_utilization_spreads_fixed_costs_but_not_idle_power():
    full = tco.cost_per_accelerator_hour(**base_inputs())
    half = tco.cost_per_accelerator_hour(**base_inputs(utilization=0.5))
    assert half["accelerator"] == pytest.approx(2 * full["accelerator"])
    # idle hours draw 25% of max: per utilised hour, (0.5*0.75 + 0.5*0.25) / 0.5 = 1.0 of max
    assert half["power"] == pytest.approx(1.4 * 1.0 * 1.3 * 0.07)


def test_operations():
    b = tco.cost_per_accelerator_hour(**base_inputs(it_maintenance_fraction=0.03,
                                                    facility_opex_usd_per_mw_year=2e5))
    expected = (0.03 * 38000 + 2e5 * 1400e-6) / HOURS_PER_YEAR
    assert b["operations"] == pytest.approx(expected)


def test_zero_utilization_rejected():
    with pytest.raises(InputError, match=r"utilization must be in \(0, 1\], got 0"):
        tco.cost_per_accelerator_hour(**base_inputs(utilization=0.0))


def test_catalog_cluster_totals_are_consistent():
    r = tco.accelerator_hour("h100", "us-texas", accelerators=100_000)
    s = catalog.get("systems", "hgx-h100")
    per_acc_w = 1000 * s.power_kw / s.accelerators + r.network["power_w_per_accelerator"]
    assert r.critical_it_mw == pytest.approx(100_000 * per_acc_w / 1e6)
    assert r.facility_mw == pytest.approx(r.critical_it_mw * r.inputs["site.pue"]["value"])
    # the hourly cost times the hours of a year is the annualised capex plus opex
    annual = r.usd_per_accelerator_hour * 100_000 * HOURS_PER_YEAR
    capex_annual = 100_000 * HOURS_PER_YEAR * sum(
        r.breakdown[c] for c in ("accelerator", "system", "network", "facility"))
    assert annual == pytest.approx(capex_annual + r.annual_opex_usd)
    assert 0 < r.power_share < 1


def test_overrides_and_sources():
    r = tco.accelerator_hour("h100", "us-texas", accelerators=1000, power_price_usd_per_kwh=0.2)
    v = r.inputs["site.power_price_usd_per_kwh"]
    assert (v["value"], v["layer"]) == (0.2, "api")
    assert v["source"].startswith("user input")
    assert r.inputs["site.pue"]["layer"] == "catalog" and r.inputs["site.pue"]["source"]


def test_unknown_override_suggests():
    with pytest.raises(InputError, match="did you mean 'pue'"):
        tco.accelerator_hour("h100", "us-texas", pues=1.2)


def test_unknown_accelerator_suggests():
    with pytest.raises(CatalogError, match="unknown accelerator 'h10'; did you mean"):
        tco.accelerator_hour("h10", "us-texas")


def test_array_overrides_broadcast():
    prices = np.array([0.03, 0.07, 0.15])
    r = tco.accelerator_hour("h100", "us-texas", accelerators=1000, power_price_usd_per_kwh=prices)
    assert r.breakdown.total.shape == (3,)
    assert np.all(np.diff(r.breakdown["power"]) > 0)
    for i, p in enumerate(prices):
        one = tco.accelerator_hour("h100", "us-texas", accelerators=1000, power_price_usd_per_kwh=float(p))
        assert r.breakdown.total[i] == pytest.approx(one.usd_per_accelerator_hour, rel=1e-12)


def test_larger_cluster_needs_more_network_per_accelerator():
    small = tco.accelerator_hour("h100", "us-texas", accelerators=1000)
    large = tco.accelerator_hour("h100", "us-texas", accelerators=100_000)
    assert large.network["tiers"] > small.network["tiers"]
    assert large.breakdown["network"] > small.breakdown["network"]


def test_rent_vs_own():
    r = tco.accelerator_hour("h100", "us-texas", accelerators=1000, utilization=0.5)
    d = tco.rent_vs_own(r, 2 * r.usd_per_accelerator_hour)
    assert d["rental_over_owned"] == pytest.approx(2.0)
    assert d["breakeven_utilization"] == pytest.approx(0.25)


def test_epoch_method_by_hand():
    b = tco.epoch_accelerator_hour(accelerator_price_usd=30000, tdp_w=700,
                                   power_price_usd_per_kwh=0.1, pue=1.25)
    assert b["hardware"] == pytest.approx(30000 * 1.64 / 0.81 * 0.14 * np.log(10) / 8766)
    assert b["energy"] == pytest.approx(0.7 * 1.82 * 0.75 * 1.25 * 0.1)


def test_financing_presets_order():
    """Cheaper capital never makes the hour dearer, holding lives fixed."""
    lives = dict(accelerator_life_years=5, network_life_years=5, facility_life_years=20)
    costs = [tco.accelerator_hour("h100", "us-texas", accelerators=1000, cost_of_capital=r, **lives)
             .usd_per_accelerator_hour for r in (0.04, 0.08, 0.14)]
    assert costs == sorted(costs)
    assert finance.capital_recovery_factor(0.04, 5) < finance.capital_recovery_factor(0.14, 5)


def test_cluster_is_whole_systems():
    """A cluster is rounded up to whole systems: 100 GB200 need two NVL72 racks."""
    r = tco.accelerator_hour("gb200", accelerators=100)
    assert (r.systems, r.accelerators) == (2, 144)
    assert r.system.slug == "gb200-nvl72" and r.system.scaleup_domain == 72


def test_system_parts_sum_to_the_system_component():
    r = tco.accelerator_hour("gb200", accelerators=7200)
    parts = r.system.capex_per_accelerator
    assert set(parts) == {"hosts", "scaleup_switches", "scaleup_fabric", "cooling",
                          "rack_and_power"}
    assert parts["cooling"] > 0 and parts["scaleup_switches"] > 0
    assert r.system.capex_usd_per_accelerator == pytest.approx(sum(parts.values()))
    crf = finance.capital_recovery_factor(r.inputs["financing.cost_of_capital"]["value"],
                                          r.inputs["financing.accelerator_life_years"]["value"])
    assert r.breakdown["system"] == pytest.approx(parts.total * crf / HOURS_PER_YEAR)


def test_another_system_changes_power_and_capex():
    """The same B200 in an HGX server or an NVL72-style rack: the system sets power and capex."""
    hgx = tco.accelerator_hour("b200", accelerators=7200)
    rack = tco.accelerator_hour("b200", system="gb200-nvl72", accelerators=7200)
    assert hgx.system.slug == "hgx-b200" and rack.system.slug == "gb200-nvl72"
    assert rack.breakdown["accelerator"] == pytest.approx(hgx.breakdown["accelerator"])
    assert rack.breakdown["system"] != pytest.approx(hgx.breakdown["system"])


def test_nics_counted_once():
    """The catalog system cost already holds its NICs; counting them in the fabric adds cost."""
    base = tco.accelerator_hour("h100", "us-texas", accelerators=4096)
    extra = tco.accelerator_hour("h100", "us-texas", accelerators=4096, nics_in_server=0)
    nic = catalog.assumption("nic-cost-usd")
    assert extra.network["capex_usd_per_accelerator"] == pytest.approx(
        base.network["capex_usd_per_accelerator"] + nic)


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


def test_energy_convention_names_what_the_energy_counts():
    from siliconomics.datacenter.energy import EnergyConvention

    base = tco.accelerator_hour("h100", "us-texas", accelerators=1024)
    assert base.energy_convention.scope == "facility"
    assert base.energy_convention.busy_fraction == base.resolved.assumption("power-draw-fraction")
    full = tco.accelerator_hour("h100", "us-texas", accelerators=1024,
                                energy_convention=EnergyConvention(busy_fraction=1.0))
    assert full.annual_energy_mwh == pytest.approx(base.annual_energy_mwh / base.energy_convention.busy_fraction)
    assert full.breakdown["power"] > base.breakdown["power"]  # the draw also prices the power
    acc = tco.accelerator_hour("h100", "us-texas", accelerators=1024,
                               energy_convention=EnergyConvention(scope="accelerator",
                                                                  busy_fraction=1.0))
    assert acc.annual_energy_mwh == pytest.approx(acc.accelerators * 0.7 * tco.HOURS_PER_YEAR / 1000)
    d = acc.to_dict()
    assert d["energy_convention"]["scope"] == "accelerator"
    assert d["annual_emissions_t"] == pytest.approx(
        acc.annual_energy_mwh * acc.resolved["site.grid_intensity_kg_per_kwh"])


def test_epoch_depreciates_for_the_hardwares_age():
    new = tco.epoch_accelerator_hour(accelerator_price_usd=30000, tdp_w=700,
                                     power_price_usd_per_kwh=0.08)
    old = tco.epoch_accelerator_hour(accelerator_price_usd=30000, tdp_w=700,
                                     power_price_usd_per_kwh=0.08, age_years=1.0)
    assert old["hardware"] == pytest.approx(new["hardware"] * 10 ** -0.14)
    assert old["energy"] == new["energy"]


def test_hardware_age_and_bad_dates():
    assert tco.hardware_age_years("2023-09", "2023-09") == 0.0
    assert tco.hardware_age_years("2022", "2024") == pytest.approx(2.0)
    with pytest.raises(InputError, match="before the purchase date"):
        tco.hardware_age_years("2024-05", "2024-01")
    with pytest.raises(InputError, match="run date must be YYYY"):
        tco.hardware_age_years("2024", "soon")


def test_epoch_run_cost_uses_the_price_at_purchase_and_the_age():
    hours = 1e6
    run = tco.epoch_run_cost("h100-sxm", hours, run_date="2024-01", purchase_date="2023-09",
                             server_included=True, power_price_usd_per_kwh=0.08)
    hourly = tco.epoch_accelerator_hour(
        accelerator_price_usd=31120, tdp_w=700, power_price_usd_per_kwh=0.08, server_overhead=1.0,
        age_years=tco.hardware_age_years("2023-09", "2024-01"))
    assert run.total == pytest.approx(hourly.total * hours)
    given = tco.epoch_run_cost("h100-sxm", hours, run_date="2024-01", price_usd=20000,
                               power_price_usd_per_kwh=0.08)
    assert given["hardware"] < run["hardware"] * 1.64
    with pytest.raises(InputError, match="accelerator_hours must be > 0"):
        tco.epoch_run_cost("h100-sxm", 0, run_date="2024-01")


def test_series_prices_inside_systems_skip_the_server_overhead():
    system = tco.price_at_purchase("h100-sxm", "2023-09")
    assert tco.series_includes_server(system)
    bare = tco.price_at_purchase("a100-sxm4-80gb", "2022-07")
    assert not tco.series_includes_server(bare)
    assert not tco.series_includes_server(None)
    inferred = tco.epoch_run_cost("h100-sxm", 1e6, run_date="2023-09",
                                  power_price_usd_per_kwh=0.08)
    stated = tco.epoch_run_cost("h100-sxm", 1e6, run_date="2023-09", server_included=True,
                                power_price_usd_per_kwh=0.08)
    assert inferred.total == pytest.approx(stated.total)
