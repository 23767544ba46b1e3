"""Experts touched by a batch and expert-parallel weights per accelerator."""

from dataclasses import replace

import numpy as np
import pytest

from siliconomics.errors import InputError
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


def test_hierarchical_hops_overlap_so_the_slower_link_sets_the_time():
    from siliconomics.workloads.serving import Deployment, step

    d = Deployment.create("deepseek-v3", "h800", tp=1, dp=32)
    m, tokens = d.model, 32 * 16384
    per = tokens / 32 * m.hidden_size * moe.ALLTOALL_BYTES
    eta = d.alltoall_efficiency  # prefill: DeepEP's throughput kernels
    inside = step.alltoall_s(per * moe.distinct_holders(8, m.active_experts), 8,
                             d.scaleup_bytes_per_s * eta, d.collective_latency_s)
    across = step.alltoall_s(per * moe.distinct_holders(4, m.active_experts), 4,
                             d.scaleout_bytes_per_s * eta, d.collective_latency_s)
    assert across > inside > 0  # H800: RDMA is the bottleneck, as DeepEP's table says
    got = float(moe.dispatch_s(d, tokens, hierarchical=True))
    assert got == pytest.approx(across)
    assert got < inside + across


def test_hierarchical_time_follows_the_bottleneck_link_only():
    from siliconomics.workloads.serving import Deployment

    d = Deployment.create("deepseek-v3", "h800", tp=1, dp=32)
    base = float(moe.dispatch_s(d, 32 * 16384, hierarchical=True))
    wider_nvlink = replace(d, scaleup_bytes_per_s=d.scaleup_bytes_per_s * 4)
    slower_rdma = replace(d, scaleout_bytes_per_s=d.scaleout_bytes_per_s / 2)
    starved_nvlink = replace(d, scaleup_bytes_per_s=d.scaleout_bytes_per_s / 8)
    assert float(moe.dispatch_s(wider_nvlink, 32 * 16384, hierarchical=True)) == \
        pytest.approx(base)
    assert float(moe.dispatch_s(slower_rdma, 32 * 16384, hierarchical=True)) > 1.9 * base
    assert float(moe.dispatch_s(starved_nvlink, 32 * 16384, hierarchical=True)) > base


@pytest.mark.parametrize("inside, across", [(0.0, 0.0), (1e-3, 5e-3), (7e-3, 2e-3),
                                            (np.array([1.0, 4.0]), np.array([3.0, 2.0]))])
def test_hierarchical_s_is_the_larger_hop(inside, across):
    got = moe.hierarchical_s(inside, across)
    assert np.all(got >= np.asarray(inside)) and np.all(got >= np.asarray(across))
    assert np.allclose(got, np.maximum(inside, across))


def test_hierarchical_s_rejects_negative_times():
    from siliconomics.errors import InputError

    with pytest.raises(InputError):
        moe.hierarchical_s(-1.0, 0.0)


def test_user_alltoall_efficiency_reaches_the_moe_pass():
    """The all-to-all efficiencies set by API keyword or --set reach dispatch and the pass."""
    from siliconomics import catalog
    from siliconomics.workloads.serving import Deployment

    kw = dict(tp=1, dp=32, precision="fp8")
    base = Deployment.create("deepseek-v3", "h800", **kw)
    slow = Deployment.create("deepseek-v3", "h800", alltoall_efficiency=0.3, **kw)
    assert float(slow.prefill_s(4096, 64)) > float(base.prefill_s(4096, 64))
    assert float(slow.decode_step_s(128, 4096)) == float(base.decode_step_s(128, 4096))
    with catalog.using(set={"serving.alltoall_efficiency_decode": 0.3}):
        slow_decode = Deployment.create("deepseek-v3", "h800", **kw)
    assert float(slow_decode.decode_step_s(128, 4096)) > float(base.decode_step_s(128, 4096))


