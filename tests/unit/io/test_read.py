"""Reading user files: every way a file can be wrong is one InputError naming the file."""

import os

import pytest

from siliconomics.errors import InputError, ScenarioError
from siliconomics.io import read


def test_toml_and_json_round_trip(tmp_path):
    t = tmp_path / "a.toml"
    t.write_text('[x]\ny = 1\n')
    j = tmp_path / "a.json"
    j.write_text('{"x": [1, 2]}')
    assert read.read_toml(t) == {"x": {"y": 1}}
    assert read.read_json(j) == {"x": [1, 2]}


@pytest.mark.parametrize(("make", "message"), [
    (lambda p: None, "not found"),
    (lambda p: p.mkdir(), "is a directory"),
    (lambda p: p.write_bytes(b"x = \xff\xfe\n"), r"not UTF-8 text \(invalid byte at offset 4\)"),
    (lambda p: p.write_text("x = = 1"), "not valid TOML"),
    (lambda p: p.write_text("a = " + "[" * 3000 + "]" * 3000), "nested too deeply"),
    (lambda p: p.write_text("a = " + "[" * 40 + "]" * 40), r"nested too deeply \(limit 32\)"),
])
def test_bad_toml_names_the_file(tmp_path, make, message):
    p = tmp_path / "bad.toml"
    make(p)
    with pytest.raises(InputError, match=message) as info:
        read.read_toml(p, what="scenario")
    assert str(p) in str(info.value) and "\n" not in str(info.value)


def test_size_cap_is_checked_before_reading(tmp_path):
    p = tmp_path / "big.toml"
    with p.open("wb") as f:
        f.truncate(read.MAX_BYTES + 1)
    with pytest.raises(InputError, match="more than the 8,388,608 accepted"):
        read.read_text(p)
    small = tmp_path / "small.txt"
    small.write_text("abcdef")
    with pytest.raises(InputError, match="more than"):
        read.read_text(small, max_bytes=5)
    assert read.read_text(small, max_bytes=6) == "abcdef"


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs a character device")
def test_devices_and_pipes_are_refused():
    with pytest.raises(InputError, match="not a regular file"):
        read.read_text("/dev/zero")


def test_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        read.read_toml(fifo)


def test_error_type_is_the_callers(tmp_path):
    with pytest.raises(ScenarioError, match="plan file not found"):
        read.read_toml(tmp_path / "none.toml", what="plan file", error_type=ScenarioError)


def test_bad_json_gives_line_and_column(tmp_path):
    p = tmp_path / "config.json"
    p.write_text('{"a": 1,\n "b": }')
    with pytest.raises(InputError, match=r"not valid JSON: .* line 2, column 7"):
        read.read_json(p)


def test_depth_counts_lists_and_tables():
    assert read.depth(1) == 0
    assert read.depth({"a": [1]}) == 2
    assert read.depth({"a": {"b": {"c": [[]]}}}) == 5
    deep = []
    for _ in range(100):
        deep = [deep]
    assert read.depth(deep, limit=10) == 11  # stops counting past the limit


def test_csv_rows_skip_comments_and_keep_line_numbers(tmp_path):
    p = tmp_path / "d.csv"
    p.write_text("# a comment\n\nhour,rate\n0,10\n  # indented comment\n1,\"2,5\"\n")
    assert read.read_csv_rows(p) == [(3, ["hour", "rate"]), (4, ["0", "10"]),
                                     (6, ["1", "2,5"])]


@pytest.mark.parametrize(("text", "message"), [
    ('hour,rate\n0,"10\n', "not valid CSV"),
    ("hour,rate\n0,1\x00\n", "NUL bytes"),
])
def test_bad_csv(tmp_path, text, message):
    p = tmp_path / "d.csv"
    p.write_text(text)
    with pytest.raises(InputError, match=message):
        read.read_csv_rows(p, what="demand file")


def test_cached_toml_is_parsed_once_and_equal(tmp_path, monkeypatch):
    from siliconomics.io import read

    monkeypatch.setenv("SILICONOMICS_CACHE", str(tmp_path / "cache"))
    f = tmp_path / "kind.toml"
    f.write_text('[a]\nx = 1.5\ny = "text"\nz = [1, 2]\n')
    first = read.read_toml(f, cache=True)
    monkeypatch.setattr(read, "parse_toml", lambda *a, **k: pytest.fail("parsed again"))
    assert read.read_toml(f, cache=True) == first == {"a": {"x": 1.5, "y": "text", "z": [1, 2]}}


def test_cache_follows_the_text_and_survives_a_corrupt_entry(tmp_path, monkeypatch):
    from siliconomics.io import read

    monkeypatch.setenv("SILICONOMICS_CACHE", str(tmp_path / "cache"))
    f = tmp_path / "kind.toml"
    f.write_text("x = 1\n")
    assert read.read_toml(f, cache=True) == {"x": 1}
    f.write_text("x = 2\n")
    assert read.read_toml(f, cache=True) == {"x": 2}
    stored = list((tmp_path / "cache").rglob("kind-*.json"))
    assert len(stored) == 1  # the older version was replaced
    stored[0].write_text("{not json")
    assert read.read_toml(f, cache=True) == {"x": 2}


def test_cache_off_and_unwritable_cache_fall_back_to_parsing(tmp_path, monkeypatch):
    from siliconomics.io import read

    f = tmp_path / "kind.toml"
    f.write_text("x = 1\n")
    monkeypatch.setenv("SILICONOMICS_CACHE", "off")
    assert read.cache_dir() is None
    assert read.read_toml(f, cache=True) == {"x": 1}
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("SILICONOMICS_CACHE", str(blocker))  # a file, not a folder
    assert read.read_toml(f, cache=True) == {"x": 1}
