"""Report section "Silicon": what the default accelerator costs to make, with its wafer map."""

from __future__ import annotations

from ..html import Section

#: Seed of the sampled defect pattern on the wafer map.
SEED = 0


def build(ctx) -> list[Section]:
    """The Silicon section for ``ctx.accelerator``."""
    import numpy as np
    import pandas as pd

    from ... import silicon
    from .. import plots

    c = silicon.chip_cost(ctx.accelerator)
    d = c.details
    side = float(np.sqrt(d["compute_die_area_mm2"]))
    d0 = d["inputs"]["node.defect_density_per_cm2"]["value"]
    frame = pd.DataFrame([{"component": k.replace("_", " "), "USD": v, "share": c.shares()[k]}
                          for k, v in c.items()])
    findings = [
        f"One good {c.accelerator} costs about ${c.total:,.0f} to make; its memory "
        f"({d['memory_stacks']} x {d['memory']}) is {c.shares()['memory']:.0%} of it and yield "
        f"loss {c.shares()['yield_loss']:.0%}.",
        f"{d['dies_per_wafer']:.1f} compute dies fit on a 300 mm {d['node']} wafer; "
        f"{d['die_yield']:.0%} are sellable ({d['model']} model"
        + (", with harvesting" if d.get("harvesting") else "")
        + f"), so a good die costs ${d['cost_per_good_die_usd']:,.0f}.",
        f"Embodied manufacturing emissions: {c.embodied_kgco2e:,.0f} kgCO2e per accelerator.",
    ]
    if c.gross_margin is not None:
        findings.append(f"Against a price of ${c.price_usd:,.0f} the gross margin is {c.gross_margin:.0%}.")
    sweep = silicon.chiplet_sweep(d["compute_die_area_mm2"] * d["compute_dies"], d["node"])
    chiplets = pd.DataFrame(sweep.rows)
    return [Section(
        id="silicon",
        title="Silicon: what the accelerator costs to make",
        intro=(
            "Dies per wafer, die yield (with harvesting of partly defective dies), the interposer "
            "made as its own die, HBM priced per GB, substrate, assembly and test; a package "
            "that fails final test scraps everything inside. Wafer prices, defect densities and "
            "packaging costs come from the nodes, memory and packaging catalogs with their sources."
        ),
        findings=findings,
        figures=[
            (plots.wafer_map_svg(side, side, d0, seed=SEED),
             f"Wafer map of a {side:.1f} mm square die (the {c.accelerator}'s {d['compute_die_area_mm2']:g} "
             f"mm^2) on {d['node']}: good dies green, dies hit by a sampled defect (D0 {d0:g}/cm^2, "
             f"seed {SEED}) red, edge dies grey. Harvesting is not drawn."),
            (plots.waterfall_svg(c, c.price_usd), "Bill of materials per good accelerator, with the price."),
        ],
        tables=[("Bill of materials (USD per good accelerator)", frame),
                ("Monolithic vs chiplets (cost per good package)", chiplets)],
        data=c.summary(),
    )]
