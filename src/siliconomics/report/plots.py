"""Static plots (matplotlib, Agg backend) rendered to inline SVG strings."""

from __future__ import annotations

import io

PALETTE = {
    "accelerator": "#3b6bd6",
    "system": "#7d9be0",
    "network": "#9b59b6",
    "facility": "#e6a23c",
    "power": "#e05252",
    "operations": "#67c23a",
}


def _pyplot():
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    plt.rcParams.update({"svg.fonttype": "none", "font.size": 9})
    return plt


def to_svg(fig) -> str:
    """Render ``fig`` as an SVG string (without the XML header) and close it."""
    plt = _pyplot()
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg"):]


def stacked_bars(labels, components: dict, ylabel: str, title: str = "", annotate_share: str | None = None) -> str:
    """Horizontal stacked bars: one bar per label, one colour per component."""
    import numpy as np

    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, 0.35 * len(labels) + 1.4))
    left = np.zeros(len(labels))
    for name, values in components.items():
        values = np.asarray(values, dtype=float)
        ax.barh(labels, values, left=left, label=name, color=PALETTE.get(name))
        left += values
    if annotate_share and annotate_share in components:
        shares = np.asarray(components[annotate_share]) / left
        for i, (total, share) in enumerate(zip(left, shares)):
            ax.text(total, i, f"  ${total:.2f}  ({annotate_share} {share:.0%})", va="center", fontsize=8)
        ax.set_xlim(0, left.max() * 1.35)
    ax.invert_yaxis()
    ax.set_xlabel(ylabel)
    if title:
        ax.set_title(title, loc="left")
    ax.legend(ncol=len(components), loc="lower center", bbox_to_anchor=(0.5, 1.0 if not title else 1.06),
              frameon=False, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return to_svg(fig)


def wafer_map_svg(die_width_mm, die_height_mm, defect_density_per_cm2, seed=0, clustering=None,
                  title="") -> str:
    """The wafer map of :func:`siliconomics.silicon.maps.wafer_map` as an SVG string."""
    from matplotlib.patches import Circle, Rectangle

    from ..silicon import maps

    plt = _pyplot()
    m = maps.wafer_map(die_width_mm, die_height_mm, defect_density_per_cm2, seed, clustering)
    fig, ax = plt.subplots(figsize=(5, 5))
    ax.add_patch(Circle((0, 0), m["wafer_radius"], fc="#f2f2f2", ec="#555"))
    ax.add_patch(Circle((0, 0), m["radius"], fc="none", ec="#999", ls="--", lw=0.6))
    colours = {"good": "#67c23a", "defective": "#e05252", "edge": "#c8c8c8"}
    for x, y, s in zip(m["x"], m["y"], m["status"]):
        ax.add_patch(Rectangle((x, y), m["width"], m["height"], fc=colours[s], ec="white", lw=0.4))
    ax.plot(m["defects_x"], m["defects_y"], "k.", ms=2)
    lim = m["wafer_radius"] * 1.02
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title or f"{m['good']} good, {m['defective']} defective, edge dies grey")
    return to_svg(fig)


def waterfall_svg(breakdown, price_usd=None, title="") -> str:
    """Waterfall of a cost Breakdown (one bar per component, then the total and the price)."""
    import numpy as np

    plt = _pyplot()
    names = list(breakdown)
    values = [float(np.mean(breakdown[k])) for k in names]
    fig, ax = plt.subplots(figsize=(7, 3.5))
    bottom = 0.0
    for i, (name, v) in enumerate(zip(names, values)):
        ax.bar(i, v, bottom=bottom, color="#3b6bd6" if name != "yield_loss" else "#e05252")
        ax.text(i, bottom + v, f"${v:,.0f}", ha="center", va="bottom", fontsize=7)
        bottom += v
    labels = [n.replace("_", " ") for n in names] + ["total"]
    ax.bar(len(names), bottom, color="#333")
    ax.text(len(names), bottom, f"${bottom:,.0f}", ha="center", va="bottom", fontsize=7)
    if price_usd is not None:
        price = float(np.mean(price_usd))
        if price <= 2.0 * bottom:  # on the same scale: draw it
            ax.axhline(price, color="#e6a23c", ls="--", lw=1)
            ax.text(len(names), price, f" price ${price:,.0f}", va="bottom", ha="right",
                    fontsize=7)
        else:  # far above the cost: say it rather than squash the bars
            ax.set_title((title + "\n" if title else "")
                         + f"sale price ${price:,.0f} = {price / bottom:.1f}x the cost to make",
                         fontsize=8, loc="left")
            title = ""
    ax.set_xticks(range(len(labels)), labels, rotation=30, ha="right")
    ax.set_ylabel("USD per good accelerator")
    if title:
        ax.set_title(title)
    return to_svg(fig)


def paired_comparison_svg(a, b, *, label_a: str = "A", label_b: str = "B", metric: str = "",
                          unit: str = "", bins: int = 60) -> tuple[str, str]:
    """Two figures of a paired comparison (common random numbers): the distributions of A and
    B overlaid, and the distribution of the difference A - B with its 5/50/95% quantiles.

    Parameters
    ----------
    a, b : array_like
        Samples of one metric under A and B, sample ``i`` of both from the same draw
        (:func:`siliconomics.uncertainty.paired.paired_samples`). [unit]
    label_a, label_b, metric, unit : str
        Legend labels, the metric's name and its display unit (:mod:`siliconomics.format`).

    Returns
    -------
    (str, str)
        SVG of the overlaid histograms, SVG of the difference.
    """
    import numpy as np

    from .. import format as fmt

    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    plt = _pyplot()
    axis = f"{metric} ({unit})" if unit else metric
    fig, ax = plt.subplots(figsize=(7, 3))
    edges = np.histogram_bin_edges(np.concatenate([a, b]), bins=bins)
    ax.hist(a, bins=edges, alpha=0.55, label=f"A: {label_a}", color="#3b6bd6")
    ax.hist(b, bins=edges, alpha=0.55, label=f"B: {label_b}", color="#e6a23c")
    ax.set_xlabel(axis)
    ax.set_ylabel("samples")
    ax.legend(frameon=False, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    overlaid = to_svg(fig)

    d = a - b
    q5, q50, q95 = np.quantile(d, (0.05, 0.5, 0.95))
    fig, ax = plt.subplots(figsize=(7, 3))
    # a difference constant up to rounding (the scenarios differ by a fixed amount) is one bar
    flat = np.ptp(d) <= 1e-9 * max(float(np.abs(d).max()), 1e-300)
    ax.hist(d, bins=1 if flat else bins, color="#7d9be0")
    for q, style in ((q5, ":"), (q50, "-"), (q95, ":")):
        ax.axvline(q, color="#1d2433", linestyle=style, linewidth=1)
    ax.axvline(0.0, color="#e05252", linewidth=1)
    p = float(np.mean(a < b))
    ax.set_title(f"A - B: median {fmt.quantity(q50, unit, scale=abs(a).max())}, 90% in "
                 f"[{fmt.quantity(q5, unit, scale=abs(a).max())}, "
                 f"{fmt.quantity(q95, unit, scale=abs(a).max())}]; P(A lower) {fmt.share(p)}",
                 loc="left", fontsize=9)
    ax.set_xlabel(f"A - B, {axis}")
    ax.set_ylabel("samples")
    ax.spines[["top", "right"]].set_visible(False)
    return overlaid, to_svg(fig)
