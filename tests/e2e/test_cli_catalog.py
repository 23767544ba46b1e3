"""``siliconomics catalog history`` and ``catalog audit`` as a user runs them."""

import json
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "catalog"


def test_history_json_has_dated_points_with_sources(cli):
    r = cli("catalog", "history", "h100", "--catalog", DATA / "h100_resale_high.toml", "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["subject"] == "accelerators.h100-sxm"
    secondary = next(s for s in d["series"] if s["series"] == "h100-secondary")
    assert all(p["date"] and p["source"] for p in secondary["points"])


def test_history_table_chart_and_extrapolation_warning(cli):
    r = cli("catalog", "history", "h100", "--measure", "secondary", "--at", "2034",
            "--catalog", DATA / "h100_resale_high.toml")
    assert r.exit_code == 0, r.output
    assert "*" in r.stdout and "held flat" in r.stdout
    assert "warning:" in r.stderr and "years after the last point" in r.stderr


def test_history_unknown_entry_and_measure(cli):
    r = cli("catalog", "history", "h10")
    assert r.exit_code == 2 and "did you mean" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    r = cli("catalog", "history", "h100", "--measure", "rent")
    assert r.exit_code == 2 and "no 'rent' price series" in r.stderr


def test_audit_json_and_bad_age(cli):
    r = cli("catalog", "audit", "--older-than", "18months", "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert {"old_entries", "values_without_ranges", "points_without_dated_sources"} <= set(d)
    assert all(row["reason"] in ("historical", "assumption", "stale") for row in d["old_entries"])
    r = cli("catalog", "audit", "--older-than", "eighteen months")
    assert r.exit_code == 2 and "cannot read 'eighteen months' as an age" in r.stderr


def test_epoch_method_prices_at_the_purchase_date(cli):
    r = cli("tco", "-a", "h100", "--method", "epoch", "--purchase-date", "2023-09", "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["epoch"]["accelerator_price_usd"] == 31120  # Epoch AI: HGX H100, Sep 2023
    assert d["purchase"]["rule"] == "point"
    r = cli("tco", "-a", "h100", "--purchase-date", "2023-09")
    assert r.exit_code == 2 and "applies to --method epoch" in r.stderr
