"""Widgets and helpers shared by the dashboard pages.

Every value a callback receives comes from the browser, or from anyone who can post to the
server, so each is read through one of the checks below before a model sees it: a number box
or slider with :func:`amount` or :func:`count`, a dropdown with :func:`choice` or
:func:`catalog_name`. A check that fails raises :class:`~siliconomics.errors.InputError`
naming the field; :func:`guard` turns it into a line in the page's error box.

Examples
--------
>>> count(2048, "prompt tokens", high=10_000_000)
2048
>>> count(2.5, "samples")
Traceback (most recent call last):
...
siliconomics.errors.InputError: samples must be a whole number, got 2.5
>>> amount(float("nan"), "PUE", 1, 3)
Traceback (most recent call last):
...
siliconomics.errors.InputError: PUE must be a finite number, got nan
>>> amount("abc", "PUE", 1, 3)
Traceback (most recent call last):
...
siliconomics.errors.InputError: PUE must be a number, got 'abc'
>>> choice("fp9", "precision", ["bf16", "fp8", "fp4", "int4"])
Traceback (most recent call last):
...
siliconomics.errors.CatalogError: unknown precision 'fp9'; did you mean 'fp8', 'fp4'?
"""

from __future__ import annotations

import functools
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dash import dcc, html

from ...errors import CatalogError, InputError, SiliconomicsError, unknown

log = logging.getLogger(__name__)

#: Most accelerators a page accepts: ten times the largest cluster announced by 2026.
MAX_ACCELERATORS = 10_000_000

#: Longest text a dropdown value may be before it is no longer looked up. [characters]
MAX_NAME_CHARS = 100


@dataclass(frozen=True)
class Shared:
    """A widget whose value goes into the page's link (the URL's query string).

    ``check`` reads the widget's value as the page's callback does (raising InputError or
    CatalogError naming the field); ``kind`` says how the link's text is read back: ``"name"``
    as text, ``"number"`` as a number (whole numbers as ints).
    """

    id: str
    check: Callable[[Any], Any]
    kind: str = "name"


def dropdown(id_, options, value, label, width="14em"):
    return html.Label([label, dcc.Dropdown(id=id_, options=list(options), value=value,
                                           clearable=False, style={"width": width})],
                      style={"display": "inline-block", "marginRight": "1.2em"})


def box_width(value, low: float = 9.0) -> str:
    """Width of a number box that shows ``value`` whole, with room for the padding and the
    box's minus and plus buttons: 0.65 em per character (a digit is about 0.6 em in the usual
    sans-serif fonts) plus 6 em, at least ``low`` em.

    >>> box_width(100_000), box_width(156_000_000_000_000)
    ('9.9em', '15.8em')
    """
    return f"{max(low, 0.65 * len(str(value)) + 6):.1f}em"


def number(id_, value, label, **kw):
    """A box for a count (``inputMode="numeric"``: a phone shows digits only), wide enough for
    its value and for ten times it (a 15.6e12 token count shows whole, never cut)."""
    value = int(value) if isinstance(value, float) and value.is_integer() else value
    return html.Label([label, html.Br(), dcc.Input(id=id_, type="number", value=value,
                                                    inputMode="numeric", debounce=True,
                                                    style={"width": box_width(value * 10)},
                                                    **kw)],
                      style={"display": "inline-block", "marginRight": "1.2em"})


def slider(id_, lo, hi, step, value, label, marks=None):
    return html.Div([html.Label(label), dcc.Slider(id=id_, min=lo, max=hi, step=step,
                                                    value=value, marks=marks,
                                                    tooltip={"placement": "bottom"})],
                    style={"width": "30em", "display": "inline-block", "marginRight": "1em"})


def error_box(id_):
    return html.Div(id=id_, role="alert", style={"color": "#b00020", "minHeight": "1.2em"})


def guard(func=None, *, clears: bool = True):
    """Run a callback; a bad input becomes a message in the page, never a crash.

    The callback returns a tuple of its outputs but the last; the guard adds the last, the
    page's error box: "" when fine (or no change, with ``clears=False``, for a callback that
    runs beside the page's main one), else ``error: ...``. On an error a page's main callback
    (``clears=True``) also blanks its results (text emptied, charts emptied: :func:`blank`),
    so no figure from earlier inputs stays beside the message; inputs and downloads are left
    as they are. A
    :class:`~siliconomics.errors.SiliconomicsError` shows its own message. A ``TypeError``,
    ``ValueError``, ``ArithmeticError`` (overflow, division by zero) or ``RecursionError`` from
    deeper down means an input slipped past the checks of this module: it shows one line of
    the project's words and is logged with its traceback, so the check can be added.
    """
    if func is None:
        return functools.partial(guard, clears=clears)

    @functools.wraps(func)
    def wrapper(*args):
        import dash

        try:
            return (*func(*args), "" if clears else dash.no_update)
        except SiliconomicsError as exc:
            message = f"error: {exc}"
        except (TypeError, ValueError, ArithmeticError, RecursionError) as exc:
            log.warning("%s: input not caught by the page's checks", func.__qualname__,
                        exc_info=exc)
            message = ("error: these inputs cannot be computed; check that each value is "
                       "a number in its range")
        outputs = dash.callback_context.outputs_list[:-1]
        return (*(blank(o["property"]) if clears else dash.no_update for o in outputs), message)

    return wrapper


