import json

import numpy as np
import pytest

from siliconomics.results import Breakdown, ResultMixin, flatten, scalar_or_array


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
    assert "<table>" in html and "power" in html and "10.0%" in html


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
    assert "<caption>a &amp; b [&lt;u&gt;]</caption>" in html and "<td>&lt;x&gt;</td>" in html


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
    assert html.startswith("<b>R</b>") and "<table" in html and "cost.usd" in html
