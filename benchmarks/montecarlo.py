"""Monte Carlo throughput, accuracy and memory: accelerator price -> TCO -> training run cost.

The default end-to-end scenario: a 100,000-H100 cluster in Texas, every catalog range sampled
as its 90% interval (21 uncertain inputs), a 3.8e25 FLOP run (Llama 3.1 405B, Meta 2024) at an
uncertain MFU; output: the run's cost. The same model and distributions run three ways, side
by side: siliconomics (the scenario through ``montecarlo.run``), squigglepy (``sq.to`` per
input, ``sq.sample``, NumPy arithmetic on the samples) and hand-fused NumPy (NumPy's lognormal
per input, the formula written out). Every figure is the median of several runs.

Targets: >= 5 million samples/s end to end on the 2 cores; >= 3x squigglepy on one core;
peak memory < 1 GiB at 10^8 samples; Dask >= 1.8x from 1 to 2 workers at 10^7 and at 10^8
samples, results identical.
Also printed: what siliconomics' own sampling and aggregation reach on one core with the
hand-fused formula in place of the model chain (the ceiling of any faster model evaluation,
fused or compiled, against the per-core target; ``compiled.py`` measures a compiled draw),
the samplers (Box-Muller against NumPy's ziggurat), the accuracy gained by quasi-Monte Carlo
at equal sample counts, and the speed-up this machine itself gives the same blocks from 1 to
2 plain processes (the ceiling of any engine's 1-to-2-worker speed-up).
"""

from __future__ import annotations

import json
import math
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import median_of, row  # noqa: E402

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
"assumptions.hot-spare-fraction" = 0.05
"assumptions.repair-hours" = 48

