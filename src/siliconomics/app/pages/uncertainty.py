r"""Dashboard page: Monte Carlo over a scenario, with upload and download as TOML.

The scenario text is data: it is parsed as TOML and validated
(:meth:`~siliconomics.scenario.Scenario.from_text`), never run as code, and the page accepts
only what a file could carry: at most MAX_SCENARIO_BYTES of UTF-8, no user catalog files (the
server's files are not the browser's to name) and no powers of numbers in values (``9**9**9``
would have pint compute a number of 370 million digits).

Examples
--------
>>> scenario_text("__import__('os').system('touch /tmp/x')")
Traceback (most recent call last):
...
siliconomics.errors.ScenarioError: scenario: ...
>>> scenario_text('[inputs]\npower_price_usd_per_kwh = "9**9**9 USD/kWh"')
Traceback (most recent call last):
...
siliconomics.errors.ScenarioError: scenario: inputs.power_price_usd_per_kwh: ...
"""

from __future__ import annotations

import base64
import re

from dash import Input, Output, State, dcc, html

from .. import MAX_SAMPLES, MAX_SCENARIO_BYTES, MAX_UPLOAD_BYTES
from ._common import count, error_box, guard, shown

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
                                  inputMode="numeric", style={"width": "8em"})]),
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


#: Longest file name an upload message shows. [characters]
MAX_FILENAME_CHARS = 255

