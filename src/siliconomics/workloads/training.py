r"""A training run end to end: FLOPs, MFU, goodput, wall time, energy, cost and emissions.

:func:`estimate` combines the pieces:

- FLOPs from the model architecture (:mod:`.models`) and the tokens, or given directly;
- MFU given, or predicted for a layout, or by default for the best layout the search finds
  for the model, precision and cluster (:mod:`.parallelism`); a flat catalog MFU only when
  asked for (``mfu="default"``) or for a run known only by its FLOPs;
- goodput from failures by component, the system's blast radius, hot spares, the
  checkpointing scheme and the recovery mode (:mod:`.reliability`);
- cost per accelerator-hour of owning the cluster at a site (:mod:`siliconomics.tco`), or a
  rental price;
- energy from the same TCO inputs (server and network power, draw, PUE) and emissions from the
  site's grid intensity, plus the run's share of the accelerators' embodied emissions where the
  silicon model provides them.

Wall time is :math:`C / (N \cdot P \cdot \text{MFU} \cdot \text{goodput})` for :math:`C` FLOPs on
:math:`N` accelerators of dense peak :math:`P`.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import _checks, _memo
from ..datacenter import energy as energy_accounting
from ..errors import InputError
from ..units import ACCELERATOR_GB
from ..results import Breakdown
from . import parallelism, reliability
from .models import Model
from ..results import ResultMixin, scalar_or_array

HOURS_PER_YEAR = 8766.0


def _plain(x):
    if isinstance(x, str):
        return x
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
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
    cost_usd: Any
    breakdown: Breakdown
    rental_cost_usd: Any = None
    layout: str | None = None
    step: dict | None = None
    reliability: dict = field(default_factory=dict)
    mfu_source: str = "given"
    #: Where a predicted MFU's realised value lands, 5th to 95th percentile (the
    #: ``training-mfu-error`` assumption: realised over predicted on held-out published runs);
    #: None for a given or flat MFU.
    mfu_interval: tuple | None = None
    seq_len: int | None = None
    #: The cost of the cluster's accelerator-hour (:class:`~siliconomics.tco.TCOResult`) and
    #: the embodied emissions of one accelerator given to :func:`estimate` (None: its bill of
    #: materials'), from which the energy and emissions below are computed when first read.
    hour_cost: Any = field(default=None, repr=False, compare=False)
    embodied_per_accelerator_kgco2e: Any = field(default=None, repr=False, compare=False)

    @property
    def energy_convention(self):
        """What :attr:`energy_mwh` and the operational emissions count
        (:class:`~siliconomics.datacenter.energy.EnergyConvention`): the TCO's."""
        return None if self.hour_cost is None else self.hour_cost.energy_convention

    # Energy and emissions are computed when first read: a Monte Carlo block asking for the
    # run's cost alone makes no pass over its samples for them.
    @property
    def usd_per_accelerator_hour(self):
        """Cost of an owned accelerator-hour at the cluster's site. [USD/h]"""
        return self.hour_cost.usd_per_accelerator_hour

    @functools.cached_property
    def energy_mwh(self):
        """Energy of the run as :attr:`energy_convention` counts it. [MWh]"""
        return self.accelerator_hours * self.hour_cost.energy_mwh_per_accelerator_hour()

    @functools.cached_property
    def tco2e_operational(self):
        """Emissions of the run's energy under :attr:`energy_convention`. [tCO2e]"""
        return energy_accounting.emissions_t(self.energy_mwh, self.hour_cost.resolved,
                                             convention=self.energy_convention)

    @functools.cached_property
    def tco2e_embodied(self):
        """The run's share of its accelerators' embodied emissions: their accelerator-hours
        over the accelerators' economic life. [tCO2e]"""
        from ..silicon import bom

        r = self.hour_cost.resolved
        life_h = np.asarray(r["financing.accelerator_life_years"]) * HOURS_PER_YEAR
        per_accelerator = self.embodied_per_accelerator_kgco2e
        if per_accelerator is None:
            per_accelerator = bom.chip_cost(r).embodied_kgco2e
        return np.asarray(per_accelerator) / 1000.0 * self.accelerator_hours / life_h

    @functools.cached_property
    def tco2e(self):
        """Operational and embodied emissions of the run. [tCO2e]"""
        return self.tco2e_operational + self.tco2e_embodied

    def _repr_html_(self) -> str:
        """Notebook display: the run's cost and time, its breakdown and key inputs."""
        from ..results import html_card, number

        return html_card(
            f"Training {self.model} on {self.accelerators:,} {self.accelerator}",
            f"${number(np.asarray(self.cost_usd) / 1e6, 3)}M owned, "
            f"{number(self.wall_days, 3)} days",
            breakdown=self.breakdown,
            inputs=[("tokens", self.tokens), ("training FLOPs", self.training_flops),
                    ("MFU", self.mfu), ("goodput", self.goodput), ("site", self.site),
                    ("financing", self.financing), ("layout", self.layout or ""),
                    ("accelerator-hours", self.accelerator_hours),
                    ("energy [MWh]", self.energy_mwh), ("emissions [tCO2e]", self.tco2e),
                    ("USD per accelerator-hour", self.usd_per_accelerator_hour)])

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
            "mfu_source": self.mfu_source,
            "mfu_interval": None if self.mfu_interval is None else list(self.mfu_interval),
            "seq_len": self.seq_len,
            "goodput": _plain(self.goodput),
            "wall_days": _plain(self.wall_days),
            "accelerator_hours": _plain(self.accelerator_hours),
            "energy_mwh": _plain(self.energy_mwh),
            "energy_convention": (None if self.energy_convention is None
                                  else self.energy_convention.to_dict()),
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


