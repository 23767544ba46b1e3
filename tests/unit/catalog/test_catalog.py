"""The catalog package: lookups of the active catalog, and the built-in catalog as data
(counts, sources, ranges, references, freshness)."""

from pathlib import Path

import pytest

from siliconomics import catalog
from siliconomics.catalog import history, schema
from siliconomics.catalog.loader import Point
from siliconomics.errors import CatalogError

CAT = catalog.builtin()
DATA = Path(__file__).resolve().parents[2] / "data" / "catalog"


# --- lookups ------------------------------------------------------------------------------------
def test_builtin_is_loaded_once():
    assert catalog.builtin() is catalog.builtin()
    assert catalog.load() is catalog.builtin()


def test_load_is_the_catalog_of_the_enclosing_using_block():
    with catalog.using(DATA / "user_chip.toml") as cat:
        assert catalog.load() is cat and cat is not catalog.builtin()
        assert "x1" in catalog.names("accelerators")
    assert catalog.load() is catalog.builtin()
    assert "x1" not in catalog.names("accelerators")


def test_shortcuts_look_names_up_by_alias():
    assert catalog.accelerator("H100").slug == "h100-sxm"
    assert catalog.site("texas").slug == "us-texas"
    assert catalog.financing("hyperscaler").slug == "hyperscaler"
    assert catalog.get("memory", "HBM3E").slug == "hbm3e"
    assert catalog.accelerator("h100") is CAT.get("accelerators", "h100-sxm")
    assert catalog.names("financing") == CAT.names("financing")


def test_assumption_is_the_central_value_of_its_value_field():
    v = catalog.assumption_value("power-draw-fraction")
    assert catalog.assumption("power-draw-fraction") == v.value == 0.75
    assert (v.low, v.high) == (0.6, 0.9) and v.source


def test_unknown_names_and_kinds():
    with pytest.raises(CatalogError, match="unknown site 'marz'"):
        catalog.site("marz")
    with pytest.raises(CatalogError, match="unknown catalog kind 'site'; did you mean 'sites'"):
        catalog.names("site")
    with pytest.raises(CatalogError, match="unknown assumption"):
        catalog.assumption("power-draw")


# --- the built-in data --------------------------------------------------------------------------


def test_counts_cover_late_2026():
    assert len(CAT.names("accelerators")) >= 28
    assert len(CAT.names("systems")) >= 10
    assert len(CAT.names("models")) >= 35
    assert len(CAT.names("sites")) >= 28
    assert {"hbm2e", "hbm3", "hbm3e", "hbm3e-12h", "hbm4", "hbm4e", "ddr5", "lpddr5x",
            "gddr7"} <= set(CAT.names("memory"))
    assert {"n2", "a16", "a14", "intel-18a", "intel-14a", "sf2"} <= set(CAT.names("nodes"))
    for name in ("b300", "gb300", "rubin", "h20", "mi355x", "mi450x", "tpu-v6e", "tpu-v7",
                 "trainium2", "trainium3", "ascend-910c", "v100", "tpu-v3", "tpu-v4"):
        CAT.get("accelerators", name)
    for name in ("hgx-h100", "hgx-h200", "hgx-b200", "hgx-b300", "gb200-nvl72", "gb300-nvl72",
                 "vera-rubin-nvl144", "tpu-v5p-cube", "tpu-v7-cube", "trn2-ultraserver",
                 "mi355x-platform", "cloudmatrix-384"):
        CAT.get("systems", name)


@pytest.mark.parametrize("kind", CAT.kinds())
def test_every_value_is_sourced_dated_and_inside_its_range(kind):
    for e in CAT.entries(kind):
        for name, v in e.fields.items():
            where = f"{kind}.{e.slug}.{name}"
            assert v.source, where
            assert v.as_of or kind == "price_history", where
            if v.low is not None:
                assert v.low <= v.value <= v.high, where
            if isinstance(v.value, tuple):
                for p in v.value:
                    assert isinstance(p, Point) and p.source and p.value > 0, where


def test_announced_parts_say_so_and_historical_parts_are_marked():
    assert CAT.get("accelerators", "rubin").status == "announced"
    assert CAT.get("accelerators", "v100").status == "historical"
    statuses = {e.status for k in CAT.kinds() for e in CAT.entries(k)}
    assert statuses <= set(schema.STATUSES)


def test_every_accelerator_costs_and_runs():
    from siliconomics import silicon, tco

    for e in CAT.entries("accelerators"):
        assert silicon.chip_cost(e).total > 0, e.slug
        assert tco.accelerator_hour(e, accelerators=4096).usd_per_accelerator_hour > 0, e.slug


def test_audit_lists_only_assumptions_and_historical_entries():
    """As of this catalog's review date, every entry with a price, cost or rate older than 18
    months is either a labelled assumption or a historical record."""
    a = history.audit("18months", catalog=CAT, today="2026-12-03")
    assert a.stale and {r["reason"] for r in a.stale} <= {"assumption", "historical"}
