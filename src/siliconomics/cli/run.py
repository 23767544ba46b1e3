"""``siliconomics run`` and ``siliconomics sensitivity``: a scenario file under uncertainty."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._common import console, count, handle_errors, print_json, stderr_is_tty


def _fmt(x: float) -> str:
    ax = abs(x)
    if ax != 0 and (ax >= 1e6 or ax < 1e-3):
        return f"{x:.4g}"
    return f"{x:,.4g}" if ax < 1000 else f"{x:,.0f}"


@handle_errors
def run(
    scenario: Annotated[Path, typer.Argument(help="Scenario TOML file.")],
    samples: Annotated[int | None, typer.Option(parser=count(1, 10**10), metavar="COUNT", help="Samples, 1 to 1e10, e.g. 1e7 (default: the file's).")] = None,
    seed: Annotated[int | None, typer.Option(min=0, max=2**64 - 1, help="Seed (default: the file's).")] = None,
    engine: Annotated[str, typer.Option(help="local (process pool), threads, dask (local cluster) or a scheduler address tcp://host:8786.")] = "local",
    workers: Annotated[int | None, typer.Option(min=1, max=1024, help="Workers (default: the cores available).")] = None,
    samples_out: Annotated[Path | None, typer.Option("--samples-out", help="Write every sample to this Parquet file.")] = None,
    sampler: Annotated[str | None, typer.Option(help="random (pseudo-random) or qmc (scrambled Sobol: fewer samples for the same accuracy); default: the file's.")] = None,
    yes: Annotated[bool, typer.Option("--yes", help="Run even when the estimated time or output size is large.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
):
    """Monte Carlo run of a scenario: mean, spread and percentiles of each output."""
    from ..engine import check_engine
    from ..errors import InputError
    from ..scenario import Scenario

    if samples is not None and samples < 1:
        raise InputError(f"{scenario}: --samples must be >= 1, got {samples}")
    check_engine(engine)
    if samples_out is not None:
        from ..io import check_file

        check_file(samples_out, what="--samples-out file", suffixes=(".parquet",))
    if sampler is not None:
        from ..uncertainty.montecarlo import SAMPLERS

        if sampler not in SAMPLERS:
            from ..errors import unknown

            raise InputError(unknown("sampler", sampler, SAMPLERS))
    sc = Scenario.from_file(scenario)
    n = sc.samples if samples is None else samples
    if not yes:
        _check_size(sc, n, engine, workers, samples_out)
    result = sc.run(samples=samples, seed=seed, engine=engine, workers=workers,
                    samples_out=samples_out, sampler=sampler,
                    progress=(not as_json) and stderr_is_tty() and n >= 5_000_000)
    data = {"scenario": sc.name, "path": str(scenario), **result.to_dict()}
    if as_json:
        print_json(data)
        return
    from rich.table import Table

    from .. import format as fmt

    out = console()
    table = Table(title=f"{sc.name}: {result.samples:,} samples, seed {result.seed}",
                  title_justify="left")
    for col in ("metric", "mean", "std", "p5", "p50", "p95"):
        table.add_column(col, justify="left" if col == "metric" else "right")
    for name, agg in result.metrics.items():
        s = agg.summary()
        unit = fmt.unit_of_metric(name)
        table.add_row(name, *(fmt.quantity(s[k], unit, scale=s["mean"])
                              for k in ("mean", "std", "p5", "p50", "p95")))
    out.print(table)
    for name, agg in result.metrics.items():
        for t, p in agg.summary().get("exceedance", {}).items():
            out.print(f"P({name} > {t}) = {p:.3f}", highlight=False)
    out.print(f"{result.samples / result.seconds:,.0f} samples/s on the {engine} engine "
              f"({result.sampler} sampler); "
              f"quantiles within {result.metrics[next(iter(result.metrics))].alpha:.1%} relative",
              highlight=False)
    if result.samples_out:
        out.print(f"samples written to {result.samples_out}")


#: Runs estimated to take longer than this, or to write more than the free disk space, ask for
#: ``--yes``. [s]
LONG_RUN_S = 600.0


def _check_size(sc, samples: int, engine: str, workers: int | None, samples_out) -> None:
    """InputError with the estimated time (and file size) when a run is too large to start
    without ``--yes``: a trial block is timed on this machine and scaled to the workers."""
    import shutil

    from ..errors import InputError
    from ..uncertainty import montecarlo

    if samples < 20 * montecarlo.BLOCK:  # a few seconds at most: not worth a trial
        return
    est = montecarlo.estimate(sc.plan(samples=samples), workers=workers)
    too_long = est["seconds"] > LONG_RUN_S and engine in ("local", "threads", "processes")
    disk = None
    if samples_out is not None:
        folder = Path(samples_out).resolve().parent
        disk = shutil.disk_usage(folder).free if folder.exists() else None
    too_big = samples_out is not None and disk is not None and est["bytes_out"] > disk
    if too_long or too_big:
        size = f" and write about {_bytes(est['bytes_out'])} (free: {_bytes(disk)})" if (
            samples_out is not None and disk is not None) else ""
        raise InputError(
            f"{samples:,} samples would take about {_duration(est['seconds'])} here (a trial block "
            f"ran at {est['rate'] / 1e6:.1f} M samples/s on {est['workers']} workers){size}; "
            "add --yes to run anyway, or lower --samples (--sampler qmc needs fewer)")


def _duration(seconds: float) -> str:
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"


def _bytes(n: float) -> str:
    for unit in ("B", "kB", "MB", "GB", "TB", "PB"):
        if n < 1000 or unit == "PB":
            return f"{n:,.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000


@handle_errors
def sensitivity(
    scenario: Annotated[Path, typer.Argument(help="Scenario TOML file.")],
    method: Annotated[str, typer.Option(help="sobol, morris, tornado or rank.")] = "sobol",
    output: Annotated[str | None, typer.Option(help="Output to explain (default: the first metric).")] = None,
    samples: Annotated[int | None, typer.Option(parser=count(1, 2**22), metavar="COUNT", help="Base samples (sobol, power of two), trajectories (morris) or samples (rank); up to 2**22.")] = None,
    seed: Annotated[int | None, typer.Option(min=0, max=2**32 - 1, help="Seed (default: the file's).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
):
    """Which inputs drive an output's spread: Sobol, Morris, tornado or rank correlations."""
    from ..errors import InputError
    from ..scenario import Scenario
    from ..uncertainty import sensitivity as sens

    if method not in sens.METHODS:
        from ..errors import unknown

        raise InputError(unknown("method", method, sens.METHODS))
    sc = Scenario.from_file(scenario)
    sc.check()
    plan = sc.plan(seed=seed)
    options = {}
    if samples is not None:
        key = {"sobol": "n", "morris": "trajectories", "rank": "samples"}.get(method)
        if key is None:
            raise InputError("--samples does not apply to the tornado method")
        options[key] = samples
    if seed is not None and method != "tornado":
        options["seed"] = seed
    result = sens.analyze(plan, method, output, **options)
    if as_json:
        print_json({"scenario": sc.name, "path": str(scenario), **result.to_dict()})
        return
    from rich.table import Table

    out = console()
    table = Table(title=f"{sc.name}: {method} sensitivity of {result.output}", title_justify="left")
    cols = {"sobol": ("S1", "S1_conf", "ST", "ST_conf"),
            "morris": ("mu_star", "mu_star_conf", "sigma"),
            "tornado": ("input_low", "input_high", "output_at_low", "output_at_high", "swing"),
            "rank": ("spearman", "low", "high")}[method]
    table.add_column("input")
    for c in cols:
        table.add_column(c, justify="right")
    for row in result.rows:
        table.add_row(row["input"], *(_fmt(row[c]) for c in cols))
    out.print(table)
    if result.base is not None:
        out.print(f"{result.output} with every input at its median: {_fmt(result.base)}")
    for note in result.notes:
        out.print(f"note: {note}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``run`` and ``sensitivity`` to the CLI."""
    app.command("run")(run)
    app.command("sensitivity")(sensitivity)
