"""Monte Carlo throughput and memory: accelerator price -> TCO -> training run cost.

The default end-to-end scenario: a 100,000-H100 cluster in Texas, every catalog range sampled
as its 90% interval (every uncertain catalog input), a 3.8e25 FLOP run (Llama 3.1 405B, Meta 2024) at an
uncertain MFU; output: the run's cost. Measured on the local engine (both cores), side by
side with the same model written idiomatically in squigglepy (sample each input, NumPy
arithmetic on the samples) and as a plain per-sample Python loop over the scalar model.

Targets: >= 5 million samples/s on a 2-core machine; peak memory < 1 GiB at 10^8 samples.
"""

from __future__ import annotations

import json
import math
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import row  # noqa: E402

SCENARIO = """
[scenario]
name = "benchmark: H100 training run"
samples = 1000000
seed = 1
model = "training"
uncertainty = "catalog"

[inputs]
accelerator = "h100-sxm"
site = "us-texas"
accelerators = 100_000
# Llama 3.1 405B: 3.8e25 FLOP (Meta, "The Llama 3 Herd of Models", 2024)
training_flop = "3.8e25 FLOP"
# Meta reports 38-43% BF16 MFU on 16k H100s; widened to 30-45% for a new cluster (assumption)
"assumptions.training-mfu" = "0.3 to 0.45"
# reliability held at the catalog values, so every implementation computes the same goodput
"assumptions.failure-rate-per-accelerator-hour" = 1.97e-5
"assumptions.checkpoint-write-s" = 60
"assumptions.restart-s" = 900

[outputs]
metrics = ["cost_usd"]
"""
OUTPUT = "cost_usd"


def _scenario():
    from siliconomics.scenario import Scenario

    return Scenario.from_text(SCENARIO, path="benchmark.toml")


def siliconomics_rate(samples: int, repeat: int) -> tuple[float, float]:
    """Best samples/s of ``repeat`` runs, and the mean of the output."""
    from siliconomics.uncertainty import montecarlo

    plan = _scenario().plan(samples=samples)
    best, mean = math.inf, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        r = montecarlo.run(plan)
        best = min(best, time.perf_counter() - t0)
        mean = r.metrics[OUTPUT].mean
    return samples / best, mean


