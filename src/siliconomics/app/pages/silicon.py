"""Dashboard page: what an accelerator costs to make."""

from __future__ import annotations

from dash import Input, Output, dcc, html

from ... import format as fmt
from ._common import (Shared, amount, catalog_name, catalog_names, choice, dropdown, error_box,
                      guard, slider)

TITLE = "Silicon"

YIELD_MODELS = ("murphy", "poisson", "seeds", "negative-binomial")
#: Highest defect density the page accepts (an immature node is about 0.5). [1/cm²]
MAX_DEFECTS_PER_CM2 = 5.0
#: Highest memory price the page accepts (HBM has stayed under 30). [USD/GB]
MAX_MEMORY_USD_PER_GB = 1000.0


#: Widgets in the page's link (defect density and memory price follow the accelerator).
SHARED = [
    Shared("chip-accelerator", lambda v: catalog_name(v, "accelerators", "accelerator")),
    Shared("chip-yield-model", lambda v: choice(v, "yield model", YIELD_MODELS)),
]


def layout():
    return html.Div([
        dropdown("chip-accelerator", catalog_names("accelerators"), "h100-sxm", "Accelerator"),
        dropdown("chip-yield-model", YIELD_MODELS, "murphy", "Yield model"),
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
                  Output("chip-error", "children", allow_duplicate=True),
                  Input("chip-accelerator", "value"), prevent_initial_call="initial_duplicate")
    @guard(clears=False)
    def defaults(accelerator):
        from ...silicon import chip_cost

        inputs = chip_cost(catalog_name(accelerator, "accelerators", "accelerator")
                           ).details["inputs"]
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

        accelerator = catalog_name(accelerator, "accelerators", "accelerator")
        c = chip_cost(accelerator, model=choice(model, "yield model", YIELD_MODELS),
                      defect_density_per_cm2=amount(defects, "defect density", 0,
                                                    MAX_DEFECTS_PER_CM2),
                      memory_price_usd_per_gb=amount(hbm_price, "memory price", 0,
                                                     MAX_MEMORY_USD_PER_GB))
        margin = c.gross_margin
        headline = (f"{fmt.money(c.total)} to make one good {accelerator}"
                    + ("" if margin is None else
                       f"; gross margin {fmt.share(margin)} at the catalog price")
                    + f"; {fmt.number(c.embodied_kgco2e)} kgCO2e embodied")
        names = list(c)
        fig = go.Figure(go.Waterfall(x=names + ["total"], y=[float(c[n]) for n in names] + [0],
                                     measure=["relative"] * len(names) + ["total"]))
        fig.update_layout(title="Bill of materials per good accelerator", height=360,
                          xaxis_title="component", yaxis_title="cost, USD per good accelerator",
                          margin=dict(l=20, r=20, t=50, b=40))
        return headline, fig
