"""A serving replica: a model on ``tp`` x ``dp`` accelerators of one kind, with its precisions,
the catalog's efficiency factors and the serving options (speculative decoding, prefix cache).

Build it with :meth:`Deployment.create`, which reads the catalog; its fields are plain numbers
so a deployment can be copied with other efficiencies (:meth:`Deployment.with_efficiency`).
Its methods delegate to the topic modules: memory (:mod:`.kv`), pass times (:mod:`.step`),
throughput and latency of continuous batching (:mod:`.batching`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from ... import _checks
from ...errors import InputError
from ...units import ACCELERATOR_GB
from ..models import Model, bytes_per_element
from . import kv, moe, step

#: Precisions a serving deployment may use for weights, activations or the KV cache.
PRECISIONS = ("bf16", "fp16", "fp8", "int8", "fp4", "int4")

#: Serving-efficiency keywords (catalog ``serving_efficiency`` fields a caller may override).
EFFICIENCY_KEYS = ("compute_efficiency", "bandwidth_efficiency", "kv_bandwidth_efficiency",
                   "communication_efficiency", "alltoall_efficiency",
                   "alltoall_efficiency_decode", "gather_efficiency", "gather_latency_us",
                   "collective_latency_us", "step_overhead_ms", "layer_overhead_us",
                   "moe_layer_overhead_us", "moe_activation_bytes", "moe_token_bytes",
                   "host_us_per_sequence", "roofline_exponent", "memory_usable_fraction")

#: Tokens one forward pass takes at most (the engine's ``max_num_tokens``): prefill is split
#: into chunks of this size and batched with decode. TensorRT-LLM's LLM API default.
MAX_NUM_TOKENS = 8192

#: How an engine sizes its KV cache from ``memory_usable_fraction`` f: "total", f of all memory
#: less the weights and activations (vLLM's ``gpu_memory_utilization``, SGLang's
#: ``mem_fraction_static``); "free", f of the memory the weights and activations leave
#: (TensorRT-LLM's ``kv_cache_free_gpu_mem_fraction``), never less.
KV_MEMORY = ("total", "free")
#: How a MoE model's tokens reach the experts held by other ranks of a replica:
#: "alltoall", each token sent to the ranks holding its experts and the results sent back
#: (DeepEP; SGLang, vLLM, TensorRT-LLM's wide-EP kernels); "allgather", every attention rank
#: gathers all the replica's tokens before its experts and the outputs are reduce-scattered
#: back (TensorRT-LLM's CUTLASS MoE under attention data parallelism without an all-to-all
#: backend: ``CutlassFusedMoE.select_alltoall_method_type`` picks none when the experts are
#: spread over no more ranks than a token's top-k, or without multi-node NVLink or DeepEP).
MOE_DISPATCH = ("alltoall", "allgather")

#: Sequences one replica runs at most (the engine's ``max_batch_size``): TensorRT-LLM's LLM API
#: default, also the largest CUDA-graph batch of its published throughput runs.
MAX_BATCH_SIZE = 2048


def _peak_tflop(acc, precision: str) -> float:
    """Dense peak of ``acc`` at ``precision``, falling back to the next wider format it has."""
    order = {
        "fp4": ("fp4_tflop_per_s", "fp8_tflop_per_s", "bf16_tflop_per_s"),
        "int4": ("fp4_tflop_per_s", "fp8_tflop_per_s", "bf16_tflop_per_s"),
        "fp8": ("fp8_tflop_per_s", "bf16_tflop_per_s"),
        "int8": ("fp8_tflop_per_s", "bf16_tflop_per_s"),
    }.get(precision, ("bf16_tflop_per_s",))
    for key in order:
        v = acc.get(key)
        if v:
            return float(v)
    return float(acc.bf16_tflop_per_s)


def _attention_peak(m: Model, acc, activation_precision: str) -> float | None:
    """Peak FLOP/s of the attention core when ``m`` serves it in a wider format than the
    matmuls (DeepSeek-V3: BF16 under FP8), else None."""
    wider = m.attention_precision
    if not wider or bytes_per_element(wider) <= bytes_per_element(activation_precision):
        return None
    return _peak_tflop(acc, wider) * 1e12


def _precision(name: str, value) -> str:
    p = str(value).lower()
    if p not in PRECISIONS:
        from ...errors import unknown

        raise InputError(unknown(f"{name}", p, PRECISIONS))
    return p


def efficiency(accelerator) -> Any:
    """The ``serving_efficiency`` catalog entry of ``accelerator`` (or ``default``): a name, an
    entry or resolved inputs."""
    from ... import catalog

    r = accelerator if isinstance(accelerator, catalog.Resolved) else catalog.resolve(accelerator)
    return r.entry("serving")


#: Suffix of the precision-specific catalog fields for an activation precision.
_SUFFIX = {"fp8": "_fp8", "int8": "_fp8", "fp4": "_fp4", "int4": "_fp4"}

#: Catalog fields that may have ``_fp8`` and ``_fp4`` forms (GEMM kernels differ by precision).
BY_PRECISION = ("compute_efficiency", "bandwidth_efficiency", "layer_overhead_us",
                "moe_layer_overhead_us", "moe_activation_bytes", "moe_token_bytes")

#: Kernel and host terms a catalog may leave out: none (zero) where it does.
OPTIONAL_TERMS = ("layer_overhead_us", "moe_layer_overhead_us", "moe_activation_bytes",
                  "moe_token_bytes", "host_us_per_sequence")


def precision_field(eff, key: str, activation_precision: str) -> str:
    """The field of ``eff`` that holds ``key`` for ``activation_precision``: ``key_fp8``
    (``_fp4``) where the entry has one, else ``key``.

    A value of ``key`` set over the built-in catalog (a user catalog file, a scenario,
    ``--set``, the API) while ``key_fp8`` is still the built-in one stands for every precision:
    ``--set serving.compute_efficiency=0.6`` then reaches an FP8 deployment too, instead of
    being shadowed by a field the user never named.

    Examples
    --------
    >>> precision_field({"compute_efficiency_fp8": 0.6}, "compute_efficiency", "fp8")
    'compute_efficiency_fp8'
    >>> precision_field({}, "compute_efficiency", "fp8")
    'compute_efficiency'
    """
    suffix = _SUFFIX.get(activation_precision)
    if suffix and eff.get(key + suffix) is not None and not _set_over(eff, key, key + suffix):
        return key + suffix
    return key


def _set_over(eff, general: str, specific: str) -> bool:
    """True when an entry's ``general`` field was set over the built-in catalog and its
    ``specific`` one was not (a plain mapping has no layers: False)."""
    fields = getattr(eff, "fields", None)
    if fields is None:
        return False
    g, s = fields.get(general), fields.get(specific)
    return g is not None and g.layer != "catalog" and (s is None or s.layer == "catalog")


def _fill_from_default(values: dict, eff, cat) -> None:
    """Factors an accelerator's own table leaves out take the ``[default]`` table's (the
    documented values for any accelerator without measurements), not a sharp roofline and no
    kernel time; only a catalog without a ``[default]`` leaves them empty."""
    if eff.slug == "default" or not cat._has("serving_efficiency", "default"):
        return
    base = cat.get("serving_efficiency", "default")
    for k, v in values.items():
        if v is None and base.get(k) is not None:
            values[k] = base.get(k)


def _by_precision(eff, key: str, activation_precision: str):
    """The entry's value of ``key`` for ``activation_precision`` (:func:`precision_field`)."""
    return eff.get(precision_field(eff, key, activation_precision))


