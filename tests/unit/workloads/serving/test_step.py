"""Pass times: collectives, roofline, M/D/1 queue, and a forward pass by hand."""

from dataclasses import replace

import numpy as np
import pytest

from siliconomics.workloads import serving as inf
from siliconomics.workloads.serving import moe, step


def test_allreduce_ring_formula_and_single_rank():
    assert inf.allreduce_s(8e6, 4, 1e9, 1e-5) == pytest.approx(2 * 3 / 4 * 8e6 / 1e9 + 1e-5)
    assert inf.allreduce_s(8e6, 1, 1e9, 1e-5) == 0.0
    assert inf.allreduce_s(np.array([1e6, 2e6]), 2, 1e9) == pytest.approx([1e-3, 2e-3])


def test_allreduce_on_floats_is_bitwise_the_array_result():
    """The float path (used by the layout search) computes exactly what the array path does."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=200, deadline=None)
    @given(st.floats(0.0, 1e12), st.integers(1, 4096), st.floats(1e6, 1e13),
           st.sampled_from([0.0, 3.1e-6, 1e-5]))
    def check(m, n, bw, lat):
        scalar = inf.allreduce_s(m, n, bw, lat)
        array = inf.allreduce_s(np.array([m, m]), np.array([n, n]), bw, lat)
        assert isinstance(scalar, float) and scalar == array[0]

    check()


def test_alltoall_formula():
    assert step.alltoall_s(4e6, 4, 1e9, 2e-6) == pytest.approx(3 / 4 * 4e6 / 1e9 + 2e-6)
    assert step.alltoall_s(4e6, 1, 1e9, 2e-6) == 0.0


def test_phase_time_takes_the_max_of_compute_and_memory():
    kw = dict(accelerators=2, peak_flop_per_s=1e15, hbm_bytes_per_s=1e12, compute_efficiency=0.5,
              bandwidth_efficiency=0.8)
    assert inf.phase_time_s(1e15, 1e12, **kw) == pytest.approx(1.0)
    assert inf.phase_time_s(1e14, 1e12, communication_s=0.1, overhead_s=0.01, **kw) == \
        pytest.approx(0.625 + 0.11)


def test_md1_wait_formula_and_saturation():
    assert step.queue_wait_s(5.0, 0.1) == pytest.approx(0.5 * 0.1 / (2 * 0.5))
    assert step.queue_wait_s(10.0, 0.1) == np.inf
    assert step.queue_wait_s(9.0, 0.1) > step.queue_wait_s(8.0, 0.1)


def test_decode_pass_by_hand_dense_single_gpu():
    d = inf.Deployment.create("llama-3.1-8b", "h100", tp=1, precision="fp8")
    m, b, s = d.model, 1, 1000
    dense = d.dense_weight_bytes / (d.hbm_bytes_per_s * d.bandwidth_efficiency)
    kv = s * d.kv_bytes_per_token(s) / (d.hbm_bytes_per_s * d.kv_bandwidth_efficiency)
    overhead = m.layers * d.layer_overhead_s + d.step_overhead_s
    assert float(step.forward_s(d, b, s, b)) == pytest.approx(dense + kv + overhead, rel=1e-3)


def test_tp_adds_per_layer_allreduce_latency():
    d = inf.Deployment.create("llama-3.1-70b", "h100", tp=8)
    slow = d.with_efficiency(collective_latency_s=d.collective_latency_s + 1e-5)
    extra = float(step.forward_s(slow, 1, 1000, 1)) - float(step.forward_s(d, 1, 1000, 1))
    assert extra == pytest.approx(2 * d.model.layers * 1e-5)


def test_expert_all_to_all_across_servers_uses_scaleout():
    from siliconomics.workloads.serving import moe

    one = inf.Deployment.create("deepseek-v3", "h800", tp=1, dp=8)
    four = inf.Deployment.create("deepseek-v3", "h800", tp=1, dp=32)
    assert four.spans_scaleup_domain and not one.spans_scaleup_domain
    per = 128 * four.model.hidden_size * moe.ALLTOALL_BYTES
    want = step.alltoall_s(per * moe.distinct_holders(32, 8), 32,
                           four.scaleout_bytes_per_s * four.alltoall_efficiency_decode,
                           four.collective_latency_s)  # decode: the low-latency kernels
    assert float(moe.dispatch_s(four, 32 * 128)) == pytest.approx(want)
    assert float(moe.dispatch_s(four, 32 * 128, hierarchical=True)) < want
    assert float(moe.dispatch_s(inf.Deployment.create("deepseek-v3", "h800", tp=8), 128)) == 0.0
    # the all-to-all has its own measured efficiencies, not the all-reduce's
    assert four.alltoall_efficiency_decode < four.alltoall_efficiency
    assert four.alltoall_efficiency != four.communication_efficiency
    slower = replace(four, alltoall_efficiency_decode=four.alltoall_efficiency_decode / 2)
    assert float(moe.dispatch_s(slower, 32 * 128)) > float(moe.dispatch_s(four, 32 * 128))


def test_blended_roofline_rounds_the_corner_only():
    assert float(step.blended_roofline(3.0, 4.0, 2.0)) == pytest.approx(5.0)
    assert float(step.blended_roofline(3.0, 4.0, np.inf)) == 4.0
    far = float(step.blended_roofline(1.0, 100.0, 2.0))
    assert far == pytest.approx(100.0, rel=1e-4)  # far from the ridge: the larger bound
    assert float(step.blended_roofline(0.0, 0.0, 2.0)) == 0.0


def test_attention_served_wider_than_the_matmuls_runs_at_that_formats_peak():
    import dataclasses

    from siliconomics.workloads.models import Model

    # DeepSeek-V3 serves MLA in BF16 under FP8 matmuls (its catalog entry says so)
    d = inf.Deployment.create("deepseek-v3", "h100", tp=1, dp=32, precision="fp8",
                              max_num_tokens=16384)
    assert d.attention_peak_flop_per_s == pytest.approx(d.peak_flop_per_s / 2, rel=0.01)
    # the same model served with its attention in the matmuls' format: a faster prefill, by
    # no more than the attention core's share
    fp8_attention = dataclasses.replace(d, attention_peak_flop_per_s=None)
    slow, fast = float(d.prefill_s(4000, 131)), float(fp8_attention.prefill_s(4000, 131))
    assert fast < slow < 1.2 * fast
    # BF16 matmuls: nothing wider, no separate peak
    assert inf.Deployment.create("deepseek-v3", "h100", tp=8, dp=4,
                                 precision="bf16").attention_peak_flop_per_s is None
    # models without the field keep one peak
    assert Model.from_catalog("llama-3.1-70b").attention_precision == ""
    assert inf.Deployment.create("llama-3.1-70b", "h100", tp=8,
                                 precision="fp8").attention_peak_flop_per_s is None


def test_a_users_attention_precision_reaches_the_deployment(tmp_path):
    """A catalog patch of a model's attention_precision (--catalog) changes its served peak."""
    from siliconomics import catalog

    f = tmp_path / "attention.toml"
    f.write_text('[models.deepseek-v3]\n'
                 'attention_precision = { value = "fp8", source = "test", as_of = "2026" }\n')
    kw = dict(tp=1, dp=32, precision="fp8", max_num_tokens=16384)
    bf16 = inf.Deployment.create("deepseek-v3", "h100", **kw)
    with catalog.using(f):
        fp8 = inf.Deployment.create("deepseek-v3", "h100", **kw)
    assert bf16.attention_peak_flop_per_s is not None and fp8.attention_peak_flop_per_s is None
    assert float(fp8.prefill_s(4000, 131)) < float(bf16.prefill_s(4000, 131))


