"""Adapters from scenario inputs to the models: what each can sample and what it reports.

A model is registered with :func:`register` as a *preparer*: a function of the scenario's
context (catalog names, cluster size...) returning a :class:`Prepared` model, i.e. the inputs it
takes (each with its central value, 90% range, unit and source) and a picklable ``evaluate``
function mapping a dict of input arrays to a dict of output arrays.

Inputs are named by their paths in the resolved inputs (``node.wafer_price_usd``,
``memory.price_usd_per_gb``, ``site.power_price_usd_per_kwh``, ``assumptions.training-mfu``;
see :mod:`siliconomics.catalog.inputs`), plus a few that are not catalog values
(``utilization``, ``training_flop``). Every adapter resolves its inputs once when prepared
(user catalog files and ``--set`` values included) and applies the sampled values as the
``scenario`` layer on each block, then calls the same functions as a point estimate, so a
Monte Carlo run and a single estimate never disagree on a formula.

Models: ``tco``, ``chip``, ``training``, ``serving``, ``chain`` (every stage from wafer to
tokens in one run) and ``labs`` (the frontier labs projection).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import _memo
from ..catalog.schema import assumption_domain
from ..errors import InputError, unknown


@dataclass(frozen=True)
class InputSpec:
    """One model input: central value, 90% range (or None), canonical unit and source.

    ``locked`` inputs were set on the command line (``--set``): a scenario may not change them.
    ``sampled_for`` names the only outputs an input moves (say ``tco2e``): ``uncertainty =
    "catalog"`` samples it when one of them is asked for, and otherwise leaves it at its value.
    """

    value: Any
    low: float | None = None
    high: float | None = None
    unit: str = ""
    source: str = ""
    sampled_by_catalog: bool = True
    bounds: tuple = (None, None)
    locked: bool = False
    sampled_for: tuple[str, ...] = ()

    @property
    def has_range(self) -> bool:
        return (self.low is not None and self.high is not None and self.low != self.high
                and self.sampled_by_catalog)

    def sampled_by_catalog_for(self, outputs) -> bool:
        """Whether ``uncertainty = "catalog"`` samples this input for a run of ``outputs``."""
        return self.has_range and (not self.sampled_for
                                   or bool(set(self.sampled_for) & set(outputs)))


@dataclass
class Prepared:
    """A model ready to evaluate: its inputs, outputs and evaluation function."""

    name: str
    inputs: dict[str, InputSpec]
    evaluate: Callable[[dict], Mapping]  # a dict, or Outputs computed when read
    outputs: tuple[str, ...]
    default_outputs: tuple[str, ...]
    context: dict = field(default_factory=dict)


class Outputs(Mapping):
    """A block's outputs by name, each computed when first read: a run reports the few a
    scenario names, and every other costs passes over the block's samples. ``getters`` maps
    each name to a function of no arguments."""

    def __init__(self, getters: dict[str, Callable[[], Any]]):
        self._getters = getters
        self._values: dict[str, Any] = {}

    def __getitem__(self, name: str):
        if name not in self._values:
            self._values[name] = self._getters[name]()
        return self._values[name]

    def __contains__(self, name) -> bool:
        return name in self._getters

    def __iter__(self):
        return iter(self._getters)

    def __len__(self) -> int:
        return len(self._getters)


#: Registered preparers, name -> function(context: dict) -> Prepared.
MODELS: dict[str, Callable[..., Prepared]] = {}
#: Context keys each model accepts (catalog names and sizes, not sampled), with defaults.
CONTEXT_KEYS: dict[str, dict[str, Any]] = {}


def register(name: str, context: dict[str, Any] | None = None):
    """Decorator registering a preparer under ``name`` with its context keys and defaults."""

    def deco(func):
        MODELS[name] = func
        CONTEXT_KEYS[name] = dict(context or {})
        return func

    return deco


def prepare(name: str, context: dict | None = None) -> Prepared:
    """The registered model ``name`` prepared with ``context``."""
    if name not in MODELS:
        raise InputError(unknown("model", name, sorted(MODELS)))
    ctx = {**CONTEXT_KEYS[name], **(context or {})}
    unknown_keys = set(context or {}) - set(CONTEXT_KEYS[name])
    if unknown_keys:
        raise InputError(unknown(f"{name} model setting", sorted(unknown_keys)[0],
                                 CONTEXT_KEYS[name]))
    for key, value in (context or {}).items():
        _check_setting(key, value, CONTEXT_KEYS[name][key])
    return MODELS[name](ctx)


def _check_setting(key: str, value, default) -> None:
    """A context value must be of its default's kind: a whole number where the default is one,
    a finite number where it is a number (a setting is not sampled: no distributions)."""
    import math

    if isinstance(default, bool) or default is None or isinstance(default, str):
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(f"{key} is a fixed setting and must be a number, got {value!r}")
    if not math.isfinite(value):
        raise InputError(f"{key} must be finite, got {value!r}")
    if isinstance(default, int) and value != int(value):
        raise InputError(f"{key} must be a whole number, got {value!r}")


def names() -> list[str]:
    return sorted(MODELS)


# =============================================================================================
# Input specs from resolved inputs
# =============================================================================================
_EPS = 1e-9

#: Inputs that are not catalog values: unit and domain.
EXTRA = {
    "utilization": ("", (_EPS, 1.0)),
    "residual_fraction": ("", (0.0, 1.0)),
    "training_flop": ("FLOP", (0.0, None)),
}


def _unit(resolved, path: str) -> str:
    """The unit a scenario value for ``path`` is converted to ("" for plain numbers)."""
    from ..catalog import inputs, schema
    from ..units import readable

    role, _, name = path.partition(".")
    if role == "assumptions":
        unit = resolved.catalog.get("assumptions", name).get("unit", "")
    else:
        unit = schema.KINDS[inputs.ROLES[role]][name].unit
    unit = inputs._pint_unit(unit)
    return unit if unit and readable(unit) else ""


def _bounds(path: str):
    from ..catalog import inputs, schema

    role, _, name = path.partition(".")
    if role == "assumptions":
        # the catalog's domain of the assumption: a fraction's [0, 1], else >= 0 (schema
        # fields carry their own bounds)
        return assumption_domain(name)
    f = schema.KINDS[inputs.ROLES[role]][name]
    lo = f.minimum if f.minimum is not None else (0.0 if f.positive else None)
    hi = f.maximum
    if lo == 0.0 and f.positive:
        lo = _EPS
    return (lo, hi)


def spec(resolved, path: str) -> InputSpec:
    """The :class:`InputSpec` of ``path`` in ``resolved``: sampled over its catalog range unless
    it is a count or a design choice (integer fields), or was set on the command line."""
    from ..catalog import inputs, schema

    v = resolved.value(path)
    role, _, name = path.partition(".")
    integer = role != "assumptions" and schema.KINDS[inputs.ROLES[role]][name].kind == "integer"
    discrete = integer or path == "assumptions.switch-radix"
    locked = v.layer == "--set"
    return InputSpec(v.value, v.low, v.high, _unit(resolved, path), v.source,
                     not discrete and not locked, _bounds(path), locked)


def specs(resolved, paths) -> dict[str, InputSpec]:
    """Specs of every path of ``paths`` that ``resolved`` has."""
    return {p: spec(resolved, p) for p in paths if resolved.get(p) is not None}


def _extra(name: str, value=None, source="scenario") -> InputSpec:
    unit, bounds = EXTRA[name]
    return InputSpec(value, unit=unit, source=source, sampled_by_catalog=False, bounds=bounds)


def _resolve(ctx: dict, *, model: bool = False):
    from .. import tco

    return tco.resolve(ctx["accelerator"], ctx.get("site"), financing=ctx.get("financing"),
                       system=ctx.get("system"), model=ctx.get("model") if model else None)


def _paths_only(values: dict) -> dict:
    return {k: v for k, v in values.items() if "." in k}


def _with_block(resolved, values: dict):
    """``resolved`` with a block's input ``values`` (paths only) as the scenario layer.

    A run's fixed inputs are the same numbers in every block: they are applied once (with their
    checks) and the result kept; only the sampled arrays are applied per block. The values a
    model sees are the same as applying everything at once.
    """
    base, arrays = _split_block(resolved, values)
    return base.with_values(arrays, layer="scenario")


def _split_block(resolved, values: dict):
    """(``resolved`` with a block's fixed input ``values`` applied, its sampled arrays by path):
    the first is the same object in every block of a run where it can be (see
    :func:`_with_block`)."""
    paths = _paths_only(values)
    arrays = {k: v for k, v in paths.items() if isinstance(v, np.ndarray) and v.ndim}
    fixed = tuple((k, v) for k, v in paths.items() if k not in arrays)
    return (_with_fixed(resolved, fixed) if fixed else resolved), arrays


@_memo.per_inputs(maxsize=64)
def _with_fixed(resolved, fixed: tuple):
    return resolved.with_values(dict(fixed), layer="scenario")


# =============================================================================================
# TCO of an accelerator-hour (one or more sites)
# =============================================================================================
TCO_COMPONENTS = ("accelerator", "system", "network", "facility", "power", "operations")
TCO_OUTPUTS = ("usd_per_accelerator_hour", *TCO_COMPONENTS, "power_share", "price_usd",
               "capex_usd", "annual_opex_usd", "annual_cost_usd", "facility_mw")
_COMMON = {"accelerator": "h100-sxm", "site": "us-texas", "financing": "hyperscaler",
           "system": None, "pricing": "list"}


def _site_list(site) -> list[str]:
    return [site] if isinstance(site, str) else list(site)


def _pricing_paths(rule: str) -> list[str]:
    """Inputs the accelerator's price reads under pricing ``rule``: none at list price; under
    ``cost-plus`` and ``pass-through``, the chip's (wafers, memory, packaging) and the rule's
    own markup or share. An unknown rule is refused here, where the scenario names it."""
    from .. import pricing
    from ..silicon import bom

    pricing.check_rule(rule)
    if rule == "list":
        return []
    share = {"pass-through": "assumptions.pass-through-share",
             "cost-plus": "assumptions.cost-plus-markup"}
    return [*bom.INPUT_PATHS, share[rule]]


@register("tco", context={**_COMMON, "accelerators": 100_000, "topology": "rail-optimized"})
def prepare_tco(ctx: dict) -> Prepared:
    """TCO of one accelerator-hour at one or more sites (:func:`siliconomics.tco.accelerator_hour`).

    With several sites every site input and every output is suffixed ``@<site>``; inputs
    shared by the sites (the accelerator's price...) use the same samples at every site, so
    differences between sites are not blurred by shared uncertainty. Under the ``cost-plus``
    and ``pass-through`` pricing rules the chip's inputs (wafers, memory, packaging) are
    inputs too.
    """
    from .. import tco

    sites = _site_list(ctx["site"])
    if not sites:
        raise InputError("site must name at least one catalog site")
    multi = len(sites) > 1
    inputs: dict[str, InputSpec] = {}
    resolved = {}
    paths = list(tco.INPUT_PATHS) + _pricing_paths(ctx["pricing"])
    for site in sites:
        r = _resolve({**ctx, "site": site})
        slug = r.site.slug
        if slug in resolved:
            raise InputError(f"site lists the same site twice: {', '.join(sites)}")
        resolved[slug] = r
        for path, s in specs(r, paths).items():
            key = f"{path}@{slug}" if (multi and path.startswith("site.")) else path
            inputs.setdefault(key, s)
    inputs["utilization"] = _extra("utilization", 1.0, "default: fully utilised")
    inputs["residual_fraction"] = _extra("residual_fraction", 0.0, "default: no resale value")
    outputs = list(TCO_OUTPUTS)
    if multi:
        outputs = [f"{o}@{s}" for s in resolved for o in outputs]
    evaluate = functools.partial(
        _tco_evaluate, resolved=resolved, accelerators=float(ctx["accelerators"]),
        topology=ctx["topology"], pricing=ctx["pricing"])
    default = tuple(o for o in outputs if o.split("@")[0] == "usd_per_accelerator_hour")
    return Prepared("tco", inputs, evaluate, tuple(outputs), default, dict(ctx))


def _tco_evaluate(values: dict, *, resolved, accelerators, topology, pricing) -> Outputs:
    """Evaluate the TCO for every site with arrays of inputs (module level: picklable).

    Several sites are one broadcast: each site input becomes a (sites, samples) array and the
    chain runs once, so a comparison of sites costs little more than one site.
    """
    from .. import tco

    sites = list(resolved)
    multi = len(sites) > 1
    given = {k: v for k, v in values.items() if "." in k and "@" not in k}
    if multi:
        n = max((np.size(v) for v in values.values()), default=1)
        for path in (p for p in tco.INPUT_PATHS if p.startswith("site.")):
            given[path] = np.stack([np.broadcast_to(np.asarray(
                values.get(f"{path}@{s}", resolved[s][path]), dtype=float), (n,)) for s in sites])
    res = tco.accelerator_hour(resolved[sites[0]].with_values(given, layer="scenario"),
                               accelerators=accelerators, utilization=values["utilization"],
                               residual_fraction=values["residual_fraction"],
                               topology=topology, pricing=pricing)
    b = res.breakdown
    row = Outputs({"usd_per_accelerator_hour": lambda: b.total,
                   "power_share": lambda: b["power"] / b.total,
                   "price_usd": lambda: res.price_usd, "capex_usd": lambda: res.capex_usd,
                   "annual_opex_usd": lambda: res.annual_opex_usd,
                   "annual_cost_usd": lambda: res.annual_cost_usd,
                   "facility_mw": lambda: res.facility_mw,
                   **{c: functools.partial(b.__getitem__, c) for c in TCO_COMPONENTS}})
    if not multi:
        return row

    def at(name: str, i: int):
        v = np.asarray(row[name])
        return v[i] if v.ndim == 2 else v  # site-independent: shared

    return Outputs({f"{k}@{site}": functools.partial(at, k, i)
                    for k in row for i, site in enumerate(sites)})


# =============================================================================================
# Chip manufacturing cost
# =============================================================================================
@register("chip", context={"accelerator": "h100-sxm"})
def prepare_chip(ctx: dict) -> Prepared:
    """Cost to make one good accelerator (:func:`siliconomics.silicon.chip_cost`).

    Samples wafer prices, defect densities, memory price and packaging costs and yield from
    their catalog ranges; outputs the total (``cost_usd``), each component and the gross margin.
    """
    from .. import catalog
    from ..silicon import bom

    r = catalog.resolve(ctx["accelerator"])
    point = bom.chip_cost(r)
    paths = bom.INPUT_PATHS if point.details["io_dies"] else tuple(
        p for p in bom.INPUT_PATHS if not p.startswith("io_"))
    outputs = ("cost_usd", *point.keys(), "memory_share", "gross_margin")
    evaluate = functools.partial(_chip_evaluate, resolved=r)
    return Prepared("chip", specs(r, paths), evaluate, outputs, ("cost_usd",), dict(ctx))


def _chip_evaluate(values: dict, *, resolved) -> dict[str, np.ndarray]:
    from ..silicon import bom

    c = bom.chip_cost(_with_block(resolved, values))
    out = {"cost_usd": c.total, "gross_margin": c.gross_margin, "memory_share": bom.memory_share(c)}
    out.update(c.items())
    return out


# =============================================================================================
# Training run
# =============================================================================================
TRAINING_OUTPUTS = ("cost_usd", "wall_days", "accelerator_hours", "energy_mwh",
                    "usd_per_accelerator_hour", "goodput", "tco2e")
#: Inputs of a training run's emissions (``tco2e``) alone: the site's grid and the embodied
#: carbon of the accelerator's dies, interposer, memory and package.
EMISSIONS_PATHS = ("site.grid_intensity_kg_per_kwh", "node.embodied_kgco2e_per_cm2",
                   "io_node.embodied_kgco2e_per_cm2", "package.interposer_kgco2e_per_cm2",
                   "memory.embodied_kgco2e_per_gb", "package.embodied_kgco2e_per_package")
TRAINING_PATHS = ("assumptions.training-mfu", "assumptions.failure-rate-per-accelerator-hour",
                  "assumptions.checkpoint-write-s", "assumptions.restart-s",
                  "assumptions.hot-spare-fraction", "assumptions.repair-hours")


MFU_PATH = "assumptions.training-mfu"


def _predicted_mfu(r, point, inputs: dict) -> None:
    """Centre the MFU input of a catalog model's run on the MFU ``point`` (the training
    estimate) predicts from its searched layout, spread by the measured error of such
    predictions (assumption ``training-mfu-error``), as :func:`~siliconomics.workloads.
    training.estimate` would without an MFU: the flat ``training-mfu`` default is for runs
    known only by their FLOPs. An MFU set over the catalog (``--set``, a user catalog file)
    stays, as the estimate then uses it; a scenario's own MFU replaces this one as any
    input's."""
    spec = inputs.get(MFU_PATH)
    if spec is None or spec.locked or not point.mfu_source.startswith("predicted"):
        return  # no MFU input, or the estimate's own is the flat one (set, or nothing fits)
    mfu = float(point.mfu)
    low, high = point.mfu_interval or (mfu, mfu)  # the estimate's own range of a prediction
    err = r.value("assumptions.training-mfu-error")
    lo, hi = (1.0, 1.0) if err.low is None else (float(err.low), float(err.high))
    inputs[MFU_PATH] = dataclasses.replace(
        spec, value=mfu, low=low, high=high,
        source=f"{point.mfu_source} ({point.layout}), its 90% range the measured error of "
               f"such predictions, x{lo:g} to x{hi:g} ({err.source})")


@register("training", context={**_COMMON, "model": None, "tokens": None, "accelerators": 16_384,
                               "precision": "bf16"})
def prepare_training(ctx: dict) -> Prepared:
    """A training run (:func:`siliconomics.workloads.training.estimate`) under uncertainty.

    Samples the TCO inputs of the cluster's site (and the chip's under the ``cost-plus`` and
    ``pass-through`` pricing rules), the MFU and the reliability inputs (failure rate,
    checkpoint and restart times); ``training_flop`` replaces model and tokens. With a
    catalog model the MFU is centred on the one predicted for the best layout found, as the
    point estimate's (:func:`_predicted_mfu`); with ``training_flop`` it is the flat default.
    The inputs that move only the emissions (:data:`EMISSIONS_PATHS`: the grid's intensity,
    the chip's embodied carbon) are taken from a scenario, as values or ranges; ``uncertainty =
    "catalog"`` samples them when ``tco2e`` is among the outputs, so a study of cost alone
    draws no samples it does not use.
    """
    from .. import tco
    from ..workloads import training

    if isinstance(ctx.get("site"), (list, tuple)):
        raise InputError("the training model takes one site")
    r = _resolve(ctx, model=True)
    inputs = specs(r, list(tco.INPUT_PATHS) + _pricing_paths(ctx["pricing"])
                   + list(TRAINING_PATHS))
    for path, s in specs(r, EMISSIONS_PATHS).items():
        inputs.setdefault(path, dataclasses.replace(s, sampled_for=("tco2e",)))
    if ctx.get("model") is None:  # compute given directly instead of a catalog model
        inputs["training_flop"] = _extra("training_flop")
    else:
        point = training.estimate(r.entry("model"), ctx["tokens"], r, int(ctx["accelerators"]),
                                  precision=ctx["precision"], pricing=ctx["pricing"])
        _predicted_mfu(r, point, inputs)
    evaluate = functools.partial(_training_evaluate, resolved=r,
                                 **{k: ctx[k] for k in ("tokens", "accelerators", "precision",
                                                        "pricing")})
    return Prepared("training", inputs, evaluate, TRAINING_OUTPUTS, ("cost_usd",), dict(ctx))


#: Input paths an accelerator's bill of materials reads (and so its embodied emissions) are
#: under these. At list price the training model samples only the price among them, which
#: moves no emissions; any other sampled one (a chip input under cost-based pricing, an
#: embodied-carbon range) has the bill of materials computed again in every block.
CHIP_PREFIXES = ("accelerator.", "node.", "io_node.", "memory.", "package.")
CHIP_MONEY_ONLY = frozenset({"accelerator.price_usd"})


@_memo.per_inputs(maxsize=16)
def _embodied_kgco2e(base):
    """Embodied emissions of ``base``'s accelerator, the same in every block whose sampled
    inputs leave its bill of materials alone: computed once per run rather than per block."""
    from ..silicon import bom

    return bom.chip_cost(base).embodied_kgco2e


def _training_evaluate(values: dict, *, resolved, tokens, accelerators, precision,
                       pricing) -> Outputs:
    from ..workloads import training

    base, arrays = _split_block(resolved, values)
    r = base.with_values(arrays, layer="scenario")
    flop = values.get("training_flop")
    embodied = None if any(k.startswith(CHIP_PREFIXES) and k not in CHIP_MONEY_ONLY
                           for k in arrays) else _embodied_kgco2e(base)
    est = training.estimate(None if flop is not None else r.entry("model"), tokens, r,
                            int(accelerators), training_flop=flop,
                            mfu=r.assumption("training-mfu"), precision=precision,
                            pricing=pricing, embodied_kgco2e=embodied,
                            spares=training.hot_spares(r, int(accelerators), expected=base))
    return Outputs({name: functools.partial(getattr, est, name) for name in TRAINING_OUTPUTS})


# =============================================================================================
# Serving fleet
# =============================================================================================
SERVING_OUTPUTS = ("usd_per_million_output_tokens", "usd_per_million_input_tokens",
                   "usd_per_accelerator_hour")
SERVING_PATHS = ("accelerator.memory_bandwidth_tb_per_s", "serving.compute_efficiency",
                 "serving.bandwidth_efficiency")


def _serving_paths(resolved, deployment) -> list[str]:
    """:data:`SERVING_PATHS` as the deployment reads them: the efficiencies' ``_fp8``/``_fp4``
    fields where its precision has its own (sampling the BF16 field of an FP8 deployment would
    leave its speed unchanged)."""
    from ..workloads.serving.deployment import precision_field

    eff, prec = resolved.entry("serving"), deployment.activation_precision
    return [p if not p.startswith("serving.") else
            "serving." + precision_field(eff, p.split(".", 1)[1], prec) for p in SERVING_PATHS]


@register("serving", context={**_COMMON, "model": "llama-3.1-70b", "tp": 8, "batch": 64,
                              "precision": "fp8", "prompt_tokens": 2048, "output_tokens": 256,
                              "accelerators": 10_000})
def prepare_serving(ctx: dict) -> Prepared:
    """Token costs of a serving fleet (:func:`siliconomics.workloads.serving.estimate`).

    The deployment (model, accelerator, tensor parallelism, batch, precision, request shape)
    is fixed by the context; the TCO inputs of the fleet's site (and the chip's under the
    ``cost-plus`` and ``pass-through`` pricing rules), its ``utilization`` and the
    serving efficiencies the deployment runs at (its precision's compute and bandwidth
    efficiency) are sampled, and token costs follow from the sampled cost of a utilised
    accelerator-hour and the deployment's accelerator-seconds per request.
    """
    from .. import tco
    from ..workloads import serving

    if isinstance(ctx.get("site"), (list, tuple)):
        raise InputError("the serving model takes one site")
    r = _resolve(ctx)
    d = serving.Deployment.create(ctx["model"], r, tp=int(ctx["tp"]), precision=ctx["precision"])
    serving.check_context(d.model, int(ctx["prompt_tokens"]), int(ctx["output_tokens"]))
    plan = d.check_fits(d.kv_tokens(int(ctx["prompt_tokens"]), int(ctx["output_tokens"])))
    if int(ctx["batch"]) > plan.max_batch:
        raise InputError(f"batch must be <= {plan.max_batch} (the largest that fits on {d.tp} x "
                         f"{d.accelerator}), got {ctx['batch']}")
    inputs = specs(r, list(tco.INPUT_PATHS) + _pricing_paths(ctx["pricing"])
                   + _serving_paths(r, d))
    inputs["utilization"] = _extra("utilization", 1.0, "default: fully utilised")
    evaluate = functools.partial(
        _serving_evaluate, resolved=r, deployment=d, batch=int(ctx["batch"]),
        accelerators=float(ctx["accelerators"]), prompt_tokens=int(ctx["prompt_tokens"]),
        output_tokens=int(ctx["output_tokens"]), pricing=ctx["pricing"])
    return Prepared("serving", inputs, evaluate, SERVING_OUTPUTS,
                    ("usd_per_million_output_tokens",), dict(ctx))


def _serving_perf(deployment, r, batch, prompt_tokens, output_tokens) -> dict:
    """The deployment's speed with the (sampled) bandwidth, peak and efficiencies of ``r``:
    the fields :func:`_serving_paths` samples."""
    hbm, compute, bandwidth = _serving_paths(r, deployment)
    d = dataclasses.replace(deployment, hbm_bytes_per_s=np.asarray(r[hbm]) * 1e12,
                            compute_efficiency=r[compute], bandwidth_efficiency=r[bandwidth])
    return d.performance(batch, prompt_tokens, output_tokens)


def _serving_evaluate(values: dict, *, resolved, deployment, batch, accelerators, prompt_tokens,
                      output_tokens, pricing) -> dict[str, np.ndarray]:
    from .. import tco
    from ..workloads import serving

    r = _with_block(resolved, values)
    hourly = tco.accelerator_hour(r, accelerators=accelerators, utilization=values["utilization"],
                                  pricing=pricing).usd_per_accelerator_hour
    perf = _serving_perf(deployment, r, batch, prompt_tokens, output_tokens)
    costs = serving.token_costs(perf, hourly, prompt_tokens=prompt_tokens,
                                  output_tokens=output_tokens)
    return {**costs, "usd_per_accelerator_hour": hourly}


# =============================================================================================
# The whole chain: wafer and memory to tokens
# =============================================================================================
CHAIN_OUTPUTS = ("chip_cost_usd", "memory_share", "price_usd", "vendor_margin",
                 "usd_per_accelerator_hour", "power_share", "training_cost_usd",
                 "training_days", "usd_per_million_output_tokens", "usd_per_million_input_tokens")


def _chain_context():
    from ..chain import DEFAULTS

    # utilization is a sampled input (a number or a distribution), not part of the context
    return {**_COMMON, "tokens": None,
            **{k: v for k, v in DEFAULTS.items() if k != "utilization"}}


@register("chain", context=_chain_context())
def prepare_chain(ctx: dict) -> Prepared:
    """Every stage from wafer to tokens in one run (:mod:`siliconomics.chain`).

    Samples the chip's inputs (wafer prices, defect densities, memory price, packaging), the
    pricing rule's markup or pass-through share, the system, site and financing inputs, the
    training MFU and reliability, and the serving efficiencies; the training run and the
    serving configuration (tensor parallelism, batch) are those of the point estimate, so
    every sample answers the same question. Outputs every stage: chip cost, memory share,
    price, vendor margin, accelerator-hour, training-run cost and days, token costs.
    """
    from .. import pricing, tco
    from ..silicon import bom
    from ..workloads import serving, parallelism, training
    from ..workloads.models import Model

    pricing.check_rule(ctx["pricing"])
    r = _resolve(ctx, model=True)
    m = Model.from_entry(r.entry("model"))
    tokens = ctx["tokens"] if ctx["tokens"] is not None else m.training_tokens
    if tokens is None:
        raise InputError(f"{m.name} has no published training tokens; set tokens")
    # the point estimate's run: its FLOPs (the model's own pre-training sequence) and the MFU
    # of the best layout found, so the chain's training stage is the training model's
    run = training.estimate(m, tokens, r, int(ctx["accelerators"]), precision=ctx["precision"],
                            pricing=ctx["pricing"])
    flops = run.training_flops
    peak = parallelism.Hardware.from_catalog(r, ctx["precision"]).peak_flop_per_s
    serve = serving.estimate(m, r, precision=ctx["serving_precision"],
                               prompt_tokens=int(ctx["prompt_tokens"]),
                               output_tokens=int(ctx["output_tokens"]),
                               slo_tpot_s=ctx["slo_tpot_s"], pricing=ctx["pricing"])
    paths = (list(bom.INPUT_PATHS) + list(tco.INPUT_PATHS) + list(TRAINING_PATHS)
             + _serving_paths(r, serve.deployment) + ["assumptions.cost-plus-markup",
                                                      "assumptions.pass-through-share"])
    if not bom.chip_cost(r).details["io_dies"]:
        paths = [p for p in paths if not p.startswith("io_node.")]
    inputs = specs(r, paths)
    _predicted_mfu(r, run, inputs)
    from ..chain import DEFAULTS

    inputs["utilization"] = _extra("utilization", float(DEFAULTS["utilization"]),
                                   "chain default: serving fleet fully utilised")
    evaluate = functools.partial(
        _chain_evaluate, resolved=r, rule=ctx["pricing"], accelerators=int(ctx["accelerators"]),
        flops=float(flops), peak=float(peak), deployment=serve.deployment, batch=serve.batch,
        prompt_tokens=int(ctx["prompt_tokens"]), output_tokens=int(ctx["output_tokens"]))
    return Prepared("chain", inputs, evaluate, CHAIN_OUTPUTS,
                    ("usd_per_million_output_tokens",), dict(ctx, tokens=tokens))


def _chain_evaluate(values: dict, *, resolved, rule, accelerators, flops, peak, deployment,
                    batch, prompt_tokens, output_tokens) -> dict[str, np.ndarray]:
    from .. import pricing, tco
    from ..silicon import bom
    from ..workloads import serving, training
    from ..workloads.serving.cost import FLEET_ACCELERATORS

    base, arrays = _split_block(resolved, values)
    r = base.with_values(arrays, layer="scenario")
    chip = bom.chip_cost(r)
    price = pricing.accelerator_price(r, rule, cost_usd=chip.total, with_cost=True)
    cluster = tco.accelerator_hour(r, accelerators=accelerators, pricing=rule,
                                   chip_cost_usd=chip.total)
    spares = training.hot_spares(r, int(accelerators), expected=base)
    goodput = training.run_goodput(r, accelerators, spares=spares)["goodput"]
    hours = training.run_hours(flops, accelerators, peak, r.assumption("training-mfu"), goodput)
    # the serving fleet, sized as the serving estimate sizes it (its network per accelerator)
    fleet = tco.accelerator_hour(r, accelerators=FLEET_ACCELERATORS, pricing=rule,
                                 utilization=values["utilization"], chip_cost_usd=chip.total)
    perf = _serving_perf(deployment, r, batch, prompt_tokens, output_tokens)
    tokens = serving.token_costs(perf, fleet.usd_per_accelerator_hour,
                                   prompt_tokens=prompt_tokens, output_tokens=output_tokens)
    return {
        "chip_cost_usd": chip.total,
        "memory_share": bom.memory_share(chip),
        "price_usd": price.price_usd,
        "vendor_margin": price.vendor_margin,
        "usd_per_accelerator_hour": cluster.usd_per_accelerator_hour,
        "power_share": cluster.power_share,
        "training_cost_usd": hours * accelerators * cluster.usd_per_accelerator_hour,
        "training_days": hours / 24.0,
        **tokens,
    }


# =============================================================================================
# Frontier labs projection
# =============================================================================================
@register("labs", context={"start": 2025, "end": 2035, "run_cost": "reconciled"})
def prepare_labs(ctx: dict) -> Prepared:
    """How many labs can fund a frontier run, year by year
    (:func:`siliconomics.industry.labs.year_values`).

    Inputs are the projection's parameters (``catalog/industry_trends.toml``), named as in
    :data:`siliconomics.industry.labs.PARAMETERS`; outputs are suffixed with the year
    (``viable_labs@2030``).
    """
    from ..industry import labs

    years = labs.check_years(range(int(ctx["start"]), int(ctx["end"]) + 1))
    inputs = {}
    for name, v in labs.parameter_values().items():
        share = name in labs.SHARES
        inputs[name] = InputSpec(v.value, v.low, v.high, "", v.source, True,
                                 (0.0, 0.99) if share else (_EPS, None))
    run_costs = labs.run_costs_by(str(ctx["run_cost"]), years)
    # the reconciled cost follows each sample's compute trend at the year's cost of a FLOP
    per_flop = labs.reconciled_cost_per_flop(years) if ctx["run_cost"] == "reconciled" else None
    outputs = tuple(f"{k}@{y}" for y in years for k in labs.OUTPUTS)
    evaluate = functools.partial(_labs_evaluate, years=tuple(years), run_costs=run_costs,
                                 per_flop=per_flop)
    default = tuple(f"viable_labs@{y}" for y in years)
    return Prepared("labs", inputs, evaluate, outputs, default, dict(ctx))


def _labs_evaluate(values: dict, *, years, run_costs, per_flop=None) -> dict[str, np.ndarray]:
    from ..industry import labs

    p = labs.constrain(values)
    if per_flop is not None:
        run_costs = labs.reconciled_run_costs(years, p, per_flop)
    out = {}
    for y in years:
        row = labs.year_values(p, y, None if run_costs is None else run_costs)
        for k in labs.OUTPUTS:
            out[f"{k}@{y}"] = row[k]
    return out


def labs_projection(years=range(2025, 2036), *, samples: int = 0, seed: int = 0,
                    run_cost: str = "reconciled", scenario=None, **overrides):
    """The labs projection (:func:`siliconomics.industry.labs.project`) with 5-95% bands from
    the standard Monte Carlo engine over the catalog's 90% intervals and the scenario's
    distributions.

    ``scenario`` is a path or :class:`~siliconomics.scenario.Scenario` of model ``labs`` (the
    default for a file without ``[scenario] model``); ``overrides`` win over its inputs.
    """
    from ..industry import labs
    from .file import Scenario

    sc = None
    if scenario is not None:
        sc = scenario if isinstance(scenario, Scenario) else Scenario.from_file(
            scenario, default_model="labs")
        if sc.model != "labs":
            raise sc._error(["scenario", "model"], f"the labs projection needs model = "
                                                   f"\"labs\", got {sc.model!r}")
    inputs = {k: v for k, v in (sc.inputs if sc is not None else {}).items()
              if k not in CONTEXT_KEYS["labs"]}
    years = labs.check_years(years)
    given = {**inputs, **overrides}
    mc_scenario = Scenario(
        name=sc.name if sc else "labs", samples=max(int(samples), 1), seed=int(seed), model="labs",
        uncertainty="catalog", inputs={"start": years[0], "end": years[-1], "run_cost": run_cost,
                                       **given},
        metrics=[f"{k}@{y}" for y in years for k in labs.BANDED],
        path=sc.path if sc else "<labs>", text=sc.text if sc else "")
    mc_scenario.plan(samples=1)  # file errors (unknown parameter, bad distribution) name the line
    try:
        proj = labs.project(years, run_cost=run_cost, **given)
    except InputError as exc:
        key = next((k for k in inputs if str(exc).startswith(k) and k not in overrides), None)
        if key is None:
            raise
        raise sc._error(["inputs", key], str(exc)) from None
    if not samples:
        return proj
    mc = mc_scenario.run(workers=1)
    return labs.attach_bands(proj, mc.metrics, samples, seed)
