"""Report section "Markets": the foundry-lab outlook, custom silicon's break-even, retirement."""

from __future__ import annotations

from ..html import Section

#: Monte Carlo samples and seed of the outlook's bands in the report.
SAMPLES, SEED = 1000, 0

#: Accelerators and years of the retirement table.
RETIREMENTS = (("a100-sxm4-80gb", 2026), ("h100-sxm", 2026), ("h100-sxm", 2028),
               ("h200", 2028))


def outlook_section() -> Section:
    """Capex to foundries and revenue to frontier runs, 2025-2035, with the binding constraint."""
    import pandas as pd

    from ...industry import labs, outlook

    result = outlook.outlook(range(2025, 2036), samples=SAMPLES, seed=SEED)
    rows = result.rows
    frame = pd.DataFrame([{
        "year": r["year"],
        "capex B USD": r["capex_usd"] / 1e9,
        "accelerators M": r["accelerators_built"] / 1e6,
        "foundry AI revenue B USD": r["foundry_ai_revenue_usd"] / 1e9,
        "foundries for next node": r["viable_foundries"],
        "lab revenue B USD": r["lab_revenue_usd"] / 1e9,
        "trend run B USD": r["trend_run_cost_usd"] / 1e9,
        "funded run B USD": r["funded_run_cost_usd"] / 1e9,
        "funded run 5% B USD": r["band"]["funded_run_cost_usd"]["p5"] / 1e9,
        "funded run 95% B USD": r["band"]["funded_run_cost_usd"]["p95"] / 1e9,
        "labs": r["viable_labs"],
        "binds": r["binding"],
        "share of samples": r["binding_share"][r["binding"]],
    } for r in rows])
    runs = pd.DataFrame([{
        "run": p.name, "year": p.release_year, "FLOP": p.training_flop,
        "published M USD": p.cost_usd / 1e6,
        "reconciled M USD": labs.reconciled_run_cost(p.training_flop, p.release_year,
                                                     p.accelerator) / 1e6,
        "use": "calibration" if p.calibration else "held out",
    } for p in labs.PUBLISHED_RUNS])
    changes = [f"{b['year']}: {b['binding']}" for a, b in zip([None, *rows], rows)
               if a is None or a["binding"] != b["binding"]]
    first = rows[0]
    same_year = [p for p in labs.PUBLISHED_RUNS if p.release_year == first["year"]]
    published = "; ".join(f"published estimate for {p.name}: ${p.cost_usd / 1e6:,.0f}M"
                          for p in same_year) or "no published estimate for that year"
    findings = [
        f"The frontier run of {first['year']} comes out at "
        f"${first['funded_run_cost_usd'] / 1e6:,.0f}M (90% band "
        f"${first['band']['funded_run_cost_usd']['p5'] / 1e6:,.0f}M to "
        f"${first['band']['funded_run_cost_usd']['p95'] / 1e6:,.0f}M); {published}.",
        "The binding constraint moves: " + "; ".join(changes) + ".",
        f"In {rows[-1]['year']} capex of ${rows[-1]['capex_usd'] / 1e9:,.0f}B meets lab revenue of "
        f"${rows[-1]['lab_revenue_usd'] / 1e9:,.0f}B: the two trends are set independently and "
        "need not agree; where revenue runs far ahead of capex, accelerator supply (one cluster's "
        "share of what is built) caps the run.",
    ]
    return Section(
        id="markets-outlook",
        how_to_read="Each row is a year; the middle value is the median of the Monte Carlo and the band its 5th to 95th percentile. Read across: capex buys accelerators, accelerators buy wafers, wafers fund foundries; lab revenue funds the frontier run. The binding column names which limit set that year's run, and its share of samples says how sure that is.",
        title="Markets: the foundry-lab loop, 2025-2035",
        intro=(
            "Hyperscaler capex (company reports and guidance for 2024-2025, an assumption for "
            "2026, a slowing trend after) buys accelerators; their dies need leading-edge wafers, "
            "whose revenue with the rest of the leading edge must fund the next node. Lab revenue "
            "(tokens served times price; by default the sourced 2025 pool) funds the frontier "
            "run, whose cost is compute times the training model's cost of a FLOP, calibrated on "
            "GPT-4 only. Each year's funded run is the smallest of the trend, the run the leading "
            "lab's margin pays back, one cluster's share of the accelerators built and the "
            f"largest site's power. Bands: {SAMPLES} Monte Carlo samples, seed {SEED}."
        ),
        findings=findings,
        tables=[("Outlook by year", frame), ("Frontier run costs: published vs reconciled", runs)],
        data=_finite(result.to_dict()),
    )


