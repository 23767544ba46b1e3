"""Report section "Serving": the throughput-interactivity frontier and $ per million tokens
against utilization, for the default model on two or three accelerators."""

from __future__ import annotations

import numpy as np

from ..html import Section
from . import _bands

MODEL = "llama-3.1-70b"
ACCELERATORS = ("h100-sxm", "h200", "b200")
PROMPT, OUTPUT = 2048, 256
SLO_TPOT_S, SLO_TTFT_S = 0.05, 2.0
UTILIZATIONS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


def pareto(points: list[dict]) -> list[dict]:
    """Points not beaten on both tokens/s per user and tokens/s per accelerator."""
    pts = sorted(points, key=lambda p: -p["tokens_per_s_per_user"])
    out, best = [], -1.0
    for p in pts:
        if p["output_tokens_per_s_per_accelerator"] > best:
            out.append(p)
            best = p["output_tokens_per_s_per_accelerator"]
    return out


def _frontiers(accelerators, site):
    from ...workloads import serving

    fronts = {}
    for acc in accelerators:
        pts = []
        for tp in serving.tp_options(acc, MODEL):
            d = serving.Deployment.create(MODEL, acc, tp=tp, precision="fp8")
            if d.memory_plan(PROMPT + OUTPUT).fits:
                pts.extend(d.frontier(PROMPT, OUTPUT))
        fronts[acc] = pareto(pts)
    return fronts


def _cost_curves(accelerators, site, financing):
    from ...workloads import serving

    curves, choices = {}, {}
    for acc in accelerators:
        c = serving.best_under_slo(MODEL, acc, prompt_tokens=PROMPT, output_tokens=OUTPUT,
                                     slo_tpot_s=SLO_TPOT_S, slo_ttft_s=SLO_TTFT_S)
        choices[acc] = c
        ys = []
        for u in UTILIZATIONS:
            rate = serving.accelerator_hour_usd(acc, site=site, financing=financing,
                                                  utilization=u)
            cost = serving.token_costs(c.performance, rate, prompt_tokens=PROMPT,
                                         output_tokens=OUTPUT)
            ys.append(float(cost["usd_per_million_output_tokens"]))
        curves[acc] = ys
    return curves, choices