def run_hours(training_flop, accelerators, peak_flop_per_s, mfu, goodput=1.0):
    r"""Wall-clock hours of a run: :math:`C / (N \cdot P \cdot \text{MFU} \cdot g) / 3600`.

    Parameters
    ----------
    training_flop : numeric
        Model FLOPs of the run. [FLOP]
    accelerators : numeric
        Accelerators training. [count]
    peak_flop_per_s : numeric
        Dense peak of one accelerator at the training precision. [FLOP/s]
    mfu : numeric
        Model FLOPs utilisation, in (0, 1]. [dimensionless]
    goodput : numeric
        Share of wall time spent on useful steps (failures, checkpoints), in (0, 1].

    Returns
    -------
    numeric
        Wall-clock hours; accelerator-hours are this times ``accelerators``. [h]

    Examples
    --------
    >>> round(run_hours(3.14e23, 1024, 312e12, 0.4, 0.9), 1)
    758.4
    """
    _checks.positive("training_flop", training_flop)
    _checks.fraction("mfu", mfu)
    _checks.fraction("goodput", goodput)
    return scalar_or_array(np.asarray(training_flop, dtype=float) / (
        np.asarray(accelerators, dtype=float) * np.asarray(peak_flop_per_s, dtype=float)
        * np.asarray(mfu, dtype=float) * np.asarray(goodput, dtype=float) * 3600.0))


#: Bounds of a training run's inputs: far beyond any run, so only a typo reaches them.
MAX_ACCELERATORS = 10**8
MAX_TOKENS = 1e17
MAX_TRAINING_FLOP = 5e29  # Epoch AI judged ~2e29 FLOP feasible by 2030 ("Can AI scaling continue through 2030?", 2024)
MAX_PRICE_PER_HOUR = 1e4  # USD per accelerator-hour
MAX_SEQ_LEN = 10**8
MAX_BATCH_TOKENS = 1e10
#: Model states per parameter with mixed-precision Adam: 2 (weights) + 2 (gradients) + 12
#: (fp32 master weights, momentum, variance) bytes (Rajbhandari et al. 2020).
STATE_BYTES_PER_PARAM = 16


def check_states_fit(model: Model, accelerators: int, memory_gb: float, name: str = "") -> None:
    """InputError when the model's training states cannot fit in the whole cluster's memory even
    fully sharded (ZeRO-3 over every accelerator, no activations): the least any layout needs.
    ``memory_gb`` is each accelerator's memory in 10^9 bytes.

    >>> check_states_fit(Model.from_catalog("llama-3.1-405b"), 1, 80.0, "h100-sxm")
    Traceback (most recent call last):
    ...
    siliconomics.errors.InputError: llama-3.1-405b cannot be trained on 1 x h100-sxm: its weights, gradients and optimizer states alone take 6,494 GB (16 bytes per parameter) and the cluster holds 80 GB; use at least 82 accelerators
    """
    need_gb = STATE_BYTES_PER_PARAM * model.params_total / 1e9
    have_gb = accelerators * memory_gb
    if need_gb > have_gb:
        least = math.ceil(need_gb / memory_gb)
        raise InputError(
            f"{model.name} cannot be trained on {accelerators:,} x {name}: its weights, "
            f"gradients and optimizer states alone take {need_gb:,.0f} GB ({STATE_BYTES_PER_PARAM} "
            f"bytes per parameter) and the cluster holds {have_gb:,.0f} GB; use at least "
            f"{least:,} accelerators")


