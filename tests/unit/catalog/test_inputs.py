"""Resolved inputs: layers, provenance, --set, user entries through using(), memory rescaling."""

from pathlib import Path

import numpy as np
import pytest

from siliconomics import catalog, tco
from siliconomics.catalog import inputs
from siliconomics.errors import CatalogError, InputError

DATA = Path(__file__).resolve().parents[2] / "data" / "catalog"


# --- resolution -------------------------------------------------------------------------------
def test_roles_follow_the_accelerator():
    r = catalog.resolve("b200", "finland")
    assert r.memory.slug == "hbm3e" and r.entry("node").slug == "n4"
    assert r.system.slug == "hgx-b200" and r.site.slug == "finland"
    assert r.entry("package").slug == "cowos-l"


def test_layers_in_order_and_provenance():
    with catalog.using(set=["site.pue=1.3", "memory.price_usd_per_gb=5"]):
        r = catalog.resolve("h200", "us-texas", scenario={"site.pue": 1.2, "system.power_kw": 11},
                            set={"memory.price_usd_per_gb": 6})
    assert r["site.pue"] == 1.3 and r.value("site.pue").layer == "--set"  # --set beats scenario
    assert r["system.power_kw"] == 11 and r.value("system.power_kw").layer == "scenario"
    assert r["memory.price_usd_per_gb"] == 6 and r.value("memory.price_usd_per_gb").layer == "api"
    changed = {row["path"]: row["layer"] for row in r.changed()}
    assert changed == {"site.pue": "--set", "system.power_kw": "scenario",
                       "memory.price_usd_per_gb": "api"}
    assert r.value("memory.price_usd_per_gb").note.startswith("catalog: ")


def test_keywords_name_paths():
    r = catalog.resolve("h100", "us-texas", wafer_price_usd=20000, hbm_price_usd_per_gb=9,
                        busy_draw_fraction=0.8)
    assert r["node.wafer_price_usd"] == 20000 and r["memory.price_usd_per_gb"] == 9
    assert r.assumption("power-draw-fraction") == 0.8


def test_unknown_keyword_and_path_suggest_the_closest():
    with pytest.raises(InputError, match="did you mean 'wafer_price_usd'"):
        catalog.resolve("h100", wafer_price=1)
    with pytest.raises(InputError, match="did you mean 'memory.price_usd_per_gb'"):
        catalog.parse_sets(["memory.price_usd_per_gbb=4"])


def test_set_values_take_units_and_are_checked_up_front():
    sets = catalog.parse_sets(["memory.price_usd_per_gb=4 USD/GB", "site.power_price_usd_per_kwh=6 cent/kWh"])
    with catalog.using(set=sets):
        r = catalog.resolve("h100", "us-texas")
    assert r["site.power_price_usd_per_kwh"] == pytest.approx(0.06)
    for bad, msg in (("site.pue=0.9", "site.pue must be >= 1"),
                     ("accelerator.price_usd=30 kg", "expected a quantity in USD"),
                     ("system.accelerators=7.5", "must be a whole number"),
                     ("site.pue", "write PATH=VALUE"),
                     ("accelerator.memory=hbm9", "unknown memory technology 'hbm9'"),
                     ("site.pue=1.1", None)):
        if msg is None:
            catalog.parse_sets([bad])
            continue
        with pytest.raises((InputError, CatalogError), match=msg):
            catalog.parse_sets([bad])
    with pytest.raises(InputError, match="given twice"):
        catalog.parse_sets(["site.pue=1.1", "pue=1.2"])


def test_every_assumption_and_its_range_lie_in_the_values_it_can_take():
    """The catalog's own assumptions pass the check a user's value gets: fractions in their
    domain, every other quantity not negative; and an API value outside it is refused."""
    from siliconomics.catalog import schema

    for e in catalog.load().entries("assumptions"):
        lo, hi = schema.assumption_domain(e.slug)
        v = e.fields["value"]
        for x in (v.value, v.low, v.high):
            if x is not None:
                assert (lo is None or x >= lo) and (hi is None or x <= hi), e.slug
    with pytest.raises(InputError, match="assumptions.hot-spare-fraction must be between 0 and 1"):
        catalog.resolve("h100", set={"assumptions.hot-spare-fraction": 2.0})


def test_setting_the_catalog_value_changes_nothing_bitwise():
    base = tco.accelerator_hour("h200", accelerators=4096)
    r = catalog.resolve("h200")
    same = tco.accelerator_hour("h200", accelerators=4096,
                                set={"memory.price_usd_per_gb": r["memory.price_usd_per_gb"],
                                     "accelerator.memory": "hbm3e",
                                     "site.pue": catalog.site("us-texas").pue})
    assert same.usd_per_accelerator_hour == base.usd_per_accelerator_hour


def test_a_reference_change_re_resolves_and_rescales_memory():
    r = catalog.resolve("h200", set={"accelerator.memory": "hbm3e-12h"})
    assert r.memory.slug == "hbm3e-12h"
    h200 = catalog.accelerator("h200")
    assert r["accelerator.memory_capacity_gb"] == pytest.approx(h200.memory_capacity_gb * 36 / 24)
    bw = catalog.get("memory", "hbm3e-12h").bandwidth_gb_per_s_per_stack / 1178
    assert r["accelerator.memory_bandwidth_tb_per_s"] == pytest.approx(
        h200.memory_bandwidth_tb_per_s * bw)

