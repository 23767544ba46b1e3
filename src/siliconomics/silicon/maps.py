"""Pictures: a wafer map with good, defective and edge dies, and a bill-of-materials waterfall.

Both return inline SVG strings (matplotlib, Agg backend) for the report.
"""

from __future__ import annotations

import numpy as np

from . import dies


def sample_defects(defect_density_per_cm2, radius_mm, seed=0, clustering=None):
    """Defect positions on a wafer of usable ``radius_mm``: Poisson, or clustered (negative binomial).

    With ``clustering`` alpha, the wafer's defect count is Poisson with a gamma-distributed
    mean (shape alpha), which gives negative-binomial counts. Returns ``(x, y)`` arrays. [mm]

    Examples
    --------
    >>> x, y = sample_defects(0.1, 147.0, seed=1)
    >>> bool(np.all(x**2 + y**2 <= 147.0**2))
    True
    """
    rng = np.random.default_rng(seed)
    area_cm2 = np.pi * radius_mm**2 / 100.0
    mean = defect_density_per_cm2 * area_cm2
    if clustering is not None:
        mean = rng.gamma(clustering, mean / clustering)
    n = rng.poisson(mean)
    r = radius_mm * np.sqrt(rng.uniform(0, 1, n))
    t = rng.uniform(0, 2 * np.pi, n)
    return r * np.cos(t), r * np.sin(t)


def wafer_map(die_width_mm, die_height_mm, defect_density_per_cm2, seed=0, clustering=None,
              edge_exclusion_mm=dies.EDGE_EXCLUSION_MM, scribe_mm=dies.SCRIBE_MM) -> dict:
    """Dies of the best grid classified as ``good``, ``defective`` or ``edge`` for a sampled defect pattern.

    Examples
    --------
    >>> m = wafer_map(26.0, 31.3, 0.1, seed=0)
    >>> m["good"] + m["defective"] == dies.dies_per_wafer_exact(26.0, 31.3)
    True
    """
    g = dies.die_grid(die_width_mm, die_height_mm, edge_exclusion_mm=edge_exclusion_mm, scribe_mm=scribe_mm)
    dx, dy = sample_defects(defect_density_per_cm2, g["radius"], seed, clustering)
    x, y, w, h = g["x"], g["y"], g["width"], g["height"]
    hit = ((dx[None, :] >= x[:, None]) & (dx[None, :] <= x[:, None] + w)
           & (dy[None, :] >= y[:, None]) & (dy[None, :] <= y[:, None] + h)).any(axis=1)
    status = np.where(~g["whole"], "edge", np.where(hit, "defective", "good"))
    return {**g, "status": status, "defects_x": dx, "defects_y": dy,
            "good": int((status == "good").sum()), "defective": int((status == "defective").sum())}


def wafer_map_svg(die_width_mm, die_height_mm, defect_density_per_cm2, seed=0, clustering=None,
                  title="") -> str:
    """The wafer map as an SVG string."""
    from matplotlib.patches import Circle, Rectangle

    from ..report.plots import _pyplot, to_svg

    plt = _pyplot()
    m = wafer_map(die_width_mm, die_height_mm, defect_density_per_cm2, seed, clustering)
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
    from ..report.plots import _pyplot, to_svg

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