def estimate(
    model=None,
    tokens=None,
    accelerator="h100-sxm",
    accelerators=16_384,
    *,
    training_flop=None,
    mfu=None,
    layout=None,
    site=None,
    financing=None,
    system=None,
    pricing="list",
    price_per_hour=None,
    precision="bf16",
    seq_len=None,
    global_batch_tokens=None,
    failure_rate=None,
    checkpoint_s=None,
    restart_s=None,
    goodput=None,
    checkpointing="sync",
    recovery="restart",
    spares=None,
    energy_convention=None,
    embodied_kgco2e=None,
    set=None,
    **tco_overrides,
) -> TrainingEstimate:
    """Estimate a training run.

    Parameters
    ----------
    model : str, Entry or Model, optional
        Catalog model, entry, or path of a Hugging Face ``config.json``; needed unless
        ``training_flop`` is given.
    tokens : numeric, optional
        Training tokens; default the model's published training tokens. [tokens]
    accelerator : str, Entry or Resolved
        Catalog accelerator, an entry (a user's own), or resolved inputs.
    accelerators : int
        Cluster size. [count]
    training_flop : numeric, optional
        Training compute, instead of model and tokens. [FLOP]
    mfu : numeric or "default", optional
        Model FLOPs utilisation in (0, 1] at the training precision's peak. Default: predicted
        for ``layout``, or for the best layout the search finds for this model, precision and
        cluster; ``"default"`` takes the flat ``training-mfu`` catalog assumption (also used
        for a run known only by its FLOPs).
    layout : str or Layout or "auto", optional
        Parallel layout (``"tp=8,pp=16,dp=128"``) or ``"auto"`` (the default with a model).
    site, financing, system : str, optional
        Where the cluster is, how it is financed (owned-cost basis) and in which system; default
        ``us-texas``, ``hyperscaler`` and the accelerator's own system.
    pricing : {"list", "cost-plus", "pass-through"}
        Accelerator pricing rule of the TCO (:mod:`siliconomics.pricing`).
    price_per_hour : numeric, optional
        Rental price per accelerator-hour, for ``rental_cost_usd``. [USD/h]
    precision : str
        Training precision for the peak: ``bf16`` (default) or ``fp8``.
    seq_len, global_batch_tokens : int, optional
        Sequence length (default the model's published pre-training sequence, else
        min(context, 8192)) and batch (default the catalog assumption) for the FLOPs and the
        layout model.
    failure_rate, checkpoint_s, restart_s : numeric, optional
        Reliability inputs (per accelerator-hour, seconds); default catalog assumptions.
    goodput : numeric, optional
        Override the reliability model's goodput, in (0, 1].
    checkpointing : {"sync", "async", "in-memory"}
        How checkpoints are saved: a blocking write (``checkpoint-write-s``), a background
        write after a copy to host memory (``checkpoint-async-stall-s``), or copies in peers'
        memory that a restart reloads from (also ``restart-in-memory-s``).
    recovery : {"restart", "replica"}
        After a hardware failure the whole job restarts, or only the failed data-parallel
        replica drops out and rejoins (:func:`~siliconomics.workloads.reliability.cluster_goodput`).
    spares : int, optional
        Hot spare accelerators; default :func:`hot_spares`.
    energy_convention : EnergyConvention, optional
        What the energy and operational emissions count
        (:mod:`siliconomics.datacenter.energy`); default the TCO's: facility (server and
        network times PUE) at the catalog's busy draw, location-based.
    embodied_kgco2e : numeric, optional
        Embodied emissions of one accelerator (a vendor's product carbon footprint, say);
        default its bill of materials' (:func:`siliconomics.silicon.chip_cost`). The run is
        charged its share over the accelerator's life. [kgCO2e]
    set : mapping, optional
        Input paths to change (``{"memory.price_usd_per_gb": 4}``).
    **tco_overrides
        API keywords of :data:`siliconomics.catalog.KEYWORDS` (``power_price_usd_per_kwh=...``).

    Returns
    -------
    TrainingEstimate

    Examples
    --------
    >>> r = estimate("llama-3.1-405b", accelerator="h100", accelerators=16_384, mfu=0.40)
    >>> f"{r.training_flops:.2e}", round(r.wall_days)
    ('4.10e+25', 81)
    >>> estimate("llama-3.1-405b", accelerator="h100", accelerators=16_384).mfu_source
    'predicted from the best layout found'
    """
    from .. import tco

    _checks.within("accelerators", accelerators, 1, MAX_ACCELERATORS)
    if tokens is not None and training_flop is not None:
        raise InputError("give tokens or training_flop, not both (training_flop already counts "
                         "the tokens)")
    for name, value, hi in (("tokens", tokens, MAX_TOKENS),
                            ("training_flop", training_flop, MAX_TRAINING_FLOP),
                            ("price_per_hour", price_per_hour, MAX_PRICE_PER_HOUR),
                            ("seq_len", seq_len, MAX_SEQ_LEN),
                            ("global_batch_tokens", global_batch_tokens, MAX_BATCH_TOKENS)):
        if value is not None:
            _checks.within(name, value, None, hi)
            _checks.positive(name, value)
    flat_mfu = isinstance(mfu, str) and mfu.strip().lower() == "default"
    if flat_mfu:
        mfu = None
    elif isinstance(mfu, str):
        try:
            mfu = float(mfu)
        except ValueError:
            raise InputError(f"mfu must be a fraction in (0, 1] or 'default', got {mfu!r}") from None
    if mfu is not None:
        _checks.fraction("mfu", mfu)
    if goodput is not None:
        _checks.fraction("goodput", goodput)
    if embodied_kgco2e is not None:
        _checks.non_negative("embodied_kgco2e", embodied_kgco2e)
    r = tco.resolve(accelerator, site, financing=financing, system=system,
                    model=model if model is not None and not isinstance(model, Model) else None,
                    set=set, **tco_overrides)
    m = None
    if isinstance(model, Model):
        m = model
    elif r.has("model"):
        m = Model.from_entry(r.entry("model"))
    n = int(accelerators)
    acc_name = r.accelerator.slug
    if m is not None:
        check_states_fit(m, n, r["accelerator.memory_capacity_gb"] * ACCELERATOR_GB / 1e9,
                         acc_name)

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
        flops = m.training_flops(tokens, context=_seq(m, r, seq_len))

    # --- MFU --------------------------------------------------------------------------------
    hw = parallelism.Hardware.from_catalog(r, precision)
    step = None
    layout_str = None
    source = "given"
    seq = _seq(m, r, seq_len) if m is not None else seq_len
    if mfu is None and (m is None or flat_mfu):
        mfu = r.assumption("training-mfu")
        source = "flat default (catalog assumption training-mfu)"
    elif mfu is None and layout is None and r.value("assumptions.training-mfu").layer != "catalog":
        # the flat MFU set over the catalog (--set, a user catalog file): asked for, so used
        mfu = r.assumption("training-mfu")
        source = f"assumption training-mfu as set ({r.value('assumptions.training-mfu').layer})"
    elif mfu is None:
        searched = layout is None  # no layout asked for: the search predicts the MFU
        est = None
        layout = "auto" if layout is None else layout
        batch_tokens = global_batch_tokens or r.assumption("global-batch-tokens")
        if batch_tokens < seq:
            raise InputError(
                f"a global batch of {batch_tokens:,.0f} tokens is shorter than one sequence of "
                f"{seq:,} tokens; raise global_batch_tokens (--batch-tokens) to at least "
                f"{seq:,} or shorten the sequence")
        batch = max(int(round(batch_tokens / seq)), 1)
        if str(layout) == "auto":
            found = parallelism.auto_layout(m, n, r, global_batch=batch, seq_len=seq,
                                            precision=precision, hardware=hw)
            if found.best is None and searched:
                import warnings

                from ..errors import ModelWarning

                why = "; ".join(found.rejected.values()) or "no layout divides the cluster"
                warnings.warn(ModelWarning(f"no layout of {m.name} fits {n:,} x {acc_name} ({why[:160]}); "
                              "using the flat MFU default instead (pass --mfu or --layout)"),
                              stacklevel=2)
                mfu = r.assumption("training-mfu")
                source = "flat default (no layout divides the cluster)"
            elif found.best is None:
                why = "; ".join(found.rejected.values()) or "no layout divides the cluster"
                raise InputError(
                    f"no layout of {m.name} fits {n} x {acc_name} (global batch {batch} "
                    f"sequences of {seq}): {why}; pass --mfu or another cluster size"
                )
            else:
                est = found.best
                source = "predicted from the best layout found"
        else:
            lay = parallelism.Layout.parse(layout) if isinstance(layout, str) else layout
            if lay.accelerators != n:
                raise InputError(
                    f"layout {lay} uses tp*pp*dp*cp = {lay.accelerators} accelerators, the "
                    f"cluster has {n}"
                )
            est = parallelism.step_time(m, lay, r, global_batch=batch, seq_len=seq,
                                        precision=precision, hardware=hw)
            if not est.fits:
                raise InputError(est.reason)
            source = "predicted from the given layout"
        if est is not None:  # else the flat default, after a search that found nothing
            mfu = est.mfu
            step = est.to_dict()
            layout_str = str(est.layout)

    # --- reliability ------------------------------------------------------------------------
    # the TCO's system: described once per estimate (a Monte Carlo block's arrays included)
    cost = tco.accelerator_hour(r, accelerators=n, pricing=pricing,
                                energy_convention=energy_convention)
    sysd = cost.system
    rel = run_goodput(r, n, failure_rate=failure_rate, checkpointing=checkpointing,
                      recovery=recovery, spares=spares, checkpoint_s=checkpoint_s,
                      restart_s=restart_s, layout=layout_str, system=sysd)
    gp = rel["goodput"] if goodput is None else goodput
    if goodput is None:
        _check_progress(rel, n)

    # --- time, cost, energy -----------------------------------------------------------------
    wall_h = run_hours(flops, n, hw.peak_flop_per_s, mfu, gp)
    acc_hours = n * wall_h
    breakdown = cost.breakdown.scale(acc_hours, unit="USD", label="training run cost")
    rel = dict(rel, accelerators_per_failure=sysd.blast_radius_accelerators)
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
        wall_days=wall_h / 24.0,
        accelerator_hours=acc_hours,
        cost_usd=breakdown.total,
        breakdown=breakdown,
        rental_cost_usd=None if price_per_hour is None else acc_hours * np.asarray(price_per_hour),
        layout=layout_str,
        step=step,
        reliability=rel,
        mfu_source=source,
        mfu_interval=_mfu_interval(r, mfu) if source.startswith("predicted") else None,
        seq_len=None if seq is None else int(seq),
        hour_cost=cost,
        embodied_per_accelerator_kgco2e=embodied_kgco2e,
    )


