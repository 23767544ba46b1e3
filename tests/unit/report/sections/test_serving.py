"""Report section "Serving": the Pareto frontier, the best configuration and cost by load."""

import pytest

from siliconomics.report.sections import ReportContext
from siliconomics.report.sections import serving as section
from siliconomics.workloads import serving as inference


def _pt(user, acc):
    return {"tokens_per_s_per_user": user, "output_tokens_per_s_per_accelerator": acc}


def test_pareto_keeps_the_points_nothing_beats_on_both_axes():
    points = [_pt(10, 100), _pt(20, 50), _pt(5, 80), _pt(30, 60), _pt(30, 40)]
    # (20, 50) and (30, 40) are beaten by (30, 60); (5, 80) by (10, 100)
    assert section.pareto(points) == [_pt(30, 60), _pt(10, 100)]
    assert section.pareto([]) == []


@pytest.fixture(scope="module")
def built():
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(section, "ACCELERATORS", ("h100-sxm", "h200"))
        [s] = section.build(ReportContext(sites=["us-texas"]))
    return s


def test_best_configuration_meets_the_targets_and_costs_what_its_hour_costs(built):
    rows = built.data["best"]
    assert [r["accelerator"] for r in rows] == ["h100-sxm", "h200"]
    for r in rows:
        assert r["TPOT ms"] <= section.SLO_TPOT_S * 1000 and r["TTFT ms"] <= section.SLO_TTFT_S * 1000
        c = inference.best_under_slo(section.MODEL, r["accelerator"], prompt_tokens=section.PROMPT,
                                     output_tokens=section.OUTPUT, slo_tpot_s=section.SLO_TPOT_S,
                                     slo_ttft_s=section.SLO_TTFT_S)
        for u, key in ((1.0, "$/M output, full load"), (0.3, "$/M output, 30% load")):
            hour = inference.accelerator_hour_usd(r["accelerator"], site="us-texas",
                                                  financing="hyperscaler", utilization=u)
            cost = inference.token_costs(c.performance, hour, prompt_tokens=section.PROMPT,
                                         output_tokens=section.OUTPUT)
            assert r[key] == pytest.approx(float(cost["usd_per_million_output_tokens"]))
        assert r["$/M output, 30% load"] > r["$/M output, full load"]


def test_findings_name_the_cheapest_and_the_cost_of_idle_hours(built):
    rows = built.data["best"]
    cheapest = min(rows, key=lambda r: r["$/M output, full load"])
    assert f"cheapest on {cheapest['accelerator']}" in built.findings[0]
    ratio = cheapest["$/M output, 30% load"] / cheapest["$/M output, full load"]
    assert built.findings[1].startswith(f"At 30% utilization the same tokens cost {ratio:.1f}x")


def test_frontiers_are_pareto_and_costs_fall_with_load(built):
    for acc, pts in built.data["frontiers"].items():
        users = [p["tokens_per_s_per_user"] for p in pts]
        per_acc = [p["output_tokens_per_s_per_accelerator"] for p in pts]
        assert users == sorted(users, reverse=True) and per_acc == sorted(per_acc), acc
    curves = built.data["usd_per_million_output_by_utilization"]
    assert curves["utilization"] == list(section.UTILIZATIONS)
    for acc in ("h100-sxm", "h200"):
        assert curves[acc] == sorted(curves[acc], reverse=True)
    assert len(built.figures) == 2 and len(built.tables) == 2