def test_a_pipeline_pass_is_its_stages_steps_by_hand():
    """pp stages: pp steps of the busiest stage on one micro-batch (its ceil(L/pp) layers'
    share of the weights, attention and per-layer terms, the per-pass overhead once per step)
    plus the send of the micro-batch to the next stage."""
    d = inf.Deployment.create("llama-3.1-70b", "h100", tp=4, pp=3, precision="fp8")
    m = d.model
    tokens, context = 96.0, 3000.0
    mb = tokens / 3
    share = 27 / 80  # ceil(80 / 3) layers of 80
    one = replace(d, pp=1)
    dense = step._roofline(2 * mb * one.dense_active_params / 4 * share,
                           one.dense_weight_bytes / 4 * share, one)
    kv_tok = one.kv_bytes_per_token(context) / 4 * share
    attention = step._roofline(mb * m.attention_core_flops(context) / 4 * share,
                               mb * context * kv_tok, one, one.kv_bandwidth_efficiency)
    comm = 2 * 27 * inf.allreduce_s(mb * m.hidden_size * 2.0, 4,
                                    one.scaleup_bytes_per_s * one.communication_efficiency,
                                    one.collective_latency_s)
    overhead = 27 * one.layer_overhead_s + one.step_overhead_s
    # 12 accelerators span more than the 8-GPU server: stage sends go over the scale-out network
    send = mb * m.hidden_size * 2.0 / (d.scaleout_bytes_per_s * d.communication_efficiency) \
        + d.collective_latency_s
    expected = 3 * (dense + attention + comm + overhead + send)
    assert float(step.forward_s(d, tokens, context, tokens)) == pytest.approx(float(expected),
                                                                              rel=1e-12)