#: Most base64 characters an upload may have: those of MAX_UPLOAD_BYTES (4 for every 3 bytes).
MAX_UPLOAD_BASE64 = 4 * -(-MAX_UPLOAD_BYTES // 3)

#: A power of a number or of a bracket (``9**9**9``, ``(9**99)**99``), and a power whose
#: exponent is more than one or two digits standing alone (``m^999``, ``m^2^2``). A unit's
#: power (``mm^2``, ``s**-1``) is neither.
_NUMBER_POWER = re.compile(r"[\d.)]\s*(\*\*|\^)")
_LONG_POWER = re.compile(r"(\*\*|\^)(?!\s*[-+]?\d{1,2}(?![\d.])(?!\s*(\*\*|\^)))")


def upload_name(filename) -> str:
    """The name an upload's messages use (``upload`` when the browser sent none)."""
    from ...errors import InputError

    if filename is None:
        return "upload"
    if not isinstance(filename, str):
        raise InputError(f"upload file name must be text, got {shown(filename)}")
    if len(filename) > MAX_FILENAME_CHARS:
        return filename[:MAX_FILENAME_CHARS - 3] + "..."
    return filename


def decode_upload(contents, filename) -> str:
    """The text of an uploaded file (a ``data:...;base64,`` URL), or a ScenarioError.

    The size is checked on the base64 text before it is decoded.

    >>> decode_upload("data:text/plain;base64,//79", "x.toml")
    Traceback (most recent call last):
    ...
    siliconomics.errors.ScenarioError: x.toml: not UTF-8 text; upload a TOML scenario
    """
    from ...errors import ScenarioError

    name = upload_name(filename)
    if not isinstance(contents, str) or not contents.startswith("data:") or "," not in contents:
        raise ScenarioError(f"{name}: not a readable file")
    _, b64 = contents.split(",", 1)
    if len(b64) > MAX_UPLOAD_BASE64:
        raise ScenarioError(f"{name}: about {len(b64) * 3 // 4:,} bytes, more than the "
                            f"{MAX_UPLOAD_BYTES:,}-byte limit")
    try:
        raw = base64.b64decode(b64, validate=True)
    except ValueError:
        raise ScenarioError(f"{name}: not a readable file") from None
    if len(raw) > MAX_UPLOAD_BYTES:  # the bound above is exact to within two bytes
        raise ScenarioError(f"{name}: {len(raw):,} bytes, more than the "
                            f"{MAX_UPLOAD_BYTES:,}-byte limit")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ScenarioError(f"{name}: not UTF-8 text; upload a TOML scenario") from None


def _strings(data, where=()):
    """(location, text) of every string in parsed TOML ``data``."""
    if isinstance(data, str):
        yield where, data
    elif isinstance(data, dict):
        for k, v in data.items():
            yield from _strings(v, (*where, str(k)))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _strings(v, (*where, str(i)))


def scenario_text(text, where: str = "scenario"):
    """``text`` checked as a scenario the page may run or offer for download: text of at most
    MAX_SCENARIO_BYTES of UTF-8 that :meth:`~siliconomics.scenario.Scenario.from_text`
    validates, with no user catalog files and no powers of numbers. Returns the
    :class:`~siliconomics.scenario.Scenario`; raises a SiliconomicsError naming ``where``."""
    from ...errors import ScenarioError
    from ...scenario import Scenario

    if not isinstance(text, str):
        raise ScenarioError(f"{where}: the scenario must be text, got {shown(text)}")
    if len(text) > MAX_SCENARIO_BYTES:  # a character is at least one byte
        raise ScenarioError(f"{where}: {len(text):,} characters, more than the "
                            f"{MAX_SCENARIO_BYTES:,}-byte limit")
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError:
        raise ScenarioError(f"{where}: the text holds characters that are not Unicode") from None
    if size > MAX_SCENARIO_BYTES:
        raise ScenarioError(f"{where}: {size:,} bytes, more than the "
                            f"{MAX_SCENARIO_BYTES:,}-byte limit")
    sc = Scenario.from_text(text, path=where)
    if sc.catalog_files:
        raise ScenarioError(f"{where}: catalog.files: the dashboard reads no files; run a "
                            "scenario with its own catalog files with `siliconomics run`")
    for loc, value in _strings({"inputs": sc.inputs, "correlations": sc.correlations}):
        if _NUMBER_POWER.search(value) or _LONG_POWER.search(value):
            raise ScenarioError(f"{where}: {'.'.join(loc)}: powers of numbers are not read "
                                f"here; write the number out (1e9, not 10**9), got "
                                f"{shown(value)}")
    return sc


#: Units of the scenario outputs, by how their names end or begin.
_UNITS = (("usd_per_accelerator_hour", "USD per accelerator-hour"),
          ("usd_per_million_", "USD per million tokens"), ("_usd", "USD"),
          ("_share", "fraction"), ("margin", "fraction"), ("_days", "days"), ("_mwh", "MWh"),
          ("tco2e", "tCO2e"))


def metric_axis(name: str) -> str:
    """An axis title for a scenario output: its name in words and its unit.

    >>> metric_axis("usd_per_accelerator_hour@us-texas"), metric_axis("power_share")
    ('usd per accelerator hour@us-texas, USD per accelerator-hour', 'power share, fraction')
    """
    base = name.split("@")[0]
    unit = next((u for key, u in _UNITS if key in base), "")
    return name.replace("_", " ") + (f", {unit}" if unit else "")


def register(app):
    @app.callback(Output("unc-text", "value"),
                  Output("unc-error", "children", allow_duplicate=True),
                  Input("unc-upload", "contents"), State("unc-upload", "filename"),
                  prevent_initial_call=True)
    @guard
    def upload(contents, filename):
        text = decode_upload(contents, filename)
        scenario_text(text, upload_name(filename))  # validate before accepting
        return (text,)

    @app.callback(Output("unc-download", "data"),
                  Output("unc-error", "children", allow_duplicate=True),
                  Input("unc-download-button", "n_clicks"), State("unc-text", "value"),
                  prevent_initial_call=True)
    @guard(clears=False)
    def download(_, text):
        scenario_text(text)  # only a valid scenario is offered, byte for byte as written
        return ({"content": text, "filename": "scenario.toml"},)

    @app.callback(Output("unc-summary", "children"), Output("unc-graph", "figure"),
                  Output("unc-error", "children"), Input("unc-run", "n_clicks"),
                  State("unc-text", "value"), State("unc-samples", "value"),
                  prevent_initial_call=True)
    @guard
    def run(_, text, samples):
        import plotly.graph_objects as go

        from ...errors import ScenarioError

        samples = count(samples, "samples", high=MAX_SAMPLES)
        sc = scenario_text(text)
        try:
            result = sc.run(samples=samples, keep_samples=True)
        except ArithmeticError:  # a value such as "1/0 USD/kWh" that parses but cannot be computed
            raise ScenarioError("scenario: a value of [inputs] cannot be computed (a division by "
                                "zero or an overflow); write each as a number") from None
        lines = [f"{result.samples:,} samples in {result.seconds:.2f} s"]
        for name, agg in result.metrics.items():
            s = agg.summary()
            lines.append(f"{name}: mean {s['mean']:.4g}, 5% {s['p5']:.4g}, 50% {s['p50']:.4g}, "
                         f"95% {s['p95']:.4g}")
        first = next(iter(result.metrics))
        fig = go.Figure(go.Histogram(x=result.values[first], nbinsx=60))
        fig.update_layout(title=f"Distribution of {first}", height=320,
                          xaxis_title=metric_axis(first),
                          yaxis_title="samples", margin=dict(l=20, r=20, t=50, b=40))
        return "\n".join(lines), fig
