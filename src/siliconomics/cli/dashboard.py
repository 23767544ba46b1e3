"""``siliconomics dashboard``: the interactive dashboard in the browser (extra ``[app]``)."""

from __future__ import annotations

from typing import Annotated

import typer

from ._common import console, handle_errors


@handle_errors
def dashboard(
    host: Annotated[str, typer.Option(help="Interface to bind; 127.0.0.1 keeps it on this machine.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to serve on.")] = 8050,
):
    """Serve the dashboard (TCO, Silicon, Training, Serving, Sites, Uncertainty) locally."""
    import importlib.util

    from ..errors import InputError

    if importlib.util.find_spec("dash") is None:
        raise InputError("the dashboard needs the app extra: pip install 'siliconomics[app]'")
    from ..app import serve

    from ..engine import check_host

    check_host(host, "--host")
    if host not in ("127.0.0.1", "localhost", "::1"):
        console().print(f"warning: serving on {host}: anyone who can reach it can use it")
    console().print(f"siliconomics dashboard on http://{host}:{port}/ (Ctrl+C to stop)")
    serve(host=host, port=port)


def register(app: typer.Typer) -> None:
    app.command("dashboard")(dashboard)
