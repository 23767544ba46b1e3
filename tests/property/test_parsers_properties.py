"""Invariants of the text read at the edges: quantities convert consistently between units,
distribution strings and scenario files round-trip, and any text either parses or raises a
:class:`~siliconomics.errors.SiliconomicsError`, never another exception."""

import sys

import numpy as np
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from siliconomics import units
from siliconomics.errors import InputError, ScenarioError, SiliconomicsError
from siliconomics.scenario import models as scenario_models
from siliconomics.scenario.file import Scenario
from siliconomics.uncertainty import distributions as dist
from siliconomics.workloads.parallelism import Layout


def reals(low, high):
    """Floats in [low, high] without subnormals, whose products round away from any relative
    tolerance."""
    return st.floats(low, high, allow_subnormal=False)


QUANTILES = np.array([0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99])

#: Numbers as users write them: up to six significant digits, any magnitude a model uses.
short = st.builds(lambda m, e: float(f"{m}e{e}"), st.integers(1, 999_999), st.integers(-9, 6))
signed = st.builds(lambda x, neg: -x if neg else x, short, st.booleans())
magnitudes = st.floats(1e-6, 1e9)

#: Pieces of the languages read here, so that fuzzing reaches past the first character.
TOKENS = ["1", "0", "2.5", "-3", "1e3", "1e400", "nan", "inf", ".", "e", "W", "kW", "MW", "USD",
          "$", "k", "M", "B", "¢", "%", "/", "*", "**", "^", "(", ")", ",", "_", "to", "normal",
          "lognormal", "uniform", "triangular", "beta", "clip", "mm", "²", "kWh", "year", "x",
          "=", "[", "]", "{", "}", "\"", "'", "#", "\\", "\x00", "\n", "é", "µ"]
token_text = st.lists(st.sampled_from(TOKENS), max_size=12).flatmap(
    lambda parts: st.lists(st.sampled_from(["", " ", "  "]), min_size=len(parts),
                           max_size=len(parts)).map(
        lambda gaps: "".join(g + p for g, p in zip(gaps, parts))))
any_text = st.one_of(st.text(max_size=40), token_text)


# --- units -------------------------------------------------------------------------------
PREFIX = {"": 1.0, "k": 1e3, "M": 1e6, "G": 1e9}


@settings(max_examples=100, deadline=None)
@given(signed, st.sampled_from(sorted(PREFIX)), st.sampled_from(sorted(PREFIX)))
def test_power_prefixes_convert_consistently(x, p1, p2):
    """"x MW" is 1000 times "x kW", and reading into kW is reading into W over 1000."""
    a = units.parse(f"{x!r} {p1}W", "W")
    b = units.parse(f"{x!r} {p2}W", "W")
    assert np.isclose(a * PREFIX[p2], b * PREFIX[p1], rtol=1e-12)
    assert np.isclose(a, x * PREFIX[p1], rtol=1e-12)
    assert np.isclose(units.parse(f"{x!r} {p1}W", "kW") * 1e3, a, rtol=1e-12)


@settings(max_examples=100, deadline=None)
@given(short, st.sampled_from([("k", 1e3), ("M", 1e6), ("B", 1e9), ("T", 1e12)]))
def test_money_shorthands_agree(x, scale):
    letter, factor = scale
    dollars = units.parse(f"${x!r}", "USD")
    assert dollars == x
    assert np.isclose(units.parse(f"${x!r}{letter}", "USD"), factor * x, rtol=1e-12)
    assert np.isclose(units.parse(f"{x!r} {letter} USD", "USD"), factor * x, rtol=1e-12)
    assert np.isclose(units.parse(f"{x!r} {letter}USD", "USD"), factor * x, rtol=1e-12)


@settings(max_examples=100, deadline=None)
@given(short)
def test_energy_prices_and_shares_agree(x):
    per_kwh = units.parse(f"${x!r}/kWh", "USD/kWh")
    assert per_kwh == x
    assert np.isclose(units.parse(f"{x!r} ¢/kWh", "USD/kWh"), x / 100, rtol=1e-12)
    assert np.isclose(units.parse(f"${x!r}/MWh", "USD/kWh"), x / 1000, rtol=1e-12)
    assert np.isclose(units.parse(f"{x!r}%", ""), x / 100, rtol=1e-12)
    assert np.isclose(units.parse(f"{x!r} cm^2", "mm^2"), 100 * x, rtol=1e-12)
    assert units.parse(f"{x!r} mm²", "mm^2") == units.parse(f"{x!r} mm^2", "mm^2")


