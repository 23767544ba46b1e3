"""``siliconomics catalog``: list entries and show values with their sources."""

from __future__ import annotations

from typing import Annotated

import typer

from ._common import console, handle_errors, print_json

app = typer.Typer(help="Browse the sourced catalog.", no_args_is_help=True)


@app.command("list")
@handle_errors
def list_(
    kind: Annotated[str | None, typer.Argument(help="accelerators, sites, financing, assumptions...")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
):
    """List catalog entries of one kind, or of every kind."""
    from .. import catalog

    cat = catalog.load()
    kinds = [kind] if kind else cat.kinds()
    data = {
        k: [{"slug": e.slug, "name": e.name, "aliases": list(e.aliases),
             "origin": e.origin, "user": e.is_user} for e in cat.entries(k)]
        for k in kinds
    }
    if as_json:
        print_json(data)
        return
    from rich.table import Table

    out = console()
    for k, rows in data.items():
        table = Table(title=f"{k} ({len(rows)})", title_justify="left")
        table.add_column("slug")
        table.add_column("name")
        table.add_column("aliases")
        table.add_column("from")
        for row in rows:
            table.add_row(row["slug"], row["name"], ", ".join(row["aliases"]),
                          f"user: {row['origin']}" if row["user"] else "")
        out.print(table)


@app.command("show")
@handle_errors
def show(
    name: Annotated[str, typer.Argument(help="An entry's slug or alias, e.g. h100 or texas.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
):
    """Show every value of one entry with its range, source and date."""
    from .. import catalog

    entry = catalog.load().find(name)
    rows = entry.provenance()
    if as_json:
        print_json({"kind": entry.kind, "slug": entry.slug, "name": entry.name,
                    "aliases": list(entry.aliases), "origin": entry.origin,
                    "user": entry.is_user, "extends": entry.parent, "fields": rows})
        return
    from rich.table import Table

    where = f"; user entry from {entry.origin}" if entry.is_user else ""
    where += f", extends {entry.parent}" if entry.parent else ""
    table = Table(title=f"{entry.name} ({entry.kind}: {entry.slug}{where})", title_justify="left")
    for col in ("field", "value", "90% range", "source", "as of"):
        table.add_column(col, overflow="fold")
    for field, v in entry.fields.items():
        rng = f"{v.low:g} to {v.high:g}" if v.is_uncertain else ""
        source = v.source + (" [assumption]" if v.assumption else "")
        table.add_row(field, _fmt(v.value), rng, source, v.as_of)
    console().print(table)


def _fmt(x) -> str:
    if isinstance(x, float):
        return f"{x:,.6g}"
    return str(x)


def register(parent: typer.Typer) -> None:
    """Add the ``catalog`` command group to the CLI."""
    parent.add_typer(app, name="catalog")
