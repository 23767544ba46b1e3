"""Invariants of demand sizing: the fleet covers the peak with whole replicas and no spare
replica, grows with demand and roughly in proportion to it, realizes a utilization in (0, 1],
and demand profiles round-trip through their CSV files."""

import functools
import math
import tempfile
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from siliconomics.errors import InputError
from siliconomics.workloads import demand
from siliconomics.workloads.serving import Deployment


def reals(low, high):
    """Floats in [low, high] without subnormals, whose products round away from any relative
    tolerance."""
    return st.floats(low, high, allow_subnormal=False)


rates = st.lists(reals(0.0, 1e5), min_size=1, max_size=48).filter(lambda r: max(r) > 1e-6)
seconds = st.floats(1e-4, 100.0)
tps = st.sampled_from([1, 2, 4, 8, 16])


@settings(max_examples=100, deadline=None)
@given(rates, seconds, tps)
def test_the_fleet_covers_the_peak_with_no_spare_replica(lam, a, tp):
    n, u, busy = demand.size_fleet(lam, a, tp)
    peak = max(lam) * a
    assert n % tp == 0 and n >= tp
    assert n >= peak * (1 - 1e-9)
    assert n - tp < peak or n == tp
    assert 0 < u <= 1 + 1e-9
    assert np.isclose(u, np.mean(busy) / n, rtol=1e-12)
    assert np.allclose(busy, np.array(lam) * a, rtol=1e-12)


@settings(max_examples=100, deadline=None)
@given(rates, st.lists(reals(0.0, 1e4), min_size=48, max_size=48), seconds, tps)
def test_more_demand_never_needs_fewer_accelerators(lam, extra, a, tp):
    more = np.array(lam) + np.array(extra[:len(lam)])
    assert demand.size_fleet(more, a, tp)[0] >= demand.size_fleet(lam, a, tp)[0]
    assert demand.size_fleet(lam, a * 1.5, tp)[0] >= demand.size_fleet(lam, a, tp)[0]


@settings(max_examples=100, deadline=None)
@given(rates, seconds, tps, st.integers(1, 1000))
def test_k_times_the_demand_needs_about_k_times_the_fleet(lam, a, tp, k):
    """N(k lambda) lies between k times the peak and k N(lambda) (one replica of rounding)."""
    n1 = demand.size_fleet(lam, a, tp)[0]
    nk = demand.size_fleet(np.array(lam) * k, a, tp)[0]
    assert k * max(lam) * a * (1 - 1e-9) <= nk <= k * n1


@settings(max_examples=100, deadline=None)
@given(rates, seconds, tps, st.floats(0.01, 100.0))
def test_units_of_time_cancel(lam, a, tp, k):
    """Requests per second times seconds per request: k times faster requests at k times the
    rate keep the same fleet."""
    base = demand.size_fleet(lam, a, tp)
    other = demand.size_fleet(np.array(lam) * k, a / k, tp)
    assert abs(other[0] - base[0]) <= tp
    assert np.allclose(other[2], base[2], rtol=1e-9)


def _csv(hours, lam, prompt, output, order):
    cols = {"hour": hours, "requests_per_s": lam, "prompt_tokens": prompt, "output_tokens": output}
    cols = {k: cols[k] for k in order if cols[k] is not None}
    lines = ["# demand profile", ",".join(cols)]
    lines += [",".join(repr(float(col[i])) for col in cols.values()) for i in range(len(hours))]
    return "\n".join(lines) + "\n"


@st.composite
def profiles(draw):
    n = draw(st.integers(1, 30))
    floats = lambda lo, hi: st.lists(st.floats(lo, hi), min_size=n, max_size=n)  # noqa: E731
    hours = draw(floats(0.0, 1e4))
    lam = draw(floats(0.0, 1e6).filter(lambda r: max(r) > 0))
    prompt = draw(st.one_of(st.none(), floats(1.0, 1e6)))
    output = draw(st.one_of(st.none(), floats(1.0, 1e5)))
    order = draw(st.permutations(["hour", "requests_per_s", "prompt_tokens", "output_tokens"]))
    return hours, lam, prompt, output, order


