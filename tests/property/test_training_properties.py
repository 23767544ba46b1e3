"""Invariants of the training models."""

import numpy as np
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
    """Weak scaling with a fixed layout shape: doubling data parallelism never lowers FLOP/s."""
    dp = 2**log_dp
    base = Layout(tp=tp, pp=pp, dp=dp, microbatch=1)
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
