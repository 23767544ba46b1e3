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
    d = inf.Deployment.create("llama-3.1-8b", "h100", tp=1)
    perf = {"prefill_accelerator_s_per_request": 1.0, "decode_accelerator_s_per_request": 1.0}
    e = inf.energy(perf, d, output_tokens=100, pue=1.5, busy_draw_fraction=0.5,
                   grid_kg_per_kwh=0.4)
    j = 2.0 * d.accelerator_power_w * 0.5 * 1.5 / 100
    assert e["joules_per_token"] == pytest.approx(j)
    assert e["g_co2e_per_million_tokens"] == pytest.approx(j * 1e6 / 3.6e6 * 0.4 * 1000)