def test_allgather_dispatch_by_hand():
    """TensorRT-LLM's CUTLASS MoE under attention DP 8: every rank gathers all T tokens
    (NVFP4 hidden states with their scales, and k expert ids and weights) and the BF16 outputs
    are reduce-scattered back, each a ring moving 7/8 of its buffer over NVLink, at NCCL's
    measured all-gather and reduce-scatter terms."""
    from siliconomics.workloads.serving import Deployment

    d = Deployment.create("qwen3-235b-a22b", "b200", tp=1, dp=8, precision="fp4",
                          moe_dispatch="allgather")
    m, t = d.model, 16384.0
    assert d.gather_latency_s != d.collective_latency_s  # NCCL's, not the custom all-reduce's
    bw = d.scaleup_bytes_per_s * d.gather_efficiency
    gathered = t * (m.hidden_size * 0.5625 + m.active_experts * 8.0)
    scattered = t * m.hidden_size * 2.0
    expected = 7 / 8 * (gathered + scattered) / bw + 2 * d.gather_latency_s
    assert moe.dispatch_s(d, t) == pytest.approx(expected, rel=1e-12)
    one = Deployment.create("qwen3-30b-a3b", "b200", tp=1, precision="fp4",
                            moe_dispatch="allgather")
    assert moe.dispatch_s(one, t) == 0.0  # one GPU holds every expert


def test_gather_terms_default_to_the_all_reduce_and_can_be_set():
    """An accelerator without measured NCCL collectives gathers at its all-reduce's terms; a
    slower or later gather (set by the caller) lengthens the dispatch and nothing else."""
    from siliconomics import catalog
    from siliconomics.workloads.serving import Deployment

    kw = dict(tp=1, dp=8, precision="fp8", moe_dispatch="allgather")
    amd = Deployment.create("qwen3-235b-a22b", "mi300x", **kw)
    assert amd.gather_efficiency == amd.communication_efficiency
    assert amd.gather_latency_s == amd.collective_latency_s
    base = Deployment.create("qwen3-235b-a22b", "h200", **kw)
    slow = Deployment.create("qwen3-235b-a22b", "h200", gather_efficiency=0.2,
                             gather_latency_us=50.0, **kw)
    assert float(moe.dispatch_s(slow, 4096)) > float(moe.dispatch_s(base, 4096))
    assert float(slow.decode_step_s(512, 1024)) > float(base.decode_step_s(512, 1024))
    a2a = Deployment.create("qwen3-235b-a22b", "h200", tp=1, dp=8, precision="fp8")
    a2a_slow = Deployment.create("qwen3-235b-a22b", "h200", tp=1, dp=8, precision="fp8",
                                 gather_efficiency=0.2)
    assert float(a2a_slow.decode_step_s(512, 1024)) == float(a2a.decode_step_s(512, 1024))
    with catalog.using(set={"serving.gather_latency_us": 50.0,
                            "serving.gather_efficiency": 0.2}):  # a user's --set, too
        via_set = Deployment.create("qwen3-235b-a22b", "h200", **kw)
    assert float(via_set.decode_step_s(512, 1024)) == float(slow.decode_step_s(512, 1024))
    with pytest.raises(InputError, match="gather_efficiency"):
        Deployment.create("qwen3-235b-a22b", "h200", gather_efficiency=1.5, **kw)


def test_only_an_all_to_all_spares_the_moe_kernel_the_tokens_it_does_not_route():
    """After an all-gather every rank's MoE kernel expands and combines all the replica's
    tokens; an all-to-all delivers only the routed copies, its own kernels doing that work."""
    from siliconomics.workloads.serving import Deployment, step

    kw = dict(tp=1, dp=8, precision="fp4")
    a2a = Deployment.create("qwen3-235b-a22b", "b200", **kw)
    ag = Deployment.create("qwen3-235b-a22b", "b200", moe_dispatch="allgather", **kw)
    t = 16384.0
    m = a2a.model
    routed = m.layers - m.dense_layers
    diff = float(step.forward_s(ag, t, 192, t) - step.forward_s(a2a, t, 192, t))
    expected = routed * (t * m.hidden_size * a2a.moe_token_bytes / a2a.hbm_bytes_per_s
                         + float(moe.dispatch_s(ag, t)) - float(moe.dispatch_s(a2a, t)))
    assert diff == pytest.approx(expected, rel=1e-9)


def test_an_unknown_moe_dispatch_names_the_known_ones():
    from siliconomics.workloads.serving import Deployment

    with pytest.raises(InputError, match="allgather"):
        Deployment.create("qwen3-235b-a22b", "b200", tp=1, dp=8, moe_dispatch="all-gather")
