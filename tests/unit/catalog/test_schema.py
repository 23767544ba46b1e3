"""Catalog field specs: kinds, references, units spelt in names, the system's capex parts."""

import dataclasses

import pytest

from siliconomics.catalog import loader, schema

#: Name endings and the unit each states (ARCHITECTURE.md: units in names).
UNIT_SUFFIXES = {"_usd": "USD", "_mm2": "mm^2", "_w": "W", "_kw": "kW", "_gb": "GB", "_mw": "MW",
                 "_years": "year", "_usd_per_kwh": "USD/kWh", "_usd_per_mw": "USD/MW",
                 "_usd_per_gb": "USD/GB", "defect_density_per_cm2": "1/cm^2",
                 "_kgco2e_per_cm2": "kgCO2e/cm^2", "_kgco2e_per_gb": "kgCO2e/GB"}


def test_helpers_build_the_field_kinds():
    n = schema._num("W", "power")
    assert (n.unit, n.kind, n.required, n.positive, n.description) == ("W", "number", True, True, "power")
    i = schema._int("count", required=False, minimum=1)
    assert (i.kind, i.required, i.minimum, i.unit, i.positive) == ("integer", False, 1, "", False)
    t = schema._text("name")
    assert (t.kind, t.unit, t.required) == ("text", "text", True)
    with pytest.raises(dataclasses.FrozenInstanceError):
        n.unit = "kW"


def test_every_catalog_file_is_a_kind():
    """The loader skips files that are not kinds: a misnamed data file would vanish silently."""
    assert {p.stem for p in loader.DATA_DIR.glob("*.toml")} <= set(schema.KINDS)


@pytest.mark.parametrize("kind", sorted(schema.KINDS))
def test_fields_are_described_and_units_match_their_names(kind):
    for name, f in schema.KINDS[kind].items():
        assert f.description, (kind, name)
        assert f.kind in ("number", "integer", "text", "series"), (kind, name)
        ends = [s for s in UNIT_SUFFIXES if name.endswith(s)]
        if ends:  # the longest ending states the unit ("_usd_per_mw", not "_mw")
            assert f.unit == UNIT_SUFFIXES[max(ends, key=len)], (kind, name, f.unit)
        if f.minimum is not None and f.maximum is not None:
            assert f.minimum <= f.maximum, (kind, name)


def test_references_name_text_fields_and_known_kinds():
    for kind, refs in schema.REFERENCES.items():
        assert kind in schema.KINDS
        for field_name, target in refs.items():
            assert schema.KINDS[kind][field_name].kind == "text", (kind, field_name)
            assert target in schema.KINDS, (kind, field_name)


def test_system_parts_are_the_non_negative_usd_fields_of_a_system():
    usd = [k for k, f in schema.SYSTEM.items() if f.unit == "USD"]
    assert list(schema.SYSTEM_PARTS) == usd
    for k in schema.SYSTEM_PARTS:
        f = schema.SYSTEM[k]
        assert f.kind == "number" and not f.positive and f.minimum == 0.0


def test_planning_fields_of_a_site_are_optional():
    for name in ("time_to_power_years", "power_available_mw", "power_ramp_years",
                 "mean_temperature_c", "water_stress"):
        assert not schema.SITE[name].required, name
    assert (schema.SITE["water_stress"].minimum, schema.SITE["water_stress"].maximum) == (0.0, 5.0)


def test_fractions_are_capped_at_one():
    for kind, name in (("packaging", "packaging_yield"), ("die_harvesting", "unit_area_fraction"),
                       ("serving_efficiency", "memory_usable_fraction"),
                       ("financing", "cost_of_capital")):
        assert schema.KINDS[kind][name].maximum == 1.0, (kind, name)


def test_keys_an_entry_and_a_value_may_carry():
    assert {"name", "aliases", "source", "as_of", "extends", "status"} <= schema.COMMON_KEYS
    assert schema.VALUE_KEYS == {"value", "low", "high", "source", "as_of", "assumption", "note",
                                 "url"}
    assert schema.STATUSES[0] == "shipping"  # the default status
    assert schema.PRICE_HISTORY["points"].kind == "series"
    assert {"list", "street", "secondary", "wafer"} <= set(schema.MEASURES)
