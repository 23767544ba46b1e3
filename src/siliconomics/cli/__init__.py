"""The ``siliconomics`` command line: one module per command group, thin over the models."""

from __future__ import annotations

from typing import Annotated

import typer

from .. import __version__

app = typer.Typer(
    name="siliconomics",
    help="The economics of AI compute, from silicon to served tokens.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool):
    if value:
        typer.echo(f"siliconomics {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
):
    """The economics of AI compute, from silicon to served tokens."""


from . import catalog as _catalog  # noqa: E402
from . import report as _report  # noqa: E402
from . import tco as _tco  # noqa: E402
from . import validate as _validate  # noqa: E402

app.add_typer(_catalog.app, name="catalog")
app.command("tco")(_tco.tco)
app.command("report")(_report.report)
app.command("validate")(_validate.validate)


def main() -> None:
    """Entry point of the ``siliconomics`` console script."""
    app()
