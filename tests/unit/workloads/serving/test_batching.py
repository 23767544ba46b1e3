"""Continuous batching identities, queueing, speculative tokens and the SLO search."""

import numpy as np
import pytest

from siliconomics.errors import InputError
from siliconomics.workloads import serving as inf
from siliconomics.workloads.serving import batching


def test_performance_cycle_identities():
    d = inf.Deployment.create("llama-2-70b", "h200", tp=1, precision="fp8")
    b, p, o = 64, 512, 200
    r = d.performance(b, p, o)
    cycle = float(d.prefill_s(p, b)) + o * float(r["decode_step_s"])
    assert float(r["tpot_s"]) == pytest.approx(cycle / o)
    assert float(r["output_tokens_per_s_per_replica"]) == pytest.approx(b * o / cycle)
    acc_s = float(r["prefill_accelerator_s_per_request"] + r["decode_accelerator_s_per_request"])
    assert acc_s == pytest.approx(cycle / b)


def test_tokens_per_step():
    assert batching.tokens_per_step(0, 0.0) == 1.0
    assert batching.tokens_per_step(3, 1.0) == 4.0
    assert batching.tokens_per_step(2, 0.5) == pytest.approx(1.75)


def test_queueing_adds_md1_wait_to_ttft():
    d = inf.Deployment.create("llama-3.1-8b", "h100", tp=1)
    idle = d.performance(64, 1000, 200)
    cap = float(idle["requests_per_s_per_replica"])
    busy = d.performance(64, 1000, 200, arrival_rate_per_s=0.5 * cap)
    s = 1.0 / cap
    assert float(busy["queue_wait_s"]) == pytest.approx(0.5 * s / (2 * 0.5))
    assert float(busy["ttft_s"]) == pytest.approx(float(idle["ttft_s"]) + float(busy["queue_wait_s"]))


def test_the_first_token_comes_out_of_the_prefill_pass():
    """Alone, a request's first token is its prefill's (the last prompt token's logits); in a
    batch of b the same pass also advances the b - 1 other sequences by a decode step."""
    d = inf.Deployment.create("llama-3.1-70b", "h100", tp=4, precision="fp8")
    p, o = 2048, 256
    ctx = d.decode_context(p, o)
    one = d.performance(1, p, o)
    assert float(one["ttft_s"]) == pytest.approx(float(d.prefill_s(p)), rel=1e-12)
    r = d.performance(np.array([2.0, 64.0]), p, o)
    want = [float(d.prefill_s(p) + d.decode_step_s(b - 1, ctx)) for b in (2, 64)]
    assert r["ttft_s"] == pytest.approx(want, rel=1e-12)


def test_search_tries_every_batch_size():
    assert batching.batches(7).tolist() == [1, 2, 3, 4, 5, 6, 7]
    c = inf.best_under_slo("llama-3.1-8b", "h100", prompt_tokens=1000, output_tokens=200,
                           slo_tpot_s=0.02, tp=1)
    assert c.candidates == batching.max_batch(c.deployment, 1200)


def test_slo_search_meets_targets_and_beats_every_batch():
    c = inf.best_under_slo("llama-3.1-70b", "h100", prompt_tokens=2048, output_tokens=256,
                           slo_tpot_s=0.05, slo_ttft_s=2.0)
    assert float(c.performance["tpot_s"]) <= 0.05
    d = c.deployment
    r = d.performance(batching.batches(batching.max_batch(d, 2304)), 2048, 256)
    ok = (r["tpot_s"] <= 0.05) & (r["ttft_s"] <= 2.0)
    assert np.max(r["output_tokens_per_s_per_accelerator"][ok]) == pytest.approx(
        float(c.performance["output_tokens_per_s_per_accelerator"]))


def test_moe_search_tries_attention_data_parallelism():
    assert batching.dp_options("llama-3.1-8b", "h100", 1) == [1]
    assert batching.dp_options("deepseek-v3", "h800", 1)[-1] == 32


def test_impossible_slo_names_best_achievable():
    with pytest.raises(InputError, match=r"best achievable: TPOT [\d.]+ ms"):
        inf.best_under_slo("llama-3.1-70b", "h100", prompt_tokens=2048, output_tokens=256,
                           slo_tpot_s=0.001)


def test_spread_outputs_decode_over_the_length_biased_context():
    """With output lengths of coefficient of variation c the batch holds long sequences more
    often: a decode step attends over p + (1 + c^2) o / 2, the step of fixed lengths at that
    context."""
    fixed = inf.Deployment.create("llama-3.1-70b", "h100", tp=4, precision="fp8")
    spread = inf.Deployment.create("llama-3.1-70b", "h100", tp=4, precision="fp8", output_cv=1.5)
    r = spread.performance(64, 1000, 2000)
    assert float(r["decode_step_s"]) == float(fixed.decode_step_s(64, 1000 + 3.25 * 1000))
    assert float(r["tpot_s"]) > float(fixed.performance(64, 1000, 2000)["tpot_s"])
    with pytest.raises(InputError, match="output_cv must be <= 10"):
        inf.Deployment.create("llama-3.1-70b", "h100", output_cv=11)


def test_offline_run_of_whole_waves_is_the_batch_rate():
    d = inf.Deployment.create("llama-3.1-8b", "h100", tp=1, precision="fp8")
    rate = float(d.performance(512, 1000, 1000)["output_tokens_per_s_per_replica"])
    run = batching.offline_run(d, 3 * 512, 512, 1000, 1000)
    assert run["waves"] == ((512, 3),)
    assert run["output_tokens_per_s_per_replica"] == pytest.approx(rate, rel=1e-12)
    assert run["seconds"] == pytest.approx(3 * 512 * 1000 / rate)
    assert run["output_tokens_per_s_per_accelerator"] == pytest.approx(rate / d.accelerators)


def test_offline_run_of_fewer_requests_than_the_batch_is_one_smaller_batch():
    d = inf.Deployment.create("llama-3.1-70b", "h200", tp=4, precision="fp8")
    run = batching.offline_run(d, 300, 2048, 128, 2048)
    small = float(d.performance(300, 128, 2048)["output_tokens_per_s_per_replica"])
    large = float(d.performance(2048, 128, 2048)["output_tokens_per_s_per_replica"])
    assert run["waves"] == ((300, 1),)
    assert run["output_tokens_per_s_per_replica"] == pytest.approx(small, rel=1e-12)
    assert run["output_tokens_per_s_per_replica"] < large


def test_offline_run_times_its_last_partial_wave():
    d = inf.Deployment.create("llama-3.1-8b", "h100", tp=1, precision="fp8")
    full = batching.offline_run(d, 2048, 2048, 128, 2048)
    run = batching.offline_run(d, 3000, 2048, 128, 2048)
    tail = batching.offline_run(d, 952, 952, 128, 2048)
    assert run["waves"] == ((2048, 1), (952, 1))
    assert run["seconds"] == pytest.approx(full["seconds"] + tail["seconds"], rel=1e-12)


@pytest.mark.parametrize("requests, batch", [(0, 8), (8, 0)])
def test_offline_waves_refuse_empty_runs(requests, batch):
    with pytest.raises(InputError, match="must be >= 1"):
        batching.offline_waves(requests, batch)
