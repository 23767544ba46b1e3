"""Dashboard page: what an accelerator-hour costs to own."""

from __future__ import annotations

from dash import Input, Output, State, dcc, html

from ... import format as fmt
from ._common import (Shared, amount, bars, catalog_name, catalog_names, count, dropdown,
                      error_box, guard, number, slider)

TITLE = "TCO"

#: Highest power price the page accepts: ten times the dearest catalog site. [USD/kWh]
MAX_POWER_PRICE = 3.0
#: Highest PUE the page accepts (an air-cooled room of the 2000s was about 2.5).
MAX_PUE = 3.0


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


#: Widgets in the page's link (power price and PUE follow the site, so they are left out).
SHARED = [
    Shared("tco-accelerator", lambda v: catalog_name(v, "accelerators", "accelerator")),
    Shared("tco-site", lambda v: catalog_name(v, "sites", "site")),
    Shared("tco-financing", lambda v: catalog_name(v, "financing", "financing")),
    Shared("tco-accelerators", lambda v: count(v, "accelerators"), "number"),
    Shared("tco-utilization", lambda v: amount(v, "utilisation", 0, 1), "number"),
]


def checked(accelerator, site, financing, accelerators, utilization, power_price, pue) -> dict:
    """The page's inputs, each checked: catalog names from the catalog, numbers finite and in
    a plausible range (InputError or CatalogError naming the field otherwise)."""
    return dict(
        accelerator=catalog_name(accelerator, "accelerators", "accelerator"),
        site=catalog_name(site, "sites", "site"),
        financing=catalog_name(financing, "financing", "financing"),
        accelerators=count(accelerators, "accelerators"),
        utilization=amount(utilization, "utilisation", 0, 1),
        power_price_usd_per_kwh=amount(power_price, "power price", 0, MAX_POWER_PRICE),
        pue=amount(pue, "PUE", 1, MAX_PUE),
    )


def compute(*values):
    from ... import tco

    v = checked(*values)
    return tco.accelerator_hour(v.pop("accelerator"), v.pop("site"), **v)


def scenario_toml(accelerator, site, financing, accelerators, utilization, power_price, pue):
    r"""The page's inputs as a scenario file that ``siliconomics run`` accepts, written by a TOML
    writer from checked values (text from a field cannot add keys or tables).

    >>> text = scenario_toml("b200", "finland", "sovereign", 5000, 0.85, 0.09, 1.15)
    >>> print(text)
    [scenario]
    name = "TCO of b200 at finland"
    model = "tco"
    samples = 10000
    seed = 0
    <BLANKLINE>
    [inputs]
    accelerator = "b200"
    site = "finland"
    financing = "sovereign"
    accelerators = 5000
    utilization = 0.85
    power_price_usd_per_kwh = "0.09 USD/kWh"
    pue = 1.15
    <BLANKLINE>
    >>> from siliconomics.scenario import Scenario
    >>> Scenario.from_text(text).inputs["site"]
    'finland'
    >>> scenario_toml('b200"\n[catalog]', "finland", "sovereign", 5000, 0.85, 0.09, 1.15)
    Traceback (most recent call last):
    ...
    siliconomics.errors.CatalogError: unknown accelerator 'b200"\n[catalog]'; did you mean 'b200'?
    """
    import tomli_w

    v = checked(accelerator, site, financing, accelerators, utilization, power_price, pue)
    return tomli_w.dumps({
        "scenario": {"name": f"TCO of {v['accelerator']} at {v['site']}", "model": "tco",
                     "samples": 10_000, "seed": 0},
        "inputs": {**v, "power_price_usd_per_kwh": f"{v['power_price_usd_per_kwh']} USD/kWh"},
    })


def register(app):
    inputs = [Input("tco-accelerator", "value"), Input("tco-site", "value"),
              Input("tco-financing", "value"), Input("tco-accelerators", "value"),
              Input("tco-utilization", "value"), Input("tco-power-price", "value"),
              Input("tco-pue", "value")]

    @app.callback(Output("tco-power-price", "value"), Output("tco-pue", "value"),
                  Output("tco-error", "children", allow_duplicate=True),
                  Input("tco-site", "value"), prevent_initial_call="initial_duplicate")
    @guard(clears=False)
    def site_defaults(site):
        from ... import catalog

        s = catalog.site(catalog_name(site, "sites", "site"))
        return round(s.power_price_usd_per_kwh, 4), round(s.pue, 2)

    @app.callback(Output("tco-headline", "children"), Output("tco-graph", "figure"),
                  Output("tco-details", "children"), Output("tco-error", "children"), *inputs)
    @guard
    def update(*values):
        r = compute(*values)
        headline = (f"{fmt.money(r.usd_per_accelerator_hour, unit='h')} per accelerator-hour; "
                    f"power is {fmt.share(r.power_share)} of it")
        fig = bars(dict(r.breakdown), "Cost of one utilised accelerator-hour", "USD/h",
                   label=r.accelerator)
        details = (f"critical IT {fmt.quantity(r.critical_it_mw, 'MW')}, facility "
                   f"{fmt.quantity(r.facility_mw, 'MW')}, energy "
                   f"{fmt.quantity(r.annual_energy_mwh / 1e6, 'TWh')}/year\n"
                   f"capex {fmt.money(r.capex_usd)}, opex {fmt.money(r.annual_opex_usd)}/year, "
                   f"fabric {fmt.integer(r.network['tiers'])} tiers")
        return headline, fig, details

    @app.callback(Output("tco-download", "data"),
                  Output("tco-error", "children", allow_duplicate=True),
                  Input("tco-download-button", "n_clicks"),
                  *[State(i.component_id, i.component_property) for i in inputs],
                  prevent_initial_call=True)
    @guard(clears=False)
    def download(_, *values):
        return ({"content": scenario_toml(*values), "filename": "tco_scenario.toml"},)
