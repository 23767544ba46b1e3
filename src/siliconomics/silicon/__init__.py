"""Silicon to accelerator: what a chip costs to make.

Dies per wafer (:mod:`.dies`), yield and harvesting (:mod:`.yield_models`), wafer economics
(:mod:`.wafer`), 2.5D packaging and HBM (:mod:`.packaging`), the accelerator bill of materials
(:mod:`.bom`), monolithic versus chiplets (:mod:`.chiplets`), embodied carbon (:mod:`.carbon`)
and pictures (:mod:`.maps`).

>>> from siliconomics import silicon
>>> c = silicon.chip_cost("h100")
>>> 1000 < c.total < 10000
True
"""

from __future__ import annotations

from .bom import ChipCost, accelerator_cost, chip_cost, embodied_kgco2e, memory_share
from .chiplets import chiplet_costs, chiplet_sweep
from .dies import (
    RETICLE_AREA_MM2,
    check_reticle,
    die_grid,
    dies_per_wafer,
    dies_per_wafer_exact,
    parse_die_size,
)
from .wafer import WaferResult, cost_per_good_die, wafer
from .yield_models import MODELS, die_yield, harvested_yield

__all__ = [
    "MODELS",
    "RETICLE_AREA_MM2",
    "ChipCost",
    "WaferResult",
    "accelerator_cost",
    "check_reticle",
    "chip_cost",
    "chiplet_costs",
    "chiplet_sweep",
    "cost_per_good_die",
    "die_grid",
    "die_yield",
    "dies_per_wafer",
    "dies_per_wafer_exact",
    "embodied_kgco2e",
    "harvested_yield",
    "memory_share",
    "parse_die_size",
    "wafer",
]
