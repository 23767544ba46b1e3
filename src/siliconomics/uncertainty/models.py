"""Models the Monte Carlo engine can evaluate, by name.

A model is registered with :func:`register` as a *preparer*: a function of the scenario's
context (catalog names, cluster size...) returning a :class:`Prepared` model, i.e. the inputs it
takes (each with its catalog value, 90% range, unit and source) and a picklable ``evaluate``
function mapping a dict of input arrays to a dict of output arrays. Models added later register
themselves the same way (``models.register("training")(prepare)``) without touching the engine.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import InputError, unknown


@dataclass(frozen=True)
class InputSpec:
    """One model input: central value, 90% range (or None), canonical unit and source."""

    value: Any
    low: float | None = None
    high: float | None = None
    unit: str = ""
    source: str = ""
    sampled_by_catalog: bool = True
    bounds: tuple = (None, None)

    @property
    def has_range(self) -> bool:
        return (self.low is not None and self.high is not None and self.low != self.high
                and self.sampled_by_catalog)


@dataclass
class Prepared:
    """A model ready to evaluate: its inputs, outputs and evaluation function."""

    name: str
    inputs: dict[str, InputSpec]
    evaluate: Callable[[dict], dict]
    outputs: tuple[str, ...]
    default_outputs: tuple[str, ...]
    context: dict = field(default_factory=dict)


#: Registered preparers, name -> function(context: dict) -> Prepared.
MODELS: dict[str, Callable[..., Prepared]] = {}
#: Context keys each model accepts (catalog names and sizes, not sampled).
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
    _discover()
    if name not in MODELS:
        raise InputError(unknown("model", name, sorted(MODELS)))
    ctx = {**CONTEXT_KEYS[name], **(context or {})}
    return MODELS[name](ctx)


def names() -> list[str]:
    _discover()
    return sorted(MODELS)


def _exists(module: str) -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


@functools.cache
def _discover() -> None:
    """Register the models whose modules exist (they are written independently of the engine).

    A module may also register itself by defining ``register_uncertainty_model(register)``.
    """
    import importlib

    if _exists("siliconomics.workloads.training"):
        register("training", context=TRAINING_CONTEXT)(prepare_training)
    if _exists("siliconomics.workloads.inference"):
        register("serving", context=SERVING_CONTEXT)(prepare_serving)
    if _exists("siliconomics.silicon.bom"):
        register("chip", context={"accelerator": "h100-sxm"})(prepare_chip)
    for module in ("siliconomics.silicon.bom", "siliconomics.workloads.training",
                   "siliconomics.workloads.inference"):
        if _exists(module):
            hook = getattr(importlib.import_module(module), "register_uncertainty_model", None)
            if callable(hook):
                hook(register)


# --- TCO ------------------------------------------------------------------------------------

#: Canonical unit of each TCO input (scenario values with units are converted to it).
TCO_UNITS = {
    "price_usd": "USD", "server_other_cost_usd": "USD", "server_power_kw": "kW",
    "accelerators_per_server": "", "power_price_usd_per_kwh": "USD/kWh", "pue": "",
    "build_cost_usd_per_mw": "USD/MW", "cost_of_capital": "", "accelerator_life_years": "year",
    "network_life_years": "year", "facility_life_years": "year", "busy_draw_fraction": "",
    "idle_draw_fraction": "", "it_maintenance_fraction": "",
    "facility_opex_usd_per_mw_year": "USD/MW/year", "switch_radix": "",
    "switch_cost_usd": "USD", "switch_power_w": "W", "transceiver_cost_usd": "USD",
    "transceiver_power_w": "W", "nic_cost_usd": "USD", "nic_power_w": "W", "utilization": "",
    "residual_fraction": "", "nics_per_accelerator": "", "nics_in_server": "",
    "training_flop": "FLOP", "mfu": "", "peak_flop_per_s": "FLOP/s",
}
#: Inputs that stay at their catalog value even with ``uncertainty = "catalog"``: counts and
#: design choices (a switch's radix is 64 or 128, not a lognormal between them).
DISCRETE = {"switch_radix", "accelerators_per_server", "nics_per_accelerator", "nics_in_server"}

#: Inputs with no effect while the server's own NICs serve the fabric (``nics_in_server``).
NIC_INPUTS = {"nic_cost_usd", "nic_power_w"}


def _tco_spec(name: str, d: dict, resolved: dict) -> InputSpec:
    """The InputSpec of one resolved TCO input: sampled over its range unless discrete, or a
    NIC input while NICs are counted in the server (sampling it would only add noise)."""
    nics_in_server = bool(resolved.get("nics_in_server", {}).get("value", 1.0))
    sampled = name not in DISCRETE and not (name in NIC_INPUTS and nics_in_server)
    return InputSpec(d["value"], d.get("low"), d.get("high"), TCO_UNITS.get(name, ""),
                     d.get("source", ""), sampled, TCO_BOUNDS.get(name, (0.0, None)))
#: Physical domain of bounded inputs: sampled values are clipped to it (a lognormal prior on a
#: PUE of 1.12 to 1.4 would otherwise put a few samples below 1).
_EPS = 1e-9
TCO_BOUNDS = {
    "pue": (1.0, None), "busy_draw_fraction": (_EPS, 1.0), "idle_draw_fraction": (0.0, 1.0),
    "utilization": (_EPS, 1.0), "mfu": (_EPS, 1.0), "residual_fraction": (0.0, 1.0),
    "cost_of_capital": (None, None),
}
#: Catalog kind of each field, for ``accelerator.price_usd``-style overrides in scenarios.
TCO_KINDS = {"accelerator": "accelerators", "site": "sites", "financing": "financing"}

TCO_COMPONENTS = ("accelerator", "server", "network", "facility", "power", "operations")
TCO_OUTPUTS = ("usd_per_accelerator_hour", *TCO_COMPONENTS, "power_share", "capex_usd",
               "annual_opex_usd", "annual_cost_usd", "facility_mw")
TRAINING_OUTPUTS = ("training_run_cost_usd", "training_days")


def _site_list(site) -> list[str]:
    return [site] if isinstance(site, str) else list(site)


@register("tco", context={"accelerator": "h100-sxm", "site": "us-texas",
                          "financing": "hyperscaler", "accelerators": 100_000,
                          "topology": "rail-optimized", "training": False})
def prepare_tco(ctx: dict) -> Prepared:
    """TCO of one accelerator-hour at one or more sites (:func:`siliconomics.tco.accelerator_hour`).

    With several sites every site-dependent input and every output is suffixed ``@<site>``;
    inputs shared by the sites (the accelerator's price...) use the same samples at every site,
    so differences between sites are not blurred by shared uncertainty. With
    ``training = true`` (or a ``training_flop`` input) the run's cost and duration are added:
    accelerator-hours ``C / (peak * MFU * 3600)`` at the sampled hourly cost.
    """
    from .. import catalog, tco

    sites = _site_list(ctx["site"])
    if not sites:
        raise InputError("site must name at least one catalog site")
    multi = len(sites) > 1
    inputs: dict[str, InputSpec] = {}
    site_slugs = []
    for site in sites:
        resolved = tco.resolve_inputs(ctx["accelerator"], site, ctx["financing"])
        entries = resolved.pop("_entries")
        site_slugs.append(entries["sites"].slug)
        for name, d in resolved.items():
            kind = tco.OVERRIDABLE.get(name, ("", ""))[0]
            key = f"{name}@{entries['sites'].slug}" if (multi and kind == "sites") else name
            if key in inputs:
                continue
            inputs[key] = _tco_spec(name, d, resolved)
    if len(set(site_slugs)) != len(site_slugs):
        raise InputError(f"site lists the same site twice: {', '.join(sites)}")
    outputs = list(TCO_OUTPUTS)
    training = bool(ctx.get("training"))
    if training:
        acc = catalog.get("accelerators", ctx["accelerator"])
        peak = acc.value("bf16_tflop_per_s")
        inputs["peak_flop_per_s"] = InputSpec(peak.value * 1e12, None, None, "FLOP/s", peak.source, False)
        inputs["training_flop"] = InputSpec(None, unit="FLOP", source="scenario")
        inputs["mfu"] = InputSpec(None, unit="", source="scenario", bounds=TCO_BOUNDS["mfu"])
        outputs += list(TRAINING_OUTPUTS)
    if multi:
        outputs = [f"{o}@{s}" for s in site_slugs for o in outputs]
    evaluate = functools.partial(
        _tco_evaluate, accelerator=ctx["accelerator"], sites=tuple(site_slugs),
        financing=ctx["financing"], accelerators=float(ctx["accelerators"]),
        topology=ctx["topology"], training=training)
    head = "training_run_cost_usd" if training else "usd_per_accelerator_hour"
    default = tuple(o for o in outputs if o.split("@")[0] == head)
    return Prepared("tco", inputs, evaluate, tuple(outputs), default, dict(ctx))


def _tco_evaluate(values: dict, *, accelerator, sites, financing, accelerators, topology,
                  training) -> dict[str, np.ndarray]:
    """Evaluate the TCO for every site with arrays of inputs (module level: picklable)."""
    from .. import tco

    out = {}
    multi = len(sites) > 1
    own = set(tco.OVERRIDABLE) | {"utilization", "residual_fraction", "nics_per_accelerator",
                                  "nics_in_server"}
    for site in sites:
        overrides = {}
        for name in own:
            key = f"{name}@{site}"
            if multi and key in values:
                overrides[name] = values[key]
            elif name in values:
                overrides[name] = values[name]
        utilization = overrides.pop("utilization", None)
        r = tco.accelerator_hour(accelerator, site, accelerators=accelerators,
                                 utilization=utilization, financing=financing,
                                 topology=topology, **overrides)
        total = r.breakdown.total
        res = {"usd_per_accelerator_hour": total, "power_share": r.breakdown["power"] / total,
               "capex_usd": r.capex_usd, "annual_opex_usd": r.annual_opex_usd,
               "facility_mw": r.facility_mw}
        u = 1.0 if utilization is None else utilization
        res["annual_cost_usd"] = total * (accelerators * tco.HOURS_PER_YEAR) * np.asarray(u)
        for c in TCO_COMPONENTS:
            res[c] = r.breakdown[c]
        if training:
            from .. import _checks

            _checks.fraction("mfu", values["mfu"])
            _checks.positive("training_flop", values["training_flop"])
            effective = np.asarray(values["peak_flop_per_s"]) * values["mfu"]
            hours = np.asarray(values["training_flop"]) / (effective * 3600.0)
            res["training_run_cost_usd"] = hours * total
            res["training_days"] = hours / accelerators / 24.0
        for k, v in res.items():
            out[f"{k}@{site}" if multi else k] = v
    return out


# --- training run (siliconomics.workloads.training) ------------------------------------------

TRAINING_CONTEXT = {"model": None, "tokens": None, "accelerator": "h100-sxm",
                    "accelerators": 16_384, "site": "us-texas", "financing": "hyperscaler",
                    "precision": "bf16"}
#: Reliability and efficiency inputs of the training model: catalog assumption, unit, bounds.
TRAINING_INPUTS = {
    "mfu": ("training-mfu", "", (_EPS, 1.0)),
    "failure_rate": ("failure-rate-per-accelerator-hour", "1/hour", (0.0, None)),
    "checkpoint_s": ("checkpoint-write-s", "s", (0.0, None)),
    "restart_s": ("restart-s", "s", (0.0, None)),
}
TRAINING_MODEL_OUTPUTS = ("cost_usd", "wall_days", "accelerator_hours", "energy_mwh",
                    "usd_per_accelerator_hour", "goodput", "tco2e")


def prepare_training(ctx: dict) -> Prepared:
    """A training run (:func:`siliconomics.workloads.training.estimate`) under uncertainty.

    Samples the TCO inputs of the cluster's site, the MFU and the reliability inputs (failure
    rate, checkpoint and restart times); ``training_flop`` replaces model and tokens.
    """
    from .. import catalog, tco

    if isinstance(ctx.get("site"), (list, tuple)):
        raise InputError("the training model takes one site")
    resolved = tco.resolve_inputs(ctx["accelerator"], ctx["site"], ctx["financing"])
    resolved.pop("_entries")
    inputs = {name: _tco_spec(name, d, resolved) for name, d in resolved.items()}
    for name, (key, unit, bounds) in TRAINING_INPUTS.items():
        v = catalog.assumption_value(key)
        inputs[name] = InputSpec(v.value, v.low, v.high, unit, v.source, True, bounds)
    if ctx.get("model") is None:  # compute given directly instead of a catalog model
        inputs["training_flop"] = InputSpec(None, unit="FLOP", source="scenario",
                                            sampled_by_catalog=False)
    evaluate = functools.partial(_training_evaluate, **{k: ctx[k] for k in TRAINING_CONTEXT})
    return Prepared("training", inputs, evaluate, TRAINING_MODEL_OUTPUTS, ("cost_usd",),
                    dict(ctx))


def _training_evaluate(values: dict, *, model, tokens, accelerator, accelerators, site,
                       financing, precision) -> dict[str, np.ndarray]:
    from .. import tco
    from ..workloads import training

    own = set(tco.OVERRIDABLE) | {"utilization", "residual_fraction", "nics_per_accelerator",
                                  "nics_in_server"}
    overrides = {k: v for k, v in values.items() if k in own}
    flop = values.get("training_flop")
    r = training.estimate(None if flop is not None else model, tokens, accelerator,
                          int(accelerators), training_flop=flop, mfu=values["mfu"], site=site,
                          financing=financing, precision=precision,
                          failure_rate=values["failure_rate"], checkpoint_s=values["checkpoint_s"],
                          restart_s=values["restart_s"], **overrides)
    return {"cost_usd": r.cost_usd, "wall_days": r.wall_days,
            "accelerator_hours": r.accelerator_hours, "energy_mwh": r.energy_mwh,
            "usd_per_accelerator_hour": r.usd_per_accelerator_hour, "goodput": r.goodput,
            "tco2e": r.tco2e}


# --- serving fleet (siliconomics.workloads.inference) -----------------------------------------

SERVING_CONTEXT = {"model": "llama-3.1-70b", "accelerator": "h100-sxm", "tp": 8, "batch": 64,
                   "precision": "fp8", "prompt_tokens": 2048, "output_tokens": 256,
                   "accelerators": 10_000, "site": "us-texas", "financing": "hyperscaler"}
SERVING_OUTPUTS = ("usd_per_million_output_tokens", "usd_per_million_input_tokens",
                   "usd_per_accelerator_hour")


def prepare_serving(ctx: dict) -> Prepared:
    """Token costs of a serving fleet (:func:`siliconomics.workloads.inference.estimate`).

    The deployment (model, accelerator, tensor parallelism, batch, precision, request shape)
    is fixed by the context, so its accelerator-seconds per request are computed once; the
    TCO inputs of the fleet's site and its ``utilization`` are sampled, and token costs follow
    from the sampled cost of a utilised accelerator-hour.
    """
    from .. import tco
    from ..workloads import inference

    if isinstance(ctx.get("site"), (list, tuple)):
        raise InputError("the serving model takes one site")
    est = inference.estimate(ctx["model"], ctx["accelerator"], tp=int(ctx["tp"]),
                             batch=int(ctx["batch"]), precision=ctx["precision"],
                             prompt_tokens=int(ctx["prompt_tokens"]),
                             output_tokens=int(ctx["output_tokens"]), site=ctx["site"],
                             financing=ctx["financing"])
    perf = {k: float(est.performance[k]) for k in ("prefill_accelerator_s_per_request",
                                                   "decode_accelerator_s_per_request")}
    resolved = tco.resolve_inputs(ctx["accelerator"], ctx["site"], ctx["financing"])
    resolved.pop("_entries")
    inputs = {name: _tco_spec(name, d, resolved) for name, d in resolved.items()}
    evaluate = functools.partial(
        _serving_evaluate, perf=perf, accelerator=ctx["accelerator"], site=ctx["site"],
        financing=ctx["financing"], accelerators=float(ctx["accelerators"]),
        prompt_tokens=int(ctx["prompt_tokens"]), output_tokens=int(ctx["output_tokens"]))
    return Prepared("serving", inputs, evaluate, SERVING_OUTPUTS,
                    ("usd_per_million_output_tokens",), dict(ctx))


def _serving_evaluate(values: dict, *, perf, accelerator, site, financing, accelerators,
                      prompt_tokens, output_tokens) -> dict[str, np.ndarray]:
    from .. import tco
    from ..workloads import inference

    own = set(tco.OVERRIDABLE) | {"residual_fraction", "nics_per_accelerator", "nics_in_server"}
    overrides = {k: v for k, v in values.items() if k in own}
    r = tco.accelerator_hour(accelerator, site, accelerators=accelerators,
                             utilization=values.get("utilization"), financing=financing,
                             **overrides)
    hourly = r.breakdown.total
    costs = inference.token_costs(perf, hourly, prompt_tokens=prompt_tokens,
                                  output_tokens=output_tokens)
    return {**costs, "usd_per_accelerator_hour": hourly}


# --- chip manufacturing cost (siliconomics.silicon.bom) ---------------------------------------

#: Bounds of the chip cost inputs that are fractions.
CHIP_BOUNDS = {"packaging_yield": (_EPS, 1.0)}
#: Inputs held at their catalog value (none: the package-size check ignores the routing overhead).
CHIP_FIXED: set[str] = set()


def prepare_chip(ctx: dict) -> Prepared:
    """Cost to make one good accelerator (:func:`siliconomics.silicon.bom.chip_cost`).

    Samples wafer prices, defect densities, HBM price and packaging costs and yield from their
    catalog ranges; outputs the total (``cost_usd``), each component and the gross margin.
    """
    from ..silicon import bom

    point = bom.chip_cost(ctx["accelerator"])
    inputs = {name: InputSpec(d["value"], d.get("low"), d.get("high"),
                              "" if not name.endswith("_usd") else "USD", d.get("source", ""),
                              name not in CHIP_FIXED, CHIP_BOUNDS.get(name, (0.0, None)))
              for name, d in point.details.get("inputs", {}).items() if name in bom.OVERRIDABLE}
    outputs = ("cost_usd", *point.keys(), "gross_margin")
    evaluate = functools.partial(_chip_evaluate, accelerator=ctx["accelerator"])
    return Prepared("chip", inputs, evaluate, outputs, ("cost_usd",), dict(ctx))


def _chip_evaluate(values: dict, *, accelerator) -> dict[str, np.ndarray]:
    from ..silicon import bom

    c = bom.chip_cost(accelerator, **{k: v for k, v in values.items() if k in bom.OVERRIDABLE})
    out = {"cost_usd": c.total, "gross_margin": c.gross_margin}
    out.update(c.items())
    return out