#: A chart with nothing on it: what a result's chart shows after an error.
EMPTY_FIGURE = {"data": [], "layout": {"xaxis": {"visible": False}, "yaxis": {"visible": False},
                                       "height": 120}}


def blank(prop: str):
    """What an output shows after an error: text and charts emptied; anything else (an input's
    value, a download) unchanged.

    >>> blank("children"), blank("figure")["data"], blank("value") is blank("data")
    ('', [], True)
    """
    import dash

    prop = prop.split("@")[0]
    if prop == "children":
        return ""
    if prop == "figure":
        return EMPTY_FIGURE
    return dash.no_update


def shown(value, limit: int = 40) -> str:
    """``value`` as a message shows it: numbers and short text as written, long text cut,
    lists and tables by kind only (a message never echoes a whole request back).

    >>> shown("x" * 100)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx..."
    >>> shown([1, [2]])
    'a list'
    """
    if value is None or isinstance(value, (bool, int, float, str)):
        text = repr(value)
        return text if len(text) <= limit else text[:limit - 3] + "..."
    return "a dict" if isinstance(value, dict) else f"a {type(value).__name__}"


def _real(value, name: str) -> int | float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(f"{name} must be a number, got {shown(value)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise InputError(f"{name} must be a finite number, got {shown(value)}")
    return value


def _bound(x) -> str:
    return f"{x:,}" if isinstance(x, int) else f"{x:g}"


def _bounded(value, name: str, low, high):
    if value < low:
        raise InputError(f"{name} must be >= {_bound(low)}, got {shown(value)}")
    if value > high:
        raise InputError(f"{name} must be <= {_bound(high)}, got {shown(value)}")
    return value


def amount(value, name: str, low: float, high: float) -> float:
    """A finite number in [``low``, ``high``] from a slider or number box, else InputError."""
    return float(_bounded(_real(value, name), name, low, high))


def count(value, name: str, low: int = 1, high: int = MAX_ACCELERATORS) -> int:
    """A whole number in [``low``, ``high``] from a number box (``2.5``, text or an empty
    box are an InputError, never rounded)."""
    value = _real(value, name)
    if isinstance(value, float) and not value.is_integer():
        raise InputError(f"{name} must be a whole number, got {shown(value)}")
    return int(_bounded(value, name, low, high))


def choice(value, name: str, choices):
    """``value`` if it is one of ``choices`` (a dropdown's options), else an error that
    suggests the closest ones."""
    choices = list(choices)
    if any(value == c and type(value) is type(c) for c in choices):
        return value
    if isinstance(value, str) and len(value) <= MAX_NAME_CHARS and all(
            isinstance(c, str) for c in choices):
        raise CatalogError(unknown(name, value, choices))
    raise InputError(f"{name} must be one of {', '.join(str(c) for c in choices[:12])}"
                     f"{'...' if len(choices) > 12 else ''}, got {shown(value)}")


def catalog_name(value, kind: str, name: str) -> str:
    """A catalog name of ``kind`` (``"accelerators"``) as a dropdown offers it, else an
    error naming the field ``name`` with the closest names."""
    return choice(value, name, catalog_names(kind))


def catalog_names(kind):
    from ... import catalog

    return catalog.names(kind)


def bars(components: dict, title: str, unit: str, label: str = ""):
    """One horizontal bar stacked by component; the axis titles name what it measures and in
    which unit (``xaxis_title``), and what the bar is (``label``, on the vertical axis)."""
    import plotly.graph_objects as go

    fig = go.Figure()
    for name, value in components.items():
        fig.add_trace(go.Bar(name=name, x=[float(value)], y=[label], orientation="h",
                             hovertemplate=f"{name}: %{{x:.3f}} {unit}<extra></extra>"))
    fig.update_layout(barmode="stack", title=title, height=240,
                      margin=dict(l=20, r=20, t=50, b=40), xaxis_title=f"cost, {unit}",
                      yaxis_title="accelerator", legend_orientation="h")
    return fig
