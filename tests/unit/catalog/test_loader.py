"""The catalog loader: validation, aliases, closest-match errors, overlays."""

import textwrap

import pytest

from siliconomics.catalog import Catalog
from siliconomics.errors import CatalogError

GOOD = """
[hyperscaler]
name = "Hyperscaler"
aliases = ["hyper", "big tech"]
source = "Test source"
as_of = "2024-01"
description = "test"
cost_of_capital = { value = 0.08, low = 0.06, high = 0.10, source = "10-K", as_of = "2024" }
accelerator_life_years = 6
network_life_years = 6
facility_life_years = { value = 20, low = 15, high = 25, source = "a", as_of = "2024", assumption = true, note = "judgement" }
"""


def write(tmp_path, text, name="financing.toml"):
    (tmp_path / name).write_text(textwrap.dedent(text))
    return tmp_path


def test_loads_values_and_provenance(tmp_path):
    cat = Catalog(write(tmp_path, GOOD))
    e = cat.get("financing", "hyperscaler")
    assert e.cost_of_capital == 0.08
    v = e.value("cost_of_capital")
    assert (v.low, v.high, v.source, v.as_of) == (0.06, 0.10, "10-K", "2024")
    assert e.value("accelerator_life_years").source == "Test source"  # entry-level default
    assert e.value("facility_life_years").assumption
    assert isinstance(e.accelerator_life_years, float)


@pytest.mark.parametrize("name", ["hyperscaler", "HYPER", "Big Tech", "big_tech"])
def test_aliases_are_case_and_separator_insensitive(tmp_path, name):
    assert Catalog(write(tmp_path, GOOD)).get("financing", name).slug == "hyperscaler"


def test_unknown_name_suggests_closest(tmp_path):
    with pytest.raises(CatalogError, match="did you mean 'hyperscaler'"):
        Catalog(write(tmp_path, GOOD)).get("financing", "hyperscalr")


@pytest.mark.parametrize(
    ("replace", "by", "message"),
    [
        ('source = "Test source"\n', "", "missing entry-level 'source'"),
        ("network_life_years = 6\n", "", "missing required field"),
        ("network_life_years = 6", "network_life_years = -6", "must be > 0"),
        ("network_life_years = 6", 'network_life_years = "six"', "must be a number"),
        ("network_life_years = 6", "network_lifes_years = 6", "did you mean 'network_life_years'"),
        ('as_of = "2024", assumption', 'as_of = "last year", assumption', "as_of must be"),
        ("low = 0.06, high = 0.10, ", "low = 0.09, high = 0.10, ", "low <= value <= high"),
        ("low = 0.06, high = 0.10, ", "low = 0.06, ", "give both low and high"),
        ('source = "10-K", ', "", "needs 'source'"),
        ("cost_of_capital = { value = 0.08,", "cost_of_capital = { value = 0.08, colour = 1,", "unknown value key"),
    ],
)
def test_invalid_entries_name_file_entry_and_field(tmp_path, replace, by, message):
    assert replace in GOOD
    with pytest.raises(CatalogError, match=message) as err:
        Catalog(write(tmp_path, GOOD.replace(replace, by, 1)))
    assert "financing.toml [hyperscaler]" in str(err.value)


def test_bad_toml(tmp_path):
    with pytest.raises(CatalogError, match="not valid TOML"):
        Catalog(write(tmp_path, "[x\n"))


def test_duplicate_alias(tmp_path):
    text = GOOD + GOOD.replace("[hyperscaler]", "[other]").replace('"hyper", ', "")
    with pytest.raises(CatalogError, match="alias 'big tech' already names 'hyperscaler'"):
        Catalog(write(tmp_path, text))


def test_unknown_kind(tmp_path):
    with pytest.raises(CatalogError, match="unknown catalog kind 'financin'"):
        Catalog(write(tmp_path, GOOD)).get("financin", "x")


def test_overlay_replaces_fields_with_sources(tmp_path):
    cat = Catalog(write(tmp_path, GOOD))
    overlay = tmp_path / "overlay.toml.in"
    overlay.write_text(
        '[financing.hyper]\ncost_of_capital = { value = 0.05, source = "fit", as_of = "2026-11" }\n'
    )
    cat.add_overlay(overlay)
    v = cat.get("financing", "hyperscaler").value("cost_of_capital")
    assert (v.value, v.source) == (0.05, "fit")


def test_replace_rejects_unknown_field(tmp_path):
    e = Catalog(write(tmp_path, GOOD)).get("financing", "hyperscaler")
    assert e.replace(cost_of_capital=0.2).cost_of_capital == 0.2
    with pytest.raises(CatalogError, match="did you mean 'cost_of_capital'"):
        e.replace(cost_of_capitl=0.2)
