r"""Dies per wafer: the classic approximation, an exact grid count, and the reticle limit.

Two ways to count the dies a wafer holds:

- :func:`dies_per_wafer` is the textbook approximation for a die of area :math:`S` on a wafer
  of usable diameter :math:`d`, :math:`\pi d^2/(4S) - \pi d/\sqrt{2S}`; it needs only the area
  and broadcasts over arrays.
- :func:`dies_per_wafer_exact` places a grid of ``w x h`` dies (plus scribe lines) on the wafer
  and counts those lying wholly inside the usable circle (diameter minus twice the edge
  exclusion), choosing the grid offset that fits the most.

:func:`check_reticle` enforces the lithography field (26 x 33 mm): a larger die cannot be
exposed in one shot unless it is declared stitched.
"""

from __future__ import annotations

import re

import numpy as np

from .. import _checks
from ..errors import InputError

#: Maximum exposure field of a lithography scanner (both DUV and 0.33-NA EUV). [mm]
RETICLE_WIDTH_MM = 26.0
RETICLE_HEIGHT_MM = 33.0
RETICLE_AREA_MM2 = RETICLE_WIDTH_MM * RETICLE_HEIGHT_MM

#: Defaults: 300 mm wafer, 3 mm edge exclusion, 0.1 mm scribe lines.
WAFER_DIAMETER_MM = 300.0
EDGE_EXCLUSION_MM = 3.0
SCRIBE_MM = 0.1


def usable_diameter_mm(wafer_diameter_mm=WAFER_DIAMETER_MM, edge_exclusion_mm=EDGE_EXCLUSION_MM):
    """Diameter of the usable circle, wafer diameter minus twice the edge exclusion. [mm]"""
    _checks.positive("wafer_diameter_mm", wafer_diameter_mm)
    _checks.non_negative("edge_exclusion_mm", edge_exclusion_mm)
    d = np.asarray(wafer_diameter_mm, dtype=float) - 2.0 * np.asarray(edge_exclusion_mm, dtype=float)
    _checks.positive("usable wafer diameter (wafer_diameter_mm - 2 edge_exclusion_mm)", d)
    return d


def _check_fits(die_area_mm2, d):
    _checks.positive("die_area_mm2", die_area_mm2)
    area = np.asarray(die_area_mm2, dtype=float)
    wafer_area = np.pi * np.asarray(d) ** 2 / 4.0
    too_big = area >= wafer_area
    if np.any(too_big):
        worst = float(np.max(np.where(too_big, area, -np.inf)))
        raise InputError(
            f"die_area_mm2 must be smaller than the usable wafer area "
            f"({float(np.min(wafer_area)):,.0f} mm^2), got {worst:g}"
        )


def dies_per_wafer(
    die_area_mm2, wafer_diameter_mm=WAFER_DIAMETER_MM, edge_exclusion_mm=EDGE_EXCLUSION_MM
):
    r"""Gross dies per wafer by the classic approximation.

    Parameters
    ----------
    die_area_mm2 : numeric
        Die area including its share of scribe lines, > 0 and below the wafer area. [mm²]
    wafer_diameter_mm : numeric
        Wafer diameter. [mm]
    edge_exclusion_mm : numeric
        Unusable ring at the wafer edge, >= 0. [mm]

    Returns
    -------
    numeric
        Dies per wafer (not rounded), >= 0. [count]

    Notes
    -----
    :math:`DPW = \pi d^2 / (4 S) - \pi d / \sqrt{2 S}` with :math:`d` the usable diameter and
    :math:`S` the die area: wafer area over die area, minus the dies lost along the
    circumference.

    References
    ----------
    .. [1] D. K. de Vries, "Investigation of gross die per wafer formulas," IEEE Trans.
       Semicond. Manuf., vol. 18, no. 1, pp. 136-139, 2005, doi:10.1109/TSM.2004.836656.

    Examples
    --------
    >>> round(float(dies_per_wafer(814.0, 300.0, 0.0)), 1)
    63.5
    >>> dies_per_wafer([100.0, 400.0], 300.0, 0.0).round(1)
    array([640.2, 143.4])
    """
    d = usable_diameter_mm(wafer_diameter_mm, edge_exclusion_mm)
    _check_fits(die_area_mm2, d)
    s = np.asarray(die_area_mm2, dtype=float)
    dpw = np.pi * d**2 / (4.0 * s) - np.pi * d / np.sqrt(2.0 * s)
    return np.maximum(dpw, 0.0)


