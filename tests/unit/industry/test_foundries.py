"""Foundries per node: data, closed forms, calibration procedure and the back-test."""

import numpy as np
import pytest

from siliconomics import catalog
from siliconomics.errors import CatalogError, InputError
from siliconomics.finance import capital_recovery_factor
from siliconomics.industry import foundries, oligopoly


def test_nodes_cover_130nm_to_1_4nm_in_order():
    slugs = [e.slug for e in foundries.nodes()]
    assert slugs[0] == "130nm" and slugs[-1] == "1.4nm" and len(slugs) >= 13
    years = [e.year for e in foundries.nodes()]
    assert years == sorted(years)


def test_every_node_value_is_sourced_and_dated():
    for e in foundries.nodes():
        for name, v in e.fields.items():
            assert v.source and v.as_of, (e.slug, name)
            if v.assumption:
                assert v.note and v.is_uncertain, (e.slug, name)


def test_published_counts():
    """Yole via press: 26 leading-edge makers at 130 nm (2002-03), 3 at 7 nm."""
    assert foundries.node("130nm").historical_firms == 26
    assert foundries.node("N7").historical_firms == 3


def test_cset_wafer_prices():
    """Khan and Mann, CSET 2020: 16/12 nm $3,984; 5 nm $16,988 per wafer."""
    assert foundries.node("16nm").wafer_price_usd == 3984.0
    assert foundries.node("5nm").wafer_price_usd == 16988.0


def test_fixed_cost_and_breakeven_wafers_closed_form():
    assert foundries.fixed_cost_usd(5e9, 12e9) == 17e9
    annual = 17e9 * capital_recovery_factor(0.1, 5)
    assert foundries.breakeven_wafers_per_month(annual, 9346.0, 0.5) == pytest.approx(
        annual / (12 * 0.5 * 9346.0))


def test_held_out_nodes_do_not_move_the_calibration(monkeypatch):
    a = foundries.calibrate()
    entry = catalog.load().get("foundry_nodes", "7nm")
    changed = entry.replace(historical_firms=30)
    cat = catalog.load()
    monkeypatch.setitem(cat._entries["foundry_nodes"], "7nm", changed)
    assert foundries.calibrate() == a  # 7 nm is held out
    assert foundries.calibrate(held_out=("3nm",)) != a  # now it is used


def test_calibration_minimises_the_stated_loss():
    a, g = foundries.fit()
    fit = [e for e in foundries.nodes()
           if e.get("historical_firms") is not None and e.slug not in foundries.HELD_OUT]
    p = foundries.defaults()

    def loss(share, growth):
        total = 0.0
        for e in fit:
            k = foundries.era(e.slug)["alliance_members"]
            annual = oligopoly.annualized_fixed_cost(
                e.process_development_cost_usd / k + e.fab_cost_usd, p["cost_of_capital"],
                p["recovery_years"])
            s = min(share * np.exp(growth * (e.year - foundries.REFERENCE_YEAR)), 1.0)
            n = oligopoly.break_even_firms_learning(s * e.market_revenue_usd_per_year, p["margin"],
                                                    annual, p["leader_volume_ratio"], p["progress_ratio"])
            total += (np.log(n) - np.log(e.historical_firms)) ** 2
        return total

    best = loss(a, g)
    for da, dg in ((1.05, 0), (1 / 1.05, 0), (1, 0.01), (1, -0.01)):
        assert best <= loss(a * da, g + dg) + 1e-12


def test_eras_share_development_and_use_200mm_lines_at_130nm():
    assert foundries.era("130nm")["wafer_mm"] == 200
    assert foundries.era("n7")["wafer_mm"] == 300
    assert foundries.era("45nm")["alliance_members"] > 1
    assert foundries.era("5nm")["alliance_members"] == 1
    for slug in foundries.ERAS:
        assert foundries.era(slug)["source"]
    bt = foundries.backtest()
    row = bt.row("28nm")
    assert row["development_cost_per_firm_usd"] == pytest.approx(
        foundries.node("28nm").process_development_cost_usd / row["alliance_members"])


def test_addressable_share_moves_with_the_era():
    s = foundries.shares(0.1, -0.02, [2002, 2010, 2022])
    assert s[1] == pytest.approx(0.1)
    assert s[0] > s[1] > s[2]
    assert np.all(foundries.shares(0.9, 0.3, [2030]) <= 1.0)
    bt = foundries.backtest()
    assert bt.to_dict()["share_growth_per_year"] == bt.share_growth


def test_sharing_development_never_lowers_the_count():
    alone = dict(foundries.ERAS)
    try:
        foundries.ERAS.clear()
        solo = foundries.predict(0.12)["viable_firms"]
    finally:
        foundries.ERAS.update(alone)
    shared = foundries.predict(0.12)["viable_firms"]
    assert np.all(shared >= solo) and np.any(shared > solo)


def test_calibration_needs_two_nodes():
    everything = tuple(e.slug for e in foundries.nodes())
    with pytest.raises(InputError, match="at least 2 nodes"):
        foundries.calibrate(held_out=everything)


def test_backtest_held_out_within_one_firm():
    bt = foundries.backtest()
    errors = bt.errors("held_out")
    assert set(errors) == {"16nm", "7nm", "3nm"}
    assert all(abs(e) <= 1 for e in errors.values())
    d = bt.to_dict()
    for key in ("viable_firms", "historical_firms", "fixed_cost_usd", "revenue_pool_usd", "held_out"):
        assert key in d["nodes"][0]


def test_predict_broadcasts_over_samples_and_rises_with_the_market():
    out = foundries.predict(np.array([0.05, 0.1, 0.2]))
    assert out["viable_firms"].shape == (3, len(foundries.nodes()))
    assert np.all(np.diff(out["viable_firms"], axis=0) >= 0)


def test_learning_advantage_lowers_the_counts():
    a = 0.12
    sym = foundries.predict(a, leader_volume_ratio=1.0)["viable_firms"]
    lead = foundries.predict(a, leader_volume_ratio=3.0)["viable_firms"]
    assert np.all(lead <= sym) and np.any(lead < sym)


def test_bad_inputs():
    with pytest.raises(InputError, match="unknown foundry model parameter 'margn'"):
        foundries.predict(0.1, margn=0.5)
    with pytest.raises(InputError, match="addressable_share must be in"):
        foundries.predict(-0.1)
    with pytest.raises(CatalogError, match="did you mean"):
        foundries.node("7mn")
