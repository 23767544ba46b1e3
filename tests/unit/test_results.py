import json

import numpy as np
import pytest

from siliconomics.results import (MAX_ROWS, Breakdown, ResultMixin, flatten, html_card, number,
                                  scalar_or_array)


def test_total_and_shares():
    b = Breakdown({"a": 1.0, "b": 3.0}, unit="USD/h")
    assert b.total == 4.0
    assert b.shares() == {"a": 0.25, "b": 0.75}
    assert list(b) == ["a", "b"]


def test_arrays_of_samples():
    b = Breakdown({"a": np.array([1.0, 2.0]), "b": 1.0})
    np.testing.assert_array_equal(b.total, [2.0, 3.0])
    np.testing.assert_allclose(b.shares()["a"], [0.5, 2 / 3])
    assert b.is_samples
    assert b.mean().total == pytest.approx(2.5)


def test_to_dict_is_json_ready():
    b = Breakdown({"a": np.array([1.0, 2.0]), "b": 1.0})
    d = json.loads(json.dumps(b.to_dict()))
    assert d["total"] == [2.0, 3.0]


def test_to_frame_rows_sum_to_total():
    b = Breakdown({"x": 2.0, "y": 6.0}, unit="USD")
    f = b.to_frame()
    assert f.loc["total", "value"] == 8.0
    assert f.drop("total")["value"].sum() == 8.0
    assert f.drop("total")["share"].sum() == pytest.approx(1.0)


def test_html_display():
    html = Breakdown({"power": 0.1, "capex": 0.9}, unit="USD/h", label="cost")._repr_html_()
    assert "<table" in html and "power" in html and "10.0%" in html
    assert "total 1 USD/h" in html  # the headline: the total with its unit


def test_zero_total_share_is_nan():
    assert np.isnan(Breakdown({"a": 0.0}).shares()["a"])


def test_every_result_has_a_frame_and_a_jupyter_display():
    """to_frame() and _repr_html_ on the results of each model."""
    from siliconomics import tco
    from siliconomics.planning import sites
    from siliconomics.silicon import chip_cost
    from siliconomics.workloads import serving as inference, parallelism, training

    results = [
        tco.accelerator_hour("h100", "us-texas", accelerators=1024),
        chip_cost("h100"),
        training.estimate("llama-3.1-8b", accelerators=256),
        parallelism.step_time("llama-3.1-8b", "tp=1,pp=1,dp=8", global_batch=64),
        inference.estimate("llama-3.1-8b", "h100", tp=1, batch=8),
        sites.compare_sites("h100", ["us-texas", "finland"], accelerators=1024),
    ]
    for r in results:
        frame = r.to_frame()
        assert len(frame) > 0, type(r)
        assert "<table" in r._repr_html_(), type(r)


def _text(html):
    """The words of an HTML card, tags removed."""
    import re

    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_notebook_cards_show_the_headline_breakdown_and_key_inputs():
    """Each result reads as a figure, its parts and its inputs, not a dump of quantities."""
    from siliconomics import chain, tco
    from siliconomics.planning import sites
    from siliconomics.silicon import chip_cost, wafer
    from siliconomics.workloads import serving as inference, training

    t = tco.accelerator_hour("h100", "us-texas", accelerators=1024)
    text = _text(t._repr_html_())
    assert f"${number(t.usd_per_accelerator_hour)} per accelerator-hour" in text
    assert "Breakdown [USD/h]" in text and "power price [USD/kWh] 0.066" in text
    assert "accelerators 1,024" in text
    run = training.estimate("llama-3.1-405b", 15.6e12, accelerators=16_384)
    text = _text(run._repr_html_())
    assert f"${number(run.cost_usd / 1e6, 3)}M owned" in text and "Breakdown [USD]" in text
    assert "tokens 15,600,000,000,000" in text  # a token count whole, never 156000
    serve = inference.estimate("llama-3.1-8b", "h100", tp=1, batch=8)
    text = _text(serve._repr_html_())
    assert "per million output tokens at 100% utilisation" in text and "batch" in text
    chip = chip_cost("h100")
    text = _text(chip._repr_html_())
    assert f"${number(chip.total)}" in text and "die yield, perfect dies only" in text
    assert "yield loss" in text
    w = wafer(None, "n4", die_area_mm2=814.0)
    assert "per good die" in _text(w._repr_html_()) and "murphy" in w._repr_html_()
    comp = sites.compare_sites("h100", ["us-texas", "finland"], accelerators=1024)
    assert f"cheapest: {comp.rows[0].site}" in _text(comp._repr_html_())
    c = chain.evaluate("h100", model="llama-3.1-8b", accelerators=1024)
    assert "per million output tokens" in _text(c._repr_html_()) and "Every stage" in c._repr_html_()


def test_monte_carlo_and_plan_results_display_readably():
    from siliconomics.scenario import Scenario

    sc = Scenario.from_dict({"scenario": {"samples": 500, "model": "tco"},
                             "inputs": {"utilization": "clip(0.6 to 0.9, _, 1)"}})
    result = sc.run()
    text = _text(result._repr_html_())
    s = result.metrics["usd_per_accelerator_hour"].summary()
    assert f"usd_per_accelerator_hour: {s['p50']:,.4g} (90%: {s['p5']:,.4g} to" in text
    assert "500 samples" in text and "utilization" in text