def _row_counts(ox, oy, px, py, w, h, r):
    """Dies per grid offset: ``ox``, ``oy`` arrays of offsets (broadcast), returns counts."""
    rows = int(np.ceil(2 * r / py)) + 2
    j = np.arange(-rows // 2 - 1, rows // 2 + 2)
    y0 = oy[..., None] + j * py  # bottom edge of each row
    ymax = np.maximum(np.abs(y0), np.abs(y0 + h))
    inside = ymax <= r
    c = np.sqrt(np.clip(r**2 - ymax**2, 0.0, None))  # half chord at the row's worst edge
    first = np.ceil((-c - ox[..., None]) / px - 1e-9)
    last = np.floor((c - w - ox[..., None]) / px + 1e-9)
    n = np.where(inside, np.maximum(last - first + 1, 0), 0)
    return n.sum(axis=-1)


def _best_offset(w, h, r, px, py, steps):
    ox = np.linspace(0.0, px, steps, endpoint=False)
    oy = np.linspace(0.0, py, steps, endpoint=False)
    # centred choices first: a die centred or a scribe line centred on the wafer axis
    ox = np.concatenate([[-w / 2, (px - w) / 2], ox])
    oy = np.concatenate([[-h / 2, (py - h) / 2], oy])
    counts = _row_counts(ox[:, None], oy[None, :], px, py, w, h, r)
    i, j = np.unravel_index(np.argmax(counts), counts.shape)
    return int(counts[i, j]), float(ox[i]), float(oy[j])


def _check_rect(die_width_mm, die_height_mm, scribe_mm):
    _checks.positive("die_width_mm", die_width_mm)
    _checks.positive("die_height_mm", die_height_mm)
    _checks.non_negative("scribe_mm", scribe_mm)


def dies_per_wafer_exact(
    die_width_mm,
    die_height_mm,
    wafer_diameter_mm=WAFER_DIAMETER_MM,
    edge_exclusion_mm=EDGE_EXCLUSION_MM,
    scribe_mm=SCRIBE_MM,
    offset_steps=24,
):
    r"""Whole dies of a ``w x h`` grid inside the usable circle, at the best grid offset.

    Parameters
    ----------
    die_width_mm, die_height_mm : float or array
        Die size without scribe lines, > 0. [mm]
    wafer_diameter_mm : float
        Wafer diameter. [mm]
    edge_exclusion_mm : float
        Unusable ring at the wafer edge, >= 0. [mm]
    scribe_mm : float
        Width of the scribe line between neighbouring dies, >= 0. [mm]
    offset_steps : int
        Grid offsets tried along each axis within one pitch (plus the two centred layouts).

    Returns
    -------
    int or ndarray of int
        Dies lying wholly inside the usable circle. [count]

    Notes
    -----
    Dies sit on a grid of pitch :math:`(w + s, h + s)`. For every offset tried, each row's
    chord at its edge farthest from the centre bounds the dies that fit in that row; the best
    offset is kept. The count never exceeds the area bound :math:`\pi d^2 / (4 w h)`.

    Examples
    --------
    >>> dies_per_wafer_exact(26.0, 31.3)
    67
    >>> dies_per_wafer_exact(10.0, 10.0, 300.0, 0.0, 0.0)
    657
    """
    _check_rect(die_width_mm, die_height_mm, scribe_mm)
    d = usable_diameter_mm(wafer_diameter_mm, edge_exclusion_mm)
    w_arr, h_arr = np.broadcast_arrays(np.asarray(die_width_mm, float), np.asarray(die_height_mm, float))
    _check_fits(w_arr * h_arr, d)
    out = np.empty(w_arr.shape, dtype=int)
    r = float(d) / 2.0
    for idx in np.ndindex(w_arr.shape):
        w, h = float(w_arr[idx]), float(h_arr[idx])
        out[idx] = _best_offset(w, h, r, w + scribe_mm, h + scribe_mm, offset_steps)[0]
    return int(out) if out.ndim == 0 else out


def die_grid(
    die_width_mm,
    die_height_mm,
    wafer_diameter_mm=WAFER_DIAMETER_MM,
    edge_exclusion_mm=EDGE_EXCLUSION_MM,
    scribe_mm=SCRIBE_MM,
    offset_steps=24,
):
    """Positions of the dies of the best grid, whole and partial (for wafer maps).

    Returns
    -------
    dict
        ``x``, ``y``: lower-left corners of every die that overlaps the wafer [mm, wafer
        centre at 0]; ``whole``: boolean, True where the die lies inside the usable circle;
        ``width``, ``height``, ``radius`` (usable) and ``wafer_radius``. [mm]

    Examples
    --------
    >>> g = die_grid(26.0, 31.3)
    >>> int(g["whole"].sum()) == dies_per_wafer_exact(26.0, 31.3)
    True
    """
    _check_rect(die_width_mm, die_height_mm, scribe_mm)
    w, h = float(die_width_mm), float(die_height_mm)
    d = float(usable_diameter_mm(wafer_diameter_mm, edge_exclusion_mm))
    _check_fits(w * h, d)
    r, big_r = d / 2.0, float(wafer_diameter_mm) / 2.0
    px, py = w + scribe_mm, h + scribe_mm
    _, ox, oy = _best_offset(w, h, r, px, py, offset_steps)
    ni = int(np.ceil(big_r / px)) + 2
    nj = int(np.ceil(big_r / py)) + 2
    i, j = np.meshgrid(np.arange(-ni, ni + 1), np.arange(-nj, nj + 1))
    x, y = (ox + i * px).ravel(), (oy + j * py).ravel()
    # farthest and nearest points of each die rectangle from the centre
    fx = np.maximum(np.abs(x), np.abs(x + w))
    fy = np.maximum(np.abs(y), np.abs(y + h))
    nx = np.where((x <= 0) & (x + w >= 0), 0.0, np.minimum(np.abs(x), np.abs(x + w)))
    ny = np.where((y <= 0) & (y + h >= 0), 0.0, np.minimum(np.abs(y), np.abs(y + h)))
    whole = fx**2 + fy**2 <= r**2 + 1e-9
    overlaps = nx**2 + ny**2 < big_r**2
    keep = overlaps
    return {
        "x": x[keep], "y": y[keep], "whole": whole[keep], "width": w, "height": h,
        "radius": r, "wafer_radius": big_r,
    }


def check_reticle(die_width_mm=None, die_height_mm=None, *, die_area_mm2=None, stitched=False):
    """Raise :class:`InputError` when a die exceeds the 26 x 33 mm reticle and is not stitched.

    Give either the die's width and height (checked in either orientation) or its area
    (checked against 858 mm²). Returns True when the die fits in one exposure.

    Examples
    --------
    >>> check_reticle(26.0, 31.3)
    True
    >>> check_reticle(die_area_mm2=1600, stitched=True)
    False
    """
    if die_width_mm is not None and die_height_mm is not None:
        w, h = np.asarray(die_width_mm, float), np.asarray(die_height_mm, float)
        small, large = np.minimum(w, h), np.maximum(w, h)
        fits = (small <= RETICLE_WIDTH_MM + 1e-9) & (large <= RETICLE_HEIGHT_MM + 1e-9)
        what = f"{float(np.max(w)):g} x {float(np.max(h)):g} mm"
    elif die_area_mm2 is not None:
        fits = np.asarray(die_area_mm2, float) <= RETICLE_AREA_MM2 + 1e-9
        what = f"{float(np.max(die_area_mm2)):g} mm^2"
    else:
        raise InputError("check_reticle needs die_width_mm and die_height_mm, or die_area_mm2")
    if not np.all(fits) and not stitched:
        raise InputError(
            f"die of {what} exceeds the 26 x 33 mm reticle ({RETICLE_AREA_MM2:g} mm^2); "
            "split it into chiplets or declare it stitched"
        )
    return bool(np.all(fits))


_SIZE = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(?:mm)?\s*[x×*]\s*([0-9]*\.?[0-9]+)\s*(?:mm)?\s*$", re.I)


def parse_die_size(text: str) -> tuple[float, float]:
    """``"26x31.3"`` -> ``(26.0, 31.3)`` [mm].

    Examples
    --------
    >>> parse_die_size("26 x 31.3 mm")
    (26.0, 31.3)
    """
    m = _SIZE.match(str(text))
    if not m:
        raise InputError(f"die size must look like WIDTHxHEIGHT in mm (e.g. 26x31.3), got {text!r}")
    w, h = float(m.group(1)), float(m.group(2))
    _checks.positive("die width", w)
    _checks.positive("die height", h)
    return w, h
