"""Comparison section: two scenarios on common random numbers (``report A.toml --compare B``).

The section shows, for each metric, the distributions under A and B overlaid and the
distribution of the paired difference A - B with its 5/50/95% quantiles, plus a table of the
means, the difference's quantiles and the probability that A is lower (cheaper). The samples
come from :func:`siliconomics.scenario.compare.compare`, the function behind ``compare``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..html import Section

#: Samples per scenario in the report (the files' own counts when smaller).
SAMPLES = 20_000


def build(ctx) -> list[Section]:
    if ctx.scenario is None or ctx.extra.get("compare") is None:
        return []
    from ... import format as fmt
    from ...scenario import Scenario
    from ...scenario.compare import compare, labels
    from ..plots import paired_comparison_svg

    a = ctx.scenario if isinstance(ctx.scenario, Scenario) else Scenario.from_file(ctx.scenario)
    b = ctx.extra["compare"]
    b = b if isinstance(b, Scenario) else Scenario.from_file(b)
    n = min(SAMPLES, a.samples, b.samples)
    paired, sa, sb = compare(a, b, samples=n)
    label_a, label_b = labels(sa.name, sb.name)
    rows, figures = [], []
    for metric in paired.metrics:
        s = paired.summary(metric)
        unit = fmt.unit_of_metric(metric)
        q = s["difference_quantiles"]
        rows.append({"metric": metric, f"mean {label_a}": s["mean_a"],
                     f"mean {label_b}": s["mean_b"], "A - B p5": q["p5"], "A - B p50": q["p50"],
                     "A - B p95": q["p95"], "P(A lower)": s["p_a_lower"]})
        overlay, difference = paired_comparison_svg(paired.a[metric], paired.b[metric],
                                                    label_a=label_a, label_b=label_b,
                                                    metric=metric, unit=unit)
        figures.append((overlay, f"{metric}: {label_a} and {label_b} overlaid ({n:,} paired "
                        "samples).", f"Two overlaid histograms of {metric}, one per scenario."))
        figures.append((difference, f"{metric}: the paired difference A - B, with its 5th, 50th "
                        "and 95th percentiles.", f"Histogram of the difference in {metric} "
                        f"between {label_a} and {label_b}, sample by sample."))
    first = rows[0]
    return [Section(
        id="comparison",
        title=f"Comparison: {label_a} against {label_b}",
        intro=(f"Both scenarios are sampled on common random numbers ({n:,} samples each): "
               "inputs they share take the same draws, so the difference carries only what "
               f"differs between them ({', '.join(paired.shared) or 'no shared inputs'})."),
        findings=[f"{first['metric']}: {label_a} is lower in {first['P(A lower)']:.1%} of "
                  f"samples; A - B has median {first['A - B p50']:.4g} (90% of samples "
                  f"between {first['A - B p5']:.4g} and {first['A - B p95']:.4g})."],
        figures=figures,
        tables=[("Paired difference A - B by metric", pd.DataFrame(rows))],
        data={"a": str(getattr(a, "path", "")), "b": str(getattr(b, "path", "")),
              **paired.to_dict()},
        how_to_read=("The overlaid histograms show each scenario's spread; the difference "
                     "histogram is what decides between them: where it lies wholly below zero, "
                     "A is lower whatever the shared uncertainties turn out to be. P(A lower) "
                     "is the share of paired samples in which A is lower."),
    )]
