"""The chain as one model: a change upstream reaches every stage; whatif side by side."""

from pathlib import Path

import pytest

from siliconomics import catalog, chain

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "memory_breakthrough.toml"
SMALL = dict(model="llama-3.1-8b", accelerators=1024)
DOWNSTREAM = ("price_usd", "usd_per_accelerator_hour", "training_cost_usd",
              "usd_per_million_output_tokens", "usd_per_million_input_tokens")


@pytest.fixture(scope="module")
def breakthrough():
    with catalog.using(EXAMPLE):
        return {rule: chain.whatif("h200", "h200-dram", pricing=rule, **SMALL)
                for rule in ("list", "cost-plus", "pass-through")}


@pytest.mark.parametrize("rule", ["cost-plus", "pass-through"])
def test_cheaper_memory_lowers_every_downstream_cost(breakthrough, rule):
    w = breakthrough[rule]
    assert w["delta"]["chip_cost_usd"] < 0 and w["delta"]["memory_share"] < 0
    for key in DOWNSTREAM:
        assert w["delta"][key] < 0, key


def test_under_list_the_price_stays_and_the_margin_moves(breakthrough):
    w = breakthrough["list"]
    assert w["delta"]["chip_cost_usd"] < 0
    assert w["delta"]["price_usd"] == 0 and w["delta"]["vendor_margin"] > 0
    for key in DOWNSTREAM:
        assert w["delta"][key] == 0, key


def test_pass_through_moves_the_price_by_the_share_of_the_saving(breakthrough):
    w = breakthrough["pass-through"]
    share = catalog.assumption("pass-through-share")
    assert w["delta"]["price_usd"] == pytest.approx(share * w["delta"]["chip_cost_usd"])


def test_whatif_json_keys(breakthrough):
    w = breakthrough["pass-through"]
    for side in ("base", "variant", "delta"):
        assert set(chain.STAGES) <= set(w[side])
    assert w["base"]["accelerator"] == "h200" and w["variant"]["accelerator"] == "h200-dram"


def test_a_modified_entry_is_used_everywhere():
    """An entry made in Python reaches every stage at its own price (no catalog re-read)."""
    h20ish = catalog.accelerator("h200").replace(price_usd=12_000)
    r = chain.evaluate(h20ish, **SMALL)
    assert r.stages["price_usd"] == 12_000
    from siliconomics import tco

    hour = tco.accelerator_hour(h20ish, accelerators=SMALL["accelerators"])
    assert r.stages["usd_per_accelerator_hour"] == pytest.approx(hour.usd_per_accelerator_hour)
