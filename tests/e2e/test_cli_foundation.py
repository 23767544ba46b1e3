"""The CLI as a user runs it: tco, catalog, report, validate, and their errors."""

import json
import subprocess
import sys

import pytest


def test_tco_json_keys(cli):
    r = cli("tco", "--accelerator", "h100", "--site", "us-texas", "--accelerators", 100000, "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    for key in ("usd_per_accelerator_hour", "breakdown", "power_share", "critical_it_mw",
                "facility_mw", "annual_energy_mwh", "capex_usd", "annual_opex_usd"):
        assert key in d
    assert sum(d["breakdown"].values()) == pytest.approx(d["usd_per_accelerator_hour"])
    assert d["accelerator"] == "h100-sxm"


def test_tco_overrides_change_the_answer(cli):
    base = json.loads(cli("tco", "--json").stdout)
    dear = json.loads(cli("tco", "--power-price", "0.20 USD/kWh", "--pue", "1.5", "--json").stdout)
    assert dear["breakdown"]["power"] > base["breakdown"]["power"]
    assert dear["inputs"]["site.power_price_usd_per_kwh"]["value"] == pytest.approx(0.20)


def test_tco_table_mentions_power_share(cli):
    r = cli("tco", "-a", "b200", "-s", "malaysia-johor", "--rent", "3 USD/h", "--method", "epoch")
    assert r.exit_code == 0, r.output
    assert "power share of TCO" in r.stdout and "Cottier" in r.stdout and "renting" in r.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--accelerator", "h1000"), "unknown accelerator 'h1000'; did you mean"),
        (("--site", "texs"), "did you mean 'us-texas'"),
        (("--pue", "0.9"), "pue must be >= 1, got 0.9"),
        (("--utilization", "1.5"), "utilization must be in (0, 1], got 1.5"),
        (("--power-price", "150 MW"), "--power-price: expected a quantity in USD/kWh"),
        (("--financing", "vc"), "unknown financing preset 'vc'"),
        (("--method", "magic"), "unknown method 'magic'"),
    ],
)
def test_tco_bad_input_is_one_line_exit_2(cli, args, message):
    r = cli("tco", *args)
    assert r.exit_code == 2
    assert message in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert "Traceback" not in r.output


def test_negative_count_rejected_by_typer(cli):
    r = cli("tco", "--accelerators", "-5")
    assert r.exit_code == 2


def test_catalog_list_and_show(cli):
    r = cli("catalog", "list", "accelerators", "--json")
    assert r.exit_code == 0
    slugs = {e["slug"] for e in json.loads(r.stdout)["accelerators"]}
    assert {"a100-sxm4-80gb", "h100-sxm", "h800", "h200", "b200", "gb200", "mi300x", "mi325x",
            "tpu-v5p", "gaudi3"} <= slugs
    r = cli("catalog", "show", "H100", "--json")
    fields = {f["field"]: f for f in json.loads(r.stdout)["fields"]}
    assert fields["price_usd"]["low"] < fields["price_usd"]["value"] < fields["price_usd"]["high"]
    assert all(f["source"] and f["as_of"] for f in fields.values())
    r = cli("catalog", "show", "h100")
    assert r.exit_code == 0 and "source" in r.stdout


def test_catalog_show_unknown(cli):
    r = cli("catalog", "show", "texsa")
    assert r.exit_code == 2 and "did you mean" in r.stderr


