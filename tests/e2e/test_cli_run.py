"""``siliconomics run`` and ``siliconomics sensitivity`` as a user runs them, and bad input."""

import json
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "tco_texas_vs_johor.toml"

SMALL = """
[scenario]
name = "small"
samples = 5000
seed = 1
uncertainty = "catalog"

[inputs]
accelerator = "h100"
site = "us-texas"
utilization = "clip(0.7 to 0.95, _, 1)"

[outputs]
metrics = ["usd_per_accelerator_hour", "power_share"]
exceed = { usd_per_accelerator_hour = [2.0] }
"""


@pytest.fixture
def small(tmp_path):
    p = tmp_path / "small.toml"
    p.write_text(SMALL)
    return p


def test_run_json_has_metrics_with_percentiles(cli, small):
    r = cli("run", small, "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    m = d["metrics"]["usd_per_accelerator_hour"]
    for key in ("mean", "std", "p5", "p50", "p95", "count", "exceedance"):
        assert key in m
    assert m["count"] == 5000 and m["p5"] < m["p50"] < m["p95"]
    assert d["samples"] == 5000 and d["seed"] == 1 and "accelerator.price_usd" in d["inputs"]


def test_run_options_override_the_file_and_repeat_bit_for_bit(cli, small):
    a = json.loads(cli("run", small, "--samples", "3000", "--seed", "9", "--json").stdout)
    b = json.loads(cli("run", small, "--samples", "3000", "--seed", "9", "--workers", "1",
                       "--json").stdout)
    assert a["samples"] == 3000 and a["metrics"] == b["metrics"]
    c = json.loads(cli("run", small, "--samples", "3000", "--seed", "10", "--json").stdout)
    assert c["metrics"] != a["metrics"]


def test_run_table_and_example(cli):
    r = cli("run", EXAMPLE, "--samples", "4000")
    assert r.exit_code == 0, r.output
    assert "usd_per_accelerator_hour@malaysia-johor" in r.stdout and "p95" in r.stdout
    assert "P(usd_per_accelerator_hour@us-texas > 2)" in r.stdout


def test_run_samples_out_writes_parquet(cli, small, tmp_path):
    import pyarrow.parquet as pq

    out = tmp_path / "samples.parquet"
    r = cli("run", small, "--samples", "2000", "--samples-out", out, "--json")
    assert r.exit_code == 0, r.output
    t = pq.read_table(out)
    assert t.num_rows == 2000 and "accelerator.price_usd" in t.column_names
    assert "usd_per_accelerator_hour" in t.column_names


@pytest.mark.parametrize("method, key", [("sobol", "ST"), ("morris", "mu_star"),
                                         ("tornado", "swing"), ("rank", "spearman")])
def test_sensitivity_methods_json(cli, small, method, key):
    args = ["sensitivity", small, "--method", method, "--json"]
    if method in ("sobol", "rank", "morris"):
        args += ["--samples", "64" if method != "rank" else "2000"]
    r = cli(*args)
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["method"] == method and d["output"] == "usd_per_accelerator_hour"
    assert key in d["inputs"][0] and len(d["inputs"]) > 10


def test_sensitivity_table(cli, small):
    r = cli("sensitivity", small, "--method", "tornado")
    assert r.exit_code == 0, r.output
    assert "price_usd" in r.stdout and "swing" in r.stdout


def _bad(cli, *args):
    r = cli(*args)
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ")
    return lines[0]


def test_bad_input_exits_2_with_one_line_naming_file_and_key(cli, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[scenario]\nsamples = 10\n[inputs]\npue = "1.5 to 1.1"\n')
    assert f"{bad}:4: inputs.pue: low must be <= high" in _bad(cli, "run", bad)
    bad.write_text('[scenario]\nsamples = 10\n[inputs\n')
    assert "not valid TOML" in _bad(cli, "run", bad)
    bad.write_text('[scenario]\nsamples = 10\nfoo = 1\n')
    assert f"{bad}:3: scenario.foo: unknown key" in _bad(cli, "run", bad)
    assert "does not exist" in cli("run", tmp_path / "missing.toml").output or \
        cli("run", tmp_path / "missing.toml").exit_code == 2


def test_zero_samples_and_bad_options(cli, small, tmp_path):
    assert "Invalid value for '--samples'" in _bad(cli, "run", small, "--samples", "0")
    assert "'2.5' is not a whole number" in _bad(cli, "run", small, "--samples", "2.5")
    assert "not in the range 1 to 10,000,000,000" in _bad(cli, "run", small, "--samples", "2e10")


def test_sample_counts_are_written_as_analysts_write_them(cli, small):
    """``1e3``, ``1_000`` and ``1,000`` are the same 1,000 samples (the README's cluster
    example runs ``--samples 1e10``)."""
    seen = set()
    for text in ("1e3", "1_000", "1,000", "1000"):
        r = cli("run", small, "--samples", text, "--json")
        assert r.exit_code == 0, r.output
        data = json.loads(r.stdout)
        seen.add((data["samples"], json.dumps(data["metrics"], sort_keys=True)))
    assert len(seen) == 1 and next(iter(seen))[0] == 1000
    assert "unknown engine 'spark'" in _bad(cli, "run", small, "--engine", "spark")
    # named as an engine, not blamed on the scenario's inputs
    assert _bad(cli, "run", small, "--engine", "dsk").startswith(
        "error: unknown engine 'dsk'; did you mean 'dask'?")
    assert "did you mean 'sobol'" in _bad(cli, "sensitivity", small, "--method", "sobel")
    assert "power of two" in _bad(cli, "sensitivity", small, "--samples", "100")


def test_failed_run_writes_no_output_file(cli, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[scenario]\nsamples = 100\n[inputs]\nmfu = "1.2 to 1.5"\ntraining_flop = 1e25\n')
    out = tmp_path / "s.parquet"
    msg = _bad(cli, "run", bad, "--samples-out", out)
    assert "mfu" in msg
    assert not out.exists() and list(tmp_path.iterdir()) == [bad]


def test_dask_engine_from_the_cli_matches_the_local_engine(cli, small):
    local = json.loads(cli("run", small, "--samples", "70000", "--json").stdout)
    r = cli("run", small, "--samples", "70000", "--engine", "dask", "--workers", "1", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["metrics"] == local["metrics"]


def test_qmc_sampler_from_the_command_line_and_the_file(cli, small, tmp_path):
    r = cli("run", small, "--sampler", "qmc", "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["sampler"] == "qmc"
    plain = json.loads(cli("run", small, "--json").stdout)
    a, b = (x["metrics"]["usd_per_accelerator_hour"] for x in (d, plain))
    assert a["mean"] == pytest.approx(b["mean"], rel=0.01)
    in_file = tmp_path / "qmc.toml"
    in_file.write_text(SMALL.replace('seed = 1', 'seed = 1\nsampler = "qmc"'))
    assert json.loads(cli("run", in_file, "--json").stdout) == {**d, "path": str(in_file),
                                                               "seconds": pytest.approx(0, abs=1e9),
                                                               "samples_per_second": pytest.approx(0, abs=1e12)}


def test_unknown_sampler_is_one_line(cli, small, tmp_path):
    r = cli("run", small, "--sampler", "sobel")
    assert r.exit_code == 2 and "unknown sampler 'sobel'" in r.output
    bad = tmp_path / "bad.toml"
    bad.write_text(SMALL.replace('seed = 1', 'seed = 1\nsampler = "sobel"'))
    r = cli("run", bad)
    assert r.exit_code == 2 and "scenario.sampler" in r.output and "Traceback" not in r.output


def test_a_run_too_long_to_finish_asks_for_yes(cli, small):
    r = cli("run", small, "--samples", "10000000000")
    assert r.exit_code == 2
    line = r.output.strip()
    assert "\n" not in line and "add --yes" in line and "samples would take about" in line


def test_a_scheduler_that_does_not_answer_is_one_line_within_seconds(cli, small):
    import time

    t0 = time.perf_counter()
    r = cli("run", small, "--engine", "tcp://127.0.0.1:1")
    assert r.exit_code == 2 and time.perf_counter() - t0 < 20
    assert r.output.startswith("error: cannot reach Dask scheduler tcp://127.0.0.1:1")
    assert "inputs" not in r.output  # not blamed on the scenario's inputs
