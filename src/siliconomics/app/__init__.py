"""The dashboard: a local Dash web app over the models (optional extra ``siliconomics[app]``).

Dash (Plotly) was chosen over Panel and Streamlit because its callbacks are plain functions of
their inputs, which keeps each page a thin, testable layer over the models; it serves from one
Flask process with no extra services; and its pages are ordinary HTML that a headless browser
can drive in tests.

Each page is a module of :mod:`siliconomics.app.pages` with ``TITLE``, ``layout()`` and
``register(app)``, and ``SHARED``, the widgets its link carries (:mod:`.state`: the page and
its inputs live in the URL's query string, so a view can be shared); :data:`PAGES` orders
them. Run it with ``siliconomics dashboard``.

Anyone who can reach the server can post anything, so the server reads no body over
:data:`MAX_REQUEST_BYTES` (413), answers 400 to a callback request that is not shaped as the
page sends it (:func:`malformed`), and runs every callback through
:func:`.pages._common.guard`: a value that fails the page's checks (type, range, catalog name)
becomes a message in the page's error box, never an HTTP 500.
"""

from __future__ import annotations

import importlib

PAGES = ("tco", "silicon", "training", "serving", "sites", "whatif", "uncertainty")

#: Upper bound on Monte Carlo samples a click can ask for (memory safety).
MAX_SAMPLES = 200_000

#: Upload limit for scenario files. [bytes]
MAX_UPLOAD_BYTES = 64 * 1024

#: Longest scenario text the Uncertainty page runs or offers for download: what an upload may
#: hold, so a scenario can go from file to page and back. [bytes of UTF-8]
MAX_SCENARIO_BYTES = MAX_UPLOAD_BYTES

#: Largest request body the server reads (Flask's MAX_CONTENT_LENGTH); a larger one is answered
#: 413 before any of it is parsed. The largest legitimate bodies are the Uncertainty page's: an
#: upload is base64, 4/3 of MAX_UPLOAD_BYTES (87,384 characters) plus its file name; a run or
#: download carries the scenario text, at most MAX_SCENARIO_BYTES, which JSON escaping at most
#: doubles for the characters a TOML file may hold (newline, tab, quote, backslash), so 131,072
#: bytes, plus the ids and the samples box (under 1 KiB). 256 KiB leaves twice that margin and
#: still stops a multi-megabyte body unread. [bytes]
MAX_REQUEST_BYTES = 256 * 1024


def available_pages() -> list[str]:
    """Pages whose models are installed (a page whose model is missing is left out)."""
    out = []
    for name in PAGES:
        try:
            mod = importlib.import_module(f".pages.{name}", __name__)
        except ImportError:
            continue
        if getattr(mod, "available", lambda: True)():
            out.append(name)
    return out


def create_app():
    """Build the Dash app with one tab per available page."""
    try:
        import dash
        from dash import dcc, html
    except ImportError as exc:  # pragma: no cover - depends on the extra
        from ..errors import InputError

        raise InputError(
            "the dashboard needs the app extra: pip install 'siliconomics[app]'"
        ) from exc

    app = dash.Dash(__name__, title="siliconomics", suppress_callback_exceptions=True,
                    serve_locally=True)
    app.server.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    app.server.before_request(_callback_request_check(app))
    tabs = []
    for name in available_pages():
        mod = importlib.import_module(f".pages.{name}", __name__)
        tabs.append(dcc.Tab(label=mod.TITLE, value=name, children=mod.layout(),
                            id=f"tab-{name}"))
        mod.register(app)
    from . import state
    from .pages._common import error_box

    state.register(app)
    app.layout = html.Div(
        [
            dcc.Location(id="url", refresh=False),
            html.H1("siliconomics", style={"margin": "0.3em 0"}),
            html.P("The economics of AI compute, from silicon to served tokens. Every default "
                   "comes from the sourced catalog; change any input and the results update. "
                   "The address bar holds the page and its inputs: copy it to share this view.",
                   style={"color": "#555"}),
            error_box("link-error"),
            dcc.Tabs(id="tabs", value=tabs[0].value if tabs else None, children=tabs),
        ],
        style={"fontFamily": "system-ui, sans-serif", "maxWidth": "1100px", "margin": "auto",
               "padding": "0 1em"},
    )
    return app


def malformed(app, body) -> str | None:
    """Why ``body`` is not a request the dashboard's renderer sends for one of ``app``'s
    callbacks (None when it is one): a JSON object naming a registered callback, its outputs,
    and its inputs and state in order, each with the registered id and property. Values are
    left to the callbacks, which check each one.

    >>> from siliconomics.app import create_app
    >>> app = create_app()
    >>> malformed(app, [1, 2])
    'the body is not a JSON object'
    >>> malformed(app, {"output": "nowhere.children"})
    'no callback has the output given'
    """
    from dash._utils import split_callback_id

    if not isinstance(body, dict):
        return "the body is not a JSON object"
    key = body.get("output")
    if not isinstance(key, str) or key not in app.callback_map:
        return "no callback has the output given"
    callback = app.callback_map[key]
    if body.get("outputs") != split_callback_id(key):
        return f"outputs do not match those of {key}"
    for part in ("inputs", "state"):
        given, expected = body.get(part, []), callback[part]
        if not isinstance(given, list) or len(given) != len(expected) or not all(
                isinstance(g, dict) and g.get("id") == e["id"]
                and g.get("property") == e["property"] for g, e in zip(given, expected)):
            return f"{part} do not match those of {key}"
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        return "changedPropIds is not a list of property ids"
    return None


def _callback_request_check(app):
    """A Flask before-request hook: a callback request that Dash could not read answers 400
    (a body over MAX_REQUEST_BYTES has already answered 413 when it is read)."""
    from flask import request

    endpoint = app.config.routes_pathname_prefix + "_dash-update-component"

    def check():
        if request.endpoint != endpoint:
            return None
        try:
            body = request.get_json(silent=True)  # parsed once: Dash reads the cached body
        except RecursionError:
            body = None
        problem = (malformed(app, body) if body is not None
                   else "the body is not JSON (or nested too deeply)")
        if problem is None:
            return None
        return f"malformed callback request: {problem}", 400, {"Content-Type": "text/plain"}

    return check


def serve(host: str = "127.0.0.1", port: int = 8050, debug: bool = False) -> None:
    """Serve the dashboard (binds to localhost unless told otherwise)."""
    create_app().run(host=host, port=port, debug=debug)
