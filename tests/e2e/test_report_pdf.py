"""The report's PDF shows every table column: printed by Chromium, checked with poppler.

Each PDF page is read back with ``pdftotext -bbox`` (every word and its box) and rendered with
``pdftoppm``: every column header of every table must appear, inside the page, and no ink may
touch the page's right edge (a table cut off there would leave some). The check is shown to
fail on a page whose table is wider than the paper. Chromium and poppler-utils come from
Debian's packages (``make test`` installs both).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from siliconomics.report.html import Section, write_report
from siliconomics.report.pdf import write_pdf

CHROMIUM = "/usr/bin/chromium"
#: Width of the strip along the right edge of a rendered page that must stay blank. [pixels at
#: RESOLUTION dpi; 5 mm of the 10 mm page margin]
EDGE_PX, RESOLUTION = 12, 60


@pytest.fixture(autouse=True)
def _tools():
    assert Path(CHROMIUM).exists(), "install Debian's chromium package (make test does it)"
    for tool in ("pdftotext", "pdftoppm"):
        assert shutil.which(tool), f"{tool} is missing: apt-get install poppler-utils"


def words_by_page(pdf: Path) -> list[tuple[float, list[tuple[str, float, float]]]]:
    """(page width, [(word, x_min, x_max)]) of every page, from ``pdftotext -bbox``."""
    text = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    pages = []
    for page in re.findall(r"<page width=\"([\d.]+)\".*?</page>", text, flags=re.S):
        pages.append((float(page), []))
    for i, block in enumerate(re.findall(r"<page .*?</page>", text, flags=re.S)):
        for x0, x1, word in re.findall(
                r"<word xMin=\"([\d.-]+)\" yMin=\"[\d.-]+\" xMax=\"([\d.-]+)\" "
                r"yMax=\"[\d.-]+\">(.*?)</word>", block):
            pages[i][1].append((word, float(x0), float(x1)))
    return pages


def inked_right_edges(pdf: Path, tmp: Path) -> list[int]:
    """Pages (1-based) with ink in the rightmost EDGE_PX pixels, rendered by ``pdftoppm``."""
    from PIL import Image

    subprocess.run(["pdftoppm", "-r", str(RESOLUTION), "-png", str(pdf), str(tmp / "page")],
                   check=True, capture_output=True)
    bad = []
    for i, png in enumerate(sorted(tmp.glob("page-*.png")), start=1):
        img = Image.open(png).convert("L")
        strip = img.crop((img.width - EDGE_PX, 0, img.width, img.height))
        if strip.getextrema()[0] < 200:  # anything darker than a light grey
            bad.append(i)
    return bad


def hidden_columns(pdf: Path, headers: list[str], tmp: Path) -> list[str]:
    """Problems: a header not in the PDF's text (a cell may wrap it over lines, so spaces are
    ignored), a word outside its page, a page inked to its right edge."""
    raw = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], check=True, capture_output=True,
                         text=True).stdout
    text = re.sub(r"\s+", "", raw)
    problems = [f"{h!r} is not in the PDF" for h in headers if re.sub(r"\s+", "", h) not in text]
    for i, (width, words) in enumerate(words_by_page(pdf), start=1):
        problems += [f"page {i}: {w!r} lies outside the page" for w, x0, x1 in words
                     if x0 < 0 or x1 > width]
    problems += [f"page {p}: ink at the right edge" for p in inked_right_edges(pdf, tmp)]
    return problems


def _wide_sections() -> list[Section]:
    """The report's widest tables: the TCO table (15 columns), the provenance table (long
    sources) and a table of 24 columns with long headers and long numbers."""
    from siliconomics.report.sections import ReportContext, inputs, tco

    section, results = tco.tco_by_site("h100-sxm", ["us-texas", "malaysia-johor"], 1024)
    prov = inputs.provenance(results)
    wide = pd.DataFrame({f"column{i:02d} header": [123456789.123 * (i + 1), -0.000123]
                         for i in range(24)})
    return [section, prov, Section(id="wide", title="Wide", tables=[("24 columns", wide)]),
            inputs.catalog_provenance(ReportContext())]


def test_every_table_column_is_visible_in_the_pdf(tmp_path):
    sections = _wide_sections()
    index = write_report(sections, tmp_path / "rep")
    pdf = write_pdf(index, tmp_path / "rep" / "report.pdf")
    headers = [str(c) for s in sections for _, frame in s.tables for c in frame.columns]
    assert len(headers) > 45
    assert hidden_columns(pdf, headers, tmp_path) == []


def test_the_check_finds_a_table_wider_than_the_paper(tmp_path):
    cells = "".join(f"<th>far{i:02d}</th>" for i in range(40))
    page = tmp_path / "cut.html"
    page.write_text("<!DOCTYPE html><html><head><style>@page{size:A4 portrait;margin:10mm}"
                    "th{padding:0 40px}</style></head><body><table style='width:3000px'><tr>"
                    f"{cells}</tr></table></body></html>")
    pdf = write_pdf(page, tmp_path / "cut.pdf")
    problems = hidden_columns(pdf, [f"far{i:02d}" for i in range(40)], tmp_path)
    assert any("far39" in p for p in problems), problems


@pytest.mark.slow
def test_the_default_report_pdf_shows_every_column_of_every_table(tmp_path):
    # the report as `siliconomics report --pdf` writes it (three sites keep it short)
    from siliconomics.report.sections import ReportContext, build_all

    sections = build_all(ReportContext(sites=["us-texas", "malaysia-johor", "finland"]))
    index = write_report(sections, tmp_path / "rep", also=("report.pdf",))
    pdf = write_pdf(index, tmp_path / "rep" / "report.pdf")
    headers = [str(c) for s in sections for _, frame in s.tables for c in frame.columns]
    assert len(headers) > 100 and any(s.id == "uncertainty" for s in sections)
    assert hidden_columns(pdf, headers, tmp_path) == []
