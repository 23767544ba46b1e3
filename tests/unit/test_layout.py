"""The package's layers, as ARCHITECTURE.md states them: imports flow one way.

Every import statement of the package is read (module level and inside functions) and mapped to
the top-level module or subpackage it names (``siliconomics.silicon.bom`` -> ``silicon``).
"""

import ast
import collections
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "src" / "siliconomics"

INTERFACES = {"cli", "report", "app", "__main__"}
MODELS = {"silicon", "datacenter", "systems", "pricing", "tco", "workloads", "planning",
          "industry", "chain", "finance", "results", "units", "_checks", "io"}


def _unit(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = collections.defaultdict(set)
    for f in ROOT.rglob("*.py"):
        parts = f.relative_to(ROOT.parent).with_suffix("").parts
        module = ".".join(parts)
        package = module[: -len(".__init__")] if module.endswith(".__init__") else module.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(f.read_text())):
            targets = []
            if isinstance(node, ast.ImportFrom) and node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                if node.module:
                    targets = [".".join(base + [node.module])]
                else:
                    targets = [".".join(base + [a.name]) for a in node.names]
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("siliconomics"):
                targets = [node.module]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names if a.name.startswith("siliconomics")]
            for t in targets:
                if _unit(t) != _unit(module):
                    edges[_unit(module)].add(_unit(t))
    return edges


def test_no_import_cycles(graph):
    def reach(a):
        seen, stack = set(), [a]
        while stack:
            for b in graph.get(stack.pop(), ()):
                if b not in seen:
                    seen.add(b)
                    stack.append(b)
        return seen

    assert [a for a in graph if a in reach(a)] == []


def test_models_never_import_the_interfaces_or_the_scenario_layer(graph):
    for unit in MODELS | {"catalog", "uncertainty", "engine", "scenario", "validation"}:
        assert not graph.get(unit, set()) & INTERFACES, unit
    for unit in MODELS | {"catalog"}:
        assert not graph.get(unit, set()) & {"scenario", "validation"}, unit


def test_uncertainty_knows_no_model(graph):
    # _checks is the generic argument checks (the Monte Carlo tells them its samples' bounds)
    for unit in ("uncertainty", "engine"):
        assert graph.get(unit, set()) <= {"errors", "units", "io", "_checks", "uncertainty",
                                          "engine"}, unit


def test_catalog_is_the_bottom_data_layer(graph):
    # _checks (argument checks, importing only errors) sits beside errors at the bottom
    assert graph["catalog"] <= {"errors", "units", "io", "_checks"}
    assert graph.get("_checks", set()) <= {"errors"}


# --- tests mirror the package ----------------------------------------------------------------
# One unit test module per source module: ``siliconomics/<path>/<module>.py`` is tested in
# ``tests/unit/<path>/test_<module>.py`` (a private module's leading underscore dropped:
# ``_checks.py`` -> ``test_checks.py``). A package's ``__init__.py`` that defines functions or
# classes is tested in ``tests/unit/<path>/test_<package>.py`` (the top-level one in
# ``tests/unit/test_siliconomics.py``); one that only re-exports needs no module of its own.

UNIT = Path(__file__).resolve().parent
E2E = UNIT.parent / "e2e"

#: Parts of the package tested outside ``tests/unit``, and where.
EXEMPT = {
    "cli": "the command line, run as a user runs it: tests/e2e (CLI_E2E below)",
    "app": "the dashboard, in a real browser: tests/e2e/test_browser.py and "
           "tests/e2e/test_dashboard_hostile.py",
    "validation": "published figures: tests/validation/test_published.py runs every case",
    "__main__.py": "python -m siliconomics: tests/e2e/test_cli_foundation.py runs it",
}

#: Subpackages small enough to be tested as a whole, in ``tests/unit/<name>/test_<name>.py``.
WHOLE = {
    "engine": "three short modules (ordered futures, local pool, Dask) that one Monte Carlo run "
              "exercises together",
}

