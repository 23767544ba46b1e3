"""Dashboard page: what an accelerator costs to make."""

from __future__ import annotations

from dash import Input, Output, dcc, html

from ._common import catalog_names, dropdown, error_box, guard, slider

TITLE = "Silicon"


def layout():
    return html.Div([
        dropdown("chip-accelerator", catalog_names("accelerators"), "h100-sxm", "Accelerator"),
        dropdown("chip-yield-model", ["murphy", "poisson", "seeds", "negative-binomial"],
                 "murphy", "Yield model"),
        html.Div([
            slider("chip-defects", 0.02, 0.3, 0.01, 0.1, "Defect density, per cm²"),
            slider("chip-hbm-price", 1, 30, 0.5, 10, "Memory price, USD/GB"),
        ]),
        error_box("chip-error"),
        html.H3(id="chip-headline"),
        dcc.Graph(id="chip-graph", config={"displayModeBar": False}),
    ], style={"padding": "1em 0"})


def register(app):
    @app.callback(Output("chip-defects", "value"), Output("chip-hbm-price", "value"),
                  Input("chip-accelerator", "value"))
    def defaults(accelerator):
        from ...silicon import chip_cost

        inputs = chip_cost(accelerator).details["inputs"]
        return (round(float(inputs["node.defect_density_per_cm2"]["value"]), 3),
                round(float(inputs["memory.price_usd_per_gb"]["value"]), 1))

    @app.callback(Output("chip-headline", "children"), Output("chip-graph", "figure"),
                  Output("chip-error", "children"),
                  Input("chip-accelerator", "value"), Input("chip-yield-model", "value"),
                  Input("chip-defects", "value"), Input("chip-hbm-price", "value"))
    @guard
    def update(accelerator, model, defects, hbm_price):
        import plotly.graph_objects as go

        from ...silicon import chip_cost

        c = chip_cost(accelerator, model=model, defect_density_per_cm2=defects,
                      memory_price_usd_per_gb=hbm_price)
        margin = c.gross_margin
        headline = (f"${c.total:,.0f} to make one good {accelerator}"
                    + ("" if margin is None else f"; gross margin {margin:.0%} at the catalog price")
                    + f"; {c.embodied_kgco2e:,.0f} kgCO2e embodied")
        names = list(c)
        fig = go.Figure(go.Waterfall(x=names + ["total"], y=[float(c[n]) for n in names] + [0],
                                     measure=["relative"] * len(names) + ["total"]))
        fig.update_layout(title="Bill of materials per good accelerator, USD", height=340,
                          margin=dict(l=20, r=20, t=50, b=30))
        return headline, fig
