"""Token margins against the serving model, and the GPU-rental business with its IRR."""

import math

import numpy as np
import pytest

from siliconomics.errors import InputError
from siliconomics.finance import npv
from siliconomics.industry import tokens


def test_gross_margin_by_hand():
    # 3 input tokens per output token: revenue 3*2 + 8 = 14, cost 3*0.5 + 2 = 3.5
    assert tokens.gross_margin(2.0, 8.0, 0.5, 2.0, input_per_output=3.0) == pytest.approx(0.75)
    assert tokens.gross_margin(1.0, 1.0, 2.0, 2.0) == pytest.approx(-1.0)


def test_gross_margin_rejects_a_zero_price():
    with pytest.raises(InputError):
        tokens.gross_margin(0.0, 1.0, 0.1, 0.1)


def test_irr_is_the_rate_that_zeroes_the_npv():
    flows = [-1000.0, 300.0, 400.0, 500.0]
    r = tokens.irr(flows)
    assert npv(flows, r) == pytest.approx(0.0, abs=1e-6)
    assert tokens.irr([-100.0, 110.0]) == pytest.approx(0.10)
    assert math.isnan(tokens.irr([100.0, 10.0]))


def test_irr_of_flows_that_lose_money_is_negative():
    assert tokens.irr([-100.0, 40.0, 40.0]) < 0


def test_irr_rejects_non_finite_flows():
    with pytest.raises(InputError):
        tokens.irr([-1.0, float("nan")])


def test_margin_table_covers_five_models_and_three_provider_types_with_sources():
    t = tokens.margins()
    models = {r["model"] for r in t.rows}
    types = {r["provider_type"] for r in t.rows}
    assert len(models) >= 5
    assert types == {"lab-api", "neocloud", "hyperscaler"}
    for r in t.rows:
        assert r["source"] and r["date"]
        assert r["margin_low"] <= r["margin"] <= r["margin_high"]
        assert set(r["margin_by_provider_type"]) == set(tokens.PROVIDER_TYPES)


def test_margin_rises_with_utilization():
    """Capital is spread over more paid hours, so the same price leaves more margin."""
    lo = tokens.serving_cost("llama-3.1-70b", "neocloud", utilization=0.3)
    hi = tokens.serving_cost("llama-3.1-70b", "neocloud", utilization=0.9)
    assert hi["usd_per_million_output_tokens"] < lo["usd_per_million_output_tokens"]


def test_open_weight_price_point_is_served_by_its_own_model():
    (row,) = tokens.margins(["together-llama-3.1-70b"]).rows
    assert row["cost_proxy"] == "llama-3.1-70b" and not row["cost_proxy_assumption"]
    # Together's 2024 price ($0.88/M) sits above the cost of serving 70B on H100s at 60%
    assert 0.0 < row["margin"] < 1.0


def test_unknown_price_point_and_provider_type_name_the_closest():
    with pytest.raises(InputError, match="did you mean"):
        tokens.margins(["together-llama-3.1-70"])
    with pytest.raises(InputError, match="neocloud"):
        tokens.provider_type("neocloudd")


def test_rental_cash_flows_by_hand():
    f = tokens.rental_cash_flows(capex_usd=10_000.0, opex_usd_per_year=1_000.0,
                                 rental_usd_per_hour=1.0, contract_years=1, life_years=2,
                                 spot_utilization=0.5, spot_decline_per_year=0.5,
                                 debt_fraction=0.5, debt_rate=0.0)
    assert f["revenue"][0] == pytest.approx(8766.0)
    assert f["revenue"][1] == pytest.approx(8766.0 * 0.25 * 0.5)  # price halves twice, half rented
    assert f["equity"][0] == pytest.approx(-5000.0)
    assert f["equity"][1] == pytest.approx(8766.0 - 1000.0 - 5000.0)
    assert f["project"][0] == pytest.approx(-10_000.0)


def test_rental_contract_longer_than_life_is_rejected():
    with pytest.raises(InputError, match="contract_years"):
        tokens.rental_cash_flows(capex_usd=1.0, opex_usd_per_year=0.0, rental_usd_per_hour=1.0,
                                 contract_years=6, life_years=5)


def test_rental_business_irr_rises_with_the_rental_price():
    low = tokens.rental_business("h100", rental_usd_per_hour=2.5)
    high = tokens.rental_business("h100", rental_usd_per_hour=3.0)
    assert high.project_irr > low.project_irr
    assert high.equity_irr > low.equity_irr
    # the break-even price does not depend on the price asked
    assert low.breakeven_rental_usd_per_hour == pytest.approx(high.breakeven_rental_usd_per_hour)
    # at the break-even price the project's undiscounted flows sum to zero
    at = tokens.rental_business("h100", rental_usd_per_hour=low.breakeven_rental_usd_per_hour)
    assert sum(at.project_cash_flows_usd) == pytest.approx(0.0, abs=1e-3)


def test_equity_that_never_recovers_its_outlay_has_no_irr():
    b = tokens.rental_business("h100", rental_usd_per_hour=2.0)
    assert sum(b.equity_cash_flows_usd) < 0 and math.isnan(b.equity_irr)
    assert b.to_dict()["equity_irr"] is None


def test_rental_business_reads_the_catalog_rental_price():
    b = tokens.rental_business("h100", date="2024")
    assert 1.0 < b.inputs["rental_usd_per_hour"] < 5.0
    assert b.to_dict()["years"][0] == 0


def test_rental_business_rejects_an_impossible_date():
    with pytest.raises(InputError, match="date"):
        tokens.rental_business("h100", date="2026-13-45")


def test_check_date_accepts_real_dates():
    assert tokens.check_date("2025-02-28") == "2025-02-28"
    with pytest.raises(InputError):
        tokens.check_date("2025-02-30")
    assert np.isfinite(tokens.rental_business("h100", rental_usd_per_hour=2.5).project_irr)
