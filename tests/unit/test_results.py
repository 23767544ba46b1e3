import json

import numpy as np
import pytest

from siliconomics.results import Breakdown


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
    from siliconomics.workloads import inference, parallelism, training

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
