"""Report sections: their order, the shared context, building them all."""

from types import SimpleNamespace

import pytest

from siliconomics.report import sections
from siliconomics.report.sections import ReportContext


def _found(monkeypatch, names):
    monkeypatch.setattr(sections.pkgutil, "iter_modules",
                        lambda path: [SimpleNamespace(name=n) for n in names])


def test_ordered_modules_then_the_others_by_name_and_the_inputs_last(monkeypatch):
    _found(monkeypatch, ["zeta", "inputs", "silicon", "alpha", "_helpers", "tco"])
    assert sections.modules() == ["tco", "silicon", "alpha", "zeta", "inputs"]


def test_without_an_inputs_module_nothing_is_appended(monkeypatch):
    _found(monkeypatch, ["serving", "training"])
    assert sections.modules() == ["training", "serving"]


def test_every_section_module_is_listed_once_with_a_build_function():
    import importlib

    names = sections.modules()
    assert len(names) == len(set(names)) and names[-1] == "inputs"
    assert set(sections.ORDER) <= set(names)
    for name in names:
        assert callable(importlib.import_module(f"siliconomics.report.sections.{name}").build)


def test_context_defaults_are_not_shared():
    a, b = ReportContext(), ReportContext()
    assert (a.accelerator, a.accelerators, a.financing, a.sites, a.scenario) == (
        "h100-sxm", 100_000, "hyperscaler", None, None)
    a.tco_results.append(1)
    a.extra["models"] = ["x"]
    assert b.tco_results == [] and b.extra == {}


def test_build_all_concatenates_the_sections_in_order(monkeypatch):
    monkeypatch.setattr(sections, "modules", lambda: ["uncertainty", "inputs"])
    done = []
    out = sections.build_all(ReportContext(), progress=done.append)
    # no scenario: the catalog bands; no TCO results: only the catalog provenance table
    assert [s.id for s in out] == ["uncertainty", "provenance"]
    assert done == ["uncertainty", "inputs"]  # one progress step per module, in order


def test_prefetch_runs_before_any_build(monkeypatch):
    calls = []
    mods = {"a": SimpleNamespace(build=lambda ctx: calls.append("build a") or []),
            "b": SimpleNamespace(build=lambda ctx: calls.append("build b") or [],
                                 prefetch=lambda ctx: calls.append("prefetch b"))}
    monkeypatch.setattr(sections, "modules", lambda: ["a", "b"])
    monkeypatch.setattr(sections.importlib, "import_module", lambda name, pkg: mods[name[1:]])
    sections.build_all(ReportContext())
    # background work starts once the first section has checked the inputs
    assert calls == ["build a", "prefetch b", "build b"]


def test_a_failing_section_waits_for_the_background_work(monkeypatch):
    import threading

    done = threading.Event()

    class Job:
        def wait(self):
            done.set()

    def fail(ctx):
        raise ValueError("bad input")

    mods = {"a": SimpleNamespace(build=lambda ctx: []),
            "b": SimpleNamespace(build=fail, prefetch=lambda ctx: ctx.extra.setdefault(
                "background", []).append(Job()))}
    monkeypatch.setattr(sections, "modules", lambda: ["a", "b"])
    monkeypatch.setattr(sections.importlib, "import_module", lambda name, pkg: mods[name[1:]])
    ctx = ReportContext()
    with pytest.raises(ValueError, match="bad input"):
        sections.build_all(ctx)
    assert done.is_set() and "background" not in ctx.extra
