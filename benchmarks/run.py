"""Run every benchmark script in this folder (``make bench``), print its figures, and end with
every figure that has a target: PASS or MISS (exit 1 if any missed)."""

from __future__ import annotations

import runpy
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))


def main() -> int:
    from _common import RESULTS

    only = set(sys.argv[1:])
    t0 = time.perf_counter()
    for path in sorted(HERE.glob("*.py")):
        if path.name in ("run.py", "_common.py") or (only and path.stem not in only):
            continue
        print(f"== {path.stem} ==", flush=True)
        runpy.run_path(str(path), run_name="__main__")
        print()
    missed = [r for r in RESULTS if not r[4]]
    print(f"== summary: {len(RESULTS) - len(missed)} of {len(RESULTS)} targets met "
          f"in {time.perf_counter() - t0:.0f} s ==")
    for name, value, unit, target, _ in missed:
        print(f"MISS {name}: {value:,.4g} {unit} (target {target})")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
