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
    assert sheets[:3] == ["outputs", "inputs", "provenance"]
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
