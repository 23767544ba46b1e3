"""Validation of the markets models: frontier run costs by the reconciled method and the outlook.

Calibration procedure (see :func:`siliconomics.industry.labs.calibration_factor`): the one
fitted number, the ratio of a published amortised run cost to the training model's cost of the
same compute, is fitted on GPT-4 only (marked ``calibration``). Gemini 1.0 Ultra (same year,
other hardware) and Grok 4 (two years later) are held out, as is the outlook's 2025 frontier
run, which follows from the compute trend rather than from any run's published compute.
"""

from __future__ import annotations

from . import case

_JUSTIFICATION = ("Cottier et al. (2024) and Epoch AI give amortised hardware-and-energy costs with "
                  "90% intervals of roughly a factor of two either way (hardware prices, "
                  "utilisation and training time are estimated); +-50% is narrower than that "
                  "interval")


def _run(name: str) -> float:
    from ..industry import labs

    (run,) = [r for r in labs.PUBLISHED_RUNS if r.name == name]
    return labs.reconciled_run_cost(run.training_flop, run.release_year, run.accelerator)


@case(
    id="markets.run-cost.gpt-4",
    topic="markets",
    description="GPT-4 amortised hardware and energy cost (reconciled run-cost method)",
    published=4.0e7,
    unit="USD",
    kind="estimate",
    tolerance=0.5,
    source="B. Cottier et al., 'The rising costs of training frontier AI models,' "
    "arXiv:2405.21015, 2024: GPT-4 about $40M",
    status="C",
    note="Calibration: the method's one factor is fitted on this figure, so it matches exactly.",
    justification=_JUSTIFICATION,
    calibration=True,
)
def _gpt4():
    return _run("GPT-4")


@case(
    id="markets.run-cost.gemini-1-ultra",
    topic="markets",
    description="Gemini 1.0 Ultra amortised hardware and energy cost (held out)",
    published=3.0e7,
    unit="USD",
    kind="estimate",
    tolerance=0.5,
    source="B. Cottier et al., arXiv:2405.21015, 2024: Gemini 1.0 Ultra about $30M (5e25 FLOP "
    "on TPU v4)",
    status="C",
    note="Held out: other hardware (TPU v4 at the catalog's equivalent capital cost) in the "
    "calibration year.",
    justification=_JUSTIFICATION,
)
def _gemini():
    return _run("Gemini 1.0 Ultra")


@case(
    id="markets.run-cost.grok-4",
    topic="markets",
    description="Grok 4 amortised hardware and energy cost (held out, 2025)",
    published=4.9e8,
    unit="USD",
    kind="estimate",
    tolerance=0.5,
    source="Epoch AI, 'Grok 4 training resources,' data insight, 2025: about $490M (amortised "
    "hardware and power, and by H100 rental), about 5e26 FLOP on H100s",
    status="C2",
    note="Held out: two years after the calibration run, on hardware bought in 2024.",
    justification=_JUSTIFICATION,
)
def _grok4():
    return _run("Grok 4")


@case(
    id="markets.run-cost.llama-3.1-405b",
    topic="markets",
    description="Llama 3.1 405B amortised hardware and energy cost (held out, 2024)",
    published=51_040_524.0,
    unit="USD",
    kind="estimate",
    tolerance=0.5,
    source="Cottier et al.'s published per-model data (epoch-research/training-cost-trends, "
    "model_costs.csv, Hardware_Capex_Energy_Cost: Llama 3.1-405B, 2023 USD); compute 3.8e25 "
    "FLOP (A. Grattafiori et al., arXiv:2407.21783, 2024)",
    status="C",
    note="Held out: the 2024 frontier open-weights run, one year after the calibration run, on "
    "hardware bought in 2023.",
    justification=_JUSTIFICATION,
)
def _llama_405b():
    return _run("Llama 3.1 405B")


@case(
    id="markets.outlook.frontier-run-2025",
    topic="markets",
    description="The outlook's 2025 frontier run against the largest published 2025 estimate",
    published=4.9e8,
    unit="USD",
    kind="estimate",
    tolerance=0.5,
    source="Epoch AI, 'Grok 4 training resources,' data insight, 2025: about $490M for the "
    "largest 2025 run with a published estimate",
    status="D",
    note="Held out: the outlook's run follows from the compute trend (GPT-4 2023 x 4.5/year) and "
    "the cost of a FLOP on 2024 hardware, not from Grok 4's compute.",
    justification=_JUSTIFICATION,
)
def _outlook_2025():
    from ..industry import outlook

    return outlook.outlook([2025], samples=0).row(2025)["funded_run_cost_usd"]