def _plot_frontier(fronts) -> str:
    from .. import plots

    plt = plots._pyplot()
    fig, ax = plt.subplots(figsize=(7, 4))
    for acc, pts in fronts.items():
        ax.plot([p["tokens_per_s_per_user"] for p in pts],
                [p["output_tokens_per_s_per_accelerator"] for p in pts], marker="o", ms=3,
                label=acc)
    ax.axvline(1 / SLO_TPOT_S, color="grey", ls=":", lw=1)
    ax.text(1 / SLO_TPOT_S, ax.get_ylim()[1] * 0.95, f" TPOT {SLO_TPOT_S * 1000:.0f} ms",
            fontsize=8, color="grey")
    ax.set_xscale("log")
    ax.set_xlabel("output tokens/s per user (interactivity)")
    ax.set_ylabel("output tokens/s per accelerator")
    ax.legend(frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return plots.to_svg(fig)


def _plot_cost(curves) -> str:
    from .. import plots

    plt = plots._pyplot()
    fig, ax = plt.subplots(figsize=(7, 4))
    for acc, ys in curves.items():
        ax.plot(UTILIZATIONS, ys, marker="o", ms=3, label=acc)
    ax.set_yscale("log")
    ax.set_xlabel("realized utilization")
    ax.set_ylabel("USD per million output tokens")
    ax.legend(frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return plots.to_svg(fig)


def build(ctx) -> list[Section]:
    """The serving section for the report's first site and financing."""
    import pandas as pd

    site = (ctx.sites or ["us-texas"])[0]
    accelerators = (ctx.accelerator, *(a for a in ACCELERATORS if a != ctx.accelerator))
    fronts = _frontiers(accelerators, site)
    curves, choices = _cost_curves(accelerators, site, ctx.financing)
    rows = []
    for acc, c in choices.items():
        p = c.performance
        rows.append({
            "accelerator": acc, "tp": c.deployment.tp, "batch": c.batch,
            "TTFT ms": float(p["ttft_s"]) * 1000, "TPOT ms": float(p["tpot_s"]) * 1000,
            "out tok/s per accelerator": float(p["output_tokens_per_s_per_accelerator"]),
            "$/M output, full load": curves[acc][-1],
            "$/M output, 30% load": curves[acc][UTILIZATIONS.index(0.3)],
        })
    frame = pd.DataFrame(rows)
    from ...validation import serving as vs

    checks = vs.comparison()
    vframe = pd.DataFrame([
        {"point": r["id"], "published tok/s": r["published"], "model tok/s": r["model"],
         "error": f"{r['error']:+.0%}", "validation case": "yes" if r["case"] else "no",
         "note": r["note"]}
        for r in checks
    ])
    cheapest = min(rows, key=lambda r: r["$/M output, full load"])
    errors = [abs(r["error"]) for r in checks if r["case"]]
    own = rows[0]
    band = _bands.run(ctx).get(("chain", "usd_per_million_output_tokens"))
    findings = [
        f"Under a {SLO_TPOT_S * 1000:.0f} ms TPOT and {SLO_TTFT_S:g} s TTFT target, {MODEL} "
        f"({PROMPT} in / {OUTPUT} out, FP8) is cheapest on {cheapest['accelerator']}: "
        f"${cheapest['$/M output, full load']:.3f} per million output tokens at full load.",
        f"At 30% utilization the same tokens cost "
        f"{cheapest['$/M output, 30% load'] / cheapest['$/M output, full load']:.1f}x as much: "
        "capital is paid for idle hours too, so calculators that assume full load understate "
        "what a provider pays.",
        f"Against {len(errors)} published measured throughputs the default catalog's median "
        f"absolute error is {float(np.median(errors)):.0%} (largest {max(errors):.0%}).",
        f"On {own['accelerator']} at full load: ${own['$/M output, full load']:.3f} per million "
        "output tokens"
        + (f" (Monte Carlo over the catalog ranges: {_bands.text(band, '${:.3f}')})"
           if band else "") + ".",
    ]
    return [Section(
        id="serving",
        title=f"Serving {MODEL}: throughput, latency and cost per token on "
              + ", ".join(accelerators),
        intro=(
            "Each accelerator serves the model in replicas of 1 to 8 accelerators (tensor "
            "parallel). Decode steps read every weight once per batch and each sequence's KV "
            "cache, so batching buys throughput per accelerator at the cost of each user's "
            "speed; prefills of new requests, batched in chunks, interrupt decoding. "
            "Efficiencies are the catalog's serving_efficiency terms (fitted to measured "
            "kernel timings for NVIDIA GPUs); costs are owned TCO at "
            f"{site} with {ctx.financing} financing."
        ),
        findings=findings,
        figures=[
            (_plot_frontier(fronts), "Throughput-interactivity frontier (best of tensor "
             "parallelism 1-8 at each point), FP8 weights and KV cache.",
             f"Line chart, one line per accelerator ({', '.join(accelerators)}): output tokens "
             "per second per accelerator falls as tokens per second per user rises (log "
             f"horizontal axis); a dotted line marks the {SLO_TPOT_S * 1000:.0f} ms TPOT target."),
            (_plot_cost(curves), "USD per million output tokens against realized utilization, at "
             "the best configuration under the latency target.",
             "Line chart on a log vertical axis, one line per accelerator: USD per million "
             "output tokens falls as utilization rises from 10% to 100%; at full load "
             + ", ".join(f"{a} ${c[-1]:.3f}" for a, c in curves.items()) + "."),
        ],
        tables=[("Best configuration under the latency target", frame),
                ("Published measured serving throughputs (TensorRT-LLM, SGLang, DeepSeek, "
                 "AMD vLLM on MI300X, Intel Gaudi 3) against the model, default catalog; misses "
                 "stay listed", vframe)],
        data={"model": MODEL, "frontiers": fronts, "usd_per_million_output_by_utilization":
              {"utilization": list(UTILIZATIONS)} | curves, "best": rows,
              "validation": checks} | ({"own_band_usd_per_million_output": band}
                                       if band else {}),
        how_to_read=("On the frontier, up and to the right is better: each line trades each "
                     "user's speed (right) for the accelerator's throughput (up); points left of "
                     "the dotted line miss the latency target. The cost chart shows how idle "
                     "capacity raises the price of a token; the first row of the table is the "
                     "report's own accelerator."),
    )]