@pytest.mark.parametrize(("value", "text"), [
    (1234567.891, "1,235,000"), (0.0123456, "0.01235"), (-0.0, "0"), (30000, "30,000"),
    (2027.0, "2,027"), (1.5e-7, "1.500e-07"), (float("nan"), "nan"), (True, "True"),
])
def test_number_reads_as_written_by_hand(value, text):
    assert number(value) == text


def test_html_card_escapes_and_cuts_long_tables():
    rows = [{"name": f"<r{i}>", "v": float(i)} for i in range(MAX_ROWS + 5)]
    card = html_card("<t>", "<h>", tables=[("<c>", rows)], note="<n>")
    assert "<t>" not in card and "&lt;h&gt;" in card and "&lt;n&gt;" in card
    assert "5 more rows" in card and f"&lt;r{MAX_ROWS}&gt;" not in card


def test_scale_keeps_the_order_and_may_change_unit_and_label():
    b = Breakdown({"a": 1.0, "b": 2.0}, unit="USD/h", label="hourly")
    y = b.scale(8766.0, unit="USD/year")
    assert list(y) == ["a", "b"] and y.total == pytest.approx(3 * 8766.0)
    assert (y.unit, y.label) == ("USD/year", "hourly")
    assert b.scale(2.0).unit == "USD/h"


def test_empty_breakdown_and_repr():
    assert Breakdown({}).total == 0.0 and len(Breakdown({})) == 0
    assert repr(Breakdown({"a": 1.0, "b": 2.5}, unit="USD")) == "Breakdown(a=1, b=2.5, total=3.5 USD)"
    samples = Breakdown({"a": np.array([1.0, 3.0])})
    assert repr(samples) == "Breakdown(a=2, total=2 )"  # the means of the samples


def test_html_display_escapes_names_and_unit():
    html = Breakdown({"<x>": 1.0}, unit="<u>", label="a & b")._repr_html_()
    assert "<b>a &amp; b</b>" in html and "Breakdown [&lt;u&gt;]" in html
    assert "&lt;x&gt;</td>" in html and "<x>" not in html and "<u>" not in html


def test_scalar_or_array():
    assert scalar_or_array(np.float32(1.5)) == 1.5 and isinstance(scalar_or_array(3), float)
    out = scalar_or_array([1, 2])
    assert isinstance(out, np.ndarray) and out.dtype == float


def test_flatten_dots_keys_and_summarises_long_lists():
    data = {"a": {"b": 1, "c": [10, 20]}, "d": list(range(5)), "e": "text"}
    assert flatten(data, max_items=4) == [("a.b", 1), ("a.c.0", 10), ("a.c.1", 20),
                                          ("d", "[5 items]"), ("e", "text")]
    assert ("d.4", 4) in flatten(data)  # 5 items are within the default limit
    assert flatten([{"x": 1}, {"x": 2}]) == [("0.x", 1), ("1.x", 2)]


def test_result_mixin_frames_any_to_dict():
    class R(ResultMixin):
        def to_dict(self):
            return {"cost": {"usd": 2.0}, "name": "r"}

    frame = R().to_frame()
    assert frame.loc["cost.usd", "value"] == 2.0 and frame.index.name == "quantity"
    html = R()._repr_html_()
    assert "<b>R</b>" in html and "<table" in html and "cost.usd" in html
    assert "Quantities" in html


def test_industry_chiplet_price_and_layout_results_display_as_cards():
    from siliconomics import pricing, tco
    from siliconomics.industry import foundries, labs
    from siliconomics.silicon import chiplet_sweep
    from siliconomics.workloads import parallelism

    bt = foundries.backtest()
    assert "held-out nodes, predicted minus historical firms" in _text(bt._repr_html_())
    proj = labs.project()
    last = [r["year"] for r in proj.rows if r["viable_labs"] >= 1][-1]
    assert f"at least one lab until {last}" in _text(proj._repr_html_())
    sweep = chiplet_sweep(800, "n4")
    assert f"cheapest in {sweep.best_n} chiplet(s)" in _text(sweep._repr_html_())
    price = pricing.accelerator_price(tco.resolve("h100-sxm"), "cost-plus")
    assert f"${number(price.price_usd)}" in _text(price._repr_html_())
    found = parallelism.auto_layout("llama-3.1-8b", 64, global_batch=64)
    assert "s per step, MFU" in _text(found._repr_html_())


def test_a_total_is_the_left_to_right_sum_of_its_components_whatever_their_shapes():
    """The total adds each component to the partial sum in order (in place once the sum is an
    array of its own): the same numbers as a + b + c ..., for scalars, arrays and arrays that
    broadcast to a larger shape later in the order, and the components are left untouched."""
    rng = np.random.default_rng(3)
    a, b = rng.uniform(size=5), rng.uniform(size=(2, 5))
    for parts in ([1.5, 2.25, a, b, 0.1], [a, 3.0, b], [b, a], [2.0, 3.0], [a]):
        comps = {str(i): p for i, p in enumerate(parts)}
        expected = parts[0]
        for p in parts[1:]:
            expected = expected + p
        before = [np.array(p, copy=True) for p in parts]
        total = Breakdown(comps).total
        assert np.array_equal(total, expected) and np.shape(total) == np.shape(expected)
        assert all(np.array_equal(p, q) for p, q in zip(parts, before))
    single = Breakdown({"x": a}).total
    assert np.array_equal(single, a) and single is not a
    assert Breakdown({}).total == 0.0
