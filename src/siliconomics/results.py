"""Results: :class:`Breakdown`, an ordered set of named cost components.

Components may be floats (one scenario) or NumPy arrays of samples (Monte Carlo); every
method works on both. The total is always the sum of the components, never stored apart.

Examples
--------
>>> b = Breakdown({"accelerator": 1.2, "power": 0.3}, unit="USD/h")
>>> b.total
1.5
>>> round(b.shares()["power"], 3)
0.2
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np


def _scalar(x):
    """A Python float for 0-d values, an array otherwise."""
    arr = np.asarray(x, dtype=float)
    return float(arr) if arr.ndim == 0 else arr


class Breakdown(Mapping):
    """Named components of one total, in order.

    Parameters
    ----------
    components : mapping of str to numeric
        Component name -> value (float or array; arrays broadcast together).
    unit : str
        Unit of every component, e.g. ``"USD/h"``.
    label : str
        What the total is, e.g. ``"cost per accelerator-hour"``.
    """

    def __init__(self, components: Mapping[str, Any], unit: str = "", label: str = ""):
        self._components = {str(k): _scalar(v) for k, v in components.items()}
        self.unit = unit
        self.label = label
        self._total = None

    # Mapping interface -------------------------------------------------------------------
    def __getitem__(self, key: str):
        return self._components[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._components)

    def __len__(self) -> int:
        return len(self._components)

    # Numbers -----------------------------------------------------------------------------
    @property
    def total(self):
        """Sum of the components (float, or array of samples); computed once (a breakdown's
        components do not change)."""
        if self._total is None:
            values = [np.asarray(v, dtype=float) for v in self._components.values()]
            if not values:
                self._total = 0.0
            elif len(values) == 1:
                self._total = _scalar(values[0].copy())
            else:
                # the left-to-right sum, added into the first partial sum (no pass for 0 + a)
                total = values[0] + values[1]
                for v in values[2:]:
                    if isinstance(total, np.ndarray) and total.shape == np.broadcast_shapes(
                            total.shape, v.shape):
                        total += v  # a new array of its own: added in place
                    else:
                        total = total + v
                self._total = _scalar(total)
        return self._total

    def shares(self) -> dict[str, Any]:
        """Each component as a fraction of the total (NaN where the total is 0)."""
        total = np.asarray(self.total, dtype=float)
        with np.errstate(invalid="ignore", divide="ignore"):
            return {k: _scalar(np.asarray(v) / total) for k, v in self._components.items()}

    def scale(self, factor, unit: str | None = None, label: str | None = None) -> Breakdown:
        """Every component times ``factor`` (e.g. USD/h -> USD/year)."""
        return Breakdown(
            {k: np.asarray(v) * factor for k, v in self._components.items()},
            unit=self.unit if unit is None else unit,
            label=self.label if label is None else label,
        )

    def mean(self) -> Breakdown:
        """Component means over samples (a point Breakdown)."""
        return Breakdown(
            {k: float(np.mean(v)) for k, v in self._components.items()}, self.unit, self.label
        )

    @property
    def is_samples(self) -> bool:
        """True when components are arrays of samples."""
        return any(np.ndim(v) > 0 for v in self._components.values())

    # Exports -----------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Component -> value, plus ``"total"``; arrays become lists."""
        out = {k: _plain(v) for k, v in self._components.items()}
        out["total"] = _plain(self.total)
        return out

    def to_frame(self):
        """A pandas DataFrame: one row per component with value and share (means for samples)."""
        import pandas as pd

        point = self.mean() if self.is_samples else self
        shares = point.shares()
        rows = [
            {"component": k, "value": v, "share": shares[k]} for k, v in point.items()
        ]
        rows.append({"component": "total", "value": point.total, "share": 1.0})
        frame = pd.DataFrame(rows).set_index("component")
        frame.attrs["unit"] = self.unit
        return frame

    def __repr__(self) -> str:
        point = self.mean() if self.is_samples else self
        parts = ", ".join(f"{k}={v:.4g}" for k, v in point.items())
        return f"Breakdown({parts}, total={point.total:.4g} {self.unit})"

    def _repr_html_(self) -> str:
        point = self.mean() if self.is_samples else self
        return html_card(self.label or "Breakdown",
                         f"total {number(point.total)} {self.unit}".strip(), breakdown=self)


def _plain(v):
    arr = np.asarray(v)
    return float(arr) if arr.ndim == 0 else arr.tolist()


