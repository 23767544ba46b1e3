"""Invariants of the training models."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from siliconomics.workloads import parallelism, reliability
from siliconomics.workloads.parallelism import Layout, with_accelerators

MODELS = ["llama-3.1-8b", "llama-3.1-70b", "gpt-3-175b", "qwen2.5-72b"]


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(MODELS), st.sampled_from([1, 2, 4, 8]), st.sampled_from([1, 2, 4, 8]),
       st.integers(1, 6), st.sampled_from(["h100-sxm", "a100-sxm4-80gb", "b200"]),
       st.sampled_from([1, 2, 4]))
def test_more_accelerators_never_lower_throughput(model, tp, pp, log_dp, acc, per_replica):
    """Weak scaling with a fixed layout shape: doubling data parallelism never lowers FLOP/s
    (unless the doubling moves the gradient exchange from the scale-up links to the slower
    scale-out network, which can)."""
    from hypothesis import assume

    dp = 2**log_dp
    base = Layout(tp=tp, pp=pp, dp=dp, microbatch=1)
    domain = parallelism.Hardware.from_catalog(acc).scaleup_domain
    assume(not (pp == 1 and base.accelerators <= domain < 2 * base.accelerators))
    out = []
    for n in (base.accelerators, 2 * base.accelerators):
        lay = with_accelerators(base, n)
        s = parallelism.step_time(model, lay, acc, global_batch=lay.dp * per_replica * 4,
                                  seq_len=2048)
        out.append(s.model_flops_per_step / s.step_s)
    assert out[1] >= out[0] * (1 - 1e-12)


@given(st.floats(1e-7, 1e-3), st.floats(1.0001, 10.0), st.integers(1, 200_000),
       st.floats(0, 600), st.floats(0, 3600))
def test_goodput_falls_as_failures_rise(rate, factor, n, ckpt, restart):
    a = reliability.optimal_goodput(n, rate, ckpt, restart)["goodput"]
    b = reliability.optimal_goodput(n, rate * factor, ckpt, restart)["goodput"]
    assert 0 <= b <= a <= 1


@given(st.floats(1.0, 600.0), st.floats(600.0, 1e6))
def test_young_is_the_small_checkpoint_limit_of_daly(ckpt, mtbf):
    """Daly's interval tends to Young's sqrt(2 delta M) as delta / M -> 0."""
    young = reliability.young_interval(ckpt, mtbf)
    daly = reliability.daly_interval(ckpt, mtbf)
    x = ckpt / (2 * mtbf)
    assert np.isclose(daly, young * (1 + np.sqrt(x) / 3 + x / 9) - ckpt)
    if x < 1e-4:
        assert np.isclose(daly, young, rtol=0.02)


_LAYOUTS = st.tuples(st.sampled_from([1, 2, 4, 8]), st.sampled_from([2, 4, 8]),
                     st.sampled_from([1, 2, 4]), st.sampled_from([1, 2]))


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(MODELS), _LAYOUTS, st.sampled_from(["none", "selective", "full"]),
       st.sampled_from([0, 1, 2, 3]), st.sampled_from([2048, 8192]))
def test_a_memory_saving_option_never_raises_memory(model, shape, recompute, zero, seq):
    """More recomputation, a higher ZeRO stage or a smaller micro-batch never needs more memory."""
    tp, pp, dp, mb = shape
    base = Layout(tp=tp, pp=pp, dp=dp, microbatch=mb, recompute=recompute, zero=zero)
    order = ["none", "selective", "full"]

    def mem(lay):
        return parallelism.step_time(model, lay, "h100-sxm", global_batch=dp * mb * 8,
                                     seq_len=seq, explain=False).memory_gb["total"]

    m0 = mem(base)
    import dataclasses

    for rc in order[order.index(recompute):]:
        assert mem(dataclasses.replace(base, recompute=rc)) <= m0 * (1 + 1e-12)
    for z in range(zero, 4):
        assert mem(dataclasses.replace(base, zero=z)) <= m0 * (1 + 1e-12)
    assert mem(dataclasses.replace(base, microbatch=1)) <= m0 * (1 + 1e-12) or mb == 1


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(MODELS), _LAYOUTS, st.sampled_from([1, 2, 4]), st.sampled_from([2, 4]))
def test_interleaving_never_raises_the_bubble(model, shape, v, factor):
    tp, pp, dp, mb = shape
    import dataclasses

    base = Layout(tp=tp, pp=pp, dp=dp, microbatch=mb, interleave=v)
    more = dataclasses.replace(base, interleave=v * factor)
    kw = dict(global_batch=dp * mb * 16, seq_len=2048)
    a = parallelism.step_time(model, base, "h100-sxm", **kw).parts_s["bubble"]
    b = parallelism.step_time(model, more, "h100-sxm", **kw).parts_s["bubble"]
    assert b <= a * (1 + 1e-12)


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(MODELS), _LAYOUTS, st.sampled_from([1, 8]), st.floats(1.0, 8.0),
       st.sampled_from(["scaleup_gb_per_s", "scaleout_gb_per_s"]), st.sampled_from([1, 3]))
def test_more_bandwidth_never_slows_a_step(model, shape, cp, factor, link, zero):
    import dataclasses

    tp, pp, dp, mb = shape
    lay = Layout(tp=tp, pp=pp, dp=dp, cp=cp, microbatch=mb, zero=zero)
    hw = parallelism.Hardware.from_catalog("h100-sxm")
    fast = dataclasses.replace(hw, **{link: getattr(hw, link) * factor})
    kw = dict(global_batch=dp * mb * 4, seq_len=16384)
    a = parallelism.step_time(model, lay, hardware=hw, **kw).step_s
    b = parallelism.step_time(model, lay, hardware=fast, **kw).step_s
    assert b <= a * (1 + 1e-12)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 4096), st.sampled_from([1, 2, 4, 8, 16, 72]),
       st.sampled_from([4, 8, 16, 72]), st.sampled_from([8, 16, 72, 144]),
       st.floats(1.0, 100.0), st.floats(10.0, 2000.0))
def test_a_ring_across_domains_runs_between_one_nic_and_the_scale_up_links(
        group, stride, domain, larger, nic, link):
    """A data-parallel ring that leaves the scale-up domain is never slower than one
    accelerator's NIC nor faster than its scale-up links (or that NIC, if faster), and a
    larger domain, which holds more of the group's members and their NICs, never slows it."""
    out = nic * 1e9
    rates = []
    for d in (domain, max(domain, larger)):
        hw = parallelism.Hardware("x", 1e15, 80, link, d, nic)

        def up(g, hw=hw):
            return hw.group_gb_per_s(g) * 1e9

        rates.append(parallelism._ring_out_gb_per_s(group, stride, hw, up, out))
    assert out * (1 - 1e-12) <= rates[0] <= max(out, link * 1e9) * (1 + 1e-12)
    assert rates[1] >= rates[0] * (1 - 1e-12)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(MODELS), _LAYOUTS, st.sampled_from([0, 1, 2, 3]),
       st.floats(0.0, 1.0), st.floats(0.0, 1.0), st.sampled_from([1, 4, 16]))
