"""Invariants of the serving model (hypothesis)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from siliconomics import catalog
from siliconomics.errors import InputError
from siliconomics.workloads import serving as inf
from siliconomics.workloads.models import Model

MODELS = st.sampled_from(["llama-3.1-8b", "llama-2-70b", "llama-3.1-70b", "mixtral-8x7b",
                          "deepseek-v3", "qwen2.5-72b"])
ACCS = st.sampled_from(["h100-sxm", "h200", "b200", "mi300x", "a100-sxm4-80gb"])
PRECISIONS = st.sampled_from(["bf16", "fp8", "fp4"])
TPS = st.sampled_from([1, 2, 4, 8])


def _deployment(model, acc, prec, tp):
    return inf.Deployment.create(model, acc, tp=tp, precision=prec)


@settings(max_examples=60, deadline=None)
@given(MODELS, ACCS, PRECISIONS, TPS, st.integers(1, 4096),
       st.lists(st.integers(1, 200_000), min_size=2, max_size=12))
def test_decode_step_never_falls_as_context_grows(model, acc, prec, tp, batch, contexts):
    d = _deployment(model, acc, prec, tp)
    s = np.sort(np.array(contexts, dtype=float))
    t = d.decode_step_s(batch, s)
    assert np.all(np.diff(t) >= -1e-15 * t[1:])


@settings(max_examples=60, deadline=None)
@given(MODELS, ACCS, PRECISIONS, TPS, st.integers(1, 8192), st.integers(1, 4096))
def test_throughput_never_falls_as_batch_grows_until_memory_runs_out(model, acc, prec, tp,
                                                                     prompt, output):
    d = _deployment(model, acc, prec, tp)
    plan = d.memory_plan(prompt + output)
    if not plan.fits:
        return
    b = np.arange(1, min(plan.max_batch, 2048) + 1, dtype=float)
    thr = d.performance(b, prompt, output)["output_tokens_per_s_per_accelerator"]
    assert np.all(np.diff(thr) >= -1e-9 * thr[1:])


@settings(max_examples=40, deadline=None)
@given(ACCS, st.floats(0.01, 1.0), st.one_of(st.none(), st.floats(0.5, 20.0)))
def test_cost_at_partial_load_never_below_full_load(acc, utilization, rental):
    d = inf.Deployment.create("llama-3.1-8b", acc, tp=1)
    perf = d.performance(32, 1024, 256)
    full = inf.token_costs(perf, inf.accelerator_hour_usd(acc, utilization=1.0,
                                                          rental_usd_per_hour=rental),
                           prompt_tokens=1024, output_tokens=256)
    part = inf.token_costs(perf, inf.accelerator_hour_usd(acc, utilization=utilization,
                                                          rental_usd_per_hour=rental),
                           prompt_tokens=1024, output_tokens=256)
    for k in full:
        assert part[k] >= full[k] * (1 - 1e-12)


@settings(max_examples=40, deadline=None)
@given(MODELS, ACCS, PRECISIONS, TPS, st.integers(1, 8192), st.integers(1, 2048))
def test_tpot_never_falls_and_ttft_positive_as_batch_grows(model, acc, prec, tp, prompt, output):
    d = _deployment(model, acc, prec, tp)
    b = np.arange(1, 513, dtype=float)
    r = d.performance(b, prompt, output)
    assert np.all(np.diff(r["tpot_s"]) >= 0)
    assert np.all(r["ttft_s"] > 0)


@settings(max_examples=40, deadline=None)
@given(MODELS, ACCS, TPS, st.integers(1, 100_000))
def test_fewer_bits_never_shrink_the_batch_that_fits(model, acc, tp, context):
    sizes = [_deployment(model, acc, p, tp).memory_plan(context).max_batch
             for p in ("bf16", "fp8", "fp4")]
    assert sizes[0] <= sizes[1] <= sizes[2]



@settings(max_examples=40, deadline=None)
@given(MODELS, ACCS, PRECISIONS, TPS, st.integers(1, 100_000))
def test_the_free_memory_convention_never_holds_fewer_sequences(model, acc, prec, tp, context):
    """A share of what the weights leave is never less than the same share of all memory less
    the weights: (1 - f)(weights + activations) more bytes for the KV cache."""
    total = _deployment(model, acc, prec, tp).memory_plan(context)
    free = inf.Deployment.create(model, acc, tp=tp, precision=prec,
                                 kv_memory="free").memory_plan(context)
    assert free.max_batch >= total.max_batch


@settings(max_examples=60, deadline=None)
@given(MODELS, ACCS, PRECISIONS, TPS, st.integers(1, 512), st.integers(1, 64_000),
       st.integers(1, 64_000), st.integers(1, 2048),
       st.one_of(st.none(), st.floats(0.0, 50.0)))
def test_a_longer_prompt_never_lowers_ttft(model, acc, prec, tp, batch, p1, p2, output, rate):
    d = _deployment(model, acc, prec, tp)
    lo, hi = sorted((p1, p2))
    a = float(d.performance(batch, lo, output, arrival_rate_per_s=rate)["ttft_s"])
    b = float(d.performance(batch, hi, output, arrival_rate_per_s=rate)["ttft_s"])
    assert b >= a * (1 - 1e-12)


@settings(max_examples=60, deadline=None)
@given(MODELS, ACCS, PRECISIONS, TPS, st.integers(1, 2048), st.integers(1, 8192),
       st.integers(1, 4096), st.floats(1.0, 4.0), st.sampled_from(["hbm", "scaleup", "scaleout"]))
def test_more_bandwidth_never_lowers_throughput(model, acc, prec, tp, batch, prompt, output,
                                                factor, which):
    from dataclasses import replace

    d = _deployment(model, acc, prec, tp)
    field = {"hbm": "hbm_bytes_per_s", "scaleup": "scaleup_bytes_per_s",
             "scaleout": "scaleout_bytes_per_s"}[which]
    faster = replace(d, **{field: getattr(d, field) * factor})
    a = float(d.performance(batch, prompt, output)["output_tokens_per_s_per_accelerator"])
    b = float(faster.performance(batch, prompt, output)["output_tokens_per_s_per_accelerator"])
    assert b >= a * (1 - 1e-12)


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(["h100-sxm", "h800", "h200", "gb200"]), st.sampled_from([1, 2, 4, 8]),
       st.sampled_from([1, 2, 4, 8, 16]), st.integers(1, 4096), st.integers(1, 2048))
def test_moe_throughput_per_accelerator_never_falls_with_batch(acc, tp, dp, prompt, output):
    d = inf.Deployment.create("deepseek-v3", acc, tp=tp, dp=dp, precision="fp8")
    mb = min(d.memory_plan(prompt + output).max_batch, 2048)
    if mb < 2:
        return
    thr = d.performance(np.arange(1, mb + 1, dtype=float), prompt,
                        output)["output_tokens_per_s_per_accelerator"]
    assert np.all(np.diff(thr) >= -1e-9 * thr[1:])


_CATALOG_MODELS = st.sampled_from(sorted(e.slug for e in catalog.load().entries("models")))


@settings(max_examples=60, deadline=None)
@given(_CATALOG_MODELS, st.sampled_from(["h100-sxm", "gb200", "mi300x", "tpu-v5p"]))
def test_every_searched_tp_splits_the_heads_and_every_other_is_refused(model, acc):
    m = Model.from_catalog(model)
    searched = inf.tp_options(acc, m)
    assert searched and searched[0] == 1
    for tp in inf.tp_options(acc):
        if tp in searched:
            assert m.heads % tp == 0
            assert inf.Deployment.create(m, acc, tp=tp).tp == tp
        else:
            with pytest.raises(InputError, match="tensor parallelism"):
                inf.Deployment.create(m, acc, tp=tp)


STAGED = st.sampled_from(["llama-3.1-8b", "llama-2-70b", "llama-3.1-70b", "qwen2.5-72b",
                          "llama-3.1-405b", "mixtral-8x7b", "deepseek-v3"])


@settings(max_examples=40, deadline=None)
@given(STAGED, ACCS, PRECISIONS, TPS, st.integers(1, 100_000))
def test_more_pipeline_stages_never_shrink_the_batch_that_fits(model, acc, prec, tp, context):
    sizes = [inf.Deployment.create(model, acc, tp=tp, pp=pp, precision=prec)
             .memory_plan(context).max_batch for pp in (1, 2, 4)]
    assert sizes[0] <= sizes[1] <= sizes[2]


@settings(max_examples=40, deadline=None)
@given(STAGED, ACCS, PRECISIONS, TPS, st.sampled_from([2, 4]), st.integers(1, 1024),
       st.integers(1, 64_000))
def test_pipeline_stages_never_lower_the_time_of_a_token(model, acc, prec, tp, pp, micro,
                                                        context):
    """A micro-batch crosses every stage in turn: a decode step of ``pp`` micro-batches of
    ``micro`` sequences takes at least one stage-free step of ``micro`` sequences (the same
    weights and each sequence's KV cache are read, stage by stage)."""
    one = inf.Deployment.create(model, acc, tp=tp, precision=prec)
    d = inf.Deployment.create(model, acc, tp=tp, pp=pp, precision=prec)
    assert float(d.decode_step_s(micro * pp, context)) >= float(one.decode_step_s(micro, context))


@settings(max_examples=40, deadline=None)
@given(MODELS, ACCS, PRECISIONS, TPS, st.integers(1, 512), st.integers(1, 16_000),
       st.integers(1, 16_000), st.floats(0.0, 3.0), st.floats(0.0, 3.0))
def test_more_spread_outputs_never_speed_a_token(model, acc, prec, tp, batch, prompt, output,
                                                 cv1, cv2):
    lo, hi = sorted((cv1, cv2))
    t = [float(inf.Deployment.create(model, acc, tp=tp, precision=prec, output_cv=cv)
               .performance(batch, prompt, output)["tpot_s"]) for cv in (lo, hi)]
    assert t[0] <= t[1]


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 10**6), st.integers(1, 10**5))
def test_offline_waves_serve_every_request_and_no_wave_exceeds_the_batch(requests, batch):
    waves = inf.offline_waves(requests, batch)
    assert sum(size * count for size, count in waves) == requests
    assert all(1 <= size <= batch and count >= 1 for size, count in waves)
    assert sum(count for _, count in waves) == -(-requests // batch)


@settings(max_examples=30, deadline=None)
@given(MODELS, ACCS, st.integers(1, 4096), st.integers(1, 4096), st.integers(1, 20_000))
def test_an_offline_run_is_never_faster_than_its_full_batch(model, acc, prompt, output,
                                                            requests):
    d = _deployment(model, acc, "fp8", 8)
    plan = d.memory_plan(prompt + output)
    if not plan.fits:
        return
    batch = int(plan.max_batch)
    full = float(d.performance(batch, prompt, output)["output_tokens_per_s_per_replica"])
    run = inf.offline_run(d, requests, batch, prompt, output)
    assert run["output_tokens_per_s_per_replica"] <= full * (1 + 1e-12)


GRAPHS = st.lists(st.integers(1, 8192), min_size=1, max_size=15)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["llama-3.1-8b", "mixtral-8x7b", "qwen3-30b-a3b"]), GRAPHS,
       st.lists(st.integers(1, 10_000), min_size=2, max_size=10), st.sampled_from([1, 2, 4]))
