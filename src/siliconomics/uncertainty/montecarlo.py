"""Chunked, streaming Monte Carlo over the vectorised models.

Samples are generated in fixed-size *blocks* of :data:`BLOCK` samples; block ``i`` draws from
its own generator ``PCG64(SeedSequence(seed, spawn_key=(i,)))`` (the ``i``-th child of the
seed): one standard normal per input and sample (:func:`standard_normals`), correlated by the
copula when asked, then mapped by each input's distribution in double precision. The ``qmc``
sampler replaces the pseudo-random normals by a scrambled Sobol net per block
(:func:`sobol_normals`): randomised quasi-Monte Carlo, whose quantiles and means converge
faster for the smooth models here (``benchmarks/montecarlo.py`` measures by how much). Tasks group consecutive blocks, and per-block aggregates are folded in block order, so
the result is bit-for-bit the same whatever the task size, the number of workers or the engine.
Memory is bounded by the tasks in flight, never by the sample count.

Examples
--------
>>> from siliconomics.uncertainty.distributions import Normal
>>> plan = Plan(names=("x",), dists=(Normal(1.0, 2.0),), evaluate=lambda v: {"y": 3 * v["x"]},
...             outputs=("y",), samples=100_000, seed=1)
>>> r = run(plan, workers=1)
>>> abs(r.metrics["y"].mean - 3.0) < 0.1, abs(r.metrics["y"].std - 6.0) < 0.1
(True, True)
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .. import _checks
from ..errors import InputError
from . import correlation
from .distributions import Clipped, Distribution
from .sketch import RELATIVE_ACCURACY, Aggregate

#: Most samples one run may take (about an hour at a few million samples per second); larger
#: studies are several runs with different seeds.
MAX_SAMPLES = 10**10
#: Seeds are 64-bit: ``0 <= seed < 2**64``.
MAX_SEED = 2**64 - 1

#: Samples per seeded block: fixed, so results do not depend on how blocks are grouped.
BLOCK = 2**16
#: Blocks per task by default (2**18 samples: a few tens of MB per task for the TCO model).
BLOCKS_PER_TASK = 4
#: Most blocks per task on a Dask cluster when the tasks keep their samples (2**20 samples,
#: a few hundred MB each), and when they return only aggregates (2**22 samples, a few KB): each
#: task costs the client and scheduler about ten messages (measured: 4-5 ms of the calling
#: process's CPU, taken from the workers when they use every core), so tasks there start large
#: and shrink towards the end, so that the workers finish together.
DASK_BLOCKS_PER_TASK = 16
DASK_BLOCKS_PER_TASK_AGGREGATES = 64
#: Each Dask task takes 1/(DASK_SHARE_PER_THREAD x worker threads) of the blocks left (guided
#: self-scheduling, Polychronopoulos and Kuck 1987), or 1/DASK_SHARE when the thread count is
#: not known in advance (a scheduler address).
DASK_SHARE_PER_THREAD = 2
DASK_SHARE = 8
#: Samplers: pseudo-random normals, or a scrambled Sobol net per block (quasi-Monte Carlo).
SAMPLERS = ("random", "qmc")
#: Largest ``|z|`` :func:`standard_normals` can return: ``sqrt(-2 ln 2**-23)`` = 5.6467 (its
#: uniforms lie on a 2**-23 grid), rounded up.
Z_RANDOM = 5.65
#: Largest ``|z|`` :func:`sobol_normals` can return: ``-ndtri(2**-53)`` = 8.2095, rounded up.
Z_QMC = 8.25
#: Largest sample count kept in memory (``keep_samples``); larger runs must stream to Parquet.
MAX_IN_MEMORY = 50_000_000


def standard_normals(rng: np.random.Generator, k: int, n: int) -> np.ndarray:
    """``k x n`` standard normals (float64) by the Box-Muller transform of float32 uniforms.

    Measured on a 2-core x86-64 machine (NumPy 2, ``benchmarks/montecarlo.py`` prints it each
    run), vectorised single-precision Box-Muller takes under half the time of NumPy's float64
    ziggurat and of its float32 one; the normals are most of the cost of sampling a block. The
    uniforms are made from the generator's raw 64-bit output, each half's top 23 bits put in
    the mantissa of a float in [1, 2) and 1 subtracted (half the time of
    ``Generator.random(dtype=float32)``, which draws them one call at a time). Uniforms on a
    2**-23 grid cap ``|z|`` at ``sqrt(46 ln 2) = 5.65`` (tail probability 1.6e-8), far beyond
    the quantiles reported; the values the models see are computed in double precision. Work
    arrays are reused in place (no temporaries beyond the uniforms).
    """
    m = k * n
    half = (m + 1) // 2
    bits = rng.bit_generator.random_raw(half).view(np.uint32).reshape(2, half)
    bits >>= np.uint32(9)
    bits |= np.uint32(0x3F800000)  # exponent of 1.0: 1 + mantissa / 2**23
    u = bits.view(np.float32)
    u -= np.float32(1.0)
    r, theta = u[0], u[1]
    np.negative(r, out=r)
    np.log1p(r, out=r)
    r *= np.float32(-2.0)
    np.sqrt(r, out=r)  # r = sqrt(-2 ln(1 - u0)), u0 <= 1 - 2**-23
    theta *= np.float32(2.0 * np.pi)
    z = np.empty(2 * half, dtype=np.float64)
    trig = np.cos(theta)
    np.multiply(r, trig, out=z[:half], casting="unsafe")
    np.sin(theta, out=trig)
    np.multiply(r, trig, out=z[half:], casting="unsafe")
    return z[:m].reshape(k, n)


def sobol_normals(seed: int, block: int, k: int, n: int) -> np.ndarray:
    """``k x n`` standard normals from the first ``n`` points of a scrambled Sobol net.

    Block ``block`` of a run draws its own net, scrambled (linear matrix scrambling plus a
    digital shift, Owen 1998; Matousek 1998) by a generator seeded from ``(seed, block)``, so
    blocks are independent randomised-QMC replicates and results do not depend on how blocks
    are grouped or where they run. A block of 2**16 points is a complete net; a shorter last
    block takes the net's first points. Uniforms map to normals through the inverse normal CDF
    (:func:`scipy.special.ndtri`).

    References
    ----------
    .. [1] A. B. Owen, "Scrambling Sobol' and Niederreiter-Xing points", J. Complexity 14
       (1998) 466-489.
    .. [2] S. Joe, F. Y. Kuo, "Constructing Sobol sequences with better two-dimensional
       projections", SIAM J. Sci. Comput. 30 (2008) 2635-2654 (the direction numbers SciPy
       uses).
    """
    import warnings

    from scipy import special
    from scipy.stats import qmc

    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(block, 1))))
    engine = qmc.Sobol(d=k, scramble=True, seed=rng)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "balance properties" of partial nets
        u = engine.random(n)
    # scrambled points lie in (0, 1); keep ndtri finite even at the grid's ends
    np.clip(u, 2.0**-53, 1.0 - 2.0**-53, out=u)
    return special.ndtri(u.T)


@dataclass(frozen=True)
class Plan:
    """Everything needed to draw and evaluate any block: picklable, independent of workers.

    Attributes
    ----------
    names, dists : tuple
        Sampled inputs and their distributions.
    constants : dict
        Inputs held fixed (numbers).
    evaluate : callable
        ``dict of input arrays -> dict of output arrays`` (a registered model's evaluate).
    outputs : tuple of str
        Outputs to summarise.
    samples, seed : int
    rank_correlation : ndarray, optional
        Spearman correlations between ``names`` (identity when None).
    correlation_method : {"copula", "iman-conover"}
    thresholds : dict
        Output name -> thresholds whose exceedance probabilities are reported.
    sampler : {"random", "qmc"}
        Pseudo-random normals (default) or a scrambled Sobol net per block.
    """

    names: tuple
    dists: tuple
    evaluate: Callable
    outputs: tuple
    samples: int
    seed: int = 0
    constants: dict = field(default_factory=dict)
    rank_correlation: Any = None
    correlation_method: str = "copula"
    thresholds: dict = field(default_factory=dict)
    alpha: float = RELATIVE_ACCURACY
    block: int = BLOCK
    sampler: str = "random"

    def __post_init__(self):
        if self.sampler not in SAMPLERS:
            from ..errors import unknown

            raise InputError(unknown("sampler", str(self.sampler), SAMPLERS))
        for name, lo, hi in (("samples", 1, MAX_SAMPLES), ("seed", 0, MAX_SEED)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
                raise InputError(f"{name} must be a whole number, got {value!r}")
            if not lo <= value <= hi:
                raise InputError(f"{name} must be between {lo:,} and {hi:,}, got {value:,}")
        if len(self.names) != len(self.dists):
            raise InputError("names and dists must have the same length")
        if self.correlation_method not in ("copula", "iman-conover"):
            raise InputError(f"correlation method must be copula or iman-conover, got "
                             f"{self.correlation_method!r}")
        if self.rank_correlation is not None:
            correlation.check(self.rank_correlation, self.names)
            object.__setattr__(self, "_factor", correlation.normal_factor(self.rank_correlation))
        else:
            object.__setattr__(self, "_factor", None)
        object.__setattr__(self, "_bounds", self._input_bounds())
        object.__setattr__(self, "_transforms", self._unclipped())

    def _z_limits(self) -> list[float]:
        """Largest ``|z|`` each sampled input's distribution sees in any block: the largest
        normal its sampler gives, after the copula's mixing at most the sum of the absolute
        weights of its row times that. Iman-Conover only reorders values."""
        zmax = Z_QMC if self.sampler == "qmc" else Z_RANDOM
        scale = np.ones(len(self.dists))
        if self._factor is not None and self.correlation_method == "copula":
            # rounding in the weighted sum: far below this relative margin
            scale = np.abs(self._factor).sum(axis=1) * (1.0 + 1e-9)
        return [zmax * float(c) for c in scale]

    @property
    def input_bounds(self) -> tuple[tuple[float, float], ...]:
        """(low, high) holding every value each sampled input takes in any block, in the order
        of :attr:`names` (:meth:`_input_bounds`, computed once)."""
        return self._bounds

    def _input_bounds(self) -> tuple[tuple[float, float], ...]:
        """Bounds of every sampled input's values in any block: each distribution's image of
        its largest normal (:meth:`_z_limits`)."""
        return tuple(d.bounds(z) for d, z in zip(self.dists, self._z_limits()))

    def _unclipped(self) -> tuple[Distribution, ...]:
        """The distributions a block's normals go through: a clipped one whose base never
        leaves the clip's range at any normal the sampler gives (a catalog domain such as
        ``>= 0`` around a lognormal) by its base alone, the same values without the clip's
        pass over the block."""
        out = []
        for d, z in zip(self.dists, self._z_limits()):
            if isinstance(d, Clipped):
                lo, hi = d.base.bounds(z)
                if (d.low is None or lo >= d.low) and (d.high is None or hi <= d.high):
                    d = d.base
            out.append(d)
        return tuple(out)

    @property
    def n_blocks(self) -> int:
        return -(-int(self.samples) // self.block)

    def block_size(self, i: int) -> int:
        return min(self.block, int(self.samples) - i * self.block)

    def generator(self, i: int) -> np.random.Generator:
        """Generator of block ``i``: the ``i``-th SeedSequence child of the seed."""
        return np.random.Generator(np.random.PCG64(np.random.SeedSequence(self.seed, spawn_key=(i,))))

    def draw(self, i: int) -> dict[str, np.ndarray]:
        """Inputs of block ``i``: sampled arrays plus constants."""
        n = self.block_size(i)
        rng = self.generator(i)
        k = len(self.names)
        values = dict(self.constants)
        if k == 0:
            return values
        if self.sampler == "qmc":
            z = sobol_normals(self.seed, i, k, n)
        else:
            z = standard_normals(rng, k, n)
        if self._factor is not None and self.correlation_method == "copula":
            z = correlation.mix(self._factor, z)
        # the normals are this block's own: each row becomes its input's values in place
        cols = [d.from_normal_into(z[j]) for j, d in enumerate(self._transforms)]
        if self.rank_correlation is not None and self.correlation_method == "iman-conover":
            mixed = correlation.iman_conover(np.column_stack(cols), self.rank_correlation, rng)
            cols = [mixed[:, j] for j in range(k)]
        values.update(zip(self.names, cols))
        return values

    def evaluate_block(self, i: int) -> tuple[dict, dict]:
        """(inputs, outputs broadcast to the block size) of block ``i``."""
        inputs = self.draw(i)
        n = self.block_size(i)
        # the inputs' range checks are proved once by their distributions' bounds, not run
        # over every block's samples
        with _checks.known_bounds((inputs[name], lo, hi)
                                  for name, (lo, hi) in zip(self.names, self._bounds)):
            raw = self.evaluate(inputs)
            missing = [o for o in self.outputs if o not in raw]
            if missing:
                from ..errors import unknown

                raise InputError(unknown("output", missing[0], sorted(raw)))
            # a model may compute its outputs when read (scenario.models.Outputs): only the
            # run's own, inside the inputs' known bounds
            out = {o: np.broadcast_to(np.asarray(raw[o], dtype=float), (n,))
                   for o in self.outputs}
        return inputs, out


def _tasks(n_blocks: int, per_task: int | None, local: bool, *, threads: int | None = None,
           keep: bool = True) -> list[range]:
    """Consecutive block ranges, one per task.

    ``per_task`` blocks each when given (the last task takes the rest). By default, local
    engines take :data:`BLOCKS_PER_TASK`; a Dask cluster takes larger tasks that shrink towards
    the end of the run (guided self-scheduling: each task takes a share of the blocks left,
    1/(:data:`DASK_SHARE_PER_THREAD` x ``threads``), or 1/:data:`DASK_SHARE` when ``threads``
    is unknown, between 1 and :data:`DASK_BLOCKS_PER_TASK` blocks, or
    :data:`DASK_BLOCKS_PER_TASK_AGGREGATES` when the tasks ``keep`` no samples), so few round
    trips are paid early and the workers still finish within about a block of each other.
    Results never depend on the split.

    >>> [len(r) for r in _tasks(10, 4, local=True)]
    [4, 4, 2]
    >>> [len(r) for r in _tasks(40, None, local=False)]
    [5, 5, 4, 4, 3, 3, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1]
    >>> [len(r) for r in _tasks(153, None, local=False, threads=2, keep=False)]
    [39, 29, 22, 16, 12, 9, 7, 5, 4, 3, 2, 2, 1, 1, 1]
    """
    if per_task is None and local:
        per_task = BLOCKS_PER_TASK
    if per_task is not None:
        return [range(s, min(s + per_task, n_blocks)) for s in range(0, n_blocks, per_task)]
    share = DASK_SHARE if not threads else DASK_SHARE_PER_THREAD * int(threads)
    cap = DASK_BLOCKS_PER_TASK if keep else DASK_BLOCKS_PER_TASK_AGGREGATES
    out, start = [], 0
    while start < n_blocks:
        size = min(cap, max(1, -(-(n_blocks - start) // share)))
        out.append(range(start, start + size))
        start += size
    return out


def _dask_threads(engine: str, workers: int | None, client) -> int | None:
    """Worker threads a Dask run will have: the client's cluster's, or those of the local
    cluster the engine starts (one thread per worker); None for a scheduler address (not
    asked before the run connects)."""
    if client is not None:
        return sum(client.nthreads().values()) or None
    if engine == "dask":
        from ..engine.local import default_workers

        return int(workers) if workers else default_workers()
    return None


def _task(plan: Plan, blocks: range, keep: bool):
    """Per-block aggregates (and optionally samples) of consecutive blocks."""
    result = []
    for i in blocks:
        inputs, out = plan.evaluate_block(i)
        aggs = {}
        for name in plan.outputs:
            a = Aggregate(tuple(plan.thresholds.get(name, ())), plan.alpha)
            a.add(out[name])
            aggs[name] = a
        kept = None
        if keep:
            n = plan.block_size(i)
            kept = {k: np.broadcast_to(np.asarray(v, dtype=float), (n,)).copy()
                    for k, v in inputs.items() if k in plan.names}
            kept.update({k: np.array(v) for k, v in out.items()})
        result.append((aggs, kept))
    return result


@dataclass
class MonteCarloResult:
    """Aggregates of every output, plus run metadata and (optionally) the samples."""

    metrics: dict[str, Aggregate]
    samples: int
    seed: int
    engine: str
    seconds: float
    inputs: dict[str, str] = field(default_factory=dict)
    values: dict[str, np.ndarray] | None = None
    samples_out: str | None = None
    sampler: str = "random"

    def summary(self, name: str) -> dict:
        return self.metrics[name].summary()

    def _repr_html_(self) -> str:
        """Notebook display: each output's median and 90% interval, then the run's setup."""
        import html

        rows = "".join(
            f"<tr><td>{html.escape(name)}</td>"
            + "".join(f"<td style='text-align:right'>{s[q]:,.4g}</td>"
                      for q in ("p5", "p50", "p95", "mean"))
            + "</tr>"
            for name, s in ((n, a.summary()) for n, a in self.metrics.items()))
        first = next(iter(self.metrics), None)
        head = ""
        if first is not None:
            s = self.metrics[first].summary()
            head = (f"<div style='font-size:1.4em'>{html.escape(first)}: {s['p50']:,.4g} "
                    f"(90%: {s['p5']:,.4g} to {s['p95']:,.4g})</div>")
        inputs = "".join(f"<tr><td>{html.escape(k)}</td><td>{html.escape(str(v))}</td></tr>"
                         for k, v in list(self.inputs.items())[:20])
        more = len(self.inputs) - 20
        return (f"<div><b>Monte Carlo: {self.samples:,} samples, seed {self.seed}, "
                f"{self.seconds:.2f} s</b>{head}<table><caption style='text-align:left'>Outputs"
                "</caption><tr><th>output</th><th>5%</th><th>median</th><th>95%</th>"
                f"<th>mean</th></tr>{rows}</table><table><caption style='text-align:left'>"
                f"Sampled inputs{f' (first 20 of {len(self.inputs)})' if more > 0 else ''}"
                f"</caption>{inputs}</table></div>")

    def to_dict(self) -> dict:
        """JSON-ready: ``metrics: {name: {mean, std, p5, p50, p95, ...}}`` and the run's setup."""
        return {
            "samples": self.samples,
            "seed": self.seed,
            "sampler": self.sampler,
            "engine": self.engine,
            "seconds": self.seconds,
            "samples_per_second": self.samples / self.seconds if self.seconds > 0 else math.inf,
            "inputs": self.inputs,
            "metrics": {k: a.summary() for k, a in self.metrics.items()},
            **({"samples_out": self.samples_out} if self.samples_out else {}),
        }


