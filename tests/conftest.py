"""Shared fixtures."""

import pytest
from typer.testing import CliRunner


@pytest.fixture
def cli():
    """Invoke the CLI in-process: ``cli("tco", "--json")`` -> click Result."""
    from siliconomics.cli import app

    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(app, [str(a) for a in args])

    return invoke
