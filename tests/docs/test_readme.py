"""Every command the README shows runs as written.

The quickstart block lists commands as ``$ siliconomics ...`` with optional parts in brackets
(``[--json]``, ``[--mfu 0.4 | --layout auto]``) and alternatives separated by ``|``
(``industry foundries | labs``, ``--method sobol|morris``). Each line is expanded into every
form it shows and run; a README that drifts from the CLI fails here.
"""

from __future__ import annotations

import itertools
import os
import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
#: Commands that cannot run in a test as written: a web server that runs until stopped, and a
#: placeholder path for the reader's own file.
NOT_RUN = ("dashboard", "path/to/")
#: Slow forms (a whole report, a PDF through a browser), kept to the slow run.
SLOW = ("report",)


def forms(line: str) -> list[list[str]]:
    """Every form of one README command line: without its bracketed options, with each of
    their alternatives, and with each ``a | b`` or ``a|b`` alternative.

    >>> [" ".join(f) for f in forms("$ siliconomics x a | b  # note")]
    ['siliconomics x a', 'siliconomics x b']
    >>> [" ".join(f) for f in forms("$ siliconomics y [--m 1 | --l auto]")]
    ['siliconomics y', 'siliconomics y --m 1', 'siliconomics y --l auto']
    >>> [" ".join(f) for f in forms("$ siliconomics s --method m|n")]
    ['siliconomics s --method m', 'siliconomics s --method n']
    """
    cmd = re.sub(r"\s+#\s.*$", "", line[2:]).strip()
    groups = re.findall(r"\[([^\]]*)\]", cmd)
    drop = lambda s: re.sub(r"\s*\[[^\]]*\]", "", s)  # noqa: E731
    texts = [drop(cmd)] + [drop(cmd.replace(f"[{g}]", alt.strip(), 1))
                           for g in groups for alt in g.split(" | ")]
    out: list[list[str]] = []
    for text in texts:
        pieces = text.split(" | ")
        prefix = pieces[0].rsplit(" ", 1)[0]
        for alt in [pieces[0]] + [f"{prefix} {p}" for p in pieces[1:]]:
            for combo in itertools.product(*(w.split("|") for w in shlex.split(alt))):
                if list(combo) not in out:
                    out.append(list(combo))
    return out


def _commands() -> list:
    params = []
    for line in README.read_text().splitlines():
        if not line.startswith("$ siliconomics "):
            continue
        for argv in forms(line):
            text = " ".join(argv)
            if any(k in text for k in NOT_RUN):
                continue
            marks = [pytest.mark.slow] if argv[1] in SLOW else []
            params.append(pytest.param(argv[1:], id=text[len("siliconomics "):], marks=marks))
    return params


def test_the_readme_shows_commands():
    assert len(_commands()) >= 30  # the quickstart block is where they are read from


@pytest.mark.parametrize("argv", _commands())
def test_readme_command_runs(argv, cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # files the commands write (report/, tco.xlsx) land here
    argv = [str(ROOT / a) if a.startswith("examples/") else a for a in argv]
    r = cli(*argv)
    assert r.exit_code == 0, r.output
    assert r.stdout.strip()
    if "--out" in argv:
        assert os.path.exists(argv[argv.index("--out") + 1])


#: Python lines that need the reader's own files (a user catalog, a Hugging Face config).
NEEDS_OWN_FILES = ("my_chips.toml", "my-chip", "config.json")


def python_example() -> str:
    """The README's Python block, without the lines that need the reader's own files (and
    the indented body of a block whose header needs them)."""
    text = README.read_text()
    block = text.split("```python\n", 1)[1].split("```", 1)[0]
    kept, skipping = [], False
    for line in block.splitlines():
        if skipping and line.startswith((" ", "\t")):
            continue
        skipping = any(k in line for k in NEEDS_OWN_FILES)
        if not skipping:
            kept.append(line)
    return "\n".join(kept)


def test_the_readme_python_example_runs(tmp_path, monkeypatch):
    code = python_example()
    assert "sx.tco.accelerator_hour" in code and "sx.chain.whatif" in code
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README.md", "exec"), {})  # noqa: S102 - the project's own README


def test_the_catalog_counts_the_readme_gives_are_the_catalogs():
    """The layout table's counts of catalog entries (``30 accelerators, ...``) are the built-in
    catalog's: adding an entry without updating the README fails here."""
    from siliconomics import catalog

    cat = catalog.builtin()
    kinds = {"accelerators": "accelerators", "systems": "systems",
             "memory technologies": "memory", "nodes": "nodes", "models": "models",
             "sites": "sites", "dated price series": "price_history"}
    text = README.read_text()
    for words, kind in kinds.items():
        m = re.search(rf"(\d+) {words}\b", text)
        assert m, f"the README no longer counts {words}"
        assert int(m.group(1)) == len(list(cat.entries(kind))), words
