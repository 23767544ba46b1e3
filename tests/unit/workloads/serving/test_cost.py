"""Cost per token and energy by hand."""

import pytest

from siliconomics.workloads import serving as inf


def test_token_costs_and_rental_utilization():
    assert inf.accelerator_hour_usd("h100", rental_usd_per_hour=3.0, utilization=0.25) == 12.0
    c = inf.token_costs({"prefill_accelerator_s_per_request": 0.36,
                         "decode_accelerator_s_per_request": 3.6}, 10.0,
                        prompt_tokens=1000, output_tokens=100)
    assert c["usd_per_million_input_tokens"] == pytest.approx(10 / 3600 * 0.36 / 1000 * 1e6)
    assert c["usd_per_million_output_tokens"] == pytest.approx(10 / 3600 * 3.6 / 100 * 1e6)


def test_owned_cost_rises_at_partial_load():
    full = inf.accelerator_hour_usd("h100", utilization=1.0)
    assert inf.accelerator_hour_usd("h100", utilization=0.5) > full > 0


def test_energy_and_emissions_by_hand():
    """Energy per token is the accelerator-hours of a request times the energy of an
    accelerator-hour as the TCO counts it (the same convention as tco and train)."""
    from siliconomics import tco
    from siliconomics.datacenter.energy import EnergyConvention

    perf = {"prefill_accelerator_s_per_request": 1.0, "decode_accelerator_s_per_request": 1.0}
    e = inf.energy(perf, "h100", output_tokens=100)
    hour = tco.accelerator_hour("h100", accelerators=inf.FLEET_ACCELERATORS)
    j = 2.0 / 3600 * float(hour.energy_mwh_per_accelerator_hour()) * 3.6e9 / 100
    assert e["joules_per_token"] == pytest.approx(j)
    grid = hour.resolved["site.grid_intensity_kg_per_kwh"]
    assert e["g_co2e_per_million_tokens"] == pytest.approx(j * 1e6 / 3.6e6 * grid * 1000)
    assert e["convention"].label() == "facility (server x PUE), busy draw 75%, location-based"
    tdp = inf.energy(perf, "h100", output_tokens=100,
                     convention=EnergyConvention(scope="accelerator", busy_fraction=1.0,
                                                 basis="market", carbon_free_share=1.0))
    assert tdp["joules_per_token"] == pytest.approx(2.0 * 700.0 / 100)  # H100 SXM TDP 700 W
    assert tdp["g_co2e_per_million_tokens"] == 0.0
