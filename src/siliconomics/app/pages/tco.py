"""Dashboard page: what an accelerator-hour costs to own."""

from __future__ import annotations

from dash import Input, Output, State, dcc, html

from ._common import bars, catalog_names, dropdown, error_box, guard, number, slider

TITLE = "TCO"


def layout():
    return html.Div([
        html.Div([
            dropdown("tco-accelerator", catalog_names("accelerators"), "h100-sxm", "Accelerator"),
            dropdown("tco-site", catalog_names("sites"), "us-texas", "Site"),
            dropdown("tco-financing", catalog_names("financing"), "hyperscaler", "Financing"),
            number("tco-accelerators", 100_000, "Accelerators"),
        ]),
        html.Div([
            slider("tco-utilization", 0.1, 1.0, 0.05, 1.0, "Utilisation"),
            slider("tco-power-price", 0.0, 0.3, 0.005, 0.066, "Power price, USD/kWh"),
            slider("tco-pue", 1.0, 2.0, 0.01, 1.25, "PUE"),
        ]),
        error_box("tco-error"),
        html.H3(id="tco-headline"),
        dcc.Graph(id="tco-graph", config={"displayModeBar": False}),
        html.Pre(id="tco-details", style={"fontSize": "0.85em"}),
        html.Button("Download inputs as scenario TOML", id="tco-download-button"),
        dcc.Download(id="tco-download"),
    ], style={"padding": "1em 0"})


def compute(accelerator, site, financing, accelerators, utilization, power_price, pue):
    from ... import tco
    from ._common import whole

    r = tco.accelerator_hour(accelerator, site, accelerators=whole(accelerators, "accelerators"),
                             utilization=utilization, financing=financing,
                             power_price_usd_per_kwh=power_price, pue=pue)
    return r


def scenario_toml(accelerator, site, financing, accelerators, utilization, power_price, pue):
    """The page's inputs as a scenario file that ``siliconomics run`` accepts."""
    return (
        "[scenario]\n"
        f'name = "TCO of {accelerator} at {site}"\n'
        'model = "tco"\n'
        "samples = 10000\n"
        "seed = 0\n\n"
        "[inputs]\n"
        f'accelerator = "{accelerator}"\n'
        f'site = "{site}"\n'
        f'financing = "{financing}"\n'
        f"accelerators = {accelerators}\n"
        f"utilization = {utilization}\n"
        f'power_price_usd_per_kwh = "{power_price} USD/kWh"\n'
        f"pue = {pue}\n"
    )


def register(app):
    inputs = [Input("tco-accelerator", "value"), Input("tco-site", "value"),
              Input("tco-financing", "value"), Input("tco-accelerators", "value"),
              Input("tco-utilization", "value"), Input("tco-power-price", "value"),
              Input("tco-pue", "value")]

    @app.callback(Output("tco-power-price", "value"), Output("tco-pue", "value"),
                  Input("tco-site", "value"))
    def site_defaults(site):
        from ... import catalog

        s = catalog.site(site)
        return round(s.power_price_usd_per_kwh, 4), round(s.pue, 2)

    @app.callback(Output("tco-headline", "children"), Output("tco-graph", "figure"),
                  Output("tco-details", "children"), Output("tco-error", "children"), *inputs)
    @guard
    def update(*values):
        r = compute(*values)
        headline = (f"${r.usd_per_accelerator_hour:.3f} per accelerator-hour; power is "
                    f"{r.power_share:.1%} of it")
        fig = bars(dict(r.breakdown), "Cost of one utilised accelerator-hour", "USD/h")
        details = (f"critical IT {r.critical_it_mw:,.1f} MW, facility {r.facility_mw:,.1f} MW, "
                   f"energy {r.annual_energy_mwh / 1e6:,.3f} TWh/year\n"
                   f"capex ${r.capex_usd / 1e9:,.2f}B, opex ${r.annual_opex_usd / 1e6:,.0f}M/year, "
                   f"fabric {r.network['tiers']:.0f} tiers")
        return headline, fig, details

    @app.callback(Output("tco-download", "data"), Input("tco-download-button", "n_clicks"),
                  *[State(i.component_id, i.component_property) for i in inputs],
                  prevent_initial_call=True)
    def download(_, *values):
        return {"content": scenario_toml(*values), "filename": "tco_scenario.toml"}