[outputs]
metrics = ["cost_usd"]
"""
OUTPUT = "cost_usd"


def _scenario():
    from siliconomics.scenario import Scenario

    return Scenario.from_text(SCENARIO, path="benchmark.toml")


def siliconomics_rate(samples: int, repeat: int, workers: int | None = None,
                      sampler: str = "random") -> tuple[float, float]:
    """Median samples/s of ``repeat`` runs, and the mean of the output."""
    from siliconomics.uncertainty import montecarlo

    plan = _scenario().plan(samples=samples, sampler=sampler)
    times, mean = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        r = montecarlo.run(plan, workers=workers)
        times.append(time.perf_counter() - t0)
        mean = r.metrics[OUTPUT].mean
    return samples / statistics.median(times), mean


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


#: Catalog domains the distributions are clipped to, and inputs held at their value.
_BOUNDED = {"site.pue": (1.0, None), "assumptions.power-draw-fraction": (None, 1.0),
            "assumptions.idle-draw-fraction": (None, 1.0)}
_DISCRETE = {"assumptions.switch-radix", "system.accelerators"}


def _median_rate(samples: int, repeat: int, draw) -> tuple[float, float]:
    """Median samples/s of the model over inputs from ``draw(lo, hi, clip)``, and its mean."""
    inputs, fab, peak, goodput = _catalog_inputs()

    def run():
        v = {}
        for name, d in inputs.items():
            lo, hi = d.get("low"), d.get("high")
            if lo is not None and hi is not None and lo != hi and name not in _DISCRETE:
                v[name] = draw(lo, hi, _BOUNDED.get(name, (None, None)))
            else:
                v[name] = d["value"]
        v["mfu"] = draw(0.3, 0.45, (None, None))
        v["training_flop"] = 3.8e25
        return _model(v, fab, peak, goodput)

    times, mean = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        y = run()
        times.append(time.perf_counter() - t0)
        mean = float(y.mean())
    return samples / statistics.median(times), mean


def squigglepy_rate(samples: int, repeat: int) -> tuple[float, float] | None:
    """The same model in squigglepy: ``sq.to`` per input, ``sq.sample``, NumPy arithmetic."""
    try:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import squigglepy as sq
    except ImportError:
        return None
    return _median_rate(samples, repeat, lambda lo, hi, clip: sq.sample(
        sq.to(lo, hi, lclip=clip[0], rclip=clip[1]), n=samples))


def numpy_rate(samples: int, repeat: int) -> tuple[float, float]:
    """The same model hand-fused in NumPy: one lognormal draw per input (NumPy's generator),
    the clips of the catalog's domains, the formula written out."""
    import numpy as np

    z95 = 1.6448536269514722
    rng = np.random.default_rng(1)

    def draw(lo, hi, clip):
        mu = 0.5 * (math.log(lo) + math.log(hi))
        x = rng.lognormal(mu, (math.log(hi) - math.log(lo)) / (2 * z95), samples)
        return np.clip(x, clip[0], clip[1], out=x) if clip != (None, None) else x

    return _median_rate(samples, repeat, draw)


def sampler_floor_rate(samples: int, repeat: int) -> float:
    """Median samples/s on one core of siliconomics' own blocks (sampler, transforms,
    aggregation) with the hand-fused formula in place of the model chain: the most any faster
    evaluation of the model (fused, compiled) could reach with this sampler."""
    from siliconomics.engine.local import _tune_malloc
    from siliconomics.uncertainty import montecarlo
    from siliconomics.uncertainty.sketch import Aggregate

    _tune_malloc()
    inputs, fab, peak, goodput = _catalog_inputs()
    plan = _scenario().plan(samples=samples)

    def block(i):
        v = plan.draw(i)
        w = {k: v.get(k, d["value"]) for k, d in inputs.items()}
        w["mfu"], w["training_flop"] = v["assumptions.training-mfu"], 3.8e25
        Aggregate((), plan.alpha).add(_model(w, fab, peak, goodput))

    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for i in range(plan.n_blocks):
            block(i)
        times.append(time.perf_counter() - t0)
    return samples / statistics.median(times)


def loop_rate(samples: int) -> float:
    """A plain per-sample loop: ``random`` draws, the scalar model, per sample."""
    inputs, fab, peak, goodput = _catalog_inputs()
    z95 = 1.6448536269514722
    discrete = _DISCRETE
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
    across exec); each forked worker's is ``ru_maxrss`` of the largest, which counts the pages
    it shares with the parent again, so parent + forked workers x largest is an upper bound.
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


def samplers() -> None:
    """Normals for one block (21 inputs x 2**16): the sampler used against NumPy's own."""
    import numpy as np

    from siliconomics.uncertainty.montecarlo import BLOCK, sobol_normals, standard_normals

    k, n = 21, BLOCK
    rng = np.random.default_rng(0)
    ours = _median_ms(lambda: standard_normals(rng, k, n))
    row("normals per block: Box-Muller float32 (used)", ours, "ms")
    row("normals per block: NumPy ziggurat float64", _median_ms(
        lambda: rng.standard_normal((k, n))), "ms", baseline=ours)
    row("normals per block: NumPy ziggurat float32", _median_ms(
        lambda: rng.standard_normal((k, n), dtype=np.float32)), "ms", baseline=ours)
    row("normals per block: scrambled Sobol + ndtri (qmc)", _median_ms(
        lambda: sobol_normals(1, 0, k, n)), "ms", baseline=ours)


def _median_ms(func, repeat: int = 15) -> float:
    return 1e3 * median_of(func, repeat)


