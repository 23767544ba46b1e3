"""PDF output: finding a browser, and printing through one (a stand-in script here)."""

import sys

import pytest

from siliconomics.errors import InputError
from siliconomics.report import pdf


def browser(tmp_path, body: str):
    """An executable that takes Chromium's arguments and runs ``body`` (argv in ``args``)."""
    script = tmp_path / "fake-chromium"
    script.write_text(f"#!{sys.executable}\nimport sys\nargs = sys.argv[1:]\n{body}\n")
    script.chmod(0o755)
    return str(script)


PRINTS = """
open(args[-1].replace("file://", "") + ".argv", "w").write("\\n".join(args))
target = next(a.split("=", 1)[1] for a in args if a.startswith("--print-to-pdf="))
open(target, "wb").write(b"%PDF-1.4 test")
"""


def test_find_browser_takes_the_first_candidate_on_the_path(monkeypatch):
    found = {"google-chrome": "/opt/google-chrome", "chromium-browser": "/usr/bin/chromium-browser"}
    monkeypatch.setattr(pdf.shutil, "which", found.get)
    assert pdf.find_browser() == "/usr/bin/chromium-browser"  # listed before google-chrome


def test_no_browser_says_how_to_get_one(monkeypatch):
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    with pytest.raises(InputError, match="--pdf needs Chromium"):
        pdf.find_browser()


def test_write_pdf_prints_the_page_to_the_file(tmp_path):
    index = tmp_path / "index.html"
    index.write_text("<html></html>")
    out = pdf.write_pdf(index, tmp_path / "report.pdf", browser=browser(tmp_path, PRINTS))
    assert out == tmp_path / "report.pdf" and out.read_bytes() == b"%PDF-1.4 test"
    args = (tmp_path / "index.html.argv").read_text().splitlines()
    assert "--headless" in args and args[-1] == index.resolve().as_uri()
    assert sorted(p.name for p in tmp_path.iterdir()) == [  # no temporary file left
        "fake-chromium", "index.html", "index.html.argv", "report.pdf"]


def test_a_failing_browser_is_one_error_and_leaves_no_partial_file(tmp_path):
    index = tmp_path / "index.html"
    index.write_text("<html></html>")
    failing = browser(tmp_path, PRINTS + "sys.exit(3)")
    with pytest.raises(InputError, match="Chromium could not print the report to PDF"):
        pdf.write_pdf(index, tmp_path / "report.pdf", browser=failing)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fake-chromium", "index.html",
                                                          "index.html.argv"]


def test_a_browser_that_writes_nothing(tmp_path):
    index = tmp_path / "index.html"
    index.write_text("<html></html>")
    with pytest.raises(InputError, match="Chromium wrote no PDF"):
        pdf.write_pdf(index, tmp_path / "report.pdf", browser=browser(tmp_path, "pass"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fake-chromium", "index.html"]
