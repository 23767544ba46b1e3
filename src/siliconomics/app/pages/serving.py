"""Dashboard page: serving throughput, latency and cost per million tokens."""

from __future__ import annotations

from dash import Input, Output, dcc, html

from ... import format as fmt
from ._common import (Shared, amount, catalog_name, catalog_names, choice, count, dropdown,
                      error_box, guard, number, slider)

TITLE = "Serving"

PRECISIONS = ("bf16", "fp8", "fp4", "int4")
TENSOR_PARALLEL = (1, 2, 4, 8)
#: Longest prompt or answer the page accepts, ten times the longest context window. [tokens]
MAX_TOKENS = 100_000_000


#: Widgets in the page's link.
SHARED = [
    Shared("serve-model", lambda v: catalog_name(v, "models", "model")),
    Shared("serve-accelerator", lambda v: catalog_name(v, "accelerators", "accelerator")),
    Shared("serve-precision", lambda v: choice(v, "precision", PRECISIONS)),
    Shared("serve-tp", lambda v: choice(v, "tensor parallel", TENSOR_PARALLEL), "number"),
    Shared("serve-prompt", lambda v: count(v, "prompt tokens", high=MAX_TOKENS), "number"),
    Shared("serve-output", lambda v: count(v, "output tokens", high=MAX_TOKENS), "number"),
    Shared("serve-utilization", lambda v: amount(v, "utilisation", 0, 1), "number"),
]


def layout():
    return html.Div([
        html.Div([
            dropdown("serve-model", catalog_names("models"), "llama-3.1-70b", "Model", "16em"),
            dropdown("serve-accelerator", catalog_names("accelerators"), "h100-sxm",
                     "Accelerator"),
            dropdown("serve-precision", PRECISIONS, "fp8", "Precision", "8em"),
            dropdown("serve-tp", TENSOR_PARALLEL, 8, "Tensor parallel", "6em"),
        ]),
        html.Div([
            number("serve-prompt", 2048, "Prompt tokens"),
            number("serve-output", 256, "Output tokens"),
            slider("serve-utilization", 0.05, 1.0, 0.05, 0.5, "Utilisation"),
        ]),
        error_box("serve-error"),
        html.H3(id="serve-headline"),
        dcc.Graph(id="serve-graph", config={"displayModeBar": False}),
    ], style={"padding": "1em 0"})


def register(app):
    @app.callback(Output("serve-headline", "children"), Output("serve-graph", "figure"),
                  Output("serve-error", "children"),
                  Input("serve-model", "value"), Input("serve-accelerator", "value"),
                  Input("serve-precision", "value"), Input("serve-tp", "value"),
                  Input("serve-prompt", "value"), Input("serve-output", "value"),
                  Input("serve-utilization", "value"))
    @guard
    def update(model, accelerator, precision, tp, prompt, output, utilization):
        import plotly.graph_objects as go

        from ...workloads import serving

        utilization = amount(utilization, "utilisation", 0, 1)
        r = serving.estimate(catalog_name(model, "models", "model"),
                               catalog_name(accelerator, "accelerators", "accelerator"),
                               tp=choice(tp, "tensor parallel", TENSOR_PARALLEL),
                               precision=choice(precision, "precision", PRECISIONS),
                               prompt_tokens=count(prompt, "prompt tokens", high=MAX_TOKENS),
                               output_tokens=count(output, "output tokens", high=MAX_TOKENS),
                               utilization=utilization).to_dict()
        headline = (f"{fmt.money(r['usd_per_million_output_tokens'])} per million output tokens "
                    f"and {fmt.money(r['usd_per_million_input_tokens'])} per million input tokens "
                    f"at {fmt.share(utilization)} utilisation; batch "
                    f"{fmt.integer(r['max_batch'])} fits")
        pts = r["frontier"]
        fig = go.Figure(go.Scatter(
            x=[p["tokens_per_s_per_user"] for p in pts],
            y=[p["output_tokens_per_s_per_accelerator"] for p in pts],
            mode="lines+markers", text=[f"batch {p['batch']:.0f}" for p in pts]))
        fig.update_layout(title="Throughput against interactivity (one point per batch size)",
                          xaxis_title="interactivity, output tokens/s per user",
                          yaxis_title="throughput, output tokens/s per accelerator", height=380,
                          margin=dict(l=20, r=20, t=50, b=40))
        return headline, fig
