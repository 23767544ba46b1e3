"""``siliconomics calibrate``: fit model efficiency factors to measurements."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._common import console, handle_errors, print_json

app = typer.Typer(help="Fit efficiency factors to measured performance.", no_args_is_help=True)


@app.command("serving")
@handle_errors
def serving(
    file: Annotated[Path, typer.Argument(help="Measured CSV: model,accelerator,tp,precision,batch,input_tokens,output_tokens,output_tokens_per_s.")],
    save: Annotated[Path | None, typer.Option("--save", help="Write the fitted factors as a catalog overlay TOML.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
):
    """Fit compute and bandwidth efficiency of each accelerator to measured serving throughput."""
    from ..io import check_file
    from ..workloads import calibration

    if save is not None:
        check_file(save, what="overlay file", suffixes=(".toml",))
    points = calibration.read_csv(file)
    fits = calibration.fit(points)
    if save is not None:
        calibration.write_overlay(fits, save, source_file=str(file))
    if as_json:
        print_json({"file": str(file), "overlay": str(save) if save else None,
                    "fits": [f.to_dict() for f in fits]})
        return
    from rich.table import Table

    out = console()
    for f in fits:
        t = Table(title=f"{f.accelerator}: {f.points} points", title_justify="left")
        for col in ("line", "model", "tp", "batch", "in/out", "measured", "before", "after"):
            t.add_column(col, justify="right")
        for r in f.rows:
            t.add_row(str(r["line"]), r["model"], str(r["tp"]), str(r["batch"]),
                      f"{r['input_tokens']}/{r['output_tokens']}", f"{r['measured']:,.0f}",
                      f"{r['before']:,.0f}", f"{r['after']:,.0f}")
        out.print(t)
        out.print(
            f"compute efficiency {f.before['compute_efficiency']:.3f} -> "
            f"{f.after['compute_efficiency']:.3f}, bandwidth efficiency "
            f"{f.before['bandwidth_efficiency']:.3f} -> {f.after['bandwidth_efficiency']:.3f}; "
            f"mean |error| {f.mean_abs_error_before:.1%} -> {f.mean_abs_error_after:.1%} "
            f"(rms log {f.rms_log_error_before:.3f} -> {f.rms_log_error_after:.3f})"
        )
    if save is not None:
        out.print(f"overlay written to {save}; use it with: siliconomics serve --overlay {save}")


def register(parent: typer.Typer) -> None:
    """Add the ``calibrate`` command group to the CLI."""
    parent.add_typer(app, name="calibrate")
