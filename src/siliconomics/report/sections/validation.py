"""Report section "How far to trust these numbers": the models against published figures.

Every validation case (:mod:`siliconomics.validation`, what ``siliconomics validate`` runs) is
computed from the default catalog when the report is built: each area's held-out cases, how
many land within their tolerance and the typical error, then the cases about the report's own
accelerator with their published and computed figures, and the known misses among them with
their reasons. Calibration cases (the figures a parameter was fitted to) are left out.
"""

from __future__ import annotations

import re
import statistics

from ..html import Section

_HOW_TO_READ = ("The first table is the record of each model: of the published figures it "
                "was never fitted to, how many it reproduces within the tolerance the source's "
                "precision allows, and its median and largest error. The second lists the "
                "cases about this report's accelerator. A 'known miss' is a published figure "
                "the model does not reproduce today, kept in the suite with its reason; read "
                "those before leaning on the matching figure in this report.")


def _mentions(case, names: list[str]) -> bool:
    """Whether a case is about one of ``names`` (an accelerator's slug and aliases)."""
    text = f"{case.id} {case.description}".lower()
    return any(re.search(rf"(?<![a-z0-9]){re.escape(n)}(?![a-z0-9])", text) for n in names)


#: Most distinct known-miss explanations the findings quote.
MAX_KNOWN_MISS_REASONS = 3


def _known_misses(outcomes) -> list[str]:
    """One finding per distinct known-miss reason among ``outcomes``, the reasons shared by the
    most cases first (up to :data:`MAX_KNOWN_MISS_REASONS`): the cases a reason covers are
    counted and their errors given as a range, so a reason shared by many rows of one table
    is read once."""
    from ... import validation

    groups = validation.known_misses_by_reason(outcomes)
    out = []
    for reason, group in sorted(groups.items(), key=lambda g: -len(g[1]))[:MAX_KNOWN_MISS_REASONS]:
        if len(group) == 1:
            (o,) = group
            out.append(f"Known miss ({o.case.id}, {o.error:+.0%}): {reason}")
            continue
        lo, hi = min(o.error for o in group), max(o.error for o in group)
        worst = max(group, key=lambda o: abs(o.error))
        out.append(f"Known misses ({len(group)} cases, {lo:+.0%} to {hi:+.0%}; the largest "
                   f"{worst.case.id}): {reason}")
    return out


def build(ctx) -> list[Section]:
    import pandas as pd

    from ... import catalog, validation

    outcomes = [validation.evaluate(c) for c in validation.cases() if not c.calibration]
    areas = [{"area": a["area"], "published figures": a["cases"],
              "within tolerance": a["passed"], "known misses": a["known_misses"],
              "median error": a["median_abs_error"], "largest error": a["max_abs_error"]}
             for a in validation.summarize(outcomes)]
    acc = catalog.accelerator(ctx.accelerator)
    names = [acc.slug, *acc.aliases]
    mine = [o for o in outcomes if _mentions(o.case, names)]
    rows = [{"case": o.case.description, "published": o.case.published,
             "computed": o.computed, "unit": o.case.unit, "error": o.error,
             "tolerance": o.case.tolerance,
             "result": "within" if o.passed else "known miss" if o.case.known_miss else "miss",
             "source": o.case.source} for o in mine]
    held = len(outcomes)
    within = sum(o.passed for o in outcomes)
    findings = [f"{within} of {held} published figures the models were not fitted to are "
                "reproduced within their tolerance; "
                + "; ".join(f"{a['area']} {a['within tolerance']} of {a['published figures']} "
                            f"(median error {a['median error']:.0%})" for a in areas) + "."]
    if mine:
        ok = sum(o.passed for o in mine)
        findings.append(f"{acc.name}: {ok} of {len(mine)} cases within tolerance, median error "
                        f"{statistics.median(abs(o.error) for o in mine):.0%}.")
        findings += _known_misses(mine)
    else:
        findings.append(f"No published figure about {acc.name} is in the validation suite: its "
                        "figures here rest on the models as checked on other accelerators.")
    tables = [("Each model against published figures it was not fitted to (calibration cases "
               "left out)", pd.DataFrame(areas))]
    if rows:
        tables.append((f"The cases about {acc.name}", pd.DataFrame(rows)))
    return [Section(
        id="validation",
        title="How far to trust these numbers",
        intro=("Each model in this report was run against published figures it was never "
               "fitted to (training runs, measured serving benchmarks, energy, chip costs), "
               "set up as each source states; this is 'siliconomics validate' run when the "
               "report was built."),
        findings=findings, tables=tables,
        data={"areas": areas, "cases": rows},
        how_to_read=_HOW_TO_READ)]
