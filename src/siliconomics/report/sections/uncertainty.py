"""Report section "Uncertainty": output distributions and what drives them.

When the report is about a scenario (``ctx.scenario``: a path to a scenario file or a
:class:`~siliconomics.scenario.Scenario`), its Monte Carlo run. Otherwise the headline
figures' 90% bands over every catalog range (:mod:`._bands`) with their histograms and a
tornado of the cost of an accelerator-hour. Histograms come from the streaming quantile sketch
of a Monte Carlo run; the tornado chart moves each input from its 5th to its 95th percentile
with the others at their medians.
"""

from __future__ import annotations

from ...format import number
from ..html import Section
from . import _bands

#: Most samples the report runs (the scenario's own count when smaller).
MAX_SAMPLES = 200_000
#: Inputs shown in the tornado chart.
TORNADO_ROWS = 12


def _scenario(obj):
    from ...scenario import Scenario

    return obj if isinstance(obj, Scenario) else Scenario.from_file(obj)


def histogram_svg(agg, name: str) -> str:
    """Histogram of one output from its sketch, with p5/p50/p95 marked."""
    from .. import plots

    plt = plots._pyplot()
    edges, counts = agg.sketch.histogram(40)
    s = agg.summary()
    fig, ax = plt.subplots(figsize=(6.0, 2.4))
    ax.bar(edges[:-1], counts / max(counts.sum(), 1), width=edges[1] - edges[0], align="edge",
           color="#3b6bd6", alpha=0.8)
    for key, style in (("p5", ":"), ("p50", "-"), ("p95", ":")):
        ax.axvline(s[key], color="#333333", linestyle=style, linewidth=1)
        ax.annotate(key, (s[key], ax.get_ylim()[1] * 0.92), fontsize=7, ha="left")
    ax.set_xlabel(name)
    ax.set_ylabel("share of samples")
    ax.spines[["top", "right"]].set_visible(False)
    return plots.to_svg(fig)


def tornado_svg(result) -> str:
    """Horizontal bars from the output at each input's 5th to its 95th percentile."""
    from .. import plots

    plt = plots._pyplot()
    rows = result.rows[:TORNADO_ROWS][::-1]
    fig, ax = plt.subplots(figsize=(6.5, 0.3 * len(rows) + 0.8))
    for i, r in enumerate(rows):
        lo, hi = r["output_at_low"], r["output_at_high"]
        ax.barh(i, lo - result.base, left=result.base, color="#67c23a", height=0.6)
        ax.barh(i, hi - result.base, left=result.base, color="#e05252", height=0.6)
    ax.axvline(result.base, color="#333333", linewidth=1)
    ax.set_yticks(range(len(rows)), [r["input"] for r in rows], fontsize=7)
    ax.set_xlabel(f"{result.output} (green: input at p5, red: at p95)")
    ax.spines[["top", "right"]].set_visible(False)
    return plots.to_svg(fig)


_HOW_TO_READ = ("Each histogram shows how often each value came up when every uncertain "
                "input was drawn from its range: the solid line is the median, the dotted "
                "lines the 5th and 95th percentiles, so 90% of the samples lie between them. "
                "In the tornado, the longest bars are the inputs worth pinning down first: "
                "green is the output with that input at its 5th percentile, red at its 95th.")