def asic_section() -> Section:
    """Break-even volume of published custom accelerators, with the inputs that drive it."""
    import pandas as pd

    from ...industry import custom_silicon

    results = [{**custom_silicon.break_even(c), "sensitivity": custom_silicon.sensitivity(c)}
               for c in custom_silicon.CASES.values()]
    frame = pd.DataFrame([{
        "case": r["case"], "NRE M USD": r["nre_usd"] / 1e6,
        "custom unit cost USD": r["custom_unit_cost_usd"],
        "merchant price USD": r["merchant_price_usd"],
        "performance ratio": r["performance_ratio"],
        "break-even chips": r["break_even_units"],
        "published volume": r["published_units"],
        "top drivers": ", ".join(x["input"] for x in r["sensitivity"][:3]),
    } for r in results])
    structure = custom_silicon.fabless_vs_idm()
    at_reported = {c.custom: custom_silicon.break_even(
        c, vendor_margin=custom_silicon.NVIDIA_GROSS_MARGIN)["break_even_units"]
        for c in custom_silicon.CASES.values()}
    known = [r for r in results if r["published_units"]]
    findings = [
        "; ".join(f"{r['custom']} breaks even after {r['break_even_units']:,.0f} chips"
                  for r in results) + ". Published volumes: "
        + "; ".join(f"{r['custom']} {r['published_units']:,.0f}" for r in known) + ".",
        f"At NVIDIA's reported gross margin ({custom_silicon.NVIDIA_GROSS_MARGIN:.0%}) instead of "
        "the chip-level margin of the catalog price the break-even becomes "
        + "; ".join(f"{k} {v:,.0f}" if v != float("inf") else f"{k} never"
                    for k, v in at_reported.items()) + " chips.",
        f"An own fab and node at {structure['node']} pay off above "
        f"{structure['break_even_wafers_per_month']:,.0f} wafers a month at "
        f"{structure['utilization']:.0%} utilisation; below that a foundry's scale wins.",
    ]
    return Section(
        id="markets-asic",
        how_to_read='Each row is one custom chip against buying the merchant part. Break-even volume is the number of chips above which designing your own is cheaper; compare it with the volume the owner is reported to deploy. The tornado ranks which input moves the break-even most.',
        title="Markets: custom silicon vs merchant accelerators",
        intro=("NRE is the IBS design cost of the node plus mask sets; each custom chip costs its "
               "chip-cost-model build cost times a design partner's markup; the merchant part "
               "costs its build cost at the vendor's gross margin. Drivers: one-at-a-time "
               "tornado over each input's 90% range."),
        findings=findings,
        tables=[("Break-even volume by case", frame)],
        data=_finite({"cases": results, "fabless_vs_idm": structure}),
    )


def retirement_section() -> Section:
    """Keep, sell or move to inference for a few fleets."""
    import pandas as pd

    from ...industry import retirement

    decisions = [retirement.decide(a, y, warn=False) for a, y in RETIREMENTS]
    frame = pd.DataFrame([{
        "accelerator": d.accelerator, "year": d.year,
        **{f"{k} USD": v for k, v in d.values.items()}, "decision": d.decision,
    } for d in decisions])
    return Section(
        id="markets-retirement",
        how_to_read='Per accelerator, the present value of keeping it for training, selling it on the secondary market after costs and a thin-market haircut, or moving it to serving. The largest value is the decision; a small gap means the choice is close.',
        title="Markets: keep, sell or move to inference",
        intro=("Per accelerator and in present value: selling now at the catalog's secondary "
               "price less transaction costs and a thin-market haircut (1,000 units), keeping it "
               "to the end of its service life at the rental price it replaces, or serving "
               "inference for two more years; prices past a series' last point are extrapolated."),
        findings=[", ".join(f"{d.accelerator} in {d.year}: {d.decision}" for d in decisions) + "."],
        tables=[("Retirement values per accelerator", frame)],
        data=_finite({"decisions": [d.to_dict() for d in decisions]}),
    )


def _finite(obj):
    """``obj`` with every infinite or NaN number as None, so the summary stays valid JSON
    (a break-even that is never reached is infinite)."""
    import math

    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_finite(v) for v in obj]
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


def build(ctx) -> list[Section]:
    """The three markets sections."""
    return [outlook_section(), asic_section(), retirement_section()]
