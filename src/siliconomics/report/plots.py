"""Static plots (matplotlib, Agg backend) rendered to inline SVG strings."""

from __future__ import annotations

import io

PALETTE = {
    "accelerator": "#3b6bd6",
    "server": "#7d9be0",
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
