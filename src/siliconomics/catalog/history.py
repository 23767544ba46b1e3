r"""Prices over time: dated price series, the price at a date, and the catalog's freshness.

A ``price_history`` entry is one series: what is priced (``subject``, e.g.
``accelerators.h100-sxm``), what the price measures (``list``, ``street``, ``secondary``,
``rental-on-demand``, ``rental-1y``, ``rental-3y``, ``contract``, ``wafer``, ``power``), its unit
and its dated, sourced points.

:func:`price_at` reads a series at any date:

- **between points**, log-linear interpolation (prices move by percentages), its range
  interpolated the same way where both neighbours carry one;
- **outside the series**, the nearest point's value held flat (no trend is assumed), with a 90%
  range that widens as a random walk in the log price,
  :math:`P \exp(\pm 1.645\, \sigma \sqrt{\Delta t})`, where :math:`\sigma` is the series' own
  volatility (standard deviation of :math:`\Delta \ln P / \sqrt{\Delta t}` between consecutive
  points) or, with fewer than three points, :data:`DEFAULT_VOLATILITY`; the result says how far it
  extrapolated and :func:`price_at` warns.

:func:`audit` lists entries whose newest sourced date is older than a given age, values that
should carry a range and do not, and price points whose source names no date.

Examples
--------
>>> p = price_at("h100", "2023-09", measure="street", warn=False)
>>> p.value > 0 and p.extrapolated_years == 0.0
True
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import warnings
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError, unknown
from .loader import Entry, Point, decimal_year

#: Yearly volatility of a log price used when a series has fewer than three points: an
#: assumption (about the spread of year-on-year changes of GPU rental and memory contract
#: prices in 2023-26, which moved by tens of percent a year).
DEFAULT_VOLATILITY = 0.3

_Z90 = 1.6448536269514722
_YEAR_RE = re.compile(r"(19|20)\d{2}|[1-4]Q\d{2}|Q[1-4] ?\d{2}")


class ExtrapolationWarning(UserWarning):
    """A price was read outside the dates its series covers."""


@dataclass(frozen=True)
class PriceAt:
    """A series read at a date. [unit of the series]"""

    subject: str
    measure: str
    unit: str
    date: str
    value: float
    low: float | None
    high: float | None
    extrapolated_years: float = 0.0
    rule: str = "interpolated"
    sources: tuple[str, ...] = ()
    series: str = ""

    @property
    def warning(self) -> str:
        if not self.extrapolated_years:
            return ""
        return (f"{self.series}: {self.date} is {abs(self.extrapolated_years):.1f} years "
                f"{'after the last' if self.extrapolated_years > 0 else 'before the first'} "
                f"point; the nearest value is held flat with a range widening with the distance")

    def to_dict(self) -> dict[str, Any]:
        return {"series": self.series, "subject": self.subject, "measure": self.measure,
                "unit": self.unit, "date": self.date, "value": self.value, "low": self.low,
                "high": self.high, "rule": self.rule,
                "extrapolated_years": self.extrapolated_years, "sources": list(self.sources),
                "warning": self.warning or None}


def _catalog(catalog):
    from . import load

    return catalog or load()


def subject_of(name, catalog=None) -> str:
    """``"h100"`` -> ``"accelerators.h100-sxm"``; an entry -> its ``kind.slug``."""
    cat = _catalog(catalog)
    if isinstance(name, Entry):
        return f"{name.kind}.{name.slug}"
    text = str(name)
    kind, dot, slug = text.partition(".")
    if dot and kind in cat.kinds() and cat._has(kind, slug):
        return f"{kind}.{cat.get(kind, slug).slug}"
    e = cat.find(text)
    return f"{e.kind}.{e.slug}"


def series(name, measure: str | None = None, *, provider: str | None = None,
           catalog=None) -> list[Entry]:
    """The ``price_history`` entries of ``name`` (a catalog name, entry or ``kind.slug``),
    optionally of one ``measure``; with a measure, the market's own series come first (those of
    a named ``provider`` or wider scope after them, or only those of ``provider``), and a
    user's series before the catalog's."""
    cat = _catalog(catalog)
    subject = subject_of(name, cat)
    out = [e for e in cat.entries("price_history") if e.subject == subject]
    if provider is not None:
        out = [e for e in out if e.get("provider") == provider]
    if measure is not None:
        found = [e for e in out if e.measure == measure]
        if not found:
            from ..errors import closest

            have = sorted(dict.fromkeys(e.measure for e in out))  # one series per provider
            near = [n for n in closest(measure, have) if n != measure]
            hint = ("did you mean " + ", ".join(repr(n) for n in near) + "? ") if near else ""
            raise InputError(f"{subject} has no {measure!r} price series; {hint}"
                             + (f"it has: {', '.join(have)}" if have else "it has none"))
        # the market's series before a provider's; the user's own before the catalog's
        out = sorted(found, key=lambda e: (e.get("provider") is not None, not e.is_user))
    return out


def volatility(points) -> float:
    r"""Yearly volatility of a log price: standard deviation of
    :math:`\Delta \ln P / \sqrt{\Delta t}` between consecutive points
    (:data:`DEFAULT_VOLATILITY` with fewer than three points)."""
    steps = []
    for a, b in zip(points, points[1:]):
        dt = b.year - a.year
        if dt > 0:
            steps.append((math.log(b.value) - math.log(a.value)) / math.sqrt(dt))
    if len(steps) < 2:
        return DEFAULT_VOLATILITY
    mean = sum(steps) / len(steps)
    return math.sqrt(sum((s - mean) ** 2 for s in steps) / (len(steps) - 1))


def _interp(a: float, b: float, w: float) -> float:
    return math.exp((1.0 - w) * math.log(a) + w * math.log(b))


def read(entry: Entry, date: str) -> PriceAt:
    """The series ``entry`` read at ``date`` (see the module docstring for the rules)."""
    from .loader import _DATE

    if not _DATE.match(str(date)):
        raise InputError(f"date must be YYYY, YYYY-MM or YYYY-MM-DD, got {date!r}")
    pts: tuple[Point, ...] = entry.points
    t = decimal_year(str(date))
    common = dict(subject=entry.subject, measure=entry.measure, unit=entry.unit, date=str(date),
                  series=entry.slug)
    exact = next((p for p in pts if abs(p.year - t) < 1e-9), None)
    if exact is not None:
        return PriceAt(value=exact.value, low=exact.low, high=exact.high, rule="point",
                       sources=(exact.source,), **common)
    if t < pts[0].year or t > pts[-1].year:
        p = pts[0] if t <= pts[0].year else pts[-1]
        dt = t - p.year
        spread = math.exp(_Z90 * volatility(pts) * math.sqrt(abs(dt)))
        low, high = p.value / spread, p.value * spread
        if p.low is not None:
            low, high = min(low, p.low / spread), max(high, p.high * spread)
        return PriceAt(value=p.value, low=low, high=high, extrapolated_years=dt,
                       rule="held flat, range widening with distance", sources=(p.source,),
                       **common)
    for a, b in zip(pts, pts[1:]):
        if a.year <= t <= b.year:
            w = 0.0 if b.year == a.year else (t - a.year) / (b.year - a.year)
            ranged = a.low is not None and b.low is not None
            return PriceAt(value=_interp(a.value, b.value, w),
                           low=_interp(a.low, b.low, w) if ranged else None,
                           high=_interp(a.high, b.high, w) if ranged else None,
                           rule="log-linear between points", sources=(a.source, b.source),
                           **common)
    raise AssertionError("unreachable: the date lies between two points")


def price_at(name, date, measure: str = "list", *, provider: str | None = None, catalog=None,
             warn: bool = True) -> PriceAt:
    """The price of ``name`` (an accelerator, memory, node or site) at ``date``.

    Parameters
    ----------
    name : str or Entry
        Catalog name or entry (``"h100"``), or ``kind.slug``.
    date : str
        ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.
    measure : str
        Which series: ``list``, ``street``, ``secondary``, ``rental-on-demand``,
        ``rental-1y``, ``rental-3y``, ``contract``, ``wafer``, ``power``.
    provider : str, optional
        A provider's or wider scope's series (``"aws"``); default the market's own.
    warn : bool
        Warn (:class:`ExtrapolationWarning`) when the date lies outside the series.

    Returns
    -------
    PriceAt
        Value with its 90% range where known, the rule used and how far it extrapolated.
    """
    from .schema import MEASURES

    if measure not in MEASURES:
        raise InputError(unknown("price measure", str(measure), MEASURES))
    (entry,) = series(name, measure, provider=provider, catalog=catalog)[:1]
    p = read(entry, date)
    if warn and p.extrapolated_years:
        warnings.warn(p.warning, ExtrapolationWarning, stacklevel=2)
    return p


# =============================================================================================
# Audit
# =============================================================================================
def parse_age(text) -> float:
    """``"18months"``, ``"18 months"``, ``"2y"``, ``"1.5 years"``, ``"90d"`` -> months.

    >>> parse_age("18months"), parse_age("2y"), round(parse_age("90 days"), 3)
    (18.0, 24.0, 2.957)
    """
    m = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([a-z]+)\s*", str(text).lower())
    per = _AGE_UNITS.get(m.group(2)) if m else None
    if per is None:
        raise InputError(f"--older-than: cannot read {str(text)[:40]!r} as an age; write e.g. "
                         f"18months, 2y, 90d")
    months = float(m.group(1)) * per
    if months > MAX_AGE_MONTHS:
        raise InputError(f"--older-than: {str(text)[:40]!r} is more than {MAX_AGE_MONTHS // 12} "
                         "years; the catalog's dates start in 1950")
    return months


#: Longest age an audit may ask about. [months]
MAX_AGE_MONTHS = 200 * 12


#: Months per unit of an age.
_AGE_UNITS = {**dict.fromkeys(("y", "yr", "yrs", "year", "years"), 12.0),
              **dict.fromkeys(("m", "mo", "month", "months"), 1.0),
              **dict.fromkeys(("w", "week", "weeks"), 12.0 / 52.1775),
              **dict.fromkeys(("d", "day", "days"), 12.0 / 365.25)}


#: Fields whose values move with markets and years (prices, exchange rates, grid carbon),
#: besides every field in US dollars; datasheet facts (a die's area, a peak) do not go stale.
TIME_VARYING = {"grid_intensity_kg_per_kwh", "usd_per_local", "time_to_power_years",
                "power_available_mw"}


def time_varying(kind: str, name: str) -> bool:
    """Whether a field's value moves with markets and years (see :data:`TIME_VARYING`)."""
    from . import schema

    f = schema.KINDS.get(kind, {}).get(name)
    return name in TIME_VARYING or (f is not None and "USD" in f.unit and f.kind != "text")


