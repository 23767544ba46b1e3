r"""Step time, MFU and memory of a parallel training layout, and the search for the best one.

A layout splits :math:`N = t \cdot p \cdot d \cdot c` accelerators into tensor (:math:`t`),
pipeline (:math:`p`), data (:math:`d`) and context (:math:`c`) parallel groups; expert
parallelism (:math:`e`) is carved out of the data-parallel ranks. One optimizer step processes
the global batch as :math:`m = B / (d \cdot b)` micro-batches of :math:`b` sequences per
pipeline. The step time is

.. math::

   T = T_{\text{compute}} \left(1 + \frac{p - 1}{v\, m}\right) + T_{TP} + T_{CP} + T_{EP}
       + T_{PP} + T_{DP}

- compute: the linear layers at the training precision's peak (FP8 where asked) and the
  attention core and output head at the BF16 peak, both times an achievable matmul efficiency
  (``matmul-efficiency``, calibrated on one published BF16 run on H100, whose GEMMs are wide,
  scaled by the accelerator's measured large-GEMM share of peak over H100's; an
  accelerator's own ``matmul_efficiency`` where the catalog sets one, as for TPUs); FP8
  (FP4) linear layers keep the share of that efficiency that measured large FP8 GEMMs keep
  of the FP8 peak against BF16 GEMMs of theirs (:func:`precision_gemm_factor`: 0.79 on
  H100, 1.58x the BF16 speed rather than 2x); in BF16 on
  accelerators with measured GEMM timings (catalog ``gemm_efficiency``, :class:`GemmModel`)
  the linear layers and output head times the measured speed of their own GEMM shapes
  relative to wide ones, so narrow GEMMs (a small model split by tensor parallelism) run
  further from the peak; each linear layer at least the
  time to read its weights from HBM once a pass and micro-batch (a roofline, which binds small
  expert GEMMs); plus the memory-bound element-wise work (norms, residuals, activations, and
  without FlashAttention the softmax and dropout over every score) and the loss over the
  logits (:data:`LOSS_BYTES_PER_LOGIT`, on the last stage); the slowest pipeline stage (most
  layers, or the last with the output head and the loss) sets the pace;
- pipeline bubble of the (interleaved) 1F1B schedule, :math:`(p-1)/(v m)` of the compute
  (Narayanan et al. 2021), :math:`v` virtual stages per rank, once the :math:`m`
  micro-batches fill the :math:`p` stages; with fewer (:func:`bubble_fraction`) interleaving
  cannot fill them;
- tensor-parallel collectives with sequence parallelism (an all-gather and a reduce-scatter
  per block and pass, two all-reduces' worth; one of each per layer when attention and FFN
  run side by side, as in PaLM) over the system's scale-up links; a share ``tp_overlap`` of
  them hides behind the stage's linear layers (Megatron and Transformer Engine's
  ``tp_comm_overlap`` pipelines them with the GEMMs; 0 by default); on a torus (TPU ICI) a
  collective drives only the links of the dimensions its group spans;
- context-parallel exchange of keys and values (all-gather forward, all-gather and
  reduce-scatter backward);
- expert all-to-all (dispatch and combine, forward and backward) over scale-up links when the
  expert group fits in the scale-up domain, else over the scale-out network;
- pipeline sends along the warm-up and drain path (steady-state sends hide behind compute);
- the data-parallel gradient reduce-scatter and parameter all-gather over the system's
  scale-out bandwidth (NICs per accelerator times the system's per-NIC rate, else the
  catalog default), times the members of the group each scale-up domain holds, whose NICs
  the ring crosses together (:func:`_ring_out_gb_per_s`), plus NCCL's ring latency per
  collective (:func:`ring_latency_s`: per gradient bucket, or per layer with ZeRO-3), hidden
  behind a share :math:`o` of one micro-batch's compute;
  ZeRO-3/FSDP gathers the parameters twice and reduce-scatters the gradients in every
  micro-batch, prefetched behind a share :math:`o` of the whole step's compute
  (:func:`dp_exposed_s`). With ``dcn`` groups (TPU pods joined by the data-center network)
  each group reduces over its scale-up links and shards its own full copy, and only the
  reduced shards cross the scale-out network.

Full recomputation redoes the forward pass once more in the backward pass: all of it
(Megatron), or a share ``remat`` of the linear layers with the whole attention core (PaLM).

Memory per accelerator (:mod:`.training_memory`): model states by ZeRO stage, activations of
today's layers (FlashAttention, GQA/MLA, gated FFNs, sequence and context parallelism) by
recomputation mode and micro-batches in flight on each pipeline stage, with uneven first and
last stages. A layout fits when the largest stage takes at most the HBM less the
``training-memory-headroom`` assumption.

References
----------
.. [1] D. Narayanan et al., "Efficient Large-Scale Language Model Training on GPU Clusters Using
   Megatron-LM," SC'21, arXiv:2104.04473.
.. [2] V. Korthikanti et al., "Reducing Activation Recomputation in Large Transformer Models,"
   arXiv:2205.05198, 2022.
.. [3] S. Rajbhandari et al., "ZeRO: Memory Optimizations Toward Training Trillion Parameter
   Models," SC'20, arXiv:1910.02054.
.. [4] A. Grattafiori et al., "The Llama 3 Herd of Models," arXiv:2407.21783, 2024.
.. [5] A. Chowdhery et al., "PaLM: Scaling Language Modeling with Pathways,"
   arXiv:2204.02311, 2022.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import re
from dataclasses import dataclass, field

from .. import _checks
from ..errors import InputError
from ..units import ACCELERATOR_GB
from . import training_memory
from .models import Model
from ..results import ResultMixin

RECOMPUTE = ("none", "selective", "full")

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
    dcn: int = 1  # data-parallel groups joined over the scale-out network (pods, slices)
    remat: float = 1.0  # share of the linear layers' forward that full recomputation redoes
    tp_overlap: float = 0.0  # share of tensor-parallel collectives hidden behind the GEMMs
    etp: int = 0  # expert tensor parallelism; 0: as tp. 1 with tp > 1 folds the experts over
    # the tensor-parallel ranks (Megatron-Core's MoE parallel folding): ep may then span tp x dp

    def __post_init__(self):
        for f in ("tp", "pp", "dp", "ep", "cp", "microbatch", "interleave", "dcn"):
            v = getattr(self, f)
            if int(v) != v or v < 1:
                raise InputError(f"layout {f} must be a whole number >= 1, got {v}")
        for f in ("ep_overlap", "tp_overlap"):
            if not 0.0 <= getattr(self, f) <= 1.0:
                raise InputError(f"layout {f} must be in [0, 1], got {getattr(self, f)}")
        if not 0.0 <= self.remat <= 1.0:
            raise InputError(f"layout remat must be in [0, 1], got {self.remat}")
        if self.remat != 1.0 and self.recompute != "full":
            raise InputError(f"layout remat={self.remat} is the share of the linear layers "
                             "that full recomputation redoes: give recompute=full")
        if self.zero not in (0, 1, 2, 3):
            raise InputError(f"layout zero must be 0, 1, 2 or 3, got {self.zero}")
        if self.recompute not in RECOMPUTE:
            from ..errors import unknown

            raise InputError(unknown("recompute mode", self.recompute, RECOMPUTE))
        if self.dp % self.dcn:
            raise InputError(f"layout dcn={self.dcn} must divide dp={self.dp}: each group "
                             "across the scale-out network holds dp/dcn of the replicas")
        if int(self.etp) != self.etp or self.etp < 0 or (self.etp and self.tp % self.etp):
            raise InputError(f"layout etp must divide tp={self.tp} (or be 0 for etp = tp), got "
                             f"{self.etp}")
        if self.interleave > 1 and self.pp < 2:
            raise InputError(f"interleaving (v={self.interleave}) needs pipeline stages to "
                             "interleave: give pp >= 2 or drop v")

    @property
    def accelerators(self) -> int:
        return self.tp * self.pp * self.dp * self.cp

    @property
    def expert_tp(self) -> int:
        """Tensor parallelism of the routed experts (``etp``, else ``tp``)."""
        return self.etp or self.tp

    @property
    def expert_dp(self) -> int:
        """Replicas of each expert shard: the ranks of one pipeline stage (tp x dp x cp) over
        expert tensor and expert parallelism."""
        return max(self.tp * self.dp * self.cp // (self.expert_tp * self.ep), 1)

    @classmethod
    def parse(cls, text: str) -> Layout:
        """``"tp=8,pp=16,dp=128"`` (also ``ep``, ``cp``, ``mb``, ``zero``, ``recompute``, ``v``,
        ``dcn``, ``remat``, ``ep_overlap``, ``tp_overlap``; ``fsdp=1`` is ``zero=3``).

        ``dcn=k`` splits the data-parallel replicas into ``k`` groups joined over the scale-out
        network (TPU pods over the data-center network): the ``dp/k`` replicas of a group
        talk over the scale-up links, ZeRO shards within a group (each group holds a full
        copy, as PaLM's pods or hybrid-sharded FSDP), and only the reduced gradient shards
        cross the scale-out network. ``remat=r`` (with ``recompute=full``) redoes only a share
        ``r`` of the linear layers' forward pass in the backward pass (PaLM 540B: 0.75; the
        attention core is redone whole), where Megatron's full recomputation redoes it all.
        ``tp_overlap=s`` hides a share ``s`` of the tensor-parallel collectives behind the
        linear layers' GEMMs (NeMo's ``ub_tp_comm_overlap``: 1), at most their time.
        ``etp=1`` (with ``tp`` > 1) keeps the routed experts whole on each rank and folds expert
        parallelism over the tensor-parallel ranks, as Megatron-Core's MoE parallel folding
        does (NeMo's ``expert_tensor_parallel_size: 1``): ``ep`` may then be any divisor of
        ``tp x dp x cp``, and the MoE layers need no tensor-parallel collectives (their
        tokens are the rank's sequence-parallel share, dispatched by the all-to-all).

        >>> Layout.parse("tp=8, pp=16, dp=128, recompute=full")
        Layout(tp=8, pp=16, dp=128, ep=1, cp=1, microbatch=1, zero=1, recompute='full', interleave=1, ep_overlap=0.0, dcn=1, remat=1.0, tp_overlap=0.0, etp=0)
        >>> str(Layout.parse("tp=12,dp=512,dcn=2,fsdp=1"))
        'tp=12,pp=1,dp=512,dcn=2,mb=1,zero=3,recompute=selective'
        """
        names = {"mb": "microbatch", "v": "interleave", "microbatch": "microbatch",
                 "interleave": "interleave", "zero": "zero", "recompute": "recompute",
                 "tp": "tp", "pp": "pp", "dp": "dp", "ep": "ep", "cp": "cp", "ep_overlap": "ep_overlap",
                 "fsdp": "fsdp", "dcn": "dcn", "remat": "remat", "tp_overlap": "tp_overlap",
                 "etp": "etp"}
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
            elif names[key] == "fsdp":
                if val not in ("0", "1"):
                    raise InputError(f"layout fsdp must be 0 or 1, got {val!r}")
                if val == "1":
                    kw["zero"] = 3
            elif names[key] in ("ep_overlap", "remat", "tp_overlap"):
                try:
                    kw[key] = float(val)
                except ValueError:
                    raise InputError(f"layout {key} must be a number, got {val!r}") from None
            else:
                try:
                    kw[names[key]] = int(val)
                except ValueError:
                    raise InputError(f"layout {key} must be a whole number, got {val!r}") from None
        return cls(**kw)

    def __str__(self) -> str:
        parts = [f"tp={self.tp}", f"pp={self.pp}", f"dp={self.dp}"]
        if self.dcn > 1:
            parts.append(f"dcn={self.dcn}")
        if self.ep > 1:
            parts.append(f"ep={self.ep}")
        if self.cp > 1:
            parts.append(f"cp={self.cp}")
        parts += [f"mb={self.microbatch}", f"zero={self.zero}", f"recompute={self.recompute}"]
        if self.interleave > 1:
            parts.append(f"v={self.interleave}")
        if self.ep_overlap:
            parts.append(f"ep_overlap={self.ep_overlap!r}")  # exact, so parse() round-trips
        if self.remat != 1.0:
            parts.append(f"remat={self.remat!r}")
        if self.tp_overlap:
            parts.append(f"tp_overlap={self.tp_overlap!r}")
        if self.etp:
            parts.append(f"etp={self.etp}")
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
class GemmModel:
    r"""Time of one BF16 matrix multiply of shape :math:`(m \times k)(k \times n)` on an
    accelerator, from its measured kernel timings (catalog ``gemm_efficiency``).

    .. math::

       t = t_0 + \left(t_c^p + t_m^p\right)^{1/p}, \quad
       t_c = \frac{2 m n k}{P \eta_c}, \quad t_m = \frac{2 (m k + k n + m n)}{W \eta_w}

    a rounded roofline of the compute at the large-GEMM efficiency :math:`\eta_c` and the
    traffic of both operands and the output at the bandwidth efficiency :math:`\eta_w`, plus
    a fixed time per kernel :math:`t_0`. Narrow GEMMs (a small :math:`n` or :math:`k`, as
    tensor parallelism makes of a small model's layers) move more bytes per FLOP and reach a
    smaller share of the peak. The input-gradient and weight-gradient GEMMs of the backward
    pass multiply the same three matrices, so the same roofline times them.
    """

    efficiency: float  # eta_c: achieved share of the dense BF16 peak by large GEMMs
    bandwidth_efficiency: float  # eta_w: achieved share of the HBM bandwidth
    fixed_s: float  # t_0: fixed time per kernel
    exponent: float  # p of the rounded roofline

    def seconds(self, m, n, k, peak_flop_per_s: float, hbm_bytes_per_s: float) -> float:
        """Time of one ``m x k`` by ``k x n`` BF16 GEMM. [s]

        >>> g = GemmModel(0.8, 0.8, 0.0, float("inf"))
        >>> round(g.seconds(8192, 8192, 8192, 1e15, 3e12) * 1e3, 4)
        1.3744
        """
        from .serving.step import blended_roofline

        flops = 2.0 * m * n * k
        nbytes = 2.0 * (m * k + k * n + m * n)
        return self.fixed_s + float(blended_roofline(
            flops / (peak_flop_per_s * self.efficiency),
            nbytes / (hbm_bytes_per_s * self.bandwidth_efficiency), self.exponent))

    def share_of_peak(self, shapes, peak_flop_per_s: float, hbm_bytes_per_s: float) -> float:
        """Achieved share of the peak over GEMMs ``[(m, n, k), ...]``: their FLOPs over the
        time they take together. [dimensionless]

        >>> g = GemmModel(0.8, 0.8, 2e-6, 2.0)
        >>> big = g.share_of_peak([(8192, 8192, 8192)], 1e15, 3e12)
        >>> narrow = g.share_of_peak([(8192, 512, 4096)], 1e15, 3e12)
        >>> 0.75 < big < 0.8, narrow < big
        (True, True)
        """
        flops = sum(2.0 * m * n * k for m, n, k in shapes)
        t = sum(self.seconds(m, n, k, peak_flop_per_s, hbm_bytes_per_s) for m, n, k in shapes)
        return flops / (t * peak_flop_per_s)


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
    memory_headroom: float = 0.05  # share of HBM a job cannot use
    hbm_tb_per_s: float | None = None  # memory bandwidth, for the element-wise (memory-bound) work
    bf16_flop_per_s: float | None = None  # dense BF16 peak, for the parts that stay in BF16
    gemm: GemmModel | None = None  # measured BF16 GEMMs: how narrow GEMMs lose against wide
    torus_dims: int = 0  # dimensions of a torus scale-up network (TPU ICI); 0 when switched
    # large FP8 (FP4) GEMMs' measured share of their peak over large BF16 GEMMs' share of
    # theirs: what the linear layers keep of the higher peak (1 at BF16 or unmeasured)
    precision_gemm_factor: float = 1.0
    # latency of a ring collective (NCCL's model): once a collective, a step inside a
    # scale-up domain, a step across the scale-out network; 0 leaves bandwidth terms alone
    collective_base_s: float = 0.0
    collective_step_s: float = 0.0
    collective_net_step_s: float = 0.0

    def group_gb_per_s(self, group: int) -> float:
        r"""Scale-up bandwidth one accelerator brings to a collective over ``group`` members of
        its scale-up domain, one direction. [GB/s]

        A switched domain (NVLink) gives every collective the accelerator's whole bandwidth.
        A :math:`D`-dimensional torus of side :math:`L = S^{1/D}` (:math:`S` the domain)
        links each chip to two neighbours per dimension; a group laid out on the fewest
        dimensions spans :math:`k = \lceil \log_L g \rceil` of them and drives only their
        links, :math:`k / D` of the accelerator's bandwidth.

        >>> hw = Hardware("x", 1e15, 32, 300.0, 4096, 12.5, torus_dims=3)
        >>> hw.group_gb_per_s(12), hw.group_gb_per_s(256), hw.group_gb_per_s(4096)
        (100.0, 200.0, 300.0)
        >>> Hardware("y", 1e15, 80, 450.0, 8, 50.0).group_gb_per_s(8)
        450.0
        """
        if self.torus_dims < 1 or group <= 1:
            return self.scaleup_gb_per_s
        side = round(self.scaleup_domain ** (1.0 / self.torus_dims))
        dims, span = 1, side
        while span < group and dims < self.torus_dims:
            dims, span = dims + 1, span * side
        return self.scaleup_gb_per_s * dims / self.torus_dims

    @classmethod
    def from_catalog(cls, accelerator, precision="bf16", **overrides) -> Hardware:
        """The hardware of an accelerator in its system: a name, an entry or resolved inputs
        (:func:`siliconomics.catalog.resolve`), whose values are used as they are."""
        from .. import catalog

        r = accelerator if isinstance(accelerator, catalog.Resolved) else catalog.resolve(accelerator)
        a = r.accelerator
        fields = {"bf16": "bf16_tflop_per_s", "fp16": "bf16_tflop_per_s",
                  "fp8": "fp8_tflop_per_s", "fp4": "fp4_tflop_per_s"}
        key = fields.get(str(precision).lower())
        if key is None:
            raise InputError(f"training precision must be bf16, fp8 or fp4, got {precision!r}")
        peak = a.get(key)
        if peak is None:
            have = [p for p in ("bf16", "fp8", "fp4") if a.get(fields[p]) is not None]
            raise InputError(f"{a.slug} has no dense {precision} peak in the catalog; use "
                             + (" or ".join(have) if have else "an accelerator that has one"))
        from .. import systems

        nics = systems.describe(r).nics_per_accelerator
        nic_gb_per_s = r.get("system.scaleout_nic_gb_per_s")  # the system's own NICs
        if nic_gb_per_s is None:
            nic_gb_per_s = r.assumption("scaleout-bandwidth-gb-per-s")
        kw = dict(
            name=a.slug,
            peak_flop_per_s=peak * 1e12,
            bf16_flop_per_s=a.get("bf16_tflop_per_s", peak) * 1e12,
            hbm_gb=r["accelerator.memory_capacity_gb"] * ACCELERATOR_GB / 1e9,
            hbm_tb_per_s=a.get("memory_bandwidth_tb_per_s"),
            scaleup_gb_per_s=r["system.scaleup_bandwidth_gb_per_s"] / 2.0,
            scaleup_domain=int(r["system.scaleup_domain"]),
            scaleout_gb_per_s=nic_gb_per_s * nics,
            memory_headroom=r.assumption("training-memory-headroom"),
            matmul_efficiency=_matmul_efficiency(r),
            collective_efficiency=r.assumption("collective-efficiency"),
            dp_overlap=r.assumption("dp-overlap"),
            collective_base_s=r.assumption("collective-base-latency-us") * 1e-6,
            collective_step_s=r.assumption("collective-step-latency-us") * 1e-6,
            collective_net_step_s=r.assumption("collective-network-step-latency-us") * 1e-6,
            torus_dims=int(r.get("system.scaleup_torus_dims", 0) or 0),
        )
        if key == "bf16_tflop_per_s":  # the narrow-GEMM model is of BF16 kernels
            kw.update(gemm=gemm_model(a, r.catalog))
        else:  # FP8/FP4 linear layers keep the measured share of the higher peak
            kw.update(precision_gemm_factor=precision_gemm_factor(a, precision, r.catalog))
        kw.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**kw)


#: The accelerator the ``matmul-efficiency`` assumption is calibrated on (Llama 3 405B on
#: 8,192 H100, validation case ``training.llama-3.1-405b.8192.tflops-per-gpu``).
MATMUL_REFERENCE = "h100-sxm"


def _matmul_efficiency(r) -> float:
    """A training layer's achievable share of the peak: the accelerator's own calibrated value
    (``accelerator.matmul_efficiency``, set for TPUs), or the ``matmul-efficiency`` assumption
    scaled by the accelerator's measured share of its BF16 peak in large GEMMs over that of
    :data:`MATMUL_REFERENCE`, on which the assumption is calibrated (catalog
    ``gemm_efficiency``; unscaled where either is unmeasured), at most 1. The layers run the
    same kernels as those GEMMs, so a part whose large GEMMs reach less of its peak trains at
    less of it: GB200's reach 0.610 of the BF16 peak, H100's 0.779, A100's 0.839.

    >>> from siliconomics.catalog import resolve
    >>> _matmul_efficiency(resolve("h100-sxm")), _matmul_efficiency(resolve("tpu-v5p"))
    (0.6, 0.69)
    >>> [round(_matmul_efficiency(resolve(a)), 3) for a in ("gb200", "a100")]
    [0.47, 0.646]
    """
    own = r.get("accelerator.matmul_efficiency")
    if own is not None:
        return float(own)
    base = float(r.assumption("matmul-efficiency"))
    mine = _gemm_entry(r.accelerator, r.catalog)
    ref = _gemm_entry(r.catalog.get("accelerators", MATMUL_REFERENCE), r.catalog)
    if mine is None or ref is None:
        return base
    return min(base * float(mine.compute_efficiency) / float(ref.compute_efficiency), 1.0)


def gemm_model(accelerator, cat=None) -> GemmModel | None:
    """The measured BF16 GEMM model of a catalog accelerator (its own ``gemm_efficiency``
    entry or its parent's) in ``cat`` (default the active catalog, with a user's files), or
    None when it has no measurements.

    >>> gemm_model("a100-sxm4-80gb").efficiency > gemm_model("h100-sxm").efficiency
    True
    >>> gemm_model("tpu-v5p") is None
    True
    """
    e = _gemm_entry(accelerator, cat)
    if e is None:
        return None
    return GemmModel(efficiency=e.compute_efficiency, bandwidth_efficiency=e.bandwidth_efficiency,
                     fixed_s=e.fixed_us * 1e-6, exponent=e.roofline_exponent)


def _gemm_entry(accelerator, cat=None):
    """The ``gemm_efficiency`` entry of a catalog accelerator or its parent in ``cat``
    (default the active catalog), or None when it has no measurements."""
    from .. import catalog

    a = accelerator if hasattr(accelerator, "slug") else catalog.accelerator(accelerator)
    cat = catalog.load() if cat is None else cat
    for name in (a.slug, a.parent):
        if name is not None and cat._has("gemm_efficiency", name):
            return cat.get("gemm_efficiency", name)
    return None


def precision_gemm_factor(accelerator, precision: str, cat=None) -> float:
    """Large GEMMs' measured share of the dense peak at ``precision`` (FP8, FP4) over large BF16
    GEMMs' share of theirs, from the accelerator's (or its parent's) ``gemm_efficiency`` entry;
    1 where either is unmeasured. The training step model's matmul efficiency is calibrated on
    BF16 runs, so low-precision linear layers run at it times this factor: H100's FP8 GEMMs
    reach 0.616 of the FP8 peak against 0.779 of the BF16 peak for BF16 (aiconfigurator-core's
    measured kernels), 1.58x the speed, not 2x.

    >>> round(precision_gemm_factor("h100-sxm", "fp8"), 3)
    0.791
    >>> precision_gemm_factor("tpu-v5p", "fp8"), precision_gemm_factor("h100-sxm", "bf16")
    (1.0, 1.0)
    """
    field = {"fp8": "compute_efficiency_fp8", "fp4": "compute_efficiency_fp4"}.get(
        str(precision).lower())
    e = None if field is None else _gemm_entry(accelerator, cat)
    if e is None or e.get(field) is None:
        return 1.0
    return float(e.get(field)) / float(e.compute_efficiency)


def linear_shapes(m: Model, lay: Layout, seq_len: int) -> list[tuple[int, int, int]]:
    """``(m, n, k)`` of one layer's dense linear GEMMs on one accelerator for one micro-batch:
    the attention input and output projections and the FFN's (dense width) two, split by
    tensor parallelism; :math:`m` is the micro-batch's tokens (sequence parallelism gathers
    the sequence before each GEMM).

    >>> linear_shapes(Model.from_catalog("llama-3.1-8b"), Layout(tp=8), 8192)
    [(8192, 768, 4096), (8192, 4096, 512), (8192, 3584, 4096), (8192, 4096, 1792)]
    """
    h, t = m.hidden_size, lay.tp
    tokens = lay.microbatch * max(seq_len // lay.cp, 1)
    qkv = (m.attention_params_per_layer() - m.attention_width * h) / h
    gate = 2 if m.gated_ffn else 1
    return [(tokens, max(round(qkv / t), 1), h), (tokens, h, max(m.attention_width // t, 1)),
            (tokens, gate * m.ffn_size // t, h), (tokens, h, max(m.ffn_size // t, 1))]


def gemm_shape_factor(gemm: GemmModel | None, shapes, peak_flop_per_s: float,
                      hbm_bytes_per_s: float | None) -> float:
    """Speed of GEMMs of ``shapes`` relative to wide GEMMs on the same accelerator, from its
    measured GEMM model: 1 for wide GEMMs, less for narrow ones; 1 without a model.

    >>> g = gemm_model("h100-sxm")
    >>> round(gemm_shape_factor(g, [(8192, 16384, 16384)], 989.4e12, 3.35e12), 2)
    1.0
    >>> round(gemm_shape_factor(g, [(8192, 4096, 512)], 989.4e12, 3.35e12), 2)
    0.83
    """
    if gemm is None or not hbm_bytes_per_s:
        return 1.0
    return gemm.share_of_peak(shapes, peak_flop_per_s, hbm_bytes_per_s) / gemm.efficiency


def _efficiencies(m: Model, lay: Layout, seq_len: int, hw: Hardware) -> tuple[float, float]:
    """Achieved shares of the peak of the dense linear layers and of the attention core with
    the output head: ``matmul_efficiency`` (calibrated on wide GEMMs) times the measured
    speed of the layer's own GEMM shapes relative to wide ones (:func:`gemm_shape_factor`),
    and for FP8/FP4 linear layers times the measured low-precision GEMM factor
    (:func:`precision_gemm_factor`); the attention core keeps the wide-GEMM share (its waste
    is in the element-wise work)."""
    bw = hw.hbm_tb_per_s * 1e12 if hw.hbm_tb_per_s else None
    peak = hw.bf16_flop_per_s or hw.peak_flop_per_s
    shapes = linear_shapes(m, lay, seq_len)
    linear = (hw.matmul_efficiency * hw.precision_gemm_factor
              * gemm_shape_factor(hw.gemm, shapes, peak, bw))
    head = (shapes[0][0], max(m.vocab_size // lay.tp, 1), m.hidden_size)
    head_eff = hw.matmul_efficiency * gemm_shape_factor(hw.gemm, [head], peak, bw)
    a, e = m.attention_core_flops(seq_len), 2.0 * m.vocab_size * m.hidden_size
    high = (a + e) / (a / hw.matmul_efficiency + e / head_eff)
    return linear, high


def linear_flop_per_s(m: Model, lay: Layout, seq_len: int, hw: Hardware) -> float:
    """Achieved FLOP/s of one accelerator's dense linear layers (the share of
    :func:`_efficiencies` times the peak at ``hw``'s precision): what the step model runs a
    layer's projections and FFN at.

    >>> m, lay = Model.from_catalog("llama-3.1-70b"), Layout(tp=8)
    >>> bf16, fp8 = (linear_flop_per_s(m, lay, 8192, Hardware.from_catalog("h100-sxm", p))
    ...              for p in ("bf16", "fp8"))
    >>> 1.4 < fp8 / bf16 < 1.7
    True
    """
    return _efficiencies(m, lay, seq_len, hw)[0] * hw.peak_flop_per_s


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
    if model.attention == "gqa" and model.kv_heads % layout.tp:
        # Megatron-LM shards the key/value groups across tensor-parallel ranks and does not
        # replicate them in training (num_query_groups % tensor_model_parallel_size == 0)
        return (f"tp={layout.tp} does not divide the {model.kv_heads} key/value heads "
                f"(grouped-query attention); use tp={_largest_divisor(model.kv_heads, layout.tp)}")
    if layout.pp > model.layers:
        return f"pp={layout.pp} exceeds the {model.layers} layers"
    if layout.interleave > 1 and model.layers < layout.pp * layout.interleave:
        return f"pp*v={layout.pp * layout.interleave} exceeds the {model.layers} layers"
    if layout.ep > 1:
        if not model.is_moe:
            return f"ep={layout.ep} needs an MoE model; {model.name} is dense"
        # the expert groups (etp x ep ranks) tile one pipeline stage's tp x dp x cp ranks;
        # with etp = tp that is ep dividing dp x cp
        stage = layout.tp * layout.dp * layout.cp
        if model.experts % layout.ep or stage % (layout.expert_tp * layout.ep):
            if layout.expert_tp == layout.tp:
                return (f"ep={layout.ep} must divide the {model.experts} experts and "
                        f"dp*cp={layout.dp * layout.cp}")
            return (f"ep={layout.ep} must divide the {model.experts} experts, and "
                    f"etp*ep={layout.expert_tp * layout.ep} the tp*dp*cp={stage} ranks of a "
                    "pipeline stage")
    per = layout.dp * layout.microbatch
    if global_batch % per:
        return (f"global batch of {global_batch} sequences is not a multiple of "
                f"dp*microbatch = {per}")
    return ""


def _largest_divisor(n: int, at_most: int) -> int:
    """The largest divisor of ``n`` not above ``at_most`` (1 at least).

    >>> _largest_divisor(8, 6), _largest_divisor(8, 16)
    (4, 8)
    """
    return max(d for d in _divisors(n) if d <= max(at_most, 1))


def _flop_split(m: Model, seq_len: int) -> tuple[float, float]:
    """Forward FLOPs per token (in the linear layers that may run at a low precision, in the
    attention core and the output head, which stay at 16 bits)."""
    total = m.forward_flops_per_token(seq_len)
    attention = m.attention_core_flops(seq_len)
    head = 2.0 * m.vocab_size * m.hidden_size
    return total - attention - head, attention + head


def _routed_expert_flops_per_token(m: Model) -> float:
    """Forward FLOPs per token in the routed experts (0 for a dense model)."""
    if not m.is_moe:
        return 0.0
    per_expert = m._ffn(m.expert_ffn_size or m.ffn_size)
    return 2.0 * m.active_experts * per_expert * (m.layers - m.dense_layers)


def _weight_stream_s(m: Model, lay: Layout, micro: int, passes: float, precision,
                     hw: Hardware) -> tuple[float, float]:
    """Seconds one accelerator spends reading its dense and its routed-expert linear weights
    from HBM in a step: every pass of every micro-batch reads them once (forward, input
    gradient, weight gradient; the forward again with full recomputation). [s]"""
    dense_p, expert_p = _param_split(m)
    dense_local = (dense_p - m.embedding_params()) / (lay.tp * lay.pp)
    expert_local = expert_p / (lay.expert_tp * lay.pp * lay.ep)
    w_bytes = 1.0 if str(precision).lower() == "fp8" else 2.0
    per = micro * passes * w_bytes / (hw.hbm_tb_per_s * 1e12)
    return dense_local * per, expert_local * per


#: HBM bytes per logit of the training loss, forward and backward, at the memory's peak
#: bandwidth: the cross-entropy as PyTorch computes it (``F.cross_entropy(logits.float(),
#: targets)``; Megatron-LM's vocab-parallel loss likewise upcasts the logits and makes several
#: FP32 passes over them). Measured by apple/ml-cross-entropy's benchmark (README, commit
#: 18e76ad: A100-SXM4 80GB, PyTorch 2.4.1, CUDA 12.4; 8,192 tokens, 256,000-entry vocabulary,
#: hidden 2,304): the baseline's forward and backward take 208.8 ms. Its three GEMMs (29.0
#: TFLOP) at A100's measured large-GEMM level (0.8387 of 312 TFLOP/s, catalog
#: ``gemm_efficiency``) take 110.8 ms; the other 98.0 ms over 2.10e9 logits at 2.039 TB/s
#: come to 95 bytes a logit (83-103 at GEMM levels of 0.75-0.92). Fused losses (XLA's,
#: Liger's, Cut Cross-Entropy) move less; the model charges the unfused cost, which matters
#: where the vocabulary is wide against the hidden size (a 125M model with 50,368 entries:
#: a third of its step on A100; under 1% for 70B and larger models).
LOSS_BYTES_PER_LOGIT = 95.0


def loss_bytes_per_token(m: Model) -> float:
    """HBM bytes of the training loss for one token, forward and backward: one logit per
    vocabulary entry at :data:`LOSS_BYTES_PER_LOGIT`. [B]

    >>> loss_bytes_per_token(Model.from_catalog("llama-3.1-8b")) / 1e6
    12.18432
    """
    return float(m.vocab_size) * LOSS_BYTES_PER_LOGIT


def elementwise_bytes_per_token(m: Model, seq_len: int, flash_attention: bool = True) -> float:
    r"""HBM bytes of one layer's memory-bound work for one token in one forward pass. [B]

    Norms read and write the hidden state (:math:`2 \times 2 \times 2h`), residual additions
    read two and write one (:math:`2 \times 3 \times 2h`), the FFN activation reads its
    input projections and writes their product; without FlashAttention the scaled, masked
    softmax and its dropout read and write every score (:math:`a s` of them per token, 9 bytes
    each: bf16 in and out twice and a 1-byte mask). The backward pass moves about twice this.

    >>> m = Model.from_catalog("gpt-3-175b")
    >>> elementwise_bytes_per_token(m, 2048, flash_attention=False) > 2 * elementwise_bytes_per_token(m, 2048)
    True
    """
    h = m.hidden_size
    width = m.ffn_size
    if m.is_moe:
        width = m.active_experts * (m.expert_ffn_size or m.ffn_size) + m.shared_experts * (
            m.shared_expert_ffn_size or m.expert_ffn_size or m.ffn_size)
    gate = 2 if m.gated_ffn else 1
    b = 8.0 * h + 12.0 * h + 2.0 * (gate + 1) * width
    if not flash_attention:
        b += 9.0 * m.heads * m.attended(seq_len) / m.layers
    return float(b)


def bubble_fraction(stages: int, interleave: int, micro: int) -> float:
    r"""Idle time of a pipeline over its compute, for ``micro`` micro-batches a step.

    With :math:`m \ge p` micro-batches the interleaved 1F1B schedule idles
    :math:`(p-1)/(v m)` of the compute (Narayanan et al. 2021, :math:`v` model chunks per
    rank). With fewer micro-batches than stages the pipeline never fills: each micro-batch
    crosses the :math:`p v` chunks one after another, a chunk taking :math:`1/v` of a stage's
    time, the next one starting a chunk later, so a pass lasts :math:`p + (m-1)/v` stage
    times for :math:`m` of work: a bubble of :math:`((p-m) + (m-1)/v)/m`, which is
    :math:`(p-1)/m` with one chunk a rank and meets the formula above at :math:`m = p`.
    Interleaving then helps only by :math:`(m-1)/v`: one micro-batch a step idles
    :math:`p - 1` stages' worth whatever :math:`v`.

    >>> bubble_fraction(2, 8, 16)  # (2 - 1) / (8 x 16)
    0.0078125
    >>> bubble_fraction(2, 8, 1)   # one micro-batch: half the time idle on each of 2 stages
    1.0
    >>> bubble_fraction(8, 1, 4), bubble_fraction(8, 4, 4)
    (1.75, 1.1875)
    """
    p, v, m = int(stages), int(interleave), max(int(micro), 1)
    if p <= 1:
        return 0.0
    if m >= p:
        return (p - 1) / (v * m)
    return ((p - m) + (m - 1) / v) / m


def dp_exposed_s(all_reduce_s: float, compute_s: float, micro: int, zero: int,
                 overlap: float, across_s: float = 0.0) -> float:
    r"""Data-parallel communication a step leaves exposed. [s]

    ``all_reduce_s`` is one ring all-reduce of the local gradients, a reduce-scatter and an
    all-gather of half that time each. Up to ZeRO-2 a step reduce-scatters the gradients
    once, in the last micro-batch's backward pass, and all-gathers the parameters once, in
    the first one's forward pass: one all-reduce behind a share :math:`o` of one
    micro-batch's compute. ZeRO-3 (FSDP resharding after the forward pass) keeps only a
    shard of the parameters and gradients, so every micro-batch gathers the parameters
    twice (forward, and backward with any recomputation) and reduce-scatters its gradients:
    :math:`1.5\, m` all-reduces, prefetched behind a share :math:`o` of the whole step's
    compute, which all the transfers share.

    Parameters
    ----------
    all_reduce_s : float
        One ring all-reduce of the local gradients over the data-parallel group. [s]
    compute_s : float
        Compute of the whole step (all micro-batches, recomputation included). [s]
    micro : int
        Micro-batches a step. [count]
    zero : int
        ZeRO stage (0-3).
    overlap : float
        Share of the compute that hides data-parallel transfers (``dp-overlap``).
    across_s : float
        Exchange of the reduced shards between ``dcn`` groups over the scale-out network,
        once a step whatever the ZeRO stage (each group holds a full copy, so ZeRO-3's
        per-micro-batch traffic stays within ``all_reduce_s``'s group). [s]

    Examples
    --------
    >>> dp_exposed_s(4.0, 10.0, 2, 2, 0.8)  # 4 s behind 0.8 x 5 s
    0.0
    >>> round(dp_exposed_s(4.0, 10.0, 2, 3, 0.8), 6)  # 12 s behind 0.8 x 10 s
    4.0
    >>> round(dp_exposed_s(4.0, 10.0, 2, 3, 0.8, across_s=1.0), 6)  # 12 + 1 s behind 8 s
    5.0
    """
    if zero == 3:
        return max(0.0, 1.5 * micro * all_reduce_s + across_s - overlap * compute_s)
    return max(0.0, all_reduce_s + across_s - overlap * compute_s / micro)


def step_time(
    model,
    layout: Layout,
    accelerator="h100-sxm",
    *,
    global_batch: int,
    seq_len: int = 4096,
    precision="bf16",
    hardware: Hardware | None = None,
    explain: bool = True,
    flash_attention: bool = True,
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
        Matmul precision: ``bf16`` or ``fp8`` (the linear layers run at the FP8 peak; the
        attention core and the output head stay in BF16, as in DeepSeek-V3 and Transformer
        Engine recipes).
    hardware : Hardware, optional
        Overrides the catalog-derived hardware description.
    flash_attention : bool
        Whether the attention core is fused (FlashAttention, 2022 on); without it the scores'
        softmax and dropout are memory-bound work and their :math:`s^2` tensors are stored.
    explain : bool
        When the layout does not fit, try single changes that would make it fit and name them
        in ``reason`` (the layout search skips this).

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

    # --- FLOPs and compute time -------------------------------------------------------------
    tokens = float(global_batch) * seq_len
    low_fwd, high_fwd = _flop_split(m, seq_len)
    # full recomputation redoes the attention core's forward and a share (remat) of the
    # linear layers' and output head's
    full = lay.recompute == "full"
    passes = 3.0 + lay.remat if full else 3.0
    attn_fwd = m.attention_core_flops(seq_len)
    model_flops = tokens * 3.0 * (low_fwd + high_fwd)
    # without FlashAttention, selective recomputation redoes the attention core's forward
    # (scores, softmax, product with values) in the backward pass (Korthikanti et al. 2022)
    redo_core = lay.recompute == "selective" and not flash_attention
    core_fwd = attn_fwd if redo_core else 0.0
    if full:  # the core is redone whole whatever share of the linear layers is
        core_fwd = (1.0 - lay.remat) * attn_fwd
    hw_flops = tokens * (passes * (low_fwd + high_fwd) + core_fwd)
    bf16_peak = hw.bf16_flop_per_s or hw.peak_flop_per_s
    micro = max(global_batch // (lay.dp * lay.microbatch), 1)
    # roofline of the linear layers, dense and routed experts apart: a pass reads every local
    # weight once per micro-batch, which bounds small expert GEMMs (few tokens per expert)
    expert_fwd = _routed_expert_flops_per_token(m)
    eff_linear, eff_high = _efficiencies(m, lay, seq_len, hw)
    dense_t = tokens * passes * (low_fwd - expert_fwd) / (n * hw.peak_flop_per_s * eff_linear)
    # routed experts' small GEMMs are bounded by their weight reads below
    expert_t = tokens * passes * expert_fwd / (
        n * hw.peak_flop_per_s * hw.matmul_efficiency * hw.precision_gemm_factor)
    if hw.hbm_tb_per_s:
        w_dense, w_expert = _weight_stream_s(m, lay, micro, passes, precision, hw)
        dense_t, expert_t = max(dense_t, w_dense), max(expert_t, w_expert)
    linear = dense_t + expert_t
    balanced = linear + tokens * (passes * high_fwd + core_fwd) / (n * bf16_peak * eff_high)
    if hw.hbm_tb_per_s:  # memory-bound element-wise work (norms, residuals, activations)
        per_token = elementwise_bytes_per_token(m, seq_len, flash_attention) * m.layers
        if redo_core:  # the softmax and dropout run once more, forward
            per_token += 9.0 * m.heads * m.attended(seq_len)
        balanced += tokens * passes * per_token / (n * hw.hbm_tb_per_s * 1e12)
    # the slowest pipeline stage sets the pace: the most layers, or the last one's output head
    stages = training_memory.stage_layers(m.layers, lay.pp)
    head_layers = 2.0 * m.vocab_size * m.hidden_size / max(
        2.0 * (m.params_active - m.embedding_params()) / m.layers, 1.0)
    loads = [float(x) for x in stages]
    loads[-1] += head_layers
    if hw.hbm_tb_per_s:  # the loss over the logits, on the last stage (never recomputed)
        loss = tokens * loss_bytes_per_token(m) / (n * hw.hbm_tb_per_s * 1e12)
        loads[-1] += loss * sum(loads) / balanced
        balanced += loss
    compute = balanced * lay.pp * max(loads) / sum(loads)
    linear_local = linear * compute / balanced  # the slowest stage's linear layers
    bubble = compute * bubble_fraction(lay.pp, lay.interleave, micro)

    # --- communication ----------------------------------------------------------------------
    act_bytes = 2.0
    s_local = seq_len / lay.cp
    layers_local = max(stages)
    msg = lay.microbatch * s_local * m.hidden_size * act_bytes  # one activation tensor
    out = hw.scaleout_gb_per_s * 1e9 * hw.collective_efficiency

    def up(group):  # a collective's scale-up bandwidth (a torus drives only the group's axes)
        return hw.group_gb_per_s(group) * 1e9 * hw.collective_efficiency

    tp = 0.0
    if lay.tp > 1:  # all-gather + reduce-scatter (sequence parallel) = two all-reduces a pass
        per_layer = 4 + (2 if lay.recompute == "full" else 0)
        if m.parallel_layers:  # attention and FFN share one gather and one reduce a pass
            per_layer //= 2
        tp = micro * layers_local * per_layer * 2.0 * (lay.tp - 1) / lay.tp * msg / up(lay.tp)
        if m.is_moe and lay.expert_tp < lay.tp and not m.parallel_layers:
            # the MoE layers' FFN half gathers and reduces only over the expert tensor group
            # (none when etp=1: the all-to-all dispatches the rank's own tokens)
            moe_local = layers_local * (m.layers - m.dense_layers) / m.layers
            half = micro * moe_local * per_layer / 2
            tp -= half * 2.0 * (lay.tp - 1) / lay.tp * msg / up(lay.tp)
            if lay.expert_tp > 1:
                tp += half * 2.0 * (lay.expert_tp - 1) / lay.expert_tp * msg / up(lay.expert_tp)
        # collectives split into chunks and pipelined with the GEMMs that consume or produce
        # them (Megatron/Transformer Engine tp_comm_overlap) hide behind the linear layers
        tp = max(tp - lay.tp_overlap * linear_local, (1.0 - lay.tp_overlap) * tp)

    cp = 0.0
    if lay.cp > 1:  # keys and values gathered forward, gathered and reduced backward
        kv_width = (2 * m.kv_heads * m.head_size if m.attention != "mla"
                    else 2 * m.heads * m.head_size)
        kv = lay.microbatch * s_local * kv_width * act_bytes / lay.tp
        bw = up(lay.tp * lay.cp) if lay.tp * lay.cp <= hw.scaleup_domain else out
        cp = micro * layers_local * 3.0 * (lay.cp - 1) * kv / bw

    ep = 0.0
    if lay.ep > 1 and m.is_moe:
        moe_layers_local = (m.layers - m.dense_layers) / lay.pp
        per_gpu = msg / lay.tp * m.active_experts * (lay.ep - 1) / lay.ep
        group = lay.ep * lay.expert_tp
        bw = up(group) if group <= hw.scaleup_domain else out
        count = 4 + (2 if lay.recompute == "full" else 0)
        ep = micro * moe_layers_local * count * per_gpu / bw
        ep = max(ep - lay.ep_overlap * compute, (1.0 - lay.ep_overlap) * ep)

    pp = 0.0
    if lay.pp > 1:  # sends in the steady state hide behind other micro-batches' compute; the
        # warm-up and drain path crosses every chunk boundary once each way
        pp = 2.0 * (lay.pp * lay.interleave - 1) * (msg / lay.tp) / out

    dense_p, expert_p = _param_split(m)
    dense_local = dense_p / (lay.tp * lay.pp)
    expert_local = expert_p / (lay.expert_tp * lay.pp * lay.ep)
    grad_bytes = training_memory.GRAD_BYTES

    inner, outer = _data_parallel_s(lay, n, hw, dense_local * grad_bytes,
                                    expert_local * grad_bytes, up, out, units=layers_local)
    dp = dp_exposed_s(inner, compute, micro, lay.zero, hw.dp_overlap, across_s=outer)

    # --- memory -----------------------------------------------------------------------------
    per_layer_dense = (dense_p - m.embedding_params()) / m.layers
    per_layer_expert = expert_p / m.layers
    mem = training_memory.stage_memory(
        m, lay, seq_len=seq_len, microbatches=micro, act_bytes=act_bytes,
        flash_attention=flash_attention,
        dense_params_per_layer=per_layer_dense, expert_params_per_layer=per_layer_expert)
    worst = max(mem, key=lambda x: x["total"])
    total_gb = worst["total"] / 1e9
    usable = hw.hbm_gb * (1.0 - hw.memory_headroom)
    fits = not reason and total_gb <= usable
    if not reason and not fits and explain:
        reason = _does_not_fit(m, lay, hw, total_gb, usable, worst["stage"],
                               global_batch=global_batch, seq_len=seq_len,
                               flash_attention=flash_attention)
    elif not reason and not fits:
        reason = (f"layout {lay} needs {total_gb:.1f} GB per accelerator, {usable:.1f} GB "
                  f"usable: {total_gb - usable:.1f} GB over")

    parts = {"compute": compute, "bubble": bubble, "tp": tp, "cp": cp, "ep": ep, "pp": pp,
             "dp": dp}
    return StepEstimate(
        layout=lay,
        step_s=sum(parts.values()),
        parts_s=parts,
        tokens_per_step=tokens,
        model_flops_per_step=model_flops,
        hardware_flops_per_step=hw_flops,
        peak_flop_per_s=hw.peak_flop_per_s,
        accelerators=n,
        memory_gb={"states": worst["states"] / 1e9, "activations": worst["activations"] / 1e9,
                   "total": total_gb, "usable": usable, "stage": worst["stage"]},
        fits=fits,
        reason=reason,
    )


def _data_parallel_s(lay: Layout, n: int, hw: Hardware, dense_bytes: float,
                     expert_bytes: float, up, out: float,
                     units: int = 1) -> tuple[float, float]:
    r"""Seconds of one step's gradient reduction (reduce-scatter and all-gather) within the
    data-parallel groups and across the scale-out network: ``(inner, outer)``. [s]

    Without ``dcn`` the whole data-parallel group reduces over the scale-up links when the
    job fits one scale-up domain without pipelining, else over the scale-out network, and
    ``outer`` is 0. With ``dcn = k`` the ``dp/k`` replicas of a group reduce over the
    scale-up links (when the group fits the domain), then each accelerator all-reduces its
    ``1/(dp/k)`` shard with its ``k - 1`` counterparts over the scale-out network.
    ``dense_bytes`` and ``expert_bytes`` are one accelerator's gradients; ``up(group)``
    gives a group's scale-up bandwidth and ``out`` the scale-out one. [B, B/s]

    Each reduction also pays its ring's latency (:func:`ring_latency_s`) once for every
    collective it is split into: with ZeRO-3 (FSDP) one per wrapped unit, ``units`` (the
    stage's layers), every micro-batch; below it one per gradient bucket of Megatron's
    default size, :math:`\max(4 \times 10^7, 10^6\,g)` parameters for a group of
    :math:`g` (``DistributedDataParallelConfig.bucket_size``: "larger DP sizes need larger
    buckets to ensure collectives do not become latency-bound").
    """
    from .serving.step import allreduce_s

    grad_bytes = training_memory.GRAD_BYTES  # the caller's gradients: BF16

    def reduce_s(nbytes, group, bw, per_domain):
        if nbytes <= 0.0 or group <= 1:
            return 0.0
        if lay.zero == 3:
            pieces = max(int(units), 1)
        else:
            pieces = math.ceil(nbytes / grad_bytes / max(4e7, 1e6 * group))
        return (float(allreduce_s(nbytes, group, bw))
                + pieces * ring_latency_s(group, per_domain, hw))

    groups = lay.dp * lay.cp
    if lay.dcn == 1:
        if lay.pp == 1 and n <= hw.scaleup_domain:
            bw = bw_e = up(groups)
            per, per_e = groups, lay.expert_dp
        else:
            bw = _ring_out_gb_per_s(groups, lay.tp, hw, up, out)
            bw_e = _ring_out_gb_per_s(lay.expert_dp, lay.expert_tp * lay.ep, hw, up, out)
            per = _members_per_domain(groups, lay.tp, hw)
            per_e = _members_per_domain(lay.expert_dp, lay.expert_tp * lay.ep, hw)
        return (reduce_s(dense_bytes, groups, bw, per)
                + reduce_s(expert_bytes, lay.expert_dp, bw_e, per_e)), 0.0
    per = groups // lay.dcn
    inside = n // lay.dcn <= hw.scaleup_domain
    bw = up(per) if inside else out
    experts = max(lay.expert_dp // lay.dcn, 1)
    inner = (reduce_s(dense_bytes, per, bw, per if inside else 1)
             + reduce_s(expert_bytes, experts, bw, experts if inside else 1))
    outer = (reduce_s(dense_bytes / per, lay.dcn, out, 1)
             + reduce_s(expert_bytes / experts, lay.dcn, out, 1))
    return inner, outer


def ring_latency_s(group: int, per_domain: int, hw: Hardware) -> float:
    r"""Latency of a ring reduce-scatter and all-gather over ``group`` ranks, ``per_domain`` of
    them in each scale-up domain: NCCL's cost model of its ring algorithm. [s]

    Each of the two collectives pays a fixed :math:`t_0` and one latency per step: of its
    :math:`n - 1` steps, :math:`d - 1` cross the scale-out network (:math:`d` domains) at
    :math:`t_{net}` and the rest stay inside a domain at :math:`t_{up}` (NVIDIA's NCCL,
    ``src/graph/tuning.cc``: ``baseLat + (nsteps - nInterSteps) * intraLat + nInterSteps *
    interLat``). Inside a torus domain (TPU ICI) a ring runs along each dimension the group
    spans, :math:`L - 1` steps each (:math:`L` the torus's side), rather than through every
    member. Bandwidth aside, a data-parallel group of 2,048 servers thus takes about 57 ms a
    step at NCCL's 14 us a network step, which a small model's step cannot hide.

    >>> hw = Hardware("x", 1e15, 80, 450.0, 8, 50.0, collective_base_s=8.4e-6,
    ...               collective_step_s=3.4e-6, collective_net_step_s=14e-6)
    >>> round(ring_latency_s(8, 8, hw) * 1e6, 1)  # 2 x (8.4 + 7 x 3.4) us inside a server
    64.4
    >>> round(ring_latency_s(2048, 1, hw) * 1e3, 1)  # 2 x (8.4 us + 2,047 x 14 us)
    57.3
    >>> ring_latency_s(1, 1, hw)
    0.0
    """
    group, per_domain = int(group), max(1, min(int(per_domain), int(group)))
    if group <= 1:
        return 0.0
    domains = -(-group // per_domain)
    net = domains - 1
    inside = group - domains  # the (n - 1) - (d - 1) steps within domains
    if hw.torus_dims >= 1 and per_domain > 1:
        side = max(2, round(hw.scaleup_domain ** (1.0 / hw.torus_dims)))
        dims, span = 1, side
        while span < per_domain and dims < hw.torus_dims:
            dims, span = dims + 1, span * side
        inside = min(inside, domains * dims * (side - 1))
    return 2.0 * (hw.collective_base_s + inside * hw.collective_step_s
                  + net * hw.collective_net_step_s)


def _members_per_domain(group: int, stride: int, hw: Hardware) -> int:
    """Members of a group, ranks ``stride`` apart, that each scale-up domain holds."""
    return max(1, min(int(group), hw.scaleup_domain // max(int(stride), 1)))


def _ring_out_gb_per_s(group: int, stride: int, hw: Hardware, up, out: float) -> float:
    r"""Bandwidth of a ring collective over ``group`` ranks that spans scale-up domains. [B/s]

    Ranks ``stride`` apart (the tensor-parallel ranks between two data-parallel ones) fill a
    domain of :math:`D` accelerators :math:`g = \min(group, D / stride)` members at a time.
    The collective's rings (NCCL's channels) enter and leave each domain through the
    scale-out NICs of all its ``g`` members, one rail each, so the domain's traffic, one
    member's worth, crosses ``g`` NICs at once: the ring runs at ``g`` times one
    accelerator's scale-out bandwidth, at most at its scale-up bandwidth (the hops inside the
    domain) and never below one NIC's. Measured, a ring all-reduce's bus bandwidth across
    nodes is the node's NICs together: 48 GB/s across DGX-1s of four 100 Gb/s adapters
    (NCCL's maintainer, NVIDIA/nccl-tests issue #29, 2019), 85-96 GB/s across servers of
    eight A100 and four 200 Gb/s HDR cards (issue #119, 2022), 46-48 GB/s per 400 Gb/s NIC
    (issue #290, 2025).
    With tensor parallelism filling the domain (``stride = D``) a group has one member a
    domain and one NIC's bandwidth.

    >>> hw = Hardware("x", 1e15, 80, 450.0, 8, 50.0)
    >>> up = lambda g: hw.group_gb_per_s(g) * 1e9
    >>> [_ring_out_gb_per_s(1024, tp, hw, up, 50e9) / 1e9 for tp in (8, 4, 1)]
    [50.0, 100.0, 400.0]
    """
    g = _members_per_domain(group, stride, hw)
    # never below one NIC's ring, should the scale-up links be the slower ones
    return out if g == 1 else max(out, min(g * out, up(g)))


def _does_not_fit(m, lay, hw, total_gb, usable, stage, *, global_batch, seq_len,
                  flash_attention=True) -> str:
    """Why a layout does not fit, by how much, and which single change makes it fit."""
    fixes = []
    candidates = [("recompute=selective", {"recompute": "selective"}),
                  ("recompute=full", {"recompute": "full"}),
                  ("zero=2", {"zero": 2}), ("zero=3", {"zero": 3})]
    if lay.microbatch > 1:
        candidates.append(("mb=1", {"microbatch": 1}))
    for text, change in candidates:
        if all(getattr(lay, k) == v for k, v in change.items()):
            continue
        if "zero" in change and change["zero"] <= lay.zero:
            continue
        if change.get("recompute") == "selective" and lay.recompute != "none":
            continue
        alt = dataclasses.replace(lay, **change)
        try:
            est = step_time(m, alt, hardware=hw, global_batch=global_batch, seq_len=seq_len,
                            explain=False, flash_attention=flash_attention)
        except InputError:
            continue
        if est.fits:
            fixes.append(f"{text} ({est.memory_gb['total']:.1f} GB)")
    hint = ("; fits with " + " or ".join(fixes)) if fixes else (
        "; no single change of recompute, zero or micro-batch fits: use a larger pp or tp, "
        "or more accelerators")
    return (f"layout {lay} needs {total_gb:.1f} GB per accelerator (pipeline stage {stage}), "
            f"{usable:.1f} GB usable of {hw.hbm_gb:.1f} GB HBM: {total_gb - usable:.1f} GB over"
            + hint)


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
    zero=(1, 2),
    interleave=(1, 2, 4, 8),
    fold_experts: bool = True,
) -> SearchResult:
    """The layout with the shortest step among those that fit, for ``accelerators``.

    Tries every tensor degree up to the scale-up domain that divides the heads, every pipeline
    degree up to the layers with interleaved (virtual) stages, context parallelism for long
    sequences, expert degrees for MoE models (with ``fold_experts``, also experts kept whole
    and folded over the tensor ranks, ``etp=1``), micro-batch sizes, ZeRO stages and
    recomputation modes; data parallelism takes the rest.

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
    cps = [c for c in (1, 2, 4, 8, 16) if seq_len // c >= 8192] if seq_len >= 16_384 else [1]
    for tp, cp in itertools.product(tps, cps):
        if accelerators % (tp * cp):
            continue
        rest = accelerators // (tp * cp)
        for pp in (p for p in _divisors(rest) if p <= m.layers):
            dp = rest // pp
            experts = [(1, 0)]  # (ep, etp)
            if m.is_moe:
                # expert groups of etp x ep ranks tile a stage's tp x dp x cp ranks: experts
                # split like the dense layers (etp = tp), or folded whole over the tensor
                # ranks too (etp = 1, Megatron-Core's MoE parallel folding)
                experts = [(e, 0) for e in _divisors(m.experts)
                           if (dp * cp) % e == 0 and e <= 256]
                if tp > 1 and fold_experts:
                    experts += [(e, 1) for e in _divisors(m.experts)
                                if (tp * dp * cp) % e == 0 and e <= 256 and (dp * cp) % e]
            vs = [v for v in interleave if v == 1 or (pp > 1 and pp * v <= m.layers)]
            for (ep, etp), mb, rc, z, v in itertools.product(experts, microbatches, recompute,
                                                             zero, vs):
                if global_batch % (dp * mb):
                    rejected.setdefault("batch", f"global batch not a multiple of dp*mb={dp * mb}")
                    continue
                lay = Layout(tp=tp, pp=pp, dp=dp, ep=ep, cp=cp, microbatch=mb, zero=z,
                             recompute=rc, interleave=v, etp=etp)
                est = step_time(m, lay, hardware=hw, global_batch=global_batch,
                                seq_len=seq_len, precision=precision, explain=False)
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