#: Largest coefficient of variation of output lengths a workload may state (far beyond the
#: 1.25 of MLPerf's DeepSeek-R1 reasoning set).
MAX_OUTPUT_CV = 10.0


def _options(speculative_tokens, acceptance_rate, prefix_hit_rate, kv_memory="total",
             output_cv=0.0, moe_dispatch="alltoall"):
    _checks.within("speculative_tokens", speculative_tokens, 0, 16)
    _checks.within("output_cv", output_cv, 0.0, MAX_OUTPUT_CV)
    if int(speculative_tokens) != speculative_tokens:
        raise InputError(f"speculative_tokens must be a whole number, got {speculative_tokens}")
    _checks.within("acceptance_rate", acceptance_rate, 0.0, 1.0)
    _checks.within("prefix_hit_rate", prefix_hit_rate, 0.0, 0.99)
    if speculative_tokens == 0 and acceptance_rate:
        raise InputError("acceptance_rate needs speculative_tokens >= 1 (draft or MTP tokens "
                         "per step)")
    for what, value, known in (("KV-memory convention", kv_memory, KV_MEMORY),
                               ("MoE dispatch", moe_dispatch, MOE_DISPATCH)):
        if value not in known:
            from ...errors import unknown

            raise InputError(unknown(what, str(value), known))