def scalar_or_array(x):
    """A float for a 0-d value, a float array otherwise: how every model returns its results.

    >>> scalar_or_array(np.float64(2)), scalar_or_array([1, 2])
    (2.0, array([1., 2.]))
    """
    arr = np.asarray(x, dtype=float)
    return float(arr) if arr.ndim == 0 else arr


def flatten(data, prefix: str = "", max_items: int = 24) -> list[tuple[str, Any]]:
    """``(dotted key, value)`` rows of a nested ``to_dict()`` result, scalars only.

    Lists longer than ``max_items`` are summarised as ``"[n items]"``.

    >>> flatten({"a": 1, "b": {"c": [1, 2]}, "d": list(range(30))})
    [('a', 1), ('b.c.0', 1), ('b.c.1', 2), ('d', '[30 items]')]
    """
    rows: list[tuple[str, Any]] = []
    if isinstance(data, Mapping):
        for k, v in data.items():
            rows += flatten(v, f"{prefix}.{k}" if prefix else str(k), max_items)
    elif isinstance(data, (list, tuple)):
        if len(data) > max_items:
            rows.append((prefix, f"[{len(data)} items]"))
        else:
            for i, v in enumerate(data):
                rows += flatten(v, f"{prefix}.{i}" if prefix else str(i), max_items)
    else:
        rows.append((prefix, data))
    return rows


class ResultMixin:
    """``to_frame()`` and a Jupyter display for any result with a ``to_dict()``."""

    def to_frame(self):
        """The result as a one-column DataFrame indexed by dotted quantity names."""
        import pandas as pd

        rows = flatten(self.to_dict())
        return pd.DataFrame(rows, columns=["quantity", "value"]).set_index("quantity")

    def _repr_html_(self) -> str:
        """A readable card: every scalar quantity of ``to_dict()`` with its value formatted
        (results with a headline figure override this with :func:`html_card`)."""
        rows = flatten(self.to_dict())
        return html_card(type(self).__name__, "", inputs=rows[:MAX_ROWS], caption="Quantities",
                         note=f"{len(rows) - MAX_ROWS} more in to_dict()" if len(rows) > MAX_ROWS
                         else "")


# --- notebook display ---------------------------------------------------------------------------
#: Most rows a notebook card shows in one table.
MAX_ROWS = 40

_CARD_CSS = ("font-family:system-ui,sans-serif;border:1px solid #d8dde8;border-radius:6px;"
             "padding:.6em .9em;max-width:44em")
_TD = "padding:.1em .6em;border-bottom:1px solid #eef0f5"
_NUM = _TD + ";text-align:right;font-variant-numeric:tabular-nums"


def number(x, digits: int = 4) -> str:
    """A number as a reader wants it: thousands separators, ``digits`` significant figures, no
    ``-0``, integers whole; an array of samples as its mean and 90% interval.

    >>> number(1234567.891), number(0.0123456), number(-0.0), number(30000)
    ('1,235,000', '0.01235', '0', '30,000')
    >>> number(np.array([1.0, 2.0, 3.0, 4.0, 5.0]))
    '3 (90%: 1.2 to 4.8)'
    """
    arr = np.asarray(x)
    if arr.ndim > 0:
        if arr.size == 0 or arr.dtype.kind not in "fiu":
            return f"[{arr.size} values]"
        lo, hi = np.percentile(arr, [5, 95])
        return f"{number(arr.mean(), digits)} (90%: {number(lo, digits)} to {number(hi, digits)})"
    if isinstance(x, (bool, np.bool_)):
        return str(bool(x))
    if isinstance(x, (int, np.integer)):
        return f"{int(x):,}"
    v = float(x)
    if not math.isfinite(v):
        return str(v)
    r = float(f"{v:.{digits}g}")  # rounded to significant figures
    if r == 0:
        return "0"
    if abs(r) >= 1e15 or abs(r) < 1e-4:
        return f"{r:.{digits - 1}e}"
    if r.is_integer():
        return f"{int(r):,}"
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(r))))
    return f"{r:,.{decimals}f}".rstrip("0").rstrip(".")


