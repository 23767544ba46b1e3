"""Silicon models: dies per wafer, yield and chip cost on arrays of samples (target: 1e6 samples < 0.5 s)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import median_of, row  # noqa: E402


def main() -> None:
    import numpy as np

    from siliconomics import silicon
    from siliconomics.silicon import dies, yield_models

    rng = np.random.default_rng(0)
    a = rng.uniform(50, 850, 1_000_000)
    d0 = rng.uniform(0.05, 0.2, 1_000_000)
    row("dies_per_wafer, 1e6 areas", median_of(lambda: dies.dies_per_wafer(a), 5), "s", target="< 0.1 s")
    row("die_yield murphy, 1e6 samples", median_of(lambda: yield_models.die_yield(a, d0), 5), "s",
        target="< 0.1 s")
    row("harvested_yield 144/132, 1e6 samples", median_of(
        lambda: yield_models.harvested_yield(a, d0, 144, 132, 0.6), 3), "s", target="< 0.5 s")
    row("dies_per_wafer_exact 26x31.3", median_of(lambda: dies.dies_per_wafer_exact(26.0, 31.3), 5), "s",
        target="< 0.01 s")
    row("dies_per_wafer_exact 2x2 mm", median_of(lambda: dies.dies_per_wafer_exact(2.0, 2.0), 5), "s",
        target="< 0.05 s")
    silicon.chip_cost("h100")  # load the catalog once
    row("chip_cost('h100'), point", median_of(lambda: silicon.chip_cost("h100"), 5), "s", target="< 0.05 s")
    hbm = rng.uniform(10, 20, 1_000_000)
    wp = rng.uniform(16000, 20000, 1_000_000)
    row("chip_cost('h100'), 1e6 samples", median_of(
        lambda: silicon.chip_cost("h100", hbm_price_usd_per_gb=hbm, wafer_price_usd=wp), 3), "s",
        target="< 0.5 s")


if __name__ == "__main__":
    main()
