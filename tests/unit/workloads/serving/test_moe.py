"""Experts touched by a batch and expert-parallel weights per accelerator."""

import pytest

from siliconomics.workloads.models import Model
from siliconomics.workloads.serving import moe


def test_expected_experts_touched_closed_form():
    e, k, b = 64, 6, 10
    assert moe.expected_experts_touched(b, e, k) == pytest.approx(e * (1 - (1 - k / e) ** b))
    assert float(moe.expected_experts_touched(0, 8, 2)) == 0.0
    assert float(moe.expected_experts_touched(10_000, 8, 2)) == pytest.approx(8.0)


def test_routed_bytes_grow_to_all_local_experts():
    m = Model.from_catalog("deepseek-v3")
    full = moe.routed_params(m) / 16
    assert float(moe.routed_bytes_per_accelerator(m, 1e6, 16, 1.0)) == pytest.approx(full)
    assert float(moe.routed_bytes_per_accelerator(m, 1, 16, 1.0)) < 0.05 * full


def test_dense_model_has_no_routed_experts():
    assert moe.routed_params(Model.from_catalog("llama-3.1-8b")) == 0.0


def test_routed_flops_split_over_accelerators():
    m = Model.from_catalog("deepseek-v3")
    one = float(moe.routed_flops_per_accelerator(m, 100, 1))
    assert float(moe.routed_flops_per_accelerator(m, 100, 8)) == pytest.approx(one / 8)


def test_distinct_holders():
    assert moe.distinct_holders(1, 8) == 1.0
    assert moe.distinct_holders(4, 8) == pytest.approx(4 * (1 - 0.75**8))
    assert moe.distinct_holders(1000, 8) == pytest.approx(8, rel=0.01)
