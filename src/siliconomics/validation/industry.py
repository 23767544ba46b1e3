"""Validation of the industry models: the foundry back-test, held-out nodes and the fit.

Calibration procedure (see :mod:`siliconomics.industry.foundries`): two fitted parameters, the
share of world semiconductor sales that funds the leading edge in 2010 and its drift per year,
minimise the squared log error of the continuous firm count over every node with a historical
count except the held-out ones (16/14 nm and 7 nm inside the calibrated span, 3 nm after it).
The held-out cases compare the predicted whole-number count with history; the calibration
nodes are registered as calibration cases and reported apart: they show the fit, not a
prediction. The tolerance is one firm, expressed relative to the published count.
"""

from __future__ import annotations

from functools import cache

from . import case


@cache
def _backtest():
    from ..industry import foundries

    return foundries.backtest()


def _firms(slug):
    return float(_backtest().row(slug)["viable_firms"])


_ONE_FIRM = ("Firm counts are whole numbers and sources differ by a firm on who counts as in "
             "volume at a node: one firm either way.")


def _node_case(slug, published, label, source, status, note, calibration):
    @case(
        id=f"industry.foundries.{slug}.viable-firms",
        topic="industry",
        kind="firms",
        description=f"Viable leading-edge logic makers at {label}"
        + (" (calibration node)" if calibration else " (held out of the calibration)"),
        published=published,
        unit="firms",
        tolerance=1.0 / published,
        source=source,
        status=status,
        note=note,
        justification=_ONE_FIRM,
        calibration=calibration,
    )
    def _f():
        return _firms(slug)

    return _f


_YOLE = ("Yole Developpement, leading-edge players by node, as quoted in 'Semiconductor "
         "Industry Evolution' (mikegorlon.com, 2023): 26 at 130 nm in 2002-03, 3 at 7 nm (Intel, "
         "Samsung, TSMC)")

_node_case("16nm", 4.0, "16/14 nm",
           "Count of firms in volume at 16/14 nm in 2015-16 (catalog foundry_nodes.toml): Intel, "
           "Samsung, TSMC, GlobalFoundries (14LPP licensed from Samsung, AnandTech 2014)",
           "D", "Held out, inside the calibrated span. The era's alliance (Samsung's licence to "
           "GlobalFoundries) halves development per firm.", calibration=False)
_node_case("7nm", 3.0, "7 nm", _YOLE, "C2",
           "Held out, inside the calibrated span.", calibration=False)
_node_case("3nm", 2.0, "3 nm",
           "Count of firms in volume production at 3 nm in 2022: Samsung (3GAE, June 2022) and "
           "TSMC (N3, Dec. 2022), per the companies' announcements; Intel 3 followed in 2024",
           "D", "Held out and after the calibration span: a forecast test. Counting Intel 3 would "
           "make the historical count 3, still within one firm.", calibration=False)
_node_case("130nm", 26.0, "130 nm", _YOLE, "C2",
           "Calibration node. Many 2002 producers ran sub-scale 200 mm lines that the "
           "efficient-scale fixed cost does not admit, so the fit falls short of 26 even with "
           "the era's 200 mm fab and shared development.", calibration=True)
_node_case("20nm", 4.0, "22/20 nm",
           "R. E. Bryant, lecture 'The future of high-performance computing', CMU 15-418, Spring "
           "2016, slide 43: only 4 companies manufacture at 20-22 nm",
           "C2", "Calibration node.", calibration=True)
_node_case("10nm", 3.0, "10 nm",
           "Count of firms at 10 nm (catalog foundry_nodes.toml): Samsung (10LPE, 2016), TSMC "
           "(N10, 2017), Intel (10 nm)", "D", "Calibration node.", calibration=True)
_node_case("5nm", 2.0, "5 nm",
           "Count of firms in volume at 5 nm in 2020 (catalog foundry_nodes.toml): TSMC (N5) and "
           "Samsung (5LPE)", "D", "Calibration node.", calibration=True)
_node_case("2nm", 3.0, "2 nm",
           "Count of firms in volume at 2 nm in 2025 (catalog foundry_nodes.toml): TSMC (N2), "
           "Samsung (SF2), Intel (18A)", "D", "Calibration node.", calibration=True)
