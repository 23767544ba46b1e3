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


def test_every_row_of_the_catalogs_models_is_compared_as_its_case(rows):
    """All 210 rows of the table for the catalog's models, each in its case's layout (attention
    data parallel for the MoE columns of several GPUs); each row is a registered case and
    siliconomics' figure is the one that case computes."""
    assert len(rows) == 210
    assert sum(".dp" in r["id"] for r in rows) == 70
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
        assert (s[name]["rows"], s[name]["within"]) == (210, within)
        assert s[name]["mean"] == pytest.approx(sum(errors) / 210)
        assert s[name]["median"] == pytest.approx((errors[104] + errors[105]) / 2)


def test_without_the_package_the_error_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "aiconfigurator_core.sdk.engine", None)
    with pytest.raises(InputError, match=r"siliconomics\[measured\]"):
        peers.aiconfigurator_rows()
