"""Report section "Training": efficiency against cluster size and the cost of a run."""

import math

import pytest

from siliconomics import catalog
from siliconomics.report.sections import ReportContext
from siliconomics.report.sections import training as section
from siliconomics.workloads import parallelism, reliability, training
from siliconomics.workloads.parallelism import Layout


def test_scaling_rows_are_the_best_layout_and_the_optimal_goodput():
    rows = section.scaling_rows("llama-3.1-8b", "h100-sxm", sizes=(64, 256), seq_len=4096,
                                batch_tokens=2**21)
    rate = catalog.assumption("failure-rate-per-accelerator-hour")
    ckpt, restart = catalog.assumption("checkpoint-write-s"), catalog.assumption("restart-s")
    for row, n in zip(rows, (64, 256)):
        best = parallelism.auto_layout("llama-3.1-8b", n, "h100-sxm", global_batch=512,
                                       seq_len=4096).best
        rel = reliability.optimal_goodput(n, rate, ckpt, restart)
        assert row["accelerators"] == n and Layout.parse(row["layout"]).accelerators == n
        assert row["layout"] == str(best.layout) and row["mfu"] == pytest.approx(best.mfu)
        assert row["goodput"] == pytest.approx(rel["goodput"])
        assert row["effective"] == pytest.approx(best.mfu * rel["goodput"])
        assert row["interruptions per day"] == pytest.approx(rel["failures_per_day"])
    assert rows[1]["goodput"] < rows[0]["goodput"]  # more accelerators, more failures


def test_a_size_where_nothing_fits_says_so():
    [row] = section.scaling_rows("llama-3.1-405b", "h100-sxm", sizes=(8,), seq_len=8192)
    assert row["layout"] == "none fits"
    assert math.isnan(row["mfu"]) and math.isnan(row["effective"]) and 0 < row["goodput"] < 1


def test_build_costs_the_run_on_each_accelerator(monkeypatch):
    monkeypatch.setattr(section, "ACCELERATORS", ("h100-sxm", "b200"))
    ctx = ReportContext(sites=["finland"], financing="neocloud")
    [s] = section.build(ctx)
    assert ctx.extra["models"] == [section.MODEL, section.RUN_MODEL]
    runs = s.data["runs"]
    for run, acc in zip(runs, ("h100-sxm", "b200")):
        alone = training.estimate(section.RUN_MODEL, accelerator=acc,
                                  accelerators=section.RUN_ACCELERATORS, site="finland",
                                  financing="neocloud")
        assert run["accelerator"] == acc
        assert run["cost_usd"] == pytest.approx(alone.cost_usd)
        assert run["wall_days"] == pytest.approx(alone.wall_days)
    best = min(runs, key=lambda r: r["cost_usd"])
    assert f"from ${best['cost_usd'] / 1e6:,.0f}M ({best['accelerator']})" in s.findings[1]
    assert s.findings[1].endswith("to own at finland.")
    assert [len(t[1]) for t in s.tables] == [len(section.SIZES), 2]
    assert all(svg.startswith("<svg") for svg, *_ in s.figures)
    # the report's own accelerator comes first, with the catalog ranges' band on its run
    band = s.data["run_cost_band_usd"]
    assert f"90% band ${band['p5'] / 1e6:,.0f}M to ${band['p95'] / 1e6:,.0f}M" in s.findings[2]
    assert s.findings[2].startswith("On h100-sxm the run takes")
    assert "h100-sxm" in s.title
