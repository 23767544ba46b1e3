"""``siliconomics industry outlook|asic|retire`` as a user runs them, and their bad-input errors."""

import json
import math

import pytest


def test_outlook_json_covers_2025_to_2035_with_bands_and_binding(cli):
    r = cli("industry", "outlook", "--samples", "200", "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    years = d["years"]
    assert [y["year"] for y in years] == list(range(2025, 2036))
    for y in years:
        assert y["binding"] in ("fixed cost", "revenue", "supply", "power")
        b = y["band"]["funded_run_cost_usd"]
        assert b["p5"] <= b["p50"] <= b["p95"]
    assert sum(p["calibration"] for p in d["published_runs"]) == 1
    # the 2025 frontier run within +-50% of the published estimate it cites (Grok 4, $490M)
    assert abs(years[0]["funded_run_cost_usd"] / 4.9e8 - 1) <= 0.5


def test_outlook_table_and_year_range(cli):
    r = cli("industry", "outlook", "--from", "2026", "--to", "2028", "--samples", "0")
    assert r.exit_code == 0, r.output
    assert "binds" in r.stdout and "2028" in r.stdout and "2029" not in r.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("outlook", "--from", "2020"), "--from must be a year in [2025, 2040]"),
        (("outlook", "--to", "2045"), "--to must be a year in [2025, 2040]"),
        (("outlook", "--from", "2030", "--to", "2026"), "--from must be <= --to"),
        (("asic", "--case", "tpu-v5"), "did you mean 'tpu-v5p'"),
        (("retire", "-a", "h10"), "did you mean 'h100-sxm'"),
        (("retire", "-a", "h100", "--year", "2019"), "--year must be in [2022, 2040]"),
        (("retire", "-a", "tpu-v5p", "--year", "2026"), "no rental price series"),
        (("retire", "--site", "texsa"), "did you mean 'us-texas'"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(cli, args, message):
    r = cli("industry", *args)
    assert r.exit_code == 2, r.output
    assert message in r.output
    assert len(r.output.strip().splitlines()) == 1


def test_asic_json_has_break_even_and_ranking(cli):
    r = cli("industry", "asic", "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    names = [c["custom"] for c in d["cases"]]
    assert {"tpu-v5p", "trainium2"} <= set(names)
    for c in d["cases"]:
        assert c["break_even_units"] > 0
        swings = [row["swing"] for row in c["sensitivity"] if row["swing"] is not None]
        assert swings == sorted(swings, reverse=True)
    assert d["fabless_vs_idm"]["break_even_wafers_per_month"] > 0


def test_asic_vendor_margin_moves_the_break_even(cli):
    low = json.loads(cli("industry", "asic", "--case", "trainium2", "--vendor-margin", "0.75",
                         "--json").stdout)["cases"][0]["break_even_units"]
    high = json.loads(cli("industry", "asic", "--case", "trainium2", "--vendor-margin", "0.9",
                          "--json").stdout)["cases"][0]["break_even_units"]
    assert high < low
    r = cli("industry", "asic")
    assert r.exit_code == 0 and "break-even" in r.stdout and "wafers/month" in r.stdout


def test_retire_prints_the_three_values_and_the_decision(cli):
    r = cli("industry", "retire", "-a", "h100", "--year", "2027", "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    values = d["values_usd_per_accelerator"]
    assert set(values) == {"keep", "sell", "inference"}
    assert values[d["decision"]] == max(values.values())
    assert all(math.isfinite(v) for v in values.values())
    table = cli("industry", "retire", "-a", "h100", "--year", "2027", "--units", "50000")
    assert table.exit_code == 0 and "decision:" in table.stdout
    big = json.loads(cli("industry", "retire", "-a", "h100", "--year", "2027", "--units", "50000",
                         "--json").stdout)
    assert big["values_usd_per_accelerator"]["sell"] < values["sell"]
