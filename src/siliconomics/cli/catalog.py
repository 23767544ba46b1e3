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
    if kind is not None and kind not in cat.kinds():
        from ..errors import InputError, unknown

        raise InputError(unknown("catalog kind", kind, cat.kinds()))
    kinds = [kind] if kind is not None else cat.kinds()
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
    name: Annotated[str, typer.Argument(help="An entry's slug or alias, e.g. h100 or texas; kind.slug for one kind's entry where several share a name, e.g. serving_efficiency.h100-sxm.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
):
    """Show every value of one entry with its range, source and date."""
    from .. import catalog

    cat = catalog.load()
    entry = cat.find(name)
    rows = entry.provenance()
    # entries of other kinds under the same name (an accelerator's serving efficiency, a
    # node's foundry economics), reached as kind.slug
    also = [f"{e.kind}.{e.slug}" for e in cat.find_all(name) if e is not entry]
    if as_json:
        print_json({"kind": entry.kind, "slug": entry.slug, "name": entry.name,
                    "aliases": list(entry.aliases), "origin": entry.origin,
                    "user": entry.is_user, "extends": entry.parent, "fields": rows,
                    "also": also})
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
    out = console()
    out.print(table)
    if also:
        out.print(f"{name} also names: {', '.join(also)} (show one with 'siliconomics catalog "
                  f"show {also[0]}')", highlight=False)


@app.command("history")
@handle_errors
def history(
    name: Annotated[str, typer.Argument(help="An entry (h100, hbm3e, n3, us-texas) or kind.slug.")],
    measure: Annotated[str | None, typer.Option(help="Only this series: list, street, secondary, rental-on-demand, rental-1y, rental-3y, contract, wafer, power.")] = None,
    at: Annotated[str | None, typer.Option("--at", help="Read each series at this date (YYYY, YYYY-MM or YYYY-MM-DD).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
):
    """Dated prices of an entry (purchase, rental, contract, wafer, power), with a chart."""
    from ..catalog import history as h

    found = h.series(name, measure)
    subject = h.subject_of(name)
    data = {"subject": subject, "series": []}
    for e in found:
        item = {"series": e.slug, "name": e.name, "measure": e.measure, "unit": e.unit,
                "points": [{"date": p.date, "value": p.value, "low": p.low, "high": p.high,
                            "source": p.source, **({"note": p.note} if p.note else {})}
                           for p in e.points]}
        if at is not None:
            item["at"] = h.read(e, at).to_dict()
        data["series"].append(item)
    if as_json:
        print_json(data)
        return
    from rich.table import Table

    out = console()
    if not found:
        out.print(f"{subject} has no price series in the catalog")
        return
    for item in data["series"]:
        table = Table(title=f"{item['name']} ({item['unit']})", title_justify="left")
        for col in ("date", "value", "90% range", "source"):
            table.add_column(col, justify="right" if col != "source" else "left",
                             overflow="fold")
        for p in item["points"]:
            rng = "" if p["low"] is None else f"{p['low']:,.4g} to {p['high']:,.4g}"
            table.add_row(p["date"], f"{p['value']:,.4g}", rng, p["source"])
        out.print(table)
        out.print(_chart([p["value"] for p in item["points"]], [p["date"] for p in item["points"]]))
        if "at" in item:
            a = item["at"]
            rng = "" if a["low"] is None else f" (90%: {a['low']:,.4g} to {a['high']:,.4g})"
            out.print(f"at {at}: {a['value']:,.4g} {item['unit']}{rng}, {a['rule']}")
            if a["warning"]:
                typer.echo(f"warning: {a['warning']}", err=True)


def _chart(values, dates, height: int = 6) -> str:
    """A small text chart of a series: one column per point, scaled to its range."""
    lo, hi = min(values), max(values)
    span = (hi - lo) or 1.0
    levels = [round((v - lo) / span * (height - 1)) for v in values]
    rows = []
    for r in range(height - 1, -1, -1):
        label = f"{lo + span * r / (height - 1):>10,.4g} |"
        rows.append(label + "".join(" *" if lev == r else "  " for lev in levels))
    rows.append(" " * 11 + "+" + "--" * len(values))
    rows.append(" " * 12 + f"{dates[0]} ... {dates[-1]}")
    return "\n".join(rows)


@app.command("audit")
@handle_errors
def audit_(
    older_than: Annotated[str, typer.Option("--older-than", help="Age beyond which a price, cost or rate is old, e.g. 18months, 2y, 90d.")] = "18months",
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
):
    """Entries whose prices or rates are old, values that need a range, undated price points."""
    from ..catalog.history import audit

    a = audit(older_than)
    if as_json:
        print_json(a.to_dict())
        return
    from rich.table import Table

    out = console()
    table = Table(title=f"Entries with values older than {older_than} ({a.today})",
                  title_justify="left")
    for col in ("entry", "why", "old fields"):
        table.add_column(col, overflow="fold")
    for row in a.stale:
        table.add_row(row["entry"], row["reason"],
                      ", ".join(f"{k} ({v})" for k, v in row["fields"].items()))
    out.print(table)
    out.print(f"{len(a.unranged)} assumption or price values without a 90% range; "
              f"{len(a.undated_points)} price points whose source names no year")
    for row in a.unranged:
        out.print(f"  no range: {row['entry']}.{row['field']} = {row['value']:g}")
    for row in a.undated_points:
        out.print(f"  undated source: {row['entry']} {row['date']}: {row['source']}")


def _fmt(x) -> str:
    if isinstance(x, float):
        return f"{x:,.6g}"
    return str(x)


def register(parent: typer.Typer) -> None:
    """Add the ``catalog`` command group to the CLI."""
    parent.add_typer(app, name="catalog")