def qmc_accuracy(n: int = 2**14, seeds: int = 16) -> None:
    """Spread of the estimates over independent seeds, plain against quasi-Monte Carlo: the
    variance ratio is the factor of samples QMC saves for the same accuracy."""
    import numpy as np

    from siliconomics.uncertainty import montecarlo

    sc = _scenario()
    est = {}
    for sampler in ("random", "qmc"):
        rows = []
        for seed in range(seeds):
            r = montecarlo.run(sc.plan(samples=n, seed=seed, sampler=sampler), workers=1,
                               keep_samples=True)
            y = r.values[OUTPUT]
            rows.append([y.mean(), *np.quantile(y, [0.05, 0.5, 0.95])])
        est[sampler] = np.array(rows)
    ratio = (est["random"].std(axis=0, ddof=1) / est["qmc"].std(axis=0, ddof=1)) ** 2
    print(f"QMC accuracy at {n:,} samples ({seeds} seeds each): variance of plain / QMC "
          f"estimates: mean {ratio[0]:,.0f}x, p5 {ratio[1]:.1f}x, p50 {ratio[2]:.1f}x, "
          f"p95 {ratio[3]:.1f}x (the same accuracy with that many times fewer samples)")


_CEILING_PLAN = None


def _ceiling_blocks(blocks: range) -> int:
    from siliconomics.uncertainty import montecarlo

    montecarlo._task(_CEILING_PLAN, blocks, False)
    return len(blocks)


def machine_scaling(blocks: int = 24, repeat: int = 5) -> float:
    """What this machine allows: the same blocks evaluated by 1 and by 2 plain forked
    processes at once (no engine, no scheduler, warm heaps), run in turn; the ratio of
    their rates is the ceiling any engine's speed-up from 1 to 2 workers runs into here."""
    import multiprocessing

    from siliconomics.engine.local import _tune_malloc

    global _CEILING_PLAN
    _CEILING_PLAN = _scenario().plan(samples=blocks * 2**16)
    ctx = multiprocessing.get_context("fork")
    times: dict[int, list[float]] = {1: [], 2: []}
    with ctx.Pool(1, initializer=_tune_malloc) as one, ctx.Pool(2, initializer=_tune_malloc) as two:
        for pool, k in ((one, 1), (two, 2)):  # warm: every process's heap and caches
            pool.map(_ceiling_blocks, [range(i, i + 2) for i in range(0, 2 * k, 2)], chunksize=1)
        for _ in range(repeat):
            for pool, k in ((one, 1), (two, 2)):
                t0 = time.perf_counter()
                pool.map(_ceiling_blocks, [range(0, blocks)] * k, chunksize=1)
                times[k].append(time.perf_counter() - t0)
    ratio = 2 * statistics.median(times[1]) / statistics.median(times[2])
    row("machine: same blocks in 1 and 2 plain processes", ratio, "x")
    return ratio


def dask_scaling(sizes: tuple[tuple[int, int], ...] = ((10**7, 5), (10**8, 3))) -> None:
    """The same run on a LocalCluster of 1 and of 2 workers, at each (samples, repeats) of
    ``sizes``. Each timed run has its cluster to itself: the cluster is started (and its
    workers warmed, as the local pool's forked workers are) just before and closed just after,
    not counted, and the two sizes alternate (1, 2, 1, 2, ...) so a change in the machine's
    load reaches both alike. A second cluster left idle beside the timed one is not: its
    scheduler and workers' heartbeats take their time from a run that already has a worker on
    every core, and cost the 2-worker runs 5-6% here. 10^7 samples take about a second on 2
    workers, so the scheduler's round trips and the last task's wait weigh on it; 10^8 is the
    scale a cluster is for."""
    try:
        import distributed
    except ImportError:
        print("  dask not installed (pip install 'siliconomics[dask]')")
        return
    from siliconomics.engine.dask import local_cluster
    from siliconomics.uncertainty import montecarlo

    counts = (1, 2)
    warm = _scenario().plan(samples=16 * montecarlo.BLOCK)
    for samples, repeat in sizes:
        plan = _scenario().plan(samples=samples)
        times: dict[int, list[float]] = {w: [] for w in counts}
        summaries = {}
        for _ in range(repeat):
            for workers in counts:
                # the cluster the dask engine starts for a run (engine.dask.local_cluster)
                with local_cluster(workers) as cluster, distributed.Client(cluster) as client:
                    montecarlo.run(warm, client=client, blocks_per_task=1)
                    t0 = time.perf_counter()
                    r = montecarlo.run(plan, client=client)
                    times[workers].append(time.perf_counter() - t0)
                    summaries[workers] = r.metrics[OUTPUT].summary()
        rates = {w: samples / statistics.median(times[w]) for w in counts}
        size = f"1e{round(math.log10(samples))}"
        for workers in counts:
            row(f"Dask LocalCluster, {workers} worker(s), {size} samples",
                rates[workers] / 1e6, "M samples/s")
        row(f"Dask speed-up from 1 to 2 workers, {size} samples", rates[2] / rates[1], "x",
            target=">= 1.8")
        same = summaries[1] == summaries[2]
        print(f"  results identical on 1 and 2 workers: {same}")
        if not same:
            from _common import RESULTS

            RESULTS.append((f"Dask results identical, {size}", 0.0, "", "identical", False))
    machine_scaling()


