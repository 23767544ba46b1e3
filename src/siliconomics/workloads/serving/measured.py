r"""Measured kernel timings: fit the analytical model's efficiency terms to them.

NVIDIA's aiconfigurator-core (``pip install siliconomics[measured]``) ships a database of
measured kernel latencies per GPU and engine (TensorRT-LLM, vLLM, SGLang): GEMMs of many
shapes and precisions, attention, custom all-reduce. The analytical step time
(:mod:`.step`) needs only a few numbers per accelerator; this module fits them:

- **compute efficiency**: the median achieved fraction of the catalog's dense peak over
  compute-bound GEMMs (:math:`m, n, k \ge 4096`) at each precision (:func:`fit_compute`);
- **bandwidth efficiency** and the **fixed time per kernel**, for each GEMM precision: the
  per-layer overhead is :data:`GEMMS_PER_LAYER` GEMM fixed times plus the attention kernel's
  (the median time of attention calls reading under 1 MB): a least-squares line
  :math:`t = t_0 + B / (W \eta_w)` through the decode-shaped GEMMs (:math:`m \le 16`), whose
  time is reading the weight matrix of :math:`B = n k` elements (:func:`fit_bandwidth`);
- **roofline exponent**: the :math:`p` of :func:`.step.blended_roofline` that best
  reproduces every GEMM with :math:`n, k \ge 1024` of the accelerator, all precisions pooled,
  given the terms above (:func:`fit_roofline_exponent`);
- **KV bandwidth efficiency**: the median achieved fraction of HBM bandwidth of the
  generation-phase attention kernel reading at least 200 MB of KV cache (:func:`fit_attention`);
- **MoE expert block** (:func:`fit_moe`): TensorRT-LLM's default MoE path (CUTLASS grouped
  GEMMs) timed over many expert shapes, token counts, expert-parallel degrees and precisions.
  Given the GEMM terms above, three terms per precision give its time: a fixed time per MoE
  layer (``moe_layer_overhead_us``: routing, the kernels' launches), the HBM bytes moved per
  output element of a routed copy's expert GEMMs (``moe_activation_bytes``: the intermediate
  activations) and per element of every token the kernel is given (``moe_token_bytes``:
  expanding it to its experts, the weighted combine), which make narrow experts (Qwen3's 768
  wide) slower than their FLOPs and an expert-parallel rank slower than its share;
- **communication efficiency** and **collective latency**: the median small-message
  all-reduce latency, and the bandwidth against the one-direction scale-up bandwidth that,
  with it, best gives the times of the 1-256 MB messages a serving step sends
  (:func:`fit_allreduce`).

The fitted terms ship in ``catalog/serving_efficiency.toml`` with the file and commit they
came from, so the default install needs no extra; :func:`fit_from_database` reproduces them
where the extra is installed (or from a copy of the data folder). Accelerators without
measurements (Intel, Google and user-defined ones) keep the analytical defaults.

AMD's MI300X has no such database; its FP8 GEMM terms are fitted the same way to the tuned
GEMM tables of ROCm's AITER library (:func:`fit_aiter_gemms`) and its all-reduce terms to
a published rccl-tests run (:func:`fit_allreduce`); the catalog entry cites both.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from ...errors import InputError

#: Bytes per element of the GEMM precisions in the database (NVFP4: 4 bits plus one FP8
#: scale per 16 elements).
GEMM_BYTES = {"bfloat16": 2.0, "fp8": 1.0, "fp8_block": 1.0, "nvfp4": 0.5625}

#: GEMMs of one decoder layer that each pay the fixed time per kernel of their precision: the
#: QKV, output, gate-up and down projections (norms and activations are fused into them); the
#: attention kernel adds its own fixed time.
GEMMS_PER_LAYER = 4

#: Catalog field of each GEMM precision's dense peak (an accelerator's own: Blackwell Ultra's
#: FP4 peak is 6x its BF16 one on GB300, 4x on B200).
GEMM_PEAK_FIELD = {"bfloat16": "bf16_tflop_per_s", "fp8": "fp8_tflop_per_s",
                   "fp8_block": "fp8_tflop_per_s", "nvfp4": "fp4_tflop_per_s"}


def gemm_peaks(accelerator) -> dict[str, float]:
    """Dense peak of each database GEMM precision on a catalog accelerator (a name or resolved
    inputs), from its own catalog fields (precisions it has no peak for left out). [FLOP/s]

    Examples
    --------
    >>> p = gemm_peaks("gb300")
    >>> p["nvfp4"] / p["bfloat16"], gemm_peaks("b200")["nvfp4"] / gemm_peaks("b200")["bfloat16"]
    (6.0, 4.0)
    """
    from ... import catalog

    r = accelerator if isinstance(accelerator, catalog.Resolved) else catalog.resolve(accelerator)
    acc = r.accelerator
    out = {}
    for dtype, field in GEMM_PEAK_FIELD.items():
        value = getattr(acc, field, None)
        if value:
            out[dtype] = float(value) * 1e12
    return out


def fit_compute(m, n, k, latency_s, peak_flop_per_s, *, min_dim: int = 4096) -> float:
    """Median achieved fraction of ``peak_flop_per_s`` over GEMMs with every dimension
    >= ``min_dim``. [dimensionless]

    Examples
    --------
    >>> round(fit_compute([8192], [8192], [8192], [2 * 8192**3 / 5e14], 1e15), 6)
    0.5
    """
    m, n, k, t = (np.asarray(x, dtype=float) for x in (m, n, k, latency_s))
    big = (m >= min_dim) & (n >= min_dim) & (k >= min_dim)
    if not big.any():
        raise InputError(f"no GEMM with every dimension >= {min_dim} to fit compute efficiency")
    return float(np.median(2.0 * m[big] * n[big] * k[big] / t[big] / peak_flop_per_s))


#: Catalog field of each database GEMM precision's large-GEMM efficiency.
COMPUTE_FIELD = {"bfloat16": "compute_efficiency", "fp8": "compute_efficiency_fp8",
                 "nvfp4": "compute_efficiency_fp4"}


def _large_gemm_shares(gemms, peaks: dict[str, float], dtypes) -> dict:
    """:func:`fit_compute` of each of ``dtypes`` the database table ``gemms`` measures, against
    that precision's peak (``peaks``, :func:`gemm_peaks`), keyed by its catalog field
    (:data:`COMPUTE_FIELD`)."""
    out = {}
    for dtype in dtypes:
        x = gemms[gemms.gemm_dtype == dtype]
        if len(x) and dtype in peaks:
            out[COMPUTE_FIELD[dtype]] = fit_compute(x.m, x.n, x.k, x.latency * 1e-3,
                                                   peaks[dtype])
    return out


def fit_bandwidth(m, n, k, latency_s, bytes_per_element, hbm_bytes_per_s, *,
                  max_m: int = 16) -> tuple[float, float]:
    """``(t0_s, efficiency)``: the fixed time per kernel and the achieved fraction of HBM
    bandwidth, from a least-squares line through GEMMs with ``m <= max_m``.

    Examples
    --------
    >>> n = np.array([4096.0, 8192, 16384])
    >>> t = 5e-6 + n * 4096 * 2 / (0.8 * 3e12)
    >>> t0, eta = fit_bandwidth([1, 1, 1], n, [4096] * 3, t, 2.0, 3e12)
    >>> round(t0 * 1e6, 3), round(eta, 3)
    (5.0, 0.8)
    """
    m, n, k, t = (np.asarray(x, dtype=float) for x in (m, n, k, latency_s))
    small = m <= max_m
    if small.sum() < 2:
        raise InputError(f"need at least two GEMMs with m <= {max_m} to fit bandwidth efficiency")
    x = n[small] * k[small] * bytes_per_element / hbm_bytes_per_s
    a = np.vstack([np.ones_like(x), x]).T
    (t0, slope), *_ = np.linalg.lstsq(a, t[small], rcond=None)
    return float(t0), float(1.0 / slope)


def fit_attention(batch, context, kv_heads, head_dim, bytes_per_element, latency_s,
                  hbm_bytes_per_s, *, min_bytes: float = 2e8) -> float:
    """Median achieved fraction of HBM bandwidth of decode attention reading at least
    ``min_bytes`` of KV cache (keys and values of every head). [dimensionless]

    Examples
    --------
    >>> b = 2 * 64 * 4096 * 8 * 128 * 1.0
    >>> fit_attention([64], [4096], [8], [128], 1.0, [b / (0.7 * 3e12)], 3e12)
    0.7
    """
    kv, t = _kv_read(batch, context, kv_heads, head_dim, bytes_per_element), \
        np.asarray(latency_s, dtype=float)
    big = kv >= min_bytes
    if not big.any():
        raise InputError(f"no attention measurement reads >= {min_bytes:g} bytes of KV cache")
    return float(np.round(np.median(kv[big] / t[big] / hbm_bytes_per_s), 12))


def attention_fixed_s(batch, context, kv_heads, head_dim, bytes_per_element, latency_s, *,
                      max_bytes: float = 1e6) -> float:
    """Median time of decode attention calls reading less than ``max_bytes`` of KV cache: its
    fixed time per layer. [s]

    Examples
    --------
    >>> attention_fixed_s([1, 1], [16, 32], [8, 8], [128, 128], 1.0, [5e-6, 7e-6])
    6e-06
    """
    kv = _kv_read(batch, context, kv_heads, head_dim, bytes_per_element)
    small = kv < max_bytes
    if not small.any():
        raise InputError(f"no attention measurement reads < {max_bytes:g} bytes of KV cache")
    return float(np.median(np.asarray(latency_s, dtype=float)[small]))


def _kv_read(batch, context, kv_heads, head_dim, bytes_per_element):
    b, c, h, d = (np.asarray(x, dtype=float) for x in (batch, context, kv_heads, head_dim))
    return b * c * 2.0 * h * d * bytes_per_element


#: Message sizes a serving step's all-reduces span (a decode batch of tens of tokens to a
#: prefill chunk of thousands, hidden sizes of 4-16K, BF16): the range the bandwidth is fitted on.
ALLREDUCE_FIT_BYTES = (2**20, 2**28)


def fit_allreduce(ranks, message_bytes, latency_s, link_bytes_per_s, *,
                  small_bytes: float = 131072,
                  fit_bytes: tuple[float, float] = ALLREDUCE_FIT_BYTES) -> tuple[float, float]:
    """``(latency_s, efficiency)`` of all-reduce, as :func:`.step.allreduce_s` uses them
    (:math:`t = t_0 + 2 (n-1)/n \\cdot M / (\\eta B)`): :math:`t_0` the median time of
    messages up to ``small_bytes``; :math:`\\eta` fitted, given :math:`t_0`, by least squares
    on the relative error over the messages within ``fit_bytes`` (those a serving step
    sends), per group size, and the median taken over group sizes.

    Measured all-reduce bandwidth keeps rising long past these sizes (on H100, 240 GB/s of
    ring-equivalent bandwidth at 16 MB against 469 GB/s at 1 GB), so fitting the line on the
    largest message would make the messages serving sends about a third too fast.

    Examples
    --------
    >>> m = np.array([1024, 2**20, 2**24, 2**28])
    >>> t = 4e-6 + 2 * 7 / 8 * m / (0.75 * 4e11)
    >>> lat, eta = fit_allreduce([8] * 4, m, t, 4e11)
    >>> round(lat * 1e6, 1), round(eta, 2)
    (4.0, 0.75)
    """
    return _fit_ring(ranks, message_bytes, latency_s, link_bytes_per_s, 2.0, "all-reduce",
                     small_bytes, fit_bytes)


def fit_gather(ranks, message_bytes, latency_s, link_bytes_per_s, *,
               small_bytes: float = 131072,
               fit_bytes: tuple[float, float] = ALLREDUCE_FIT_BYTES) -> tuple[float, float]:
    """``(latency_s, efficiency)`` of all-gather and reduce-scatter, as
    :func:`.moe.gather_scatter_s` uses them (:math:`t = t_0 + (n-1)/n \\cdot M / (\\eta B)`
    for a buffer of :math:`M` bytes, gathered or scattered), fitted as :func:`fit_allreduce`
    fits all-reduce: :math:`t_0` the median time of messages up to ``small_bytes``,
    :math:`\\eta` by least squares on the relative error within ``fit_bytes`` per group size,
    the median over group sizes. ``message_bytes`` is the whole buffer, as nccl-tests
    reports it (``all_gather_perf``'s output, ``reduce_scatter_perf``'s input).

    Examples
    --------
    >>> m = np.array([1024, 2**20, 2**24, 2**28])
    >>> t = 11e-6 + 7 / 8 * m / (0.55 * 4.5e11)
    >>> lat, eta = fit_gather([8] * 4, m, t, 4.5e11)
    >>> round(lat * 1e6, 1), round(eta, 2)
    (11.0, 0.55)
    """
    return _fit_ring(ranks, message_bytes, latency_s, link_bytes_per_s, 1.0,
                     "all-gather or reduce-scatter", small_bytes, fit_bytes)


def _fit_ring(ranks, message_bytes, latency_s, link_bytes_per_s, passes, what, small_bytes,
              fit_bytes) -> tuple[float, float]:
    """:func:`fit_allreduce` and :func:`fit_gather`: a ring collective whose ranks each move
    ``passes`` times :math:`(n-1)/n` of the buffer."""
    r, msg, t = (np.asarray(x, dtype=float) for x in (ranks, message_bytes, latency_s))
    lat = float(np.median(t[msg <= small_bytes]))
    lo, hi = fit_bytes
    etas = []
    for g in np.unique(r):
        sel = (r == g) & (msg >= lo) & (msg <= hi)
        if not sel.any():
            raise InputError(f"no {what} of {int(g)} ranks between {lo:g} and {hi:g} bytes "
                             "to fit the bandwidth")
        x = passes * (g - 1.0) / g * msg[sel] / link_bytes_per_s  # time at full link speed
        y, w = t[sel] - lat, 1.0 / t[sel] ** 2  # relative error: weights 1/t^2
        etas.append(float(np.sum(w * x * x) / np.sum(w * x * y)))
    return lat, float(np.median(etas))


#: Exponents tried by :func:`fit_roofline_exponent`.
EXPONENTS = (1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0, 6.0, 8.0)


#: The database's MoE rows the expert block is fitted to: TensorRT-LLM's default MoE backend
#: (CUTLASS; ``moe_torch_flow`` in the 1.0 tables, the first of these a table has), gated
#: experts spread over 1 to 256 GPUs by expert parallelism (none split by tensor
#: parallelism), with token-to-expert counts drawn from a power law of exponent 1.2
#: (aiconfigurator's default workload distribution for estimating real traffic).
MOE_KERNELS = ("moe_torch_flow_cutlass", "moe_torch_flow")
MOE_DISTRIBUTION = "power_law_1.2"


def moe_layer_s(tokens, hidden, inter, experts, topk, *, bytes_per_element, peak_flop_per_s,
                hbm_bytes_per_s, compute_efficiency, bandwidth_efficiency, exponent,
                ep=1, fixed_s=0.0, activation_bytes=0.0, token_bytes=0.0, gated=True):
    r"""Time of one MoE layer's routed-expert block on one of ``ep`` accelerators that share
    the experts, given all ``tokens`` (the database's convention: every rank sees every token,
    as after an all-gather, and runs its own experts on the copies routed to them).

    .. math::

        t = t_0 + \left[\left(\frac{2 T k P_e}{n P \eta_c}\right)^p
            + \left(\frac{\bar E\,P_e\,b}{n W \eta_w}\right)^p\right]^{1/p}
            + \frac{T k\,(g I + h)\,c}{n W} + \frac{T h\,c_T}{W}

    for :math:`T` tokens each routed to :math:`k` of :math:`E` experts of :math:`P_e` weights
    (:math:`g I` gate-and-up outputs, :math:`g = 2` when gated, and :math:`h` down outputs),
    :math:`\bar E` the experts touched (uniform routing), over :math:`n` = ``ep`` ranks:
    :math:`t_0` the fixed time, :math:`c` the bytes moved per output element of a routed copy
    (intermediate activations) and :math:`c_T` those per element of every token the rank is
    given (expanding it to its experts, the weighted combine of their outputs). [s]
    """
    from .moe import expected_experts_touched

    t, h, i = (np.asarray(x, dtype=float) for x in (tokens, hidden, inter))
    k = np.asarray(topk, dtype=float)
    n = np.asarray(ep, dtype=float)
    g = 2.0 if gated else 1.0
    params = (g + 1.0) * h * i
    compute = 2.0 * t * k / n * params / (peak_flop_per_s * compute_efficiency)
    memory = (expected_experts_touched(t, experts, k) / n * params * bytes_per_element
              / (hbm_bytes_per_s * bandwidth_efficiency))
    from .step import blended_roofline

    return (fixed_s + blended_roofline(compute, memory, exponent)
            + (t * k / n * (g * i + h) * activation_bytes + t * h * token_bytes)
            / hbm_bytes_per_s)


def fit_moe(tokens, hidden, inter, experts, topk, ep, latency_s,
            **terms) -> tuple[float, float, float]:
    """The fixed time per layer, bytes per output element of a routed copy and bytes per
    element of a token given (:func:`moe_layer_s`) that best give measured MoE-layer times,
    the GEMM terms (``terms``: the keywords of :func:`moe_layer_s` but ``ep``, ``fixed_s``,
    ``activation_bytes`` and ``token_bytes``) held at their own fits.

    Least squares on the log ratio with a soft-L1 loss (:func:`scipy.optimize.least_squares`),
    so a few shapes the kernels handle badly do not set the terms for the rest.

    Returns
    -------
    (fixed_s, activation_bytes, token_bytes) : tuple of float
        [s], [bytes], [bytes]
    """
    from scipy.optimize import least_squares  # noqa: PLC0415 - heavy, fitting only

    shapes = (tokens, hidden, inter, experts, topk)
    t = np.asarray(latency_s, dtype=float)
    base = moe_layer_s(*shapes, ep=ep, **terms)
    per_copy = moe_layer_s(*shapes, ep=ep, **terms, activation_bytes=1.0) - base
    per_token = moe_layer_s(*shapes, ep=ep, **terms, token_bytes=1.0) - base

    def residuals(x):
        return np.log((x[0] * 1e-6 + base + per_copy * x[1] + per_token * x[2]) / t)

    fit = least_squares(residuals, [30.0, 10.0, 10.0], bounds=([0.0, 0.0, 0.0], [1e4, 1e3, 1e3]),
                        loss="soft_l1")
    return float(fit.x[0]) * 1e-6, float(fit.x[1]), float(fit.x[2])


def fit_roofline_exponent(compute_s, memory_s, fixed_s, latency_s) -> float:
    """The exponent of :func:`.step.blended_roofline` (from :data:`EXPONENTS`) with the least
    root-mean-square log error of ``fixed_s + blended(compute_s, memory_s)`` against the
    measured ``latency_s``.

    Examples
    --------
    >>> c, m = np.array([1.0, 3.0, 4.0]), np.array([4.0, 4.0, 1.0])
    >>> t = np.sqrt(c**2 + m**2)
    >>> fit_roofline_exponent(c, m, 0.0, t)
    2.0
    """
    errs = roofline_log_errors(compute_s, memory_s, fixed_s, latency_s)
    return EXPONENTS[int(np.argmin(errs))]


def roofline_log_errors(compute_s, memory_s, fixed_s, latency_s) -> list[float]:
    """Root-mean-square log error of ``fixed_s + blended(compute_s, memory_s, p)`` against
    the measured ``latency_s`` for every exponent ``p`` of :data:`EXPONENTS`."""
    from .step import blended_roofline

    t = np.asarray(latency_s, dtype=float)
    return [float(np.sqrt(np.mean(np.log((np.asarray(fixed_s) + blended_roofline(
        compute_s, memory_s, p)) / t) ** 2))) for p in EXPONENTS]


def data_dir() -> Path:
    """The measured-kernel database of the installed aiconfigurator-core.

    Raises :class:`InputError` saying how to install it when it is missing.
    """
    try:
        import aiconfigurator_core  # noqa: PLC0415 - optional, heavy
    except ImportError:
        raise InputError("measured kernel timings need the optional package aiconfigurator-core: "
                         "pip install 'siliconomics[measured]'") from None
    return Path(aiconfigurator_core.__file__).parent / "systems" / "data"


def _newest(folder: Path, pattern: str, required: bool = True) -> Path | None:
    """The file of ``pattern`` under ``folder`` in the newest version folder (the file's
    parent, ordered by :func:`_version_key`); without one, an error, or None when not
    ``required``."""
    found = sorted(folder.glob(pattern), key=lambda p: _version_key(p.parent.name))
    if not found:
        if not required:
            return None
        raise InputError(f"no {pattern} under {folder}")
    return found[-1]


def _version_key(version: str) -> tuple:
    """A version folder's name as it orders: its runs of digits as numbers, so 2.23 follows
    2.9 and 1.3.0rc10 follows 1.3.0rc9.

    >>> sorted(["2.23", "2.9", "2.27.3"], key=_version_key)
    ['2.9', '2.23', '2.27.3']
    >>> max(["1.3.0rc9", "1.3.0rc10"], key=_version_key)
    '1.3.0rc10'
    """
    return tuple((0, int(x), "") if x.isdigit() else (1, 0, x)
                 for x in re.findall(r"\d+|\D+", version))


def fit_from_database(device: str, accelerator: str, *, root=None,
                      engine: str = "trtllm") -> dict:
    """Efficiency terms of ``accelerator`` fitted to the database's ``device`` folder
    (``h100_sxm``, ``h200_sxm``, ``b200_sxm`` ...), ``engine``'s newest version.

    Returns the ``serving_efficiency`` fields (``compute_efficiency``,
    ``compute_efficiency_fp8``, ``compute_efficiency_fp4``, ``bandwidth_efficiency``,
    ``layer_overhead_us`` and their ``_fp8`` and ``_fp4`` forms where measured,
    ``kv_bandwidth_efficiency``, ``collective_latency_us``,
    ``communication_efficiency``, and ``gather_latency_us`` and ``gather_efficiency`` where
    NCCL's collectives were measured) and the files they came from.
    """
    import pandas as pd  # noqa: PLC0415 - optional

    from ... import catalog

    base = Path(root) if root is not None else data_dir()
    dev = base / device
    if not dev.is_dir():
        known = sorted(p.name for p in base.iterdir() if p.is_dir())
        from ...errors import unknown

        raise InputError(unknown("device", device, known))
    r = catalog.resolve(accelerator)
    peaks = gemm_peaks(r)
    hbm = float(r["accelerator.memory_bandwidth_tb_per_s"]) * 1e12
    link = float(r["system.scaleup_bandwidth_gb_per_s"]) * 1e9 / 2.0
    gemm_file = _newest(dev, f"gemm/{engine}/*/gemm_perf.parquet")
    g = pd.read_parquet(gemm_file)
    out: dict = {"files": [str(gemm_file.relative_to(base))]}
    out.update(_large_gemm_shares(g, peaks, ("bfloat16", "fp8", "nvfp4")))
    at_file = _newest(dev, f"attention/{engine}/*/generation_attention_perf.parquet")
    at = pd.read_parquet(at_file)
    # the FP8 KV cache where measured; GPUs without FP8 (A100) measure BF16 caches only
    kv = "fp8" if (at.kv_cache_dtype == "fp8").any() else "bfloat16"
    at = at[(at.window_size == 0) & (at.kv_cache_dtype == kv)]
    cols = (at.batch_size, at.isl + at.step, at.num_key_value_heads, at.head_dim,
            GEMM_BYTES[kv], at.latency * 1e-3)
    out["kv_cache_dtype"] = kv
    out["kv_bandwidth_efficiency"] = fit_attention(*cols, hbm)
    attn_s = attention_fixed_s(*cols)
    out["files"].append(str(at_file.relative_to(base)))
    pooled = []  # (compute, memory, fixed, measured) of every GEMM, for the exponent
    for dtype, suffix in (("bfloat16", ""), ("fp8", "_fp8"), ("nvfp4", "_fp4")):
        x = g[g.gemm_dtype == dtype]
        if not len(x) or dtype not in peaks:
            continue
        t0, eta = fit_bandwidth(x.m, x.n, x.k, x.latency * 1e-3, GEMM_BYTES[dtype], hbm)
        out["bandwidth_efficiency" + suffix] = eta
        out["layer_overhead_us" + suffix] = (GEMMS_PER_LAYER * t0 + attn_s) * 1e6
        key = "compute_efficiency" + suffix
        x = x[(x.n >= 1024) & (x.k >= 1024)]
        pooled.append((2.0 * x.m * x.n * x.k / (peaks[dtype] * out[key]),
                       x.n * x.k * GEMM_BYTES[dtype] / (hbm * eta), np.full(len(x), t0),
                       x.latency * 1e-3))
    cols = [np.concatenate([np.asarray(p[i], dtype=float) for p in pooled]) for i in range(4)]
    out["roofline_exponent"] = fit_roofline_exponent(*cols)
    # the MoE expert block: the same engine version's MoE layers, given the GEMM terms
    moe_file = dev / "moe" / engine / gemm_file.parent.name / "moe_perf.parquet"
    if moe_file.is_file():
        mo = pd.read_parquet(moe_file)
        kernel = next(k for k in (*MOE_KERNELS, None) if k is None or (mo.kernel_source == k).any())
        mo = mo[(mo.kernel_source == kernel) & (mo.distribution == MOE_DISTRIBUTION)
                & (mo.moe_tp_size == 1)]
        for dtype, suffix in (("bfloat16", ""), ("fp8", "_fp8"), ("nvfp4", "_fp4")):
            x = mo[mo.moe_dtype == dtype]
            if not len(x) or "compute_efficiency" + suffix not in out:
                continue
            fixed, act, tok = fit_moe(
                x.num_tokens, x.hidden_size, x.inter_size, x.num_experts, x.topk,
                x.moe_ep_size, x.latency * 1e-3, bytes_per_element=GEMM_BYTES[dtype],
                peak_flop_per_s=peaks[dtype], hbm_bytes_per_s=hbm,
                compute_efficiency=out["compute_efficiency" + suffix],
                bandwidth_efficiency=out["bandwidth_efficiency" + suffix],
                exponent=out["roofline_exponent"])
            out["moe_layer_overhead_us" + suffix] = fixed * 1e6
            out["moe_activation_bytes" + suffix] = act
            out["moe_token_bytes" + suffix] = tok
        if len(mo):
            out["files"].append(str(moe_file.relative_to(base)))
    ar_file = _newest(dev, f"comm/{engine}/*/custom_allreduce_perf.parquet")
    a = pd.read_parquet(ar_file)
    lat, ceff = fit_allreduce(a.num_gpus, a.message_size * 2.0, a.latency * 1e-3, link)
    out["collective_latency_us"] = lat * 1e6
    out["communication_efficiency"] = min(ceff, 1.0)
    out["files"].append(str(ar_file.relative_to(base)))
    # NCCL's all-gather and reduce-scatter (nccl-tests; message_size in elements of the
    # dtype), which TensorRT-LLM's allgather and reducescatter ops call: attention data
    # parallelism's MoE path gathers the tokens and scatters the outputs with them
    nccl = _newest(dev, "comm/nccl/*/nccl_perf.parquet", required=False)
    if nccl is not None:
        c = pd.read_parquet(nccl)
        c = c[c.op_name.isin(("all_gather", "reduce_scatter"))]
        size = c.message_size * np.where(c.nccl_dtype == "half", 2.0, 1.0)
        glat, geff = fit_gather(c.num_gpus, size, c.latency * 1e-3, link)
        out["gather_latency_us"] = glat * 1e6
        out["gather_efficiency"] = min(geff, 1.0)
        out["files"].append(str(nccl.relative_to(base)))
    return out


def fit_gemm_table(m, n, k, latency_s, peak_flop_per_s, hbm_bytes_per_s,
                   bytes_per_element) -> dict:
    """The GEMM terms of one precision fitted to a table of measured GEMMs, as
    :func:`fit_from_database` fits each precision: compute efficiency (:func:`fit_compute`),
    bandwidth efficiency and fixed time per kernel (:func:`fit_bandwidth`), and the roofline
    exponent over the GEMMs with :math:`n, k \\ge 1024` (:func:`fit_roofline_exponent`).

    Examples
    --------
    >>> m = np.array([1.0, 1, 64, 128, 256, 16384])
    >>> n, k = np.array([4096.0, 16384, 8192, 8192, 8192, 16384]), np.full(6, 8192.0)
    >>> c, w = 2 * m * n * k / (1e15 * 0.5), n * k / (3e12 * 0.8)
    >>> f = fit_gemm_table(m, n, k, 2e-6 + np.sqrt(c**2 + w**2), 1e15, 3e12, 1.0)
    >>> round(f["compute_efficiency"], 2), round(f["bandwidth_efficiency"], 2)
    (0.5, 0.8)
    >>> f["roofline_exponent"]
    2.0
    """
    m, n, k, t = (np.asarray(x, dtype=float) for x in (m, n, k, latency_s))
    eff = fit_compute(m, n, k, t, peak_flop_per_s)
    t0, eta = fit_bandwidth(m, n, k, t, bytes_per_element, hbm_bytes_per_s)
    wide = (n >= 1024) & (k >= 1024)
    exponent = fit_roofline_exponent(
        2.0 * m[wide] * n[wide] * k[wide] / (peak_flop_per_s * eff),
        n[wide] * k[wide] * bytes_per_element / (hbm_bytes_per_s * eta), t0, t[wide])
    return {"compute_efficiency": eff, "bandwidth_efficiency": eta, "fixed_s": t0,
            "roofline_exponent": exponent, "gemms": int(len(t))}


def fit_aiter_gemms(paths, accelerator: str, *, gfx: str = "gfx942", cu_num: int = 304,
                    precision: str = "fp8") -> dict:
    """GEMM terms of an AMD accelerator fitted to tuned-GEMM tables of ROCm's AITER library
    (``aiter/configs/**/*_tuned_gemm*.csv``: one measured kernel time ``us`` per shape ``M``,
    ``N``, ``K`` and device ``gfx`` with ``cu_num`` compute units), by
    :func:`fit_gemm_table` against the catalog's dense peak of ``precision``.

    The rows of ``gfx`` and ``cu_num`` are pooled over the files, one per shape (the first
    met). This is how the ``mi300x`` FP8 terms of the serving-efficiency catalog were fitted
    (the files and commit are cited there).
    """
    import pandas as pd  # noqa: PLC0415 - optional

    from ... import catalog

    frames = [pd.read_csv(p) for p in paths]
    g = pd.concat(frames, ignore_index=True)
    g = g[(g.gfx == gfx) & (g.cu_num == cu_num)].drop_duplicates(["M", "N", "K"])
    if g.empty:
        raise InputError(f"no GEMM rows for {gfx} with {cu_num} compute units in these files")
    dtype = {"bf16": "bfloat16", "fp8": "fp8"}[precision]
    r = catalog.resolve(accelerator)
    hbm = float(r["accelerator.memory_bandwidth_tb_per_s"]) * 1e12
    return fit_gemm_table(g.M, g.N, g.K, g.us * 1e-6, gemm_peaks(r)[dtype], hbm,
                          GEMM_BYTES[dtype])


#: Folder of the measured-kernel database for each catalog accelerator that has one.
DEVICES = {"h100-sxm": "h100_sxm", "h200": "h200_sxm", "b200": "b200_sxm", "gb200": "gb200",
           "b300": "b300_sxm", "gb300": "gb300", "a100-sxm4-80gb": "a100_sxm"}


def efficiencies(accelerator, precision: str = "fp8", *, root=None) -> dict:
    """Efficiency overrides for :meth:`Deployment.create` fitted now to the installed database:
    the terms of ``precision``'s GEMMs where measured, else the BF16 ones.

    Raises :class:`InputError` naming the accelerators with measurements when
    ``accelerator`` has none (the analytical catalog terms then apply without this call).
    """
    from ... import catalog

    slug = (accelerator if isinstance(accelerator, catalog.Resolved)
            else catalog.resolve(accelerator)).accelerator.slug
    if slug not in DEVICES:
        raise InputError(f"no measured kernel timings for {slug}; measured: "
                         f"{', '.join(sorted(DEVICES))} (use the catalog's terms instead)")
    fit = fit_from_database(DEVICES[slug], slug, root=root)
    suffix = {"fp8": "_fp8", "int8": "_fp8", "fp4": "_fp4", "int4": "_fp4"}.get(precision, "")
    out = {}
    for key in ("compute_efficiency", "bandwidth_efficiency", "layer_overhead_us"):
        out[key] = fit.get(key + suffix, fit[key])
    for key in ("moe_layer_overhead_us", "moe_activation_bytes", "moe_token_bytes"):
        if fit.get(key + suffix, fit.get(key)) is not None:
            out[key] = fit.get(key + suffix, fit.get(key))
    for key in ("kv_bandwidth_efficiency", "roofline_exponent", "collective_latency_us",
                "communication_efficiency"):
        out[key] = fit[key]
    return out


def fit_training_gemm(device: str, accelerator: str, *, root=None,
                      engine: str = "trtllm") -> dict:
    """Terms of the training GEMM model (``gemm_efficiency`` catalog fields, used by
    :class:`siliconomics.workloads.parallelism.GemmModel`) fitted to ``device``'s measured BF16
    GEMMs: the large-GEMM efficiency (:func:`fit_compute`), the bandwidth efficiency and fixed
    time per kernel (:func:`fit_bandwidth`), and the roofline exponent with the least rms log
    error over training-shaped GEMMs (:math:`m \\ge 512`; :math:`n, k \\ge 256`), whose memory
    term moves both operands and the output; and, where the database has FP8 or FP4 GEMMs,
    their large-GEMM efficiency against their own peak (``compute_efficiency_fp8``,
    ``compute_efficiency_fp4``), which sets how much of the higher peak low-precision
    training's linear layers keep. Also returns the file and that rms error.
    """
    import pandas as pd  # noqa: PLC0415 - optional

    from ... import catalog

    base = Path(root) if root is not None else data_dir()
    r = catalog.resolve(accelerator)
    peaks = gemm_peaks(r)
    peak = peaks["bfloat16"]
    hbm = float(r["accelerator.memory_bandwidth_tb_per_s"]) * 1e12
    gemm_file = _newest(base / device, f"gemm/{engine}/*/gemm_perf.parquet")
    g = pd.read_parquet(gemm_file)
    low = _large_gemm_shares(g, peaks, ("fp8", "nvfp4"))  # against their own peaks
    g = g[g.gemm_dtype == "bfloat16"]
    m, n, k, t = (np.asarray(g[c], dtype=float) for c in ("m", "n", "k", "latency"))
    t = t * 1e-3
    eff = fit_compute(m, n, k, t, peak)
    t0, eta = fit_bandwidth(m, n, k, t, 2.0, hbm)
    big = (m >= 512) & (n >= 256) & (k >= 256)
    compute = 2.0 * m * n * k / (peak * eff)
    memory = 2.0 * (m * k + k * n + m * n) / (hbm * eta)
    errs = roofline_log_errors(compute[big], memory[big], t0, t[big])
    best = int(np.argmin(errs))
    return {"compute_efficiency": eff, "bandwidth_efficiency": eta, "fixed_us": t0 * 1e6,
            "roofline_exponent": EXPONENTS[best], "rms_log_error": errs[best], **low,
            "file": str(gemm_file.relative_to(base))}
