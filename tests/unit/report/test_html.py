"""The HTML report: sections escape their text, tables format numbers, write_report's files."""

import json

import numpy as np
import pandas as pd
import pytest

from siliconomics.report.html import Section, frame_to_html, write_report

SVG = "<svg xmlns='http://www.w3.org/2000/svg'><rect width='1' height='1'/></svg>"


def test_section_escapes_its_text_and_embeds_its_figures():
    s = Section(id="a<b", title="Cost <&> price", intro="x < y & z",
                findings=["<script>alert(1)</script>"], figures=[(SVG, "caption <i>")])
    html = s.to_html()
    assert "<section id='a&lt;b'><h2>Cost &lt;&amp;&gt; price</h2>" in html
    assert "<p>x &lt; y &amp; z</p>" in html
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert ("<figure><svg role=\"img\" aria-label=\"caption &lt;i&gt;\" "
            "xmlns='http://www.w3.org/2000/svg'><title>caption &lt;i&gt;</title>"
            "<rect width='1' height='1'/></svg><figcaption>caption &lt;i&gt;</figcaption>"
            "</figure>") in html
    assert html.endswith("</section>")


def test_empty_parts_are_left_out():
    html = Section(id="s", title="T").to_html()
    assert "<p>" not in html and "finding" not in html and "<figure>" not in html


@pytest.mark.parametrize(("value", "text"), [
    (123456.7, "123,457"), (-250000.0, "-250,000"),  # >= 1e5: whole, with separators
    (1234.56, "1,235"), (100.0, "100"),  # whole digits kept, four significant figures
    (99.12345, "99.12"), (0.000123456, "0.0001235"),  # below: four significant digits
    (float("nan"), ""), (-0.0, "0"), (4.806e-13, "0"),  # no -0, solver noise rounded away
])
def test_numbers_in_tables_are_formatted(value, text):
    html = frame_to_html(pd.DataFrame({"v": [value]}))
    assert f"<td class='num'>{text}</td>" in html


def test_tables_align_numbers_right_and_escape_text():
    frame = pd.DataFrame({"site": ["a<b", "c"], "USD/h": [1.5, 2.0], "n": [3, 4]})
    html = frame_to_html(frame, caption="Costs & more")
    assert "<caption style='text-align:left'>Costs &amp; more</caption>" in html
    assert "<th>site</th><th class='num'>USD/h</th><th class='num'>n</th>" in html
    assert "<tr><td>a&lt;b</td><td class='num'>1.5</td><td class='num'>3</td></tr>" in html
    assert html.count("<tr>") == 3  # header and two rows
    assert "<caption" not in frame_to_html(frame)


def _sections():
    one = Section(id="tco", title="TCO", findings=["cheap", "dear"],
                  tables=[("by site", pd.DataFrame({"site": ["x"], "USD/h": [1.0]}))],
                  data={"total": np.float64(2.5), "samples": np.array([1.0, 2.0])})
    two = Section(id="chip cost", title="Chip", findings=["made"],
                  tables=[("bom", pd.DataFrame({"part": ["die"], "USD": [10.0]})),
                          ("sweep", pd.DataFrame({"n": [1, 2]}))])
    return [one, two]


def test_write_report_writes_the_page_the_summary_and_every_table(tmp_path):
    index = write_report(_sections(), tmp_path / "out", title="My <report>")
    out = tmp_path / "out"
    assert index == out / "index.html"
    page = index.read_text()
    assert page.startswith("<!DOCTYPE html>") and "<title>My &lt;report&gt;</title>" in page
    assert "<a href='#tco'>TCO</a>" in page and "<section id='chip cost'>" in page
    summary = json.loads((out / "summary.json").read_text())
    assert summary["title"] == "My <report>"
    assert summary["sections"]["tco"] == {"total": 2.5, "samples": [1.0, 2.0]}
    # one table: named after its section; several: numbered; names made file-safe
    names = ["tables/chip-cost-1.csv", "tables/chip-cost-2.csv", "tables/outputs.csv", "tables/tco.csv"]
    assert summary["tables"] == names
    for name in names:
        assert (out / name).is_file()
    assert pd.read_csv(out / "tables" / "chip-cost-2.csv")["n"].tolist() == [1, 2]
    outputs = pd.read_csv(out / "tables" / "outputs.csv")
    assert outputs.to_dict("records") == [{"section": "TCO", "finding": "cheap"},
                                          {"section": "TCO", "finding": "dear"},
                                          {"section": "Chip", "finding": "made"}]
    xlsx = pd.read_excel(out / "report.xlsx", sheet_name=None)
    assert list(xlsx)[0] == "outputs" and set(xlsx) == {"outputs", "tco", "chip-cost-1", "chip-cost-2"}
    assert not [p for p in out.rglob("*") if "tmp" in p.name or p.name.startswith(".")]


def test_a_failed_report_leaves_no_file_behind(tmp_path):
    bad = _sections()
    bad[0].data["unserialisable"] = {1, 2}
    with pytest.raises(TypeError, match="cannot serialise set"):
        write_report(bad, tmp_path / "out")
    assert [p for p in (tmp_path / "out").rglob("*") if p.is_file()] == []


def test_navigation_links_escape_the_section_id(tmp_path):
    page = write_report([Section(id="a' onclick='x", title="T")], tmp_path).read_text()
    assert "onclick='x'" not in page
