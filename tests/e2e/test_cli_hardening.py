"""Inputs that once gave a traceback or a silently wrong answer, each kept as a regression test;
interrupted outputs; the sockets a Dask run opens; JSON that is always JSON.

Every bad input must end with exit code 2 and one line ``error: ...`` on stderr, no traceback,
and nothing written.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from siliconomics.cli import app
from tests.conftest import unwritable_folder

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SCENARIO = EXAMPLES / "tco_texas_vs_johor.toml"
CLI = [sys.executable, "-m", "siliconomics"]


@pytest.fixture
def files(tmp_path, monkeypatch):
    """A working folder with the bad files the cases below name."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "garbage.bin").write_bytes(bytes(range(256)) * 16)
    (tmp_path / "deep.toml").write_text("a = " + "[" * 3000 + "]" * 3000 + "\n")
    (tmp_path / "empty.toml").write_text("")
    (tmp_path / "a-folder").mkdir()
    (tmp_path / "a-file").write_text("x")
    (tmp_path / "many.toml").write_text('[scenario]\nmodel = "tco"\n[inputs]\naccelerators = "many"\n')
    (tmp_path / "open-paren.toml").write_text(
        '[scenario]\nmodel = "tco"\n[inputs]\nutilization = "lognormal(1, 2"\n')
    return tmp_path



def _one_error_line(args, message=None):
    r = CliRunner().invoke(app, [str(a) for a in args])
    lines = r.stderr.splitlines()
    assert r.exit_code == 2, (args, r.exit_code, r.stderr, r.stdout[-500:])
    assert len(lines) == 1 and lines[0].startswith("error: "), (args, r.stderr)
    assert "Traceback" not in r.stderr and r.stdout == ""
    if message:
        assert message in lines[0], lines[0]
    return lines[0]


@pytest.mark.parametrize(("args", "message"), [
    (["run", "garbage.bin"], "not UTF-8 text"),
    (["plan", "garbage.bin"], "not UTF-8 text"),
    (["industry", "labs", "--scenario", "garbage.bin"], "not UTF-8 text"),
    (["serve", "--overlay", "garbage.bin"], "not UTF-8 text"),
    (["serve", "--demand", "garbage.bin"], "not UTF-8 text"),
    (["calibrate", "serving", "garbage.bin"], "not UTF-8 text"),
    (["tco", "--catalog", "garbage.bin"], "not UTF-8 text"),
    (["plan", "a-folder"], "is a directory"),
    (["run", "deep.toml"], "nested too deeply"),
    (["run", "empty.toml"], "the scenario is empty"),
    (["plan", "empty.toml"], "plan file is empty"),
    (["tco", "--catalog", "empty.toml"], "has no entries"),
    (["run", "many.toml"], "accelerators"),
    (["run", "open-paren.toml"], "utilization"),
    (["run", SCENARIO, "--seed", "-1"], "--seed"),
    (["run", SCENARIO, "--samples", str(10**11)], "--samples"),
    (["run", SCENARIO, "--engine", "tcp://"], "has no host"),
    (["run", SCENARIO, "--engine", "tcp://host:99999"], "Port out of range"),
    (["run", SCENARIO, "--samples-out", "no/such/folder/s.parquet"], "does not exist"),
    (["run", SCENARIO, "--samples-out", "a-folder"], "must end in .parquet"),
    (["run", SCENARIO, "--samples-out", "a-file/s.parquet"], "is a file, not a folder"),
    (["report", "--out", "a-file"], "is a file, not a folder"),
    (["report", "--out", "a-file/report"], "is a file, not a folder"),
    (["tco", "--power-price", "inf", "--json"], "finite"),
    (["tco", "--build-cost", "-5"], "build_cost_usd_per_mw must be > 0"),
    (["tco", "--rent", "-3"], "must be > 0"),
    (["tco", "--pue", "1e308"], "site.pue must be <= 3"),
    (["tco", "--accelerators", "1e9"], "--accelerators"),
    (["tco", "--nope"], "No such option: --nope"),
    (["tco", "-n", "0"], "--accelerators"),
    (["tco", "--price", "30000", "--pricing", "cost-plus"], "give one of them"),
    (["train", "-n", "1"], "use at least 76 accelerators"),
    (["serve", "--kv-memory", "fre"], "unknown KV-memory convention 'fre'; did you mean 'free'?"),
    (["train", "--training-flop", "1e25", "--tokens", "1e12"], "not both"),
    (["train", "--price-per-hour", "nan"], "finite"),
    (["train-mixed", "--groups", "h100-sxm=8,h100-sxm=8"], "twice"),
    (["train-mixed", "--groups", "h100=8,h100-sxm=8"], "twice"),
    (["wafer", "--die", "26x31", "--die-area", "500"], "not both"),
    (["wafer", "--die-area", "600", "--defect-density", "1e308"], "<= 100"),
    (["serve", "--prefill-tp", "4"], "add --disaggregate"),
    (["serve", "--tp", "3"], "does not divide the 64 attention heads"),
    (["serve", "--utilization", "0.5", "--demand", EXAMPLES / "demand_day.csv"], "not both"),
    (["sites", "--sites", "us-texas,us-texas"], "more than once"),
    (["catalog", "history", "h100", "--at", "2026-13-45"], "month 13"),
    (["catalog", "list", ""], "unknown catalog kind"),
    (["dashboard", "--host", "not a host!"], "not a host name"),
    (["tco", "--set", "site.pue=1/0"], "cannot read"),
    (["tco", "--set", "site.power_price_usd_per_kwh=9**9**9 USD/kWh"], "cannot read"),
    # an assumption outside the values it can take, refused before any work
    (["train", "--set", "assumptions.dp-overlap=1.5"],
     "assumptions.dp-overlap must be between 0 and 1, got 1.5"),
    (["train", "--set", "assumptions.collective-network-step-latency-us=-14"],
     "assumptions.collective-network-step-latency-us must be >= 0, got -14"),
    (["tco", "--set", "assumptions.collective-efficiency=0"],
     "assumptions.collective-efficiency must be > 0 and <= 1, got 0"),
])
def test_reproducer_is_one_clear_line(files, args, message):
    _one_error_line(args, message)
    assert not (files / "report").exists()