#: Largest CUDA-graph batch a deployment takes (engines capture a few thousand at most).
MAX_GRAPH_BATCH = 10**6


def _graph_batches(sizes) -> tuple[int, ...]:
    """CUDA-graph batch sizes as a sorted tuple of distinct whole numbers from 1 to
    :data:`MAX_GRAPH_BATCH`."""
    return tuple(sorted({_checks.count("graph_batches", x, 1, MAX_GRAPH_BATCH)
                         for x in sizes or ()}))


def tp_shape_error(model: Model, tp: int) -> str:
    """Why ``tp`` ranks cannot split ``model``'s attention evenly, or "".

    Serving engines (vLLM, SGLang, TensorRT-LLM) shard attention by heads: every rank takes
    the same number of query heads, and each KV head lives on whole ranks (``tp`` divides the
    KV heads, or the KV heads divide ``tp`` and are replicated). MLA's latent cache is
    replicated on every rank, so only the query heads need dividing.

    >>> m = Model.from_catalog("llama-3.1-70b")
    >>> tp_shape_error(m, 8), tp_shape_error(m, 16) == ""
    ('', True)
    >>> tp_shape_error(m, 3)
    'tensor parallelism 3 does not divide the 64 attention heads of llama-3.1-70b'
    """
    if model.heads % tp:
        return (f"tensor parallelism {tp} does not divide the {model.heads} attention heads of "
                f"{model.name}")
    if model.attention != "mla" and model.kv_heads % tp and tp % model.kv_heads:
        return (f"tensor parallelism {tp} neither divides nor is a multiple of the "
                f"{model.kv_heads} KV heads of {model.name}")
    return ""


