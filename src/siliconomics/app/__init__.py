"""The dashboard: a local Dash web app over the models (optional extra ``siliconomics[app]``).

Dash (Plotly) was chosen over Panel and Streamlit because its callbacks are plain functions of
their inputs, which keeps each page a thin, testable layer over the models; it serves from one
Flask process with no extra services; and its pages are ordinary HTML that a headless browser
can drive in tests.

Each page is a module of :mod:`siliconomics.app.pages` with ``TITLE``, ``layout()`` and
``register(app)``; :data:`PAGES` orders them. Run it with ``siliconomics dashboard``.
"""

from __future__ import annotations

import importlib

PAGES = ("tco", "silicon", "training", "serving", "sites", "uncertainty")

#: Upper bound on Monte Carlo samples a click can ask for (memory safety).
MAX_SAMPLES = 200_000

#: Upload limit for scenario files. [bytes]
MAX_UPLOAD_BYTES = 64 * 1024


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
    tabs = []
    for name in available_pages():
        mod = importlib.import_module(f".pages.{name}", __name__)
        tabs.append(dcc.Tab(label=mod.TITLE, value=name, children=mod.layout(),
                            id=f"tab-{name}"))
        mod.register(app)
    app.layout = html.Div(
        [
            html.H1("siliconomics", style={"margin": "0.3em 0"}),
            html.P("The economics of AI compute, from silicon to served tokens. Every default "
                   "comes from the sourced catalog; change any input and the results update.",
                   style={"color": "#555"}),
            dcc.Tabs(id="tabs", value=tabs[0].value if tabs else None, children=tabs),
        ],
        style={"fontFamily": "system-ui, sans-serif", "maxWidth": "1100px", "margin": "auto",
               "padding": "0 1em"},
    )
    return app


def serve(host: str = "127.0.0.1", port: int = 8050, debug: bool = False) -> None:
    """Serve the dashboard (binds to localhost unless told otherwise)."""
    create_app().run(host=host, port=port, debug=debug)
