"""Replica memory: KV copies over tensor parallelism and the batch that fits."""

import math

import pytest

from siliconomics.errors import InputError
from siliconomics.workloads import serving as inf
from siliconomics.workloads.serving import kv


def test_mla_kv_is_replicated_over_tp_and_gqa_split():
    assert inf.Deployment.create("deepseek-v3", "h200", tp=8).kv_replication == 8
    m = inf.Deployment.create("llama-3.1-70b", "h100", tp=8).model
    assert kv.kv_replication(m, 8) == 1 and kv.kv_replication(m, 16) == 2


def test_memory_plan_by_hand():
    d = inf.Deployment.create("llama-2-70b", "h200", tp=1, precision="fp8")
    ctx = 2048
    plan = kv.memory_plan(d, ctx)
    # "141 GB" of HBM are 141 GiB (memory dies hold powers of two of Gbit)
    free = 141 * 2**30 * d.memory_usable_fraction - d.weights_bytes - plan.activation_bytes
    assert plan.max_batch == math.floor(free / (ctx * d.model.kv_bytes_per_token("fp8")))
    assert plan.replicas_per_server == 8


def test_attention_dp_replicates_dense_weights_not_experts():
    one = inf.Deployment.create("deepseek-v3", "h200", tp=8, dp=1)
    two = inf.Deployment.create("deepseek-v3", "h200", tp=8, dp=2)
    from siliconomics.workloads.serving.moe import routed_params

    dense = (one.model.params_total - routed_params(one.model)) * 1.0
    assert two.weights_bytes - one.weights_bytes == pytest.approx(dense)


def test_accelerator_memory_is_counted_in_gib():
    """Vendors' memory "GB" are GiB (dies of 2^n Gbit; nvidia-smi shows 81,920 MiB on an
    80 GB A100): the memory plan counts 2^30 bytes each, 7.4% more than 10^9."""
    for slug, gb in (("a100", 80), ("h200", 141), ("mi300x", 192)):
        d = inf.Deployment.create("llama-3.1-8b", slug)
        assert d.hbm_capacity_bytes == gb * 2**30


def test_memory_plan_by_hand_with_the_free_memory_convention():
    """TensorRT-LLM's convention: the KV cache takes the usable share of what the weights and
    activations leave, not of all memory; on a pair of A100s holding 70B FP16 weights that is
    2.5 times the KV cache."""
    total = inf.Deployment.create("llama-3.1-70b", "a100", tp=2, precision="fp16")
    free = inf.Deployment.create("llama-3.1-70b", "a100", tp=2, precision="fp16",
                                 kv_memory="free")
    ctx = 2176
    plan = kv.memory_plan(free, ctx)
    left = 2 * 80 * 2**30 - free.weights_bytes - plan.activation_bytes
    assert plan.max_batch == math.floor(left * free.memory_usable_fraction
                                        / plan.kv_bytes_per_sequence)
    assert plan.usable_bytes == pytest.approx(free.weights_bytes + plan.activation_bytes
                                              + left * free.memory_usable_fraction)
    assert plan.max_batch > 2 * kv.memory_plan(total, ctx).max_batch
    with pytest.raises(InputError, match="did you mean 'free'"):
        inf.Deployment.create("llama-3.1-8b", "h100", kv_memory="fre")


def test_pipeline_stages_split_the_weights_and_hold_more_sequences():
    one = inf.Deployment.create("llama-3.1-405b", "h200", tp=4, precision="fp8")
    two = inf.Deployment.create("llama-3.1-405b", "h200", tp=4, pp=2, precision="fp8")
    a, b = one.memory_plan(10_000), two.memory_plan(10_000)
    assert two.accelerators == 8 and b.weights_bytes == a.weights_bytes
    assert b.usable_bytes == pytest.approx(2 * a.usable_bytes)
    assert b.max_batch > 2 * a.max_batch  # the weights' share of each stage is half


def test_widely_spread_outputs_size_the_slot_at_the_mean_in_flight():
    """Up to c = 1 a batch slot holds the final length p + o; beyond, the sequences in flight
    hold more on average, p + (1 + c^2) o / 2, and fewer of them fit."""
    d = inf.Deployment.create("llama-3.1-70b", "h200", tp=2, precision="fp8")
    wide = inf.Deployment.create("llama-3.1-70b", "h200", tp=2, precision="fp8", output_cv=2.0)
    narrow = inf.Deployment.create("llama-3.1-70b", "h200", tp=2, precision="fp8", output_cv=1.0)
    assert narrow.kv_tokens(1000, 3000) == d.kv_tokens(1000, 3000) == 4000.0
    assert wide.kv_tokens(1000, 3000) == 1000.0 + 5 * 1500
    r = inf.estimate("llama-3.1-70b", "h200", tp=2, batch=8, prompt_tokens=1000,
                     output_tokens=3000, output_cv=2.0, rental_usd_per_hour=2.0)
    assert r.plan.max_batch == wide.memory_plan(8500).max_batch < d.memory_plan(4000).max_batch
