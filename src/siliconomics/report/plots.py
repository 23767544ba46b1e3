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
