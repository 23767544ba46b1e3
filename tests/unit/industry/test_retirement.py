"""Retirement at market prices: haircut, discounting, the three options and the decision."""

import numpy as np
import pytest

from siliconomics import catalog, tco
from siliconomics.errors import InputError, SiliconomicsError
from siliconomics.industry import retirement as rt
from siliconomics.planning.plan_file import HOURS_PER_YEAR, net_sale_fraction, rental_curve


def test_thin_market_haircut_grows_with_the_lot_and_is_capped():
    assert rt.thin_market_haircut(0, 0.1, 0.3, 5e4) == pytest.approx(0.1)
    assert rt.thin_market_haircut(5e4, 0.1, 0.3, 5e4) == pytest.approx(0.4)
    assert rt.thin_market_haircut(1e9, 0.1, 0.3, 5e4) == pytest.approx(0.9)
    with pytest.raises(InputError, match="market_depth_units_per_year must be > 0"):
        rt.thin_market_haircut(1, 0.1, 0.3, 0)


def test_discounted_value_closed_form():
    v = rt.discounted_value([100.0, 100.0], 50.0, 0.1)
    assert v == pytest.approx(100 / 1.1 ** 0.5 + 100 / 1.1 ** 1.5 + 50 / 1.1 ** 2)


def test_sell_is_the_secondary_price_net_of_costs():
    d = rt.decide("h100", 2026, units=1000, warn=False)
    haircut = rt.thin_market_haircut(1000, 0.10, 0.3, 5e4)
    assert d.values["sell"] == pytest.approx(d.detail["secondary_price_usd"]
                                             * net_sale_fraction(0.05, haircut))


def test_keep_values_rental_less_opex_then_a_sale():
    d = rt.decide("h100", 2026, units=1, warn=False, service_life_years=5)
    rental = rental_curve(catalog.accelerator("h100"), [2026])[0]
    opex = tco.accelerator_hour("h100-sxm").breakdown
    per_year = (rental / HOURS_PER_YEAR * 0.85 - float(opex["power"] + opex["operations"])) * HOURS_PER_YEAR
    # one year left (2022 + 5 = 2027): one mid-year cash flow and a sale at the end
    assert d.detail["keep_until"] == 2027
    assert d.values["keep"] > per_year / 1.1 ** 0.5


def test_past_its_life_keeping_is_selling_and_a_tie_sells():
    d = rt.decide("h100", 2030, warn=False, inference_value_share=0.0)
    assert d.values["keep"] == pytest.approx(d.values["sell"])
    assert d.decision == "sell"


def test_inference_value_from_a_token_model():
    low = rt.decide("h100", 2026, warn=False, inference_usd_per_hour=0.0)
    high = rt.decide("h100", 2026, warn=False, inference_usd_per_hour=5.0)
    assert high.values["inference"] > low.values["inference"]
    assert low.values["inference"] < low.values["sell"]


def test_bad_input():
    with pytest.raises(SiliconomicsError, match="did you mean 'h100-sxm'"):
        rt.decide("h10", 2027)
    with pytest.raises(InputError, match=r"--year must be in \[2022, 2040\]"):
        rt.decide("h100", 2019)
    with pytest.raises(InputError, match="no rental price series"):
        rt.decide("tpu-v5p", 2026)
    with pytest.raises(InputError, match="did you mean 'utilization'"):
        rt.decide("h100", 2027, utilisation=0.5)
    with pytest.raises(InputError, match="units must be >= 1"):
        rt.decide("h100", 2027, units=0)


def test_decision_is_the_largest_value():
    for year in (2024, 2026, 2028):
        d = rt.decide("h100", year, warn=False)
        assert d.values[d.decision] == max(d.values.values())
        assert np.isfinite(list(d.values.values())).all()