def test_a_moe_pipeline_stage_holds_routed_layers_by_hand():
    """DeepSeek-V3 in 2 stages of TP4 x DP2: the busiest stage holds ceil(61 / 2) = 31 layers,
    all routed (58 of 61 are), so its experts (their GEMMs and the expert block's own kernels)
    and expert all-to-alls are 31/58 of the whole
    model's, over the stage's own 8 accelerators; the rest is a 31/61 share as for dense."""
    d = inf.Deployment.create("deepseek-v3", "h200", tp=4, dp=2, pp=2, precision="fp8")
    m = d.model
    assert (d.stage_layers, d.stage_accelerators) == (31, 8)
    tokens, context = 512.0, 3000.0
    mb = tokens / 2
    one = replace(d, pp=1)
    whole = float(step._pass_s(one, mb, context, mb, 0.0, False, m.layers))
    stage = float(step._pass_s(d, mb, context, mb, 0.0, False, 31))
    experts = step._roofline(moe.routed_flops_per_accelerator(m, mb, 8),
                             moe.routed_bytes_per_accelerator(m, mb, 8, 1.0), d) + 58 * (
        d.moe_layer_overhead_s + moe.routed_activation_bytes_per_accelerator(
            m, mb, 8, d.moe_activation_bytes) / d.hbm_bytes_per_s)
    dispatch = float(moe.dispatch_s(d, mb))
    assert dispatch == pytest.approx(float(moe.dispatch_s(one, mb)))  # 8 ranks either way
    share = 31 / 61
    rest_whole = whole - float(experts) - 58 * dispatch
    rest_stage = stage - float(experts) * 31 / 58 - 31 * dispatch
    # everything outside the experts scales with the stage's layers (the per-pass overhead once)
    assert rest_stage - d.step_overhead_s == pytest.approx(
        (rest_whole - one.step_overhead_s) * share, rel=1e-9)
    link = d.scaleout_bytes_per_s  # 16 accelerators span two 8-GPU servers
    send = mb * m.hidden_size * 2.0 / (link * d.communication_efficiency) + d.collective_latency_s
    assert float(step.forward_s(d, tokens, context, tokens)) == pytest.approx(
        2 * (stage + send), rel=1e-12)


def test_pipeline_stages_never_speed_up_one_sequence():
    """One sequence's token still crosses every layer: stages only add step overheads and sends."""
    for model, acc in (("llama-3.1-8b", "h100"), ("llama-3.1-70b", "b200")):
        t1 = inf.Deployment.create(model, acc, tp=2, precision="fp8").decode_step_s(1, 4096)
        for pp in (2, 4):
            d = inf.Deployment.create(model, acc, tp=2, pp=pp, precision="fp8")
            assert float(d.decode_step_s(1, 4096)) > float(t1)


def test_mla_decode_attends_over_the_latent_and_prefill_per_head():
    """DeepSeek-V3 decode: scores over 576 and values over 512 latent dimensions in each of 128
    heads, 2 h s (576 + 512) FLOPs per token and layer; prefill keeps the per-head form."""
    d = inf.Deployment.create("deepseek-v3", "h800", tp=1, dp=8, precision="fp8")
    m = d.model
    assert m.attention_core_flops(1000, absorbed=True) == pytest.approx(
        2 * 128 * 1000 * (576 + 512) * m.layers)
    assert m.attention_core_flops(1000) == pytest.approx(4 * 1000 * 128 * (128 + 32) * m.layers)
    llama = inf.Deployment.create("llama-3.1-70b", "h100", tp=8).model
    assert llama.attention_core_flops(1000, absorbed=True) == llama.attention_core_flops(1000)


def test_the_moe_expert_block_adds_its_kernels_by_hand():
    """A MoE pass adds, per MoE layer, the expert block's fixed time, its activation bytes
    (tokens x k / accelerators routed copies, 2 I + h outputs each) and its bytes per hidden
    element of every token (all of them on one GPU) at the full HBM bandwidth; dense models
    have none of it."""
    from siliconomics.workloads.serving import Deployment

    d = Deployment.create("qwen3-30b-a3b", "b200", tp=1, precision="fp4")
    assert d.moe_layer_overhead_s > 0 and d.moe_activation_bytes > 0 and d.moe_token_bytes > 0
    bare = replace(d, moe_layer_overhead_s=0.0, moe_activation_bytes=0.0, moe_token_bytes=0.0)
    m = d.model
    for tokens in (1.0, 2048.0):
        extra = float(step.forward_s(d, tokens, 512, tokens)
                      - step.forward_s(bare, tokens, 512, tokens))
        per_layer = d.moe_layer_overhead_s + (tokens * 8 * (2 * 768 + 2048)
                                              * d.moe_activation_bytes
                                              + tokens * 2048 * d.moe_token_bytes) \
            / d.hbm_bytes_per_s
        assert extra == pytest.approx((m.layers - m.dense_layers) * per_layer, rel=1e-9)
    dense = Deployment.create("llama-3.1-8b", "b200", tp=1, precision="fp4")
    assert float(step.forward_s(dense, 64, 512, 64)) == float(step.forward_s(
        replace(dense, moe_layer_overhead_s=1.0, moe_activation_bytes=1e6, moe_token_bytes=1e6),
        64, 512, 64))
