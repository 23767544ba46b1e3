"""One formatting policy for every number the package shows: CLI, report, CSV, XLSX, dashboard.

- years are integers (``2027``, never ``2,027.0``); a span is ``2022-2023``;
- money carries an SI suffix from a million up (``$1.50B``, ``$650M``), thousands separators
  below (``$25,000``) and cents under a hundred dollars (``$1.97``);
- shares are percentages (``5.2%``), never ``0.052`` in one place and ``5.2%`` in another;
- solver noise is rounded away (``4.806e-13`` MW is ``0``) and ``-0`` never appears;
- significant figures by quantity (:data:`SIG_FIGS`): three for money and physical
  quantities, counts whole.

The module imports nothing from the package, so every layer (models excepted, which format
nothing) can use it. Functions take plain numbers (NumPy scalars too) and return text;
:func:`clean` returns the number itself with noise and ``-0`` removed, for CSV and XLSX cells.

Examples
--------
>>> year(2027.0), year_range(2022, 2023.0), money(1.497e9), money(6.5e8), money(1.9712)
('2027', '2022-2023', '$1.50B', '$650M', '$1.97')
>>> share(0.052), quantity(4.806e-13, "MW", scale=300.0), number(-0.0)
('5.2%', '0 MW', '0')
"""

from __future__ import annotations

import math
from typing import Any

#: Relative size below which a value is solver or rounding noise: ``|x| < NOISE * scale`` is 0.
NOISE = 1e-9
#: Values smaller than this in absolute terms are noise whatever the scale.
ABSOLUTE_NOISE = 1e-12
#: Significant figures by quantity (units as the package names them).
SIG_FIGS = {"USD": 3, "USD/h": 3, "MW": 3, "GWh": 3, "MWh": 3, "kWh": 3, "W": 3, "kW": 3,
            "tCO2e": 3, "USD/kWh": 3, "days": 3, "h": 3, "": 4}
_SI = ((1e12, "T"), (1e9, "B"), (1e6, "M"))
#: Numbers from this size on are written with a power of ten (``1.33e+21``): a row of digit
#: groups says nothing more, and only a run that never ends reaches them.
HUGE = 1e15
_MISSING = ""


def _float(x) -> float | None:
    if x is None or isinstance(x, str):
        return None
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v


def clean(x, scale=None):
    """``x`` with solver noise and negative zero removed; other values unchanged.

    Parameters
    ----------
    x : numeric
        The value.
    scale : numeric, optional
        The size of the quantity ``x`` is compared with (the largest value of its column, the
        total it is a part of); noise is ``|x| < NOISE * |scale|``. Without it only values under
        :data:`ABSOLUTE_NOISE` are noise.

    Examples
    --------
    >>> clean(4.806e-13), clean(-0.0), clean(2e-8, scale=100.0), clean(2e-8)
    (0.0, 0.0, 0.0, 2e-08)
    """
    v = _float(x)
    if v is None or not math.isfinite(v):
        return x
    bound = ABSOLUTE_NOISE if scale is None else max(ABSOLUTE_NOISE, NOISE * abs(float(scale)))
    if abs(v) < bound:
        return 0.0
    return v


def _round_sig(v: float, sig: int) -> float:
    if v == 0:
        return 0.0
    digits = sig - 1 - math.floor(math.log10(abs(v)))
    return round(v, digits) + 0.0


def _no_negative_zero(text: str) -> str:
    """``-0``, ``-0.00``, ``-$0`` and ``-0%`` read as zero."""
    body = text.lstrip("-")
    if text.startswith("-") and not any(c in "123456789" for c in body.split("e")[0]):
        return body
    return text


def number(x, sig: int = 3, *, scale=None) -> str:
    """A plain number: ``sig`` significant figures (whole digits kept), thousands separators, no
    noise or ``-0``.

    Examples
    --------
    >>> number(1755.4), number(0.0611), number(12345678), number(-1e-15), number(None)
    ('1,755', '0.0611', '12,345,678', '0', '')
    >>> number(1.3349e21)
    '1.33e+21'
    """
    v = _float(clean(x, scale))
    if v is None:
        return _MISSING if x is None else str(x)
    if not math.isfinite(v):
        return "n/a"
    if abs(v) >= HUGE:
        return f"{v:.{sig}g}"
    if abs(v) >= 10 ** (sig - 1) - 0.5:  # whole digits are never rounded away
        return _no_negative_zero(f"{v:,.0f}")
    r = _round_sig(v, sig)
    if r == int(r) and abs(r) >= 1:
        text = f"{r:,.0f}"
    else:
        decimals = max(0, sig - 1 - math.floor(math.log10(abs(r)))) if r else 0
        text = f"{r:,.{decimals}f}"
        if "." in text:  # 1.5, not 1.500: the figures are significant, the zeros are not news
            text = text.rstrip("0").rstrip(".")
    return _no_negative_zero(text)


