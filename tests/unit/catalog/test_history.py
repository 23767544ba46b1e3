"""Prices over time: reading a series, interpolation, extrapolation and the audit."""

import math

import pytest

from siliconomics.catalog import Catalog, history
from siliconomics.errors import CatalogError, InputError

SERIES = """
[price_history.x-rental]
name = "TPU v5p rental (test series)"
subject = "accelerators.tpu-v5p"
measure = "rental-on-demand"
unit = "USD/h"
source = "siliconomics test data (2026)"
as_of = "2026-01"
points = [
  { date = "2024-01", value = 2.0, low = 1.5, high = 2.5 },
  { date = "2025-01", value = 4.5, low = 4.0, high = 5.0 },
  { date = "2026-01", value = 3.0 },
]
"""


@pytest.fixture
def cat(tmp_path):
    p = tmp_path / "series.toml"
    p.write_text(SERIES)
    return Catalog(files=[p])


def test_points_are_read_exactly(cat):
    (s,) = history.series("tpu-v5p", "rental-on-demand", catalog=cat)
    r = history.read(s, "2025-01")
    assert (r.value, r.low, r.high, r.rule, r.extrapolated_years) == (4.5, 4.0, 5.0, "point", 0.0)


def test_between_points_log_linear(cat):
    (s,) = history.series("tpu-v5p", "rental-on-demand", catalog=cat)
    a, b = s.points[0], s.points[1]
    mid = "2024-07"
    r = history.read(s, mid)
    w = (history.decimal_year(mid) - a.year) / (b.year - a.year)
    assert r.value == pytest.approx(math.exp((1 - w) * math.log(2.0) + w * math.log(4.5)))
    assert r.low == pytest.approx(math.exp((1 - w) * math.log(1.5) + w * math.log(4.0)))
    assert history.read(s, "2025-06").low is None  # no range at the 2026 point


def test_outside_the_series_holds_the_value_and_widens_the_range(cat):
    (s,) = history.series("tpu-v5p", "rental-on-demand", catalog=cat)
    near = history.read(s, "2026-07")
    far = history.read(s, "2029-01")
    assert near.value == far.value == 3.0
    assert far.extrapolated_years == pytest.approx(3.0)
    assert far.low < near.low < 3.0 < near.high < far.high
    sigma = history.volatility(s.points)
    assert far.high == pytest.approx(3.0 * math.exp(1.6448536269514722 * sigma * math.sqrt(3.0)))
    assert history.read(s, "2020").extrapolated_years < 0


def test_price_at_warns_when_it_extrapolates(cat):
    with pytest.warns(history.ExtrapolationWarning, match="3.0 years after the last point"):
        history.price_at("tpu-v5p", "2029-01", measure="rental-on-demand", catalog=cat)


def test_volatility_default_for_short_series():
    from siliconomics.catalog.loader import Point

    assert history.volatility((Point("2024", 1.0, "s"), Point("2025", 2.0, "s"))) == \
        history.DEFAULT_VOLATILITY


@pytest.mark.parametrize(("call", "message"), [
    (lambda c: history.price_at("tpu-v5p", "2025", measure="street", catalog=c),
     "has no 'street' price series; it has: rental-on-demand"),
    (lambda c: history.price_at("tpu-v5p", "2025", measure="rent", catalog=c),
     "unknown price measure 'rent'"),
    (lambda c: history.price_at("tpu-v5p", "next year", measure="rental-on-demand", catalog=c),
     "date must be YYYY"),
    (lambda c: history.series("h10", catalog=c), "unknown catalog entry 'h10'"),
])
def test_bad_requests(cat, call, message):
    with pytest.raises((InputError, CatalogError), match=message):
        call(cat)


@pytest.mark.parametrize(("bad", "message"), [
    ('{ date = "2025-01", value = 4.5 },\n  { date = "2024-01", value = 2.0 },', "points must be in date order"),
    ('{ date = "Jan 2025", value = 4.5 },', "date must be YYYY"),
    ('{ date = "2025", value = -1 },', "must be > 0"),
    ('{ date = "2025", value = 1, low = 2, high = 3 },', "low <= value <= high"),
])
def test_bad_series_name_the_point(tmp_path, bad, message):
    text = SERIES.replace(SERIES[SERIES.index("  { date"):SERIES.rindex("]\n")], "  " + bad + "\n")
    p = tmp_path / "bad.toml"
    p.write_text(text)
    with pytest.raises(CatalogError, match=message) as err:
        Catalog(files=[p])
    assert "[price_history.x-rental] points[" in str(err.value)


def test_series_subject_must_exist(tmp_path):
    p = tmp_path / "bad.toml"
    p.write_text(SERIES.replace("accelerators.tpu-v5p", "accelerators.h1000"))
    with pytest.raises(CatalogError, match="subject: unknown accelerator 'h1000'"):
        Catalog(files=[p])


def test_parse_age():
    assert history.parse_age("18months") == 18 and history.parse_age("2 years") == 24
    for bad in ("18", "soon", "-3months"):
        with pytest.raises(InputError, match="cannot read"):
            history.parse_age(bad)


def test_audit_reasons(tmp_path):
    p = tmp_path / "old.toml"
    p.write_text(
        "[accelerators.old-price]\nextends = 'h100'\n"
        "price_usd = { value = 1000, low = 900, high = 1100, source = 'a 2019 quote', as_of = '2019' }\n"
        "[accelerators.old-assumed]\nextends = 'h100'\n"
        "price_usd = { value = 1000, source = 'judgement', as_of = '2019', assumption = true }\n"
        "[accelerators.old-part]\nextends = 'h100'\nstatus = 'historical'\n"
        "price_usd = { value = 1000, low = 900, high = 1100, source = 'a 2019 list', as_of = '2019' }\n")
    a = history.audit("18months", catalog=Catalog(files=[p]), today="2026-12-03")
    reasons = {r["entry"]: r["reason"] for r in a.stale}
    assert reasons["accelerators.old-price"] == "stale"
    assert reasons["accelerators.old-assumed"] == "assumption"
    assert reasons["accelerators.old-part"] == "historical"
    assert {"entry": "accelerators.old-assumed", "field": "price_usd", "value": 1000.0,
            "assumption": True} in a.unranged
    newer = history.audit("10y", catalog=Catalog(files=[p]), today="2026-12-03")
    assert "accelerators.old-price" not in {r["entry"] for r in newer.stale}


def test_a_missing_measure_names_each_series_once():
    """Several providers' series of one measure are one name in the message."""
    with pytest.raises(InputError) as err:
        history.series("h100", measure="rent")
    have = str(err.value).split("it has: ")[1].split(", ")
    assert len(have) == len(set(have)) and "rental-on-demand" in have
