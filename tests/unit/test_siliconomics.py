"""The package's public API: lazy submodules, top-level names, the version."""

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import siliconomics as sx
from siliconomics import errors

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def test_version_is_the_project_version():
    assert sx.__version__ == tomllib.loads(PYPROJECT.read_text())["project"]["version"]


def test_submodules_load_on_first_access():
    import siliconomics.tco
    import siliconomics.workloads.training

    assert sx.tco is siliconomics.tco
    assert sx.training is siliconomics.workloads.training
    assert sx.inference.__name__ == "siliconomics.workloads.serving"
    assert sx.serving is sx.inference


def test_every_public_name_resolves():
    for name in sx.__all__:
        assert getattr(sx, name) is not None, name


def test_top_level_classes_are_the_package_s_own():
    from siliconomics.results import Breakdown
    from siliconomics.scenario import Scenario

    assert sx.Breakdown is Breakdown and sx.Scenario is Scenario
    assert sx.InputError is errors.InputError and sx.SiliconomicsError is errors.SiliconomicsError


def test_unknown_attribute():
    with pytest.raises(AttributeError, match="module 'siliconomics' has no attribute 'tcoo'"):
        sx.tcoo  # noqa: B018


def test_import_stays_light():
    """``import siliconomics`` loads no model and no numerical library until one is used."""
    code = ("import sys, siliconomics; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('numpy', 'pint', 'pandas', 'scipy', 'siliconomics')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['siliconomics', 'siliconomics.errors']"
