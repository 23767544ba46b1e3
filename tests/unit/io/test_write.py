"""Writing outputs: bad paths fail before any work; files are replaced whole or not at all."""

import subprocess
import sys
import textwrap


import pytest

from siliconomics.errors import InputError
from siliconomics.io import write
from tests.conftest import unwritable_folder



@pytest.fixture
def tree(tmp_path):
    (tmp_path / "a-file").write_text("x")
    (tmp_path / "a-folder").mkdir()
    yield tmp_path
    (tmp_path / "read-only").exists() and (tmp_path / "read-only").chmod(0o755)


def test_check_file_accepts_a_new_or_existing_file(tree):
    assert write.check_file(tree / "new.parquet", suffixes=(".parquet",)) == tree / "new.parquet"
    assert write.check_file(tree / "a-file") == tree / "a-file"
    assert sorted(p.name for p in tree.iterdir()) == ["a-file", "a-folder"]  # probe removed


@pytest.mark.parametrize(("name", "message"), [
    ("a-folder", "is a folder; give a file name"),
    ("no/such/out.parquet", "does not exist; create it first"),
    ("a-file/out.parquet", "is a file, not a folder"),
    ("out.csv", "must end in .parquet"),
])
def test_check_file_rejects(tree, name, message):
    with pytest.raises(InputError, match=message):
        write.check_file(tree / name, suffixes=(".parquet",) if name == "out.csv" else ())


def test_check_file_rejects_an_unwritable_folder(tree):
    folder = unwritable_folder(tree)
    with pytest.raises(InputError, match=f"cannot write in folder {folder}"):
        write.check_file(folder / "out.parquet")
    with pytest.raises(InputError, match=f"cannot write in folder {folder}"):
        write.check_folder(folder / "report")


@pytest.mark.parametrize(("name", "message"), [
    ("a-file", "is a file, not a folder"),
    ("a-file/report", "a-file is a file, not a folder"),
])
def test_check_folder_rejects(tree, name, message):
    with pytest.raises(InputError, match=message):
        write.check_folder(tree / name)


def test_check_folder_creates_nothing(tree):
    write.check_folder(tree / "new" / "deeper")
    assert not (tree / "new").exists()


def test_replacing_keeps_the_old_file_on_error(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError), write.replacing(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("failed half-way")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_outputs_commit_together_or_not_at_all(tmp_path):
    (tmp_path / "a.txt").write_text("old a")
    with write.Outputs() as out:
        out.folder(tmp_path / "sub" / "deeper")
        out.text(tmp_path / "a.txt", "new a")
        out.text(tmp_path / "sub" / "deeper" / "b.txt", "new b")
        assert (tmp_path / "a.txt").read_text() == "old a"  # nothing replaced before the end
    assert (tmp_path / "a.txt").read_text() == "new a"
    assert (tmp_path / "sub" / "deeper" / "b.txt").read_text() == "new b"

    with pytest.raises(KeyboardInterrupt), write.Outputs() as out:
        out.folder(tmp_path / "other" / "tables")
        out.text(tmp_path / "a.txt", "newer a")
        raise KeyboardInterrupt
    assert (tmp_path / "a.txt").read_text() == "new a"
    assert not (tmp_path / "other").exists()  # folders made for the outputs removed
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]


def test_discard_removes_a_written_temporary(tmp_path):
    with write.Outputs() as out:
        out.text(tmp_path / "a.txt", "A")
        out.text(tmp_path / "b.txt", "B")
        out.discard(tmp_path / "b.txt")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_held_signals_delays_sigterm_until_the_end(tmp_path):
    """A SIGTERM sent while renames are under way arrives after them."""
    script = textwrap.dedent(f"""
        import os, signal, sys
        from siliconomics.io import write
        got = []
        signal.signal(signal.SIGTERM, lambda *a: got.append("term"))
        with write.held_signals():
            os.kill(os.getpid(), signal.SIGTERM)
            print("inside", got, flush=True)
        print("after", got, flush=True)
    """)
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                       timeout=60)
    assert r.stdout.split("\n")[:2] == ["inside []", "after ['term']"], r.stderr
