"""``siliconomics compare``: two scenarios side by side, sample by sample (common random numbers)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._common import console, count, handle_errors, print_json


@handle_errors
def compare(
    scenario_a: Annotated[Path, typer.Argument(help="Scenario A (TOML).")],
    scenario_b: Annotated[Path, typer.Argument(help="Scenario B (TOML), with the same metrics.")],
    samples: Annotated[int | None, typer.Option(parser=count(1, 10**7), metavar="COUNT", help="Samples of each, up to 1e7 (default: the smaller of the files').")] = None,
    seed: Annotated[int | None, typer.Option(min=0, max=2**64 - 1, help="Seed of the common stream (default: A's).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
):
    """Paired difference A - B of each metric, with common random numbers: quantiles (5, 50,
    95%) and the probability that A is cheaper (lower)."""
    from .. import format as fmt
    from ..scenario.compare import compare as paired

    result, a, b = paired(scenario_a, scenario_b, samples=samples, seed=seed)
    data = {"a": {"scenario": a.name, "path": str(scenario_a)},
            "b": {"scenario": b.name, "path": str(scenario_b)}, **result.to_dict()}
    if as_json:
        print_json(data)
        return
    headers = ["metric", "mean A", "mean B", "A-B p5", "A-B p50", "A-B p95", "P(A cheaper)"]
    rows = []
    for m in result.metrics:
        s = result.summary(m)
        q = s["difference_quantiles"]
        unit = fmt.unit_of_metric(m)
        rows.append([m, *(fmt.quantity(s[k], unit) for k in ("mean_a", "mean_b")),
                     *(fmt.quantity(q[k], unit, scale=s["mean_a"]) for k in ("p5", "p50", "p95")),
                     fmt.share(s["p_a_cheaper"])])
    out = console()
    width = _terminal_width()
    table, note = fmt.rich_table(
        headers, rows, width=width, keep=(0, 6), drop=(2, 1, 4, 3, 5),
        title=f"A = {a.name}; B = {b.name}: {result.samples:,} paired samples, seed {result.seed}")
    out.print(table, width=width)
    if note:
        out.print(note, highlight=False, width=width)
    out.print(f"shared inputs drawn in common: {len(result.shared)}", highlight=False)


def _terminal_width() -> int:
    from rich.console import Console

    return Console().width


def register(app: typer.Typer) -> None:
    """Add ``compare`` to the CLI."""
    app.command("compare")(compare)
