"""The ``siliconomics`` command line: one module per command group, thin over the models."""

from __future__ import annotations

from typing import Annotated

import typer

from .. import __version__
from ._edge import Group

app = typer.Typer(
    name="siliconomics",
    cls=Group,
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


#: Command modules in the order ``--help`` lists them; each defines ``register(app)``.
#: A module not listed here is still registered, after these.
ORDER = ("report", "tco", "chip", "train", "serve", "whatif", "sites", "plan", "industry", "run",
         "sensitivity", "calibrate", "catalog", "validate", "dashboard")


def _register_commands() -> None:
    import importlib
    import pkgutil

    found = [m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")]
    ordered = [m for m in ORDER if m in found] + sorted(set(found) - set(ORDER))
    for name in ordered:
        importlib.import_module(f".{name}", __name__).register(app)


_register_commands()


def main() -> None:
    """Entry point of the ``siliconomics`` console script."""
    app()