@settings(max_examples=100, deadline=None)
@given(st.one_of(st.floats(allow_nan=False, allow_infinity=False), st.integers(-10**6, 10**6)),
       st.sampled_from(["W", "USD", "USD/kWh", "mm^2", ""]))
def test_bare_numbers_pass_through(x, unit):
    assert units.parse(x, unit) == float(x)


@settings(max_examples=100, deadline=None)
@given(short, st.sampled_from([("kW", "USD"), ("USD", "W"), ("mm^2", "W"), ("%", "USD/kWh"),
                               ("$", "mm^2"), ("USD/kWh", "")]))
def test_a_quantity_in_the_wrong_dimension_raises_input_error(x, pair):
    written, target = pair
    text = f"${x!r}" if written == "$" else f"{x!r} {written}"
    try:
        units.parse(text, target)
    except InputError:
        return
    raise AssertionError(f"{text!r} read as {target!r}")


@settings(max_examples=200, deadline=None)
@given(any_text, st.sampled_from(["W", "USD", "USD/kWh", "mm^2", ""]))
@example("0A)", "W")  # an unmatched ")" once escaped pint's tokenizer as a TokenError
@example("1 W)", "W")
def test_any_text_is_a_quantity_or_an_input_error(text, unit):
    try:
        value = units.parse(text, unit)
    except InputError:
        return
    assert isinstance(value, float)


# --- distributions -----------------------------------------------------------------------
def _number(x):
    return repr(x)


@st.composite
def distribution_texts(draw, depth=2):
    """Text of a distribution in Squiggle's conventions, valid by construction."""
    kind = draw(st.sampled_from(["number", "interval", "normal", "lognormal", "uniform",
                                 "triangular", "beta"] + (["clip"] if depth else [])))
    if kind == "number":
        return _number(draw(signed))
    if kind in ("interval", "uniform"):
        a, b = sorted((draw(signed), draw(signed)))
        return f"{_number(a)} to {_number(b)}" if kind == "interval" else (
            f"uniform({_number(a)}, {_number(b)})")
    if kind == "normal":
        return f"normal({_number(draw(signed))}, {_number(draw(short))})"
    if kind == "lognormal":
        a, b = sorted((draw(short), draw(short)))
        return f"lognormal({_number(a)}, {_number(b)})"
    if kind == "triangular":
        a, c, b = sorted((draw(signed), draw(signed), draw(signed)))
        if a == b:
            b = a + abs(a) + 1.0
        return f"triangular({_number(a)}, {_number(c)}, {_number(b)})"
    if kind == "beta":
        return f"beta({_number(draw(short))}, {_number(draw(short))})"
    base = draw(distribution_texts(depth=depth - 1))
    lo, hi = sorted((draw(signed), draw(signed)))
    lo_text = draw(st.sampled_from(["_", _number(lo)]))
    hi_text = draw(st.sampled_from(["_", _number(hi)]))
    return f"clip({base}, {lo_text}, {hi_text})"


def _close(a, b, scale):
    with np.errstate(invalid="ignore"):
        return np.allclose(a, b, rtol=2e-5, atol=2e-5 * scale, equal_nan=True)


@settings(max_examples=100, deadline=None)
@given(distribution_texts())
def test_distribution_text_round_trips_through_describe(text):
    d = dist.parse(text)
    again = dist.parse(d.describe())
    q1, q2 = d.ppf(QUANTILES), again.ppf(QUANTILES)
    scale = float(np.nanmax(np.abs(q1))) if np.any(np.isfinite(q1)) else 1.0
    assert _close(q1, q2, scale), (text, d.describe())


