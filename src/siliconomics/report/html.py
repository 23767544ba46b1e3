"""Assemble sections into one self-contained HTML page."""

from __future__ import annotations

import datetime as _dt
import html as _html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1100px;
color:#1d2433;line-height:1.45;padding:0 1rem}
h1{font-size:1.7rem;margin-bottom:.2rem}h2{border-bottom:2px solid #e3e7ef;padding-bottom:.2rem;margin-top:2.4rem}
.meta{color:#5b6579;font-size:.9rem}
table{border-collapse:collapse;margin:1rem 0;font-size:.88rem;width:100%}
th,td{border-bottom:1px solid #e3e7ef;padding:.3rem .5rem;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
figure{margin:1rem 0}figure svg{max-width:100%;height:auto}
figcaption{color:#5b6579;font-size:.85rem}
.finding{background:#f3f6fb;border-left:4px solid #3b6bd6;padding:.6rem 1rem;margin:1rem 0}
nav a{margin-right:1rem}
.how{color:#3d4658;font-size:.9rem;background:#fafbfd;border:1px solid #e3e7ef;padding:.4rem .8rem}
ul.files{columns:2;font-size:.9rem}
.table-wrap{overflow-x:auto}
@page{size:A4 landscape;margin:10mm}
@media print{
 body{max-width:none;margin:0;padding:0;font-size:9pt}
 table{font-size:6.5pt;table-layout:auto;width:100%}
 th,td{padding:.1rem .2rem;overflow-wrap:anywhere;word-break:break-word}
 .table-wrap{overflow:visible}
 figure,table{break-inside:avoid}
 figure svg{max-height:150mm}
 nav{display:none}
}
"""


@dataclass
class Section:
    """One report section: a title, paragraphs, figures (SVG), tables, and JSON-ready data."""

    id: str
    title: str
    intro: str = ""
    findings: list[str] = field(default_factory=list)
    #: (svg, caption) or (svg, caption, alt text); without alt text the caption is read out.
    figures: list[tuple] = field(default_factory=list)
    tables: list[tuple[str, Any]] = field(default_factory=list)  # (caption, DataFrame)
    data: dict = field(default_factory=dict)
    #: A short "how to read this": what the figures and tables show and what to look at first.
    how_to_read: str = ""

    def to_html(self) -> str:
        parts = [f"<section id='{_html.escape(self.id)}'><h2>{_html.escape(self.title)}</h2>"]
        if self.intro:
            parts.append(f"<p>{_html.escape(self.intro)}</p>")
        if self.how_to_read:
            parts.append(f"<p class='how'><b>How to read this.</b> "
                         f"{_html.escape(self.how_to_read)}</p>")
        for finding in self.findings:
            parts.append(f"<div class='finding'>{_html.escape(finding)}</div>")
        for svg, caption, *alt in self.figures:
            parts.append(f"<figure>{with_alt(svg, alt[0] if alt else caption)}"
                         f"<figcaption>{_html.escape(caption)}</figcaption></figure>")
        for caption, frame in self.tables:
            parts.append(f"<div class='table-wrap'>{frame_to_html(frame, caption)}</div>")
        parts.append("</section>")
        return "\n".join(parts)


def with_alt(svg: str, alt: str) -> str:
    """An inline SVG chart marked as one image with alternative text: ``role="img"`` and
    ``aria-label`` on the ``<svg>`` element and a ``<title>`` as its first child, so a screen
    reader reads ``alt`` where a sighted reader sees the chart (the inline-SVG equivalent of
    ``<img alt=...>``).

    >>> print(with_alt("<svg width='1'><rect/></svg>", "Cost by site & year"))
    <svg role="img" aria-label="Cost by site &amp; year" width='1'><title>Cost by site &amp; year</title><rect/></svg>
    """
    text = _html.escape(alt.strip() or "chart", quote=True)
    start = svg.index("<svg") + len("<svg")
    close = svg.index(">", start) + 1
    return (f'<svg role="img" aria-label="{text}"' + svg[start:close] + f"<title>{text}</title>"
            + svg[close:])


def frame_to_html(frame, caption: str = "") -> str:
    """A DataFrame as a plain HTML table, numbers right-aligned and formatted."""
    cols = list(frame.columns)
    head = "".join(f"<th{_num_class(frame[c])}>{_html.escape(str(c))}</th>" for c in cols)
    rows = []
    for _, row in frame.iterrows():
        cells = "".join(
            f"<td{_num_class(frame[c])}>{_html.escape(_fmt(row[c], c))}</td>" for c in cols
        )
        rows.append(f"<tr>{cells}</tr>")
    cap = f"<caption style='text-align:left'>{_html.escape(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _num_class(series) -> str:
    return " class='num'" if series.dtype.kind in "fiu" else ""


def _fmt(x, column="") -> str:
    """A cell by the formatting policy: years whole, shares as percentages, 4 figures."""
    from .. import format as fmt

    if isinstance(x, float) and x != x:
        return ""
    return fmt.cell(x, column)


def write_report(sections: list[Section], out_dir: Path | str, title: str = "siliconomics report",
                 workbook=None, also: tuple[str, ...] = ()) -> Path:
    """Write ``index.html``, ``summary.json``, ``tables/*.csv`` and ``report.xlsx`` into ``out_dir``.

    Files are written to temporary names and renamed together at the end (SIGINT and SIGTERM
    held back meanwhile), so a failure or an interruption leaves the previous report or the
    complete new one, never a mix and never a temporary file. ``report.xlsx`` (one sheet per table) needs openpyxl and is
    skipped, with a note in ``summary.json``, when it is not installed. ``workbook`` (a
    :class:`~siliconomics.report.workbook.LiveWorkbook`) adds its Inputs sheet and formula sheets
    at the front of ``report.xlsx``.

    The page ends with a "Files" list linking every file of the report (relative links, so the
    folder can be moved), also listed under ``files`` in ``summary.json``; ``also`` names files
    written into the folder afterwards (``report.pdf``) so that they are linked too.
    """
    from .. import format as fmt
    from ..io import Outputs, check_folder

    out = check_folder(out_dir, what="report folder")
    from .. import __version__

    now = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    tables = _named_tables(sections)
    tables["outputs"] = _outputs_table(sections)
    listed = report_files(tables, _can_write_xlsx(), also)
    nav = " ".join(f"<a href='#{_html.escape(s.id, quote=True)}'>{_html.escape(s.title)}</a>"
                   for s in sections) + " <a href='#files'>Files</a>"
    body = "\n".join(s.to_html() for s in sections) + files_html(listed)
    page = (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{_html.escape(title)}</title><style>{_CSS}</style></head><body>"
        f"<h1>{_html.escape(title)}</h1><p class='meta'>siliconomics {__version__}, {now}</p>"
        f"<nav>{nav}</nav>{body}</body></html>"
    )
    summary = {"title": title, "version": __version__, "generated": now,
               "sections": {s.id: s.data for s in sections}, "files": listed}
    with Outputs() as files:
        files.folder(out / "tables")
        for name, frame in tables.items():
            files.text(out / "tables" / f"{name}.csv", fmt.frame(frame).to_csv(index=False))
        try:
            _write_xlsx(tables, files.path(out / "report.xlsx"), workbook)
        except ImportError:
            files.discard(out / "report.xlsx")
            summary["files"] = [f for f in listed if f != "report.xlsx"]
            summary["xlsx"] = "not written: install openpyxl (pip install 'siliconomics[export]')"
        summary["tables"] = sorted(f"tables/{name}.csv" for name in tables)
        files.text(out / "summary.json", json.dumps(summary, indent=2, default=_json_default))
        files.text(out / "index.html", page)
    return out / "index.html"


#: What each kind of report file holds, for the "Files" list.
_FILE_KINDS = {"index.html": "this page", "summary.json": "every section's data as JSON",
               "report.xlsx": "every table, one sheet each (Excel)",
               "report.pdf": "this page printed (A4 landscape)"}


def report_files(tables: dict, xlsx: bool = True, also: tuple[str, ...] = ()) -> list[str]:
    """Relative names of the files a report folder holds: the page, the summary, the workbook
    (when openpyxl is installed), one CSV per table, then ``also``.

    >>> report_files({"tco": None, "outputs": None}, xlsx=False, also=("report.pdf",))
    ['index.html', 'summary.json', 'tables/outputs.csv', 'tables/tco.csv', 'report.pdf']
    """
    return (["index.html", "summary.json"] + (["report.xlsx"] if xlsx else [])
            + sorted(f"tables/{name}.csv" for name in tables) + list(also))


def files_html(files: list[str]) -> str:
    """The "Files" section: a relative link to each file of the report."""
    items = "".join(
        f"<li><a href='{_html.escape(f, quote=True)}'>{_html.escape(f)}</a>"
        + (f": {_html.escape(_FILE_KINDS[f])}" if f in _FILE_KINDS else "") + "</li>"
        for f in files)
    return ("<section id='files'><h2>Files</h2><p class='how'><b>How to read this.</b> Every "
            "file this report wrote, beside this page: the tables as CSV for your own analysis, "
            f"the workbook, the data as JSON.</p><ul class='files'>{items}</ul></section>")


def _can_write_xlsx() -> bool:
    import importlib.util

    return importlib.util.find_spec("openpyxl") is not None


def _named_tables(sections: list[Section]) -> dict:
    """Every table of every section, named ``<section>-<n>`` (unique, file-safe)."""
    named = {}
    for s in sections:
        for i, (_caption, frame) in enumerate(s.tables, start=1):
            name = s.id if len(s.tables) == 1 else f"{s.id}-{i}"
            named[re.sub(r"[^A-Za-z0-9_.-]+", "-", name)] = frame
    return named


def _outputs_table(sections: list[Section]):
    """One row per finding of every section: the report's results in words and numbers."""
    import pandas as pd

    return pd.DataFrame(
        [{"section": s.title, "finding": f} for s in sections for f in s.findings],
        columns=["section", "finding"],
    )


def _write_xlsx(tables: dict, path: Path, workbook=None) -> None:
    """One sheet per table (sheet names cut to Excel's 31 characters), numbers cleaned by the
    formatting policy; a live workbook's sheets first (a table whose name clashes with one,
    Excel's names being case-insensitive, gets " table" after its name)."""
    import openpyxl  # noqa: F401  (ImportError tells the caller to skip)
    import pandas as pd

    from .. import format as fmt

    first = [n for n in ("outputs", "inputs", "provenance") if n in tables]
    ordered = {n: tables[n] for n in first} | {n: f for n, f in tables.items() if n not in first}
    taken = {s.lower() for s in (["Inputs", *workbook.sheets] if workbook is not None else [])}
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, frame in ordered.items():
            sheet = name[:31] if name.lower() not in taken else f"{name[:25]} table"
            fmt.frame(frame).to_excel(writer, sheet_name=sheet, index=False)
        if workbook is not None:
            workbook.write_into(writer.book, first=False)
            book = writer.book
            live = ["Inputs", *workbook.sheets]
            book._sheets = ([book[n] for n in book.sheetnames[:1]] + [book[n] for n in live]
                            + [book[n] for n in book.sheetnames[1:] if n not in live])


def _json_default(obj):
    import numpy as np

    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, np.generic):
        return obj.item()
    raise TypeError(f"cannot serialise {type(obj).__name__}")
