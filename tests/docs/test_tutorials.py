"""Every tutorial of the user guide runs as written.

The code blocks of each page under ``docs/tutorials/`` run in order, in a fresh folder holding a
link to ``examples/``: a ``toml`` block with a ``title="name"`` is written to that file, each
``$ siliconomics ...`` line of a ``console`` block runs through the CLI (exit code 0 expected),
and the ``python`` blocks run in one namespace per page (their asserts check the figures they
print). A tutorial that drifts from the code fails here.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TUTORIALS = sorted((ROOT / "docs" / "tutorials").glob("*.md"))
FENCE = re.compile(r"^```(\w+)([^\n]*)\n(.*?)^```", re.S | re.M)


def blocks(page: Path) -> list[tuple[str, str, str]]:
    """(language, attributes, code) of every fenced block of a page, in order."""
    return [(m.group(1), m.group(2), m.group(3)) for m in FENCE.finditer(page.read_text())]


def test_the_guide_has_the_tutorials_the_nav_lists():
    nav = (ROOT / "mkdocs.yml").read_text()
    listed = set(re.findall(r"tutorials/([\w-]+\.md)", nav))
    assert listed == {p.name for p in TUTORIALS} and len(listed) == 7


def test_blocks_reads_fences_with_their_titles(tmp_path):
    page = tmp_path / "p.md"
    page.write_text('x\n```toml title="a.toml"\nk = 1\n```\n```python\nprint(1)\n```\n')
    assert blocks(page) == [("toml", ' title="a.toml"', "k = 1\n"), ("python", "", "print(1)\n")]


@pytest.mark.parametrize("page", TUTORIALS, ids=lambda p: p.stem)
def test_tutorial_runs_as_written(page, tmp_path, monkeypatch, cli, capsys):
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    monkeypatch.chdir(tmp_path)
    namespace: dict = {"__name__": f"tutorial_{page.stem}"}
    ran = 0
    for lang, attrs, code in blocks(page):
        title = re.search(r'title="([^"]+)"', attrs)
        if lang == "toml" and title:
            (tmp_path / title.group(1)).write_text(code)
        elif lang == "console":
            for line in code.splitlines():
                if line.startswith("$ siliconomics "):
                    args = shlex.split(line.removeprefix("$ siliconomics ").split("  #")[0])
                    r = cli(*args)
                    assert r.exit_code == 0, (line, r.output[-2000:])
                    ran += 1
        elif lang == "python":
            exec(compile(code, f"{page.name}:python", "exec"), namespace)  # noqa: S102
            ran += 1
    assert ran >= 2, f"{page.name}: nothing ran"
