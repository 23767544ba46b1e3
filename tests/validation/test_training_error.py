"""The spread the Monte Carlo puts around a predicted MFU is the model's measured error."""

import pytest

from siliconomics import catalog
from siliconomics.validation.training import mfu_ratio_interval


def test_catalog_mfu_error_is_the_validation_interval_rounded():
    """assumptions.training-mfu-error's range is the 5th-95th percentile of realised over
    predicted MFU over the training throughput cases, rounded to two digits: a change to the
    model or the cases that moves it must move the catalog too (and its note's case count)."""
    lo, hi, n = mfu_ratio_interval()
    v = catalog.resolve("h100").value("assumptions.training-mfu-error")
    assert (v.low, v.high) == pytest.approx((lo, hi), abs=0.005 + 1e-9)
    assert f"the {n} held-out cases" in v.source
    assert v.value == 1.0 and lo < 1.0 < hi