def integer(x) -> str:
    """A count: whole, with thousands separators (``16,384``)."""
    v = _float(clean(x))
    if v is None or not math.isfinite(v):
        return _MISSING if x is None else str(x)
    return _no_negative_zero(f"{round(v):,d}")


def year(x) -> str:
    """A calendar year as an integer: ``2027`` for 2027.0; a fractional year is the year it
    falls in (``2027.5`` is mid-2027, ``2027``).

    Examples
    --------
    >>> year(2027.0), year(2027.5), year("2030"), year(None)
    ('2027', '2027', '2030', '')
    """
    v = _float(x)
    if v is None:
        try:
            return str(int(str(x))) if x is not None else _MISSING
        except ValueError:
            return str(x)
    if not math.isfinite(v):
        return "n/a"
    return str(math.floor(v + 1e-9))


def year_range(first, last) -> str:
    """A span of years: ``2022-2023``; one year when both ends fall in it."""
    a, b = year(first), year(last)
    return a if a == b else f"{a}-{b}"


def is_calendar_year(name: str) -> bool:
    """True for a quantity named as a calendar year (``earliest_power_year``, ``year``), not a
    duration (``accelerator_life_years``) or a rate (``usd_per_mw_year``)."""
    base = name.split("@")[0].split(".")[-1].lower()
    return (base == "year" or base.endswith("_year") or base.startswith("year_")) and \
        "per_" not in base


#: Table columns that hold calendar years whatever their name says.
YEAR_COLUMNS = {"year", "earliest power", "power from", "first year", "in service from"}


def column_kind(name) -> str:
    """How a table column is shown: ``year``, ``share`` or ``number`` (by its name).

    Examples
    --------
    >>> column_kind("earliest power"), column_kind("power share"), column_kind("USD/h")
    ('year', 'share', 'number')
    """
    text = str(name).strip().lower()
    if text in YEAR_COLUMNS or is_calendar_year(text.replace(" ", "_")):
        return "year"
    if text.endswith("share") or text.endswith("share of tco") or text in ("mfu", "goodput"):
        return "share"
    return "number"


def cell(value, column="", sig: int = 4) -> str:
    """A table cell by its column's kind (:func:`column_kind`); text passes through.

    Examples
    --------
    >>> cell(2027.5, "earliest power"), cell(0.052, "power share"), cell(1234.56, "MW")
    ('2027', '5.2%', '1,235')
    """
    if value is None or isinstance(value, (str, bool)):
        return "" if value is None else str(value)
    v = _float(value)
    if v is None:
        return str(value)
    if v != v:
        return ""
    kind = column_kind(column)
    if kind == "year":
        return year(v)
    if kind == "share":
        return share(v)
    if isinstance(value, int) or float(v).is_integer() and abs(v) >= 1:
        return integer(v)
    return number(v, sig)


def span(low, high, name: str = "", sig: int = 4) -> str:
    """A 90% range as text: ``2022-2023`` for calendar years (by ``name``), else
    ``20,000 to 32,000``; empty without one.

    Examples
    --------
    >>> span(2022.0, 2023.0, "site.earliest_power_year"), span(20000.0, 32000.0), span(None, None)
    ('2022-2023', '20,000 to 32,000', '')
    """
    if low is None or high is None:
        return ""
    if is_calendar_year(name):
        return year_range(low, high)
    return f"{number(low, sig)} to {number(high, sig)}"


