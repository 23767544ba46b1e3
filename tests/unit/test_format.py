"""The formatting policy: years, money, shares, noise and negative zero, tables that fit."""

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from siliconomics import format as fmt


@pytest.mark.parametrize("value, text", [
    (2027.0, "2027"), (2027, "2027"), (2027.5, "2027"), ("2030", "2030"), (None, ""),
    (float("nan"), "n/a"),
])
def test_years_are_integers(value, text):
    assert fmt.year(value) == text


def test_year_ranges():
    assert fmt.year_range(2022.0, 2023.0) == "2022-2023"
    assert fmt.year_range(2025, 2025.4) == "2025"


@pytest.mark.parametrize("value, text", [
    (1.497e9, "$1.50B"), (6.5e8, "$650M"), (1.9712, "$1.97"), (25_000, "$25,000"),
    (0.09561, "$0.0956"), (2.5e12, "$2.50T"), (-909.4, "-$909"), (-0.0, "$0"),
    (-1e-14, "$0"), (12.3e6, "$12.3M"), (999.6, "$1,000"), (0.0, "$0"),
])
def test_money_with_si_suffixes(value, text):
    assert fmt.money(value) == text


@pytest.mark.parametrize("value, text", [
    (0.052, "5.2%"), (1.0, "100.0%"), (-0.0, "0.0%"), (-1e-13, "0.0%"), (0.00049, "0.05%"),
    (-0.25, "-25.0%"), (0.99998, ">99.9%"), (0.9994, "99.9%"),
])
def test_shares_are_percentages(value, text):
    assert fmt.share(value) == text


def test_noise_is_rounded_away_against_its_scale():
    assert fmt.quantity(4.806e-13, "MW", scale=300.0) == "0 MW"
    assert fmt.clean(3e-8, scale=1e3) == 0.0
    assert fmt.clean(3e-8) == 3e-8  # with no scale, only tiny values are noise
    assert fmt.number(-4.8e-13) == "0"


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15))
def test_no_negative_zero_ever(x):
    for text in (fmt.number(x), fmt.money(x), fmt.share(x), fmt.integer(x)):
        digits = [c for c in text if c.isdigit()]
        if text.startswith("-"):
            assert any(c != "0" for c in digits), text


@given(st.floats(min_value=1e-6, max_value=1e14))
def test_money_keeps_three_significant_figures(x):
    text = fmt.money(x)
    assert text.startswith("$")
    body = text[1:].replace(",", "")
    mult = {"T": 1e12, "B": 1e9, "M": 1e6}.get(body[-1], 1.0)
    value = float(body.rstrip("TBM")) * mult
    assert math.isclose(value, x, rel_tol=0.01), (x, text)


def test_frame_cleans_numbers_for_csv_and_xlsx():
    df = pd.DataFrame({"MW": [4.806e-13, 250.0], "cost": [-0.0, 3.0], "year": [2027.0, 2029.0],
                       "name": ["a", "b"]})
    out = fmt.frame(df)
    assert out["MW"].tolist() == [0.0, 250.0]
    assert math.copysign(1, out["cost"][0]) == 1.0
    assert out["year"].dtype.kind == "i" and out["year"].tolist() == [2027, 2029]
    assert df["MW"][0] == 4.806e-13  # the input is not changed


def test_excel_formats_follow_the_quantity():
    assert fmt.excel_number_format("USD") == '"$"#,##0'
    assert fmt.excel_number_format("USD/kWh").startswith('"$"')
    assert fmt.excel_number_format("fraction") == "0.0%"
    assert fmt.excel_number_format("year") == "0"
    assert fmt.excel_number_format("count") == "#,##0"


def test_fit_columns_drops_before_cutting():
    headers = ["site", "USD/h", "a", "b"]
    rows = [["us-pennsylvania", "$1,971.23", "x" * 20, "y" * 20]]
    shown = fmt.fit_columns(headers, rows, 40, keep=(0, 1))
    assert shown == [0, 1]
    assert fmt.fit_columns(headers, rows, 200) == [0, 1, 2, 3]


def test_rich_table_never_cuts_a_number():
    from rich.console import Console

    headers = ["#", "site", "USD/h", "power share", "GWh/yr", "cap MW"]
    rows = [["1", "us-pennsylvania", "$1,971.23", "12.5%", "1,755", "2,000"]] * 3
    table, note = fmt.rich_table(headers, rows, width=40, keep=(0, 1, 2), wrap=(1,), left=(1,))
    console = Console(width=40, record=True)
    console.print(table)
    text = console.export_text()
    assert "…" not in text and "$1,971.23" in text
    assert all(len(line) <= 40 for line in text.splitlines())
    assert note.startswith("columns left out to fit 40 characters")


def test_report_tables_follow_the_policy():
    """The report's HTML tables: calendar years whole, shares as percentages, no noise, no -0."""
    from siliconomics.report.html import frame_to_html

    df = pd.DataFrame({"site": ["a", "b"], "earliest power": [2027.5, 2029.0],
                       "power share": [0.052, 0.1], "MW": [4.806e-13, 1234.5],
                       "USD/h": [-0.0, 1.9712]})
    html = frame_to_html(df)
    cells = __import__("re").findall(r"<td[^>]*>([^<]*)</td>", html)
    assert cells == ["a", "2027", "5.2%", "0", "0",
                     "b", "2029", "10.0%", "1,234", "1.971"]


@pytest.mark.parametrize("value, column, text", [
    (2027.0, "year", "2027"), (2022.5, "earliest power", "2022"), (0.913, "power share", "91.3%"),
    (-0.0, "x", "0"), (16384, "n", "16,384"), (None, "x", ""), ("h100", "x", "h100"),
])
def test_cells_by_column_kind(value, column, text):
    assert fmt.cell(value, column) == text
