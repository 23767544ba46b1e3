r"""Step time, MFU and memory of a parallel training layout, and the search for the best one.

A layout splits :math:`N = t \cdot p \cdot d \cdot c` accelerators into tensor (:math:`t`),
pipeline (:math:`p`), data (:math:`d`) and context (:math:`c`) parallel groups; expert
parallelism (:math:`e`) is carved out of the data-parallel ranks. One optimizer step processes
the global batch as :math:`m = B / (d \cdot b)` micro-batches of :math:`b` sequences per
pipeline. The step time is

.. math::

   T = T_{\text{compute}} \left(1 + \frac{p - 1}{v\, m}\right) + T_{TP} + T_{EP} + T_{PP}
       + \max\!\left(0,\; T_{DP} - o \cdot T_{\text{bwd, last}}\right)

- compute: the step's hardware FLOPs (model FLOPs plus recomputation) over :math:`N` times the
  dense peak times an achievable matmul efficiency;
- pipeline bubble of the 1F1B schedule, :math:`(p-1)/(v m)` of the compute (Narayanan et al.
  2021), :math:`v` virtual stages per rank;
- tensor-parallel collectives (Megatron: two all-reduces of the activations per layer forward,
  two backward, two more when recomputing) over the scale-up links, not overlapped;
- expert all-to-all (dispatch and combine, forward and backward) over scale-up links when the
  expert group fits in the scale-up domain, else over the scale-out network;
- pipeline point-to-point sends of activations over the scale-out network;
- the data-parallel gradient reduction (ring all-reduce volume; ZeRO-3 adds parameter
  gathers), hidden behind a share :math:`o` of the last micro-batch's backward pass.

Memory per accelerator follows Rajbhandari et al. (2020) for model states (16 bytes per
parameter with mixed-precision Adam, divided by ZeRO stage) and Korthikanti et al. (2022) for
activations with tensor and sequence parallelism (:math:`s b h (34 + 5 a s / h) / t` bytes per
layer, 34 with selective recomputation, 2 with full recomputation), times the micro-batches in
flight on the first pipeline stage.

References
----------
.. [1] D. Narayanan et al., "Efficient Large-Scale Language Model Training on GPU Clusters Using
   Megatron-LM," SC'21, arXiv:2104.04473.
.. [2] V. Korthikanti et al., "Reducing Activation Recomputation in Large Transformer Models,"
   arXiv:2205.05198, 2022.
.. [3] S. Rajbhandari et al., "ZeRO: Memory Optimizations Toward Training Trillion Parameter
   Models," SC'20, arXiv:1910.02054.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from dataclasses import dataclass, field

from .. import _checks
from ..errors import InputError
from .models import Model, bytes_per_element
from ..results import ResultMixin

RECOMPUTE = ("none", "selective", "full")

#: Fraction of HBM a training job can use (framework reserve, fragmentation, NCCL buffers).
USABLE_HBM_FRACTION = 0.9


@dataclass(frozen=True)
class Layout:
    """Parallel degrees and schedule of a training job."""

    tp: int = 1
    pp: int = 1
    dp: int = 1
    ep: int = 1
    cp: int = 1
    microbatch: int = 1
    zero: int = 1
    recompute: str = "selective"
    interleave: int = 1
    ep_overlap: float = 0.0  # share of expert all-to-all hidden behind compute (DualPipe: ~1)

    def __post_init__(self):
        for f in ("tp", "pp", "dp", "ep", "cp", "microbatch", "interleave"):
            v = getattr(self, f)
            if int(v) != v or v < 1:
                raise InputError(f"layout {f} must be a whole number >= 1, got {v}")
        if not 0.0 <= self.ep_overlap <= 1.0:
            raise InputError(f"layout ep_overlap must be in [0, 1], got {self.ep_overlap}")
        if self.zero not in (0, 1, 2, 3):
            raise InputError(f"layout zero must be 0, 1, 2 or 3, got {self.zero}")
        if self.recompute not in RECOMPUTE:
            from ..errors import unknown

            raise InputError(unknown("recompute mode", self.recompute, RECOMPUTE))

    @property
    def accelerators(self) -> int:
        return self.tp * self.pp * self.dp * self.cp

    @classmethod
    def parse(cls, text: str) -> Layout:
        """``"tp=8,pp=16,dp=128"`` (also ``ep``, ``cp``, ``mb``, ``zero``, ``recompute``, ``v``).

        >>> Layout.parse("tp=8, pp=16, dp=128, recompute=full")
        Layout(tp=8, pp=16, dp=128, ep=1, cp=1, microbatch=1, zero=1, recompute='full', interleave=1, ep_overlap=0.0)
        """
        names = {"mb": "microbatch", "v": "interleave", "microbatch": "microbatch",
                 "interleave": "interleave", "zero": "zero", "recompute": "recompute",
                 "tp": "tp", "pp": "pp", "dp": "dp", "ep": "ep", "cp": "cp", "ep_overlap": "ep_overlap"}
        kw: dict = {}
        for part in filter(None, (p.strip() for p in str(text).split(","))):
            m = re.fullmatch(r"([a-z_]+)\s*=\s*([\w.+-]+)", part)
            if not m:
                raise InputError(f"layout part {part!r} is not name=value (e.g. 'tp=8,pp=4,dp=64')")
            key, val = m.groups()
            if key not in names:
                from ..errors import unknown

                raise InputError(unknown("layout key", key, names))
            if names[key] == "recompute":
                kw["recompute"] = val
            elif names[key] == "ep_overlap":
                try:
                    kw["ep_overlap"] = float(val)
                except ValueError:
                    raise InputError(f"layout ep_overlap must be a number, got {val!r}") from None
            else:
                try:
                    kw[names[key]] = int(val)
                except ValueError:
                    raise InputError(f"layout {key} must be a whole number, got {val!r}") from None
        return cls(**kw)

    def __str__(self) -> str:
        parts = [f"tp={self.tp}", f"pp={self.pp}", f"dp={self.dp}"]
        if self.ep > 1:
            parts.append(f"ep={self.ep}")
        if self.cp > 1:
            parts.append(f"cp={self.cp}")
        parts += [f"mb={self.microbatch}", f"zero={self.zero}", f"recompute={self.recompute}"]
        if self.interleave > 1:
            parts.append(f"v={self.interleave}")
        if self.ep_overlap:
            parts.append(f"ep_overlap={self.ep_overlap!r}")  # exact, so parse() round-trips
        return ",".join(parts)


@dataclass
class StepEstimate(ResultMixin):
    """Time and memory of one optimizer step of a layout."""

    layout: Layout
    step_s: float
    parts_s: dict  # compute, bubble, tp, ep, pp, dp (exposed)
    tokens_per_step: float
    model_flops_per_step: float
    hardware_flops_per_step: float
    peak_flop_per_s: float  # per accelerator, at the training precision
    accelerators: int
    memory_gb: dict  # states, activations, total, usable
    fits: bool
    reason: str = ""

    @property
    def mfu(self) -> float:
        """Model FLOPs utilisation: model FLOPs per second over the aggregate peak."""
        return self.model_flops_per_step / (self.step_s * self.accelerators * self.peak_flop_per_s)

    @property
    def hfu(self) -> float:
        """Hardware FLOPs utilisation (recomputation counted)."""
        return self.hardware_flops_per_step / (
            self.step_s * self.accelerators * self.peak_flop_per_s
        )

    @property
    def tokens_per_s(self) -> float:
        return self.tokens_per_step / self.step_s

    def _repr_html_(self) -> str:
        """Notebook display: step time and MFU, the time by part, memory per accelerator."""
        from ..results import Breakdown, html_card, number

        return html_card(
            f"One step of {self.layout} on {self.accelerators:,} accelerators"
            + ("" if self.fits else f" (does not fit: {self.reason})"),
            f"{number(self.step_s, 3)} s per step, MFU {number(100 * self.mfu, 3)}%",
            breakdown=Breakdown(self.parts_s, unit="s", label="step time"),
            inputs=[("tokens per step", self.tokens_per_step),
                    ("tokens/s", self.tokens_per_s), ("HFU", self.hfu),
                    *((f"memory {k} [GB]", v) for k, v in self.memory_gb.items())])

    def to_dict(self) -> dict:
        return {
            "layout": str(self.layout),
            "step_s": self.step_s,
            "mfu": self.mfu,
            "hfu": self.hfu,
            "tokens_per_s": self.tokens_per_s,
            "time_s": dict(self.parts_s),
            "memory_gb": dict(self.memory_gb),
            "fits": self.fits,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Hardware:
    """What the step model needs to know about an accelerator and its cluster."""

    name: str
    peak_flop_per_s: float  # dense, at the training precision
    hbm_gb: float
    scaleup_gb_per_s: float  # one direction, per accelerator
    scaleup_domain: int
    scaleout_gb_per_s: float  # one direction, per accelerator
    matmul_efficiency: float = 0.75
    collective_efficiency: float = 0.75
    dp_overlap: float = 0.8

    @classmethod
    def from_catalog(cls, accelerator, precision="bf16", **overrides) -> Hardware:
        """The hardware of an accelerator in its system: a name, an entry or resolved inputs
        (:func:`siliconomics.catalog.resolve`), whose values are used as they are."""
        from .. import catalog

        r = accelerator if isinstance(accelerator, catalog.Resolved) else catalog.resolve(accelerator)
        a = r.accelerator
        key = {"bf16": "bf16_tflop_per_s", "fp16": "bf16_tflop_per_s",
               "fp8": "fp8_tflop_per_s", "fp4": "fp4_tflop_per_s"}.get(str(precision).lower())
        if key is None:
            raise InputError(f"training precision must be bf16, fp8 or fp4, got {precision!r}")
        peak = a.get(key)
        if peak is None:
            raise InputError(f"{a.slug} has no dense {precision} peak in the catalog; use bf16")
        kw = dict(
            name=a.slug,
            peak_flop_per_s=peak * 1e12,
            hbm_gb=r["accelerator.memory_capacity_gb"],
            scaleup_gb_per_s=r["system.scaleup_bandwidth_gb_per_s"] / 2.0,
            scaleup_domain=int(r["system.scaleup_domain"]),
            scaleout_gb_per_s=r.assumption("scaleout-bandwidth-gb-per-s"),
            matmul_efficiency=r.assumption("matmul-efficiency"),
            collective_efficiency=r.assumption("collective-efficiency"),
            dp_overlap=r.assumption("dp-overlap"),
        )
        kw.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**kw)


def _param_split(model: Model) -> tuple[float, float]:
    """(dense parameters, expert parameters) of a model."""
    if not model.is_moe:
        return model.params_total, 0.0
    per_expert = model._ffn(model.expert_ffn_size or model.ffn_size)
    experts = (model.layers - model.dense_layers) * model.experts * per_expert
    return model.params_total - experts, experts


def check_layout(model: Model, layout: Layout, accelerators: int, hw: Hardware,
                 global_batch: int) -> str:
    """Why ``layout`` cannot run (empty string when it can, memory aside)."""
    n = layout.accelerators
    if n != accelerators:
        return (f"layout {layout} uses tp*pp*dp*cp = {n} accelerators, the cluster has "
                f"{accelerators}")
    if layout.tp > hw.scaleup_domain:
        return (f"tp={layout.tp} exceeds the scale-up domain of {hw.scaleup_domain} "
                f"({hw.name}) by {layout.tp / hw.scaleup_domain:g}x")
    if model.heads % layout.tp:
        return f"tp={layout.tp} does not divide the {model.heads} attention heads"
    if layout.pp > model.layers:
        return f"pp={layout.pp} exceeds the {model.layers} layers"
    if layout.interleave > 1 and model.layers < layout.pp * layout.interleave:
        return f"pp*v={layout.pp * layout.interleave} exceeds the {model.layers} layers"
    if layout.ep > 1:
        if not model.is_moe:
            return f"ep={layout.ep} needs an MoE model; {model.name} is dense"
        if model.experts % layout.ep or (layout.dp * layout.cp) % layout.ep:
            return (f"ep={layout.ep} must divide the {model.experts} experts and "
                    f"dp*cp={layout.dp * layout.cp}")
    per = layout.dp * layout.microbatch
    if global_batch % per:
        return (f"global batch of {global_batch} sequences is not a multiple of "
                f"dp*microbatch = {per}")
    return ""


def step_time(
    model,
    layout: Layout,
    accelerator="h100-sxm",
    *,
    global_batch: int,
    seq_len: int = 4096,
    precision="bf16",
    hardware: Hardware | None = None,
) -> StepEstimate:
    """Time, FLOPs and memory of one optimizer step.

    Parameters
    ----------
    model : str or Model
        Catalog model or a :class:`~siliconomics.workloads.models.Model`.
    layout : Layout or str
        Parallel layout (``"tp=8,pp=8,dp=16"``).
    accelerator : str
        Catalog accelerator.
    global_batch : int
        Sequences per optimizer step. [count]
    seq_len : int
        Tokens per sequence. [count]
    precision : str
        Matmul precision: ``bf16`` or ``fp8``.
    hardware : Hardware, optional
        Overrides the catalog-derived hardware description.

    Returns
    -------
    StepEstimate
        With ``fits`` False and a ``reason`` when the layout is impossible or does not fit.

    Examples
    --------
    >>> s = step_time("gpt-3-175b", "tp=8,pp=16,dp=8,recompute=full", "a100-sxm4-80gb",
    ...               global_batch=1536, seq_len=2048)
    >>> s.fits, 0.35 < s.hfu < 0.6
    (True, True)
    """
    m = Model.from_catalog(model)
    lay = Layout.parse(layout) if isinstance(layout, str) else layout
    hw = hardware or Hardware.from_catalog(accelerator, precision)
    _checks.at_least("global_batch", global_batch, 1)
    _checks.at_least("seq_len", seq_len, 1)
    n = lay.accelerators
    reason = check_layout(m, lay, n, hw, global_batch)

    tokens = float(global_batch) * seq_len
    flops_token = m.training_flops_per_token(seq_len)
    fwd = m.forward_flops_per_token(seq_len)
    extra = {"none": 0.0, "full": fwd,
             "selective": 4.0 * m.layers * seq_len * m.attention_width}[lay.recompute]
    model_flops = tokens * flops_token
    hw_flops = tokens * (flops_token + extra)

    compute = hw_flops / (n * hw.peak_flop_per_s * hw.matmul_efficiency)
    micro = max(global_batch // (lay.dp * lay.microbatch), 1)
    bubble = compute * (lay.pp - 1) / (lay.interleave * micro)

    act_bytes = 2.0
    s_local = seq_len / lay.cp
    layers_local = m.layers / lay.pp
    msg = lay.microbatch * s_local * m.hidden_size * act_bytes  # one activation tensor
    up = hw.scaleup_gb_per_s * 1e9 * hw.collective_efficiency
    out = hw.scaleout_gb_per_s * 1e9 * hw.collective_efficiency

    tp = 0.0
    if lay.tp > 1:
        per_layer = 4 + (2 if lay.recompute == "full" else 0)
        tp = micro * layers_local * per_layer * 2.0 * (lay.tp - 1) / lay.tp * msg / up

    ep = 0.0
    if lay.ep > 1 and m.is_moe:
        moe_layers_local = (m.layers - m.dense_layers) / lay.pp
        per_gpu = msg / lay.tp * m.active_experts * (lay.ep - 1) / lay.ep
        bw = up if lay.ep * lay.tp <= hw.scaleup_domain else out
        count = 4 + (2 if lay.recompute == "full" else 0)
        ep = micro * moe_layers_local * count * per_gpu / bw
        ep = max(ep - lay.ep_overlap * compute, (1.0 - lay.ep_overlap) * ep)

    pp = 0.0
    if lay.pp > 1:
        pp = micro * lay.interleave * 2.0 * (msg / lay.tp) / out

    dense_p, expert_p = _param_split(m)
    dense_local = dense_p / (lay.tp * lay.pp)
    expert_local = expert_p / (lay.tp * lay.pp * lay.ep)
    grad_bytes = 2.0
    volume = 1.5 if lay.zero == 3 else 1.0

    def ring(nbytes, group):
        return 0.0 if group <= 1 else 2.0 * (group - 1) / group * nbytes

    dp_groups = lay.dp * lay.cp
    dp_total = volume * (
        ring(dense_local * grad_bytes, dp_groups)
        + ring(expert_local * grad_bytes, dp_groups // lay.ep)
    ) / out
    backward_last = (2.0 / 3.0) * compute / micro
    dp = max(0.0, dp_total - hw.dp_overlap * backward_last)

    # --- memory -----------------------------------------------------------------------------
    def states(p, group):
        z = lay.zero
        if z == 0:
            return 16.0 * p
        if z == 1:
            return 4.0 * p + 12.0 * p / group
        if z == 2:
            return 2.0 * p + 14.0 * p / group
        return 16.0 * p / group

    state_bytes = states(dense_local, dp_groups) + states(expert_local, max(dp_groups // lay.ep, 1))
    sbh = s_local * lay.microbatch * m.hidden_size
    per_layer = {
        "none": sbh * (34.0 + 5.0 * m.heads * s_local / m.hidden_size) / lay.tp,
        "selective": sbh * 34.0 / lay.tp,
        "full": sbh * 2.0 / lay.tp,
    }[lay.recompute]
    if m.is_moe:  # the MLP share of activations (19 of 34) scales with the experts used
        width = (m.active_experts + m.shared_experts) * (m.expert_ffn_size or m.ffn_size)
        if lay.recompute != "full":
            per_layer += sbh * 19.0 / lay.tp * (width / m.ffn_size - 1.0) * (
                1 - m.dense_layers / m.layers)
    in_flight = min(lay.pp, micro)
    logits = s_local * lay.microbatch * m.vocab_size * 4.0 / lay.tp  # fp32 logits, last stage
    act = per_layer * layers_local * in_flight + (logits if lay.pp == 1 else 0.0)
    total_gb = (state_bytes + act) / 1e9
    usable = hw.hbm_gb * USABLE_HBM_FRACTION
    fits = not reason and total_gb <= usable
    if not reason and not fits:
        hints = [h for h, ok in (("recompute=full", lay.recompute != "full"),
                                 ("zero=3", lay.zero < 3), ("a larger pp or tp", True)) if ok]
        reason = (f"layout {lay} needs {total_gb:.1f} GB per accelerator, {usable:.1f} GB usable "
                  f"of {hw.hbm_gb:g} GB HBM: {total_gb - usable:.1f} GB over; try "
                  + ", ".join(hints))

    parts = {"compute": compute, "bubble": bubble, "tp": tp, "ep": ep, "pp": pp, "dp": dp}
    return StepEstimate(
        layout=lay,
        step_s=sum(parts.values()),
        parts_s=parts,
        tokens_per_step=tokens,
        model_flops_per_step=model_flops,
        hardware_flops_per_step=hw_flops,
        peak_flop_per_s=hw.peak_flop_per_s,
        accelerators=n,
        memory_gb={"states": state_bytes / 1e9, "activations": act / 1e9, "total": total_gb,
                   "usable": usable},
        fits=fits,
        reason=reason,
    )


def _divisors(n: int) -> list[int]:
    small = [d for d in range(1, int(n**0.5) + 1) if n % d == 0]
    return sorted(set(small + [n // d for d in small]))


@dataclass
class SearchResult:
    """Best layout found and what was tried."""

    best: StepEstimate | None
    evaluated: int
    feasible: int
    rejected: dict = field(default_factory=dict)  # reason kind -> example reason

    def _repr_html_(self) -> str:
        """Notebook display: the best layout's card, or why none fits."""
        from ..results import html_card

        if self.best is not None:
            return self.best._repr_html_()
        return html_card("Layout search", f"no layout fits ({self.evaluated:,} tried)",
                         inputs=list(self.rejected.items()))


