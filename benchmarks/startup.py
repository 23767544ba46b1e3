"""Start-up: ``siliconomics --help`` (target under 0.3 s) and whole ``tco``, ``chip`` and
``train`` commands on catalog defaults (target under 0.8 s each), against bare Python."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import median_of, row  # noqa: E402

COMMANDS = {"--help": "< 0.3", "tco": "< 0.8", "chip h100": "< 0.8", "train": "< 0.8"}


def main() -> None:
    def run(args):
        subprocess.run([sys.executable, "-m", "siliconomics", *args], check=True,
                       stdout=subprocess.DEVNULL)

    base = median_of(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True), 7)
    row("python -c pass (baseline)", base, "s")
    for command, target in COMMANDS.items():
        args = command.split()
        run(args)  # first run: fills the parsed-catalog cache, as any earlier command would
        row(f"siliconomics {command}", median_of(lambda a=args: run(a), 7), "s",
            target=f"{target} s")


if __name__ == "__main__":
    main()
