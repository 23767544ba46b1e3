"""Where to build and what to run: site economics and an optimal build-out plan.

- :mod:`.sites`: :func:`compare_sites` ranks sites by the cost of an accelerator-hour, with
  power share, energy, operational carbon, PUE and the earliest year power arrives;
- :mod:`.cooling`: PUE as a function of climate;
- :mod:`.fleet`: a mixed-integer build-out plan over years, sites and accelerator generations,
  solved with HiGHS, with the marginal value of one more MW from the LP relaxation;
- :mod:`.plan_file`: TOML plan files, validated.
"""

from __future__ import annotations

from .cooling import pue_from_climate
from .fleet import FleetProblem, PlanResult, greedy, solve
from .plan_file import load_plan, plan_from_dict
from .sites import SiteResult, compare_sites, power_available_mw

__all__ = [
    "FleetProblem",
    "PlanResult",
    "SiteResult",
    "compare_sites",
    "greedy",
    "load_plan",
    "plan_from_dict",
    "power_available_mw",
    "pue_from_climate",
    "solve",
]
