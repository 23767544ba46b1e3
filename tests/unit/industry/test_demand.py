"""World inference demand: tokens per year, the serving fleet, a plan's demand section."""

import numpy as np
import pytest

from siliconomics.errors import InputError
from siliconomics.industry import demand
from siliconomics.planning import plan_file


def test_tokens_per_year_by_hand():
    # base year: 1e9 users x 1,000 tokens/day x 365.25 days x (2 x 1.5) multipliers
    q = demand.tokens_per_year(2025, users=1e9, tokens_per_user_per_day=1000.0,
                               reasoning_multiplier=2.0, agent_multiplier=1.5)
    assert q == pytest.approx(1e9 * 1000.0 * 365.25 * 3.0)


def test_users_saturate_at_the_internet_population():
    kw = {"users": 5e9, "users_growth": 2.0, "max_users": 5.5e9, "tokens_per_user_growth": 1.0,
          "multiplier_growth": 1.0}
    assert demand.tokens_per_year(2030, **kw) == pytest.approx(demand.tokens_per_year(2026, **kw))


def test_price_response_follows_the_elasticity():
    ref = demand.tokens_per_year(2026, reference_price_usd_per_mtok=2.0, elasticity=-1.0)
    half = demand.tokens_per_year(2026, price_usd_per_mtok=1.0,
                                  reference_price_usd_per_mtok=2.0, elasticity=-1.0)
    assert half == pytest.approx(2 * ref)


def test_bad_inputs_are_one_line_errors():
    with pytest.raises(InputError, match="elasticity must be <= 0"):
        demand.tokens_per_year(2026, elasticity=0.3)
    with pytest.raises(InputError, match="users"):
        demand.tokens_per_year(2026, users=-1.0)
    with pytest.raises(InputError, match="2024-2035"):
        demand.tokens_per_year(2050)
    with pytest.raises(InputError, match="did you mean"):
        demand.tokens_per_year(2026, user=1e9)


def test_fleet_for_tokens_by_hand():
    # 3e7 output tokens a year... one accelerator at 1 token/s fully used serves 31,557,600
    n = demand.fleet_for_tokens(2 * 31_557_600.0, 1.0, utilization=1.0, input_per_output=1.0)
    assert n == pytest.approx(1.0)


def test_projection_grows_and_has_a_band():
    p = demand.project([2025, 2026, 2027], samples=300)
    rows = p.rows
    assert rows[0]["tokens_per_year"] < rows[1]["tokens_per_year"] < rows[2]["tokens_per_year"]
    for r in rows:
        assert r["tokens_per_year_p5"] < r["tokens_per_year_p95"]
        assert r["accelerators"] > 0
    assert p.output_tokens_per_s_per_accelerator > 0


def test_projection_is_reproducible_with_a_seed():
    a = demand.project([2026], samples=100, seed=3).rows[0]
    b = demand.project([2026], samples=100, seed=3).rows[0]
    assert a == b


def test_google_check_reports_a_ratio_never_a_fit():
    c = demand.google_check()
    assert c["google_tokens_per_month"] == pytest.approx(1.3e15)
    assert c["ratio"] == pytest.approx(c["predicted_tokens_per_month"] / 1.3e15)


def test_plan_demand_is_a_valid_plan_section():
    section = demand.plan_demand([2026, 2027], share=0.01)
    plan = plan_file.parse_plan({"plan": {"years": [2026, 2027], "sites": ["us-texas"],
                                          "accelerators": ["h100-sxm"]}, "demand": section})
    assert plan.demand.unit == "accelerator_equivalents"
    full = demand.plan_demand([2026], share=1.0)["by_year"][2026]
    assert section["by_year"][2026] == pytest.approx(0.01 * full)


def test_sample_parameters_keeps_elasticity_non_positive():
    s = demand.sample_parameters(2000, seed=1)
    assert np.all(s["elasticity"] <= 0)
    assert s["users"].shape == (2000,)
