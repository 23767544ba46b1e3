"""Dashboard page: Monte Carlo over a scenario, with upload and download as TOML."""

from __future__ import annotations

import base64

from dash import Input, Output, State, dcc, html

from .. import MAX_SAMPLES, MAX_UPLOAD_BYTES
from ._common import error_box

TITLE = "Uncertainty"

DEFAULT = """\
[scenario]
name = "100k H100 in Texas, catalog uncertainty"
samples = 20000
seed = 0
model = "tco"
uncertainty = "catalog"

[inputs]
accelerator = "h100-sxm"
site = "us-texas"
accelerators = 100000
utilization = "clip(0.7 to 0.95, _, 1)"

[outputs]
metrics = ["usd_per_accelerator_hour", "power_share"]
"""


def layout():
    return html.Div([
        html.P("Edit the scenario, or upload one (TOML, up to "
               f"{MAX_UPLOAD_BYTES // 1024} kB; parsed as data only). Every catalog value with a "
               "range is sampled over its 90% interval when uncertainty = \"catalog\"."),
        dcc.Upload(id="unc-upload", max_size=MAX_UPLOAD_BYTES, accept=".toml,text/plain",
                   children=html.Button("Upload scenario TOML"), multiple=False),
        dcc.Textarea(id="unc-text", value=DEFAULT, spellCheck=False,
                     style={"width": "100%", "height": "18em", "fontFamily": "monospace"}),
        html.Div([
            html.Label(["Samples (at most ", f"{MAX_SAMPLES:,}", ") ",
                        dcc.Input(id="unc-samples", type="number", value=20_000, debounce=True,
                                  style={"width": "8em"})]),
            html.Button("Run Monte Carlo", id="unc-run", style={"marginLeft": "1em"}),
            html.Button("Download scenario TOML", id="unc-download-button",
                        style={"marginLeft": "1em"}),
            dcc.Download(id="unc-download"),
        ]),
        error_box("unc-error"),
        dcc.Loading(html.Div([
            html.Pre(id="unc-summary", style={"fontSize": "0.85em"}),
            dcc.Graph(id="unc-graph", config={"displayModeBar": False}),
        ]), type="default"),
    ], style={"padding": "1em 0"})


def decode_upload(contents: str, filename: str | None) -> str:
    """The text of an uploaded file (a ``data:...;base64,`` URL), or a ScenarioError."""
    from ...errors import ScenarioError

    try:
        _, b64 = contents.split(",", 1)
        raw = base64.b64decode(b64, validate=True)
    except (ValueError, TypeError):
        raise ScenarioError(f"{filename or 'upload'}: not a readable file") from None
    if len(raw) > MAX_UPLOAD_BYTES:
        raise ScenarioError(f"{filename}: {len(raw):,} bytes, more than the "
                            f"{MAX_UPLOAD_BYTES:,}-byte limit")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ScenarioError(f"{filename}: not UTF-8 text; upload a TOML scenario") from None


def register(app):
    import dash

    @app.callback(Output("unc-text", "value"), Output("unc-error", "children",
                                                      allow_duplicate=True),
                  Input("unc-upload", "contents"), State("unc-upload", "filename"),
                  prevent_initial_call=True)
    def upload(contents, filename):
        from ...errors import SiliconomicsError
        from ...scenario import Scenario

        if contents is None:
            return dash.no_update, dash.no_update
        try:
            text = decode_upload(contents, filename)
            Scenario.from_text(text, path=filename or "upload")  # validate before accepting
        except SiliconomicsError as exc:
            return dash.no_update, f"error: {exc}"
        return text, ""

    @app.callback(Output("unc-download", "data"), Input("unc-download-button", "n_clicks"),
                  State("unc-text", "value"), prevent_initial_call=True)
    def download(_, text):
        return {"content": text, "filename": "scenario.toml"}

    @app.callback(Output("unc-summary", "children"), Output("unc-graph", "figure"),
                  Output("unc-error", "children"), Input("unc-run", "n_clicks"),
                  State("unc-text", "value"), State("unc-samples", "value"),
                  prevent_initial_call=True)
    def run(_, text, samples):
        import plotly.graph_objects as go

        from ...errors import SiliconomicsError
        from ...scenario import Scenario

        try:
            if samples is None or int(samples) < 1 or int(samples) > MAX_SAMPLES:
                return dash.no_update, dash.no_update, (
                    f"error: samples must be between 1 and {MAX_SAMPLES:,}, got {samples}")
            sc = Scenario.from_text(text or "", path="scenario")
            result = sc.run(samples=int(samples), keep_samples=True)
        except SiliconomicsError as exc:
            return dash.no_update, dash.no_update, f"error: {exc}"
        lines = [f"{result.samples:,} samples in {result.seconds:.2f} s"]
        for name, agg in result.metrics.items():
            s = agg.summary()
            lines.append(f"{name}: mean {s['mean']:.4g}, 5% {s['p5']:.4g}, 50% {s['p50']:.4g}, "
                         f"95% {s['p95']:.4g}")
        first = next(iter(result.metrics))
        fig = go.Figure(go.Histogram(x=result.values[first], nbinsx=60))
        fig.update_layout(title=f"Distribution of {first}", height=320,
                          margin=dict(l=20, r=20, t=50, b=30))
        return "\n".join(lines), fig, ""