def catalog_section(ctx) -> Section:
    """The default report's uncertainty: the headline figures' 90% bands over the catalog
    ranges, a histogram of each, and a tornado of the cost of an accelerator-hour."""
    from ...uncertainty import sensitivity

    site = ctx.tco_results[0].site if ctx.tco_results else None
    bands = _bands.run(ctx, site)
    tco, result = bands["runs"]["tco"]
    name = "usd_per_accelerator_hour"
    figures = [(histogram_svg(result.metrics[name], "USD per accelerator-hour"),
                f"Distribution of the cost of an accelerator-hour ({tco.name}) over "
                f"{result.metrics[name].count:,} samples (dotted: 5th and 95th percentiles; "
                "solid: median).",
                f"Histogram of the cost of one {ctx.accelerator} hour over the catalog ranges: "
                f"median ${bands[('tco', name)]['p50']:.2f}, 90% of samples between "
                f"${bands[('tco', name)]['p5']:.2f} and ${bands[('tco', name)]['p95']:.2f}.")]
    tor = sensitivity.tornado(tco.plan())
    figures.append((tornado_svg(tor), f"Tornado: {tor.output} with each input at its 5th and "
                    "95th percentile, the others at their medians.",
                    "Tornado chart of the cost of an accelerator-hour: "
                    + "; ".join(f"{r['input']} moves it from {r['output_at_low']:.3g} to "
                                f"{r['output_at_high']:.3g}" for r in tor.rows[:5]) + "."))
    table = _bands.frame(bands)
    top = tor.rows[:3]
    findings = [f"{r['figure'][0].upper()}{r['figure'][1:]}: median "
                f"{number(r['median'])}{'' if r['unit'] == '%' else ' '}{r['unit']}, 90% band "
                f"{number(r['5%'])} to {number(r['95%'])}."
                for r in table.to_dict("records")]
    findings.append("The cost of an accelerator-hour is most sensitive to " + ", ".join(
        f"{r['input']} (swing {r['swing']:.3g} USD/h)" for r in top) + ".")
    return Section(
        id="uncertainty",
        title=f"Uncertainty: the headline figures over the catalog ranges ({ctx.accelerator})",
        intro=("No scenario was given, so every catalog value with a 90% range (its low and "
               "high) is sampled over that range: a Monte Carlo of "
               f"{bands['samples']:,} samples (seed {bands['seed']}) per run, through the same "
               "formulas as the point estimates above. Pass a scenario file to `siliconomics "
               "report` for your own distributions."),
        findings=findings,
        figures=figures,
        tables=[("90% bands of the headline figures", table)],
        data={"bands": table.to_dict("records"), "tornado": tor.to_dict(),
              "samples": bands["samples"], "seed": bands["seed"]},
        how_to_read=_HOW_TO_READ,
    )


def build(ctx) -> list[Section]:
    """The scenario's uncertainty section, or the catalog bands when the report has none."""
    if ctx.scenario is None:
        return [catalog_section(ctx)]
    import pandas as pd

    from ...uncertainty import sensitivity

    sc = _scenario(ctx.scenario)
    samples = min(sc.samples, MAX_SAMPLES)
    result = sc.run(samples=samples)
    plan = sc.plan(samples=samples)
    figures = [(histogram_svg(agg, name), f"Distribution of {name} over {agg.count:,} samples "
                "(dotted: 5th and 95th percentiles; solid: median).",
                f"Histogram of {name}: median {agg.summary()['p50']:.4g}, 90% of samples "
                f"between {agg.summary()['p5']:.4g} and {agg.summary()['p95']:.4g}.")
               for name, agg in result.metrics.items()]
    frame = pd.DataFrame([{"metric": name, **{k: v for k, v in agg.summary().items()
                                              if k in ("mean", "std", "p5", "p50", "p95")}}
                          for name, agg in result.metrics.items()])
    findings = []
    data = {"scenario": sc.name, "run": result.to_dict()}
    if plan.names:
        tor = sensitivity.tornado(plan)
        figures.append((tornado_svg(tor), f"Tornado: {tor.output} with each input at its 5th and "
                        "95th percentile, the others at their medians.",
                        f"Tornado chart of {tor.output}: " + "; ".join(
                            f"{r['input']} moves it from {r['output_at_low']:.3g} to "
                            f"{r['output_at_high']:.3g}" for r in tor.rows[:5]) + "."))
        top = tor.rows[:3]
        findings.append(f"{tor.output} is most sensitive to " + ", ".join(
            f"{r['input']} (swing {r['swing']:.3g})" for r in top) + ".")
        data["tornado"] = tor.to_dict()
    first = next(iter(result.metrics))
    s = result.metrics[first].summary()
    findings.insert(0, f"{first}: median {s['p50']:.4g}, 90% interval {s['p5']:.4g} to "
                       f"{s['p95']:.4g} ({samples:,} samples, seed {sc.seed}).")
    inputs = pd.DataFrame([{"input": k, "distribution": v} for k, v in result.inputs.items()])
    return [Section(
        id="uncertainty",
        title=f"Uncertainty: {sc.name}",
        intro=("Monte Carlo over the scenario's distributions"
               + (" and every catalog range (90% intervals)" if sc.uncertainty == "catalog" else "")
               + ". Percentiles come from a streaming sketch accurate to "
               f"{result.metrics[first].alpha:.1%} relative."),
        findings=findings,
        figures=figures,
        tables=[("Output distributions", frame), ("Sampled inputs", inputs)],
        data=data,
        how_to_read=_HOW_TO_READ,
    )]
