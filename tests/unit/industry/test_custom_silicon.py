"""Custom silicon vs merchant: NRE, break-even volume, the tornado ranking, fabless vs IDM."""

import math

import numpy as np
import pytest

from siliconomics.errors import InputError
from siliconomics.industry import custom_silicon as cs
from siliconomics.silicon import bom


def test_nre_and_price_at_margin():
    assert cs.nre_usd(5.42e8, 1.5e7, 2) == pytest.approx(5.42e8 + 3e7)
    assert cs.price_at_margin(2500.0, 0.75) == pytest.approx(10_000.0)
    with pytest.raises(InputError, match="tape_outs must be >= 1"):
        cs.nre_usd(1e8, 1e7, 0.5)
    with pytest.raises(InputError, match="gross_margin"):
        cs.price_at_margin(100.0, 1.0)


def test_break_even_is_nre_over_the_saving_per_chip():
    units = cs.break_even_units(1e8, 20_000.0, 0.5, 2_000.0, 1.5, 0.8)
    assert units == pytest.approx(1e8 / (20_000 * 0.5 * 0.8 - 2_000 * 1.5))
    assert cs.break_even_units(1e8, 1_000.0, 0.5, 2_000.0) == math.inf
    arr = cs.break_even_units(1e8, np.array([1_000.0, 20_000.0]), 0.5, 2_000.0)
    assert arr[0] == math.inf and np.isfinite(arr[1])


def test_case_uses_the_chip_cost_model_and_catalog_peaks():
    r = cs.break_even(cs.CASES["trainium2"])
    assert r["custom_unit_cost_usd"] == pytest.approx(float(bom.chip_cost("trainium2").cost_usd))
    assert r["merchant_cost_usd"] == pytest.approx(float(bom.chip_cost("h100-sxm").cost_usd))
    assert r["performance_ratio"] == pytest.approx(667.0 / 989.4)
    # at the catalog's implied margin the merchant price is the catalog price
    assert r["merchant_price_usd"] == pytest.approx(25_000.0)
    assert r["nre_usd"] == pytest.approx(cs.DESIGN_COST_USD["n5"][0] + 1.5 * cs.MASK_SET_USD["n5"][0])


def test_at_least_two_published_cases_break_even_below_their_volume():
    known = [c for c in cs.CASES.values() if c.units]
    assert len(known) >= 2
    for c in known:
        r = cs.break_even(c)
        assert 0 < r["break_even_units"] < c.units
        assert r["net_saving_at_published_units_usd"] > 0


def test_sensitivity_ranks_inputs_by_swing():
    rows = cs.sensitivity(cs.CASES["trainium2"])
    swings = [r["swing"] for r in rows]
    assert swings == sorted(swings, reverse=True)
    assert rows[0]["input"] == "vendor_margin"
    assert {r["input"] for r in rows} == {k for k, p in cs.inputs(cs.CASES["trainium2"]).items()
                                          if p.high > p.low}


def test_unknown_case_and_input():
    with pytest.raises(InputError, match="did you mean 'tpu-v5p'"):
        cs.case("tpu-v5")
    with pytest.raises(InputError, match="did you mean 'vendor_margin'"):
        cs.break_even(cs.CASES["tpu-v5p"], vendor_margn=0.8)


def test_idm_wafer_cost_closed_form():
    cost = cs.idm_wafer_cost_usd(20_000.0, 0.5, 0.5, 0.8, 1.2e9, 1.2e5)
    assert cost == pytest.approx(10_000 * (0.5 + 0.5 / 0.8) + 1e4)


def test_fabless_wins_at_low_volume_and_idm_at_high():
    out = cs.fabless_vs_idm("3nm", wafers_per_month=(1e3, 1e5))
    assert [r["cheaper"] for r in out["rows"]] == ["fabless", "idm"]
    be = out["break_even_wafers_per_month"]
    at = cs.idm_wafer_cost_usd(out["wafer_price_usd"], out["foundry_gross_margin"],
                               out["depreciation_share"], out["utilization"],
                               out["process_development_usd_per_year"], 12 * be)
    assert at == pytest.approx(out["wafer_price_usd"])
