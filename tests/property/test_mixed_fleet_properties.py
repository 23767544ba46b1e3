"""Invariants of mixed fleets and parallel layouts: every accelerator of a mixed fleet counts
once, shares add up to the whole, lockstep never beats split; a layout uses tp*pp*dp*cp
accelerators, its step time is the sum of its parts, and memory per accelerator never rises
as parallelism (or ZeRO, or recomputation) grows."""

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from siliconomics import catalog
from siliconomics.errors import InputError
from siliconomics.workloads import parallelism, training
from siliconomics.workloads.parallelism import Hardware, Layout


KINDS = ["h100-sxm", "h200", "b200", "a100-sxm4-80gb", "mi300x", "gb200"]
#: Every name a user may give an accelerator: slugs and their aliases.
NAMES = sorted({n for k in KINDS for n in (k, *catalog.accelerator(k).aliases)})
groups = st.dictionaries(st.sampled_from(KINDS), st.integers(1, 100_000), min_size=1, max_size=4)
strategies = st.sampled_from(["split", "lockstep"])
mfus = st.floats(0.05, 1.0)


def _speed(slug, mfu):
    return Hardware.from_catalog(slug, "bf16").peak_flop_per_s * mfu


# --- mixed generations -------------------------------------------------------------------
@settings(max_examples=100, deadline=None)
@given(groups, strategies, mfus)
def test_shares_add_up_to_the_whole(g, strategy, mfu):
    r = training.mixed_fleet(g, mfu=mfu, strategy=strategy)
    assert np.isclose(sum(x["flop_per_s"] for x in r["groups"].values()), r["flop_per_s"],
                      rtol=1e-12)
    assert np.isclose(sum(x["value_share"] for x in r["groups"].values()), 1.0, rtol=1e-12)
    assert all(0 < x["value_share"] <= 1 for x in r["groups"].values())
    if strategy == "split":  # removing a group loses exactly what it contributed
        for k, x in r["groups"].items():
            assert np.isclose(r["older_value"][k], x["value_share"], rtol=1e-9, atol=1e-15)


@settings(max_examples=100, deadline=None)
@given(groups, mfus)
def test_lockstep_never_beats_split_and_runs_at_the_slowest_pace(g, mfu):
    split = training.mixed_fleet(g, mfu=mfu, strategy="split")["flop_per_s"]
    lock = training.mixed_fleet(g, mfu=mfu, strategy="lockstep")["flop_per_s"]
    slowest = min(_speed(k, mfu) for k in g)
    assert lock <= split * (1 + 1e-12)
    assert np.isclose(lock, sum(g.values()) * slowest, rtol=1e-12)
    assert np.isclose(split, sum(n * _speed(k, mfu) for k, n in g.items()), rtol=1e-12)


@settings(max_examples=100, deadline=None)
@given(groups, strategies, mfus, st.integers(1, 1000))
def test_a_fleet_k_times_larger_is_k_times_faster(g, strategy, mfu, k):
    r = training.mixed_fleet(g, mfu=mfu, strategy=strategy)
    big = training.mixed_fleet({n: c * k for n, c in g.items()}, mfu=mfu, strategy=strategy)
    assert np.isclose(big["flop_per_s"], k * r["flop_per_s"], rtol=1e-12)
    for name in r["groups"]:
        assert np.isclose(big["groups"][name]["value_share"], r["groups"][name]["value_share"],
                          rtol=1e-9)


@settings(max_examples=100, deadline=None)
@given(groups, st.sampled_from(KINDS), st.integers(1, 10_000), mfus)
def test_adding_accelerators_never_slows_a_split_fleet(g, kind, extra, mfu):
    more = dict(g)
    more[kind] = more.get(kind, 0) + extra
    assert (training.mixed_fleet(more, mfu=mfu)["flop_per_s"]
            >= training.mixed_fleet(g, mfu=mfu)["flop_per_s"])


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.sampled_from(NAMES), st.integers(1, 100_000), min_size=1, max_size=5),
       strategies, mfus)
def test_every_accelerator_named_counts_once(g, strategy, mfu):
    """No group is dropped or double counted: every accelerator counts once, and naming one
    accelerator twice (by two of its names) is refused rather than silently merged."""
    slugs = [catalog.accelerator(name).slug for name in g]
    if len(set(slugs)) < len(slugs):
        with pytest.raises(InputError, match="twice"):
            training.mixed_fleet(g, mfu=mfu, strategy=strategy)
        return
    r = training.mixed_fleet(g, mfu=mfu, strategy=strategy)
    assert sum(x["accelerators"] for x in r["groups"].values()) == sum(g.values())