#: Each module of ``siliconomics.cli`` and the end-to-end tests that run its commands.
CLI_E2E = {
    "__init__": "test_cli_foundation.py",  # the app, --version, python -m siliconomics
    "_common": "test_cli_foundation.py",  # handle_errors: one line, exit code 2
    "_edge": "test_cli_foundation.py",  # outcomes at the edge: output, one error line, exit code
    "calibrate": "test_cli_serve.py",
    "catalog": "test_cli_catalog.py",
    "chip": "test_cli_chip.py",
    "compare": "test_cli_compare.py",
    "export": "test_cli_export.py",
    "dashboard": "test_browser.py",  # the app it serves (the command only starts it)
    "industry": "test_cli_industry.py",
    "plan": "test_cli_planning.py",
    "report": "test_cli_report_scenario.py",
    "run": "test_cli_run.py",  # run and sensitivity
    "serve": "test_cli_serve.py",
    "sites": "test_cli_planning.py",
    "tco": "test_cli_foundation.py",
    "train": "test_cli_train.py",  # train and train-mixed
    "validate": "test_cli_foundation.py",
    "whatif": "test_cli_user_catalog.py",
}


def _defines_something(path: Path) -> bool:
    tree = ast.parse(path.read_text())
    return any(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
               for n in tree.body)


def mirror(source: Path) -> Path | None:
    """The unit test module of a source module, or None when it needs none."""
    rel = source.relative_to(ROOT)
    if rel.parts[0] in EXEMPT:
        return None
    folders = rel.parts[:-1]
    if folders and folders[0] in WHOLE:
        return UNIT / folders[0] / f"test_{folders[0]}.py"
    if rel.name == "__init__.py":
        if not _defines_something(source):
            return None
        return UNIT.joinpath(*folders, f"test_{folders[-1] if folders else ROOT.name}.py")
    return UNIT.joinpath(*folders, f"test_{rel.stem.lstrip('_')}.py")


def _sources():
    return sorted(ROOT.rglob("*.py"))


def test_mirror_names_the_test_module_of_a_source_module():
    assert mirror(ROOT / "silicon" / "wafer.py") == UNIT / "silicon" / "test_wafer.py"
    assert (mirror(ROOT / "report" / "sections" / "tco.py")
            == UNIT / "report" / "sections" / "test_tco.py")
    assert mirror(ROOT / "tco.py") == UNIT / "test_tco.py"
    assert mirror(ROOT / "_checks.py") == UNIT / "test_checks.py"
    assert mirror(ROOT / "catalog" / "__init__.py") == UNIT / "catalog" / "test_catalog.py"
    assert mirror(ROOT / "__init__.py") == UNIT / "test_siliconomics.py"
    assert mirror(ROOT / "engine" / "local.py") == UNIT / "engine" / "test_engine.py"
    assert mirror(ROOT / "silicon" / "__init__.py") is None  # re-exports only
    assert mirror(ROOT / "cli" / "tco.py") is None and mirror(ROOT / "__main__.py") is None


def test_every_source_module_has_its_unit_test_module():
    missing = sorted({str(m.relative_to(UNIT.parents[1])) for s in _sources()
                      if (m := mirror(s)) is not None and not m.is_file()})
    assert missing == []


def test_every_unit_test_module_mirrors_a_source_module():
    expected = {m for s in _sources() if (m := mirror(s)) is not None}
    exempt = {UNIT / "test_layout.py"}
    orphans = sorted(str(t.relative_to(UNIT)) for t in UNIT.rglob("test_*.py")
                     if t not in expected | exempt and t.relative_to(UNIT).parts[0] not in EXEMPT)
    assert orphans == []


def test_test_folders_are_packages():
    """The suite imports test modules as packages (``tests.unit.silicon.test_wafer``)."""
    folders = [d for d in UNIT.rglob("*") if d.is_dir() and d.name != "__pycache__"
               and d.relative_to(UNIT).parts[0] not in EXEMPT]
    assert [str(d) for d in folders if not (d / "__init__.py").is_file()] == []


def test_every_command_module_has_end_to_end_tests():
    modules = {p.stem for p in (ROOT / "cli").glob("*.py")}
    assert modules == set(CLI_E2E)
    assert [f for f in sorted(set(CLI_E2E.values())) if not (E2E / f).is_file()] == []
    # a command module's end-to-end file runs that command (the dashboard's runs its app)
    commands = {m: f for m, f in CLI_E2E.items() if not m.startswith("_") and m != "dashboard"}
    silent = [m for m, f in commands.items() if f'"{m}"' not in (E2E / f).read_text()]
    assert silent == []
