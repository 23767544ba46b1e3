"""Scale-out fabric sizing: tiers, switches, optics and NICs; fat-tree and rail-optimised."""

import numpy as np
import pytest

from siliconomics.datacenter import network
from siliconomics.errors import InputError


@pytest.mark.parametrize(
    ("n", "k", "tiers"),
    [(1, 64, 1), (64, 64, 1), (65, 64, 2), (2048, 64, 2), (2049, 64, 3), (65536, 64, 3),
     (65537, 64, 4), (100_000, 128, 3), (8192, 128, 2)],
)
def test_tiers_needed(n, k, tiers):
    assert network.tiers_needed(n, k) == tiers
    assert network.max_endpoints(k, tiers) >= n


def test_fabric_two_tier_counts():
    f = network.fabric(2048, 64, switch_cost_usd=20_000, transceiver_cost_usd=500,
                       nic_cost_usd=1_500, switch_power_w=1_000, transceiver_power_w=15,
                       nic_power_w=25)
    assert f["switches"] == 64 + 32  # 64 leaves (2N/k) + 32 spines (N/k)
    assert f["links"] == 2 * 2048
    assert f["transceivers"] == 4 * 2048
    assert f["capex_usd"] == pytest.approx(96 * 20_000 + 8192 * 500 + 2048 * 1_500)
    assert f["power_w"] == pytest.approx(96 * 1_000 + 8192 * 15 + 2048 * 25)


def test_fabric_copper_endpoints_need_fewer_optics():
    optical = network.fabric(4096, 64)["transceivers"]
    copper = network.fabric(4096, 64, optical_endpoint_links=False)["transceivers"]
    assert optical - copper == 2 * 4096


def test_fabric_vectorised():
    n = np.array([100, 5000, 100_000])
    f = network.fabric(n, 64)
    for i, ni in enumerate(n):
        assert f["switches"][i] == network.fabric(int(ni), 64)["switches"]


def test_unknown_topology():
    with pytest.raises(InputError, match="did you mean 'fat-tree'"):
        network.fabric(10, 64, topology="fat_tree")


def test_rail_optimized_is_one_tree_per_rail():
    """8 rails of 2,048 endpoints need 2 tiers each; one tree of 16,384 needs 3."""
    rail = network.fabric(16_384, 64, topology="rail-optimized", rails=8)
    tree = network.fabric(16_384, 64, topology="fat-tree")
    assert rail["tiers"] == 2 and tree["tiers"] == 3
    assert rail["switches"] == 8 * (2 * 2048 / 64 + 2048 / 64)
    assert rail["transceivers"] < tree["transceivers"]
    # a single rail is the fat-tree
    one = network.fabric(16_384, 64, topology="rail-optimized", rails=1)
    assert one["switches"] == tree["switches"]
