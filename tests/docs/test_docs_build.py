"""``make docs`` builds the user guide, with the catalog and the functions generated from the
package; without the docs extra it says how to install it and exits 2."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def make_docs(site: Path, python: str) -> subprocess.CompletedProcess:
    # BIN points nowhere so that PYTHON, not a project .venv, runs mkdocs
    return subprocess.run(["make", "--no-print-directory", "docs", f"PYTHON={python}",
                           "BIN=/nonexistent", f"SITE={site}"], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("docs") / "site"
    r = make_docs(out, sys.executable)
    assert r.returncode == 0, r.stderr[-3000:]
    return out


@pytest.mark.slow
def test_make_docs_builds_every_page(site):
    for page in ("index.html", "tutorials/tco-cluster/index.html", "reference/tco/index.html",
                 "catalog/index.html", "catalog/sites/index.html", "api/tco/index.html",
                 "ARCHITECTURE/index.html", "CONTRIBUTING/index.html", "STYLE/index.html"):
        assert (site / page).is_file(), page


@pytest.mark.slow
def test_the_catalog_pages_show_each_value_with_its_source(site):
    from siliconomics import catalog

    texas = catalog.site("us-texas")
    page = (site / "catalog" / "sites" / "index.html").read_text()
    assert "us-texas" in page and "EIA, Electric Power Annual 2023" in page
    price = texas.value("power_price_usd_per_kwh")
    assert f"<td>{price.value:,.6g}</td>" in page  # a table cell, not Markdown text
    assert f"<td>{price.low:,.6g} to {price.high:,.6g}</td>" in page
    kinds = catalog.builtin().kinds()
    assert all((site / "catalog" / k / "index.html").is_file() for k in kinds)


@pytest.mark.slow
def test_every_formula_links_to_a_function_that_has_an_anchor(site):
    links = 0
    for ref in (site / "reference").glob("*/index.html"):
        for target, anchor in re.findall(r'href="\.\./\.\./api/([\w.]+)/#([\w.]+)"',
                                         ref.read_text()):
            page = (site / "api" / target / "index.html").read_text()
            assert f'id="{anchor}"' in page, (ref.parent.name, target, anchor)
            links += 1
    assert links >= 30


@pytest.mark.slow
def test_the_validation_page_shows_every_case_with_its_result(site):
    import html

    from siliconomics import validation

    page = html.unescape((site / "validation" / "index.html").read_text())
    cases = validation.cases()
    assert all(f"<code>{c.id}</code>" in page for c in cases)
    # each known miss with its reason, and the limits the tolerances are held to
    for c in cases:
        if c.known_miss:
            assert c.known_miss[:60] in page, c.id
    assert "<td>serving-throughput</td>" in page and "<td>25%</td>" in page


def test_make_docs_without_the_extra_says_how_to_install(tmp_path):
    # -S: an interpreter without site-packages, so neither mkdocs nor the material theme
    r = make_docs(tmp_path / "site", f"{sys.executable} -S")
    assert r.returncode == 2
    assert r.stderr.splitlines()[0] == ("error: make docs needs the docs extra: pip install "
                                        "'.[docs]' (mkdocs and mkdocs-material)")
    assert not (tmp_path / "site").exists()
