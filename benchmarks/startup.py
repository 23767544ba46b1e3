"""Start-up time of ``siliconomics --help`` (target: under 0.5 s), against bare Python."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import median_of, row  # noqa: E402


def main() -> None:
    def cli():
        subprocess.run([sys.executable, "-m", "siliconomics", "--help"], check=True,
                       stdout=subprocess.DEVNULL)

    def bare():
        subprocess.run([sys.executable, "-c", "pass"], check=True)

    base = median_of(bare, 7)
    t = median_of(cli, 7)
    row("python -c pass (baseline)", base, "s")
    row("siliconomics --help", t, "s", target="< 0.5 s")
    row("siliconomics --help minus interpreter start", t - base, "s")


if __name__ == "__main__":
    main()