def _mfu_interval(r, mfu) -> tuple[float, float] | None:
    """Where a predicted ``mfu`` lands: times the ``training-mfu-error`` assumption's 90% range
    (realised over predicted MFU on held-out published layouts), at most 1."""
    err = r.value("assumptions.training-mfu-error")
    if err.low is None:
        return None
    return float(mfu) * float(err.low), min(float(mfu) * float(err.high), 1.0)


#: Goodput below which a point estimate warns that restarts leave the run almost no time.
LOW_GOODPUT = 0.01


def _check_progress(rel: dict, n: int) -> None:
    """InputError when failures leave a run no progress at all (goodput 0 in floating point:
    restarts that take many times the mean time between failures), naming the interruption
    rate and the remedies, rather than a wall time of infinity."""
    g = np.asarray(rel["goodput"], dtype=float)
    per_day = np.broadcast_to(np.asarray(rel["failures_per_day"], dtype=float), g.shape)
    if g.ndim == 0 and 0.0 < g < LOW_GOODPUT:
        import warnings

        from ..errors import ModelWarning

        warnings.warn(ModelWarning(
            f"goodput {float(g):.2g}: {n:,} accelerators are interrupted {float(per_day):,.0f} "
            f"times a day, and restarts leave almost no time to train; use {_remedies(rel)}"),
            stacklevel=3)
    if not np.any(g <= 0.0):
        return
    worst = float(per_day[g <= 0.0].min())  # the mildest rate at which no progress is made
    raise InputError(
        f"the run makes no progress: {n:,} accelerators are interrupted {worst:,.0f} times a day "
        f"(every {1440.0 / worst:.2g} min), faster than the run recovers; use {_remedies(rel)}")