def test_unwritable_outputs_fail_before_any_work(files):
    folder = unwritable_folder(files)
    _one_error_line(["report", "--out", folder / "report"], "cannot write in folder")
    _one_error_line(["run", SCENARIO, "--samples-out", folder / "s.parquet"],
                    "cannot write in folder")


def test_numpy_warnings_never_reach_the_terminal(monkeypatch):
    """An overflow inside a model is one error line, not a RuntimeWarning and a number."""
    import numpy as np

    from siliconomics import tco

    real = tco.accelerator_hour

    def overflowing(*args, **kwargs):
        np.float64(1e308) * 10.0  # what an extreme input does deep in a model
        return real(*args, **kwargs)

    monkeypatch.setattr(tco, "accelerator_hour", overflowing)
    line = _one_error_line(["tco", "--json"], "overflowed")
    assert "RuntimeWarning" not in line


def test_a_bug_is_one_line_and_exit_1_with_the_traceback_on_request(monkeypatch):
    """An unexpected exception is reported in one line; SILICONOMICS_TRACEBACK shows it."""
    from siliconomics import tco

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(tco, "accelerator_hour", broken)
    r = CliRunner().invoke(app, ["tco"])
    assert r.exit_code == 1 and r.stderr.startswith("error: internal error (ZeroDivisionError")
    assert len(r.stderr.splitlines()) == 1
    monkeypatch.setenv("SILICONOMICS_TRACEBACK", "1")
    r = CliRunner().invoke(app, ["tco"])
    assert isinstance(r.exception, ZeroDivisionError)


@pytest.mark.parametrize("sig, code, said", [(signal.SIGINT, 130, "error: interrupted"),
                                               (signal.SIGTERM, 143, "error: terminated")])