def test_report_writes_html_tables_xlsx_and_pdf(cli, tmp_path):
    r = cli("report", "--out", tmp_path / "rep", "--sites", "us-texas,malaysia-johor,finland",
            "--pdf")
    assert r.exit_code == 0, r.output
    rep = tmp_path / "rep"
    page = (rep / "index.html").read_text()
    assert "<svg" in page and "Inputs and sources" in page and "us-texas" in page
    assert "<script" not in page and "http://" not in page.split("<body>")[0]  # self-contained
    summary = json.loads((rep / "summary.json").read_text())
    assert len(summary["sections"]["tco"]["sites"]) == 3
    for section in ("tco", "silicon", "training", "serving", "sites", "industry-foundries",
                    "provenance"):
        assert section in summary["sections"], section
    import openpyxl

    sheets = openpyxl.load_workbook(rep / "report.xlsx", read_only=True).sheetnames
    # the live workbook (Inputs and formula sheets) right after the outputs, then the tables
    assert sheets[:7] == ["outputs", "Inputs", "TCO", "Training", "Serving", "inputs table",
                          "provenance"]
    formulas = openpyxl.load_workbook(rep / "report.xlsx")["TCO"]
    assert all(str(row[1].value).startswith("=") for row in formulas.iter_rows(min_row=2))
    assert (rep / "tables" / "tco.csv").read_text().startswith("site")
    assert (rep / "report.pdf").read_bytes()[:5] == b"%PDF-"
    assert not list(rep.rglob("*.tmp")) and not list(rep.rglob("*.part"))
    # the default report (no scenario) has the Uncertainty section and 90% bands on headlines
    assert "uncertainty" in summary["sections"]
    assert "90% band $" in r.stdout.replace("\n", " ")
    assert summary["sections"]["tco"]["cheapest_site_band_usd_per_hour"]["p95"] > 0
    # one scope: the Sites section ranks the report's accelerator, not another
    assert summary["sections"]["sites"]["accelerator"] == summary["sections"]["tco"]["accelerator"]
    # every file written is listed on screen and linked from the page, the PDF included
    assert summary["files"][0] == "index.html" and "report.pdf" in summary["files"]
    for name in summary["files"]:
        assert (rep / name).is_file(), name
        assert f"<a href='{name}'>" in page, name
        assert str(rep / name) in r.stdout.replace("\n", ""), name
    # alt text on every chart, a "how to read this" in every section
    assert page.count("<svg") == page.count('<svg role="img" aria-label="') > 5
    assert page.count("<section") == page.count("How to read this.")


def test_report_bad_site_writes_nothing(cli, tmp_path):
    r = cli("report", "--out", tmp_path / "rep", "--sites", "us-texas,atlantis")
    assert r.exit_code == 2 and "unknown site 'atlantis'" in r.stderr
    assert not (tmp_path / "rep").exists()


def test_tco_names_its_energy_convention(cli):
    r = cli("tco", "-n", "1024")
    assert r.exit_code == 0, r.output
    assert "facility (server x PUE), busy draw 75%, location-based" in r.stdout
    d = json.loads(cli("tco", "-n", "1024", "--energy-scope", "accelerator", "--busy-draw", "1",
                       "--emissions", "market", "--carbon-free-share", "1", "--json").stdout)
    assert d["energy_convention"]["label"].startswith("accelerator TDP, full draw, market-based")
    assert d["annual_energy_mwh"] == pytest.approx(1024 * 0.7 * 8766 / 1000)
    assert d["annual_emissions_t"] == 0.0


def test_tco_epoch_depreciates_from_purchase_to_run(cli):
    d = json.loads(cli("tco", "--method", "epoch", "--purchase-date", "2023-09", "--run-date",
                       "2024-09", "--json").stdout)
    assert d["epoch"]["hardware_age_years"] == pytest.approx(1.0)
    new = json.loads(cli("tco", "--method", "epoch", "--purchase-date", "2023-09", "--json").stdout)
    assert d["epoch"]["breakdown"]["hardware"] == pytest.approx(
        new["epoch"]["breakdown"]["hardware"] * 10 ** -0.14)
    r = cli("tco", "--method", "epoch", "--purchase-date", "2024-09", "--run-date", "2023-01")
    assert r.exit_code == 2 and "before the purchase date" in r.stderr


def test_validate_reports_areas_and_calibration_apart(cli):
    r = cli("validate", "--topic", "industry")
    assert "Per area: mean, median and max absolute error" in r.stdout
    assert "industry (calibration)" in r.stdout
    d = json.loads(cli("validate", "--topic", "industry", "--json").stdout)
    assert {a["calibration"] for a in d["areas"]} == {True, False}
    assert all(c["limit"] >= c["tolerance"] for c in d["cases"])


def test_validate_prints_sources_and_known_misses_as_written(cli):
    """Text in square brackets (a catalog table such as [default]) is printed, not read as
    terminal markup and dropped."""
    from siliconomics import validation

    texts = [c.known_miss for c in validation.cases(topic="serving") if "[" in c.known_miss]
    assert texts, "no known miss with brackets to check"
    out = " ".join(cli("validate", "--topic", "serving").stdout.split())
    for text in texts:
        assert " ".join(text.split())[:200] in out


