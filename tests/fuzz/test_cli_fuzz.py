"""Bad values for every option of every command, generated from the command's signature.

Each command starts from a valid, quick invocation (``BASE``); one option at a time gets a value
that no reading of the option allows (hypothesis draws it from the option's kind). Every such
run must end with exit code 2, exactly one line on stderr starting ``error:``, no traceback,
nothing on stdout, and no file written anywhere under the working folder.

Every option must have a kind here: a new option without one fails
:func:`test_every_option_has_a_kind`, so the suite keeps covering the whole CLI.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

import pytest
import typer.main
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from siliconomics.cli import app
from tests.conftest import unwritable_folder

pytestmark = pytest.mark.fuzz

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SCENARIO = EXAMPLES / "tco_texas_vs_johor.toml"

#: A valid, quick invocation of each command (``{tmp}`` is the run's working folder).
BASE: dict[str, list[str]] = {
    "report": ["--sites", "us-texas", "--out", "{tmp}/report"],
    "tco": [],
    "chip": ["h100-sxm"],
    "wafer": ["--die-area", "600"],
    "train": ["--accelerators", "16384"],
    "train-mixed": [],
    "serve": [],
    "whatif": ["h100-sxm", "h200"],
    "sites": ["--sites", "us-texas,malaysia-johor"],
    "plan": [str(EXAMPLES / "plan_small.toml")],
    "run": [str(SCENARIO), "--samples", "2000"],
    "sensitivity": [str(SCENARIO), "--method", "tornado"],
    "validate": ["--topic", "industry"],
    "dashboard": [],
    "industry foundries": [],
    "industry labs": ["--samples", "0"],
    "industry tokens": ["--point", "together-llama-3.1-70b"],
    "industry rental": [],
    "industry demand": ["--to", "2026", "--samples", "0"],
    "industry supply": ["--accelerator", "h100-sxm"],
    "industry export": ["--accelerator", "h20"],
    "industry outlook": ["--samples", "0", "--to", "2026"],
    "industry asic": ["--case", "trainium2"],
    "industry retire": ["--year", "2026"],
    "calibrate serving": [str(EXAMPLES / "measured.csv")],
    "catalog list": ["accelerators"],
    "catalog show": ["h100-sxm"],
    "catalog history": ["h100"],
    "catalog audit": [],
    "export xlsx": ["--out", "{tmp}/book.xlsx", "--accelerators", "1024", "--model", "none",
                    "--serve-model", "none"],
    "compare": [str(EXAMPLES / "tco_texas.toml"), str(EXAMPLES / "tco_johor.toml"),
                "--samples", "500"],
}

#: Kind of every option that is not a number or a flag (numbers and paths are read from the
#: signature). ``name``: a catalog or preset name; ``quantity``: a number with an optional unit.
KINDS: dict[str, str] = {
    "accelerator": "name", "site": "name", "financing": "name", "system": "name",
    "pricing": "name", "method": "name", "model": "name", "node": "name", "memory": "name",
    "package": "name", "precision": "name", "kv_precision": "name", "strategy": "name",
    "pue_model": "name", "objective": "name", "engine": "engine", "kind": "name",
    "name": "name", "measure": "name", "topic": "name", "output": "name", "run_cost": "name",
    "holdout": "name", "base": "name", "variant": "name",
    "point": "name", "provider": "name", "which": "name", "region": "name",
    "elasticity": "elasticity",
    "holdout": "name", "base": "name", "variant": "name", "sampler": "name", "case": "name",
    "kernels": "name", "kv_memory": "name", "moe_dispatch": "name", "graph_batches": "counts",
    "energy_scope": "name", "emissions": "name", "run_date": "date",
    "power_price": "quantity", "price": "quantity", "build_cost": "quantity",
    "rent": "quantity", "die_area": "quantity", "tokens": "quantity",
    "training_flop": "quantity", "price_per_hour": "quantity", "batch_tokens": "quantity",
    "slo_tpot": "quantity", "slo_ttft": "quantity",
    "die": "die", "layout": "layout", "groups": "groups", "mfu": "quantity", "checkpointing": "name", "recovery": "name", "sites": "sites", "site_list": "sites",
    "purchase_date": "date", "at": "date", "older_than": "duration", "host": "host",
    "sets": "set", "seed": "seed", "catalog_files": "path_in", "overlay": "path_in", "demand": "path_in",
    "scenario": "path_in", "path": "path_in", "file": "path_in", "compare": "path_in",
    "out": "folder_out", "samples_out": "file_out", "save": "file_out", "out_file": "file_out",
    "serve_model": "name", "scenario_a": "path_in", "scenario_b": "path_in",
}

#: Options whose valid range includes every negative or zero value drawn for numbers.
SIGNED: set[str] = set()

_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
                max_size=12)
_unknown_name = st.one_of(
    st.from_regex(r"zz[a-z0-9-]{0,10}", fullmatch=True),
    st.sampled_from(["", " ", "../../etc/passwd", "h100-sxm;rm -rf /", "Ｈ１００", "None",
                     "__import__('os')"]),
)
_bad_number_text = st.one_of(
    st.sampled_from(["nan", "inf", "-inf", "NaN", "1e400", "-1", "-0.5", "abc", "", "1e308",
                     "0x10zz", "1,5"]),
    st.floats(max_value=-1e-6, allow_nan=False).map(repr),
    st.floats(min_value=1e30, allow_infinity=False).map(repr),
)
_bad_int_text = st.one_of(
    st.sampled_from(["-1", "2.5", "abc", "", "1e400", "99999999999999999999999", "nan"]),
    st.integers(max_value=-1).map(str),
    st.integers(min_value=10**15).map(str),
)
_bad_seed = st.one_of(
    st.sampled_from(["-1", "2.5", "abc", "", "nan", "1e3"]),
    st.integers(max_value=-1).map(str),
    st.integers(min_value=2**64).map(str),
)
_bad_quantity = st.one_of(
    _bad_number_text,
    st.sampled_from(["5 kg", "3 parsecs", "1e309 USD", "-5 USD", "nan USD", "USD", "10 10",
                     "1 MW/h/h/h/h", "[1, 2]"]),
)
_bad_date = st.sampled_from(["2026-13-45", "yesterday", "0000-01-01", "99999", "2026-02-30",
                             "", "1e9", "-2025"])
_bad_duration = st.sampled_from(["abc", "-5months", "18 fortnights", "", "months", "1e400days",
                                 "nan months", "99999999999years"])
_bad_host = st.sampled_from(["", "not a host!", "http://x", "256.1.1.1", "-1", "a" * 300])
_bad_engine = st.sampled_from(["tcp://", "tcp://:99999", "tcp://host:abc", "zz", "udp://x:1",
                               "", "tcp://host:0", "tcp://[::1"])
_bad_elasticity = st.sampled_from(["0.5", "1", "nan", "abc", "", "1e400", "-1e30", "11", "inf"])
_bad_die = st.sampled_from(["26x", "x31", "axb", "0x10", "-26x31", "26x31x4", "1e9x1e9",
                            "nanxnan", ""])
_bad_layout = st.sampled_from(["tp=0", "tp=abc", "tp=3,pp=5,dp=7", "zz", "tp=8,tp=8",
                               "tp=-8", "pp=1e9", "tp=8,pp=16,dp=128,ep=0", ""])
_bad_groups = st.sampled_from(["h100-sxm=8,h100-sxm=8", "h100-sxm=-1", "zz=8", "h100-sxm",
                               "", "h100-sxm=2.5", "h100-sxm=nan", "b200=1e30", ",,"])
_bad_sites = st.sampled_from(["zz,us-texas", ",,,", "us-texas,us-texas", "", " , "])
_bad_counts = st.sampled_from(["1,two", "0", "-1", "1,,2", "abc", "1.5", " , ", "1e3",
                               "99999999999999999999", "1;2", "nan", "8,-8"])
_bad_set = st.sampled_from(["zz.yy=1", "accelerator.price_usd=abc", "accelerator.price_usd=nan",
                            "accelerator.price_usd=-5", "=", "noequals",
                            "accelerator.price_usd=1e308", "site.pue=0.5",
                            "memory.price_usd_per_gb=5 kg", "accelerator.zz=1"])

FILE_CASES = ("missing", "folder", "binary", "empty", "deep", "large", "not_toml")
OUT_FILE_CASES = ("folder", "missing_parent", "under_file", "unwritable", "wrong_suffix")
OUT_FOLDER_CASES = ("file", "under_file", "unwritable")


def _make_file(case: str, tmp: Path) -> str:
    """A path to an input that cannot be read as the file the option wants."""
    p = tmp / f"in-{case}.toml"
    if case == "missing":
        return str(tmp / "no-such-file.toml")
    if case == "folder":
        (tmp / "a-folder").mkdir(exist_ok=True)
        return str(tmp / "a-folder")
    if case == "binary":
        p.write_bytes(bytes(range(256)) * 16)
    elif case == "empty":
        p.write_text("")
    elif case == "deep":
        p.write_text("a = " + "[" * 3000 + "]" * 3000 + "\n")
    elif case == "large":
        with p.open("wb") as f:
            f.truncate(9 * 1024 * 1024)
    elif case == "not_toml":
        p.write_text("this is = = not [valid\n")
    return str(p)



def _make_out(case: str, tmp: Path, folder: bool) -> str:
    (tmp / "a-file").write_text("x")
    if case in ("folder",):
        (tmp / "a-folder").mkdir(exist_ok=True)
        return str(tmp / "a-folder")
    if case == "file":
        return str(tmp / "a-file")
    if case == "missing_parent":
        return str(tmp / "no" / "such" / "out.parquet")
    if case == "under_file":
        return str(tmp / "a-file" / ("out" if folder else "out.parquet"))
    if case == "unwritable":
        return str(unwritable_folder(tmp) / ("out" if folder else "out.parquet"))
    if case == "wrong_suffix":
        return str(tmp / "out.exe")
    raise AssertionError(case)


def _commands() -> dict[str, object]:
    group = typer.main.get_command(app)
    found = {}

    def walk(cmd, path):
        if hasattr(cmd, "commands"):
            for name, sub in cmd.commands.items():
                walk(sub, path + [name])
        else:
            found[" ".join(path)] = cmd

    walk(group, [])
    return found


COMMANDS = _commands()


def _kind(cmd_name: str, param) -> str | None:
    """The kind of value an option takes (None: a flag, nothing to fuzz)."""
    if getattr(param, "is_flag", False) or getattr(param, "is_bool_flag", False):
        return None
    annotation = param.type_descriptor.annotation
    if param.name in KINDS:
        return KINDS[param.name]
    if annotation is int:
        return "int"
    if annotation is float:
        return "float"
    return "unclassified"


CASES = [(cmd, p.name) for cmd, c in COMMANDS.items() for p in c.params
         if _kind(cmd, p) is not None]


def _flag(param) -> str | None:
    longs = [o for o in param.opts if o.startswith("-")]
    return longs[0] if longs else None


def _value(kind: str, data, tmp: Path, param_name: str):
    if kind == "int":
        return data.draw(_bad_int_text)
    if kind == "float":
        return data.draw(_bad_number_text)
    if kind == "quantity":
        return data.draw(_bad_quantity)
    if kind == "name":
        return data.draw(_unknown_name)
    if kind == "path_in":
        return _make_file(data.draw(st.sampled_from(FILE_CASES)), tmp)
    if kind == "file_out":
        return _make_out(data.draw(st.sampled_from(OUT_FILE_CASES)), tmp, folder=False)
    if kind == "folder_out":
        return _make_out(data.draw(st.sampled_from(OUT_FOLDER_CASES)), tmp, folder=True)
    strategies = {"seed": _bad_seed, "date": _bad_date, "duration": _bad_duration, "host": _bad_host,
                  "engine": _bad_engine, "die": _bad_die, "layout": _bad_layout,
                  "groups": _bad_groups, "sites": _bad_sites, "set": _bad_set,
                  "counts": _bad_counts,
                  "elasticity": _bad_elasticity}
    return data.draw(strategies[kind])


def _args(cmd_name: str, param, value: str, tmp: Path) -> list[str]:
    base = [a.replace("{tmp}", str(tmp)) for a in BASE[cmd_name]]
    flag = _flag(param)
    if flag is None:  # a positional argument: it replaces the base's positional of that place
        positionals = [p for p in COMMANDS[cmd_name].params if not _flag(p)]
        index = positionals.index(param)
        plain = [a for a in base if not a.startswith("-")]
        if index < len(plain):
            base[base.index(plain[index])] = value
        else:
            base.insert(index, value)
        return cmd_name.split() + base
    return cmd_name.split() + base + [flag, value]


def _tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


@contextlib.contextmanager
def _in_folder(path: Path):
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


@pytest.fixture(autouse=True)
def _no_server(monkeypatch):
    """A dashboard invocation that got past its checks would serve forever: fail instead."""
    import siliconomics.app as dashboard

    def refuse(*args, **kwargs):
        raise AssertionError(f"dashboard would have started with {args} {kwargs}")

    monkeypatch.setattr(dashboard, "serve", refuse)


def test_every_option_has_a_kind():
    unclassified = [f"{cmd} {p.name}" for cmd, c in COMMANDS.items() for p in c.params
                    if _kind(cmd, p) == "unclassified"]
    assert unclassified == [], "give these options a kind in KINDS"
    assert set(BASE) == set(COMMANDS), "every command needs a valid base invocation"


def test_base_invocations_are_valid():
    """The starting points succeed, so a failure below is the bad value's doing."""
    runner = CliRunner()
    for cmd_name, base in BASE.items():
        if cmd_name == "dashboard":
            continue
        tmp = Path(tempfile.mkdtemp())
        try:
            with _in_folder(tmp):
                args = cmd_name.split() + [a.replace("{tmp}", str(tmp)) for a in base]
                r = runner.invoke(app, [*args, "--json"] if _takes_json(cmd_name) else args)
            assert r.exit_code == 0, (cmd_name, r.stderr)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