def test_more_overlap_never_slows_a_step(model, shape, zero, a, b, per_replica):
    """Hiding a larger share of the data-parallel transfers behind compute never lengthens a
    step, whatever the ZeRO stage."""
    import dataclasses

    tp, pp, dp, mb = shape
    lay = Layout(tp=tp, pp=pp, dp=dp, microbatch=mb, zero=zero)
    hw = parallelism.Hardware.from_catalog("a100-sxm4-80gb")
    kw = dict(global_batch=dp * mb * per_replica, seq_len=2048)
    lo, hi = sorted((a, b))
    slow = parallelism.step_time(model, lay, hardware=dataclasses.replace(hw, dp_overlap=lo), **kw)
    fast = parallelism.step_time(model, lay, hardware=dataclasses.replace(hw, dp_overlap=hi), **kw)
    assert fast.step_s <= slow.step_s * (1 + 1e-12)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(MODELS), _LAYOUTS, st.floats(0.0, 1.0), st.floats(0.0, 1.0),
       st.sampled_from(["bf16", "fp8"]))
def test_hiding_more_tensor_parallel_traffic_never_slows_a_step(model, shape, a, b, precision):
    """A larger share of the tensor-parallel collectives overlapped with the GEMMs never
    lengthens a step, and the share not overlapped stays exposed."""
    tp, pp, dp, mb = shape
    kw = dict(global_batch=dp * mb * 4, seq_len=4096, precision=precision)
    lo, hi = sorted((a, b))
    none, slow, fast = (parallelism.step_time(model, Layout(tp=tp, pp=pp, dp=dp, microbatch=mb,
                                                            tp_overlap=x), "h100-sxm", **kw)
                        for x in (0.0, lo, hi))
    assert fast.step_s <= slow.step_s * (1 + 1e-12) <= none.step_s * (1 + 2e-12)
    # what is hidden is at most the overlapped share; the rest stays exposed
    assert fast.parts_s["tp"] >= (1.0 - hi) * none.parts_s["tp"] * (1 - 1e-12)
    if tp == 1:
        assert none.step_s == fast.step_s


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(MODELS), _LAYOUTS, st.floats(0.0, 1.0), st.sampled_from([1, 4, 16]),
       st.sampled_from(["h100-sxm", "a100-sxm4-80gb"]))
def test_zero3_never_beats_zero2_on_time(model, shape, overlap, per_replica, acc):
    """ZeRO-3 moves the ZeRO-2 traffic and more (the parameters gathered again in every
    micro-batch) over the same links behind the same compute: never a shorter step."""
    import dataclasses

    tp, pp, dp, mb = shape
    hw = dataclasses.replace(parallelism.Hardware.from_catalog(acc), dp_overlap=overlap)
    kw = dict(hardware=hw, global_batch=dp * mb * per_replica, seq_len=2048)
    z2 = parallelism.step_time(model, Layout(tp=tp, pp=pp, dp=dp, microbatch=mb, zero=2), **kw)
    z3 = parallelism.step_time(model, Layout(tp=tp, pp=pp, dp=dp, microbatch=mb, zero=3), **kw)
    assert z3.step_s >= z2.step_s * (1 - 1e-12)