def test_every_part_sits_on_the_stacks_it_really_has():
    """Where the stack count is published, the datasheet capacity is whole stacks of the
    part's memory, or 75-100% of them (parts that enable less than they carry: H200, B200,
    B300), so a per-stack change scales it as the stacks would: MI300X's eight 24 GB stacks at
    32 GB hold 256 GB, not 384. (TPU v5e's and v6e's stacks are this project's assumption.)"""
    for slug in catalog.names("accelerators"):
        a = catalog.accelerator(slug)
        if a.fields["memory_stacks"].assumption:
            continue
        nominal = a.memory_stacks * catalog.get("memory", a.memory).capacity_gb_per_stack
        assert 0.75 * nominal <= a.memory_capacity_gb <= nominal, slug
    r = catalog.resolve("mi300x", set={"memory.capacity_gb_per_stack": 32})
    assert r["accelerator.memory_capacity_gb"] == pytest.approx(256.0)



def test_changing_per_stack_bandwidth_moves_the_accelerator_bandwidth():
    r = catalog.resolve("h200", set={"memory.bandwidth_gb_per_s_per_stack": 2 * 1178})
    assert r["accelerator.memory_bandwidth_tb_per_s"] == pytest.approx(
        2 * catalog.accelerator("h200").memory_bandwidth_tb_per_s)
    # an explicit accelerator bandwidth wins over the rescaling
    r = catalog.resolve("h200", set={"memory.bandwidth_gb_per_s_per_stack": 2 * 1178,
                                     "accelerator.memory_bandwidth_tb_per_s": 5.0})
    assert r["accelerator.memory_bandwidth_tb_per_s"] == 5.0


def test_samples_flow_through_with_values():
    r = catalog.resolve("h100").with_values({"memory.price_usd_per_gb": np.array([5.0, 20.0])})
    assert r["memory.price_usd_per_gb"].shape == (2,)


def test_with_sets_applies_one_role():
    with catalog.using(set={"site.power_price_usd_per_kwh": 0.01}):
        assert catalog.with_sets(catalog.site("finland"), "site").power_price_usd_per_kwh == 0.01
    assert catalog.with_sets(catalog.site("finland"), "site").power_price_usd_per_kwh > 0.01


def test_using_makes_user_entries_visible_to_every_model():
    with catalog.using(DATA / "user_chip.toml"):
        r = tco.accelerator_hour("x1", accelerators=800)
        assert r.price_usd == 12000 and r.system.slug == "hgx-h100"
    with pytest.raises(CatalogError):
        catalog.accelerator("x1")  # gone outside the block


def test_all_paths_lists_roles_and_assumptions():
    paths = inputs.all_paths()
    assert {"accelerator.price_usd", "memory.price_usd_per_gb", "system.cooling_cost_usd",
            "assumptions.pass-through-share", "model.layers"} <= set(paths)


# --- implausible values warn with the likely unit -------------------------------------------
def test_far_value_warns_with_the_likely_unit():
    import pytest

    from siliconomics import catalog
    from siliconomics.units import UnitWarning

    with pytest.warns(UnitWarning, match=r"did you mean 30k USD\?"):
        catalog.resolve("h100", "us-texas", set={"accelerator.price_usd": 30})
    with pytest.warns(UnitWarning, match="did you mean 5 US cents/kWh"):
        catalog.resolve("h100", "us-texas", power_price_usd_per_kwh=5)


def test_value_beyond_bounds_names_the_likely_unit():
    import pytest

    from siliconomics import catalog
    from siliconomics.errors import InputError

    with pytest.raises(InputError, match=r"must be <= 10, got 12; did you mean 12 US cents/kWh\?"):
        catalog.resolve("h100", "us-texas", set={"site.power_price_usd_per_kwh": "12"})


def test_plausible_values_do_not_warn():
    import warnings

    from siliconomics import catalog

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        catalog.resolve("h100", "us-texas", set={"accelerator.price_usd": "30k",
                                                 "site.power_price_usd_per_kwh": "9 ¢/kWh"})


def test_watch_sets_notes_the_set_paths_a_computation_reads_not_those_it_only_shows():
    from siliconomics import tco
    from siliconomics.catalog.inputs import watch_sets

    with catalog.using(set={"memory.price_usd_per_gb": 4, "site.pue": 1.3,
                            "accelerator.memory": "hbm3e"}):
        with watch_sets() as read:
            r = tco.resolve("h100")
            r.provenance()  # shown, not used
            assert "memory.price_usd_per_gb" not in read
            tco.accelerator_hour(r)
    # list pricing reads no chip input; a reference re-resolves entries, so counts as used
    assert read == {"site.pue", "accelerator.memory"}
    with catalog.using(set={"memory.price_usd_per_gb": 4}):
        with watch_sets() as read:
            tco.accelerator_hour("h100", pricing="cost-plus")
    assert read == {"memory.price_usd_per_gb"}