def test_an_interruption_a_library_turned_into_its_own_error_is_still_one(
        monkeypatch, capsys, sig, code, said):
    """A C extension interrupted mid-call can hand back its own error (a SystemError 'returned
    a result with an exception set') in place of ours: that is still an interruption, not a
    bug, and exits 130 or 143."""
    import typer

    from siliconomics import tco

    def wrapping(*args, **kwargs):
        try:
            os.kill(os.getpid(), sig)
            time.sleep(5)  # the handler raises here
        except BaseException as exc:
            raise SystemError("<built-in method> returned a result with an exception set") \
                from exc
        raise AssertionError("the signal was not delivered")

    monkeypatch.setattr(tco, "accelerator_hour", wrapping)
    before = signal.getsignal(sig)
    with pytest.raises(SystemExit) as ended:
        typer.main.get_command(app).main(["tco"], prog_name="siliconomics")
    assert ended.value.code == code
    assert capsys.readouterr().err.strip().splitlines()[-1] == said
    assert signal.getsignal(sig) is before  # the command's handlers are gone again
    monkeypatch.setattr(tco, "accelerator_hour", lambda *a, **k: 1 / 0)
    r = CliRunner().invoke(app, ["tco"])  # the next command's bug is a bug, not that signal
    assert r.exit_code == 1 and "internal error" in r.stderr


