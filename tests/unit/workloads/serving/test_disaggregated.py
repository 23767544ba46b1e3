"""Disaggregated pools: the integer ratio search and the pools' latencies."""

import pytest

from siliconomics.errors import InputError
from siliconomics.workloads import serving as inf


def test_best_ratio_balances_pools():
    assert inf.best_ratio(10.0, 5.0, 8, 8) == (1, 2, 10.0)
    x, y, rate = inf.best_ratio(3.0, 1.0, 4, 4)
    assert (x, y) == (1, 3) and rate == pytest.approx(3.0)


def test_disaggregated_fixed_pools_by_hand():
    r = inf.disaggregated("llama-3.1-70b", "h100", prompt_tokens=2048, output_tokens=256,
                          decode_batch=64, prefill_tp=4, decode_tp=8)
    dc = inf.Deployment.create("llama-3.1-70b", "h100", tp=8)
    assert r["tpot_s"] == pytest.approx(float(dc.decode_step_s(64, 2176)))
    assert r["prefill_to_decode_ratio"] == pytest.approx(
        r["prefill_replicas"] * 4 / (r["decode_replicas"] * 8))
    assert r["output_tokens_per_s_per_accelerator"] == pytest.approx(
        r["requests_per_s"] * 256 / r["accelerators"])


def test_disaggregated_decode_attends_over_the_length_biased_context():
    """With spread outputs the decode pool's step is taken at p + (1 + c^2) o / 2, as a
    co-located replica's (batching.performance)."""
    r = inf.disaggregated("llama-3.1-70b", "h100", prompt_tokens=2048, output_tokens=256,
                          decode_batch=64, prefill_tp=4, decode_tp=8,
                          options={"output_cv": 2.0})
    dc = inf.Deployment.create("llama-3.1-70b", "h100", tp=8, output_cv=2.0)
    assert r["tpot_s"] == pytest.approx(float(dc.decode_step_s(64, 2048 + 5 * 128)))


def test_disaggregated_search_meets_tpot():
    r = inf.disaggregated("llama-3.1-8b", "h100", prompt_tokens=1000, output_tokens=200,
                          slo_tpot_s=0.02)
    assert r["tpot_s"] <= 0.02


def test_disaggregated_impossible_slo():
    with pytest.raises(InputError, match="best achievable"):
        inf.disaggregated("llama-3.1-70b", "h100", prompt_tokens=2048, output_tokens=256,
                          slo_tpot_s=1e-5)