@settings(max_examples=30, deadline=None)
@given(groups, strategies)
def test_train_mixed_reports_the_model(g, strategy):
    from typer.testing import CliRunner

    from siliconomics.cli import app

    text = ",".join(f"{k}={n}" for k, n in g.items())
    out = CliRunner().invoke(app, ["train-mixed", "--groups", text, "--strategy", strategy,
                                   "--mfu", "0.4", "--json"])
    assert out.exit_code == 0, out.output
    got = json.loads(out.stdout)
    want = training.mixed_fleet(g, mfu=0.4, strategy=strategy)
    assert np.isclose(got["flop_per_s"], want["flop_per_s"], rtol=1e-12)
    assert {k: v["accelerators"] for k, v in got["groups"].items()} == {
        k: v["accelerators"] for k, v in want["groups"].items()}


# --- one training run --------------------------------------------------------------------
@settings(max_examples=100, deadline=None)
@given(st.floats(1e18, 1e27), st.integers(1, 200_000), st.floats(1e13, 1e16), mfus,
       st.floats(0.05, 1.0), st.integers(2, 16))
def test_run_hours_close_the_flop_budget_and_share_the_work(flop, n, peak, mfu, goodput, k):
    h = training.run_hours(flop, n, peak, mfu, goodput)
    assert np.isclose(h * 3600.0 * n * peak * mfu * goodput, flop, rtol=1e-12)
    assert np.isclose(training.run_hours(flop, n * k, peak, mfu, goodput) * k, h, rtol=1e-12)


@settings(max_examples=20, deadline=None)
@given(st.sampled_from(["h100-sxm", "b200"]), st.sampled_from([1024, 4096, 16_384]),
       st.floats(1e11, 1e13), mfus, st.floats(0.5, 1.0))
def test_a_run_costs_its_accelerator_hours_at_the_hourly_rate(acc, n, tokens, mfu, goodput):
    r = training.estimate("llama-3.1-8b", tokens, acc, n, mfu=mfu, goodput=goodput)
    assert np.isclose(r.cost_usd, r.accelerator_hours * r.usd_per_accelerator_hour, rtol=1e-12)
    assert np.isclose(r.accelerator_hours, r.wall_days * 24 * n, rtol=1e-12)
    assert np.isclose(r.tco2e, r.tco2e_operational + r.tco2e_embodied, rtol=1e-12)
    twice = training.estimate("llama-3.1-8b", 2 * tokens, acc, n, mfu=mfu, goodput=goodput)
    assert np.isclose(twice.accelerator_hours, 2 * r.accelerator_hours, rtol=1e-9)
    assert np.isclose(twice.energy_mwh, 2 * r.energy_mwh, rtol=1e-9)


# --- layouts -----------------------------------------------------------------------------
DENSE = ["llama-3.1-8b", "llama-3.1-70b", "gpt-3-175b"]
MOE = ["mixtral-8x7b", "deepseek-v3"]
POW2 = st.sampled_from([1, 2, 4, 8])
layout_kw = st.fixed_dictionaries({
    "microbatch": st.sampled_from([1, 2]), "zero": st.sampled_from([0, 1, 2, 3]),
    "recompute": st.sampled_from(["none", "selective", "full"]),
})


def _step(model, layout, acc="h100-sxm", global_batch=1024, seq_len=4096):
    return parallelism.step_time(model, layout, acc, global_batch=global_batch, seq_len=seq_len)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(DENSE + MOE), POW2, POW2, st.sampled_from([1, 2, 4, 8, 16, 32]),
       layout_kw, st.sampled_from(["h100-sxm", "b200", "mi300x"]))
def test_step_time_is_the_sum_of_its_parts_and_mfu_is_bounded(model, tp, pp, dp, kw, acc):
    lay = Layout(tp=tp, pp=pp, dp=dp, **kw)
    s = _step(model, lay, acc)
    assert s.accelerators == lay.accelerators == tp * pp * dp
    assert np.isclose(sum(s.parts_s.values()), s.step_s, rtol=1e-12)
    assert all(v >= 0 for v in s.parts_s.values())
    hw = Hardware.from_catalog(acc)
    assert 0 < s.mfu <= s.hfu <= hw.matmul_efficiency * (1 + 1e-12)
    assert s.tokens_per_step == 1024 * 4096
    m = s.memory_gb
    assert np.isclose(m["total"], m["states"] + m["activations"], rtol=1e-12)
    assert s.fits == (not s.reason)
    assert not s.fits or m["total"] <= m["usable"]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(DENSE + MOE), POW2, POW2, st.sampled_from([1, 2, 4, 8, 16]), layout_kw,
       st.sampled_from(["tp", "pp", "dp"]))
