"""A wafer map: which dies of the best grid are good, defective or at the edge.

The data only; :mod:`siliconomics.report.plots` draws it (``wafer_map_svg``).
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
