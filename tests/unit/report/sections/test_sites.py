"""Report section "Sites and plan": ranked sites, and a build-out plan solved for the report."""

from pathlib import Path

import pytest

from siliconomics.planning import compare_sites
from siliconomics.report.sections import ReportContext
from siliconomics.report.sections import sites as section

EXAMPLES = Path(__file__).resolve().parents[4] / "examples"


def test_sites_section_ranks_every_catalog_site():
    s = section.sites_section("h100", accelerators=1024)
    comp = compare_sites("h100", accelerators=1024, financing="hyperscaler")
    assert s.id == "sites" and s.data == comp.to_dict()
    frame = s.tables[0][1]
    assert frame["site"].tolist() == [r.site for r in comp.rows]
    assert frame["USD/h"].tolist() == sorted(frame["USD/h"].tolist())
    shares = [r.power_share for r in comp.rows]
    first = min(comp.rows, key=lambda r: r.earliest_power_year)
    assert s.findings[0].startswith(f"Power is {min(shares):.1%} to {max(shares):.1%} of the hourly cost "
                                    f"across {len(comp.rows)} sites: cheapest {comp.rows[0].site}")
    assert s.findings[0].endswith(f"Power arrives first at {first.site} ({first.earliest_power_year:g}).")
    assert s.figures[0][0].startswith("<svg")


@pytest.fixture(scope="module")
def plan():
    return section.plan_section(EXAMPLES / "plan_small.toml")


def test_plan_section_reports_the_solved_plan(plan):
    assert plan.id == "plan" and plan.data["status"] == "optimal"
    assert plan.intro.startswith("small: Texas and Finland, H100 to B200: least net present cost")
    npv = plan.data["npv_usd"]
    assert plan.findings[0].startswith(f"Net present cost ${npv / 1e9:,.1f}B; binding: ")
    binding = sorted({b["constraint"] for b in plan.data["binding_constraints"]})
    assert plan.findings[0].endswith((", ".join(binding) or "none") + ".")
    mw = plan.tables[0][1]
    kept = [m for m in plan.data["sites"] if m["capacity_mw"] > 0 or m["mw_value"]]
    assert len(mw) == len(kept) and set(mw["site"]) <= {"us-texas", "finland"}
    svg = plan.figures[0][0]
    assert svg.startswith("<svg") and "h100-sxm" in svg and "b200" in svg


def test_an_infeasible_plan_is_explained_instead(tmp_path):
    text = (EXAMPLES / "plan_small.toml").read_text().replace("2030 = 80000", "2030 = 80000000")
    path = tmp_path / "too_big.toml"
    path.write_text(text)
    s = section.plan_section(path)
    assert s.id == "plan" and s.intro.endswith(": no feasible plan.")
    assert s.findings and any("GW" in f for f in s.findings)
    assert not s.figures and not s.tables


def test_build_ranks_the_report_s_accelerator_for_its_cluster_then_the_plan(monkeypatch):
    # one scope: the sites are ranked for the accelerator the report is about, not another
    calls = []
    monkeypatch.setattr(section, "sites_section", lambda *a: calls.append(("sites", a)) or "S")
    monkeypatch.setattr(section, "plan_section", lambda *a: calls.append(("plan", a)) or "P")
    out = section.build(ReportContext(accelerator="mi300x", accelerators=4096,
                                      financing="sovereign"))
    assert out == ["S", "P"]
    assert calls == [("sites", ("mi300x", 4096, "sovereign")), ("plan", (section.PLAN, None))]
    assert section.PLAN.is_file()


def test_the_plan_solved_in_the_background_is_the_one_built(monkeypatch):
    monkeypatch.setattr(section, "solve_plan", lambda path: ("spec", path))
    monkeypatch.setattr(section, "sites_section", lambda *a: "S")
    monkeypatch.setattr(section, "plan_section", lambda path, solved: solved)
    ctx = ReportContext()
    section.prefetch(ctx)
    assert section.build(ctx) == ["S", ("spec", section.PLAN)]


def test_a_background_error_is_raised_by_result():
    def fail():
        raise ValueError("no plan")

    job = section.Background(fail)
    with pytest.raises(ValueError, match="no plan"):
        job.result()
    assert section.Background(lambda x: x + 1, 1).result() == 2
