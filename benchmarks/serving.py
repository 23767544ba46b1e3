"""Serving model: frontier and SLO search for one model on one accelerator (target: < 0.5 s)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import median_of, row  # noqa: E402


def main() -> None:
    from siliconomics.workloads import calibration, inference

    d = inference.Deployment.create("llama-3.1-70b", "h100-sxm", tp=8, precision="fp8")
    d.frontier(2048, 256)  # load the catalog once
    row("frontier, llama-3.1-70b on 8 x h100 (one tp)", median_of(lambda: d.frontier(2048, 256), 5),
        "s", target="< 0.05 s")
    row("SLO search, llama-3.1-70b on h100 (tp 1-8)", median_of(
        lambda: inference.best_under_slo("llama-3.1-70b", "h100", prompt_tokens=2048,
                                         output_tokens=256, slo_tpot_s=0.05, slo_ttft_s=2.0), 5),
        "s", target="< 0.5 s")
    row("serve estimate + demand, llama-3.1-70b on h100", median_of(
        lambda: inference.estimate("llama-3.1-70b", "h100", slo_tpot_s=0.05,
                                   demand=Path(__file__).parents[1] / "examples" / "demand_day.csv"),
        3), "s", target="< 0.5 s")
    points = calibration.read_csv(Path(__file__).parents[1] / "examples" / "measured.csv")
    row("calibrate serving, examples/measured.csv", median_of(lambda: calibration.fit(points), 3),
        "s", target="< 2 s")


if __name__ == "__main__":
    main()
