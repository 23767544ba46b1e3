"""Two scenario files compared on common random numbers."""

from pathlib import Path

import numpy as np
import pytest

from siliconomics.errors import InputError, ScenarioError
from siliconomics.scenario import Scenario
from siliconomics.scenario.compare import compare

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def test_texas_vs_johor_pairs_the_shared_inputs():
    p, a, b = compare(EXAMPLES / "tco_texas.toml", EXAMPLES / "tco_johor.toml", samples=3000)
    assert a.name.endswith("us-texas") and b.name.endswith("malaysia-johor")
    assert p.samples == 3000 and len(p.a["usd_per_accelerator_hour"]) == 3000
    assert "accelerator.price_usd" in p.shared and "utilization" in p.shared
    d = p.difference("usd_per_accelerator_hour")
    spread_a = np.std(p.a["usd_per_accelerator_hour"])
    assert np.std(d) < 0.2 * spread_a  # what the sites share cancels in the difference


def test_a_scenario_against_itself_differs_by_nothing():
    sc = Scenario.from_file(EXAMPLES / "tco_texas.toml")
    p, _, _ = compare(sc, sc, samples=2000)
    assert np.all(p.difference("power_share") == 0.0)


def test_different_metrics_name_the_files():
    with pytest.raises((InputError, ScenarioError), match="tco_texas.toml and "
                       "tco_texas_vs_johor.toml report different metrics"):
        compare(EXAMPLES / "tco_texas.toml", EXAMPLES / "tco_texas_vs_johor.toml")
