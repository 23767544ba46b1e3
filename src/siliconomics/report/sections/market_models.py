"""Report sections "Markets" (token, demand and supply models): token prices against serving
cost, world token demand, the accelerators the world's parts can build, and export classes."""

from __future__ import annotations

from ..html import Section

#: Year of the supply table (inside the supply data's range) and the demand years shown.
SUPPLY_YEAR = 2025
DEMAND_YEARS = range(2025, 2031)
#: Monte Carlo samples and seed of the demand band.
SAMPLES, SEED = 1000, 0
#: Accelerators of the supply and export tables.
ACCELERATORS = ("h100-sxm", "h200", "b200", "mi300x", "h800", "a800", "h20")


def tokens_section() -> Section:
    """Gross margin of each dated price point at its provider type, with its source."""
    import pandas as pd

    from ...industry import tokens

    t = tokens.margins()
    frame = pd.DataFrame([
        {
            "model": r["model"], "provider": r["provider"], "provider type": r["provider_type"],
            "date": r["date"], "price in USD/M": r["input_usd_per_mtok"],
            "price out USD/M": r["output_usd_per_mtok"],
            "cost in USD/M": r["cost_usd_per_mtok_input"],
            "cost out USD/M": r["cost_usd_per_mtok_output"],
            "served on": f"{r['tp']} x {r['accelerator']}",
            "cost is an estimate": "yes" if r["cost_proxy_assumption"] else "",
            "margin": r["margin"], "margin low": r["margin_low"], "margin high": r["margin_high"],
            "source": r["source"],
        }
        for r in t.rows
    ])
    exact = [r for r in t.rows if not r["cost_proxy_assumption"]]
    worst = min(exact, key=lambda r: r["margin"])
    best = max(exact, key=lambda r: r["margin"])
    findings = [
        f"Among open-weight models, whose serving cost the model computes from their own "
        f"architecture, the margin runs from {worst['margin']:.0%} ({worst['model']} at "
        f"{worst['provider']}) to {best['margin']:.0%} ({best['model']} at {best['provider']}).",
        "Closed models' costs use a stand-in architecture (the GPT-4-class estimate or a smaller "
        "open model), so their margins are estimates, not measurements.",
    ]
    return Section(
        id="markets-tokens",
        how_to_read="Each row is a dated API price point. Margin is the price minus what serving those tokens costs on the provider type's hardware at its utilisation; the range spans the utilisation range. Closed models' costs use stand-in architectures, so treat their margins as estimates.",
        title="Markets: token prices against serving cost",
        intro=(
            "Each price point is a provider's published list price at a date. Its cost is the "
            "serving model's cost per million input and output tokens, at the provider type's "
            "realized utilization and financing, under an interactive latency target of "
            f"{t.slo_tpot_s * 1000:g} ms per output token; the margin blends input and output at "
            f"{t.input_per_output:g} input tokens per output token. Low and high margins take the "
            "ends of the provider type's utilization range."
        ),
        findings=findings,
        tables=[("Token margins by price point", frame)],
        data=t.to_dict(),
    )


def demand_section() -> Section:
    """World tokens per year with a Monte Carlo band, and the serving fleet they need."""
    import pandas as pd

    from ...industry import demand

    p = demand.project(DEMAND_YEARS, samples=SAMPLES, seed=SEED)
    frame = pd.DataFrame([
        {"year": r["year"], "tokens/year": r["tokens_per_year"],
         "tokens/year 5%": r["tokens_per_year_p5"], "tokens/year 95%": r["tokens_per_year_p95"],
         f"{p.accelerator} needed": r["accelerators"]}
        for r in p.rows
    ])
    c = p.check
    findings = [
        f"For {c['year']} the model predicts {c['predicted_tokens_per_month']:.2g} tokens a month "
        f"for the world, {c['ratio']:.2f} times the {c['google_tokens_per_month']:.2g} Google "
        "alone reported; a ratio below 1 means the central inputs understate demand.",
    ]
    return Section(
        id="markets-demand",
        how_to_read='Tokens per year from users, tokens per user and reasoning and agent multipliers, with a 90% band; the fleet column is the accelerators needed to serve them. The check row compares with a published token count.',
        title="Markets: world inference demand",
        intro=(
            "Tokens per year are weekly AI-assistant users (saturating at the world's internet "
            "users) times tokens per user per day times reasoning and agent multipliers, each "
            "growing at a stated rate from a sourced or labelled base-year range. The fleet "
            f"serves them with {p.model} on {p.accelerator} at {p.utilization:.0%} utilization. "
            f"The band samples every input within its 90% range ({SAMPLES} samples, seed {SEED})."
        ),
        findings=findings,
        tables=[("World token demand and serving fleet", frame)],
        data=p.to_dict(),
    )


def supply_section() -> Section:
    """Most accelerators of each kind buildable in a year, and the limit that binds."""
    import pandas as pd

    from ...industry import export, supply

    rows = [supply.max_buildable(a, SUPPLY_YEAR) for a in ACCELERATORS]
    frame = pd.DataFrame([
        {"accelerator": s.accelerator, "CoWoS limit": s.by_limit["cowos"],
         "HBM limit": s.by_limit["hbm"], "logic limit": s.by_limit["logic"],
         "most per year": s.accelerators_per_year, "binds": s.binding,
         "export class": export.classify(s.accelerator)}
        for s in rows
    ])
    binding = sorted({s.binding for s in rows})
    return Section(
        id="markets-supply",
        how_to_read="For each accelerator, the most units the year's CoWoS, HBM and leading-edge wafer capacity could build if all of it went to that part, and which part runs out first. Export class shows how US rules classify it.",
        title="Markets: accelerators the world's parts can build, and export classes",
        intro=(
            f"Capacity in {SUPPLY_YEAR}: CoWoS interposer wafers, HBM output and leading-edge logic "
            "wafers (published year-end levels, averaged over the year). Each accelerator's "
            "interposer area, memory and compute dies set how many one unit of each capacity "
            "builds, if all of it went to that accelerator. Export classes follow ECCN 3A090 "
            "(total processing performance and performance density, BIS, Oct 2023)."
        ),
        findings=[f"The binding limits in {SUPPLY_YEAR}: {', '.join(binding)}."],
        tables=[(f"Buildable accelerators in {SUPPLY_YEAR}", frame)],
        data={"year": SUPPLY_YEAR, "rows": [s.to_dict() for s in rows]},
    )


def build(ctx) -> list[Section]:
    """The market sections."""
    return [tokens_section(), demand_section(), supply_section()]
