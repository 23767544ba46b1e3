"""Dashboard page: what if, through the whole chain (:func:`siliconomics.chain.whatif`).

A base accelerator against a variant, which may be another accelerator and may carry changed
prices (memory, wafer, power, each as a percentage of its catalog value); every stage from the
chip's cost to a million served tokens side by side, with the change, under a pricing rule that
says who keeps a change in cost.
"""

from __future__ import annotations

from dash import Input, Output, dcc, html

from ._common import (Shared, amount, catalog_name, catalog_names, choice, dropdown, error_box,
                      guard, slider)

TITLE = "What if"

PRICING = ("list", "cost-plus", "pass-through")
#: Changed prices of the variant: slider id -> (catalog input path, label).
CHANGES = {
    "whatif-memory": ("memory.price_usd_per_gb", "Memory price, % of catalog"),
    "whatif-wafer": ("node.wafer_price_usd", "Wafer price, % of catalog"),
    "whatif-power": ("site.power_price_usd_per_kwh", "Power price, % of catalog"),
}
#: Range of each change. [% of the catalog value]
LOW_PCT, HIGH_PCT = 10, 300
#: The question the page opens on: the H200 with memory at half its catalog price.
DEFAULT_PCT = {"whatif-memory": 50}
#: Cluster size of the chain's training run and TCO here (the chain's default). [count]
ACCELERATORS = 16_384


#: Widgets in the page's link.
SHARED = [
    Shared("whatif-base", lambda v: catalog_name(v, "accelerators", "base")),
    Shared("whatif-variant", lambda v: catalog_name(v, "accelerators", "variant")),
    Shared("whatif-pricing", lambda v: choice(v, "pricing", PRICING)),
    Shared("whatif-site", lambda v: catalog_name(v, "sites", "site")),
    Shared("whatif-model", lambda v: catalog_name(v, "models", "model")),
    *(Shared(id_, lambda v, n=label.split(",")[0].lower(): amount(v, n, LOW_PCT, HIGH_PCT),
             "number") for id_, (_, label) in CHANGES.items()),
]


def layout():
    return html.Div([
        html.P("The variant against the base through every stage: chip cost, price, the "
               "accelerator-hour, a training run and served tokens. Change the variant's "
               "prices below; the pricing rule says who keeps a change in the chip's cost."),
        html.Div([
            dropdown("whatif-base", catalog_names("accelerators"), "h200", "Base"),
            dropdown("whatif-variant", catalog_names("accelerators"), "h200", "Variant"),
            dropdown("whatif-pricing", PRICING, "pass-through", "Pricing", "10em"),
            dropdown("whatif-site", catalog_names("sites"), "us-texas", "Site"),
            dropdown("whatif-model", catalog_names("models"), "llama-3.1-70b", "Model", "16em"),
        ]),
        html.Div([slider(id_, LOW_PCT, HIGH_PCT, 5, DEFAULT_PCT.get(id_, 100), label,
                         marks={LOW_PCT: f"{LOW_PCT}%", 100: "100%", HIGH_PCT: f"{HIGH_PCT}%"})
                  for id_, (_, label) in CHANGES.items()]),
        error_box("whatif-error"),
        html.H3(id="whatif-headline"),
        dcc.Graph(id="whatif-graph", config={"displayModeBar": False}),
        html.Div(id="whatif-table"),
    ], style={"padding": "1em 0"})


def checked(base, variant, pricing, site, model, memory, wafer, power) -> dict:
    """The page's inputs, each checked (InputError or CatalogError naming the field)."""
    pct = {id_: amount(v, label.split(",")[0].lower(), LOW_PCT, HIGH_PCT)
           for (id_, (_, label)), v in zip(CHANGES.items(), (memory, wafer, power))}
    return dict(base=catalog_name(base, "accelerators", "base"),
                variant=catalog_name(variant, "accelerators", "variant"),
                pricing=choice(pricing, "pricing", PRICING),
                site=catalog_name(site, "sites", "site"),
                model=catalog_name(model, "models", "model"), pct=pct)


def compute(*values) -> dict:
    """:func:`~siliconomics.chain.whatif` of the checked inputs: the variant resolved with its
    changed prices (each its catalog value times the percentage)."""
    from ... import chain, tco

    v = checked(*values)
    plain = tco.resolve(v["variant"], v["site"])
    changes = {path: plain.value(path).value * v["pct"][id_] / 100
               for id_, (path, _) in CHANGES.items() if v["pct"][id_] != 100}
    variant = tco.resolve(v["variant"], v["site"], set=changes) if changes else v["variant"]
    return chain.whatif(v["base"], variant, pricing=v["pricing"], site=v["site"],
                        model=v["model"], accelerators=ACCELERATORS)


def _figure(w):
    import plotly.graph_objects as go

    stages = [k for k, r in w["relative"].items() if r is not None]
    fig = go.Figure(go.Bar(x=[k.replace("_", " ") for k in stages],
                           y=[100 * w["relative"][k] for k in stages],
                           hovertemplate="%{x}: %{y:+.2f}%<extra></extra>"))
    fig.update_layout(title="Change at every stage, variant against base", height=360,
                      xaxis_title="stage of the chain", yaxis_title="change, % of the base",
                      margin=dict(l=20, r=20, t=50, b=40))
    return fig


def _table(w):
    from ...chain import STAGES

    def cell(x):
        return "" if x is None else f"{x:,.4g}"

    rows = [html.Tr([html.Td(k.replace("_", " ")), html.Td(STAGES[k]),
                     html.Td(cell(w["base"][k]), style={"textAlign": "right"}),
                     html.Td(cell(w["variant"][k]), style={"textAlign": "right"}),
                     html.Td("" if w["relative"][k] is None else f"{w['relative'][k]:+.2%}",
                             style={"textAlign": "right"})])
            for k in STAGES]
    head = html.Tr([html.Th(h) for h in ("stage", "unit", "base", "variant", "change")])
    return html.Table([head, *rows], style={"borderCollapse": "collapse", "fontSize": "0.9em"})


def register(app):
    @app.callback(Output("whatif-headline", "children"), Output("whatif-graph", "figure"),
                  Output("whatif-table", "children"), Output("whatif-error", "children"),
                  Input("whatif-base", "value"), Input("whatif-variant", "value"),
                  Input("whatif-pricing", "value"), Input("whatif-site", "value"),
                  Input("whatif-model", "value"),
                  *[Input(id_, "value") for id_ in CHANGES])
    @guard
    def update(*values):
        w = compute(*values)
        key = "usd_per_million_output_tokens"
        rel = w["relative"][key]
        headline = (f"${w['base'][key]:,.4g} to ${w['variant'][key]:,.4g} per million output "
                    f"tokens ({rel:+.1%})" if rel is not None else "")
        return headline, _figure(w), _table(w)