def newest_date(entry: Entry) -> str:
    """The newest date an entry's own data carries (entry ``as_of``, value ``as_of``s, the
    last point of a series)."""
    dates = [entry.as_of] if entry.as_of else []
    for v in entry.fields.values():
        if v.as_of:
            dates.append(v.as_of)
        if isinstance(v.value, tuple) and v.value and isinstance(v.value[0], Point):
            dates.append(v.value[-1].date)
    return max(dates, key=decimal_year) if dates else ""


#: Kinds that record the past (a released model, a node's history): their data does not go
#: stale, so the audit calls them historical.
HISTORICAL_KINDS = ("models", "foundry_nodes", "price_history")
#: Kinds whose entries are this project's labelled assumptions.
ASSUMPTION_KINDS = ("assumptions", "industry_trends")


@dataclass
class Audit:
    """What :func:`audit` found."""

    today: str
    older_than_months: float
    stale: list[dict] = field(default_factory=list)
    unranged: list[dict] = field(default_factory=list)
    undated_points: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"today": self.today, "older_than_months": self.older_than_months,
                "old_entries": self.stale, "values_without_ranges": self.unranged,
                "points_without_dated_sources": self.undated_points}


def audit(older_than: str = "18months", *, catalog=None, today: str | None = None) -> Audit:
    """Old entries, uncertain values without ranges, undated price points.

    An entry is old when one of its time-varying values (:func:`time_varying`: prices, costs,
    exchange rates, grid carbon) is dated before ``older_than`` ago. Each is listed with the
    old fields and why they may be old: ``historical`` (the entry records the past: a
    discontinued part, a released model, a node's history), ``assumption`` (every old value is
    this project's labelled judgement) or ``stale`` (to be refreshed). A value should carry a
    range when it is an assumption or a price; a price point's source should name a year.
    """
    cat = _catalog(catalog)
    months = parse_age(older_than)
    now = today or _dt.date.today().isoformat()
    cutoff = decimal_year(now) - months / 12.0
    out = Audit(today=now, older_than_months=months)
    for kind in cat.kinds():
        for e in cat.entries(kind):
            old = {name: v for name, v in e.fields.items()
                   if time_varying(kind, name) and v.as_of and decimal_year(v.as_of) < cutoff
                   and v.value != 0  # a part that does not exist costs nothing, at any date
                   and not (name == "usd_per_local" and e.get("currency") == "USD")}
            if old:
                if e.status == "historical" or kind in HISTORICAL_KINDS:
                    reason = "historical"
                elif kind in ASSUMPTION_KINDS or all(v.assumption for v in old.values()):
                    reason = "assumption"
                else:
                    reason = "stale"
                out.stale.append({"entry": f"{kind}.{e.slug}", "reason": reason,
                                  "fields": {n: v.as_of for n, v in old.items()},
                                  "user": e.is_user})
            for name, v in e.fields.items():
                if isinstance(v.value, (int, float)) and not isinstance(v.value, bool) and (
                        v.assumption or "price" in name) and not v.is_uncertain:
                    out.unranged.append({"entry": f"{kind}.{e.slug}", "field": name,
                                         "value": v.value, "assumption": v.assumption})
                if isinstance(v.value, tuple):
                    for p in v.value:
                        if isinstance(p, Point) and not _YEAR_RE.search(p.source):
                            out.undated_points.append({"entry": f"{kind}.{e.slug}",
                                                       "date": p.date, "source": p.source})
    return out
