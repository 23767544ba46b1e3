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
            values = list(self._components.values())
            self._total = 0.0 if not values else _scalar(
                sum(np.asarray(v, dtype=float) for v in values))
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
        shares = point.shares()
        head = html.escape(self.label or "Breakdown") + (
            f" [{html.escape(self.unit)}]" if self.unit else ""
        )
        rows = "".join(
            f"<tr><td>{html.escape(k)}</td><td style='text-align:right'>{v:,.4g}</td>"
            f"<td style='text-align:right'>{shares[k]:.1%}</td></tr>"
            for k, v in point.items()
        )
        return (
            f"<table><caption>{head}</caption><tr><th>component</th><th>value</th>"
            f"<th>share</th></tr>{rows}<tr><th>total</th><th style='text-align:right'>"
            f"{point.total:,.4g}</th><th></th></tr></table>"
        )


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
        return (f"<b>{html.escape(type(self).__name__)}</b>"
                + self.to_frame()._repr_html_())
