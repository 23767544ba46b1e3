"""Report section "Industry": foundries a node can fund, labs a frontier run can fund."""

from __future__ import annotations

from ..html import Section

#: Monte Carlo samples and seed of the labs band in the report.
SAMPLES, SEED = 2000, 0


def foundries_section() -> Section:
    """Predicted vs historical leading-edge foundries by node, with the held-out error."""
    import pandas as pd

    from ...industry import foundries
    from .. import plots_industry

    bt = foundries.backtest()
    held = bt.errors("held_out")
    fit = bt.errors("calibration")
    frame = pd.DataFrame([
        {
            "node": r["name"],
            "year": r["year"],
            "predicted firms": r["viable_firms"],
            "historical firms": r["historical_firms"],
            "held out": "yes" if r["held_out"] else "",
            "fixed cost B USD": r["fixed_cost_usd"] / 1e9,
            "revenue pool B USD/yr": r["revenue_pool_usd"] / 1e9,
            "wafer price USD": r["wafer_price_usd"],
            "break-even wafers/month": r["breakeven_wafers_per_month"],
        }
        for r in bt.rows
    ])
    first, last = bt.rows[0], bt.rows[-1]
    findings = [
        "Held-out nodes, predicted minus historical firms: "
        + ", ".join(f"{k} {v:+d}" for k, v in held.items())
        + "; calibration nodes: " + ", ".join(f"{k} {v:+d}" for k, v in fit.items()) + ".",
        f"The fixed cost of a leading-edge node rose from ${first['fixed_cost_usd'] / 1e9:.1f}B "
        f"({first['name']}, {first['year']}) to ${last['fixed_cost_usd'] / 1e9:.0f}B ({last['name']}, "
        f"{last['year']}) while world semiconductor sales rose "
        f"{last['market_revenue_usd_per_year'] / first['market_revenue_usd_per_year']:.1f}-fold; "
        f"the model leaves room for {last['viable_firms']} firm(s) at {last['name']}.",
    ]
    return Section(
        id="industry-foundries",
        title="Industry: how many foundries can fund a node",
        intro=(
            "Each node's fixed cost (process development plus one fab at minimum efficient scale) "
            "is annualised and set against the leading-edge share of world semiconductor sales. A "
            "volume leader with a Wright's-law cost advantage takes a larger share and leaves the "
            "followers a thinner margin. Development is shared within each era's alliance and "
            "130 nm ran on 200 mm lines. The two fitted parameters, the leading-edge share of "
            f"2010 ({bt.addressable_share:.3f}) and its drift ({bt.share_growth:+.3f} a year), "
            f"are calibrated on every node with a historical count except "
            f"{', '.join(bt.held_out)}, which test it."
        ),
        findings=findings,
        figures=[(plots_industry.foundries_vs_history(bt.rows),
                  "Viable leading-edge logic firms by node: model (bars; held-out nodes in orange) "
                  "and history (points, with the range of counts where sources differ).",
                  "Bar chart of the number of leading-edge logic firms each node can fund, "
                  f"from {first['name']} to {last['name']}, with the historical count as a point "
                  "above each bar; held-out nodes in orange.")],
        tables=[("Foundries per node", frame)],
        data=bt.to_dict(),
        how_to_read=("Compare each bar (the model) with its point (history): a bar on its point "
                     "is a node the model gets right. Orange bars were not used to fit the "
                     "model's one parameter, so they are its test. The table shows why the count "
                     "falls: fixed cost rises faster than the revenue that pays for it."),
    )


def labs_section(scenario=None) -> Section:
    """Labs able to fund a frontier run, 2025-2035, with a Monte Carlo band."""
    import pandas as pd

    from ...scenario.models import labs_projection
    from .. import plots_industry

    proj = labs_projection(range(2025, 2036), samples=SAMPLES, seed=SEED, scenario=scenario)
    frame = pd.DataFrame([
        {
            "year": r["year"],
            "run cost B USD": r["run_cost_usd"] / 1e9,
            "revenue pool B USD": r["revenue_pool_usd"] / 1e9,
            "revenue needed per lab B USD": r["required_revenue_usd"] / 1e9,
            "labs (equal shares)": r["viable_labs"],
            "labs (with leader)": r["viable_labs_with_leader"],
            "labs 5%": r["band"]["viable_labs"]["p5"],
            "labs 95%": r["band"]["viable_labs"]["p95"],
            "cluster capex / revenue": r["capex_share_of_revenue"],
        }
        for r in proj.rows
    ])
    last_viable = [r["year"] for r in proj.rows if r["viable_labs"] >= 1]
    end = proj.rows[-1]
    findings = [
        (f"On the central inputs the last year in which at least one lab can fund a frontier run "
         f"from its own revenue is {last_viable[-1]}." if last_viable else
         "On the central inputs no lab can fund a frontier run from its own revenue.")
        + f" In {end['year']} a run on the compute trend "
        f"({proj.parameters['compute_growth_per_year']:g}x a year) would cost "
        f"${end['run_cost_usd'] / 1e9:,.0f}B against a revenue "
        f"pool of ${end['revenue_pool_usd'] / 1e9:,.0f}B; the 90% band of labs able to fund it is "
        f"{end['band']['viable_labs']['p5']:.0f} to {end['band']['viable_labs']['p95']:.0f}.",
        f"Funding its next run within {proj.parameters['payback_years']:g} year(s) needs a cluster "
        f"costing {proj.rows[0]['capex_share_of_revenue']:.1f} times the lab's required revenue.",
    ]
    return Section(
        id="industry-labs",
        title="Industry: how many labs can fund a frontier run",
        intro=(
            f"The largest training run costs its compute (growing "
            f"{proj.parameters['compute_growth_per_year']:g}x a year from GPT-4's) times the "
            "training model's cost of a FLOP on the hardware of the year before, calibrated on "
            "GPT-4's published cost (Cottier et al., 2024); frontier labs' revenue starts at "
            f"${proj.parameters['revenue_pool_usd'] / 1e9:g}B in 2025 and grows "
            f"{proj.parameters['revenue_growth_per_year']:g}x in the first year, its excess growth "
            f"decaying by {proj.parameters['revenue_growth_persistence']:g} a year. A lab funds a "
            "run from revenue net of serving and other costs within the payback period. The band "
            f"samples every uncertain input within its catalog 90% range ({SAMPLES} samples, "
            f"seed {SEED})."
        ),
        findings=findings,
        figures=[(plots_industry.labs_band(proj.rows),
                  "Labs able to fund a frontier run by year, with the 5-95% Monte Carlo band.",
                  "Line chart of the number of labs able to fund a frontier run each year from "
                  f"{proj.rows[0]['year']} to {end['year']}, with a shaded 5-95% band.")],
        tables=[("Frontier labs by year", frame)],
        data=proj.to_dict(),
        how_to_read=("The line is the count on central inputs, the shaded band where 90% of "
                     "the Monte Carlo samples fall. The year the line reaches zero is when no "
                     "lab can pay for the next run from its own revenue; the band's width says "
                     "how firmly the inputs pin that year down."),
    )


def build(ctx) -> list[Section]:
    """Both industry sections; a scenario path in ``ctx.extra["labs_scenario"]`` is used."""
    return [foundries_section(), labs_section(ctx.extra.get("labs_scenario"))]
