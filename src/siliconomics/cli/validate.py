"""``siliconomics validate``: published figures against what the models compute."""

from __future__ import annotations

from typing import Annotated

import typer

from ._common import console, handle_errors, print_json


@handle_errors
def validate(
    topic: Annotated[str | None, typer.Option(help="Only cases of this topic (tco, energy, silicon, training...).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    peers: Annotated[bool, typer.Option("--peers", help="Instead, NVIDIA's aiconfigurator beside siliconomics on TensorRT-LLM 1.0's published rows (needs the measured extra).")] = False,
):
    """Run every validation case by area: published vs computed, error and tolerance, and each
    area's mean and max absolute error; calibration cases reported apart. Exit 1 on a miss."""
    from .. import validation
    from ..errors import InputError, unknown

    if peers:
        if topic is not None:
            raise InputError("--peers compares the serving rows with a peer; drop --topic "
                             f"{topic!r} (or drop --peers to run that topic's cases)")
        _peers(as_json)
        return
    all_cases = validation.cases()
    topics = sorted({c.topic for c in all_cases})
    if topic is not None and topic not in topics:
        raise InputError(unknown("validation topic", topic, topics))
    chosen = sorted((c for c in all_cases if topic is None or c.topic == topic),
                    key=lambda c: (c.calibration, c.area))
    outcomes = [validation.evaluate(c) for c in chosen]
    # calibration cases show the fit and are reported apart; the held-out ones are the test
    # known misses (a documented limitation of the model) are shown, not counted as failures
    failed = [o for o in outcomes if not o.passed and not o.case.calibration
              and not o.case.known_miss]
    summary = validation.summarize(outcomes)
    if as_json:
        print_json({
            "cases": [
                {"id": o.case.id, "topic": o.case.topic, "area": o.case.area,
                 "kind": o.case.check, "description": o.case.description,
                 "published": o.case.published, "computed": o.computed, "unit": o.case.unit,
                 "error": o.error, "tolerance": o.case.tolerance, "limit": o.case.limit,
                 "passed": o.passed, "calibration": o.case.calibration,
                 "status": o.case.status, "source": o.case.source, "note": o.case.note,
                 "justification": o.case.justification, "known_miss": o.case.known_miss}
                for o in outcomes
            ],
            "areas": summary,
            "passed": sum(o.passed for o in outcomes if not o.case.calibration),
            "failed": len(failed),
            "known_misses": sum(o.known_miss for o in outcomes),
            "calibration_cases": sum(o.case.calibration for o in outcomes),
        })
    else:
        _print(outcomes, summary, failed)
    if failed:
        raise typer.Exit(1)


def _peers(as_json: bool) -> None:
    """The peer comparison (:mod:`siliconomics.validation.peers`): every row and the summary."""
    from rich.table import Table

    from ..validation import peers

    rows = peers.aiconfigurator_rows()
    summary = peers.summarize(rows)
    if as_json:
        print_json({"rows": rows, "summary": summary})
        return
    out = console()
    table = Table(title="TensorRT-LLM 1.0 published output tokens/s: siliconomics and "
                        "aiconfigurator (static batch at the same batch and layout)",
                  title_justify="left")
    for col in ("row", "published", "siliconomics", "error", "aiconfigurator", "error"):
        table.add_column(col, justify="left" if col == "row" else "right")
    for r in rows:
        table.add_row(r["id"], f"{r['published']:,.0f}", f"{r['siliconomics']:,.0f}",
                      f"{r['siliconomics_error']:+.1%}", f"{r['aiconfigurator']:,.0f}",
                      f"{r['aiconfigurator_error']:+.1%}")
    out.print(table)
    for name, s in summary.items():
        out.print(f"{name}: {s['within']} of {s['rows']} rows within 25%, mean absolute error "
                  f"{s['mean']:.1%}, median {s['median']:.1%}")


def _print(outcomes, summary, failed) -> None:
    from rich.markup import escape
    from rich.table import Table

    from .. import validation

    out = console()
    groups = []
    for o in outcomes:
        key = (o.case.calibration, o.case.area)
        if not groups or groups[-1][0] != key:
            groups.append((key, []))
        groups[-1][1].append(o)
    for (calibration, area), members in groups:
        title = f"{area}: {'calibration (fitted on these figures)' if calibration else 'published vs computed'}"
        table = Table(title=title, title_justify="left")
        for col in ("case", "published", "computed", "unit", "error", "tolerance", ""):
            # a case's id is how it is looked up: wrapped when the terminal is narrow, never cut
            table.add_column(col, justify="right" if col not in ("case", "unit", "") else "left",
                             overflow="fold" if col == "case" else "ellipsis",
                             no_wrap=col not in ("case", "unit"))
        for o in members:
            table.add_row(o.case.id, f"{o.case.published:,.4g}", f"{o.computed:,.4g}", o.case.unit,
                          f"{o.error:+.1%}", _pct(o.case.tolerance),
                          "[green]ok[/]" if o.passed else
                          "[yellow]fit residual[/]" if calibration else
                          "[yellow]known miss[/]" if o.case.known_miss else "[red]MISS[/]")
        out.print(table)
    areas = Table(title="Per area: mean, median and max absolute error", title_justify="left")
    for col in ("area", "cases", "passed", "known misses", "mean", "median", "max"):
        areas.add_column(col, justify="left" if col == "area" else "right")
    for row in summary:
        name = row["area"] + (" (calibration)" if row["calibration"] else "")
        areas.add_row(name, str(row["cases"]), str(row["passed"]), str(row["known_misses"]),
                      f"{row['mean_abs_error']:.1%}", f"{row['median_abs_error']:.1%}",
                      f"{row['max_abs_error']:.1%}")
    out.print(areas)
    for o in outcomes:
        out.print(f"[dim]{o.case.id}: {escape(o.case.source)}[/]", highlight=False)
    predictions = [o for o in outcomes if not o.case.calibration]
    known = [o for o in predictions if o.known_miss]
    out.print(f"{len(predictions) - len(failed) - len(known)} of {len(predictions)} predictions "
              f"within their tolerance, {len(failed)} missed, {len(known)} known misses; "
              f"{len(outcomes) - len(predictions)} calibration cases reported apart")
    # a reason shared by many rows of one table is printed once, after the rows it explains
    for reason, members in validation.known_misses_by_reason(known).items():
        cases = ", ".join(f"{o.case.id} ({o.error:+.1%})" for o in members)
        label = "known miss" if len(members) == 1 else f"known misses ({len(members)})"
        out.print(f"{label} {cases}: {escape(reason)}", highlight=False)


def _pct(tolerance: float) -> str:
    """A tolerance as a percentage, with a decimal below 1% (so 0.1% does not print as 0%)."""
    return f"±{tolerance:.1%}" if tolerance < 0.01 else f"±{tolerance:.0%}"


def register(app: typer.Typer) -> None:
    """Add ``validate`` to the CLI."""
    app.command("validate")(validate)