def _remedies(rel: dict) -> str:
    """What would shorten the recovery from failures, among the options not already used."""
    options = [o for o, used in (("in-memory checkpointing",
                                  rel.get("checkpointing") == "in-memory"),
                                 ("replica recovery", rel.get("recovery") == "replica")) if not used]
    parts = options + ["fewer accelerators", "a lower failure rate"]
    return ", ".join(parts[:-1]) + " or " + parts[-1]


def run_goodput(r, accelerators, *, failure_rate=None, checkpointing="sync", recovery="restart",
                spares=None, checkpoint_s=None, restart_s=None, layout=None, system=None) -> dict:
    """Goodput of a run on ``accelerators`` of resolved inputs ``r``, as :func:`estimate`
    computes it: per-component failure rates scaled to ``failure_rate`` (default the catalog
    assumption), the system's blast radius, hot spares, checkpoints and restarts. Inputs may
    be arrays of samples. Returns ``goodput`` and the reliability details of
    :class:`TrainingEstimate` (``reliability``).

    Examples
    --------
    >>> from siliconomics import tco
    >>> 0.8 < run_goodput(tco.resolve("h100"), 16_384)["goodput"] < 1.0
    True
    """
    from .. import systems as _systems

    sysd = _systems.describe(r) if system is None else system
    rate = failure_rate if failure_rate is not None else r.assumption(
        "failure-rate-per-accelerator-hour")
    return _goodput(r, int(accelerators), sysd, rate, checkpointing=checkpointing,
                    recovery=recovery, spares=spares, checkpoint_s=checkpoint_s,
                    restart_s=restart_s, replica=_replica_size(layout, sysd))


