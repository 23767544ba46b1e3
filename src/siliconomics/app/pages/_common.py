"""Widgets and helpers shared by the dashboard pages."""

from __future__ import annotations

from dash import dcc, html

from ...errors import SiliconomicsError


def dropdown(id_, options, value, label, width="14em"):
    return html.Label([label, dcc.Dropdown(id=id_, options=list(options), value=value,
                                           clearable=False, style={"width": width})],
                      style={"display": "inline-block", "marginRight": "1.2em"})


def number(id_, value, label, **kw):
    return html.Label([label, html.Br(), dcc.Input(id=id_, type="number", value=value,
                                                    debounce=True, style={"width": "9em"}, **kw)],
                      style={"display": "inline-block", "marginRight": "1.2em"})


def slider(id_, lo, hi, step, value, label, marks=None):
    return html.Div([html.Label(label), dcc.Slider(id=id_, min=lo, max=hi, step=step,
                                                    value=value, marks=marks,
                                                    tooltip={"placement": "bottom"})],
                    style={"width": "30em", "display": "inline-block", "marginRight": "1em"})


def error_box(id_):
    return html.Div(id=id_, role="alert", style={"color": "#b00020", "minHeight": "1.2em"})


def guard(func):
    """Run a callback; a bad input becomes a message in the page, never a crash.

    The callback returns a tuple whose last element is the error text ("" when fine).
    """

    def wrapper(*args):
        try:
            return (*func(*args), "")
        except SiliconomicsError as exc:
            import dash

            n = len(dash.callback_context.outputs_list) - 1
            return (*([dash.no_update] * n), f"error: {exc}")
        except (TypeError, ValueError) as exc:
            import dash

            n = len(dash.callback_context.outputs_list) - 1
            return (*([dash.no_update] * n), f"error: {exc}")

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper


def whole(value, name):
    """A whole number from a number box (empty or fractional boxes are an InputError)."""
    from ...errors import InputError

    if value is None or float(value) != int(float(value)):
        raise InputError(f"{name} must be a whole number, got {value!r}")
    return int(value)


def catalog_names(kind):
    from ... import catalog

    return catalog.names(kind)


def bars(components: dict, title: str, unit: str):
    import plotly.graph_objects as go

    fig = go.Figure()
    for name, value in components.items():
        fig.add_trace(go.Bar(name=name, x=[float(value)], y=[""], orientation="h",
                             hovertemplate=f"{name}: %{{x:.3f}} {unit}<extra></extra>"))
    fig.update_layout(barmode="stack", title=title, height=220, margin=dict(l=20, r=20, t=50, b=30),
                      xaxis_title=unit, legend_orientation="h")
    return fig
