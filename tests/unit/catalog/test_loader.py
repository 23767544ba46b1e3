"""The catalog loader: validation, aliases, closest-match errors, overlays, user catalog files."""

import textwrap
from pathlib import Path

import pytest

from siliconomics import catalog
from siliconomics.catalog import Catalog
from siliconomics.errors import CatalogError

DATA = Path(__file__).resolve().parents[2] / "data" / "catalog"
EXAMPLES = Path(__file__).resolve().parents[3] / "examples"

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


# --- user catalog files -----------------------------------------------------------------------
def write_user_file(tmp_path, text, name="mine.toml"):
    p = tmp_path / name
    p.write_text(text)
    return p


def test_user_accelerator_is_marked_and_resolves():
    cat = Catalog(files=[DATA / "user_chip.toml"])
    x1 = cat.get("accelerators", "x-1")
    assert x1.is_user and x1.origin.endswith("user_chip.toml") and x1.price_usd == 12000
    assert not cat.get("accelerators", "h100").is_user
    assert catalog.builtin().names("accelerators") == [
        n for n in cat.names("accelerators") if n != "x1"]  # the built-in catalog is untouched


def test_extends_keeps_parent_values_and_their_sources():
    cat = Catalog(files=[EXAMPLES / "memory_breakthrough.toml"])
    v = cat.get("accelerators", "h200-dram")
    h200 = cat.get("accelerators", "h200")
    assert v.parent == "h200" and v.memory == "dram-at-hbm-bandwidth"
    assert v.value("bf16_tflop_per_s") == h200.value("bf16_tflop_per_s")
    assert v.memory_capacity_gb == h200.memory_capacity_gb  # same capacity per stack
    assert v.own == {"memory"} and v.status == "hypothetical"
    mem = cat.get("memory", "dram-at-hbm-bandwidth")
    assert mem.bandwidth_gb_per_s_per_stack == cat.get("memory", "hbm3e").bandwidth_gb_per_s_per_stack


def test_patch_replaces_fields_of_an_existing_entry():
    cat = Catalog(files=[DATA / "h100_price.toml"])
    h = cat.get("accelerators", "h100")
    assert h.slug == "h100-sxm" and h.price_usd == 12000 and h.is_user
    assert h.tdp_w == catalog.accelerator("h100").tdp_w


@pytest.mark.parametrize(("text", "message"), [
    ("[accelerators.x2]\nsource = 's'\nas_of = '2026'\nvendor = 'v'\n",
     "[accelerators.x2]: missing required field(s) year"),
    ("[accelerators.x2]\nextends = 'h10'\nsource = 's'\nas_of = '2026'\ntdp_w = 1\n",
     "extends unknown accelerator 'h10'; did you mean"),
    ("[accelerators.a]\nextends = 'b'\n[accelerators.b]\nextends = 'a'\n",
     "extends forms a cycle"),
    ("[accelerators.x2]\nextends = 'h200'\nsource = 's'\nas_of = '2026'\nmemory_capacity_gb = 500\n",
     "memory_capacity_gb: 500 GB does not match 6 x hbm3e"),
    ("[accelerators.x2]\nextends = 'h200'\nsource = 's'\nas_of = '2026'\nmemory_stacks = 2\n"
     "memory_capacity_gb = 141\n", "does not match 2 x hbm3e"),
    ("[accelerators.x2]\nextends = 'h200'\nsource = 's'\nas_of = '2026'\nmemory = 'hbm9'\n",
     "memory: unknown memory technology 'hbm9'"),
    ("[accelerators.x2]\nextends = 'h200'\ntdp_w = 900\n", "tdp_w is a bare value; give an entry-level 'source'"),
    ("[accelerators.x2]\nextends = 'h200'\nsource = 's'\nas_of = '2026'\ntdpw = 900\n",
     "did you mean 'tdp_w'"),
    ("[acceleratorz.x2]\nsource = 's'\n", "unknown catalog kind 'acceleratorz'; did you mean 'accelerators'"),
    ("[systems.big]\nextends = 'hgx-h100'\nsource = 's'\nas_of = '2026'\naccelerator = 'h1000'\n",
     "accelerator: unknown accelerator 'h1000'"),
    ("[accelerators.x2\n", "not valid TOML"),
])
def test_bad_user_entries_name_file_entry_and_field(tmp_path, text, message):
    p = write_user_file(tmp_path, text)
    with pytest.raises(CatalogError) as err:
        Catalog(files=[p])
    assert message in str(err.value) and "\n" not in str(err.value)
    assert str(p) in str(err.value)


def test_unreadable_files(tmp_path):
    with pytest.raises(CatalogError, match="catalog file not found"):
        Catalog(files=[tmp_path / "none.toml"])
    with pytest.raises(CatalogError, match="is a directory"):
        Catalog(files=[tmp_path])
    bad = tmp_path / "bin.toml"
    bad.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(CatalogError, match="not UTF-8 text .*offset 0"):
        Catalog(files=[bad])


def test_a_failed_file_leaves_the_catalog_as_it_was(tmp_path):
    cat = Catalog()
    good = "[accelerators.x3]\nextends = 'h100'\nsource = 's'\nas_of = '2026'\nprice_usd = 1\n"
    bad = good + "[accelerators.x4]\nextends = 'nope'\n"
    with pytest.raises(CatalogError):
        cat.add_file(write_user_file(tmp_path, bad))
    assert "x3" not in cat.names("accelerators")


def test_builtin_catalog_pickles_as_a_reference_and_others_whole(tmp_path, monkeypatch):
    """A plan shipped to workers carries the built-in catalog as its files' digest (resolved
    to the receiving process's own), any other catalog whole; a mismatch is a clear error."""
    import pickle

    from siliconomics import catalog
    from siliconomics.catalog import loader
    from siliconomics.errors import CatalogError

    cat = catalog.builtin()
    data = pickle.dumps(cat)
    assert len(data) < 1000 and pickle.loads(data) is cat
    copy = cat.copy()  # a --catalog or --set copy is not the built-in one
    assert len(pickle.dumps(copy)) > 100_000
    assert pickle.loads(pickle.dumps(copy)).names("accelerators") == cat.names("accelerators")
    assert loader.builtin_digest() == loader.builtin_digest()  # deterministic
    monkeypatch.setattr(loader, "builtin_digest", lambda directory: "another version")
    with pytest.raises(CatalogError, match="same version on every worker"):
        pickle.loads(data)


def test_find_reaches_every_kind_that_shares_a_name():
    cat = catalog.load()
    # an alias of the accelerator reaches the other kinds under its slug
    kinds = [e.kind for e in cat.find_all("h100")]
    assert kinds[0] == "accelerators" and {"serving_efficiency", "gemm_efficiency"} <= set(kinds)
    assert cat.find("h100").kind == "accelerators"
    e = cat.find("serving_efficiency.h100")  # kind.slug, by the accelerator's alias
    assert (e.kind, e.slug) == ("serving_efficiency", "h100-sxm")
    assert cat.find("foundry_nodes.28nm").kind == "foundry_nodes"
    assert [e.kind for e in cat.find_all("llama-3.1-8b")] == ["models"]  # a dot in a slug
    with pytest.raises(CatalogError, match="unknown serving_efficiency 'h10'; did you mean"):
        cat.find("serving_efficiency.h10")


def test_unknown_entry_suggests_each_name_once():
    with pytest.raises(CatalogError) as info:
        catalog.load().find("zzz")
    listed = str(info.value).split("known: ")[1].rstrip(".").split(", ")
    assert len(listed) == len(set(listed))
