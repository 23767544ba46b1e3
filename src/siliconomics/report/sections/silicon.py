"""Report section "Silicon": what the default accelerator costs to make, with its wafer map."""

from __future__ import annotations

from ..html import Section
from . import _bands

#: Seed of the sampled defect pattern on the wafer map.
SEED = 0


def yield_reconciliation(details: dict) -> str | None:
    """Why the chip's die yield differs from ``siliconomics wafer`` on the same die: the
    wafer command counts only perfect dies, the chip counts the dies sold with some units off
    (harvesting). None when the accelerator has no harvesting.

    >>> print(yield_reconciliation({"die_yield": 0.775, "die_yield_without_harvesting": 0.54,
    ...     "model": "murphy", "compute_die_area_mm2": 814.0, "node": "n4",
    ...     "harvesting": {"units": 144, "required_units": 132, "unit_area_fraction": 0.6}}))
    Die yield 77.5% here against 54.0% from `siliconomics wafer --die-area 814 --node n4` (murphy) on the same die: the wafer command counts perfect dies only, while this accelerator ships with 132 of 144 units working, so a die with defects in up to 12 units (which cover 60% of its area) still sells.
    """
    h = details.get("harvesting")
    plain = details.get("die_yield_without_harvesting")
    if not h or plain is None:
        return None
    return (f"Die yield {details['die_yield']:.1%} here against {plain:.1%} from `siliconomics "
            f"wafer --die-area {details['compute_die_area_mm2']:g} --node {details['node']}` "
            f"({details['model']}) on the same die: the wafer command counts perfect dies only, "
            f"while this accelerator ships with {h['required_units']} of {h['units']} units "
            f"working, so a die with defects in up to {h['units'] - h['required_units']} units "
            f"(which cover {h['unit_area_fraction']:.0%} of its area) still sells.")


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
    band = _bands.run(ctx).get(("chain", "chip_cost_usd"))
    findings = [
        f"One good {c.accelerator} costs about ${c.total:,.0f} to make"
        + (f" ({_bands.text(band, '${:,.0f}')})" if band else "") + "; its memory "
        f"({d['memory_stacks']} x {d['memory']}) is {c.shares()['memory']:.0%} of it and yield "
        f"loss {c.shares()['yield_loss']:.0%}.",
        f"{d['dies_per_wafer']:.1f} compute dies fit on a 300 mm {d['node']} wafer; "
        f"{d['die_yield']:.0%} are sellable ({d['model']} model"
        + (", with harvesting" if d.get("harvesting") else "")
        + f"), so a good die costs ${d['cost_per_good_die_usd']:,.0f}.",
        f"Embodied manufacturing emissions: {c.embodied_kgco2e:,.0f} kgCO2e per accelerator.",
    ]
    reconcile = yield_reconciliation(d)
    if reconcile is not None:
        findings.append(reconcile)
    if c.gross_margin is not None:
        findings.append(f"Against a price of ${c.price_usd:,.0f} the gross margin is {c.gross_margin:.0%}.")
    sweep = silicon.chiplet_sweep(d["compute_die_area_mm2"] * d["compute_dies"], d["node"])
    chiplets = pd.DataFrame(sweep.rows)
    return [Section(
        id="silicon",
        title=f"Silicon: what the {c.accelerator} costs to make",
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
             f"seed {SEED}) red, edge dies grey. Harvesting is not drawn.",
             f"Wafer map: a 300 mm wafer tiled with {d['dies_per_wafer']:.0f} square dies of "
             f"{side:.1f} mm; green dies are good, red dies hold a sampled defect, grey dies "
             "are cut by the wafer's edge."),
            (plots.waterfall_svg(c, c.price_usd), "Bill of materials per good accelerator, with the price.",
             f"Waterfall chart of the cost to make one good {c.accelerator}: "
             + ", ".join(f"{k.replace('_', ' ')} ${v:,.0f}" for k, v in c.items())
             + f", total ${c.total:,.0f}."),
        ],
        tables=[("Bill of materials (USD per good accelerator)", frame),
                ("Monolithic vs chiplets (cost per good package)", chiplets)],
        data=c.summary() | ({"cost_band_usd": band} if band else {}),
        how_to_read=("The waterfall adds up what one sellable accelerator costs to make, "
                     "component by component; the last bar is the total, the dashed line the "
                     "price where it fits on the same scale. Yield loss is what failed dies, "
                     "interposers and packages add. The chiplet table asks whether splitting "
                     "the same silicon into smaller dies would be cheaper."),
    )]