def test_a_padded_batch_is_the_smallest_graph_that_holds_each_rank_or_the_batch(
        model, graphs, batches, dp):
    m = Model.from_catalog(model)
    d = inf.Deployment.create(m, "h100", dp=dp if m.is_moe else 1, precision="fp8",
                              graph_batches=graphs)
    b = np.sort(np.array(batches, dtype=float))
    padded = d.padded_batch(b)
    assert np.all(padded >= b)
    assert np.all(np.diff(padded) >= 0)  # a larger batch never runs at a smaller one
    per = np.ceil(b / d.dp)
    inside = per <= max(graphs)
    # a batch a graph holds runs at the smallest such graph, on every rank; others as they are
    for x, p, q, ok in zip(b, per, padded, inside):
        assert q == (min(g for g in graphs if g >= p) * d.dp if ok else x)
    # pipeline stages pad each micro-batch: a batch of 2 x 300 on two stages runs at 2 x 384
    staged = inf.Deployment.create("llama-3.1-8b", "h100", pp=2, precision="fp8",
                                   graph_batches=(256, 384, 512))
    assert float(staged.padded_batch(600)) == 768.0


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["llama-3.1-8b", "llama-3.1-70b", "mixtral-8x7b"]), ACCS,
       st.integers(1, 4096), st.integers(1, 100_000), GRAPHS)
def test_padding_never_shortens_a_step_nor_costs_more_than_serving_the_padding(
        model, acc, batch, context, graphs):
    plain = inf.Deployment.create(model, acc, precision="fp8")
    padded = inf.Deployment.create(model, acc, precision="fp8", graph_batches=graphs)
    t = float(padded.decode_step_s(batch, context))
    assert t >= float(plain.decode_step_s(batch, context)) * (1 - 1e-12)
    # the dummy sequences attend over nothing: no slower than as many real sequences
    full = float(padded.padded_batch(batch))
    assert t <= float(plain.decode_step_s(full, context)) * (1 + 1e-12)
