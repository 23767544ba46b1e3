"""Shared fixtures and the hypothesis profiles.

Tests check correctness, not speed, so no example has a deadline. Under CI (``CI`` set) the
property tests are derandomized: the same examples every run, so a red run is reproducible;
locally they explore new examples each time.
"""

import os

import pytest
from hypothesis import settings
from typer.testing import CliRunner

settings.register_profile("dev", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture
def cli():
    """Invoke the CLI in-process: ``cli("tco", "--json")`` -> click Result."""
    from siliconomics.cli import app

    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(app, [str(a) for a in args])

    return invoke


def unwritable_folder(tmp):
    """A folder this process cannot create files in: a read-only folder under ``tmp``, or, for
    root (who writes anywhere), sysfs, which refuses new files even to root."""
    from pathlib import Path

    d = Path(tmp) / "read-only"
    d.mkdir(exist_ok=True)
    d.chmod(0o555)
    try:
        (d / "probe").touch()
    except OSError:
        return d
    (d / "probe").unlink()
    return Path("/sys")
