"""Plots of the industry section: foundries per node, labs per year (inline SVG)."""

from __future__ import annotations

from .plots import _pyplot, to_svg


def foundries_vs_history(rows: list[dict]) -> str:
    """Predicted viable firms per node (bars) against the historical count (points with range)."""
    import numpy as np

    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(9.5, 3.4))
    x = np.arange(len(rows))
    pred = [r["viable_firms"] for r in rows]
    colors = ["#e6a23c" if r["held_out"] else "#3b6bd6" for r in rows]
    ax.bar(x, pred, color=colors, width=0.6, label="predicted (orange: held out)")
    hx = [i for i, r in enumerate(rows) if r["historical_firms"] is not None]
    hy = [rows[i]["historical_firms"] for i in hx]
    lo = [rows[i]["historical_firms"] - rows[i]["historical_low"] for i in hx]
    hi = [rows[i]["historical_high"] - rows[i]["historical_firms"] for i in hx]
    ax.errorbar(hx, hy, yerr=[lo, hi], fmt="o", color="#1d2433", capsize=3, label="historical")
    ax.set_xticks(x, [f"{r['name']}\n{r['year']}" for r in rows], fontsize=7)
    ax.set_yscale("log")
    ax.set_yticks([1, 2, 3, 5, 10, 20, 30], ["1", "2", "3", "5", "10", "20", "30"])
    ax.set_ylabel("leading-edge logic firms")
    ax.legend(frameon=False, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return to_svg(fig)


def labs_band(rows: list[dict]) -> str:
    """Labs able to fund a frontier run by year: point projection and 5-95% band."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, 3.2))
    years = [r["year"] for r in rows]
    ax.plot(years, [r["viable_labs"] for r in rows], "o-", color="#3b6bd6",
            label="equal shares (central inputs)")
    ax.plot(years, [r["viable_labs_with_leader"] for r in rows], "s--", color="#9b59b6",
            label="with a leading lab (central inputs)")
    if rows and "band" in rows[0]:
        b = [r["band"]["viable_labs"] for r in rows]
        ax.fill_between(years, [v["p5"] for v in b], [v["p95"] for v in b], color="#3b6bd6",
                        alpha=0.15, label="5-95% (Monte Carlo, equal shares)")
        ax.plot(years, [v["p50"] for v in b], ":", color="#3b6bd6", label="median")
    ax.set_ylabel("labs able to fund a frontier run")
    ax.set_xlabel("year")
    ax.set_ylim(bottom=0)
    ax.legend(frameon=False, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return to_svg(fig)