def test_validate_peers_prints_both_estimators_beside_the_published(cli):
    out = json.loads(cli("validate", "--peers", "--json").stdout)
    assert len(out["rows"]) == out["summary"]["aiconfigurator"]["rows"] == 210
    assert set(out["rows"][0]) >= {"published", "siliconomics", "aiconfigurator"}
    bad = cli("validate", "--peers", "--topic", "serving")
    assert bad.exit_code == 2 and "drop --topic" in bad.stderr and "Traceback" not in bad.stderr


def test_validate_runs_every_case(cli):
    r = cli("validate", "--json")
    d = json.loads(r.stdout)
    assert d["failed"] == 0, [c for c in d["cases"] if not c["passed"]]
    assert r.exit_code == 0


def test_installed_command_and_module_entry_point():
    out = subprocess.run([sys.executable, "-m", "siliconomics", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("siliconomics ")
    out = subprocess.run([sys.executable, "-m", "siliconomics", "tco", "--site", "mars"],
                         capture_output=True, text=True)
    assert out.returncode == 2 and out.stderr.startswith("error: unknown site 'mars'")


def test_tco_table_follows_the_number_policy(cli):
    """Money with separators or SI suffixes, shares as percentages, no -0, no 1.497e+09."""
    import re

    r = cli("tco", "-n", "4096", "--rent", "2.5")
    assert r.exit_code == 0, r.output
    assert re.search(r"accelerator price\s+\$25,000 \(list\)", r.stdout)
    assert re.search(r"capex\s+\$\d+(\.\d+)?[MB]\b", r.stdout)
    assert re.search(r"power share of TCO\s+\d+\.\d%", r.stdout)
    assert "e+" not in r.stdout and not re.search(r"-0(\.0+)?\b", r.stdout)
    assert re.search(r"renting at \$2\.50/h", r.stdout)


def test_counts_and_money_take_k_m_b_suffixes(cli):
    """``-n 16k`` and ``--price 30k`` read as 16,000 accelerators and $30,000; ``--tokens 15T``
    as 15 trillion; a suffix on a word that is not a number is left alone."""
    r = cli("tco", "-n", "16k", "--price", "30k", "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["accelerators"] == 16_000 and d["price"]["price_usd"] == 30_000
    r = cli("train", "--model", "llama-3.1-70b", "--tokens", "15T", "--accelerators=4k", "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["accelerators"] == 4000 and d["tokens"] == 15e12
    r = cli("tco", "-n", "2.5k5")
    assert r.exit_code == 2 and r.stderr.startswith("error:")


def test_validate_prints_a_known_miss_reason_once_for_the_cases_it_explains(cli):
    from siliconomics import validation

    out = cli("validate", "--topic", "serving").stdout
    flat = " ".join(out.split())
    known = [c for c in validation.cases(topic="serving") if c.known_miss]
    shared = {}
    for c in known:
        shared.setdefault(c.known_miss, []).append(c.id)
    reason, ids = max(shared.items(), key=lambda kv: len(kv[1]))
    assert len(ids) > 1
    assert flat.count(" ".join(reason.split())[:120]) == 1
    assert f"known misses ({len(ids)})" in flat
    assert all(i in flat for i in ids)


def test_catalog_show_names_other_kinds_of_the_same_name(cli):
    r = cli("catalog", "show", "h100")
    assert r.exit_code == 0 and "serving_efficiency.h100-sxm" in r.stdout
    assert "serving_efficiency.h100-sxm" in json.loads(cli("catalog", "show", "h100",
                                                           "--json").stdout)["also"]
    r = cli("catalog", "show", "serving_efficiency.h100-sxm", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["kind"] == "serving_efficiency"


def test_tables_fit_a_narrow_terminal_and_stay_wide_in_logs(monkeypatch):
    """A terminal of 80 columns gets tables of 80 (a table wider than the terminal would be
    broken up line by line); output to a file or a CI log keeps at least 100."""
    from rich.console import Console

    from siliconomics.cli._common import console

    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setattr(Console, "is_terminal", property(lambda self: True))
    assert console().width == 80
    monkeypatch.setattr(Console, "is_terminal", property(lambda self: False))
    assert console().width == 100
