"""90% bands on the report's headline figures: the catalog ranges as priors, one Monte Carlo.

Every catalog value with a ``low``/``high`` range is sampled over its 90% interval
(``uncertainty = "catalog"``) through the standard Monte Carlo of
:mod:`siliconomics.uncertainty` (scenarios built in code, run by
:meth:`~siliconomics.scenario.Scenario.run`): one TCO run for the cost of an accelerator-hour at
the report's cheapest site and cluster size, one chain run (chip to tokens) for what the chip
costs to make, a frontier training run and the cost of served tokens on the report's
accelerator. A modest sample count keeps the report fast; the percentiles are then good to about
a percent of the band's width.
"""

from __future__ import annotations

#: Monte Carlo samples and seed of the headline bands.
SAMPLES, SEED = 2000, 0

#: Headline figures: (run, metric) -> (label, unit, scale) for the report's tables.
HEADLINES = {
    ("tco", "usd_per_accelerator_hour"): ("cost of an accelerator-hour", "USD/h", 1.0),
    ("tco", "power_share"): ("power's share of that cost", "%", 100.0),
    ("chain", "chip_cost_usd"): ("cost to make one good accelerator", "USD", 1.0),
    ("training", "training_cost_usd"): ("owned cost of the training run", "million USD", 1e-6),
    ("training", "training_days"): ("wall time of the training run", "days", 1.0),
    ("chain", "usd_per_million_output_tokens"): ("served output tokens", "USD per million", 1.0),
}


def scenarios(accelerator: str, site: str, accelerators: int, financing: str, *,
              run_model: str, run_accelerators: int, samples: int = SAMPLES,
              seed: int = SEED, tco_site: str | None = None) -> dict:
    """The three scenarios of the bands (``tco``, ``chain``, ``training``), by name: the chain
    and training runs at ``site``, the TCO at ``tco_site`` (default ``site``).

    >>> sc = scenarios("h100-sxm", "us-texas", 1000, "hyperscaler",
    ...                run_model="llama-3.1-405b", run_accelerators=16384)
    >>> sorted(sc), sc["tco"].uncertainty, sc["training"].inputs["model"]
    (['chain', 'tco', 'training'], 'catalog', 'llama-3.1-405b')
    """
    from ...scenario import Scenario

    def make(name, model, inputs, metrics):
        return Scenario.from_dict({
            "scenario": {"name": name, "samples": samples, "seed": seed, "model": model,
                         "uncertainty": "catalog"},
            "inputs": {"accelerator": accelerator, "site": site, "financing": financing,
                       **inputs},
            "outputs": {"metrics": metrics}})

    return {
        "tco": make(f"{accelerator} at {tco_site or site}, catalog ranges", "tco",
                    {"accelerators": accelerators, "site": tco_site or site},
                    ["usd_per_accelerator_hour", "power_share"]),
        "chain": make(f"{accelerator} at {site}: chip to tokens, catalog ranges", "chain", {},
                      ["chip_cost_usd", "usd_per_million_output_tokens"]),
        "training": make(f"{run_model} on {run_accelerators:,} {accelerator} at {site}, "
                         "catalog ranges",
                         "chain", {"model": run_model, "accelerators": run_accelerators},
                         ["training_cost_usd", "training_days"]),
    }


def run(ctx, tco_site: str | None = None) -> dict:
    """Band of every headline figure of the report context: ``{(run, metric): {"p5", "p50",
    "p95", "mean"}}`` plus ``"samples"``, ``"seed"``, ``"scenarios"`` (names) and ``"runs"``
    (``(scenario, result)`` of each run, by ``tco``, ``chain``, ``training``); computed once per report
    and kept in ``ctx.extra["bands"]``. The chip, training and serving runs are at the report's
    first site (``us-texas`` by default), as in their sections; the TCO at ``tco_site`` (the
    TCO section's cheapest site), else the first site."""
    from .training import RUN_ACCELERATORS, RUN_MODEL

    if "bands" in ctx.extra:
        return ctx.extra["bands"]
    out: dict = {"samples": SAMPLES, "seed": SEED, "scenarios": {}, "runs": {}}
    site = (ctx.sites or ["us-texas"])[0]
    for key, sc in scenarios(ctx.accelerator, site, ctx.accelerators, ctx.financing,
                             run_model=RUN_MODEL, run_accelerators=RUN_ACCELERATORS,
                             tco_site=tco_site).items():
        result = sc.run()
        out["scenarios"][key] = sc.name
        out["runs"][key] = (sc, result)
        for metric, agg in result.metrics.items():
            s = agg.summary()
            out[(key, metric)] = {q: float(s[q]) for q in ("p5", "p50", "p95", "mean")}
    ctx.extra["bands"] = out
    return out


def text(band: dict, fmt: str = "{:,.2f}", scale: float = 1.0) -> str:
    """``"90% band A to B"`` of one band, each end formatted with ``fmt`` after ``scale``.

    >>> text({"p5": 1.234, "p50": 1.5, "p95": 1.9}, "${:.2f}")
    '90% band $1.23 to $1.90'
    """
    return (f"90% band {fmt.format(band['p5'] * scale)} to "
            f"{fmt.format(band['p95'] * scale)}")


def frame(bands: dict):
    """The headline bands as a table: figure, unit, 5%, median, 95%."""
    import pandas as pd

    rows = []
    for key, (label, unit, scale) in HEADLINES.items():
        if key in bands:
            b = bands[key]
            rows.append({"figure": label, "unit": unit, "run": bands["scenarios"][key[0]],
                         "5%": b["p5"] * scale, "median": b["p50"] * scale,
                         "95%": b["p95"] * scale})
    return pd.DataFrame(rows, columns=["figure", "unit", "run", "5%", "median", "95%"])