def money(x, sig: int = 3, *, unit: str = "", scale=None) -> str:
    """Dollars: ``$1.50B``, ``$650M``, ``$25,000``, ``$1.97``, ``$0.0956``; negative as
    ``-$909``; ``unit`` appended after a slash (``$1.97/h``).

    Examples
    --------
    >>> money(25000), money(-909.4), money(0.09561), money(2.5e12), money(-1e-14)
    ('$25,000', '-$909', '$0.0956', '$2.50T', '$0')
    >>> money(1.9712, unit="h"), money(5.31e50)
    ('$1.97/h', '$5.31e+50')
    """
    v = _float(clean(x, scale))
    if v is None:
        return _MISSING if x is None else str(x)
    if not math.isfinite(v):
        return "n/a"
    suffix = f"/{unit}" if unit else ""
    sign = "-" if v < 0 else ""
    a = abs(_round_sig(v, sig))
    if a >= HUGE * _SI[0][0]:  # beyond a thousand trillion dollars: a power of ten reads best
        return f"{sign}${a:.{sig}g}{suffix}"
    for bound, letter in _SI:
        if a >= bound:
            scaled = a / bound
            decimals = max(0, sig - 1 - math.floor(math.log10(scaled))) if scaled < 1000 else 0
            return _no_negative_zero(f"{sign}${scaled:,.{decimals}f}{letter}{suffix}")
    if a >= 100:
        text = f"${a:,.0f}"
    elif a >= 1:
        text = f"${a:,.2f}"
    elif a == 0:
        text = "$0"
    else:
        decimals = max(2, sig - 1 - math.floor(math.log10(a)))
        text = f"${a:.{decimals}f}"
        while text.endswith("0") and len(text.split(".")[1]) > 2:  # $0.05, not $0.0500
            text = text[:-1]
    return _no_negative_zero(sign + text + suffix)


def share(x, decimals: int = 1) -> str:
    """A share as a percentage: ``0.052`` is ``5.2%``; noise and ``-0`` removed.

    Examples
    --------
    >>> share(0.052), share(1.0), share(-1e-13), share(0.00049), share(0.99998)
    ('5.2%', '100.0%', '0.0%', '0.05%', '>99.9%')
    """
    v = _float(clean(x))
    if v is None:
        return _MISSING if x is None else str(x)
    if not math.isfinite(v):
        return "n/a"
    p = 100.0 * v
    if v < 1.0 and round(p, decimals) >= 100.0:  # almost certain is not certain
        return f">{100 - 10 ** -decimals:.{decimals}f}%"
    if p != 0 and abs(p) < 10 ** -decimals:
        return _no_negative_zero(f"{_round_sig(p, 1):g}%")
    return _no_negative_zero(f"{p:.{decimals}f}%")


def quantity(x, unit: str = "", *, sig: int | None = None, scale=None) -> str:
    """A physical or money quantity with its unit, figures chosen by :data:`SIG_FIGS`.

    Money units (``USD``, ``USD/h``, ``USD/Mtok``) go through :func:`money`; ``share``,
    ``fraction`` and ``%`` through :func:`share`; ``year`` through :func:`year`; ``count``
    through :func:`integer`.

    Examples
    --------
    >>> quantity(1497000000, "USD"), quantity(1.9712, "USD/h"), quantity(0.052, "share")
    ('$1.50B', '$1.97/h', '5.2%')
    >>> quantity(300.04, "MW"), quantity(16384, "count"), quantity(2027.0, "year")
    ('300 MW', '16,384', '2027')
    """
    u = unit.strip()
    if u in ("share", "fraction", "%"):
        return share(x)
    if u == "year":
        return year(x)
    if u == "count":
        return integer(x)
    figures = sig if sig is not None else SIG_FIGS.get(u, 3)
    if u == "USD" or u.startswith("USD/"):
        return money(x, figures, unit=u[4:] if u.startswith("USD/") else "", scale=scale)
    text = number(x, figures, scale=scale)
    return f"{text} {u}" if u and text else text


def unit_of_metric(name: str) -> str:
    """The display unit of a result named as the package names them (``usd_per_accelerator_hour``
    -> ``USD/h``, ``power_share@us-texas`` -> ``share``, ``annual_cost_usd`` -> ``USD``).

    Examples
    --------
    >>> unit_of_metric("usd_per_accelerator_hour@us-texas"), unit_of_metric("mfu")
    ('USD/h', 'share')
    """
    base = name.split("@")[0]
    if "share" in base or base in ("mfu", "goodput", "utilization") or base.endswith("_fraction"):
        return "share"
    if base.startswith("usd_per_accelerator_hour") or base.endswith("usd_per_hour"):
        return "USD/h"
    if base.startswith("usd_per_million"):
        return "USD/Mtok"
    if "usd" in base:
        return "USD"
    if base.endswith("_mw"):
        return "MW"
    if base.endswith("year") or base.endswith("_year_first"):
        return "year"
    return ""


