"""PDF output of the HTML report, printed by a headless Chromium."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from ..errors import InputError

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_browser() -> str:
    """Path of a Chromium-family browser, or an InputError that says how to get one."""
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    raise InputError("--pdf needs Chromium to print the report: apt-get install chromium "
                     "(or put chromium on PATH)")


def write_pdf(index_html: Path | str, out_pdf: Path | str, browser: str | None = None) -> Path:
    """Print ``index_html`` to ``out_pdf`` (written to a temporary name, then renamed)."""
    from ..io import replacing

    exe = browser or find_browser()
    out = Path(out_pdf)
    with replacing(out) as tmp:
        cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--no-pdf-header-footer", f"--print-to-pdf={tmp}",
               Path(index_html).resolve().as_uri()]
        try:
            subprocess.run(cmd, check=True, capture_output=True, timeout=180)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            raise InputError(f"Chromium could not print the report to PDF: {exc}") from None
        if not tmp.exists() or tmp.stat().st_size == 0:
            raise InputError("Chromium wrote no PDF; try printing index.html from a browser")
    return out