def test_memory_per_accelerator_never_rises_with_parallelism(model, tp, pp, dp, kw, axis):
    """Doubling tp, pp or dp (global batch fixed) never adds memory on an accelerator."""
    lay = Layout(tp=tp, pp=pp, dp=dp, **kw)
    bigger = Layout(**{**lay.__dict__, axis: 2 * getattr(lay, axis)})
    assert bigger.accelerators == 2 * lay.accelerators
    a, b = _step(model, lay).memory_gb, _step(model, bigger).memory_gb
    assert b["total"] <= a["total"] * (1 + 1e-12)
    assert b["states"] <= a["states"] * (1 + 1e-12)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(DENSE + MOE), POW2, POW2, st.sampled_from([1, 2, 8, 64]),
       st.sampled_from([1, 2]))
def test_zero_and_recomputation_never_add_memory(model, tp, pp, dp, mb):
    base = {"tp": tp, "pp": pp, "dp": dp, "microbatch": mb}
    states = [_step(model, Layout(**base, zero=z)).memory_gb["states"] for z in (0, 1, 2, 3)]
    assert all(b <= a * (1 + 1e-12) for a, b in zip(states, states[1:]))
    act = [_step(model, Layout(**base, recompute=r)).memory_gb["activations"]
           for r in ("none", "selective", "full")]
    assert all(b <= a * (1 + 1e-12) for a, b in zip(act, act[1:]))


@settings(max_examples=60, deadline=None)
@given(POW2, POW2, POW2, st.sampled_from([1, 2, 4]), st.integers(1, 64), st.integers(1, 7))
def test_resizing_keeps_the_layout_shape(tp, pp, cp, dp, replicas, off):
    lay = Layout(tp=tp, pp=pp, cp=cp, dp=dp, microbatch=2, recompute="full")
    n = replicas * tp * pp * cp
    resized = parallelism.with_accelerators(lay, n)
    assert resized.accelerators == n
    assert (resized.tp, resized.pp, resized.cp, resized.microbatch, resized.recompute) == (
        tp, pp, cp, 2, "full")
    per_replica = tp * pp * cp
    if per_replica > 1 and off % per_replica:
        try:
            parallelism.with_accelerators(lay, n + off)
        except InputError:
            return
        raise AssertionError("a cluster that is not a multiple of tp*pp*cp was accepted")


@settings(max_examples=15, deadline=None)
@given(st.sampled_from(["llama-3.1-8b", "mixtral-8x7b"]), st.sampled_from([16, 32, 64]),
       st.data())
def test_auto_layout_is_never_slower_than_a_layout_it_could_pick(model, n, data):
    hw = Hardware.from_catalog("h100-sxm")
    found = parallelism.auto_layout(model, n, global_batch=512, seq_len=4096, hardware=hw)
    best = found.best
    assert best is not None and best.fits and best.layout.accelerators == n
    tp = data.draw(st.sampled_from([t for t in (1, 2, 4, 8) if n % t == 0]))
    pp = data.draw(st.sampled_from([p for p in (1, 2, 4) if (n // tp) % p == 0]))
    mb = data.draw(st.sampled_from([1, 2, 4]))
    rc = data.draw(st.sampled_from(["selective", "full"]))
    dp = n // (tp * pp)
    ep, etp = 1, 0
    if model == "mixtral-8x7b":  # experts split like the dense layers, or folded (etp=1)
        etp = data.draw(st.sampled_from([0, 1] if tp > 1 else [0]))
        ranks = dp * (tp if etp == 1 else 1)
        ep = data.draw(st.sampled_from([e for e in (1, 2, 4, 8) if ranks % e == 0]))
    other = parallelism.step_time(model, Layout(tp=tp, pp=pp, dp=dp, microbatch=mb,
                                                recompute=rc, ep=ep, etp=etp),
                                  global_batch=512, seq_len=4096, hardware=hw)
    if other.fits:
        assert best.step_s <= other.step_s * (1 + 1e-12)
