"""Training models: the layout search on 16,384 accelerators (target < 2 s) and one run estimate."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import median_of, row  # noqa: E402


def main() -> None:
    from siliconomics.workloads import parallelism, training

    parallelism.step_time("llama-3.1-70b", "tp=8,pp=4,dp=16", "h100", global_batch=512)  # warm
    for model in ("llama-3.1-405b", "deepseek-v3"):
        found = parallelism.auto_layout(model, 16_384, "h100", global_batch=2048, seq_len=8192)
        t = median_of(lambda m=model: parallelism.auto_layout(
            m, 16_384, "h100", global_batch=2048, seq_len=8192), 3)
        row(f"layout auto, {model}, 16,384 x H100 ({found.evaluated} layouts)", t, "s",
            target="< 2 s")
    row("one step_time evaluation", median_of(lambda: parallelism.step_time(
        "llama-3.1-405b", "tp=8,pp=16,dp=128", "h100", global_batch=2048, seq_len=8192), 5,
        number=50), "s")
    row("training.estimate (given MFU, incl. TCO)", median_of(lambda: training.estimate(
        "llama-3.1-405b", accelerator="h100", accelerators=16_384), 5), "s")


if __name__ == "__main__":
    main()
