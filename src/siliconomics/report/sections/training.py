"""Report section "Training": MFU and goodput against cluster size, cost per run by accelerator."""

from __future__ import annotations

from ..html import Section
from . import _bands

#: The report's default training workload.
MODEL, TOKENS = "llama-3.1-70b", 15e12
SIZES = (512, 1024, 2048, 4096, 8192, 16_384, 32_768, 65_536)
RUN_MODEL, RUN_ACCELERATORS = "llama-3.1-405b", 16_384
ACCELERATORS = ("a100-sxm4-80gb", "h100-sxm", "h200", "b200", "mi300x")


def scaling_rows(model=MODEL, accelerator="h100-sxm", sizes=SIZES, seq_len=8192,
                 batch_tokens=16_777_216):
    """Best layout, MFU and goodput at each cluster size (fixed global batch)."""
    from ... import catalog
    from ...workloads import parallelism, reliability

    rate = catalog.assumption("failure-rate-per-accelerator-hour")
    ckpt, restart = catalog.assumption("checkpoint-write-s"), catalog.assumption("restart-s")
    rows = []
    for n in sizes:
        found = parallelism.auto_layout(model, n, accelerator, global_batch=batch_tokens // seq_len,
                                        seq_len=seq_len)
        rel = reliability.optimal_goodput(n, rate, ckpt, restart)
        best = found.best
        rows.append({
            "accelerators": n,
            "layout": str(best.layout) if best else "none fits",
            "mfu": best.mfu if best else float("nan"),
            "goodput": rel["goodput"],
            "effective": (best.mfu if best else float("nan")) * rel["goodput"],
            "interruptions per day": rel["failures_per_day"],
        })
    return rows