def hot_spares(r, accelerators, *, failure_rate=None, system=None, expected=None):
    """Hot spare accelerators a run of ``accelerators`` keeps by default: the
    ``hot-spare-fraction`` of the cluster, or more where one failure takes out a whole system
    (a TPU cube, an NVL72 rack): enough spare systems that a failure finds none free at most 1%
    of the time, as operators size pools to failures and repair time.

    The pool is sized once, before the run, for the failure rate and repair time expected:
    those of ``expected`` (resolved inputs; default ``r``'s, their mean where they are samples).
    A Monte Carlo run passes its point inputs, so each sample's pool depends on its own
    inputs (its ``hot-spare-fraction``) and never on the others drawn with it. [count; an
    array where the fraction is one]

    Examples
    --------
    >>> from siliconomics import tco
    >>> hot_spares(tco.resolve("h100"), 16_384) >= 0.01 * 16_384
    True
    """
    from .. import systems as _systems

    n = int(accelerators)
    if expected is None:
        sysd = _systems.describe(r) if system is None else system
        rate = failure_rate if failure_rate is not None else r.assumption(
            "failure-rate-per-accelerator-hour")
        need = _units_needed(r, n, sysd, _scaled_rates(sysd, rate))
    else:
        need = _needed_for(expected, n)
    return _pool(r, n, need)


def _scaled_rates(sysd, rate) -> dict:
    """Per-component failure rates of ``sysd``'s accelerators, scaled to the total ``rate``."""
    rates = reliability.component_rates(sysd.hosts / sysd.accelerators)
    calibrated = sum(reliability.component_rates().values())
    return {k: v * np.asarray(rate, dtype=float) / calibrated for k, v in rates.items()}


def _units_needed(r, n, sysd, rates) -> int:
    """Spare accelerators (whole systems) for which a failure finds none free at most 1% of the
    time, at the mean of ``rates`` and ``r``'s repair time."""
    in_repair = float(np.mean((rates["accelerator"] + rates["host"]) * n
                              * np.mean(r.assumption("repair-hours"))))
    return reliability.spare_units_for(in_repair) * max(int(sysd.blast_radius_accelerators), 1)


@_memo.per_inputs(maxsize=16)
def _needed_for(expected, n: int) -> int:
    from .. import systems as _systems

    sysd = _systems.describe(expected)
    rate = expected.assumption("failure-rate-per-accelerator-hour")
    return _units_needed(expected, n, sysd, _scaled_rates(sysd, rate))


