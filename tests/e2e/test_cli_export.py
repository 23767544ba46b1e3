"""``siliconomics export xlsx`` end to end: a workbook with live formulas, or one error line."""

import json
import math

import pytest

formulas = pytest.importorskip("formulas")


def test_export_xlsx_writes_a_workbook_that_recalculates(cli, tmp_path):
    out = tmp_path / "tco.xlsx"
    r = cli("export", "xlsx", "--out", out, "-a", "h100", "--site", "us-texas", "-n", "2048",
            "--power-price", "7 ¢/kWh", "--price", "30k", "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["sheets"] == ["Inputs", "TCO", "Training", "Serving"]
    from siliconomics import tco

    python = tco.accelerator_hour("h100", "us-texas", accelerators=2048,
                                  power_price_usd_per_kwh=0.07, price_usd=30_000)
    assert math.isclose(d["figures"]["TCO.total"], python.usd_per_accelerator_hour, rel_tol=1e-12)
    model = formulas.ExcelModel().loads(str(out)).finish()
    sol = model.calculate()
    totals = [v.value[0][0] for k, v in sol.items() if k.startswith("'[tco.xlsx]TCO'!B")
              and isinstance(v.value[0][0], float)]
    assert any(math.isclose(t, python.usd_per_accelerator_hour, rel_tol=1e-9) for t in totals)


def test_export_table_lists_the_figures(cli, tmp_path):
    r = cli("export", "xlsx", "--out", tmp_path / "b.xlsx", "--model", "none", "-n", "1024")
    assert r.exit_code == 0, r.output
    assert "workbook written to" in r.stdout and "TCO.total: $" in r.stdout
    assert "Training" not in r.stdout.split("(formulas)")[0].split("),")[1]


@pytest.mark.parametrize("target", ["missing/book.xlsx", "book.csv", "."])
def test_export_bad_path_is_one_line_and_writes_nothing(cli, tmp_path, target):
    r = cli("export", "xlsx", "--out", tmp_path / target)
    assert r.exit_code == 2 and r.stderr.startswith("error:") and r.stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == []
