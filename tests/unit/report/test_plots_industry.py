"""Industry plots: foundries per node against history, labs per year with their band."""

import re

from siliconomics.report import plots_industry

HELD_OUT = "#e6a23c"


def texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def _node(name, year, firms, held_out, history=None, low=None, high=None):
    return dict(name=name, year=year, viable_firms=firms, held_out=held_out,
                historical_firms=history, historical_low=low, historical_high=high)


def test_foundries_label_each_node_and_colour_the_held_out_ones():
    rows = [_node("130nm", 2001, 20, False, 26, 22, 30), _node("7nm", 2018, 3, True, 3, 3, 3),
            _node("2nm", 2025, 2, False)]  # no historical count: no point drawn
    svg = plots_industry.foundries_vs_history(rows)
    t = texts(svg)
    assert ["130nm", "2001", "7nm", "2018", "2nm", "2025"] == t[:6]
    assert {"leading-edge logic firms", "predicted (orange: held out)", "historical"} <= set(t)
    assert HELD_OUT in svg
    assert HELD_OUT not in plots_industry.foundries_vs_history([_node("5nm", 2020, 3, False, 3, 2, 4)])


def test_labs_band_is_drawn_only_when_the_rows_carry_one():
    rows = [dict(year=2025, viable_labs=5, viable_labs_with_leader=4),
            dict(year=2026, viable_labs=4, viable_labs_with_leader=3)]
    plain = texts(plots_industry.labs_band(rows))
    assert {"equal shares (central inputs)", "with a leading lab (central inputs)"} <= set(plain)
    assert "median" not in plain
    banded = [r | {"band": {"viable_labs": {"p5": r["viable_labs"] - 2, "p50": r["viable_labs"],
                                            "p95": r["viable_labs"] + 3}}} for r in rows]
    t = texts(plots_industry.labs_band(banded))
    assert {"5-95% (Monte Carlo, equal shares)", "median"} <= set(t)