def _takes_json(cmd_name: str) -> bool:
    return any("--json" in p.opts for p in COMMANDS[cmd_name].params)


@pytest.mark.parametrize(("cmd_name", "param_name"), CASES, ids=[f"{c}:{p}" for c, p in CASES])
@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_bad_value_gives_one_clear_line(cmd_name, param_name, data):
    param = next(p for p in COMMANDS[cmd_name].params if p.name == param_name)
    kind = _kind(cmd_name, param)
    tmp = Path(tempfile.mkdtemp())
    try:
        value = _value(kind, data, tmp, param_name)
        args = _args(cmd_name, param, value, tmp)
        before = _tree(tmp)
        with _in_folder(tmp):
            r = CliRunner().invoke(app, args)
        lines = r.stderr.splitlines()
        assert r.exit_code == 2, (args, r.exit_code, r.stderr, r.stdout[-300:])
        assert len(lines) == 1 and lines[0].startswith("error: "), (args, r.stderr)
        assert "Traceback" not in r.stderr and r.stdout == "", (args, r.stdout[-300:])
        assert _tree(tmp) == before, (args, _tree(tmp) - before)
    finally:
        with contextlib.suppress(OSError):
            (tmp / "read-only").chmod(0o755)
        shutil.rmtree(tmp, ignore_errors=True)
