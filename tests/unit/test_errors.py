"""The exception hierarchy and the closest-name suggestions of unknown names."""

from siliconomics.errors import (CatalogError, InputError, ScenarioError, SiliconomicsError, closest,
                                 unknown)


def test_every_error_is_a_siliconomics_error_and_a_builtin_kind():
    assert issubclass(InputError, SiliconomicsError) and issubclass(InputError, ValueError)
    assert issubclass(CatalogError, SiliconomicsError) and issubclass(CatalogError, KeyError)
    assert issubclass(ScenarioError, SiliconomicsError) and issubclass(ScenarioError, ValueError)
    assert not issubclass(SiliconomicsError, ValueError)


def test_catalog_error_message_is_not_quoted():
    """KeyError quotes its argument; a CatalogError reads as the message it was given."""
    assert str(CatalogError("unknown site 'mars'")) == "unknown site 'mars'"
    assert str(KeyError("unknown site 'mars'")) == "\"unknown site 'mars'\""
    assert str(CatalogError()) == ""


def test_a_name_it_begins_comes_first_and_original_case_is_kept():
    # "h100-sxm" begins with "h100"; "H200" is the closer spelling but comes after it
    assert closest("H100", ["h100-sxm", "H200"]) == ["h100-sxm", "H200"]


def test_close_spelling():
    assert closest("hyperscalr", ["hyperscaler", "neocloud", "sovereign"]) == ["hyperscaler"]


def test_names_containing_it_or_contained_in_it():
    assert closest("a", ["banana-split-sundae"]) == ["banana-split-sundae"]
    assert closest("h100-sxm5-with-a-long-suffix", ["h100", "zzz"]) == ["h100"]


def test_nothing_close_and_at_most_n():
    assert closest("qqq", ["alpha", "beta"]) == []
    names = [f"site-{i}" for i in range(10)]
    assert len(closest("site", names)) == 3
    assert len(closest("site", names, n=5)) == 5


def test_unknown_suggests_the_closest():
    assert unknown("site", "texass", ["us-texas", "finland"]) == \
        "unknown site 'texass'; did you mean 'us-texas'?"


def test_unknown_lists_known_names_when_none_is_close():
    assert unknown("kind", "qqq", ["b", "a"]) == "unknown kind 'qqq'; known: a, b"
    many = [f"a{i}" for i in range(13)]
    msg = unknown("kind", "qqq", many)
    assert msg == "unknown kind 'qqq'; known: " + ", ".join(sorted(many)[:12]) + "..."


def test_unknown_accepts_any_iterable():
    assert "did you mean 'pue'" in unknown("input", "pues", iter({"pue": 1, "x": 2}))
