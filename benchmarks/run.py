"""Run every benchmark script in this folder (``make bench``) and print its figures."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

HERE = Path(__file__).parent


def main() -> int:
    only = set(sys.argv[1:])
    for path in sorted(HERE.glob("*.py")):
        if path.name in ("run.py", "_common.py") or (only and path.stem not in only):
            continue
        print(f"== {path.stem} ==", flush=True)
        runpy.run_path(str(path), run_name="__main__")
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