def _catalog_inputs():
    """Central values and ranges of the TCO inputs by path, the network counts, the peak and
    the goodput at the reliability inputs above."""
    from siliconomics import catalog, tco
    from siliconomics.datacenter import network
    from siliconomics.workloads import reliability

    r = tco.resolve("h100-sxm", "us-texas")
    inputs = {row["path"]: row for row in r.provenance() if row["path"] in tco.INPUT_PATHS}
    fab = network.fabric(100_000, r.assumption("switch-radix"), topology="rail-optimized",
                         rails=r["system.scaleout_nics"] // r["system.hosts"])
    peak = catalog.get("accelerators", "h100-sxm").bf16_tflop_per_s * 1e12
    goodput = reliability.optimal_goodput(100_000, 1.97e-5, 60, 900)["goodput"]
    return inputs, fab, peak, goodput


_PARTS = ("system.host_cost_usd", "system.scaleup_switch_cost_usd",
          "system.scaleup_fabric_cost_usd", "system.cooling_cost_usd", "system.rack_power_cost_usd")


def _model(v, fab, peak, goodput, n_acc=100_000.0):
    """The TCO -> run cost formula of siliconomics written out on arrays or floats."""
    hours_year = 8766.0

    def crf(r, life):
        return r / (1.0 - (1.0 + r) ** (-life))

    a = lambda k: v["assumptions." + k]  # noqa: E731
    net_capex = (fab["switches"] * a("switch-cost-usd")
                 + fab["transceivers"] * a("transceiver-cost-usd")) / n_acc
    net_power = (fab["switches"] * a("switch-power-w")
                 + fab["transceivers"] * a("transceiver-power-w")) / n_acc
    per_system = v["system.accelerators"]
    it_w = 1000.0 * v["system.power_kw"] / per_system + net_power
    system = sum(v[k] for k in _PARTS) / per_system
    r = v["financing.cost_of_capital"]
    price = v["accelerator.price_usd"]
    capital = ((price + system) * crf(r, v["financing.accelerator_life_years"])
               + net_capex * crf(r, v["financing.network_life_years"])
               + it_w / 1e6 * v["site.build_cost_usd_per_mw"] * crf(r, v["financing.facility_life_years"]))
    power = it_w * a("power-draw-fraction") * v["site.pue"] * hours_year / 1000.0 \
        * v["site.power_price_usd_per_kwh"]
    ops = (a("it-maintenance-fraction") * (price + system + net_capex)
           + a("facility-opex-usd-per-mw-year") * it_w / 1e6)
    per_hour = (capital + power + ops) / hours_year
    acc_hours = v["training_flop"] / (peak * v["mfu"] * goodput * 3600.0)
    return acc_hours * per_hour


def squigglepy_rate(samples: int, repeat: int) -> tuple[float, float] | None:
    """The same model in squigglepy: ``sq.to`` per input, ``sq.sample``, NumPy arithmetic."""
    try:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import squigglepy as sq
    except ImportError:
        return None
    inputs, fab, peak, goodput = _catalog_inputs()
    bounded = {"site.pue": (1.0, None), "assumptions.power-draw-fraction": (None, 1.0),
               "assumptions.idle-draw-fraction": (None, 1.0)}
    discrete = {"assumptions.switch-radix", "system.accelerators"}

    def run():
        v = {}
        for name, d in inputs.items():
            lo, hi = d.get("low"), d.get("high")
            if lo is not None and hi is not None and lo != hi and name not in discrete:
                lclip, rclip = bounded.get(name, (None, None))
                v[name] = sq.sample(sq.to(lo, hi, lclip=lclip, rclip=rclip), n=samples)
            else:
                v[name] = d["value"]
        v["mfu"] = sq.sample(sq.to(0.3, 0.45), n=samples)
        v["training_flop"] = 3.8e25
        return _model(v, fab, peak, goodput)

    best, mean = math.inf, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        y = run()
        best = min(best, time.perf_counter() - t0)
        mean = float(y.mean())
    return samples / best, mean


def loop_rate(samples: int) -> float:
    """A plain per-sample loop: ``random`` draws, the scalar model, per sample."""
    inputs, fab, peak, goodput = _catalog_inputs()
    z95 = 1.6448536269514722
    discrete = {"assumptions.switch-radix", "system.accelerators"}
    rng = random.Random(1)
    t0 = time.perf_counter()
    for _ in range(samples):
        v = {}
        for name, d in inputs.items():
            lo, hi = d.get("low"), d.get("high")
            if lo is not None and hi is not None and lo != hi and name not in discrete:
                mu = 0.5 * (math.log(lo) + math.log(hi))
                v[name] = rng.lognormvariate(mu, (math.log(hi) - math.log(lo)) / (2 * z95))
            else:
                v[name] = d["value"]
        v["site.pue"] = max(v["site.pue"], 1.0)
        v["assumptions.power-draw-fraction"] = min(v["assumptions.power-draw-fraction"], 1.0)
        v["mfu"] = rng.lognormvariate(0.5 * math.log(0.3 * 0.45), math.log(0.45 / 0.3) / (2 * z95))
        v["training_flop"] = 3.8e25
        _model(v, fab, peak, goodput)
    return samples / (time.perf_counter() - t0)


def peak_memory(samples: int) -> dict:
    """Run ``samples`` in a fresh process; peak resident memory of it and of its workers.

    The parent's peak is its VmHWM (``ru_maxrss`` would carry over the benchmark's own peak
    across exec); each worker's is ``ru_maxrss`` of the largest, which counts the pages it
    shares with the parent again, so parent + workers x largest is an upper bound.
    """
    code = (
        "import json, resource, sys, time\n"
        f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "from montecarlo import _scenario\n"
        "from siliconomics.uncertainty import montecarlo\n"
        f"plan = _scenario().plan(samples={samples})\n"
        "t0 = time.perf_counter(); r = montecarlo.run(plan); dt = time.perf_counter() - t0\n"
        "def hwm():\n"
        "    try:\n"
        "        text = open('/proc/self/status').read()\n"
        "        return int(text.split('VmHWM:')[1].split()[0])\n"
        "    except (OSError, IndexError):\n"
        "        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(json.dumps({'seconds': dt, 'mean': r.metrics['cost_usd'].mean,\n"
        "  'parent_kib': hwm(),\n"
        "  'worker_kib': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    from siliconomics.engine.local import default_workers

    print(f"end-to-end scenario (catalog priors + MFU -> training run cost), "
          f"{default_workers()} cores")
    results = {}
    for n, repeat in ((10**6, 3), (10**7, 2)):
        rate, mean = siliconomics_rate(n, repeat)
        results[n] = (rate, mean)
        row(f"siliconomics local engine, {n:.0e} samples", rate / 1e6, "M samples/s",
            target=">= 5")
    sq_rate = squigglepy_rate(10**6, 3)
    loop = loop_rate(5000)
    rate6, mean6 = results[10**6]
    if sq_rate is not None:
        row("squigglepy (sq.to + sq.sample + NumPy), 1e6", sq_rate[0] / 1e6, "M samples/s")
        print(f"  same model check: mean run cost {mean6 / 1e6:,.1f} M USD (siliconomics) vs "
              f"{sq_rate[1] / 1e6:,.1f} M USD (squigglepy)")
    else:
        print("  squigglepy not installed (pip install 'siliconomics[bench]')")
    row("plain per-sample Python loop", loop / 1e6, "M samples/s")
    print("ratios at 1e6 samples: "
          + (f"siliconomics / squigglepy = {rate6 / sq_rate[0]:.1f}x, " if sq_rate else "")
          + f"siliconomics / loop = {rate6 / loop:,.0f}x")
    mem = peak_memory(10**8)
    peak_mib = (mem["parent_kib"] + default_workers() * mem["worker_kib"]) / 1024
    row("1e8 samples: wall time", mem["seconds"], "s")
    row("1e8 samples: rate", 1e8 / mem["seconds"] / 1e6, "M samples/s", target=">= 5")
    row("1e8 samples: peak memory, parent + workers", peak_mib, "MiB", target="< 1024")
    print(f"  (parent {mem['parent_kib'] / 1024:.0f} MiB, largest worker "
          f"{mem['worker_kib'] / 1024:.0f} MiB x {default_workers()} workers)")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    main()
