"""Would a compiled sampler pay for itself? NumPy's block draw against the same draw fused in
Numba, and in numexpr.

A Monte Carlo block's draw (standard normals by Box-Muller, then each input's marginal) is
half of its time on one core (``montecarlo.py`` prints the rest). A compiled kernel would
fuse it into one loop: one pass over memory instead of about ten. This script measures that
kernel (float64 and float32 transcendentals, ``fastmath``, after compilation) against
siliconomics' NumPy draw of the benchmark scenario's block, and the size of the packages it
would add. Numba is not a dependency; with it absent the script says so and measures nothing
(``pip install numba`` to run it).

What decides it on an x86-64 machine without Intel's SVML (the vector maths library Numba
can use; none loads from the package registries here): a fused loop calls scalar ``log``,
``sin``, ``cos`` and ``exp`` per sample, where NumPy's float32 and float64 loops are SIMD, so
fusing saves memory passes but pays more per value. The script prints whether this Numba
uses SVML: the llvmlite wheels of PyPI are built without it (``has_svml()`` is false even
with Intel's runtime, ``intel-cmplr-lib-rt``, installed beside them). numexpr, the other
fused evaluator, is measured too when installed (``pip install numexpr``): its PyPI wheels
have no VML (Intel's vector maths) either, so its fused ``exp(mu + sigma z)`` calls scalar
``exp`` per value.
"""

from __future__ import annotations

import math
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import row  # noqa: E402


def _kernel(dtype):
    """Box-Muller on 23-bit uniforms (as siliconomics draws them), the normals in ``dtype``,
    then exp(mu + s z) in double precision, fused in one loop."""
    import numba
    import numpy as np

    @numba.njit(fastmath=True)
    def fused(bits, mu, sigma, out):
        k, n = out.shape
        h = n // 2
        for i in range(k):
            for j in range(h):
                b = bits[i * h + j]
                u0 = dtype((b >> np.uint64(41)) + 1) * dtype(1.0 / 8388609.0)
                u1 = dtype(b & np.uint64(0x7FFFFF)) * dtype(1.0 / 8388608.0)
                r = math.sqrt(dtype(-2.0) * math.log(u0))
                t = dtype(6.283185307179586) * u1
                out[i, j] = math.exp(mu[i] + sigma[i] * (r * math.cos(t)))
                out[i, j + h] = math.exp(mu[i] + sigma[i] * (r * math.sin(t)))

    return fused


def _median_ms(func, repeat: int = 15) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        func()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1e3


def _installed_mib(*names: str) -> float:
    """Size on disk of installed packages. [MiB]"""
    import importlib.util

    total = 0
    for name in names:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            continue
        for root in spec.submodule_search_locations:
            total += sum(p.stat().st_size for p in Path(root).rglob("*") if p.is_file())
    return total / 2**20


def numexpr_draw() -> None:
    """The marginals' ``exp(mu + sigma z)`` of one block fused in numexpr on one thread, against
    NumPy's three passes (multiply, add, exp) over the same normals."""
    try:
        import numexpr
    except ImportError:
        print("  numexpr not installed: not measured (pip install numexpr to run it)")
        return
    import numpy as np

    from montecarlo import _scenario

    plan = _scenario().plan(samples=2**16)
    z = np.random.default_rng(1).standard_normal(len(plan.names) * plan.block_size(0))
    out = np.empty_like(z)
    numexpr.set_num_threads(1)

    def passes():
        np.multiply(z, 0.2, out=out)
        np.add(out, 1.0, out=out)
        np.exp(out, out=out)

    base = _median_ms(passes)
    print(f"  numexpr {numexpr.__version__}, VML: {bool(numexpr.use_vml)}")
    row("lognormal marginals of a block: NumPy (3 passes)", base, "ms")
    row("lognormal marginals of a block: numexpr (fused, 1 thread)",
        _median_ms(lambda: numexpr.evaluate("exp(1.0 + 0.2 * z)", local_dict={"z": z},
                                           out=out)), "ms",
        baseline=base)


def main() -> None:
    numexpr_draw()
    try:
        import numba
    except ImportError:
        print("  numba not installed: nothing measured (pip install numba to run this)")
        return
    import numpy as np
    from numba.core import config

    from montecarlo import _scenario
    from siliconomics.engine.local import _tune_malloc

    _tune_malloc()
    plan = _scenario().plan(samples=2**16 * 8)
    k, n = len(plan.names), plan.block_size(0)
    numpy_ms = _median_ms(lambda: plan.draw(0))
    rng = np.random.default_rng(1)
    mu, sigma = np.linspace(-1.0, 1.0, k), np.full(k, 0.2)
    out = np.empty((k, n))
    print(f"  one block: {k} inputs x {n:,} samples; numba {numba.__version__}, "
          f"NumPy {np.__version__}; Numba uses SVML: {bool(config.USING_SVML)}")
    row("NumPy draw of a block (siliconomics)", numpy_ms, "ms")
    for name, kernel in (("float64", _kernel(np.float64)), ("float32", _kernel(np.float32))):
        kernel(rng.bit_generator.random_raw(k * n // 2), mu, sigma, out)  # compile
        ms = _median_ms(lambda: kernel(rng.bit_generator.random_raw(k * n // 2), mu, sigma, out))
        row(f"Numba fused draw, {name} normals", ms, "ms", baseline=numpy_ms)
    row("packages a compiled path would add (numba, llvmlite)",
        _installed_mib("numba", "llvmlite"), "MiB")


if __name__ == "__main__":
    main()