def main() -> None:
    from siliconomics.engine.local import default_workers

    cores = default_workers()
    print(f"end-to-end scenario (catalog priors + MFU -> training run cost), {cores} cores")
    rate6, mean6 = siliconomics_rate(10**6, 5)
    row(f"siliconomics, {cores} workers, 1e6 samples", rate6 / 1e6, "M samples/s",
        target=">= 5")
    rate7, _ = siliconomics_rate(10**7, 3)
    row(f"siliconomics, {cores} workers, 1e7 samples", rate7 / 1e6, "M samples/s",
        target=">= 5")
    one, _ = siliconomics_rate(10**6, 5, workers=1)
    row("siliconomics, 1 worker, 1e6 samples", one / 1e6, "M samples/s")
    fused, mean_np = numpy_rate(10**6, 5)
    row("hand-fused NumPy, 1 core, 1e6 samples", fused / 1e6, "M samples/s")
    sq_rate = squigglepy_rate(10**6, 5)
    if sq_rate is not None:
        row("squigglepy (sq.to + sq.sample + NumPy), 1 core", sq_rate[0] / 1e6, "M samples/s")
        row("per core: siliconomics / squigglepy", one / sq_rate[0], "x", target=">= 3")
        print(f"  same model: mean run cost {mean6 / 1e6:,.1f} M USD (siliconomics), "
              f"{sq_rate[1] / 1e6:,.1f} (squigglepy), {mean_np / 1e6:,.1f} (NumPy)")
    else:
        print("  squigglepy not installed (pip install 'siliconomics[bench]')")
    row("per core: siliconomics / hand-fused NumPy", one / fused, "x")
    floor = sampler_floor_rate(10**6, 5)
    row("ceiling: our sampler + hand-fused model, 1 core", floor / 1e6, "M samples/s")
    if sq_rate is not None:
        row("  that ceiling / squigglepy", floor / sq_rate[0], "x")
    loop = loop_rate(5000)
    row("plain per-sample Python loop", loop / 1e6, "M samples/s")
    print(f"ratio at 1e6 samples: siliconomics / loop = {rate6 / loop:,.0f}x")
    samplers()
    qmc_accuracy()
    mem = peak_memory(10**8)
    # the calling process is one of the workers: it and cores - 1 forked ones
    children = max(cores - 1, 1)
    peak_mib = (mem["parent_kib"] + children * mem["worker_kib"]) / 1024
    row("1e8 samples: wall time", mem["seconds"], "s")
    row("1e8 samples: rate", 1e8 / mem["seconds"] / 1e6, "M samples/s", target=">= 5")
    row("1e8 samples: peak memory, parent + workers", peak_mib, "MiB", target="< 1024")
    print(f"  (parent {mem['parent_kib'] / 1024:.0f} MiB, largest worker "
          f"{mem['worker_kib'] / 1024:.0f} MiB x {children} forked workers)")
    dask_scaling()


if __name__ == "__main__":
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    main()
