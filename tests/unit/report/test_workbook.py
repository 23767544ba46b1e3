"""The live workbook: recalculated by a real formula engine (``formulas``), its cells match the
Python models to 1e-9 relative, and changing an input cell moves the results as the models say."""

from __future__ import annotations

import math

import pytest

from siliconomics import tco
from siliconomics.errors import InputError
from siliconomics.report import workbook

formulas = pytest.importorskip("formulas")  # in the test extra; a missing engine fails CI setup

TOLERANCE = 1e-9  # relative: the sheets mirror the Python arithmetic term by term


def recalculate(path, changes=None) -> dict:
    """(sheet, cell) -> value of every formula cell after a full recalculation."""
    model = formulas.ExcelModel().loads(str(path)).finish()
    name = path.name
    inputs = {f"'[{name}]{sheet.upper()}'!{cell}": v for (sheet, cell), v in (changes or {}).items()}
    sol = model.calculate(inputs=inputs) if inputs else model.calculate()
    out = {}
    for key, rng in sol.items():
        book_sheet, cell = key.rsplit("!", 1)
        sheet = book_sheet.split("]", 1)[1].rstrip("'")
        value = rng.value[0][0] if hasattr(rng, "value") else rng
        out[(sheet, cell)] = value
    return out


def max_rel_errors(book, values) -> dict:
    """Largest relative error of each sheet's formula cells against the Python figures."""
    worst = {}
    for (sheet, cell), (key, expected) in book.expected().items():
        got = float(values[(sheet.upper(), cell)])
        err = abs(got - expected) / max(abs(expected), 1e-300)
        worst[sheet] = max(worst.get(sheet, 0.0), err)
    return worst


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    book = workbook.for_question("h100", "us-texas", accelerators=4096)
    path = book.save(tmp_path_factory.mktemp("wb") / "tco.xlsx")
    return book, path


def test_every_sheet_matches_python_to_1e9(saved):
    book, path = saved
    errors = max_rel_errors(book, recalculate(path))
    assert set(errors) == {"TCO", "Training", "Serving"}
    assert all(e <= TOLERANCE for e in errors.values()), errors
    # every component of every sheet is checked, not only the totals
    checked = {k for k, _ in book.expected().values()}
    assert {"accelerator", "system", "network", "facility", "power", "operations", "total",
            "cost_usd", "usd_per_million_output_tokens"} <= checked


def test_power_price_cell_moves_the_tco_as_the_model_says(saved):
    book, path = saved
    cell = book.input_cell("site.power_price_usd_per_kwh")
    values = recalculate(path, {("Inputs", cell): 0.12})
    python = tco.accelerator_hour("h100", "us-texas", accelerators=4096,
                                  power_price_usd_per_kwh=0.12)
    total = book.refs["TCO:total"].split("!")[1].replace("$", "")
    power = book.refs["TCO:power"].split("!")[1].replace("$", "")
    assert math.isclose(values[("TCO", total)], python.usd_per_accelerator_hour, rel_tol=TOLERANCE)
    assert math.isclose(values[("TCO", power)], python.breakdown["power"], rel_tol=TOLERANCE)
    before = book.sheets["TCO"][-3].expected  # the unchanged total
    assert values[("TCO", total)] > before


def test_other_inputs_move_results_too(tmp_path):
    book = workbook.for_question("h100", "us-texas", accelerators=1024, training_model=None,
                                 serving_model=None, utilization=0.7, residual_fraction=None)
    path = book.save(tmp_path / "t.xlsx")
    changes = {("Inputs", book.input_cell("financing.cost_of_capital")): 0.12,
               ("Inputs", book.input_cell("tco.utilization")): 0.5}
    values = recalculate(path, changes)
    python = tco.accelerator_hour("h100", "us-texas", accelerators=1024, utilization=0.5,
                                  set={"financing.cost_of_capital": 0.12})
    total = book.refs["TCO:total"].split("!")[1].replace("$", "")
    assert math.isclose(values[("TCO", total)], python.usd_per_accelerator_hour, rel_tol=TOLERANCE)


def test_zero_cost_of_capital_uses_the_limit(tmp_path):
    from siliconomics import finance

    book = workbook.build(tco.accelerator_hour("h100", "us-texas", accelerators=512))
    path = book.save(tmp_path / "zero.xlsx")
    values = recalculate(path, {("Inputs", book.input_cell("financing.cost_of_capital")): 0.0})
    crf = book.refs["TCO:crf_accelerator"].split("!")[1].replace("$", "")
    assert values[("TCO", crf)] == finance.capital_recovery_factor(0.0, 5.0) == 0.2


def test_inputs_are_typed_numbers_with_units_ranges_and_sources(saved):
    import openpyxl

    book, path = saved
    ws = openpyxl.load_workbook(path)["Inputs"]
    header = [c.value for c in ws[1]]
    assert header == list(workbook.INPUT_COLUMNS)
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    price = rows["site.power_price_usd_per_kwh"]
    assert isinstance(price[2].value, float) and price[3].value == "USD/kWh"
    assert price[4].value < price[2].value < price[5].value
    assert "EIA" in price[6].value and price[2].comment is not None
    assert all(isinstance(r[2].value, (int, float)) for r in rows.values())
    tco_sheet = openpyxl.load_workbook(path)["TCO"]
    assert all(str(r[1].value).startswith("=") for r in tco_sheet.iter_rows(min_row=2))