GEMM_DIMS = st.sampled_from([64, 128, 256, 512, 768, 1024, 2048, 3584, 4096, 8192, 16384])


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["a100-sxm4-80gb", "h100-sxm", "h200"]), GEMM_DIMS, GEMM_DIMS,
       GEMM_DIMS, st.sampled_from([0, 1, 2]))
def test_a_larger_gemm_is_never_less_efficient(acc, m, n, k, grow):
    """Growing any one dimension of a GEMM never lowers its share of the peak, and no GEMM
    beats the wide-GEMM efficiency the model is calibrated on (shape factor at most 1)."""
    hw = parallelism.Hardware.from_catalog(acc)
    peak, bw = hw.bf16_flop_per_s, hw.hbm_tb_per_s * 1e12
    dims = [m, n, k]
    small = hw.gemm.share_of_peak([tuple(dims)], peak, bw)
    dims[grow] *= 2
    large = hw.gemm.share_of_peak([tuple(dims)], peak, bw)
    assert large >= small * (1 - 1e-12)
    assert parallelism.gemm_shape_factor(hw.gemm, [tuple(dims)], peak, bw) <= 1.0 + 1e-12


@settings(max_examples=150, deadline=None)
@given(st.floats(1e-6, 1e-1), st.integers(1, 10_000), st.floats(0.5, 1000.0),
       st.floats(1.0001, 10.0))
def test_the_repair_wait_is_bounded_and_shrinks_with_spares(rate, units, repair_h, factor):
    """A failure waits at most one repair and never longer for a larger pool; a longer repair
    never shortens the wait."""
    w = reliability.repair_wait_h(rate, 1, units, repair_h)
    assert 0.0 <= w <= repair_h * (1 + 1e-12)
    assert reliability.repair_wait_h(rate, 1, units + 1, repair_h) <= w * (1 + 1e-12)
    assert reliability.repair_wait_h(rate, 1, units, repair_h * factor) >= w * (1 - 1e-12)


@settings(max_examples=60, deadline=None)
@given(st.integers(1_000, 400_000), st.sampled_from([1, 8, 64, 72]), st.integers(0, 20_000),
       st.floats(1.0, 500.0), st.floats(1.0001, 5.0), st.sampled_from(["restart", "replica"]))
def test_cluster_goodput_falls_with_failures_and_repairs_and_rises_with_spares(
        n, blast, spares, repair_h, factor, recovery):
    rates = reliability.component_rates()
    kw = dict(blast=blast, checkpoint_s=30.0, restart_s=300.0, recovery=recovery, replica=128,
              reconfigure_s=60.0)

    def g(rates=rates, spares=spares, repair_h=repair_h):
        out = reliability.cluster_goodput(n, rates=rates, spares=spares, repair_h=repair_h,
                                          **kw)["goodput"]
        assert 0.0 <= out <= 1.0
        return out

    base = g()
    assert g(rates={k: v * factor for k, v in rates.items()}) <= base * (1 + 1e-12)
    assert g(repair_h=repair_h * factor) <= base * (1 + 1e-12)
    assert g(spares=spares + blast * 10) >= base * (1 - 1e-12)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 64), st.integers(1, 16), st.integers(1, 512))
def test_a_pipeline_bubble_shrinks_with_interleaving_and_micro_batches(p, v, m):
    """More model chunks a rank or more micro-batches a step never raise the bubble; the
    interleaved schedule's (p-1)/(vm) is the least it can be, reached once m >= p; one
    micro-batch idles p - 1 stages' worth whatever the interleaving."""
    b = parallelism.bubble_fraction(p, v, m)
    assert parallelism.bubble_fraction(p, v + 1, m) <= b * (1 + 1e-12)
    assert parallelism.bubble_fraction(p, v, m + 1) <= b * (1 + 1e-12)
    assert b >= (p - 1) / (v * m) * (1 - 1e-12)
    if m >= p:
        assert b == pytest.approx((p - 1) / (v * m), rel=1e-12)
    assert parallelism.bubble_fraction(p, v, 1) == pytest.approx(p - 1)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 8192), st.integers(1, 72), st.integers(1, 72), st.integers(0, 3))
def test_a_ring_takes_longer_over_more_ranks_and_less_over_fuller_domains(group, per, more,
                                                                          torus):
    """NCCL's ring latency never falls as the group grows, never rises as each scale-up domain
    holds more of its members (fewer network steps), and is zero for one rank."""
    hw = parallelism.Hardware("x", 1e15, 80, 450.0, 4096 if torus else 72, 50.0,
                              torus_dims=torus, collective_base_s=8.4e-6,
                              collective_step_s=3.4e-6, collective_net_step_s=14e-6)
    t = parallelism.ring_latency_s(group, per, hw)
    assert parallelism.ring_latency_s(group + 1, per, hw) >= t * (1 - 1e-12)
    assert parallelism.ring_latency_s(group, max(per, more), hw) <= t * (1 + 1e-12)
    assert (t == 0.0) == (group == 1)