def auto_layout(
    model,
    accelerators: int,
    accelerator="h100-sxm",
    *,
    global_batch: int,
    seq_len: int = 4096,
    precision="bf16",
    hardware: Hardware | None = None,
    microbatches=(1, 2, 4),
    recompute=("selective", "full"),
    zero=(1,),
) -> SearchResult:
    """The layout with the shortest step among those that fit, for ``accelerators``.

    Tries every tensor degree up to the scale-up domain that divides the heads, every pipeline
    degree up to the layers, context parallelism for long sequences, expert degrees for MoE
    models, micro-batch sizes and recomputation modes; data parallelism takes the rest.

    Examples
    --------
    >>> r = auto_layout("llama-3.1-8b", 64, "h100-sxm", global_batch=512, seq_len=8192)
    >>> r.best.fits and r.best.mfu > 0.3
    True
    """
    m = Model.from_catalog(model)
    _checks.at_least("accelerators", accelerators, 1)
    hw = hardware or Hardware.from_catalog(accelerator, precision)
    best, evaluated, feasible, rejected = None, 0, 0, {}
    tps = [t for t in _divisors(accelerators) if t <= hw.scaleup_domain and m.heads % t == 0]
    cps = [1, 2, 4, 8] if seq_len >= 32_768 else [1]
    for tp, cp in itertools.product(tps, cps):
        if accelerators % (tp * cp):
            continue
        rest = accelerators // (tp * cp)
        for pp in (p for p in _divisors(rest) if p <= m.layers):
            dp = rest // pp
            eps = [1]
            if m.is_moe:
                eps = [e for e in _divisors(m.experts) if (dp * cp) % e == 0 and e <= 256]
            for ep, mb, rc, z in itertools.product(eps, microbatches, recompute, zero):
                if global_batch % (dp * mb):
                    rejected.setdefault("batch", f"global batch not a multiple of dp*mb={dp * mb}")
                    continue
                lay = Layout(tp=tp, pp=pp, dp=dp, ep=ep, cp=cp, microbatch=mb, zero=z,
                             recompute=rc)
                est = step_time(m, lay, hardware=hw, global_batch=global_batch,
                                seq_len=seq_len, precision=precision)
                evaluated += 1
                if not est.fits:
                    rejected.setdefault("memory" if "GB" in est.reason else "shape", est.reason)
                    continue
                feasible += 1
                if best is None or est.step_s < best.step_s:
                    best = est
    return SearchResult(best, evaluated, feasible, rejected)


def with_accelerators(layout: Layout, accelerators: int) -> Layout:
    """The same layout shape with data parallelism resized to ``accelerators``."""
    per_replica = layout.tp * layout.pp * layout.cp
    if accelerators % per_replica:
        raise InputError(
            f"{accelerators} accelerators is not a multiple of tp*pp*cp = {per_replica}"
        )
    return dataclasses.replace(layout, dp=accelerators // per_replica)