def test_money_cells_use_the_formatting_policy(saved):
    import openpyxl

    book, path = saved
    ws = openpyxl.load_workbook(path)["Inputs"]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    assert rows["accelerator.price_usd"][2].number_format == '"$"#,##0'
    assert rows["financing.cost_of_capital"][2].number_format.endswith("%")
    assert rows["assumptions.power-draw-fraction"][2].number_format == "0.0%"


def test_unwritable_path_fails_before_writing(tmp_path):
    book = workbook.build(tco.accelerator_hour("h100", "us-texas", accelerators=512))
    with pytest.raises(InputError, match="does not exist"):
        book.save(tmp_path / "missing" / "x.xlsx")
    with pytest.raises(InputError, match=".xlsx"):
        book.save(tmp_path / "x.csv")
    assert list(tmp_path.iterdir()) == []


def test_samples_are_refused():
    import numpy as np

    r = tco.accelerator_hour("h100", "us-texas", accelerators=512,
                             power_price_usd_per_kwh=np.array([0.05, 0.07]))
    with pytest.raises(InputError, match="one value per input"):
        workbook.build(r)


def test_report_xlsx_carries_the_live_sheets_and_matches_python(tmp_path, saved):
    """``report.xlsx`` as the report writes it: live sheets after "outputs", clashing table
    sheets renamed, every formula recalculated to the Python figures; its tables' numbers
    cleaned of noise and negative zero."""
    import openpyxl
    import pandas as pd

    from siliconomics.report import Section, write_report

    book, _ = saved
    table = pd.DataFrame({"site": ["a", "b"], "MW": [4.806e-13, 300.0], "USD/h": [-0.0, 1.97],
                          "year": [2027.0, 2028.0]})
    sections = [Section(id="tco", title="TCO", findings=["x"], tables=[("t", table)]),
                Section(id="inputs", title="Inputs", tables=[("i", table)])]
    write_report(sections, tmp_path / "rep", workbook=book)
    path = tmp_path / "rep" / "report.xlsx"
    names = openpyxl.load_workbook(path).sheetnames
    assert names[:5] == ["outputs", "Inputs", "TCO", "Training", "Serving"]
    assert {"tco table", "inputs table"} <= set(names)
    errors = max_rel_errors(book, recalculate(path))
    assert set(errors) == {"TCO", "Training", "Serving"}
    assert max(errors.values()) <= TOLERANCE, errors
    cells = pd.read_excel(path, sheet_name="tco table")
    assert cells["MW"].tolist() == [0.0, 300.0]
    assert str(cells["USD/h"][0]) == "0.0" and cells["year"].tolist() == [2027, 2028]
    csv = (tmp_path / "rep" / "tables" / "tco.csv").read_text()
    assert "e-13" not in csv and "-0.0" not in csv and ",2027\n" in csv and "2027.0" not in csv


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    """One TCO workbook compiled once by the formula engine, recalculated per example."""
    book = workbook.build(tco.accelerator_hour("h100", "us-texas", accelerators=2048))
    path = book.save(tmp_path_factory.mktemp("prop") / "prop.xlsx")
    return book, formulas.ExcelModel().loads(str(path)).finish(), path.name


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=25, deadline=None)
@given(price=st.floats(0.02, 0.3), pue=st.floats(1.0, 1.8), u=st.floats(0.05, 1.0),
       rate=st.floats(0.01, 0.25), residual=st.floats(0.0, 0.5),
       life=st.integers(2, 10))
def test_any_inputs_recalculate_to_the_python_tco(engine, price, pue, u, rate, residual, life):
    book, model, name = engine
    cells = {"site.power_price_usd_per_kwh": price, "site.pue": pue, "tco.utilization": u,
             "financing.cost_of_capital": rate, "tco.residual_fraction": residual,
             "financing.accelerator_life_years": life}
    inputs = {f"'[{name}]INPUTS'!{book.input_cell(k)}": v for k, v in cells.items()}
    sol = model.calculate(inputs=inputs)
    python = tco.accelerator_hour(
        "h100", "us-texas", accelerators=2048, power_price_usd_per_kwh=price, pue=pue,
        utilization=u, residual_fraction=residual,
        set={"financing.cost_of_capital": rate, "financing.accelerator_life_years": life})
    for key in ("accelerator", "power", "operations", "total"):
        ref = book.refs[f"TCO:{key}"].split("!")[1].replace("$", "")
        got = sol[f"'[{name}]TCO'!{ref}"].value[0][0]
        want = python.breakdown.total if key == "total" else python.breakdown[key]
        assert math.isclose(got, want, rel_tol=TOLERANCE), (key, got, want)


def test_a_run_that_does_not_fit_leaves_its_sheet_out_unless_strict():
    book = workbook.for_question("h100", "us-texas", accelerators=1024, training_accelerators=8,
                                 serving_model=None, strict=False)
    assert list(book.sheets) == ["TCO"]
    with pytest.raises(InputError, match="cannot be trained on 8"):
        workbook.for_question("h100", "us-texas", accelerators=1024, training_accelerators=8,
                              serving_model=None)
