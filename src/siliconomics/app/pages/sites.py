"""Dashboard page: the same cluster at every site, ranked."""

from __future__ import annotations

from dash import Input, Output, dcc, html

from ._common import (Shared, catalog_name, catalog_names, count, dropdown, error_box, guard,
                      number)

TITLE = "Sites"


#: Widgets in the page's link.
SHARED = [
    Shared("sites-accelerator", lambda v: catalog_name(v, "accelerators", "accelerator")),
    Shared("sites-accelerators", lambda v: count(v, "accelerators"), "number"),
]


def layout():
    return html.Div([
        dropdown("sites-accelerator", catalog_names("accelerators"), "b200", "Accelerator"),
        number("sites-accelerators", 100_000, "Accelerators"),
        error_box("sites-error"),
        dcc.Graph(id="sites-graph", config={"displayModeBar": False}),
    ], style={"padding": "1em 0"})


def register(app):
    @app.callback(Output("sites-graph", "figure"), Output("sites-error", "children"),
                  Input("sites-accelerator", "value"), Input("sites-accelerators", "value"))
    @guard
    def update(accelerator, accelerators):
        import plotly.graph_objects as go

        from ... import catalog, tco
        from ...tco import COMPONENTS

        accelerator = catalog_name(accelerator, "accelerators", "accelerator")
        accelerators = count(accelerators, "accelerators")
        results = sorted(
            (tco.accelerator_hour(accelerator, s, accelerators=accelerators)
             for s in catalog.names("sites")),
            key=lambda r: r.usd_per_accelerator_hour,
        )
        fig = go.Figure()
        for c in COMPONENTS:
            fig.add_trace(go.Bar(name=c, orientation="h", y=[r.site for r in results],
                                 x=[r.breakdown[c] for r in results]))
        fig.update_layout(barmode="stack", height=60 + 28 * len(results),
                          title=f"USD per {accelerator}-hour by site (power share in hover)",
                          yaxis_autorange="reversed", margin=dict(l=20, r=20, t=50, b=40),
                          xaxis_title=f"cost, USD per {accelerator}-hour",
                          yaxis_title="site (cheapest first)", legend_orientation="h")
        return (fig,)