def run(plan: Plan, *, engine: str | None = None, workers: int | None = None, client=None,
        blocks_per_task: int | None = None, keep_samples: bool = False,
        samples_out: str | Path | None = None, progress: bool = False) -> MonteCarloResult:
    """Run ``plan``: draw, evaluate and aggregate every block on ``engine``.

    Parameters
    ----------
    engine : str, optional
        ``"local"`` (a process pool; the default), ``"threads"``, ``"processes"``, ``"dask"``
        (a local Dask cluster) or a scheduler address (``"tcp://host:8786"``).
    workers : int, optional
        Worker count (default: the cores available).
    client : distributed.Client, optional
        Run on this Dask client's cluster (``engine`` may then be omitted or ``"dask"``; a
        local engine with a client is refused rather than the client ignored).
    blocks_per_task : int, optional
        Blocks of :data:`BLOCK` samples per task; changes speed and memory, never results.
        Default: :data:`BLOCKS_PER_TASK` on the local engines; on Dask, tasks that shrink
        towards the end, sized by the cluster's worker threads (see :func:`_tasks`).
    keep_samples : bool
        Also return every input and output sample in memory (up to :data:`MAX_IN_MEMORY`).
    samples_out : path, optional
        Stream every sample to this Parquet file (written to a temporary file, renamed at the
        end, so a failed run leaves no partial file).
    progress : bool
        Show a Rich progress bar on stderr.
    """
    from ..engine import LOCAL_ENGINES, check_engine, get_mapper
    from ..io import check_file, held_signals, temporary_name

    if client is not None:
        if engine not in (None, "dask"):
            from ..errors import EngineError

            raise EngineError(f"a Dask client runs on its own cluster; drop engine={engine!r} "
                              "(or pass engine='dask') to use it")
        engine = "dask"
    engine = check_engine("local" if engine is None else engine)
    if blocks_per_task is not None and blocks_per_task < 1:
        raise InputError(f"blocks_per_task must be >= 1, got {blocks_per_task}")
    if keep_samples and plan.samples > MAX_IN_MEMORY:
        raise InputError(f"samples {plan.samples:,} is beyond what fits in memory "
                         f"(max {MAX_IN_MEMORY:,}); stream them with samples_out=FILE.parquet")
    keep = keep_samples or samples_out is not None
    local = engine in LOCAL_ENGINES
    tasks = _tasks(plan.n_blocks, blocks_per_task, local=local, keep=keep,
                   threads=None if local else _dask_threads(engine, workers, client))
    if engine in ("local", "processes") and plan.n_blocks > 1:
        _warm(plan)
    mapper = get_mapper(engine, workers=workers, client=client)
    import functools

    func = functools.partial(_task, plan, keep=keep)
    metrics = {name: Aggregate(tuple(plan.thresholds.get(name, ())), plan.alpha)
               for name in plan.outputs}
    kept_parts: list = []
    writer = tmp = None
    t0 = time.perf_counter()
    bar = _progress(progress, plan.n_blocks)
    if samples_out is not None:
        samples_out = check_file(samples_out, what="samples file", suffixes=(".parquet",))
    try:
        if samples_out is not None:
            tmp = temporary_name(samples_out)
        for blocks in mapper(func, tasks):
            for aggs, kept in blocks:
                for name in plan.outputs:
                    metrics[name].merge(aggs[name])
                if kept is not None:
                    if samples_out is not None:
                        writer = _write_parquet(writer, tmp, kept)
                    if keep_samples:
                        kept_parts.append(kept)
                if bar is not None:
                    bar[0].advance(bar[1])
        if writer is not None:
            writer.close()
            writer = None
            with held_signals():
                os.replace(tmp, samples_out)
    except BaseException:
        with held_signals():
            if writer is not None:
                writer.close()
            if tmp is not None:
                tmp.unlink(missing_ok=True)
        raise
    finally:
        if bar is not None:
            bar[0].stop()
    seconds = time.perf_counter() - t0
    values = None
    if keep_samples:
        names = list(kept_parts[0]) if kept_parts else []
        values = {k: np.concatenate([p[k] for p in kept_parts]) for k in names}
    return MonteCarloResult(
        metrics=metrics, samples=int(plan.samples), seed=plan.seed, engine=engine,
        seconds=seconds, inputs={n: d.describe() for n, d in zip(plan.names, plan.dists)},
        values=values, samples_out=str(samples_out) if samples_out is not None else None,
        sampler=plan.sampler)