def excel_number_format(unit: str = "", value: Any = None) -> str:
    """The Excel number format of a cell holding a quantity in ``unit`` (the cell keeps the
    full number; only its display follows the policy).

    Examples
    --------
    >>> excel_number_format("USD"), excel_number_format("fraction"), excel_number_format("year")
    ('"$"#,##0', '0.0%', '0')
    """
    u = (unit or "").strip()
    if u in ("share", "fraction", "%", "1/year") or u.startswith("fraction"):
        return "0.0%" if u != "1/year" else "0.00%"
    if u in ("year", "flag"):
        return "0"
    if u in ("count", "tokens", "ports"):
        return "#,##0"
    if u == "USD":
        return '"$"#,##0'
    if u.startswith("USD/"):
        return '"$"#,##0.00##'
    if u in ("FLOP", "FLOP/s"):
        return "0.000E+00"
    v = _float(value)
    if v is not None and abs(v) >= 1000:
        return "#,##0"
    return "#,##0.0###"


def frame(df, units: dict | None = None):
    """A copy of a DataFrame for CSV or XLSX: numeric cells cleaned of noise and ``-0`` (each
    against its column's largest value), year columns as integers."""
    import numpy as np

    out = df.copy()
    units = units or {}
    for col in out.columns:
        s = out[col]
        if s.dtype.kind != "f":
            continue
        finite = s[np.isfinite(s)]
        scale = float(np.abs(finite).max()) if len(finite) else None
        cleaned = s.map(lambda v: clean(v, scale))
        if units.get(col) == "year" or column_kind(col) == "year":
            if cleaned.notna().all():
                cleaned = cleaned.map(lambda v: math.floor(v + 1e-9)).astype("int64")
        out[col] = cleaned
    return out


def fit_columns(headers, rows, width: int, *, keep=(0, 1), wrap=(), gap: int = 3,
                min_wrap: int = 12, drop=None) -> list[int]:
    """Indexes of the columns a table of ``rows`` can show whole in ``width`` characters.

    Each column needs its longest cell (numbers are never cut); text columns in ``wrap`` may
    wrap (folding long words) down to ``min_wrap`` characters. Columns are dropped in the order
    ``drop`` (default: from the right), never those in ``keep``, until the table fits. ``gap`` is the border and padding per
    column (3 for Rich's default box).

    Examples
    --------
    >>> fit_columns(["site", "USD/h", "notes"], [["us-texas", "$1.97", "x" * 40]], 30)
    [0, 1]
    """
    need = []
    for i, h in enumerate(headers):
        cells = [str(h)] + [str(r[i]) for r in rows]
        if i in wrap:
            need.append(min(max(len(c) for c in cells), min_wrap))
        else:
            need.append(max(len(c) for c in cells))
    shown = list(range(len(headers)))

    def total(cols):
        return sum(need[i] + gap for i in cols) + 1

    order = list(drop) if drop is not None else list(reversed(shown))
    droppable = [i for i in order if i not in keep]
    while total(shown) > width and droppable:
        shown.remove(droppable.pop(0))
    return shown


def rich_table(headers, rows, *, width: int, title: str = "", keep=(0,), wrap=(0,),
               left=(0,), drop=None):
    """A Rich table whose numbers are never cut: text columns in ``wrap`` wrap, and columns
    that cannot fit in ``width`` are dropped (listed in the returned note, else "").

    Returns
    -------
    (rich.table.Table, str)
    """
    from rich.table import Table

    shown = fit_columns(headers, rows, width, keep=keep, wrap=wrap, drop=drop)
    table = Table(title=title or None, title_justify="left")
    for i in shown:
        cells = [str(headers[i])] + [str(r[i]) for r in rows]
        if i in wrap:
            table.add_column(headers[i], justify="left" if i in left else "right",
                             overflow="fold")
        else:
            table.add_column(headers[i], justify="left" if i in left else "right", no_wrap=True,
                             min_width=max(len(c) for c in cells))
    for r in rows:
        table.add_row(*(str(r[i]) for i in shown))
    dropped = [str(headers[i]) for i in range(len(headers)) if i not in shown]
    note = (f"columns left out to fit {width} characters: {', '.join(dropped)} (widen the "
            "terminal or use --json)") if dropped else ""
    return table, note