@settings(max_examples=60, deadline=None)
@given(profiles())
def test_a_profile_round_trips_through_csv(profile):
    hours, lam, prompt, output, order = profile
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demand.csv"
        path.write_text(_csv(hours, lam, prompt, output, order))
        d = demand.read_csv(path)
    assert d.hours.tolist() == hours
    assert d.requests_per_s.tolist() == lam
    assert (d.prompt_tokens is None) == (prompt is None)
    assert (d.output_tokens is None) == (output is None)
    if prompt is not None:
        assert d.prompt_tokens.tolist() == prompt
    if output is not None:
        assert d.output_tokens.tolist() == output
    assert d.peak_requests_per_s == max(lam)
    assert np.isclose(d.mean_requests_per_s, np.mean(lam), rtol=1e-12)


COLUMNS = ["hour", "requests_per_s", "prompt_tokens", "output_tokens", "Hour", " hour ", "rps", ""]
CELLS = ["0", "1", "2.5", "128", "-1", "0.5", "nan", "inf", "1e400", "x", "", " 3 ", "1_000", '"4"']


@st.composite
def csv_texts(draw):
    """Tables built from the format's own pieces: column names (repeated or not), rows of the
    header's width or not, cells valid or not."""
    known = st.lists(st.sampled_from(COLUMNS[:4]), max_size=3).map(
        lambda extra: ["hour", "requests_per_s", *extra])
    header = draw(st.one_of(known.flatmap(st.permutations),
                            st.lists(st.sampled_from(COLUMNS), min_size=1, max_size=5)))
    if draw(st.booleans()):  # well-formed rows
        width, cell = st.just(len(header)), st.sampled_from(CELLS[1:4])
    else:
        width = st.one_of(st.just(len(header)), st.integers(1, 6))
        cell = st.one_of(st.sampled_from(CELLS[:4]), st.sampled_from(CELLS))
    rows = draw(st.lists(width.flatmap(lambda w: st.lists(cell, min_size=w, max_size=w)),
                         max_size=5))
    return "\n".join([",".join(header)] + [",".join(r) for r in rows])


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.text(max_size=200), csv_texts()))
def test_any_csv_text_is_a_profile_or_an_input_error(text):
    """A file either reads as a profile with one value per data row in every column, or
    raises InputError."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demand.csv"
        path.write_text(text, encoding="utf-8")
        try:
            d = demand.read_csv(path)
        except InputError:
            return
    n = len(d.requests_per_s)
    assert n >= 1 and len(d.hours) == n
    for col in (d.prompt_tokens, d.output_tokens):
        assert col is None or len(col) == n
    assert np.all(d.requests_per_s >= 0) and d.peak_requests_per_s > 0


@functools.cache
def _deployment(model, accelerator, tp):
    return Deployment.create(model, accelerator, tp=tp, precision="fp8")


DEPLOYMENTS = st.sampled_from([("llama-3.1-8b", "h100-sxm", 1), ("llama-3.1-70b", "h100-sxm", 4),
                               ("llama-3.1-70b", "b200", 2), ("mixtral-8x7b", "h200", 2)])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DEPLOYMENTS, st.lists(st.floats(0.01, 500.0), min_size=1, max_size=24),
       st.integers(1, 64), st.integers(64, 4096), st.integers(16, 1024), st.floats(1.0, 10.0))
def test_a_served_fleet_grows_with_demand(dep, lam, batch, prompt, output, k):
    d = _deployment(*dep)
    if d.memory_plan(prompt + output).max_batch < batch:
        return
    profile = demand.Demand(hours=np.arange(len(lam), dtype=float),
                            requests_per_s=np.array(lam))
    busier = demand.Demand(hours=profile.hours, requests_per_s=profile.requests_per_s * k)
    kw = {"batch": batch, "prompt_tokens": prompt, "output_tokens": output}
    f = demand.fleet(profile, d, **kw)
    g = demand.fleet(busier, d, **kw)
    assert f.accelerators == f.replicas * d.tp and f.tp == d.tp
    assert 0 < f.utilization <= 1 + 1e-9
    assert np.all(f.busy_accelerators <= f.accelerators * (1 + 1e-9))
    assert f.accelerators <= g.accelerators <= math.ceil(k) * f.accelerators
    assert g.peak_requests_per_s == profile.peak_requests_per_s * k
