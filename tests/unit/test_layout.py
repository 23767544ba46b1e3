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
    for unit in ("uncertainty", "engine"):
        assert graph.get(unit, set()) <= {"errors", "units", "uncertainty", "engine"}, unit


def test_catalog_is_the_bottom_data_layer(graph):
    assert graph["catalog"] <= {"errors", "units", "io"}
