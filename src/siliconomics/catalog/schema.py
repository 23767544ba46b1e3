"""What each catalog kind must and may contain.

One :class:`Field` per attribute: its unit (also spelt in the name), whether it is required,
and the constraint every value (and its ``low``/``high``) must satisfy. The loader validates
each TOML entry against these specs and names the offending file, entry and field.

File format (one TOML file per kind, one table per entry, the table name is the slug)::

    [h100-sxm]
    name = "NVIDIA H100 SXM5 80GB"          # display name
    aliases = ["h100", "h100-sxm5"]         # other names users type (case-insensitive)
    source = "NVIDIA H100 datasheet"         # default source of bare numbers in this entry
    as_of = "2023-03"                        # date of that source (YYYY, YYYY-MM or YYYY-MM-DD)
    tdp_w = 700                              # bare number: exact, from the entry's source
    price_usd = { value = 30000, low = 25000, high = 40000, source = "...", as_of = "2024-07" }

A value table has ``value`` (required), ``low`` and ``high`` (a 90% interval, both or
neither), ``source`` and ``as_of`` (required), ``assumption = true`` when no published figure
exists and the value is this project's labelled judgement, and optional ``note`` and ``url``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    """Spec of one catalog field."""

    unit: str  # human-readable unit, "" when dimensionless, "text" for strings
    required: bool = True
    minimum: float | None = None  # inclusive lower bound
    maximum: float | None = None  # inclusive upper bound
    positive: bool = False  # strictly > 0
    kind: str = "number"  # "number", "integer", "text", "series" (dated points)
    description: str = ""


#: Upper bound of a value by its unit where a field states none: orders of magnitude above any
#: real part, site or run, so only a typo or a unit mix-up (kW for W, USD for MUSD) reaches it.
UNIT_MAXIMUM = {
    "USD": 1e13, "USD/year": 1e14, "USD/GB": 1e4, "USD/MW": 1e9, "USD/kWh": 10.0,
    "USD per local unit": 1e4, "1/cm^2": 100.0, "1e9": 1e6, "FLOP": 1e32, "GB": 1e7,
    "GB/s": 1e9, "Gbit/s": 1e4, "MW": 1e6, "TB/s": 1e4, "TFLOP/s": 1e9, "TOP/s": 1e9,
    "W": 1e6, "kW": 1e5, "kgCO2e": 1e7, "kgCO2e/GB": 1e4, "kgCO2e/cm^2": 1e4,
    "kgCO2e/kWh": 5.0, "mm^2": 1e6, "ms": 1e6, "us": 1e9, "tokens": 1e17, "year": 100.0,
}
#: Upper bound of whole numbers (counts, sizes) and of years.
INTEGER_MAXIMUM, YEAR_MAXIMUM = 10**12, 2100


def _num(unit, desc, *, required=True, positive=True, minimum=None, maximum=None):
    if maximum is None:
        maximum = UNIT_MAXIMUM.get(unit)
    return Field(unit, required, minimum, maximum, positive, "number", desc)


def _int(desc, *, required=True, minimum=0, maximum=None):
    if maximum is None:
        maximum = YEAR_MAXIMUM if desc.startswith("Year") else INTEGER_MAXIMUM
    return Field("", required, minimum, maximum, False, "integer", desc)


def _low_precision_shares(desc: str) -> dict:
    """Optional ``compute_efficiency_fp8`` and ``_fp4`` fields; ``desc`` names the format as
    ``{p}``."""
    return {f"compute_efficiency_{p.lower()}": _num("", desc.format(p=p), maximum=1.0,
                                                     required=False)
            for p in ("FP8", "FP4")}


def _text(desc, *, required=True):
    return Field("text", required, kind="text", description=desc)


ACCELERATOR = {
    "vendor": _text("Designer: nvidia, amd, google, intel, ..."),
    "year": _int("Year of first volume shipments", minimum=2000),
    "launch": _text("First shipments (announced parts: the announced date), YYYY-MM",
                    required=False),
    "process_node": _text("Process node slug of the compute dies (see nodes catalog)"),
    "compute_dies": _int("Number of compute dies in the package", minimum=1),
    "compute_die_area_mm2": _num("mm^2", "Area of one compute die"),
    "io_dies": _int("Number of separate I/O or base dies (0 if none)", required=False),
    "io_die_area_mm2": _num("mm^2", "Area of one I/O die", required=False),
    "io_process_node": _text("Process node slug of the I/O dies", required=False),
    "transistors_billion": _num("1e9", "Transistors in the package", required=False),
    "package": _text("Packaging class: cowos-s, cowos-l, emib, ...", required=False),
    "memory": _text("Memory technology slug (see memory catalog): hbm3e, hbm4, ddr5, ..."),
    "memory_stacks": _int("Memory stacks (HBM stacks, or DRAM devices) in the package", minimum=1),
    "memory_capacity_gb": _num(
        "GB", "Usable memory capacity (1 GB = 1e9 bytes); at most stacks x capacity per stack"
    ),
    "memory_bandwidth_tb_per_s": _num("TB/s", "Total memory bandwidth (1 TB = 1e12 bytes)"),
    "fp64_tflop_per_s": _num("TFLOP/s", "Dense FP64 peak (tensor core where faster)", required=False),
    "tf32_tflop_per_s": _num("TFLOP/s", "Dense TF32 peak", required=False),
    "bf16_tflop_per_s": _num("TFLOP/s", "Dense BF16 peak"),
    "fp8_tflop_per_s": _num("TFLOP/s", "Dense FP8 peak", required=False),
    "fp4_tflop_per_s": _num("TFLOP/s", "Dense FP4 peak", required=False),
    "int8_tops": _num("TOP/s", "Dense INT8 peak", required=False),
    "sparsity_speedup": _num(
        "", "Sparse peak over dense peak the datasheet quotes (2 for 2:4 structured sparsity, 1 "
        "when none); every *_tflop_per_s above is dense", required=False, minimum=1.0,
        maximum=16.0),
    "tdp_w": _num("W", "Thermal design power of one accelerator"),
    "matmul_efficiency": _num(
        "", "Achievable fraction of the dense peak for a training layer's compute on this "
        "accelerator's own software stack, where calibrated apart from the matmul-efficiency "
        "assumption (which applies when unset)", required=False, maximum=1.0),
    "system": _text("Slug of the system (server or rack) the accelerator ships in by default"),
    "price_usd": _num("USD", "List price of one accelerator (as sold inside a system)"),
}

#: Fields of an accelerator that name an entry of another kind.
REFERENCES = {
    "accelerators": {"process_node": "nodes", "io_process_node": "nodes", "package": "packaging",
                     "memory": "memory", "system": "systems"},
    "systems": {"accelerator": "accelerators"},
}

SITE = {
    "region": _text("World region: north-america, europe, middle-east, asia-pacific, ..."),
    "country": _text("ISO 3166-1 alpha-2 country code"),
    "currency": _text("ISO 4217 code of the local tariff"),
    "usd_per_local": _num("USD per local unit", "Exchange rate used to convert the tariff"),
    "power_price_usd_per_kwh": _num("USD/kWh", "Industrial electricity price, all-in"),
    "pue": _num("", "Typical PUE of a new AI datacenter in this climate", minimum=1.0,
                maximum=3.0),  # the worst legacy sites report ~2.5 (Uptime Institute surveys)
    "build_cost_usd_per_mw": _num("USD/MW", "Facility build cost per MW of critical IT"),
    "grid_intensity_kg_per_kwh": _num(
        "kgCO2e/kWh", "Average grid carbon intensity", positive=False, minimum=0.0
    ),
    "tax_note": _text("Currency, tax or tariff notes that matter", required=False),
}

FINANCING = {
    "description": _text("Who finances like this"),
    "cost_of_capital": _num("1/year", "Nominal pre-tax cost of capital (WACC)", maximum=1.0),
    "accelerator_life_years": _num("year", "Depreciation life of accelerators and servers"),
    "network_life_years": _num("year", "Depreciation life of the network fabric"),
    "facility_life_years": _num("year", "Depreciation life of the datacenter shell and M&E"),
}

# Scalars used across models: one entry per assumption, each with one `value` field.
ASSUMPTION = {
    "value": _num("see unit", "The assumed value", positive=False),
    "unit": _text("Unit of the value"),
    "description": _text("What it is and where it is used"),
}

#: Physical domain ``(low, high)`` of the assumptions that are fractions (``None``: unbounded);
#: every other assumption is a quantity that cannot be negative (:func:`assumption_domain`).
#: A user's value outside it is refused; the Monte Carlo clips sampled values to it.
ASSUMPTION_DOMAINS = {
    "power-draw-fraction": (1e-9, 1.0), "idle-draw-fraction": (0.0, 1.0),
    "training-mfu": (1e-9, 1.0), "matmul-efficiency": (1e-9, 1.0),
    "collective-efficiency": (1e-9, 1.0), "dp-overlap": (0.0, 1.0),
    "pass-through-share": (0.0, 1.0), "hot-spare-fraction": (0.0, 1.0),
    "training-memory-headroom": (0.0, 1.0),
}


def assumption_domain(slug: str) -> tuple[float | None, float | None]:
    """The values assumption ``slug`` may take: :data:`ASSUMPTION_DOMAINS`, else ``>= 0``.

    >>> assumption_domain("dp-overlap"), assumption_domain("collective-step-latency-us")
    ((0.0, 1.0), (0.0, None))
    """
    return ASSUMPTION_DOMAINS.get(slug, (0.0, None))

#: Keys every entry may carry besides its fields. ``status`` marks what an entry describes:
#: ``shipping`` (default), ``announced``, ``hypothetical`` or ``historical`` (a past part, run
#: or record whose data does not go stale).
COMMON_KEYS = {"name", "aliases", "source", "as_of", "url", "note", "extends", "status"}

#: Values ``status`` may take.
STATUSES = ("shipping", "announced", "hypothetical", "historical")

#: Keys a value table may carry.
VALUE_KEYS = {"value", "low", "high", "source", "as_of", "assumption", "note", "url"}

KINDS: dict[str, dict[str, Field]] = {
    "accelerators": ACCELERATOR,
    "sites": SITE,
    "financing": FINANCING,
    "assumptions": ASSUMPTION,
}

# Each later topic adds its kinds below its own marker: ``NODE = {...}`` then
# ``KINDS["nodes"] = NODE``. A TOML file is loaded only when its stem is a kind here.

# --- silicon: nodes, hbm, packaging ---
NODE = {
    "year": _int("Year of first volume production", minimum=1990),
    "wafer_price_usd": _num("USD", "Foundry sale price of one processed 300 mm wafer"),
    "defect_density_per_cm2": _num(
        "1/cm^2", "Killer defect density D0 of a mature process", positive=False, minimum=0.0
    ),
    "embodied_kgco2e_per_cm2": _num(
        "kgCO2e/cm^2", "Manufacturing emissions per cm^2 of processed wafer (energy, gases, materials)"
    ),
}
KINDS["nodes"] = NODE

MEMORY = {
    "technology": _text("hbm, ddr, lpddr or gddr"),
    "placement": _text(
        "interposer (beside the die on the silicon interposer), package (on the substrate) or "
        "board"
    ),
    "year": _int("Year of first volume shipments", minimum=2000),
    "capacity_gb_per_stack": _num("GB", "Capacity of one stack (HBM) or one device (DRAM)"),
    "pin_rate_gbit_per_s": _num("Gbit/s", "Data rate per pin"),
    "bus_width_bits": _int("Interface width of one stack or device", minimum=1),
    "bandwidth_gb_per_s_per_stack": _num("GB/s", "Peak bandwidth of one stack or device"),
    "stack_footprint_mm2": _num(
        "mm^2", "Area one stack or device occupies on the interposer or package", positive=False,
        minimum=0.0,
    ),
    "price_usd_per_gb": _num("USD/GB", "Price paid by accelerator makers per GB"),
    "embodied_kgco2e_per_gb": _num("kgCO2e/GB", "Manufacturing emissions per GB"),
}
KINDS["memory"] = MEMORY

PACKAGING = {
    "interposer_wafer_price_usd": _num("USD", "Price of one processed interposer wafer (300 mm)"),
    "interposer_defect_density_per_cm2": _num(
        "1/cm^2", "Killer defect density of the interposer", positive=False, minimum=0.0
    ),
    "interposer_area_overhead": _num(
        "", "Interposer area beyond the dies and stacks it carries, fraction of their area",
        positive=False, minimum=0.0, maximum=10.0,
    ),
    "max_interposer_area_mm2": _num("mm^2", "Largest interposer the package class offers"),
    "max_compute_dies": _int("Most compute dies the package class carries", minimum=1),
    "max_hbm_stacks": _int("Most HBM stacks the package class carries", minimum=1),
    "substrate_cost_usd": _num("USD", "Organic package substrate"),
    "assembly_cost_usd": _num("USD", "Die attach, stacking, underfill, lid: per package"),
    "test_cost_usd": _num("USD", "Final test and burn-in per package"),
    "packaging_yield": _num("", "Fraction of assembled packages that pass final test", maximum=1.0),
    "interposer_kgco2e_per_cm2": _num("kgCO2e/cm^2", "Manufacturing emissions per cm^2 of interposer"),
    "embodied_kgco2e_per_package": _num(
        "kgCO2e", "Substrate, assembly and test emissions per package (silicon excluded)"
    ),
}
KINDS["packaging"] = PACKAGING

DIE_HARVESTING = {
    "units": _int("Identical units (SMs, CUs) on the full die", minimum=1),
    "required_units": _int("Units that must work for the die to be sold", minimum=1),
    "unit_area_fraction": _num("", "Share of the die area in those units", maximum=1.0),
}
KINDS["die_harvesting"] = DIE_HARVESTING


# --- systems: servers and racks ---
SYSTEM = {
    "accelerator": _text("Accelerator the system is built for (slug)", required=False),
    "form": _text("server, rack or pod-slice"),
    "accelerators": _int("Accelerators in one system", minimum=1),
    "hosts": _int("CPU hosts or compute trays in one system", minimum=1),
    "scaleup_domain": _int("Accelerators in one scale-up (NVLink, ICI) domain", minimum=1),
    "scaleup_bandwidth_gb_per_s": _num(
        "GB/s", "Scale-up bandwidth per accelerator, both directions summed"
    ),
    "scaleup_torus_dims": _int(
        "Dimensions of a torus scale-up network (TPU ICI: 2 or 3); absent for a switched one",
        required=False, minimum=1,
    ),
    "scaleout_nics": _int("Scale-out (back-end network) NICs in one system", minimum=0),
    "scaleout_nic_gb_per_s": _num(
        "GB/s", "Line rate of one scale-out NIC, one direction (absent: the "
        "scaleout-bandwidth-gb-per-s assumption)", required=False,
    ),
    "power_kw": _num("kW", "Maximum power of the whole system with its accelerators"),
    "host_cost_usd": _num(
        "USD", "CPUs, DRAM, storage, NICs, boards, trays and chassis of all hosts", positive=False,
        minimum=0.0,
    ),
    "scaleup_switch_cost_usd": _num(
        "USD", "Scale-up switch chips or switch trays (NVSwitch)", positive=False, minimum=0.0
    ),
    "scaleup_fabric_cost_usd": _num(
        "USD", "Scale-up spine: NVLink cartridges, ICI cables and optics", positive=False,
        minimum=0.0,
    ),
    "cooling_cost_usd": _num(
        "USD", "Liquid cooling: cold plates, manifolds, the system's share of CDUs",
        positive=False, minimum=0.0,
    ),
    "rack_power_cost_usd": _num(
        "USD", "Rack, power shelves, busbar, PDUs, management switch", positive=False,
        minimum=0.0,
    ),
    "blast_radius_accelerators": _int(
        "Accelerators one hardware failure takes out of a running job", minimum=1
    ),
}
KINDS["systems"] = SYSTEM

#: Capex parts of a system, in the order a breakdown lists them.
SYSTEM_PARTS = ("host_cost_usd", "scaleup_switch_cost_usd", "scaleup_fabric_cost_usd",
                "cooling_cost_usd", "rack_power_cost_usd")


# --- workloads: models ---
MODEL = {
    "family": _text("Model family: gpt, llama, mixtral, deepseek, qwen, palm, ..."),
    "year": _int("Year of release", minimum=2015),
    "architecture": _text("dense or moe"),
    "attention": _text("mha, gqa, mqa or mla"),
    "params_billion": _num("1e9", "Total parameters (as published)"),
    "active_params_billion": _num("1e9", "Parameters active per token (MoE)", required=False),
    "layers": _int("Transformer blocks", minimum=1),
    "hidden_size": _int("Model width d_model", minimum=1),
    "heads": _int("Query heads per layer", minimum=1),
    "kv_heads": _int("Key/value heads per layer (= heads for MHA, 1 for MQA)", minimum=1),
    "head_dim": _int("Dimension of one head (default hidden_size / heads)", required=False, minimum=1),
    "ffn_size": _int("Hidden size of a dense FFN (or of one dense layer in an MoE)", minimum=1),
    "gated_ffn": _int("1 for gated FFNs (SwiGLU/GeGLU: three matrices), 0 for two", minimum=0),
    "vocab_size": _int("Vocabulary size", minimum=1),
    "context_length": _int("Maximum context length in tokens", minimum=1),
    "tied_embeddings": _int("1 when input and output embeddings share weights", required=False),
    "parallel_layers": _int(
        "1 when attention and FFN read the same normalised input side by side (PaLM, GPT-J)",
        required=False),
    "relative_attention": _int(
        "1 for Transformer-XL relative attention (a d x d_attn position projection per layer)",
        required=False),
    "experts": _int("Routed experts per MoE layer", required=False, minimum=1),
    "active_experts": _int("Routed experts each token uses", required=False, minimum=1),
    "shared_experts": _int("Always-active shared experts per MoE layer", required=False),
    "expert_ffn_size": _int("Hidden size of one expert's FFN", required=False, minimum=1),
    "shared_expert_ffn_size": _int(
        "Hidden size of a shared expert's FFN when it differs from a routed expert's",
        required=False, minimum=1),
    "sliding_window": _int("Tokens a sliding-window attention layer attends to", required=False,
                           minimum=1),
    "sliding_window_layers": _int("Layers with sliding-window attention (the rest attend to all)",
                                  required=False),
    "dense_layers": _int("Leading layers with a dense FFN in an MoE", required=False),
    "kv_lora_rank": _int("MLA: rank of the compressed KV latent", required=False, minimum=1),
    "q_lora_rank": _int("MLA: rank of the compressed query (0: full-rank queries)", required=False),
    "rope_head_dim": _int("MLA: decoupled RoPE key dimension per head", required=False, minimum=1),
    "attention_precision": _text(
        "Number format the publisher serves the attention core in when it is wider than the "
        "linear layers' (bf16 under FP8 matmuls); absent: as the linear layers",
        required=False),
    "training_tokens": _num("tokens", "Pre-training tokens", required=False),
    "training_flop": _num("FLOP", "Published pre-training compute", required=False),
    "training_seq_len": _int("Sequence length of the main pre-training phase (tokens)",
                             required=False, minimum=1),
    "config": _text("Hugging Face config.json (path relative to the catalog folder) the "
                    "architecture fields are read from; fields given here win", required=False),
}
KINDS["models"] = MODEL

# --- workloads: serving ---
SERVING_EFFICIENCY = {
    "compute_efficiency": _num(
        "", "Fraction of the dense peak FLOP/s a whole serving forward pass reaches", maximum=1.0
    ),
    "bandwidth_efficiency": _num(
        "", "Fraction of the HBM bandwidth a decode step reaches reading weights and KV cache",
        maximum=1.0,
    ),
    **_low_precision_shares(
        "Fraction of the dense {p} peak {p} matmuls reach (default: compute_efficiency)"),
    "bandwidth_efficiency_fp8": _num(
        "", "Fraction of the HBM bandwidth FP8 weight reads reach (default: bandwidth_efficiency)",
        maximum=1.0, required=False,
    ),
    "bandwidth_efficiency_fp4": _num(
        "", "Fraction of the HBM bandwidth FP4 weight reads reach (default: bandwidth_efficiency)",
        maximum=1.0, required=False,
    ),
    "kv_bandwidth_efficiency": _num(
        "", "Fraction of the HBM bandwidth decode attention reaches reading the KV cache "
        "(default: bandwidth_efficiency)", maximum=1.0, required=False,
    ),
    "communication_efficiency": _num(
        "", "Fraction of one-direction scale-up bandwidth tensor-parallel collectives reach",
        maximum=1.0,
    ),
    "alltoall_efficiency": _num(
        "", "Fraction of the link bandwidth (scale-up or scale-out) the MoE expert dispatch "
        "and combine reach in prefill (throughput kernels)", maximum=1.0, required=False,
    ),
    "alltoall_efficiency_decode": _num(
        "", "Fraction of the link bandwidth the MoE expert dispatch and combine reach in "
        "decode (low-latency kernels)", maximum=1.0, required=False,
    ),
    "gather_efficiency": _num(
        "", "Fraction of one-direction scale-up bandwidth the MoE all-gather of the tokens "
        "and reduce-scatter of the outputs reach (NCCL's collectives; default: "
        "communication_efficiency)", maximum=1.0, required=False,
    ),
    "gather_latency_us": _num(
        "us", "Fixed latency of one MoE all-gather or reduce-scatter (default: "
        "collective_latency_us)", positive=False, minimum=0.0, required=False,
    ),
    "layer_overhead_us": _num(
        "us", "Fixed kernel time per decoder layer and forward pass", positive=False,
        minimum=0.0, required=False,
    ),
    "roofline_exponent": _num(
        "", "Exponent p of the rounded roofline (t_c^p + t_m^p)^(1/p) (default: the sharp max)",
        minimum=1.0, required=False,
    ),
    "layer_overhead_us_fp8": _num(
        "us", "Fixed kernel time per decoder layer with FP8 GEMMs (default: layer_overhead_us)",
        positive=False, minimum=0.0, required=False,
    ),
    "layer_overhead_us_fp4": _num(
        "us", "Fixed kernel time per decoder layer with FP4 GEMMs (default: layer_overhead_us)",
        positive=False, minimum=0.0, required=False,
    ),
    **{f"moe_layer_overhead_us{sfx}": _num(
        "us", f"Fixed time per MoE layer's routed-expert block{what} (routing, permutation, "
        "grouped-GEMM launches; default: none)", positive=False, minimum=0.0, required=False)
       for sfx, what in (("", ""), ("_fp8", " with FP8 experts"), ("_fp4", " with FP4 experts"))},
    **{f"moe_activation_bytes{sfx}": _num(
        "bytes", f"HBM bytes moved per output element of a routed token's expert GEMMs{what} "
        "(its intermediate activations; default: none)",
        positive=False, minimum=0.0, maximum=1e4, required=False)
       for sfx, what in (("", ""), ("_fp8", " with FP8 experts"), ("_fp4", " with FP4 experts"))},
    **{f"moe_token_bytes{sfx}": _num(
        "bytes", f"HBM bytes moved per hidden element of every token a rank's MoE kernel is "
        f"given{what} (expanding it to its experts, the weighted combine; default: none)",
        positive=False, minimum=0.0, maximum=1e4, required=False)
       for sfx, what in (("", ""), ("_fp8", " with FP8 experts"), ("_fp4", " with FP4 experts"))},
    "host_us_per_sequence": _num(
        "us", "Host time per sequence and decode step (scheduling, input preparation, "
        "sampling) of an attention rank, overlapped with the GPU step (default: none)",
        positive=False, minimum=0.0, required=False,
    ),
    "collective_latency_us": _num(
        "us", "Fixed latency of one tensor-parallel collective", positive=False, minimum=0.0
    ),
    "step_overhead_ms": _num(
        "ms", "Fixed time per forward pass (scheduling, launches, sampling)", positive=False,
        minimum=0.0,
    ),
    "memory_usable_fraction": _num(
        "", "Fraction of HBM capacity a serving engine may fill (weights, KV, activations)",
        maximum=1.0,
    ),
}
KINDS["serving_efficiency"] = SERVING_EFFICIENCY

# --- workloads: training ---
GEMM_EFFICIENCY = {
    "compute_efficiency": _num(
        "", "Median achieved share of the dense BF16 peak of large BF16 GEMMs (m, n, k >= 4096)",
        maximum=1.0,
    ),
    "bandwidth_efficiency": _num(
        "", "Achieved share of the HBM bandwidth of weight-bound BF16 GEMMs (m <= 16)",
        maximum=1.0,
    ),
    "fixed_us": _num("us", "Fixed time per GEMM kernel", positive=False, minimum=0.0),
    "roofline_exponent": _num(
        "", "Exponent p of the rounded roofline (t_c^p + t_m^p)^(1/p) of training-shaped GEMMs",
        minimum=1.0,
    ),
    **_low_precision_shares(
        "Median achieved share of the dense {p} peak of large {p} GEMMs (m, n, k >= 4096)"),
}
KINDS["gemm_efficiency"] = GEMM_EFFICIENCY

# --- industry ---
FOUNDRY_NODE = {
    "year": _int("Year of first volume production of the node", minimum=1990),
    "process_development_cost_usd": _num("USD", "Cost to develop the process (R&D), one firm"),
    "fab_cost_usd": _num("USD", "Cost of one fab at minimum efficient scale for the node"),
    "wafer_price_usd": _num("USD", "Foundry sale price of one processed 300 mm wafer"),
    "market_revenue_usd_per_year": _num(
        "USD/year", "World semiconductor sales in the node's first volume year"
    ),
    "historical_firms": _int(
        "Firms making logic on the node when it was the leading edge", required=False
    ),
    "firms": _text("Who they were (when few enough to name)", required=False),
}
KINDS["foundry_nodes"] = FOUNDRY_NODE

INDUSTRY_TREND = {
    "value": _num("see unit", "The parameter's value", positive=False),
    "unit": _text("Unit of the value"),
    "year": _int("Year the value refers to (for levels that then grow)", required=False,
                 minimum=2000),
    "description": _text("What it is and where it is used"),
}
KINDS["industry_trends"] = INDUSTRY_TREND

# --- planning ---
SITE["time_to_power_years"] = _num(
    "year", "Years from a firm request to energising a new large (>= 100 MW) load at the site",
    required=False, positive=False, minimum=0.0,
)
SITE["power_available_mw"] = _num(
    "MW", "Grid power one large campus can plausibly secure at the site once connected",
    required=False,
)
SITE["power_ramp_years"] = _num(
    "year", "Years over which that power arrives after the first energisation",
    required=False,
)
SITE["mean_temperature_c"] = _num(
    "degC", "Annual mean dry-bulb air temperature (drives the climate PUE model)",
    required=False, positive=False, minimum=-60.0, maximum=60.0,
)
SITE["water_stress"] = _num(
    "", "WRI Aqueduct baseline water stress score, 0 (low) to 5 (extremely high)",
    required=False, positive=False, minimum=0.0, maximum=5.0,
)

# --- prices over time ---
#: What a price series measures.
MEASURES = ("list", "street", "secondary", "rental-on-demand", "rental-1y", "rental-3y",
            "contract", "wafer", "power")
PRICE_HISTORY = {
    "subject": _text("kind.slug of what is priced: accelerators.h100-sxm, memory.hbm3e, nodes.n3, "
                     "sites.us-texas"),
    "measure": _text("list, street, secondary, rental-on-demand, rental-1y, rental-3y, contract, "
                     "wafer or power"),
    "unit": _text("Unit of the points: USD, USD/h, USD/GB, USD/kWh"),
    "provider": _text("Whose price when not the market's: a provider (aws) or a wider scope "
                      "(us-average); a reading prefers the market series", required=False),
    "points": Field("see unit", True, None, None, True, "series",
                    "Dated points: [{ date, value, low?, high?, source?, note?, url? }, ...]"),
}
KINDS["price_history"] = PRICE_HISTORY

# --- markets: token prices, provider types, demand and supply inputs, export rules ---
TOKEN_PRICE = {
    "model": _text("Model as the provider names it (GPT-4o, Llama 3.1 405B)"),
    "provider": _text("Who sells the tokens: openai, anthropic, google, together, ..."),
    "provider_type": _text("Cost structure serving them: a provider_types slug (lab-api, "
                           "neocloud, hyperscaler)"),
    "tier": _text("frontier, mid, small or open-weight"),
    "input_usd_per_mtok": _num("USD/Mtok", "List price per million input tokens", maximum=1e4),
    "output_usd_per_mtok": _num("USD/Mtok", "List price per million output tokens",
                                maximum=1e4),
    "cost_proxy": _text("Catalog model whose serving cost stands in for this one"),
    "cost_proxy_assumption": _int("1 when the proxy is an estimate (closed model), else 0",
                                  minimum=0, maximum=1),
}
KINDS["token_prices"] = TOKEN_PRICE

PROVIDER_TYPE = {
    "financing": _text("Financing preset (financing.toml) of the serving fleet"),
    "site": _text("Site (sites.toml) of the serving fleet"),
    "description": _text("Who this is and how it serves"),
    "utilization": _num("", "Share of accelerator-hours doing paid serving work", maximum=1.0),
}
KINDS["provider_types"] = PROVIDER_TYPE
REFERENCES["token_prices"] = {"cost_proxy": "models", "provider_type": "provider_types"}
REFERENCES["provider_types"] = {"financing": "financing", "site": "sites"}

#: Parameters of the demand, supply and scarcity models: one value each with its unit.
KINDS["market_parameters"] = INDUSTRY_TREND

SUPPLY_CAPACITY = {
    "unit": _text("Unit of the points: wafers/month, GB/year"),
    "description": _text("What is counted and where it is used"),
    "points": Field("see unit", True, None, None, True, "series",
                    "Points by year: [{ date, value, low?, high?, source?, note?, url? }, ...]"),
}
KINDS["supply_capacity"] = SUPPLY_CAPACITY

EXPORT_REGION = {
    "tier": _int("Country tier of the rule: 1 (no licence), 2 (capped), 3 (embargoed)",
                 minimum=1, maximum=3),
    "countries": _text("ISO 3166-1 alpha-2 codes, comma-separated"),
    "description": _text("Who is in the tier and what the rule allows there"),
}
KINDS["export_regions"] = EXPORT_REGION