def _pool(r, n, need: int):
    """The larger of the ``hot-spare-fraction`` of ``n`` and ``need``."""
    share = np.asarray(r.assumption("hot-spare-fraction"), dtype=float)
    if share.ndim == 0:
        return max(int(n * float(share)), need)
    return np.maximum(np.floor(n * share), need)


def _replica_size(layout_str, sysd) -> int:
    """Accelerators of one data-parallel replica (tp x pp x cp), else the scale-up domain."""
    if layout_str:
        lay = parallelism.Layout.parse(layout_str)
        return lay.tp * lay.pp * lay.cp
    return int(sysd.scaleup_domain)


def _goodput(r, n, sysd, rate, *, checkpointing, recovery, spares, checkpoint_s, restart_s,
             replica) -> dict:
    """Goodput from the per-component failure model, scaled to the total ``rate``."""
    if checkpointing not in reliability.CHECKPOINTING:
        from ..errors import unknown

        raise InputError(unknown("checkpointing", checkpointing, reliability.CHECKPOINTING))
    if spares is not None:
        _checks.within("spares", spares, 0, MAX_ACCELERATORS)
    rates = _scaled_rates(sysd, rate)
    if checkpoint_s is None:
        checkpoint_s = r.assumption("checkpoint-write-s" if checkpointing == "sync"
                                    else "checkpoint-async-stall-s")
    if restart_s is None:
        restart_s = r.assumption("restart-in-memory-s" if checkpointing == "in-memory"
                                 else "restart-s")
    if spares is None:
        spares = _pool(r, n, _units_needed(r, n, sysd, rates))
    out = reliability.cluster_goodput(
        n, rates=rates, blast=sysd.blast_radius_accelerators, checkpoint_s=checkpoint_s,
        restart_s=restart_s, recovery=recovery, replica=replica,
        reconfigure_s=r.assumption("replica-reconfigure-s"), spares=spares,
        repair_h=r.assumption("repair-hours"))
    return {"goodput": out["goodput"], "mtbf_h": out["mtbf_h"],
            "failures_per_day": out["failures_per_day"],
            "spare_shortfall": out["spare_shortfall"], "spares": spares,
            "checkpointing": checkpointing, "recovery": recovery,
            "failures_per_day_by_component": {k: 24.0 * v for k, v in out["components"].items()}}


def _seq(m: Model, r, seq_len) -> int:
    """Sequence length of a run: given, else the model's published pre-training sequence
    (``training_seq_len`` in the catalog), else min(context, 8192)."""
    if seq_len:
        if int(seq_len) > m.context_length:
            import warnings

            from ..errors import ModelWarning

            warnings.warn(ModelWarning(
                f"a sequence of {int(seq_len):,} tokens is beyond {m.name}'s context window of "
                f"{m.context_length:,} tokens (priced as a context extension of the same "
                "architecture)"), stacklevel=3)
        return int(seq_len)
    published = r.entry("model").get("training_seq_len") if r.has("model") else None
    return int(published) if published else min(m.context_length, 8192)


def _named_groups(groups) -> dict[str, str]:
    """Catalog slug -> the name a user gave it, for every group of a mixed fleet: each count
    within range, each accelerator named once."""
    from .. import catalog

    if not groups:
        raise InputError("groups must name at least one accelerator and its count")
    named: dict[str, str] = {}
    for name, count in groups.items():
        _checks.within(f"count of {name}", count, 1, MAX_ACCELERATORS)
        slug = catalog.accelerator(name).slug
        if slug in named:
            raise InputError(f"groups name {slug} twice ({named[slug]!r} and {name!r}); give "
                             "each accelerator once with its whole count")
        named[slug] = name
    return named


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
    speeds, counts = {}, {}
    for slug, name in _named_groups(groups).items():
        count = groups[name]
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


