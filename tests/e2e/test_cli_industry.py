"""``siliconomics industry foundries|labs`` as a user runs it, and its bad-input errors."""

import json

import pytest


def test_foundries_json_has_the_per_node_table(cli):
    r = cli("industry", "foundries", "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["held_out"] == ["16nm", "7nm", "3nm"]
    nodes = {n["node"]: n for n in d["nodes"]}
    for key in ("viable_firms", "historical_firms", "fixed_cost_usd", "revenue_pool_usd",
                "wafer_price_usd", "held_out", "year", "wafer_mm", "alliance_members",
                "addressable_share"):
        assert key in nodes["7nm"]
    assert nodes["130nm"]["historical_firms"] == 26
    assert set(d["held_out_errors"]) == {"16nm", "7nm", "3nm"}
    assert nodes["130nm"]["wafer_mm"] == 200 and "share_growth_per_year" in d


def test_foundries_table(cli):
    r = cli("industry", "foundries")
    assert r.exit_code == 0, r.output
    assert "held out" in r.stdout and "130 nm" in r.stdout and "held-out error" in r.stdout


def test_foundries_options_change_the_answer(cli):
    sym = json.loads(cli("industry", "foundries", "--leader-volume-ratio", "1", "--json").stdout)
    other = json.loads(cli("industry", "foundries", "--holdout", "5nm", "--holdout", "n10", "--json").stdout)
    assert sym["parameters"]["leader_volume_ratio"] == 1.0
    assert other["held_out"] == ["10nm", "5nm"]


def test_labs_json_has_the_per_year_table(cli):
    r = cli("industry", "labs", "--from", "2026", "--to", "2030", "--samples", "200", "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    years = d["years"]
    assert [y["year"] for y in years] == [2026, 2027, 2028, 2029, 2030]
    for key in ("viable_labs", "viable_labs_with_leader", "fixed_cost_usd", "revenue_pool_usd",
                "run_cost_usd", "required_revenue_usd", "capex_share_of_revenue", "band"):
        assert key in years[0]
    assert years[0]["band"]["viable_labs"]["p5"] <= years[0]["band"]["viable_labs"]["p95"]


def test_labs_table_and_scenario(cli, tmp_path):
    path = tmp_path / "s.toml"
    path.write_text("[inputs]\nrevenue_pool_usd = 6e10\n")
    base = json.loads(cli("industry", "labs", "--samples", "0", "--json").stdout)
    rich = json.loads(cli("industry", "labs", "--samples", "0", "--scenario", path, "--json").stdout)
    assert rich["years"][0]["viable_labs"] > base["years"][0]["viable_labs"]
    r = cli("industry", "labs", "--samples", "100")
    assert r.exit_code == 0, r.output
    assert "Frontier AI labs" in r.stdout and "2035" in r.stdout and "payback" in r.stdout


@pytest.mark.parametrize(
    ("args", "scenario", "message"),
    [
        (("labs", "--from", "2010"), None, "year must be in [2025, 2040], got 2010"),
        (("labs", "--from", "2031", "--to", "2030"), None, "--from must be <= --to"),
        (("labs",), "[inputs]\nrevenue_pool_usd = -5e9\n", "revenue_pool_usd must be >= 0"),
        (("labs",), "[inputs]\nrun_cost_usd = -1\n", "run_cost_usd must be > 0, got -1"),
        (("labs",), "[inputs]\nrun_cost_growth_per_year = -0.4\n", "run_cost_growth_per_year must be > 0"),
        (("labs",), "[inputs]\nrevenue_growth_per_year = 250\n", "growth factor per year in (0, 20]"),
        (("labs",), '[inputs]\nrevenue_growth_per_year = "2x"\n', "cannot read '2x'"),
        (("labs",), "[inputs]\nrun_cost_grwth_per_year = 2\n", "did you mean 'run_cost_growth_per_year'"),
        (("labs", "--run-cost", "trnd"), None, "unknown run cost source 'trnd'"),
        (("foundries", "--holdout", "9nm"), None, "unknown foundry_node '9nm'"),
        (("foundries", "--margin", "1.5"), None, "Invalid value for '--margin'"),
        (("foundries", "--leader-volume-ratio", "0.5"), None, "Invalid value for '--leader-volume-ratio'"),
    ],
)
def test_bad_input_one_line_exit_2(cli, tmp_path, args, scenario, message):
    args = list(args)
    if scenario is not None:
        path = tmp_path / "bad.toml"
        path.write_text(scenario)
        args += ["--scenario", str(path)]
    r = cli("industry", *args, "--json")
    assert r.exit_code == 2, r.output
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], r.stderr
    assert "Traceback" not in r.output


def test_missing_scenario_file(cli, tmp_path):
    r = cli("industry", "labs", "--scenario", tmp_path / "nope.toml")
    assert r.exit_code == 2
    assert "scenario file not found" in r.stderr and len(r.stderr.strip().splitlines()) == 1
