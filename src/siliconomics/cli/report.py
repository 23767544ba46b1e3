"""``siliconomics report``: the main job, a terminal summary and an HTML report."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Annotated

import typer

from ._common import MAX_ACCELERATORS, console, handle_errors, print_json


@handle_errors
def report(
    scenario: Annotated[Path | None, typer.Argument(help="Scenario TOML: adds its distributions and a tornado chart.")] = None,
    compare: Annotated[Path | None, typer.Option("--compare", help="Second scenario TOML: adds a paired comparison of the two (common random numbers).")] = None,
    accelerator: Annotated[str, typer.Option("--accelerator", "-a", help="Catalog accelerator.")] = "h100-sxm",
    accelerators: Annotated[int, typer.Option("--accelerators", "-n", min=1, max=MAX_ACCELERATORS, help="Cluster size.")] = 100_000,
    sites: Annotated[str | None, typer.Option(help="Comma-separated sites (default: every catalog site).")] = None,
    financing: Annotated[str, typer.Option(help="hyperscaler, neocloud or sovereign.")] = "hyperscaler",
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for index.html and summary.json.")] = Path("report"),
    pdf: Annotated[bool, typer.Option("--pdf", help="Also print the report to report.pdf (needs Chromium).")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as one JSON object.")] = False,
):
    """Cost of an accelerator-hour at every site, and an HTML report with charts and sources."""
    from ..io import check_folder
    from ..report import write_report
    from ..report.sections import ReportContext, build_all

    check_folder(out, what="report folder")  # a bad --out fails now, not after the work
    if pdf:
        from ..report.pdf import find_browser

        find_browser()  # fail before writing anything
    from ._common import names_list

    site_list = names_list(sites, "--sites")
    sc = None
    if scenario is not None:
        from ..scenario import Scenario

        sc = Scenario.from_file(scenario)
        sc.check()  # a bad scenario fails here, before anything is written
    other = None
    if compare is not None:
        from ..errors import InputError
        from ..scenario.compare import check_pair

        if sc is None:
            raise InputError("--compare needs a first scenario: report A.toml --compare B.toml")
        _, other = check_pair(sc, compare)
    ctx = ReportContext(accelerator=accelerator, accelerators=accelerators, sites=site_list,
                        financing=financing, scenario=sc)
    if other is not None:
        ctx.extra["compare"] = other
    with _progress() as step:
        all_sections = build_all(ctx, progress=step)
    from ..report import workbook

    live = workbook.for_question(accelerator, (site_list or ["us-texas"])[0],
                                 accelerators=accelerators, financing=financing, strict=False)
    path = write_report(all_sections, out, title=f"siliconomics: {accelerator}, {accelerators:,} accelerators",
                        workbook=live, also=("report.pdf",) if pdf else ())
    if pdf:
        from ..report.pdf import write_pdf

        write_pdf(path, Path(out) / "report.pdf")
    import json

    written = [Path(out) / f for f in json.loads((Path(out) / "summary.json").read_text())["files"]]
    if as_json:
        print_json({"report": str(path), "files": [str(f) for f in written],
                    "sections": {s.id: s.data for s in all_sections}})
        return
    tco_section = next(s for s in all_sections if s.id == "tco")
    results = ctx.tco_results
    from rich.console import Console

    from .. import format as fmt
    from .. import tco

    headers = ["site", *tco.COMPONENTS, "total USD/h", "power share", "facility MW"]
    rows = [[r.site, *(f"{r.breakdown[c]:.3f}" for c in tco.COMPONENTS),
             f"{r.usd_per_accelerator_hour:.3f}", f"{r.power_share:.1%}",
             f"{r.facility_mw:,.0f}"] for r in results]
    col = headers.index
    # a narrow terminal drops columns (named under the table), never cuts a site or a number:
    # the size of the site first, then the components least tied to the site
    drop = [col("facility MW"), *(col(c) for c in ("operations", "system", "network",
                                                     "accelerator", "facility", "power"))]
    width = Console().width
    table, note = fmt.rich_table(headers, rows, width=width, title=tco_section.intro,
                                 keep=(0, col("total USD/h"), col("power share")), wrap=(0,),
                                 left=(0,), drop=drop)
    out_console = console()
    out_console.print(table, width=width)
    if note:
        out_console.print(note, highlight=False, width=width)
    for section in all_sections:
        if section.findings:
            out_console.print(f"[bold]{section.title}[/]")
        for finding in section.findings:
            out_console.print("• " + finding, highlight=False)
    out_console.print(f"report written to {path}; files written:")
    for f in written:
        out_console.print(f"  {f}", highlight=False, soft_wrap=True)


@contextlib.contextmanager
def _progress():
    """A Rich progress bar over the report's sections on stderr (none when stderr is not a
    terminal); yields the step function :func:`~siliconomics.report.sections.build_all` calls."""
    import sys

    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from ..report.sections import modules

    err = Console(stderr=True)
    if not sys.stderr.isatty():
        yield lambda name: None
        return
    with Progress(TextColumn("report: {task.description}"), BarColumn(),
                  TextColumn("{task.completed}/{task.total} sections"), TimeElapsedColumn(),
                  console=err, transient=True) as bar:
        names = modules()
        task = bar.add_task(names[0], total=len(names))

        def step(name: str) -> None:
            i = names.index(name) + 1
            bar.update(task, completed=i, description=names[i] if i < len(names) else "writing")

        yield step


def register(app: typer.Typer) -> None:
    """Add ``report`` to the CLI."""
    app.command("report")(report)
