"""The dashboard's state in its URL, so that a view can be shared as a link.

The query string names the page and the value of each widget of the pages' ``SHARED`` lists:
``/?page=training&train-accelerator=b200&train-tokens=15600000000000``. Opening such a link
selects the page and sets those widgets; changing a widget rewrites the link (without a
reload). A link is read like any other input: each value through the page's own check, an
unknown page or widget named with the closest known ones, every problem one line starting
``link:`` in the dashboard's error box.

Examples
--------
>>> to_search("tco", {"tco-accelerator": "b200", "tco-accelerators": 4096})
'?page=tco&tco-accelerator=b200&tco-accelerators=4096'
>>> from_search("?page=training&train-tokens=15600000000000")
('training', {'train-tokens': 15600000000000})
>>> from_search("?page=tco&tco-accelerators=abc")
Traceback (most recent call last):
...
siliconomics.errors.InputError: link: tco-accelerators: accelerators must be a number, got 'abc'
"""

from __future__ import annotations

import importlib
import math
from urllib.parse import parse_qsl, urlencode

from ..errors import InputError, SiliconomicsError, unknown

#: Longest query string read. [characters]
MAX_SEARCH_CHARS = 4096


def shared():
    """Every widget of every page's link, in page order: id -> :class:`._common.Shared`."""
    from . import available_pages

    out = {}
    for name in available_pages():
        for s in getattr(importlib.import_module(f".pages.{name}", __package__), "SHARED", ()):
            out[s.id] = s
    return out


def page(value) -> str:
    """A page name as the tabs hold it, else an error naming the page field."""
    from . import available_pages
    from .pages._common import choice

    return choice(value, "page", available_pages())


def to_search(tab, values: dict) -> str:
    """The query string of a view: the page ``tab`` and that page's widgets; every value is
    checked (an InputError or CatalogError naming the field otherwise)."""
    tab = page(tab)
    fields = shared()
    checked = {k: fields[k].check(v) for k, v in values.items()}
    mine = [s.id for s in getattr(importlib.import_module(f".pages.{tab}", __package__),
                                  "SHARED", ())]
    return "?" + urlencode([("page", tab)] + [(k, checked[k]) for k in mine if k in checked])


def _number(text: str, id_: str, check):
    """A number from a link's text, as the widget would hold it (whole numbers as ints)."""
    try:
        x = float(text)
    except ValueError:
        check(text)  # the page's own words: "... must be a number, got 'abc'"
        raise InputError(f"{id_} must be a number, got {text[:40]!r}") from None
    if not math.isfinite(x):
        check(x)
    return int(x) if x.is_integer() and abs(x) < 2**63 else x


def from_search(search) -> tuple[str | None, dict]:
    """The page and widget values a query string names (``(None, {})`` for an empty one),
    each read back and checked; an InputError starting ``link:`` otherwise."""
    from .pages._common import shown

    if not isinstance(search, str):
        raise InputError(f"link: the query must be text, got {shown(search)}")
    if len(search) > MAX_SEARCH_CHARS:
        raise InputError(f"link: {len(search):,} characters, more than the "
                         f"{MAX_SEARCH_CHARS:,} a link may have")
    try:
        pairs = parse_qsl(search.removeprefix("?"), keep_blank_values=True,
                          strict_parsing=bool(search.removeprefix("?")))
    except ValueError:
        raise InputError(f"link: not a query string: {search[:40]!r}") from None
    fields = shared()
    tab, values = None, {}
    for key, text in pairs:
        try:
            if key == "page":
                tab = page(text)
            elif key in fields:
                f = fields[key]
                value = _number(text, key, f.check) if f.kind == "number" else text
                values[key] = f.check(value)
            else:
                raise InputError(unknown("field", key, ["page", *fields]))
        except SiliconomicsError as exc:
            where = "" if key == "page" or key not in fields else f"{key}: "
            raise InputError(f"link: {where}{exc}") from None
    return tab, values


def check_path(pathname, root: str = "/") -> str:
    """The page's path: the dashboard serves one page, at ``root``."""
    from .pages._common import shown

    if pathname != root:
        raise InputError(f"link: the dashboard lives at {root}, got {shown(pathname)}")
    return pathname


def register(app) -> None:
    """The two callbacks: the view to the link, and a link opened to the view."""
    import dash
    from dash import Input, Output, State

    from .pages._common import guard

    fields = shared()
    ids = list(fields)

    @app.callback(Output("url", "search"), Output("link-error", "children"),
                  Input("tabs", "value"), *[Input(i, "value") for i in ids],
                  prevent_initial_call=True)
    @guard
    def view_to_link(tab, *values):
        return (to_search(tab, dict(zip(ids, values))),)

    @app.callback(Output("tabs", "value"), *[Output(i, "value", allow_duplicate=True)
                                             for i in ids],
                  Output("link-error", "children", allow_duplicate=True),
                  Input("url", "pathname"), State("url", "search"),
                  prevent_initial_call="initial_duplicate")
    @guard
    def link_to_view(pathname, search):
        check_path(pathname, app.config.routes_pathname_prefix)
        tab, values = from_search(search)
        return (tab if tab is not None else dash.no_update,
                *(values.get(i, dash.no_update) for i in ids))
