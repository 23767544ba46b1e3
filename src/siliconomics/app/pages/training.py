"""Dashboard page: what a training run takes and costs."""

from __future__ import annotations

from dash import Input, Output, dcc, html

from ... import format as fmt
from ._common import (Shared, amount, catalog_name, catalog_names, count, dropdown, error_box,
                      guard, number, slider)

TITLE = "Training"

#: Most training tokens the page accepts: a thousand times the largest published run.
MAX_TOKENS = 10**16


#: Widgets in the page's link.
SHARED = [
    Shared("train-model", lambda v: catalog_name(v, "models", "model")),
    Shared("train-accelerator", lambda v: catalog_name(v, "accelerators", "accelerator")),
    Shared("train-site", lambda v: catalog_name(v, "sites", "site")),
    Shared("train-accelerators", lambda v: count(v, "accelerators"), "number"),
    Shared("train-tokens", lambda v: count(v, "tokens", high=MAX_TOKENS), "number"),
    Shared("train-mfu", lambda v: amount(v, "MFU", 0, 1), "number"),
]


def layout():
    return html.Div([
        html.Div([
            dropdown("train-model", catalog_names("models"), "llama-3.1-405b", "Model", "16em"),
            dropdown("train-accelerator", catalog_names("accelerators"), "h100-sxm", "Accelerator"),
            dropdown("train-site", catalog_names("sites"), "us-texas", "Site"),
            number("train-accelerators", 16_384, "Accelerators"),
            number("train-tokens", 15.6e12, "Tokens"),
        ]),
        slider("train-mfu", 0.1, 0.7, 0.01, 0.40, "MFU"),
        error_box("train-error"),
        html.H3(id="train-headline"),
        dcc.Graph(id="train-graph", config={"displayModeBar": False}),
    ], style={"padding": "1em 0"})


def register(app):
    @app.callback(Output("train-headline", "children"), Output("train-graph", "figure"),
                  Output("train-error", "children"),
                  Input("train-model", "value"), Input("train-accelerator", "value"),
                  Input("train-site", "value"), Input("train-accelerators", "value"),
                  Input("train-tokens", "value"), Input("train-mfu", "value"))
    @guard
    def update(model, accelerator, site, accelerators, tokens, mfu):
        import plotly.graph_objects as go

        from ...workloads import training

        r = training.estimate(catalog_name(model, "models", "model"),
                              count(tokens, "tokens", high=MAX_TOKENS),
                              catalog_name(accelerator, "accelerators", "accelerator"),
                              count(accelerators, "accelerators"),
                              mfu=amount(mfu, "MFU", 0, 1),
                              site=catalog_name(site, "sites", "site"))
        headline = (f"{fmt.number(r.wall_days)} days, {fmt.number(r.accelerator_hours / 1e6)}M "
                    f"accelerator-hours, {fmt.money(r.cost_usd)} owned, "
                    f"{fmt.quantity(r.energy_mwh, 'MWh')}, {fmt.quantity(r.tco2e, 'tCO2e')} "
                    f"(goodput {fmt.share(r.goodput)}; energy as "
                    f"{r.energy_convention.label()})")
        fig = go.Figure(go.Bar(x=list(r.breakdown), y=[v / 1e6 for v in r.breakdown.values()]))
        fig.update_layout(title="Owned cost of the run by component", height=340,
                          xaxis_title="component", yaxis_title="owned cost, million USD",
                          margin=dict(l=20, r=20, t=50, b=40))
        return headline, fig