def html_card(title: str, headline: str = "", *, breakdown=None, inputs=None, tables=(),
              note: str = "", caption: str = "Key inputs") -> str:
    """The notebook display of a result: a title, the headline figure in large type, the
    breakdown (component, value, share, with a bar), the key inputs and any small tables.

    Parameters
    ----------
    title : str
        What the result is (``"TCO of h100-sxm at us-texas"``).
    headline : str
        The figure to read first (``"$1.53 per accelerator-hour"``).
    breakdown : Breakdown or mapping, optional
        Components of the headline figure; sample arrays are shown by their means.
    inputs : list of (label, value), optional
        The inputs worth seeing beside the result (numbers are formatted with :func:`number`;
        rows without a value are left out).
    tables : list of (caption, list of dict)
        Small tables (one dict per row), cut to :data:`MAX_ROWS` rows.
    note : str
        A line in small type at the end.
    caption : str
        Caption of the ``inputs`` table.

    >>> card = html_card("T <1>", "$2", breakdown={"a": 1.0, "b": 3.0}, inputs=[("n", 10_000)])
    >>> "<b>T &lt;1&gt;</b>" in card and "75.0%" in card and "10,000" in card
    True
    """
    parts = [f"<div style='{_CARD_CSS}'><b>{html.escape(title)}</b>"]
    if headline:
        parts.append(f"<div style='font-size:1.5em;margin:.2em 0'>{html.escape(headline)}</div>")
    if breakdown is not None:
        b = breakdown if isinstance(breakdown, Breakdown) else Breakdown(breakdown)
        point = b.mean() if b.is_samples else b
        shares = point.shares()
        rows = "".join(
            f"<tr><td style='{_TD}'>{html.escape(k.replace('_', ' '))}</td>"
            f"<td style='{_NUM}'>{number(v)}</td><td style='{_NUM}'>{_share(shares[k])}</td>"
            f"<td style='{_TD};width:8em'>{_bar(shares[k])}</td></tr>"
            for k, v in point.items())
        unit = f" [{html.escape(b.unit)}]" if b.unit else ""
        parts.append(f"<table style='border-collapse:collapse;margin:.4em 0'><caption "
                     f"style='text-align:left;color:#555'>Breakdown{unit}</caption><tr>"
                     f"<th style='{_TD}'>component</th><th style='{_TD}'>value</th>"
                     f"<th style='{_TD}'>share</th><th></th></tr>{rows}<tr><th style='{_TD}'>"
                     f"total</th><th style='{_NUM}'>{number(point.total)}</th><th></th><th></th>"
                     "</tr></table>")
    inputs = [(k, v) for k, v in (inputs or ()) if v is not None and v != ""]
    if inputs:
        rows = "".join(
            f"<tr><td style='{_TD}'>{html.escape(str(k))}</td><td style='{_NUM}'>"
            f"{html.escape(_value(v))}</td></tr>" for k, v in inputs)
        parts.append(f"<table style='border-collapse:collapse;margin:.4em 0'><caption "
                     f"style='text-align:left;color:#555'>{html.escape(caption)}</caption>{rows}</table>")
    for caption, records in tables:
        parts.append(_records_html(caption, list(records)))
    if note:
        parts.append(f"<div style='color:#777;font-size:.85em'>{html.escape(note)}</div>")
    parts.append("</div>")
    return "".join(parts)


def _is_number(v) -> bool:
    return isinstance(v, (int, float, np.number, np.ndarray)) and not isinstance(v, (bool, np.bool_))


def _value(v) -> str:
    """A table cell: numbers by :func:`number`, None empty, anything else as text."""
    if v is None:
        return ""
    return number(v) if _is_number(v) else str(v)


def _share(x) -> str:
    x = float(x)
    return "" if x != x else f"{x:.1%}"


def _bar(share) -> str:
    x = float(share)
    width = 0 if x != x else max(0.0, min(1.0, x)) * 100
    return (f"<div style='background:#3b6bd6;height:.7em;width:{width:.0f}%'></div>")


def _records_html(caption: str, records: list[dict]) -> str:
    if not records:
        return ""
    cols = list(records[0])
    head = "".join(f"<th style='{_TD}'>{html.escape(str(c))}</th>" for c in cols)
    body = "".join(
        "<tr>" + "".join(
            f"<td style='{_NUM if _is_number(r.get(c)) else _TD}'>"
            f"{html.escape(_value(r.get(c)))}</td>"
            for c in cols) + "</tr>"
        for r in records[:MAX_ROWS])
    more = (f"<caption style='caption-side:bottom;color:#777'>{len(records) - MAX_ROWS} more "
            "rows</caption>") if len(records) > MAX_ROWS else ""
    return (f"<table style='border-collapse:collapse;margin:.4em 0'><caption style='text-align:"
            f"left;color:#555'>{html.escape(caption)}</caption>{more}<tr>{head}</tr>{body}</table>")
