"""Industry models: foundry back-test and labs Monte Carlo band (target: 100k samples x 11 years < 2 s)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import median_of, row  # noqa: E402


def main() -> None:
    import numpy as np

    from siliconomics.industry import foundries, oligopoly
    from siliconomics.scenario.models import labs_projection

    foundries.backtest()  # load the catalog once
    row("foundries.backtest (calibrate + predict)", median_of(foundries.backtest, 5), "s",
        target="< 0.1 s")
    r = np.random.default_rng(0).uniform(0, 1e12, 1_000_000)
    row("viable_firms_learning, 1e6 samples", median_of(
        lambda: oligopoly.viable_firms_learning(r, 0.5, 1e10, 2.0, 0.8), 5), "s", target="< 0.1 s")
    row("labs projection 2025-2035, 10k samples", median_of(
        lambda: labs_projection(range(2025, 2036), samples=10_000), 3), "s", target="< 0.5 s")
    row("labs projection 2025-2035, 100k samples", median_of(
        lambda: labs_projection(range(2025, 2036), samples=100_000), 3), "s", target="< 2 s")


if __name__ == "__main__":
    main()
