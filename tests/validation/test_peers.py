"""NVIDIA's aiconfigurator beside siliconomics on TensorRT-LLM 1.0's published rows."""

import math
import sys

import pytest

from siliconomics import validation
from siliconomics.errors import InputError
from siliconomics.validation import peers


@pytest.fixture(scope="module")
def rows():
    return peers.aiconfigurator_rows()


def test_every_replica_without_attention_dp_is_compared_as_its_case(rows):
    """The 14 columns of one replica without attention data parallelism, ten rows each; each
    row is a registered case and siliconomics' figure is the one that case computes."""
    assert len(rows) == 140
    cases = {c.id: c for c in validation.cases()}
    for r in rows[::7]:
        assert validation.evaluate(cases[r["id"]]).computed == pytest.approx(r["siliconomics"],
                                                                              rel=1e-12)
        assert cases[r["id"]].published == r["published"]
    for r in rows:
        assert math.isfinite(r["aiconfigurator"]) and r["aiconfigurator"] > 0
        assert r["aiconfigurator_error"] == pytest.approx(r["aiconfigurator"] / r["published"] - 1)


def test_summary_counts_the_rows_within_the_tolerance(rows):
    s = peers.summarize(rows)
    for name in ("siliconomics", "aiconfigurator"):
        within = sum(abs(r[f"{name}_error"]) <= 0.25 for r in rows)
        errors = sorted(abs(r[f"{name}_error"]) for r in rows)
        assert (s[name]["rows"], s[name]["within"]) == (140, within)
        assert s[name]["mean"] == pytest.approx(sum(errors) / 140)
        assert s[name]["median"] == pytest.approx((errors[69] + errors[70]) / 2)


def test_without_the_package_the_error_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "aiconfigurator_core.sdk.engine", None)
    with pytest.raises(InputError, match=r"siliconomics\[measured\]"):
        peers.aiconfigurator_rows()