@settings(max_examples=100, deadline=None)
@given(distribution_texts())
def test_quantiles_never_fall_and_stay_inside_the_clip(text):
    d = dist.parse(text)
    q = np.asarray(d.ppf(QUANTILES), dtype=float) * np.ones(len(QUANTILES))
    assert np.all(np.isfinite(q))
    assert np.all(np.diff(q) >= -1e-9 * np.abs(q[1:]))
    if isinstance(d, dist.Clipped):
        assert d.low is None or np.all(q >= d.low)
        assert d.high is None or np.all(q <= d.high)


@settings(max_examples=100, deadline=None)
@given(magnitudes, st.floats(1.001, 100.0), st.sampled_from([("kW", "W", 1e3), ("MW", "kW", 1e3),
                                                             ("¢/kWh", "USD/kWh", 0.01),
                                                             ("%", "", 0.01)]))
def test_interval_units_convert_like_single_quantities(low, ratio, conv):
    """"a MW to b MW" read in kW has the quantiles of "a to b" times 1000."""
    written, unit, factor = conv
    high = low * ratio
    text = f"{low!r} {written} to {high!r} {written}"
    q = dist.parse(text, unit=unit).ppf(np.array([0.05, 0.95]))
    assert np.allclose(q, [low * factor, high * factor], rtol=1e-9)


@settings(max_examples=200, deadline=None)
@given(st.one_of(any_text, distribution_texts().flatmap(
    lambda t: st.integers(0, len(t)).map(lambda i: t[:i]))),
    st.sampled_from(["", "USD", "USD/kWh"]))
def test_any_text_is_a_distribution_or_an_input_error(text, unit):
    try:
        d = dist.parse(text, unit=unit)
    except SiliconomicsError:
        return
    assert isinstance(d, dist.Distribution)


@settings(max_examples=10, deadline=None, phases=tuple(set(Phase) - {Phase.explain}))
@given(st.sampled_from([1, 10, 100, None]))
def test_nested_clips_parse_or_raise_input_error(depth):
    """Nesting deeper than the interpreter's recursion limit is an input error too."""
    depth = sys.getrecursionlimit() if depth is None else depth
    text = "clip(" * depth + "0.5 to 2" + ", 0, _)" * depth
    try:
        d = dist.parse(text)
    except SiliconomicsError:
        return
    except RecursionError:  # reported in one line: a traceback this deep takes minutes to print
        raise AssertionError(f"RecursionError parsing {depth} nested clips") from None
    assert float(d.ppf(0.01)) >= 0


# --- scenario files ----------------------------------------------------------------------
def _toml_string(s):
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    def char(c):
        if c in '"\\':
            return "\\" + c
        return f"\\u{ord(c):04x}" if ord(c) < 0x20 or ord(c) == 0x7F else c

    return '"' + "".join(char(c) for c in s) + '"'


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=30), st.integers(1, 10**7), st.integers(0, 2**31), st.text(max_size=30),
       st.sampled_from(["catalog", "none"]),
       st.dictionaries(st.from_regex(r"[a-z][a-z_]{0,15}", fullmatch=True),
                       st.one_of(st.integers(-10**6, 10**6), reals(-1e6, 1e6),
                                 distribution_texts()), max_size=5))
def test_scenario_text_round_trips(name, samples, seed, description, uncertainty, inputs):
    lines = ["[scenario]", f"name = {_toml_string(name)}", f"samples = {samples}",
             f"seed = {seed}", f"description = {_toml_string(description)}",
             f'uncertainty = "{uncertainty}"', 'model = "tco"', "", "[inputs]"]
    lines += [f"{k} = {_toml_string(v) if isinstance(v, str) else repr(v)}"
              for k, v in inputs.items()]
    s = Scenario.from_text("\n".join(lines) + "\n")
    assert (s.name, s.samples, s.seed, s.description, s.uncertainty, s.model) == (
        name, samples, seed, description, uncertainty, "tco")
    assert s.inputs == inputs
    d = s.to_dict()
    assert Scenario.from_dict({"scenario": {k: d[k] for k in ("name", "samples", "seed",
                                                             "model", "uncertainty")},
                               "inputs": d["inputs"]}).to_dict() == d


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=80), token_text,
                 st.lists(st.sampled_from(["[scenario]", "[inputs]", "[outputs]", "[catalog]",
                                           "[correlations]", "samples = 0", "samples = 5",
                                           "seed = -1", 'model = "tco"', 'model = "nope"',
                                           "metrics = []", 'metrics = ["x"]', "files = [1]",
                                           "exceed = { a = [1] }", '"a, b" = 2', "x = 1",
                                           "pue = 0.5", 'accelerators = "many"', "[[inputs]]",
                                           'uncertainty = "all"', "name = 3"]),
                          max_size=8).map("\n".join)))