def mixed_run(groups, model="llama-3.1-405b", *, tokens=None, precision="bf16",
              seq_len=None, global_batch_tokens=None, site=None, financing=None):
    r"""One training run on data-parallel groups of different accelerator generations.

    Each group gets its own layout (the best the search finds for its share of the batch) and
    so its own MFU. The batch is split in proportion to each group's speed, so every group
    finishes its share of a step together; the groups then average gradients across the
    scale-out network, a step of their own that no backward pass hides (the groups' backward
    passes do not line up): the **cross-generation penalty**, :math:`2 (k-1)/k \cdot S / B`
    for :math:`k` groups, :math:`S = 2 P / n_{\min}` the bf16 gradient bytes each accelerator
    of the smaller group holds after its group's own reduce-scatter, and :math:`B` the slower
    group's scale-out bandwidth. Goodput is that of all the accelerators together.

    Parameters
    ----------
    groups : mapping of str to int
        Accelerator -> count (``{"h100-sxm": 8192, "b200": 8192}``).
    model : str or Model
        Model trained (default Llama 3.1 405B).
    tokens : numeric, optional
        Training tokens (default the model's published tokens). [tokens]
    precision, seq_len, global_batch_tokens, site, financing
        As for :func:`estimate`.

    Returns
    -------
    dict
        ``groups`` (per accelerator: count, layout, MFU, tokens/s, batch share, cost and energy
        rates), ``wall_days``, ``accelerator_hours``, ``cost_usd``, ``energy_mwh``,
        ``penalty_s_per_step``, ``goodput``, ``faster_alone`` (the fastest group's own run)
        and ``vs_faster_alone`` (the mixed run's wall time over it, minus one: negative when
        adding the slower group shortens the run).
    """
    from .. import catalog, tco

    named = _named_groups(groups)
    m = Model.from_catalog(model)
    solo = {}
    for slug, name in named.items():
        count = groups[name]
        solo[slug] = estimate(m if not isinstance(model, str) else model, tokens,
                              accelerator=slug, accelerators=int(count), precision=precision,
                              seq_len=seq_len, global_batch_tokens=global_batch_tokens,
                              site=site, financing=financing)
    first = next(iter(solo.values()))
    flops = float(first.training_flops)
    rate = {k: flops / (e.wall_days * 86400.0 * e.goodput) for k, e in solo.items()}  # FLOP/s
    total_rate = sum(rate.values())
    # cross-generation gradient exchange, once a step
    seq = first.seq_len or 4096
    batch_tokens = global_batch_tokens or catalog.assumption("global-batch-tokens")
    steps = flops / (3.0 * m.forward_flops_per_token(seq) * batch_tokens)
    k = len(solo)
    penalty = 0.0
    if k > 1:
        nbytes = 2.0 * m.params_total / min(e.accelerators for e in solo.values())
        bw = min(parallelism.Hardware.from_catalog(slug, precision).scaleout_gb_per_s * 1e9
                 * parallelism.Hardware.from_catalog(slug, precision).collective_efficiency
                 for slug in solo)
        penalty = 2.0 * (k - 1) / k * nbytes / bw
    n_total = sum(int(c) for c in groups.values())
    rel = reliability.optimal_goodput(
        n_total, catalog.assumption("failure-rate-per-accelerator-hour"),
        catalog.assumption("checkpoint-write-s"), catalog.assumption("restart-s"))
    gp = float(rel["goodput"])
    compute_s = flops / total_rate
    wall_s = (compute_s + steps * penalty) / gp
    out_groups, cost, energy, hours = {}, 0.0, 0.0, 0.0
    for slug, e in solo.items():
        n = e.accelerators
        h = n * wall_s / 3600.0
        usd_h = float(e.usd_per_accelerator_hour)
        mwh_h = float(e.energy_mwh) / float(e.accelerator_hours)
        cost += h * usd_h
        energy += h * mwh_h
        hours += h
        out_groups[slug] = {
            "accelerators": n, "layout": e.layout, "mfu": float(e.mfu),
            "mfu_source": e.mfu_source, "batch_share": rate[slug] / total_rate,
            "flop_per_s": rate[slug], "usd_per_accelerator_hour": usd_h,
            "mwh_per_accelerator_hour": mwh_h,
        }
    fast = max(solo, key=lambda s: rate[s])
    fast_days = float(solo[fast].wall_days)
    return {
        "model": m.name,
        "precision": precision,
        "training_flops": flops,
        "groups": out_groups,
        "goodput": gp,
        "penalty_s_per_step": penalty,
        "steps": steps,
        "wall_days": wall_s / 86400.0,
        "accelerator_hours": hours,
        "cost_usd": cost,
        "energy_mwh": energy,
        "faster_alone": {"accelerator": fast, "wall_days": fast_days,
                         "cost_usd": float(solo[fast].cost_usd),
                         "energy_mwh": float(solo[fast].energy_mwh)},
        "vs_faster_alone": wall_s / 86400.0 / fast_days - 1.0,
    }