def estimate(plan: Plan, *, workers: int | None = None) -> dict:
    """Expected wall time and output size of running ``plan``, from one timed trial block.

    Returns ``seconds`` (at the trial's rate times the workers, so optimistic when workers
    share cores), ``rate`` [samples/s], ``workers`` and ``bytes_out``: the size of every
    sample of every input and output written out (8 bytes each, before compression).
    """
    from ..engine.local import default_workers

    n = min(plan.samples, 2**14)
    _trial(plan, n)  # first call: imports and caches
    t0 = time.perf_counter()
    _trial(plan, n)
    per_sample = (time.perf_counter() - t0) / n
    w = default_workers() if workers is None else int(workers)
    rate = w / max(per_sample, 1e-12)
    columns = len(plan.names) + len(plan.outputs)
    return {"seconds": plan.samples / rate, "rate": rate, "workers": w,
            "bytes_out": 8.0 * columns * plan.samples}


def _trial(plan: Plan, n: int) -> None:
    """Evaluate one block of ``n`` samples of ``plan`` here (results discarded)."""
    import dataclasses

    dataclasses.replace(plan, samples=n, block=n).evaluate_block(0)


def _warm(plan: Plan) -> None:
    """Evaluate a few samples here first: the modules a model imports on first use and the
    caches it fills are then inherited by forked workers instead of rebuilt in each (without
    it, each worker's first block took ten times a normal one)."""
    _trial(plan, 64)


def _write_parquet(writer, path: Path, columns: dict):
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:  # pragma: no cover - depends on the environment
        raise InputError("writing samples needs pyarrow: pip install 'siliconomics[export]'") from None
    table = pa.table({k: pa.array(v) for k, v in columns.items()})
    if writer is None:
        writer = pq.ParquetWriter(str(path), table.schema)
    writer.write_table(table)
    return writer


def _progress(enabled: bool, total: int):
    if not enabled:
        return None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    p = Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                 TimeRemainingColumn(), console=Console(stderr=True), transient=True)
    task = p.add_task("Monte Carlo blocks", total=total)
    p.start()
    return p, task


def evaluate_at(plan: Plan, values: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Outputs at given input values (for sensitivity designs): constants filled in."""
    inputs = {**plan.constants, **values}
    n = max((np.size(v) for v in values.values()), default=1)
    raw = plan.evaluate(inputs)
    return {o: np.broadcast_to(np.asarray(raw[o], dtype=float), (n,)) for o in plan.outputs}


def distribution_of(plan: Plan, name: str) -> Distribution:
    return plan.dists[plan.names.index(name)]
