r"""Fit an accelerator's serving efficiency factors to measured throughput.

A measured CSV has one row per benchmark run::

    model,accelerator,tp,precision,batch,input_tokens,output_tokens,output_tokens_per_s
    llama-2-70b,h200,1,fp8,512,128,128,3014

``output_tokens_per_s`` is the run's total output throughput (all ``tp`` accelerators);
``tp`` (default 1) and ``precision`` (default ``fp8``) are optional. Lines starting with ``#``
are comments.

For each accelerator, :func:`fit` finds the compute and bandwidth efficiencies
:math:`(\eta_c, \eta_w)` minimising :math:`\sum_i \ln^2(\hat y_i / y_i)` with
:func:`scipy.optimize.least_squares` (bounded to [0.02, 1]); the other factors keep their
catalog values. :func:`write_overlay` saves the result as a catalog overlay that
``siliconomics serve --overlay`` applies.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import InputError

REQUIRED = ("model", "accelerator", "batch", "input_tokens", "output_tokens",
            "output_tokens_per_s")
OPTIONAL = ("tp", "precision")
BOUNDS = (0.02, 1.0)


@dataclass(frozen=True)
class Point:
    model: str
    accelerator: str
    tp: int
    precision: str
    batch: int
    input_tokens: int
    output_tokens: int
    output_tokens_per_s: float
    line: int = 0


def read_csv(path) -> list[Point]:
    """Measured points; malformed files raise :class:`InputError` naming file, line, column."""
    from ..io import read_csv_rows

    path = Path(path)
    rows = read_csv_rows(path, what="calibration file")
    if not rows:
        raise InputError(f"{path}: empty calibration file; expected a header {','.join(REQUIRED)}")
    head_line, head = rows[0]
    header = [h.strip().lower() for h in head]
    for col in REQUIRED:
        if col not in header:
            raise InputError(f"{path}, line {head_line}: missing column {col!r}")
    for col in header:
        if col not in REQUIRED + OPTIONAL:
            from ..errors import unknown

            raise InputError(f"{path}, line {head_line}: " + unknown("column", col,
                                                                      REQUIRED + OPTIONAL))
    repeated = sorted({c for c in header if header.count(c) > 1})
    if repeated:
        raise InputError(f"{path}, line {head_line}: column {repeated[0]!r} appears more than once")
    points = []
    for lineno, row in rows[1:]:
        if len(row) != len(header):
            raise InputError(f"{path}, line {lineno}: expected {len(header)} columns, got {len(row)}")
        rec = {c: cell.strip() for c, cell in zip(header, row)}
        vals = {}
        for col in ("tp", "batch", "input_tokens", "output_tokens", "output_tokens_per_s"):
            if col not in rec:
                continue
            try:
                v = float(rec[col])
            except ValueError:
                raise InputError(f"{path}, line {lineno}, column {col!r}: not a number: "
                                 f"{rec[col]!r}") from None
            if not math.isfinite(v) or v <= 0 or (col != "output_tokens_per_s" and v != int(v)):
                what = "a positive number" if col == "output_tokens_per_s" else "a whole number >= 1"
                raise InputError(f"{path}, line {lineno}, column {col!r}: must be {what}, "
                                 f"got {rec[col]}")
            vals[col] = v
        points.append(Point(
            model=rec["model"], accelerator=rec["accelerator"], tp=int(vals.get("tp", 1)),
            precision=rec.get("precision") or "fp8", batch=int(vals["batch"]),
            input_tokens=int(vals["input_tokens"]), output_tokens=int(vals["output_tokens"]),
            output_tokens_per_s=vals["output_tokens_per_s"], line=lineno,
        ))
    if not points:
        raise InputError(f"{path}: no data rows after the header")
    # resolve names now so errors name the line
    from .. import catalog

    for p in points:
        for kind, name, col in (("models", p.model, "model"),
                                ("accelerators", p.accelerator, "accelerator")):
            try:
                catalog.get(kind, name)
            except Exception as exc:  # CatalogError
                raise InputError(f"{path}, line {p.line}, column {col!r}: {exc}") from None
    return points


def _deployments(points):
    from .serving import Deployment

    out = []
    for p in points:
        try:
            d = Deployment.create(p.model, p.accelerator, tp=p.tp, precision=p.precision)
        except InputError as exc:
            raise InputError(f"line {p.line}: {exc}") from None
        out.append(d)
    return out


def predict(points, compute_efficiency=None, bandwidth_efficiency=None) -> np.ndarray:
    """Predicted total output tokens/s of each point (catalog factors unless given)."""
    out = []
    for p, d in zip(points, _deployments(points)):
        if compute_efficiency is not None:
            d = d.with_efficiency(compute_efficiency=float(compute_efficiency),
                                  bandwidth_efficiency=float(bandwidth_efficiency))
        r = d.performance(p.batch, p.input_tokens, p.output_tokens)
        out.append(float(r["output_tokens_per_s_per_replica"]))
    return np.array(out)


@dataclass
class Fit:
    """Fitted factors of one accelerator, with the error before and after."""

    accelerator: str
    points: int
    before: dict  # compute_efficiency, bandwidth_efficiency (catalog)
    after: dict
    rms_log_error_before: float
    rms_log_error_after: float
    mean_abs_error_before: float  # relative
    mean_abs_error_after: float
    rows: list = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "accelerator": self.accelerator, "points": self.points, "before": self.before,
            "after": self.after, "rms_log_error_before": self.rms_log_error_before,
            "rms_log_error_after": self.rms_log_error_after,
            "mean_abs_error_before": self.mean_abs_error_before,
            "mean_abs_error_after": self.mean_abs_error_after, "rows": self.rows,
        }


def fit(points) -> list[Fit]:
    """Least-squares fit of compute and bandwidth efficiency, one accelerator at a time.

    Examples
    --------
    >>> from siliconomics.workloads.calibration import Point
    >>> pts = [Point("llama-2-70b", "h200", 1, "fp8", 512, 128, 128, 3014.0),
    ...        Point("llama-2-70b", "h200", 1, "fp8", 32, 2048, 128, 303.0)]
    >>> f = fit(pts)[0]
    >>> f.rms_log_error_after <= f.rms_log_error_before
    True
    """
    from scipy.optimize import least_squares

    from .serving import efficiency

    from .. import catalog

    groups: dict[str, list[Point]] = {}
    for p in points:
        groups.setdefault(catalog.accelerator(p.accelerator).slug, []).append(p)
    fits = []
    for slug, pts in groups.items():
        y = np.array([p.output_tokens_per_s for p in pts])
        deps = _deployments(pts)
        e = efficiency(slug)
        x0 = np.array([deps[0].compute_efficiency, e.bandwidth_efficiency])

        def model(x, pts=pts, deps=deps):
            return np.array([
                float(d.with_efficiency(compute_efficiency=float(x[0]),
                                        bandwidth_efficiency=float(x[1]))
                      .performance(p.batch, p.input_tokens, p.output_tokens)
                      ["output_tokens_per_s_per_replica"])
                for p, d in zip(pts, deps)
            ])

        def residual(x):
            return np.log(model(x) / y)

        sol = least_squares(residual, x0, bounds=(BOUNDS[0], BOUNDS[1]), x_scale=0.1,
                            diff_step=1e-3)
        before, after = model(x0), model(sol.x)
        fits.append(Fit(
            accelerator=slug,
            points=len(pts),
            before={"compute_efficiency": float(x0[0]), "bandwidth_efficiency": float(x0[1])},
            after={"compute_efficiency": float(sol.x[0]),
                   "bandwidth_efficiency": float(sol.x[1])},
            rms_log_error_before=float(np.sqrt(np.mean(np.log(before / y) ** 2))),
            rms_log_error_after=float(np.sqrt(np.mean(np.log(after / y) ** 2))),
            mean_abs_error_before=float(np.mean(np.abs(before / y - 1))),
            mean_abs_error_after=float(np.mean(np.abs(after / y - 1))),
            rows=[{"line": p.line, "model": p.model, "tp": p.tp, "batch": p.batch,
                   "input_tokens": p.input_tokens, "output_tokens": p.output_tokens,
                   "measured": p.output_tokens_per_s, "before": float(b), "after": float(a)}
                  for p, b, a in zip(pts, before, after)],
        ))
    return fits


def write_overlay(fits, path, source_file="") -> Path:
    """Write the fitted factors as a catalog overlay (``[serving_efficiency.<slug>]``).

    The file is written with a TOML writer (a file name with quotes cannot change its
    structure) and replaces ``path`` whole or not at all.
    """
    import tomli_w

    from ..io import check_file, replacing

    path = check_file(path, what="overlay file", suffixes=(".toml",))
    today = _dt.date.today().isoformat()
    header = ("# Serving efficiency factors fitted by `siliconomics calibrate serving`.\n"
              f"# Apply with `siliconomics serve --overlay {path.name!r}`.\n\n")
    tables = {}
    for f in fits:
        src = (f"siliconomics calibrate serving {Path(source_file).name} ({f.points} points; "
               f"rms log error {f.rms_log_error_before:.3f} -> {f.rms_log_error_after:.3f})")
        # one fitted compute efficiency stands for every precision of the measurements
        fitted = {"compute_efficiency": f.after["compute_efficiency"],
                  "compute_efficiency_fp8": f.after["compute_efficiency"],
                  "compute_efficiency_fp4": f.after["compute_efficiency"],
                  "bandwidth_efficiency": f.after["bandwidth_efficiency"]}
        tables[f.accelerator] = {k: {"value": round(float(v), 4), "source": src,
                                     "as_of": today} for k, v in fitted.items()}
    text = header + tomli_w.dumps({"serving_efficiency": tables})
    try:
        with replacing(path) as tmp:
            tmp.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot write overlay ({exc.strerror})") from None
    return path
