"""``siliconomics compare`` end to end: paired differences of two scenario files."""

import json
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TEXAS, JOHOR = EXAMPLES / "tco_texas.toml", EXAMPLES / "tco_johor.toml"


def test_texas_vs_johor_json_gives_paired_difference_quantiles(cli):
    r = cli("compare", TEXAS, JOHOR, "--samples", "20000", "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["a"]["scenario"].endswith("us-texas") and d["b"]["scenario"].endswith("malaysia-johor")
    assert d["samples"] == 20_000 and "accelerator.price_usd" in d["shared_inputs"]
    cost = d["metrics"]["usd_per_accelerator_hour"]
    q = cost["difference_quantiles"]
    assert q["p5"] <= q["p50"] <= q["p95"]
    assert abs(cost["mean_difference"] - (cost["mean_a"] - cost["mean_b"])) < 1e-9
    assert 0.0 <= cost["p_a_cheaper"] <= 1.0
    # the shared uncertainty cancels: the difference is far narrower than either cost's spread
    assert q["p95"] - q["p5"] < 0.2 * cost["mean_a"]


def test_compare_table(cli):
    r = cli("compare", TEXAS, JOHOR, "--samples", "5000")
    assert r.exit_code == 0, r.output
    assert "P(A cheaper)" in r.stdout and "usd_per_acce" in r.stdout


def test_different_metrics_are_one_line_exit_2(cli, tmp_path):
    r = cli("compare", TEXAS, EXAMPLES / "tco_texas_vs_johor.toml")
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr.count("\n") == 1 and "report different metrics" in r.stderr
    assert "only tco_texas.toml has usd_per_accelerator_hour" in r.stderr


def test_missing_file_is_one_line(cli, tmp_path):
    r = cli("compare", TEXAS, tmp_path / "nope.toml")
    assert r.exit_code == 2 and r.stderr.startswith("error:") and r.stderr.count("\n") == 1