def _scaling_plot(rows, model, accelerator) -> str:
    from .. import plots

    plt = plots._pyplot()
    fig, ax = plt.subplots(figsize=(7, 3.2))
    n = [r["accelerators"] for r in rows]
    ax.plot(n, [r["mfu"] for r in rows], "o-", label="MFU (best layout)", color="#3b6bd6")
    ax.plot(n, [r["goodput"] for r in rows], "s-", label="goodput (failures, checkpoints)",
            color="#e6a23c")
    ax.plot(n, [r["effective"] for r in rows], "^-", label="MFU x goodput", color="#e05252")
    ax.set_xscale("log", base=2)
    ax.set_ylim(0, 1)
    ax.set_xlabel(f"{accelerator} accelerators (global batch fixed at 16M tokens)")
    ax.set_ylabel("fraction")
    ax.set_title(f"{model}: efficiency against cluster size", loc="left")
    ax.legend(frameon=False, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return plots.to_svg(fig)


def _cost_plot(runs) -> str:
    from .. import plots

    plt = plots._pyplot()
    fig, ax = plt.subplots(figsize=(7, 0.4 * len(runs) + 1.3))
    names = [r["accelerator"] for r in runs]
    ax.barh(names, [r["cost_usd"] / 1e6 for r in runs], color="#3b6bd6")
    for i, r in enumerate(runs):
        ax.text(r["cost_usd"] / 1e6, i, f"  ${r['cost_usd'] / 1e6:,.0f}M, {r['wall_days']:,.0f} d",
                va="center", fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, max(r["cost_usd"] for r in runs) / 1e6 * 1.35)
    ax.set_xlabel("owned cost of the run, million USD")
    ax.spines[["top", "right"]].set_visible(False)
    return plots.to_svg(fig)


def build(ctx) -> list[Section]:
    import pandas as pd

    from ...workloads import training

    accelerator = ctx.accelerator
    accelerators = (accelerator, *(a for a in ACCELERATORS if a != accelerator))
    ctx.extra.setdefault("models", []).extend([MODEL, RUN_MODEL])
    rows = scaling_rows(accelerator=accelerator)
    site = (ctx.sites or ["us-texas"])[0]
    runs, own_convention = [], ""
    for acc in accelerators:
        r = training.estimate(RUN_MODEL, accelerator=acc, accelerators=RUN_ACCELERATORS, site=site,
                              financing=ctx.financing)
        runs.append({"accelerator": acc, "wall_days": r.wall_days, "accelerator_hours":
                     r.accelerator_hours, "energy_mwh": r.energy_mwh, "cost_usd": r.cost_usd,
                     "tco2e": r.tco2e, "usd_per_accelerator_hour": r.usd_per_accelerator_hour,
                     "mfu": float(r.mfu)})
        own_convention = own_convention or r.energy_convention.label()
    lo_mfu, hi_mfu = min(r["mfu"] for r in runs), max(r["mfu"] for r in runs)
    mfu = f"{lo_mfu:.0%}" if round(lo_mfu, 2) == round(hi_mfu, 2) else f"{lo_mfu:.0%}-{hi_mfu:.0%}"
    best = min(runs, key=lambda r: r["cost_usd"])
    own = runs[0]
    band = _bands.run(ctx)
    cost_band, days_band = band.get(("training", "training_cost_usd")), band.get(
        ("training", "training_days"))
    first, last = rows[0], rows[-1]
    findings = [
        f"With the global batch fixed at 16M tokens, the best layout's MFU for {MODEL} goes from "
        f"{first['mfu']:.0%} on {first['accelerators']:,} to {last['mfu']:.0%} on "
        f"{last['accelerators']:,} accelerators, and goodput from {first['goodput']:.1%} to "
        f"{last['goodput']:.1%} ({last['interruptions per day']:.0f} interruptions a day).",
        f"{RUN_MODEL} (15.6T tokens) on {RUN_ACCELERATORS:,} accelerators, at the MFU predicted "
        f"for each accelerator's best layout ({mfu}), costs "
        f"from ${best['cost_usd'] / 1e6:,.0f}M ({best['accelerator']}) to "
        f"${max(r['cost_usd'] for r in runs) / 1e6:,.0f}M to own at {site}.",
        f"On {accelerator} the run takes {own['wall_days']:,.0f} days and costs "
        f"${own['cost_usd'] / 1e6:,.0f}M"
        + (f" (Monte Carlo over the catalog ranges: {_bands.text(cost_band, '${:,.0f}M', 1e-6)}"
           f" and {days_band['p5']:,.0f} to {days_band['p95']:,.0f} days)"
           if cost_band and days_band else "")
        + ".",
    ]
    return [Section(
        id="training",
        title=(f"Training: efficiency at scale on {accelerator}, and a run's cost on "
               f"{len(accelerators)} kinds of accelerator"),
        intro=(
            "Step time is compute at an achievable efficiency plus the pipeline bubble, tensor- "
            "and expert-parallel collectives, pipeline sends and the exposed data-parallel "
            "reduction; the layout search keeps the fastest layout that fits in HBM. Goodput "
            "counts checkpoints, restarts and lost work at Daly's optimal interval for a failure "
            "rate calibrated on Llama 3's 419 unexpected interruptions in 54 days on 16,384 "
            "H100. Run costs use the owned cost per accelerator-hour from the TCO model."
        ),
        findings=findings,
        figures=[
            (_scaling_plot(rows, MODEL, accelerator),
             "MFU of the best layout, goodput and their product against cluster size.",
             f"Line chart, log-2 horizontal axis from {first['accelerators']:,} to "
             f"{last['accelerators']:,} {accelerator}: MFU of the best layout falls from "
             f"{first['mfu']:.0%} to {last['mfu']:.0%}, goodput from {first['goodput']:.1%} to "
             f"{last['goodput']:.1%}, and their product below both."),
            (_cost_plot(runs), f"Owned cost and wall time of {RUN_MODEL} by accelerator.",
             f"Horizontal bars of the owned cost of the {RUN_MODEL} run, in million USD: "
             + ", ".join(f"{r['accelerator']} ${r['cost_usd'] / 1e6:,.0f}M" for r in runs)
             + "."),
        ],
        tables=[("Efficiency against cluster size", pd.DataFrame(rows)),
                ("Cost of a run by accelerator", pd.DataFrame(runs))],
        data={"scaling": rows, "runs": runs}
        | ({"run_cost_band_usd": cost_band, "run_days_band": days_band} if cost_band else {}),
        how_to_read=("The line chart shows why big clusters are less efficient: MFU (blue) "
                     "falls as collectives and the pipeline bubble grow, goodput (orange) falls "
                     "as failures become more frequent; red is what is left. The bars compare "
                     "the same run on each accelerator at the report's site; the first row of "
                     "the run table is the report's own accelerator, its energy counted as "
                     f"{own_convention}."),
    )]
