r"""Custom silicon against merchant accelerators: NRE, unit cost and the break-even volume.

A firm that designs its own accelerator (Google's TPU, AWS Trainium, Meta MTIA) pays a one-time
NRE (design and verification team, IP licences, software stack, mask sets) and then builds each
chip at the chip-cost model's cost (:func:`siliconomics.silicon.bom.chip_cost`) plus the margin
of its design partner (Broadcom, Marvell, Alchip) that delivers the parts. Buying merchant parts
instead costs their price, which carries the vendor's gross margin. The custom chip pays off
above the volume where the savings per chip repay the NRE:

.. math:: V^* = \frac{NRE}{P_m\, r\, s - c\, k}, \qquad P_m = \frac{c_m}{1 - m}

with :math:`c_m` the merchant part's build cost, :math:`m` the vendor's gross margin on it,
:math:`r` the custom part's throughput over the merchant's, :math:`s` the share of it software
delivers (a younger software stack reaches less), :math:`c` the custom build cost and :math:`k`
the design partner's markup. No volume breaks even when the denominator is not positive.

:func:`fabless_vs_idm` compares the two cost structures of making the wafers: buying them from a
foundry at its price, or running a fab and developing the node alone.

Examples
--------
>>> r = break_even(CASES["tpu-v5p"])
>>> 1e3 < r["break_even_units"] < 1e7
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import _checks
from ..errors import InputError, unknown

#: IBS (International Business Strategies) cost to design an advanced chip by node (architecture,
#: IP qualification, verification, physical design, software, prototype), as quoted by
#: SemiEngineering and others, 2018-2023. [USD]
DESIGN_COST_USD: dict[str, tuple[float, float, float]] = {
    "n7": (2.97e8, 2.2e8, 3.5e8),
    "n5": (5.42e8, 4.2e8, 6.5e8),
    "n4": (5.42e8, 4.2e8, 6.5e8),
    "n3": (7.25e8, 5.9e8, 9.0e8),
}
DESIGN_COST_SOURCE = ("IBS (H. Jones), design cost of an advanced chip: 7 nm $297M, 5 nm $542M, "
                      "3 nm about $590-725M (as quoted by SemiEngineering, 'Big Trouble At 3nm', "
                      "2018, and IBS updates to 2023); N4 is costed as N5. Range: this project's "
                      "judgement of the spread between IBS editions")

#: Mask set of one tape-out by node, (value, low, high). [USD]
MASK_SET_USD: dict[str, tuple[float, float, float]] = {
    "n7": (1.0e7, 7.0e6, 1.3e7),
    "n5": (1.5e7, 1.0e7, 2.0e7),
    "n4": (1.5e7, 1.0e7, 2.0e7),
    "n3": (2.5e7, 2.0e7, 4.0e7),
}
MASK_SET_SOURCE = ("Industry estimates of leading-edge mask-set prices (SemiEngineering and "
                   "eeNews, 2020-2023: about $10M at 7 nm, about $15M at 5 nm, $20-40M at 3 nm); "
                   "labelled assumption with the range shown")


@dataclass(frozen=True)
class Parameter:
    """One input of the break-even with its 90% interval and source."""

    value: float
    low: float
    high: float
    source: str
    assumption: bool = False


#: Inputs common to every case (besides the node's design and mask cost).
PARAMETERS: dict[str, Parameter] = {
    "tape_outs": Parameter(
        1.5, 1.0, 2.5,
        "Assumption: mask sets bought per product (one production tape-out, often a test chip or "
        "a metal respin)", assumption=True),
    "partner_markup": Parameter(
        1.5, 1.2, 2.0,
        "Assumption: price over build cost a design partner charges for delivering custom "
        "accelerators (1.5x is a 33% gross margin); Broadcom reports a company-wide GAAP gross "
        "margin in the 60s percent (10-K, fiscal 2024) and its custom AI parts are said to carry "
        "less", assumption=True),
    "software_efficiency": Parameter(
        0.9, 0.7, 1.0,
        "Assumption: share of the custom part's peak advantage its younger software stack "
        "delivers against CUDA", assumption=True),
}

#: Vendor gross margin: NVIDIA's reported (low end) to the chip-level margin the catalog price
#: implies over the chip-cost model (high end; see :func:`merchant_margin`).
VENDOR_MARGIN_SOURCE = ("NVIDIA 10-K FY2025: gross margin 75.0% (GAAP), data-center business "
                        "about 75-78%; includes boards, systems and software, so the chip-level "
                        "margin of the catalog price is higher")
NVIDIA_GROSS_MARGIN = 0.75


@dataclass(frozen=True)
class Case:
    """A published custom accelerator against the merchant part it replaces."""

    name: str
    custom: str
    merchant: str
    volume_note: str
    units: float | None = None


#: Published cases: what is public about their volumes.
CASES: dict[str, Case] = {
    "tpu-v5p": Case(
        "Google TPU v5p vs NVIDIA H100", "tpu-v5p", "h100-sxm",
        "Pods of 8,960 v5p chips (Google Cloud, Dec. 2023); TechInsights estimated about 2M TPUs "
        "shipped by Google in 2023 (as reported, 2024)", units=2.0e6),
    "trainium2": Case(
        "AWS Trainium2 vs NVIDIA H100", "trainium2", "h100-sxm",
        "Project Rainier: nearly 500,000 Trainium2 chips for Anthropic (AWS, Oct. 2025)",
        units=5.0e5),
    "tpu-v6e": Case(
        "Google TPU v6e (Trillium) vs NVIDIA H100", "tpu-v6e", "h100-sxm",
        "Volumes not published; Trillium generally available Dec. 2024 (Google Cloud)"),
}


# --- layer 1: formulas -------------------------------------------------------------------------

def nre_usd(design_usd, mask_set_usd, tape_outs=1.0):
    r"""One-time cost of a custom chip.

    Parameters
    ----------
    design_usd : numeric
        Design, verification, IP, software and prototype cost, >= 0. [USD]
    mask_set_usd : numeric
        One mask set, >= 0. [USD]
    tape_outs : numeric
        Mask sets bought, >= 1. [count]

    Returns
    -------
    numeric
        :math:`D + n M`. [USD]

    Examples
    --------
    >>> nre_usd(5e8, 1.5e7, 2)
    530000000.0
    """
    _checks.non_negative("design_usd", design_usd)
    _checks.non_negative("mask_set_usd", mask_set_usd)
    _checks.at_least("tape_outs", tape_outs, 1.0)
    out = np.asarray(design_usd, float) + np.asarray(tape_outs, float) * np.asarray(mask_set_usd, float)
    return float(out) if out.ndim == 0 else out


def price_at_margin(cost_usd, gross_margin):
    r"""Price that earns ``gross_margin`` on a part costing ``cost_usd``.

    Parameters
    ----------
    cost_usd : numeric
        Build cost, >= 0. [USD]
    gross_margin : numeric
        Gross margin, in [0, 1). [dimensionless]

    Returns
    -------
    numeric
        :math:`c / (1 - m)`. [USD]

    Examples
    --------
    >>> price_at_margin(2500.0, 0.75)
    10000.0
    """
    _checks.non_negative("cost_usd", cost_usd)
    _checks.fraction("gross_margin", gross_margin, open_low=False, open_high=True)
    out = np.asarray(cost_usd, float) / (1.0 - np.asarray(gross_margin, float))
    return float(out) if out.ndim == 0 else out


def break_even_units(nre, merchant_price_usd, performance_ratio, custom_unit_cost_usd,
                     partner_markup=1.0, software_efficiency=1.0):
    r"""Custom chips needed before their savings repay the NRE.

    Parameters
    ----------
    nre : numeric
        One-time cost, >= 0. [USD]
    merchant_price_usd : numeric
        Price of one merchant part, >= 0. [USD]
    performance_ratio : numeric
        Custom part's throughput over the merchant part's, > 0. [dimensionless]
    custom_unit_cost_usd : numeric
        Build cost of one custom part, >= 0. [USD]
    partner_markup : numeric
        Design partner's price over build cost, >= 1. [dimensionless]
    software_efficiency : numeric
        Share of the throughput the software delivers, in (0, 1]. [dimensionless]

    Returns
    -------
    numeric
        :math:`NRE / (P_m r s - c k)`; ``inf`` when a custom chip saves nothing. [chips]

    Examples
    --------
    >>> break_even_units(1e8, 10_000.0, 0.5, 2_000.0, 1.5, 1.0)
    50000.0
    """
    _checks.non_negative("nre", nre)
    _checks.positive("performance_ratio", performance_ratio)
    _checks.at_least("partner_markup", partner_markup, 1.0)
    _checks.fraction("software_efficiency", software_efficiency)
    saving = (np.asarray(merchant_price_usd, float) * np.asarray(performance_ratio, float)
              * np.asarray(software_efficiency, float)
              - np.asarray(custom_unit_cost_usd, float) * np.asarray(partner_markup, float))
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(saving > 0, np.asarray(nre, float) / np.where(saving > 0, saving, 1.0), np.inf)
    return float(out) if out.ndim == 0 else out


def idm_wafer_cost_usd(foundry_price_usd, foundry_gross_margin, depreciation_share, utilization,
                       process_development_usd_per_year, wafers_per_year):
    r"""Cost of a wafer to a firm running its own fab and developing its own node.

    Parameters
    ----------
    foundry_price_usd : numeric
        Foundry's price of the same wafer, > 0. [USD]
    foundry_gross_margin : numeric
        Foundry's gross margin, in [0, 1). [dimensionless]
    depreciation_share : numeric
        Fixed (depreciation) share of a wafer's cost at full utilisation, in [0, 1]. [dimensionless]
    utilization : numeric
        Share of the fab's capacity used, in (0, 1]. [dimensionless]
    process_development_usd_per_year : numeric
        Annualised cost of developing the node alone, >= 0. [USD/year]
    wafers_per_year : numeric
        The firm's wafers, > 0. [wafers/year]

    Returns
    -------
    numeric
        :math:`c (1 - d + d / u) + D / W`, with :math:`c = p (1 - m)`. [USD/wafer]

    Notes
    -----
    A foundry spreads development and idle capacity over every customer; a firm making only its
    own wafers carries both alone (Sutton's endogenous sunk costs).

    Examples
    --------
    >>> idm_wafer_cost_usd(20_000.0, 0.5, 0.5, 0.5, 0.0, 1.0)
    15000.0
    """
    _checks.positive("foundry_price_usd", foundry_price_usd)
    _checks.fraction("foundry_gross_margin", foundry_gross_margin, open_low=False, open_high=True)
    _checks.fraction("depreciation_share", depreciation_share, open_low=False)
    _checks.fraction("utilization", utilization)
    _checks.non_negative("process_development_usd_per_year", process_development_usd_per_year)
    _checks.positive("wafers_per_year", wafers_per_year)
    c = np.asarray(foundry_price_usd, float) * (1.0 - np.asarray(foundry_gross_margin, float))
    d = np.asarray(depreciation_share, float)
    out = c * (1.0 - d + d / np.asarray(utilization, float)) + np.asarray(
        process_development_usd_per_year, float) / np.asarray(wafers_per_year, float)
    return float(out) if out.ndim == 0 else out


# --- layer 2: catalog values, cases, sensitivity ------------------------------------------------

#: TSMC's gross margin and depreciation share of cost, for the fabless-vs-IDM comparison.
TSMC_GROSS_MARGIN = Parameter(0.56, 0.53, 0.59, "TSMC 2024 annual report: gross margin 56.1%")
DEPRECIATION_SHARE = Parameter(
    0.5, 0.4, 0.6, "TSMC 2024 annual report: depreciation about NT$650B against cost of revenue "
    "about NT$1.27T (about half); labelled assumption for its range", assumption=True)


def _chip(name: str):
    from ..silicon import bom

    return bom.chip_cost(name)


def _accelerator(name: str):
    from .. import catalog

    return catalog.load().get("accelerators", name)


def merchant_margin(merchant: str) -> float:
    """Chip-level gross margin the catalog price implies over the chip-cost model."""
    chip = _chip(merchant)
    return float(chip.gross_margin)


def node_costs(node: str) -> dict[str, tuple[float, float, float]]:
    """Design and mask-set cost (value, low, high) of a node; N4/N5-class when unknown."""
    key = node if node in DESIGN_COST_USD else "n5"
    return {"design_usd": DESIGN_COST_USD[key], "mask_set_usd": MASK_SET_USD[key]}


def inputs(case: Case) -> dict[str, Parameter]:
    """Every input of a case's break-even with its range and source."""
    custom, merchant = _accelerator(case.custom), _accelerator(case.merchant)
    node = str(custom.get("process_node"))
    costs = node_costs(node)
    implied = merchant_margin(case.merchant)
    out = {
        "design_usd": Parameter(*costs["design_usd"], DESIGN_COST_SOURCE),
        "mask_set_usd": Parameter(*costs["mask_set_usd"], MASK_SET_SOURCE, assumption=True),
        **PARAMETERS,
        "vendor_margin": Parameter(
            implied, min(NVIDIA_GROSS_MARGIN, implied), max(implied, 0.92),
            f"{VENDOR_MARGIN_SOURCE}; central: the catalog price of {merchant.slug} over its "
            f"chip cost ({implied:.2f})"),
        "custom_cost_scale": Parameter(
            1.0, 0.8, 1.3, "Assumption: spread of the chip-cost model for a part whose die area "
            "and node are not public (catalog assumptions)", assumption=True),
    }
    return out


def evaluate(case: Case, values: dict[str, Any]) -> dict[str, Any]:
    """Break-even and its parts for ``values`` (numbers or sample arrays)."""
    custom, merchant = _accelerator(case.custom), _accelerator(case.merchant)
    c_cost = float(_chip(case.custom).cost_usd) * np.asarray(values["custom_cost_scale"], float)
    m_cost = float(_chip(case.merchant).cost_usd)
    ratio = float(custom.get("bf16_tflop_per_s")) / float(merchant.get("bf16_tflop_per_s"))
    nre = nre_usd(values["design_usd"], values["mask_set_usd"], np.maximum(values["tape_outs"], 1.0))
    price = price_at_margin(m_cost, np.clip(values["vendor_margin"], 0.0, 0.99))
    units = break_even_units(nre, price, ratio, c_cost, np.maximum(values["partner_markup"], 1.0),
                             np.clip(values["software_efficiency"], 1e-3, 1.0))
    return {"nre_usd": nre, "merchant_price_usd": price, "merchant_cost_usd": m_cost,
            "custom_unit_cost_usd": c_cost, "performance_ratio": ratio,
            "saving_per_unit_usd": price * ratio * np.asarray(values["software_efficiency"])
            - c_cost * np.asarray(values["partner_markup"]),
            "break_even_units": units}


def case(name: str) -> Case:
    """A case of :data:`CASES` by name."""
    if name not in CASES:
        raise InputError(unknown("custom-silicon case", name, CASES))
    return CASES[name]


def break_even(c: Case, **overrides) -> dict[str, Any]:
    """Point break-even of a case with its inputs (overrides replace central values)."""
    spec = inputs(c)
    for k in overrides:
        if k not in spec:
            raise InputError(unknown("custom-silicon input", k, spec))
    values = {k: float(overrides.get(k, p.value)) for k, p in spec.items()}
    out = {k: float(np.asarray(v)) for k, v in evaluate(c, values).items()}
    savings = None
    if c.units is not None and np.isfinite(out["break_even_units"]):
        savings = c.units * out["saving_per_unit_usd"] - out["nre_usd"]
    return {"case": c.name, "custom": c.custom, "merchant": c.merchant, **out,
            "published_units": c.units, "volume_note": c.volume_note,
            "net_saving_at_published_units_usd": savings,
            "inputs": {k: {"value": values[k], "low": p.low, "high": p.high, "source": p.source,
                           "assumption": p.assumption} for k, p in spec.items()}}


def sensitivity(c: Case) -> list[dict[str, Any]]:
    """One-at-a-time tornado of the break-even volume over each input's 90% interval
    (:func:`siliconomics.uncertainty.sensitivity.tornado`), largest swing first."""
    import functools

    from ..uncertainty.distributions import from_interval
    from ..uncertainty.montecarlo import Plan
    from ..uncertainty.sensitivity import tornado

    spec = {k: p for k, p in inputs(c).items() if p.high > p.low}
    plan = Plan(names=tuple(spec), dists=tuple(from_interval(p.low, p.high) for p in spec.values()),
                evaluate=functools.partial(_units_only, c), outputs=("break_even_units",),
                samples=1)
    return tornado(plan).rows


def _units_only(c: Case, values: dict) -> dict:
    return {"break_even_units": evaluate(c, values)["break_even_units"]}


def fabless_vs_idm(node: str = "3nm", wafers_per_month=(5e3, 2e4, 5e4, 1e5),
                   utilization: float = 0.8) -> dict[str, Any]:
    """Cost per wafer bought from a foundry against making it in an own fab, by volume.

    The node's wafer price and process development cost come from the foundry catalog
    (:func:`siliconomics.industry.foundries.node`); development is annualised like a node's
    fixed cost in the foundry model.
    """
    from ..finance import capital_recovery_factor
    from . import foundries

    n = foundries.node(node)
    fp = foundries.defaults()
    price = float(n.get("wafer_price_usd"))
    dev = float(n.get("process_development_cost_usd")) * float(
        capital_recovery_factor(fp["cost_of_capital"], fp["recovery_years"]))
    rows = []
    for w in wafers_per_month:
        _checks.positive("wafers_per_month", w)
        idm = idm_wafer_cost_usd(price, TSMC_GROSS_MARGIN.value, DEPRECIATION_SHARE.value,
                                 utilization, dev, 12.0 * w)
        rows.append({"wafers_per_month": float(w), "fabless_usd_per_wafer": price,
                     "idm_usd_per_wafer": idm, "cheaper": "idm" if idm < price else "fabless"})
    c = price * (1 - TSMC_GROSS_MARGIN.value)
    d = DEPRECIATION_SHARE.value
    gap = price - c * (1 - d + d / utilization)
    breakeven = dev / gap / 12.0 if gap > 0 else float("inf")
    return {"node": n.slug, "wafer_price_usd": price, "process_development_usd_per_year": dev,
            "utilization": utilization, "foundry_gross_margin": TSMC_GROSS_MARGIN.value,
            "depreciation_share": d, "break_even_wafers_per_month": breakeven, "rows": rows,
            "sources": {"foundry_gross_margin": TSMC_GROSS_MARGIN.source,
                        "depreciation_share": DEPRECIATION_SHARE.source}}