@pytest.mark.parametrize("sig, code, said", [(signal.SIGINT, 130, "error: interrupted"),
                                               (signal.SIGTERM, 143, "error: terminated")],
                         ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("ends_first", [False, True], ids=["long", "short"])
def test_an_interruption_landing_in_a_finalizer_still_ends_the_command(
        monkeypatch, capsys, sig, code, said, ends_first):
    """A signal whose handler runs inside a ``__del__`` or a weakref callback (where Python
    swallows exceptions with an "Exception ignored" traceback) still ends the command, with
    its one line and no traceback, whether it is still running when the signal comes again or
    has ended by then; the CI once caught SIGTERM landing in WeakKeyDictionary's callback and
    printing one."""
    from siliconomics import tco

    class Finalized:
        def __del__(self):
            os.kill(os.getpid(), sig)  # the handler runs here, inside the finalizer

    def interrupted(*args, **kwargs):
        Finalized()  # dropped at once: its __del__ runs now
        if ends_first:  # the command ends before the signal comes again
            return original(*args, **kwargs)
        time.sleep(5)  # the signal, delivered again, ends the command here
        raise AssertionError("the signal was not delivered again")

    original = tco.accelerator_hour
    assert CliRunner().invoke(app, ["tco"]).exit_code == 0  # imports done: "short" is short

    monkeypatch.setattr(tco, "accelerator_hour", interrupted)
    before = sys.unraisablehook
    with pytest.raises(SystemExit) as ended:
        typer.main.get_command(app).main(["tco"], prog_name="siliconomics")
    err = capsys.readouterr().err
    assert ended.value.code == code, err
    assert "Traceback" not in err and "Exception ignored" not in err, err
    assert err.strip().splitlines()[-1] == said
    assert sys.unraisablehook is before


def _strict_json(text: str):
    def refuse(name):
        raise AssertionError(f"{name} is not JSON")

    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize("args", [
    ["tco", "--json"], ["tco", "--rent", "1", "--method", "epoch", "--json"],
    ["chip", "--json"], ["wafer", "--die-area", "850", "--defect-density", "100", "--json"],
    ["train", "--json"], ["serve", "--json"], ["sites", "--sites", "us-texas", "--json"],
    ["whatif", "h100-sxm", "h200", "--json"], ["industry", "foundries", "--json"],
    ["catalog", "history", "h100", "--at", "2040", "--json"],
])
def test_json_output_is_always_strict_json(args):
    """NaN and Infinity are not JSON: values that are not finite are printed as null."""
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 0, r.stderr
    _strict_json(r.stdout)


# --- interrupted outputs ------------------------------------------------------------------------
def _leftovers(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")
                  if p.name.endswith((".tmp", ".partial", ".part")) or ".probe" in p.name)


def _timed(args, cwd) -> float:
    t0 = time.perf_counter()
    subprocess.run([*CLI, *map(str, args)], cwd=cwd, check=True, capture_output=True,
                   timeout=600)
    return time.perf_counter() - t0


def _check_codes(outcomes, sig) -> None:
    """Interrupted runs exit 130 (SIGINT) or 143 (SIGTERM) with one line saying so; one
    signalled while the interpreter itself is still starting or already ending dies of the
    signal (a negative code), with no file open."""
    expected = 130 if sig == signal.SIGINT else 143
    codes = [code for code, _ in outcomes]
    assert expected in codes and set(codes) <= {0, expected, -int(sig)}, outcomes
    said = "error: interrupted" if sig == signal.SIGINT else "error: terminated"
    assert all(err.splitlines()[-1] == said for code, err in outcomes if code == expected), \
        outcomes


def _interrupt(args, cwd, sig, after_s) -> tuple[int, str]:
    p = subprocess.Popen([*CLI, *map(str, args)], cwd=cwd, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True)
    time.sleep(after_s)
    if p.poll() is None:
        p.send_signal(sig)
    _, err = p.communicate(timeout=600)
    assert "Traceback" not in err, err
    return p.returncode, err.strip()


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_interrupted_report_leaves_the_old_one_or_the_new_one(tmp_path, sig):
    out = tmp_path / "report"
    args = ["report", "--sites", "us-texas", "--out", out]
    whole = _timed(args, tmp_path)
    old = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (out / "index.html").write_text("OLD " + (out / "index.html").read_text())
    (out / "summary.json").write_text(json.dumps({"generated": "OLD"}))
    codes = []
    for fraction in (0.05, 0.4, 0.8, 0.95):
        codes.append(_interrupt(args, tmp_path, sig, fraction * whole))
        assert _leftovers(tmp_path) == []
        html = (out / "index.html").read_text()
        summary = json.loads((out / "summary.json").read_text())
        if html.startswith("OLD "):  # interrupted: the old report, whole
            assert summary == {"generated": "OLD"}
        else:  # finished: the new report, whole and consistent
            assert html.rstrip().endswith("</html>") and summary["generated"] in html
            assert {p for p in out.rglob("*") if p.is_file()} >= set(old)
            (out / "index.html").write_text("OLD " + html)
            (out / "summary.json").write_text(json.dumps({"generated": "OLD"}))
    _check_codes(codes, sig)


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_interrupted_samples_out_leaves_the_old_file_or_the_new_one(tmp_path, sig):
    pq = pytest.importorskip("pyarrow.parquet")
    target = tmp_path / "s.parquet"
    args = ["run", SCENARIO, "--samples", "1000000", "--samples-out", target]
    whole = _timed(args, tmp_path)
    rows = pq.read_metadata(target).num_rows
    codes = []
    for fraction in (0.1, 0.5, 0.9):
        target.write_bytes(b"OLD")
        codes.append(_interrupt(args, tmp_path, sig, fraction * whole))
        assert _leftovers(tmp_path) == []
        if target.read_bytes() != b"OLD":
            assert pq.read_metadata(target).num_rows == rows
    _check_codes(codes, sig)


# --- network ------------------------------------------------------------------------------------
@pytest.mark.slow
def test_dask_engine_listens_on_loopback_only(tmp_path):
    """While ``run --engine dask`` runs, every listening socket of its processes is on
    127.0.0.0/8 (scheduler, nannies, workers; no dashboard)."""
    psutil = pytest.importorskip("psutil")
    pytest.importorskip("distributed")
    p = subprocess.Popen([*CLI, "run", str(SCENARIO), "--samples", "3000000", "--engine", "dask",
                          "--workers", "2"], cwd=tmp_path, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True)
    seen: set[tuple[str, int]] = set()
    try:
        root = psutil.Process(p.pid)
        while p.poll() is None:
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                break
            for proc in procs:
                try:
                    for c in proc.net_connections(kind="inet"):
                        if c.status == psutil.CONN_LISTEN:
                            seen.add((c.laddr.ip, c.laddr.port))
                except psutil.Error:
                    pass
            time.sleep(0.1)
    finally:
        _, err = p.communicate(timeout=600)
    assert p.returncode == 0, err
    assert len(seen) >= 3, seen  # the scheduler and at least two workers were seen listening
    assert [ip for ip, _ in seen if not (ip.startswith("127.") or ip == "::1")] == []
