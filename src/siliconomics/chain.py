r"""The chain as one model: wafer and memory to chip cost, price, accelerator-hour, run and tokens.

One resolution of inputs (:func:`siliconomics.catalog.resolve`) flows through every stage:

1. **chip**: wafers, yield, memory and packaging -> manufacturing cost per good accelerator
   (:func:`siliconomics.silicon.chip_cost`) and memory's share of it;
2. **price**: a pricing rule (:mod:`siliconomics.pricing`: ``list``, ``cost-plus``,
   ``pass-through``) -> the price paid, and the vendor's margin;
3. **accelerator-hour**: the system, network, facility, power and financing ->
   USD per accelerator-hour (:func:`siliconomics.tco.accelerator_hour`);
4. **training run**: a named model's published run on a cluster
   (:func:`siliconomics.training.estimate`);
5. **tokens**: serving the model under a latency target -> USD per million output tokens
   (:func:`siliconomics.serving.estimate`).

:func:`evaluate` answers one configuration; :func:`whatif` two side by side with the change at
every stage. The Monte Carlo version (every stage for arrays of samples) is the ``chain``
model of :mod:`siliconomics.scenario.models`.

Examples
--------
>>> r = evaluate("h100", model="llama-3.1-8b", accelerators=1024)
>>> 0.8 < r.stages["vendor_margin"] < 1.0 and r.stages["usd_per_million_output_tokens"] > 0
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import pricing as pricing_rules

#: Headline figure of each stage, in chain order, with its unit.
STAGES = {
    "chip_cost_usd": "USD",
    "memory_share": "",
    "price_usd": "USD",
    "vendor_margin": "",
    "usd_per_accelerator_hour": "USD/h",
    "power_share": "",
    "training_cost_usd": "USD",
    "training_days": "day",
    "usd_per_million_output_tokens": "USD/Mtok",
    "usd_per_million_input_tokens": "USD/Mtok",
}

#: What the chain assumes when a question does not say (also the Monte Carlo's context).
DEFAULTS = {
    "model": "llama-3.1-70b",
    "accelerators": 16_384,
    "precision": "bf16",
    "serving_precision": "fp8",
    "prompt_tokens": 2048,
    "output_tokens": 256,
    "slo_tpot_s": 0.05,
    "utilization": 1.0,
}


@dataclass
class ChainResult:
    """Every stage of the chain for one configuration."""

    accelerator: str
    pricing: str
    stages: dict[str, Any]
    details: dict[str, Any] = field(default_factory=dict)
    changed: list[dict] = field(default_factory=list)

    def _repr_html_(self) -> str:
        """Notebook display: cost per million tokens, then every stage with its unit."""
        from .results import html_card, number

        s = self.stages
        rows = [{"stage": k.replace("_", " "), "value": _plain(v), "unit": STAGES.get(k, "")}
                for k, v in s.items()]
        changed = [(c.get("path", ""), c.get("value", "")) for c in self.changed]
        return html_card(
            f"{self.accelerator}, wafer to tokens ({self.pricing} pricing)",
            f"${number(s['usd_per_million_output_tokens'])} per million output tokens",
            inputs=[("site", self.details.get("site")), ("financing", self.details.get("financing")),
                    *changed],
            tables=[("Every stage", rows)])

    def to_dict(self) -> dict[str, Any]:
        return {"accelerator": self.accelerator, "pricing": self.pricing,
                **{k: _plain(v) for k, v in self.stages.items()},
                "details": self.details, "changed_inputs": self.changed}


def evaluate(accelerator="h100-sxm", *, site=None, financing=None, system=None, pricing="list",
             model=DEFAULTS["model"], accelerators=DEFAULTS["accelerators"], tokens=None,
             precision=DEFAULTS["precision"], serving_precision=DEFAULTS["serving_precision"],
             prompt_tokens=DEFAULTS["prompt_tokens"], output_tokens=DEFAULTS["output_tokens"],
             slo_tpot_s=DEFAULTS["slo_tpot_s"], utilization=DEFAULTS["utilization"], set=None,
             **overrides) -> ChainResult:
    """Every stage of the chain for one accelerator (a name, an entry or resolved inputs).

    Parameters
    ----------
    accelerator : str, Entry or Resolved
    site, financing, system : str, optional
        Default ``us-texas``, ``hyperscaler``, the accelerator's own system.
    pricing : {"list", "cost-plus", "pass-through"}
    model : str
        Model trained (its published tokens, or ``tokens``) and served; a catalog name or the
        path of a Hugging Face ``config.json``.
    accelerators : int
        Cluster size of the training run and the TCO. [count]
    precision, serving_precision : str
        Training and serving precisions.
    prompt_tokens, output_tokens : int
        Request shape for serving. [tokens]
    slo_tpot_s : float
        Time-per-output-token target of the serving configuration search. [s]
    utilization : float
        Share of hours the serving fleet does paid work. [dimensionless]
    set, **overrides
        Input paths or API keywords (:data:`siliconomics.catalog.KEYWORDS`).
    """
    from . import tco
    from .silicon import bom
    from .workloads import serving, training

    r = tco.resolve(accelerator, site, financing=financing, system=system, set=set, **overrides)
    chip = bom.chip_cost(r)
    price = pricing_rules.accelerator_price(r, pricing, cost_usd=chip.total, with_cost=True)
    hour = tco.accelerator_hour(r, accelerators=accelerators, pricing=pricing)
    run = training.estimate(model, tokens, r, accelerators, pricing=pricing, precision=precision)
    serve = serving.estimate(model, r, precision=serving_precision, prompt_tokens=prompt_tokens,
                               output_tokens=output_tokens, slo_tpot_s=slo_tpot_s,
                               utilization=utilization, pricing=pricing)
    sd = serve.to_dict()
    stages = {
        "chip_cost_usd": chip.total,
        "memory_share": bom.memory_share(chip),
        "price_usd": price.price_usd,
        "vendor_margin": price.vendor_margin,
        "usd_per_accelerator_hour": hour.usd_per_accelerator_hour,
        "power_share": hour.power_share,
        "training_cost_usd": run.cost_usd,
        "training_days": run.wall_days,
        "usd_per_million_output_tokens": sd["usd_per_million_output_tokens"],
        "usd_per_million_input_tokens": sd["usd_per_million_input_tokens"],
    }
    details = {
        "site": hour.site, "financing": hour.financing, "system": hour.system.slug,
        "memory": r.memory.slug, "memory_capacity_gb": _plain(r["accelerator.memory_capacity_gb"]),
        "memory_bandwidth_tb_per_s": _plain(r["accelerator.memory_bandwidth_tb_per_s"]),
        "list_price_usd": _plain(price.list_price_usd), "price_source": price.source,
        "chip_breakdown": {k: _plain(v) for k, v in chip.items()},
        "tco_breakdown": {k: _plain(v) for k, v in hour.breakdown.items()},
        "training": {"model": run.model, "accelerators": run.accelerators,
                     "tokens": _plain(run.tokens), "mfu": _plain(run.mfu),
                     "goodput": _plain(run.goodput)},
        "serving": {"model": sd["model"], "tp": sd["tp"], "batch": sd["batch"],
                    "precision": sd["precision"], "tpot_s": sd["tpot_s"],
                    "output_tokens_per_s_per_accelerator": sd["output_tokens_per_s_per_accelerator"],
                    "utilization": sd["utilization"]},
    }
    return ChainResult(r.accelerator.slug, pricing, stages, details, r.changed())


def whatif(base, variant, **options) -> dict[str, Any]:
    """The chain for two accelerators side by side, and the change at every stage.

    ``options`` are those of :func:`evaluate`, shared by both. Returns ``{"base", "variant",
    "delta", "relative"}``: each stage's figure for both, the difference variant minus base,
    and that difference over the base.

    Examples
    --------
    >>> w = whatif("h100", "h200", model="llama-3.1-8b", accelerators=1024)
    >>> w["delta"]["price_usd"] == w["variant"]["price_usd"] - w["base"]["price_usd"]
    True
    """
    a = evaluate(base, **options)
    b = evaluate(variant, **options)
    delta, relative = {}, {}
    for k in STAGES:
        x, y = a.stages[k], b.stages[k]
        if x is None or y is None:
            delta[k] = relative[k] = None
            continue
        delta[k] = _plain(np.asarray(y) - np.asarray(x))
        relative[k] = _plain((np.asarray(y) - np.asarray(x)) / np.asarray(x)) if x else None
    return {"base": a.to_dict(), "variant": b.to_dict(), "delta": delta, "relative": relative}


def _plain(x):
    if x is None or isinstance(x, (str, int)):
        return x
    arr = np.asarray(x, dtype=float)
    return float(arr) if arr.ndim == 0 else arr.tolist()
