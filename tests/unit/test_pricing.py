"""Pricing rules: list, cost-plus and pass-through, and who keeps a change in cost."""

import numpy as np
import pytest

from siliconomics import catalog, pricing, silicon
from siliconomics.errors import InputError


def test_rules_by_hand():
    assert pricing.price_from_cost("list", list_price_usd=30000) == 30000
    assert pricing.price_from_cost("cost-plus", list_price_usd=30000, cost_usd=3000,
                                   markup=1.0) == 6000
    p = pricing.price_from_cost("pass-through", list_price_usd=30000, cost_usd=np.array([2000, 4000]),
                                reference_cost_usd=3000, pass_through_share=0.25)
    np.testing.assert_allclose(p, [29750, 30250])


def test_unknown_rule_and_bad_share():
    with pytest.raises(InputError, match="unknown pricing rule 'pass'; did you mean 'pass-through'"):
        pricing.price_from_cost("pass", list_price_usd=1)
    with pytest.raises(InputError, match=r"pass_through_share must be in \[0, 1\]"):
        pricing.price_from_cost("pass-through", list_price_usd=1, cost_usd=1,
                                reference_cost_usd=1, pass_through_share=1.5)


def test_unchanged_part_sells_at_its_list_price_under_pass_through():
    r = catalog.resolve("b200")
    p = pricing.accelerator_price(r, "pass-through")
    assert p.price_usd == r["accelerator.price_usd"]
    assert p.reference_cost_usd == pytest.approx(p.cost_usd)


def test_list_keeps_the_price_and_moves_the_margin():
    base = pricing.accelerator_price(catalog.resolve("h200"), "list", with_cost=True)
    cheap = pricing.accelerator_price(catalog.resolve("h200", set={"memory.price_usd_per_gb": 4}),
                                      "list", with_cost=True)
    assert cheap.price_usd == base.price_usd
    assert cheap.cost_usd < base.cost_usd and cheap.vendor_margin > base.vendor_margin


def test_pass_through_passes_the_stated_share():
    r = catalog.resolve("h200", set={"memory.price_usd_per_gb": 4})
    base_cost = silicon.chip_cost("h200").total
    for share in (0.0, 0.3, 1.0):
        rr = catalog.resolve(r, set={"assumptions.pass-through-share": share})
        p = pricing.accelerator_price(rr, "pass-through")
        assert p.price_usd == pytest.approx(rr["accelerator.price_usd"]
                                            + share * (p.cost_usd - base_cost))


def test_the_anchor_of_a_derived_part_is_the_part_that_states_the_price():
    from pathlib import Path

    ex = Path(__file__).resolve().parents[2] / "examples" / "memory_breakthrough.toml"
    with catalog.using(ex):
        r = catalog.resolve("h200-dram")
        assert pricing.price_anchor(r).slug == "h200"
        assert pricing.reference_cost(r) == pytest.approx(silicon.chip_cost("h200").total)
