"""``siliconomics validate``: published figures against what the models compute."""

from __future__ import annotations

from typing import Annotated

import typer

from ._common import console, handle_errors, print_json


@handle_errors
def validate(
    topic: Annotated[str | None, typer.Option(help="Only cases of this topic (tco, silicon, training...).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
):
    """Run every validation case: published vs computed, error and tolerance. Exit 1 on a miss."""
    from .. import validation
    from ..errors import InputError, unknown

    all_cases = validation.cases()
    topics = sorted({c.topic for c in all_cases})
    if topic is not None and topic not in topics:
        raise InputError(unknown("validation topic", topic, topics))
    outcomes = [validation.evaluate(c) for c in all_cases if topic is None or c.topic == topic]
    failed = [o for o in outcomes if not o.passed]
    if as_json:
        print_json({
            "cases": [
                {"id": o.case.id, "topic": o.case.topic, "description": o.case.description,
                 "published": o.case.published, "computed": o.computed, "unit": o.case.unit,
                 "error": o.error, "tolerance": o.case.tolerance, "passed": o.passed,
                 "status": o.case.status, "source": o.case.source, "note": o.case.note}
                for o in outcomes
            ],
            "passed": len(outcomes) - len(failed),
            "failed": len(failed),
        })
    else:
        from rich.table import Table

        table = Table(title="Validation: published vs computed", title_justify="left")
        for col in ("case", "published", "computed", "unit", "error", "tolerance", ""):
            table.add_column(col, justify="right" if col not in ("case", "unit", "") else "left")
        for o in outcomes:
            table.add_row(o.case.id, f"{o.case.published:,.4g}", f"{o.computed:,.4g}", o.case.unit,
                          f"{o.error:+.1%}", f"±{o.case.tolerance:.0%}",
                          "[green]ok[/]" if o.passed else "[red]MISS[/]")
        out = console()
        out.print(table)
        for o in outcomes:
            out.print(f"[dim]{o.case.id}: {o.case.source}[/]", highlight=False)
        out.print(f"{len(outcomes) - len(failed)} passed, {len(failed)} failed")
    if failed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``validate`` to the CLI."""
    app.command("validate")(validate)