@dataclass(frozen=True)
class Deployment:
    """A model served on ``tp`` x ``dp`` x ``pp`` accelerators of one kind.

    ``tp`` is the tensor parallelism of each attention group and ``dp`` the attention
    data parallelism (MoE only); routed experts are spread over all ``tp * dp`` accelerators.
    ``pp`` pipeline stages each hold a contiguous share of the layers on their own ``tp * dp``
    accelerators (a MoE stage spreads its layers' experts over them); the batch runs as
    ``pp`` micro-batches, one in each stage at a time (TensorRT-LLM's and vLLM's
    pipeline-parallel serving), so each stage reads its weights once per micro-batch
    (:func:`.step.forward_s`).
    """

    model: Model
    accelerator: str
    tp: int
    precision: str  # weights
    activation_precision: str  # matmul inputs: sets the peak FLOP/s
    kv_precision: str
    peak_flop_per_s: float  # one accelerator at activation_precision
    hbm_bytes_per_s: float
    hbm_capacity_bytes: float
    scaleup_bytes_per_s: float  # one direction, one accelerator
    scaleup_domain: int
    accelerators_per_server: int
    compute_efficiency: float
    bandwidth_efficiency: float
    communication_efficiency: float
    collective_latency_s: float
    step_overhead_s: float
    memory_usable_fraction: float
    accelerator_power_w: float  # system power per accelerator, at maximum
    dp: int = 1
    kv_bandwidth_efficiency: float | None = None  # attention's KV-cache reads (None: as weights)
    # MoE dispatch and combine: prefill's throughput kernels (None: as the all-reduce) and
    # decode's low-latency kernels (None: as prefill)
    alltoall_efficiency: float | None = None
    alltoall_efficiency_decode: float | None = None
    # MoE all-gather of the tokens and reduce-scatter of the outputs (``moe_dispatch=
    # "allgather"``, NCCL's collectives): share of the scale-up bandwidth and fixed latency
    # (None: as the all-reduce's)
    gather_efficiency: float | None = None
    gather_latency_s: float | None = None
    layer_overhead_s: float = 0.0
    # MoE routed-expert block: fixed time per layer, HBM bytes per output element of a routed
    # copy's expert GEMMs and per hidden element of a token given (:func:`.measured.moe_layer_s`)
    moe_layer_overhead_s: float = 0.0
    moe_activation_bytes: float = 0.0
    moe_token_bytes: float = 0.0
    # host time per sequence and decode step of an attention rank, overlapped with the GPU step
    host_s_per_sequence: float = 0.0
    roofline_exponent: float = float("inf")  # inf: the sharp max(compute, memory)
    scaleout_bytes_per_s: float = 50e9  # one direction, one accelerator
    max_num_tokens: int = MAX_NUM_TOKENS
    speculative_tokens: int = 0
    acceptance_rate: float = 0.0
    prefix_hit_rate: float = 0.0
    #: coefficient of variation of the requests' output lengths (0: all the same); see
    #: :func:`.batching.performance`
    output_cv: float = 0.0
    kv_memory: str = "total"  # how the engine sizes its KV cache (:data:`KV_MEMORY`)
    moe_dispatch: str = "alltoall"  # how tokens reach other ranks' experts (:data:`MOE_DISPATCH`)
    pp: int = 1  # pipeline stages
    #: batch sizes per attention rank the engine captured CUDA graphs for, ascending; a decode
    #: step runs padded to the smallest that holds its batch (:meth:`padded_batch`)
    graph_batches: tuple[int, ...] = ()
    #: peak of the attention core when the model serves it wider than the matmuls (None: as
    #: ``peak_flop_per_s``)
    attention_peak_flop_per_s: float | None = None
    resolved: Any = field(default=None, repr=False, compare=False)  # inputs it was made from

    @classmethod
    def create(cls, model="llama-3.1-70b", accelerator="h100-sxm", *, tp=1, dp=1, pp=1,
               precision="fp8", activation_precision=None, kv_precision=None,
               speculative_tokens=0, acceptance_rate=0.0, prefix_hit_rate=0.0, output_cv=0.0,
               max_num_tokens=MAX_NUM_TOKENS, kv_memory="total", moe_dispatch="alltoall",
               graph_batches=(), **efficiencies) -> Deployment:
        """A deployment from catalog names, entries or resolved inputs.

        ``accelerator`` may be a name, an entry or a :class:`~siliconomics.catalog.Resolved`
        (whose values are used as they are: a user's own accelerator or memory).
        ``activation_precision`` defaults to the weights' precision where the accelerator has a
        peak for it (else BF16: weight-only quantisation); ``kv_precision`` to FP8 for weights
        of 8 bits or fewer, else BF16. ``moe_dispatch`` is how a MoE model's tokens reach
        the experts of other ranks (:data:`MOE_DISPATCH`). ``graph_batches`` are the batch
        sizes per attention rank the engine captured CUDA graphs for, with padding on
        (:meth:`padded_batch`; none by default). ``efficiencies`` override the catalog's
        ``serving_efficiency`` fields (:data:`EFFICIENCY_KEYS`).

        Raises :class:`InputError` for unsupported combinations: attention data parallelism
        (``dp > 1``) of a dense model, more pipeline stages than layers, tensor parallelism
        beyond the scale-up domain.

        Examples
        --------
        >>> d = Deployment.create("llama-3.1-70b", "h100", tp=8, precision="fp8")
        >>> d.accelerator, d.kv_precision, d.peak_flop_per_s / 1e12 > 1000
        ('h100-sxm', 'fp8', True)
        """
        from ... import catalog

        m = model if isinstance(model, Model) else Model.from_catalog(model)
        r = accelerator if isinstance(accelerator, catalog.Resolved) else catalog.resolve(accelerator)
        acc = r.accelerator
        _checks.at_least("tp", tp, 1)
        _checks.at_least("dp", dp, 1)
        _checks.count("pp", pp, 1, m.layers)
        _checks.within("max_num_tokens", max_num_tokens, 1, 10**7)
        _options(speculative_tokens, acceptance_rate, prefix_hit_rate, kv_memory, output_cv,
                 moe_dispatch)
        graphs = _graph_batches(graph_batches)
        domain = int(r["system.scaleup_domain"])
        if dp > 1 and not m.is_moe:
            raise InputError(f"attention data parallelism (dp={dp}) needs a mixture-of-experts "
                             f"model; {m.name} is dense: serve more replicas instead (dp 1)")
        if tp > domain:
            raise InputError(f"tensor parallelism {tp} spans more than the {domain}-accelerator "
                             f"scale-up domain of {acc.slug}'s system; use --tp <= {domain} "
                             f"(and --dp for MoE models)")
        why = tp_shape_error(m, int(tp))
        if why:
            ok = [t for t in range(1, domain + 1) if not tp_shape_error(m, t)]
            choices = f"{', '.join(map(str, ok[:-1]))} or {ok[-1]}" if len(ok) > 1 else str(ok[0])
            raise InputError(f"{why}; use --tp {choices}")
        precision = _precision("precision", precision)
        if activation_precision is None:
            has = {"fp8": acc.get("fp8_tflop_per_s"), "int8": acc.get("fp8_tflop_per_s"),
                   "fp4": acc.get("fp4_tflop_per_s"), "int4": acc.get("fp4_tflop_per_s")}
            activation_precision = precision if has.get(precision, True) else "bf16"
        activation_precision = _precision("activation_precision", activation_precision)
        if kv_precision is None:
            kv_precision = "fp8" if bytes_per_element(precision) <= 1 else "bf16"
        kv_precision = _precision("kv_precision", kv_precision)
        eff = r.entry("serving")
        unknown_keys = set(efficiencies) - set(EFFICIENCY_KEYS)
        if unknown_keys:
            from ...errors import unknown

            raise InputError(unknown("efficiency factor", sorted(unknown_keys)[0],
                                     EFFICIENCY_KEYS))
        catalog_values = {k: eff.get(k) for k in EFFICIENCY_KEYS}
        for k in BY_PRECISION:
            catalog_values[k] = _by_precision(eff, k, activation_precision)
        _fill_from_default(catalog_values, eff, r.catalog)
        for k in OPTIONAL_TERMS:
            if catalog_values[k] is None:
                catalog_values[k] = 0.0
        if catalog_values["roofline_exponent"] is None:
            catalog_values["roofline_exponent"] = float("inf")
        if catalog_values["kv_bandwidth_efficiency"] is None:
            catalog_values["kv_bandwidth_efficiency"] = catalog_values["bandwidth_efficiency"]
        if catalog_values["alltoall_efficiency"] is None:
            catalog_values["alltoall_efficiency"] = catalog_values["communication_efficiency"]
        if catalog_values["alltoall_efficiency_decode"] is None:
            catalog_values["alltoall_efficiency_decode"] = catalog_values["alltoall_efficiency"]
        if catalog_values["gather_efficiency"] is None:
            catalog_values["gather_efficiency"] = catalog_values["communication_efficiency"]
        if catalog_values["gather_latency_us"] is None:
            catalog_values["gather_latency_us"] = catalog_values["collective_latency_us"]
        e = {k: (efficiencies[k] if efficiencies.get(k) is not None else catalog_values[k])
             for k in EFFICIENCY_KEYS}
        for k in ("compute_efficiency", "bandwidth_efficiency", "kv_bandwidth_efficiency",
                  "communication_efficiency", "alltoall_efficiency", "alltoall_efficiency_decode",
                  "gather_efficiency", "memory_usable_fraction"):
            _checks.fraction(k, e[k])
        for k in ("collective_latency_us", "gather_latency_us", "step_overhead_ms",
                  *OPTIONAL_TERMS):
            _checks.non_negative(k, e[k])
        _checks.at_least("roofline_exponent", e["roofline_exponent"], 1.0)
        per_system = int(r["system.accelerators"])
        return cls(
            model=m,
            accelerator=acc.slug,
            tp=int(tp),
            dp=int(dp),
            pp=int(pp),
            precision=precision,
            activation_precision=activation_precision,
            kv_precision=kv_precision,
            peak_flop_per_s=_peak_tflop(acc, activation_precision) * 1e12,
            attention_peak_flop_per_s=_attention_peak(m, acc, activation_precision),
            hbm_bytes_per_s=float(r["accelerator.memory_bandwidth_tb_per_s"]) * 1e12,
            hbm_capacity_bytes=float(r["accelerator.memory_capacity_gb"]) * ACCELERATOR_GB,
            scaleup_bytes_per_s=float(r["system.scaleup_bandwidth_gb_per_s"]) * 1e9 / 2.0,
            scaleout_bytes_per_s=float(r.assumption("scaleout-bandwidth-gb-per-s")) * 1e9,
            scaleup_domain=domain,
            accelerators_per_server=per_system,
            compute_efficiency=float(e["compute_efficiency"]),
            bandwidth_efficiency=float(e["bandwidth_efficiency"]),
            kv_bandwidth_efficiency=float(e["kv_bandwidth_efficiency"]),
            communication_efficiency=float(e["communication_efficiency"]),
            alltoall_efficiency=float(e["alltoall_efficiency"]),
            alltoall_efficiency_decode=float(e["alltoall_efficiency_decode"]),
            gather_efficiency=float(e["gather_efficiency"]),
            gather_latency_s=float(e["gather_latency_us"]) * 1e-6,
            collective_latency_s=float(e["collective_latency_us"]) * 1e-6,
            step_overhead_s=float(e["step_overhead_ms"]) * 1e-3,
            layer_overhead_s=float(e["layer_overhead_us"]) * 1e-6,
            moe_layer_overhead_s=float(e["moe_layer_overhead_us"]) * 1e-6,
            moe_activation_bytes=float(e["moe_activation_bytes"]),
            moe_token_bytes=float(e["moe_token_bytes"]),
            host_s_per_sequence=float(e["host_us_per_sequence"]) * 1e-6,
            roofline_exponent=float(e["roofline_exponent"]),
            memory_usable_fraction=float(e["memory_usable_fraction"]),
            accelerator_power_w=float(r["system.power_kw"]) * 1e3 / per_system,
            max_num_tokens=int(max_num_tokens),
            speculative_tokens=int(speculative_tokens),
            acceptance_rate=float(acceptance_rate),
            prefix_hit_rate=float(prefix_hit_rate),
            output_cv=float(output_cv),
            kv_memory=kv_memory,
            moe_dispatch=moe_dispatch,
            graph_batches=graphs,
            resolved=r,
        )

    def with_efficiency(self, **changes) -> Deployment:
        """A copy with other efficiency factors (``compute_efficiency=0.4``...)."""
        return replace(self, **changes)

    # --- sizes ------------------------------------------------------------------------------
    @property
    def accelerators(self) -> int:
        """Accelerators of the replica: ``tp * dp * pp``."""
        return self.tp * self.dp * self.pp

    @property
    def stage_layers(self) -> int:
        """Layers of the busiest pipeline stage: ``ceil(layers / pp)``."""
        return -(-self.model.layers // self.pp)

    @property
    def stage_accelerators(self) -> int:
        """Accelerators of one pipeline stage: ``tp * dp`` (experts spread over them)."""
        return self.tp * self.dp

    @property
    def spans_scaleup_domain(self) -> bool:
        """Whether the replica reaches beyond one scale-up domain (expert traffic on scale-out)."""
        return self.accelerators > self.scaleup_domain

    @property
    def weight_bytes_per_element(self) -> float:
        return bytes_per_element(self.precision)

    @property
    def _lookup_params(self) -> float:
        m = self.model
        return 0.0 if m.tied_embeddings else float(m.vocab_size * m.hidden_size)

    @property
    def dense_active_params(self) -> float:
        """Parameters every token multiplies by outside the routed experts. [count]"""
        return self.model.params_active - moe.routed_params(self.model, True) - self._lookup_params

    @property
    def dense_weight_bytes(self) -> float:
        """Weights outside the routed experts that one pass reads (no input embedding). [bytes]"""
        m = self.model
        return (m.params_total - moe.routed_params(m) - self._lookup_params) \
            * self.weight_bytes_per_element

    @property
    def weights_bytes(self) -> float:
        """Weights held by the whole replica (non-expert weights once per attention group). [bytes]"""
        m = self.model
        routed = moe.routed_params(m)
        return ((m.params_total - routed) * self.dp + routed) * self.weight_bytes_per_element

    @property
    def kv_replication(self) -> float:
        """Copies of the KV cache over one tensor-parallel group (:func:`.kv.kv_replication`)."""
        return kv.kv_replication(self.model, self.tp)

    def kv_bytes_per_token(self, context=None) -> float:
        """KV cache of one token of context over a group (copies included), averaged over
        ``context`` tokens where sliding-window layers cap what they keep. [bytes]"""
        return self.model.kv_bytes_per_token(self.kv_precision, context) * self.kv_replication

    def decode_context(self, prompt_tokens, output_tokens):
        """Mean context of the sequences in flight, which decode steps attend over: a sequence
        stays in the batch in proportion to its output length, so with output lengths of
        coefficient of variation ``output_cv`` (c) it is the length-biased ``p + (1 + c^2) o /
        2``, and ``p + o / 2`` when every request has the same length. [tokens]

        >>> d = Deployment.create("llama-3.1-8b", "h100")
        >>> d.decode_context(800, 4000), replace(d, output_cv=1.25).decode_context(800, 4000)
        (2800.0, 5925.0)
        """
        out = np.asarray(prompt_tokens, dtype=float) \
            + (1.0 + self.output_cv ** 2) * np.asarray(output_tokens, dtype=float) / 2.0
        return float(out) if out.ndim == 0 else out

    def kv_tokens(self, prompt_tokens, output_tokens):
        """Tokens of KV cache a batch slot is sized for: the final length ``p + o`` of a
        request, or, when outputs spread so widely (``output_cv`` above 1) that the sequences in
        flight hold more on average, that mean (:meth:`decode_context`). [tokens]

        >>> d = Deployment.create("llama-3.1-8b", "h100")
        >>> d.kv_tokens(800, 4000), replace(d, output_cv=1.25).kv_tokens(800, 4000)
        (4800.0, 5925.0)
        """
        final = np.asarray(prompt_tokens, dtype=float) + np.asarray(output_tokens, dtype=float)
        out = np.maximum(final, self.decode_context(prompt_tokens, output_tokens))
        return float(out) if out.ndim == 0 else out

    def memory_plan(self, context_tokens) -> kv.MemoryPlan:
        """:func:`.kv.memory_plan` of this deployment."""
        return kv.memory_plan(self, context_tokens)

    def stages_that_fit(self, context_tokens) -> int | None:
        """The fewest pipeline stages, doubling from this deployment's, with which one sequence
        of ``context_tokens`` fits (at most one layer per stage and 4,096 accelerators); None
        when none do."""
        pp = self.pp * 2
        while pp <= self.model.layers and self.stage_accelerators * pp <= 4096:
            if replace(self, pp=pp).memory_plan(context_tokens).fits:
                return pp
            pp *= 2
        return None

    def check_fits(self, context_tokens) -> kv.MemoryPlan:
        """:meth:`memory_plan`, raising :class:`InputError` when not even batch 1 fits, with
        the smallest tensor parallelism that would, else the smallest pipeline (dense models)
        or attention data (MoE) parallelism."""
        plan = self.memory_plan(context_tokens)
        if plan.fits:
            return plan
        need = plan.weights_bytes + plan.activation_bytes + plan.kv_bytes_per_sequence
        short = need - plan.usable_bytes
        hint = None
        tp = self.tp * 2
        while tp <= self.scaleup_domain and hint is None:
            if not tp_shape_error(self.model, tp) and \
                    replace(self, tp=tp).memory_plan(context_tokens).fits:
                hint = f"smallest tensor parallelism that fits: --tp {tp}"
            tp *= 2
        pp = self.stages_that_fit(context_tokens) if hint is None else None
        if hint is None and self.model.is_moe:
            dp = self.dp * 2
            while dp * self.tp * self.pp <= 4096 and hint is None:
                if replace(self, dp=dp).memory_plan(context_tokens).fits:
                    hint = (f"smallest attention data parallelism that fits at tp {self.tp}: "
                            f"--dp {dp}" + (f" (or pipeline stages: --pp {pp})" if pp else ""))
                dp *= 2
        if hint is None and pp:
            hint = f"smallest pipeline parallelism that fits at tp {self.tp}: --pp {pp}"
        if hint is None:
            hint = (f"no tensor parallelism within the {self.scaleup_domain}-accelerator scale-up "
                    f"domain fits; use a lower precision or a shorter context")
        raise InputError(
            f"{self.model.name} at {self.precision} does not fit on {self.accelerators} x "
            f"{self.accelerator} at batch 1 with {int(context_tokens)} tokens of context: needs "
            f"{need / 1e9:.1f} GB, {plan.usable_bytes / 1e9:.1f} GB usable "
            f"(short by {short / 1e9:.1f} GB); {hint}"
        )

    # --- passes -----------------------------------------------------------------------------
    def prefill_s(self, prompt_tokens, batch=1):
        """Time to prefill ``batch`` prompts of ``prompt_tokens`` tokens, in chunks of at most
        :attr:`max_num_tokens` tokens per attention group and micro-batch (cached prefix tokens
        skipped). [s]

        Examples
        --------
        >>> d = Deployment.create("llama-3.1-70b", "h100", tp=8, precision="fp8")
        >>> 0.05 < float(d.prefill_s(2048)) < 0.5
        True
        """
        _checks.at_least("prompt_tokens", prompt_tokens, 1)
        _checks.at_least("batch", batch, 1)
        p = np.asarray(prompt_tokens, dtype=float)
        new = np.maximum(p * (1.0 - self.prefix_hit_rate), 1.0)
        tokens = new * np.asarray(batch, dtype=float)
        # each attention group and each micro-batch in the pipeline takes its own chunk
        cap = float(self.max_num_tokens * self.dp * self.pp)
        chunks = np.maximum(tokens / cap, 1.0)  # a share of the last chunk goes with the next
        per = np.minimum(tokens, cap)           # cycle
        t = step.forward_s(self, per, p - new / 2.0, per / new, kv_write_tokens=per,
                           prefill=True)
        return chunks * t

    def padded_batch(self, batch):
        """The batch a decode step of ``batch`` sequences runs at: with :attr:`graph_batches`,
        each attention rank's share (of each pipeline micro-batch) padded with dummy
        sequences to the smallest captured CUDA graph that holds it (TensorRT-LLM's
        ``cuda_graph_config`` with ``enable_padding``: a graph replays a fixed batch); beyond
        the largest graph, or with none, the batch itself (an eager step). [count]

        Examples
        --------
        >>> d = Deployment.create("llama-3.1-8b", "h100", graph_batches=(256, 384, 512))
        >>> d.padded_batch(300).tolist(), d.padded_batch(600).tolist()
        (384.0, 600.0)
        """
        b = np.asarray(batch, dtype=float)
        if not self.graph_batches:
            return b
        graphs = np.asarray(self.graph_batches, dtype=float)
        ranks = self.dp * self.pp  # attention ranks times micro-batches in flight
        per = np.ceil(b / ranks)
        i = np.minimum(np.searchsorted(graphs, per), len(graphs) - 1)
        return np.where(per <= graphs[-1], graphs[i] * ranks, b)

    def decode_step_s(self, batch, context_tokens, graphs: bool = True):
        """Time of one decode step of ``batch`` sequences at ``context_tokens`` each (with
        speculative decoding: the verification of ``speculative_tokens + 1`` tokens per
        sequence and the drafts); a step padded to a CUDA graph's batch
        (:meth:`padded_batch`) runs the padding's linear layers, experts and collectives too,
        and ``graphs=False`` times it eagerly (a pass that also runs prefill, which no
        captured graph holds). [s]

        The engine's host work for the step (scheduling, input preparation, sampling: the
        ``host_us_per_sequence`` of each attention rank's ``batch / dp`` sequences) runs while
        the GPU computes the previous step (TensorRT-LLM's overlap scheduler), so the step
        takes the longer of the two.

        Examples
        --------
        >>> d = Deployment.create("llama-3.1-70b", "h100", tp=8, precision="fp8")
        >>> 0.002 < float(d.decode_step_s(1, 2048)) < 0.02
        True
        """
        _checks.at_least("batch", batch, 1)
        _checks.at_least("context_tokens", context_tokens, 1)
        b = np.asarray(batch, dtype=float)
        s = np.asarray(context_tokens, dtype=float)
        k = self.speculative_tokens
        pad = (self.padded_batch(b) - b) * (k + 1) if graphs else 0.0
        t = step.forward_s(self, b * (k + 1), s, b, kv_write_tokens=b * (k + 1), padding=pad)
        if k:
            from .batching import draft_s

            t = t + draft_s(self, b, s)
        if self.host_s_per_sequence:
            t = np.maximum(t, b / self.dp * self.host_s_per_sequence)
        return t

    # --- continuous batching (:mod:`.batching`) ----------------------------------------------
    def performance(self, batch, prompt_tokens, output_tokens, arrival_rate_per_s=None) -> dict:
        """:func:`.batching.performance` of this deployment."""
        from .batching import performance

        return performance(self, batch, prompt_tokens, output_tokens,
                           arrival_rate_per_s=arrival_rate_per_s)

    def batches(self, max_batch: int) -> np.ndarray:
        """:func:`.batching.batches`: every batch size from 1 to ``max_batch``."""
        from .batching import batches

        return batches(max_batch)

    def frontier(self, prompt_tokens, output_tokens) -> list[dict]:
        """:func:`.batching.frontier` of this deployment."""
        from .batching import frontier

        return frontier(self, prompt_tokens, output_tokens)
