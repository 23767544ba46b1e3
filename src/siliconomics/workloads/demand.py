r"""Demand over a day: the fleet a latency target needs at peak, and the utilization it gets.

A demand profile is a CSV with one row per period (usually hours of a day)::

    hour,requests_per_s,prompt_tokens,output_tokens
    0,120,2048,256
    1,95,2048,256
    ...

``hour`` and ``requests_per_s`` are required; ``prompt_tokens`` and ``output_tokens`` are
optional (when absent the serving command's ``--prompt``/``--output`` apply). Lines starting
with ``#`` are comments. Periods have
equal length.

Fleet sizing: each request takes :math:`a_r` accelerator-seconds at the chosen configuration
(prefill plus its share of the decode batch, :meth:`Deployment.performance`); period
:math:`h` needs :math:`\lambda_h a_r` accelerators busy, so the fleet has
:math:`N = n\,\lceil \max_h \lambda_h a_r / n \rceil` accelerators (whole replicas of
:math:`n`) and realizes :math:`u = \overline{\lambda a_r} / N`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .. import _checks
from ..errors import InputError

REQUIRED = ("hour", "requests_per_s")
OPTIONAL = ("prompt_tokens", "output_tokens")


@dataclass(frozen=True)
class Demand:
    """Request rate per period, with optional prompt and output lengths per period."""

    hours: np.ndarray
    requests_per_s: np.ndarray
    prompt_tokens: np.ndarray | None = None
    output_tokens: np.ndarray | None = None
    source: str = ""

    def __post_init__(self):
        _checks.non_negative("requests_per_s", self.requests_per_s)
        if not np.any(np.asarray(self.requests_per_s) > 0):
            raise InputError("requests_per_s must be > 0 in at least one period, got all zero")

    @property
    def peak_requests_per_s(self) -> float:
        return float(np.max(self.requests_per_s))

    @property
    def mean_requests_per_s(self) -> float:
        return float(np.mean(self.requests_per_s))


def read_csv(path) -> Demand:
    """Read a demand profile; malformed files raise :class:`InputError` naming file, line, column.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "d.csv"
    >>> _ = p.write_text("hour,requests_per_s\\n0,10\\n1,30\\n")
    >>> read_csv(p).peak_requests_per_s
    30.0
    """
    from ..io import read_csv_rows

    path = Path(path)
    rows = read_csv_rows(path, what="demand file")
    if not rows:
        raise InputError(f"{path}: empty demand file; expected a header {','.join(REQUIRED)}")
    head_line, head = rows[0]
    header = [h.strip().lower() for h in head]
    for col in REQUIRED:
        if col not in header:
            raise InputError(f"{path}, line {head_line}: missing column {col!r} (header: {','.join(header)})")
    for col in header:
        if col not in REQUIRED + OPTIONAL:
            from ..errors import unknown

            raise InputError(f"{path}, line {head_line}: " + unknown("column", col, REQUIRED + OPTIONAL))
    repeated = sorted({c for c in header if header.count(c) > 1})
    if repeated:
        raise InputError(f"{path}, line {head_line}: column {repeated[0]!r} appears more than once")
    data: dict[str, list[float]] = {c: [] for c in header}
    for lineno, row in rows[1:]:
        if len(row) != len(header):
            raise InputError(f"{path}, line {lineno}: expected {len(header)} columns, got {len(row)}")
        for col, cell in zip(header, row):
            try:
                v = float(cell)
            except ValueError:
                raise InputError(f"{path}, line {lineno}, column {col!r}: not a number: "
                                 f"{cell.strip()!r}") from None
            if not math.isfinite(v) or v < 0 or (col in OPTIONAL and v < 1):
                bound = ">= 1" if col in OPTIONAL else ">= 0"
                raise InputError(f"{path}, line {lineno}, column {col!r}: must be {bound}, "
                                 f"got {cell.strip()}")
            data[col].append(v)
    if not data["hour"]:
        raise InputError(f"{path}: no data rows after the header")
    try:
        return Demand(
            hours=np.array(data["hour"]),
            requests_per_s=np.array(data["requests_per_s"]),
            prompt_tokens=np.array(data["prompt_tokens"]) if "prompt_tokens" in data else None,
            output_tokens=np.array(data["output_tokens"]) if "output_tokens" in data else None,
            source=str(path),
        )
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from None


@dataclass(frozen=True)
class Fleet:
    """A fleet sized for a demand profile at one serving configuration."""

    accelerators: int
    replicas: int
    tp: int
    peak_requests_per_s: float
    mean_requests_per_s: float
    utilization: float
    busy_accelerators: np.ndarray  # per period

    def to_dict(self) -> dict:
        return {
            "accelerators": self.accelerators,
            "replicas": self.replicas,
            "tp": self.tp,
            "peak_requests_per_s": self.peak_requests_per_s,
            "mean_requests_per_s": self.mean_requests_per_s,
            "utilization": self.utilization,
            "busy_accelerators": [float(x) for x in self.busy_accelerators],
        }


def size_fleet(requests_per_s, accelerator_s_per_request, tp=1) -> tuple[int, float, np.ndarray]:
    r"""Accelerators for the peak (whole replicas of ``tp``) and the realized utilization.

    Parameters
    ----------
    requests_per_s : array_like
        Request rate of each (equal-length) period, >= 0. [1/s]
    accelerator_s_per_request : array_like
        Accelerator-seconds one request takes in each period (or one value), > 0. [s]
    tp : int
        Accelerators per replica. [count]

    Returns
    -------
    (int, float, ndarray)
        Fleet size :math:`N`, utilization :math:`\overline{\lambda a}/N` in (0, 1], and the busy
        accelerators per period.

    Examples
    --------
    >>> n, u, _ = size_fleet([10, 30], 0.5, tp=4)
    >>> n, u
    (16, 0.625)
    """
    lam = np.asarray(requests_per_s, dtype=float)
    _checks.non_negative("requests_per_s", lam)
    _checks.positive("accelerator_s_per_request", accelerator_s_per_request)
    _checks.at_least("tp", tp, 1)
    busy = lam * np.asarray(accelerator_s_per_request, dtype=float)
    replicas = max(1, math.ceil(float(busy.max()) / tp - 1e-9))
    n = int(replicas * tp)
    return n, float(busy.mean() / n), busy


def fleet(demand: Demand, deployment, *, batch, prompt_tokens, output_tokens) -> Fleet:
    """Fleet of ``deployment`` replicas at ``batch`` serving ``demand`` at its peak.

    Periods with their own prompt/output lengths use them; others use the given ones.
    """
    p = demand.prompt_tokens if demand.prompt_tokens is not None else prompt_tokens
    o = demand.output_tokens if demand.output_tokens is not None else output_tokens
    plan = deployment.memory_plan(float(np.max(deployment.kv_tokens(p, o))))
    if plan.max_batch < batch:
        raise InputError(
            f"the demand's longest requests ({int(np.max(np.asarray(p) + np.asarray(o)))} tokens) "
            f"fit only {plan.max_batch} sequences per replica, below the chosen batch {batch}"
        )
    perf = deployment.performance(batch, np.asarray(p, dtype=float), np.asarray(o, dtype=float))
    per_request = perf["prefill_accelerator_s_per_request"] + perf["decode_accelerator_s_per_request"]
    per_replica = deployment.accelerators  # tp x attention-DP groups
    n, util, busy = size_fleet(demand.requests_per_s, per_request, per_replica)
    return Fleet(
        accelerators=n,
        replicas=n // per_replica,
        tp=deployment.tp,
        peak_requests_per_s=demand.peak_requests_per_s,
        mean_requests_per_s=demand.mean_requests_per_s,
        utilization=util,
        busy_accelerators=busy,
    )
