"""Systems: capex by part, power per accelerator, whole systems."""

import pytest

from siliconomics import catalog, systems
from siliconomics.catalog.schema import SYSTEM_PARTS
from siliconomics.errors import InputError


def test_system_cost_by_hand():
    b, w = systems.system_cost(accelerators=72, power_kw=120, host_cost_usd=720,
                               scaleup_switch_cost_usd=144, scaleup_fabric_cost_usd=72,
                               cooling_cost_usd=0, rack_power_cost_usd=72)
    assert dict(b) == {"hosts": 10, "scaleup_switches": 2, "scaleup_fabric": 1, "cooling": 0,
                       "rack_and_power": 1}
    assert w == pytest.approx(120e3 / 72)


def test_bad_parts():
    with pytest.raises(InputError, match="cooling_cost_usd must be >= 0"):
        systems.system_cost(accelerators=8, power_kw=10, cooling_cost_usd=-1)
    with pytest.raises(InputError, match="power_kw must be > 0"):
        systems.system_cost(accelerators=8, power_kw=0)


@pytest.mark.parametrize("slug", catalog.names("systems"))
def test_every_catalog_system_describes(slug):
    e = catalog.get("systems", slug)
    s = systems.describe(catalog.resolve(e.accelerator, system=slug))
    assert s.accelerators == e.accelerators and s.scaleup_domain >= 1
    assert s.capex_usd_per_accelerator == pytest.approx(
        sum(e.get(k) for k in SYSTEM_PARTS) / e.accelerators)
    assert 0 < s.power_w_per_accelerator < 5000
    assert 1 <= s.blast_radius_accelerators <= max(s.accelerators, s.scaleup_domain)


def test_rack_scale_systems_have_their_parts():
    s = systems.describe(catalog.resolve("gb200"))
    assert s.form == "rack" and s.accelerators == 72 and s.hosts == 18
    for part in ("scaleup_switches", "scaleup_fabric", "cooling", "rack_and_power"):
        assert s.capex_per_accelerator[part] > 0


def test_systems_needed():
    assert systems.systems_needed(72, 72) == 1
    assert systems.systems_needed(73, 72) == 2
    assert systems.systems_needed(100_000, 8) == 12_500
