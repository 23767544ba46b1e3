r"""A training run end to end: FLOPs, MFU, goodput, wall time, energy, cost and emissions.

:func:`estimate` combines the pieces:

- FLOPs from the model architecture (:mod:`.models`) and the tokens, or given directly;
- MFU given, or predicted for a layout, or for the best layout found (:mod:`.parallelism`);
- goodput at the optimal checkpoint interval for the cluster's failure rate
  (:mod:`.reliability`);
- cost per accelerator-hour of owning the cluster at a site (:mod:`siliconomics.tco`), or a
  rental price;
- energy from the same TCO inputs (server and network power, draw, PUE) and emissions from the
  site's grid intensity, plus the run's share of the accelerators' embodied emissions where the
  silicon model provides them.

Wall time is :math:`C / (N \cdot P \cdot \text{MFU} \cdot \text{goodput})` for :math:`C` FLOPs on
:math:`N` accelerators of dense peak :math:`P`.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import _checks
from ..errors import InputError
from ..results import Breakdown
from . import parallelism, reliability
from .models import Model
from ..results import ResultMixin

HOURS_PER_YEAR = 8766.0


def _plain(x):
    a = np.asarray(x, dtype=float)
    return float(a) if a.ndim == 0 else a.tolist()


@dataclass
class TrainingEstimate(ResultMixin):
    """What a training run takes and costs."""

    model: str
    accelerator: str
    accelerators: int
    site: str
    financing: str
    tokens: Any
    training_flops: Any
    mfu: Any
    goodput: Any
    wall_days: Any
    accelerator_hours: Any
    energy_mwh: Any
    cost_usd: Any
    usd_per_accelerator_hour: Any
    breakdown: Breakdown
    tco2e: Any
    tco2e_operational: Any
    tco2e_embodied: Any
    rental_cost_usd: Any = None
    layout: str | None = None
    step: dict | None = None
    reliability: dict = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out = {
            "model": self.model,
            "accelerator": self.accelerator,
            "accelerators": self.accelerators,
            "site": self.site,
            "financing": self.financing,
            "tokens": _plain(self.tokens) if self.tokens is not None else None,
            "training_flops": _plain(self.training_flops),
            "mfu": _plain(self.mfu),
            "goodput": _plain(self.goodput),
            "wall_days": _plain(self.wall_days),
            "accelerator_hours": _plain(self.accelerator_hours),
            "energy_mwh": _plain(self.energy_mwh),
            "cost_usd": _plain(self.cost_usd),
            "usd_per_accelerator_hour": _plain(self.usd_per_accelerator_hour),
            "rental_cost_usd": None if self.rental_cost_usd is None else _plain(self.rental_cost_usd),
            "tco2e": _plain(self.tco2e),
            "tco2e_operational": _plain(self.tco2e_operational),
            "tco2e_embodied": _plain(self.tco2e_embodied),
            "breakdown": {k: _plain(v) for k, v in self.breakdown.items()},
            "layout": self.layout,
            "step": self.step,
            "reliability": {k: _plain(v) for k, v in self.reliability.items()},
        }
        return out


def _peak(accelerator, precision) -> float:
    return parallelism.Hardware.from_catalog(accelerator, precision).peak_flop_per_s


def _embodied_kg(accelerator):
    """Embodied kgCO2e of one accelerator from the silicon model, or 0 when it is absent."""
    name = "siliconomics.silicon"
    try:
        if importlib.util.find_spec(name) is None:
            return 0.0
        silicon = importlib.import_module(name)
    except ImportError:
        return 0.0
    fn = getattr(silicon, "embodied_kgco2e", None)
    if fn is None:
        return 0.0
    try:
        value = fn(accelerator)
    except InputError:
        return 0.0
    return float(getattr(value, "total", value))


def estimate(
    model=None,
    tokens=None,
    accelerator="h100-sxm",
    accelerators=16_384,
    *,
    training_flop=None,
    mfu=None,
    layout=None,
    site="us-texas",
    financing="hyperscaler",
    price_per_hour=None,
    precision="bf16",
    seq_len=None,
    global_batch_tokens=None,
    failure_rate=None,
    checkpoint_s=None,
    restart_s=None,
    goodput=None,
    **tco_overrides,
) -> TrainingEstimate:
    """Estimate a training run.

    Parameters
    ----------
    model : str or Model, optional
        Catalog model; needed unless ``training_flop`` is given.
    tokens : numeric, optional
        Training tokens; default the model's published training tokens. [tokens]
    accelerator : str
        Catalog accelerator.
    accelerators : int
        Cluster size. [count]
    training_flop : numeric, optional
        Training compute, instead of model and tokens. [FLOP]
    mfu : numeric, optional
        Model FLOPs utilisation in (0, 1]; default: predicted for ``layout`` (the best layout
        found for ``"auto"``), else the ``training-mfu`` catalog assumption (40%, Llama 3).
    layout : str or Layout or "auto", optional
        Parallel layout (``"tp=8,pp=16,dp=128"``) or ``"auto"``.
    site, financing : str
        Where the cluster is and how it is financed (owned-cost basis).
    price_per_hour : numeric, optional
        Rental price per accelerator-hour, for ``rental_cost_usd``. [USD/h]
    precision : str
        Training precision for the peak: ``bf16`` (default) or ``fp8``.
    seq_len, global_batch_tokens : int, optional
        Sequence length (default min(context, 8192)) and batch (default the catalog
        assumption) for the layout model.
    failure_rate, checkpoint_s, restart_s : numeric, optional
        Reliability inputs (per accelerator-hour, seconds); default catalog assumptions.
    goodput : numeric, optional
        Override the reliability model's goodput, in (0, 1].
    **tco_overrides
        Passed to :func:`siliconomics.tco.accelerator_hour` (``power_price_usd_per_kwh=...``).

    Returns
    -------
    TrainingEstimate

    Examples
    --------
    >>> r = estimate("llama-3.1-405b", accelerator="h100", accelerators=16_384, mfu=0.40)
    >>> f"{r.training_flops:.2e}", round(r.wall_days)
    ('4.10e+25', 81)
    """
    from .. import catalog, tco

    _checks.at_least("accelerators", accelerators, 1)
    if mfu is not None:
        _checks.fraction("mfu", mfu)
    if goodput is not None:
        _checks.fraction("goodput", goodput)
    m = None
    if model is not None:
        m = Model.from_catalog(model)
    n = int(accelerators)

    # --- FLOPs ------------------------------------------------------------------------------
    if training_flop is not None:
        _checks.positive("training_flop", training_flop)
        flops = training_flop
    else:
        if m is None:
            raise InputError("give a model (with tokens) or training_flop")
        if tokens is None:
            tokens = m.training_tokens
            if tokens is None:
                raise InputError(f"{m.name} has no published training tokens; pass tokens")
        _checks.positive("tokens", tokens)
        seq = seq_len or min(m.context_length, 8192)
        flops = m.training_flops(tokens, context=seq)

    # --- MFU --------------------------------------------------------------------------------
    step = None
    layout_str = None
    if mfu is None and (m is None or layout is None):
        mfu = catalog.assumption("training-mfu")
    elif mfu is None:
        seq = seq_len or min(m.context_length, 8192)
        batch_tokens = global_batch_tokens or catalog.assumption("global-batch-tokens")
        batch = max(int(round(batch_tokens / seq)), 1)
        if str(layout) == "auto":
            found = parallelism.auto_layout(m, n, accelerator, global_batch=batch, seq_len=seq,
                                            precision=precision)
            if found.best is None:
                why = "; ".join(found.rejected.values()) or "no layout divides the cluster"
                raise InputError(
                    f"no layout of {m.name} fits {n} x {accelerator} (global batch {batch} "
                    f"sequences of {seq}): {why}; pass --mfu or another cluster size"
                )
            est = found.best
        else:
            lay = parallelism.Layout.parse(layout) if isinstance(layout, str) else layout
            if lay.accelerators != n:
                raise InputError(
                    f"layout {lay} uses tp*pp*dp*cp = {lay.accelerators} accelerators, the "
                    f"cluster has {n}"
                )
            est = parallelism.step_time(m, lay, accelerator, global_batch=batch, seq_len=seq,
                                        precision=precision)
            if not est.fits:
                raise InputError(est.reason)
        mfu = est.mfu
        step = est.to_dict()
        layout_str = str(est.layout)
    peak = _peak(accelerator, precision)

    # --- reliability ------------------------------------------------------------------------
    rate = failure_rate if failure_rate is not None else catalog.assumption(
        "failure-rate-per-accelerator-hour")
    ckpt = checkpoint_s if checkpoint_s is not None else catalog.assumption("checkpoint-write-s")
    rst = restart_s if restart_s is not None else catalog.assumption("restart-s")
    rel = reliability.optimal_goodput(n, rate, ckpt, rst)
    gp = rel["goodput"] if goodput is None else goodput

    # --- time, cost, energy -----------------------------------------------------------------
    wall_s = np.asarray(flops) / (n * peak * np.asarray(mfu) * np.asarray(gp))
    acc_hours = n * wall_s / 3600.0
    cost = tco.accelerator_hour(accelerator, site, accelerators=n, financing=financing,
                                **tco_overrides)
    energy_per_acc_hour_mwh = cost.annual_energy_mwh / (n * HOURS_PER_YEAR)
    energy = acc_hours * energy_per_acc_hour_mwh
    site_entry = catalog.site(site)
    operational = energy * site_entry.grid_intensity_kg_per_kwh  # kg/kWh == t/MWh
    life_h = cost.inputs["accelerator_life_years"]["value"] * HOURS_PER_YEAR
    embodied = _embodied_kg(cost.accelerator) / 1000.0 * acc_hours / np.asarray(life_h)
    breakdown = cost.breakdown.scale(acc_hours, unit="USD", label="training run cost")
    return TrainingEstimate(
        model=m.name if m else "",
        accelerator=cost.accelerator,
        accelerators=n,
        site=cost.site,
        financing=cost.financing,
        tokens=tokens,
        training_flops=flops,
        mfu=mfu,
        goodput=gp,
        wall_days=wall_s / 86400.0,
        accelerator_hours=acc_hours,
        energy_mwh=energy,
        cost_usd=breakdown.total,
        usd_per_accelerator_hour=cost.usd_per_accelerator_hour,
        breakdown=breakdown,
        tco2e=operational + embodied,
        tco2e_operational=operational,
        tco2e_embodied=embodied,
        rental_cost_usd=None if price_per_hour is None else acc_hours * np.asarray(price_per_hour),
        layout=layout_str,
        step=step,
        reliability=rel,
    )


def mixed_fleet(groups, *, mfu=None, precision="bf16", strategy="split"):
    """Throughput of data-parallel groups of different accelerators training one model.

    Parameters
    ----------
    groups : mapping of str to int
        Accelerator -> count (``{"h100-sxm": 8192, "b200": 8192}``).
    mfu : numeric or mapping, optional
        MFU of each kind (one value for all, or per accelerator); default ``training-mfu``.
    strategy : {"split", "lockstep"}
        ``split`` gives each group a share of the batch proportional to its speed;
        ``lockstep`` gives every accelerator the same share, so the slowest sets the pace.

    Returns
    -------
    dict
        ``flop_per_s`` (effective total), per-group ``flop_per_s`` and ``value_share`` (the
        share of the total each kind contributes), and ``older_value``: throughput lost if each
        kind were removed, as a fraction of the total.

    Examples
    --------
    >>> r = mixed_fleet({"h100-sxm": 1000, "b200": 1000}, mfu=0.4, strategy="lockstep")
    >>> round(r["flop_per_s"] / (2000 * 0.4 * 989.4e12), 3)
    1.0
    """
    from .. import catalog

    if strategy not in ("split", "lockstep"):
        from ..errors import unknown

        raise InputError(unknown("strategy", strategy, ("split", "lockstep")))
    if not groups:
        raise InputError("groups must name at least one accelerator and its count")
    speeds, counts = {}, {}
    for name, count in groups.items():
        _checks.at_least(f"count of {name}", count, 1)
        slug = catalog.accelerator(name).slug
        u = mfu.get(name, mfu.get(slug)) if isinstance(mfu, dict) else mfu
        u = catalog.assumption("training-mfu") if u is None else u
        _checks.fraction("mfu", u)
        speeds[slug] = _peak(slug, precision) * u
        counts[slug] = float(count)

    def total(kinds):
        if not kinds:
            return 0.0
        if strategy == "lockstep":
            return sum(counts[k] for k in kinds) * min(speeds[k] for k in kinds)
        return sum(counts[k] * speeds[k] for k in kinds)

    all_kinds = list(speeds)
    whole = total(all_kinds)
    per_group = {k: counts[k] * (speeds[k] if strategy == "split" else min(speeds.values()))
                 for k in all_kinds}
    return {
        "strategy": strategy,
        "flop_per_s": whole,
        "groups": {k: {"accelerators": counts[k], "flop_per_s": per_group[k],
                       "value_share": per_group[k] / whole} for k in all_kinds},
        "older_value": {k: (whole - total([j for j in all_kinds if j != k])) / whole
                        for k in all_kinds},
    }