def test_any_scenario_text_is_a_scenario_or_a_scenario_error(text):
    try:
        s = Scenario.from_text(text)
    except SiliconomicsError as exc:
        assert isinstance(exc, ScenarioError)
        return
    assert s.samples >= 1 and s.seed >= 0


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(distribution_texts(), any_text))
def test_a_scenario_value_samples_as_parsed_or_is_a_scenario_error(text):
    """A value at an input path is the distribution :func:`parse` reads in the path's unit
    (an ``a to b`` interval's tails clipped to the path's domain), or the plan names the key in
    a ScenarioError."""
    s = Scenario.from_text('[scenario]\nmodel = "tco"\n[inputs]\n'
                           f"site.power_price_usd_per_kwh = {_toml_string(text)}\n")
    key = "site.power_price_usd_per_kwh"
    try:
        plan = s.plan(samples=16)
    except SiliconomicsError as exc:
        assert isinstance(exc, ScenarioError)
        assert "power_price_usd_per_kwh" in str(exc)
        return
    d = dist.parse(text, unit="USD/kWh")
    if key in plan.constants:
        assert plan.constants[key] == d.ppf(0.5) or np.isnan(d.ppf(0.5))
    else:
        sampled = plan.dists[plan.names.index(key)]
        with np.errstate(invalid="ignore"):
            expect = d.ppf(QUANTILES)
            if "(" not in text:  # an interval: its tails are the domain's
                lo, hi = scenario_models._bounds(key)
                expect = np.clip(expect, lo, hi)
            assert np.allclose(sampled.ppf(QUANTILES), expect, equal_nan=True)


# --- layouts -----------------------------------------------------------------------------
layouts = st.integers(1, 64).flatmap(lambda pp: st.builds(
    Layout, tp=st.integers(1, 64), pp=st.just(pp), dp=st.integers(1, 4096),
    ep=st.integers(1, 64), cp=st.integers(1, 8), microbatch=st.integers(1, 16),
    zero=st.sampled_from([0, 1, 2, 3]), recompute=st.sampled_from(["none", "selective", "full"]),
    interleave=st.integers(1, 8 if pp > 1 else 1),  # interleaving needs pipeline stages
    ep_overlap=st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0]),
    tp_overlap=st.sampled_from([0.0, 0.5, 1.0])))


@settings(max_examples=100, deadline=None)
@given(layouts)
def test_layout_text_round_trips(layout):
    assert Layout.parse(str(layout)) == layout


@settings(max_examples=100, deadline=None)
@given(reals(0.0, 1.0))
def test_layout_text_round_trips_any_expert_overlap(overlap):
    layout = Layout(tp=8, pp=4, dp=16, ep=8, ep_overlap=overlap)
    assert Layout.parse(str(layout)) == layout
    layout = Layout(tp=8, pp=4, dp=16, tp_overlap=overlap)
    assert Layout.parse(str(layout)) == layout


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=40), st.lists(
    st.tuples(st.sampled_from(["tp", "pp", "dp", "ep", "cp", "mb", "v", "zero", "recompute",
                               "ep_overlap", "tp_overlap", "x", ""]),
              st.sampled_from(["=", " = ", ":", ""]),
              st.sampled_from(["0", "1", "8", "-1", "1.5", "full", "nan", "1e-05", "", "٣"])),
    max_size=6).map(lambda parts: ",".join(k + s + v for k, s, v in parts))))
def test_any_layout_text_is_a_layout_or_an_input_error(text):
    try:
        layout = Layout.parse(text)
    except InputError:
        return
    assert layout.accelerators >= 1 and 0.0 <= layout.ep_overlap <= 1.0
    assert 0.0 <= layout.tp_overlap <= 1.0
