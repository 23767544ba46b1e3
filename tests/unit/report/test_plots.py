"""Static plots as inline SVG: the text they carry, their colours, figures closed after use."""

import re

from siliconomics.report import plots
from siliconomics.results import Breakdown
from siliconomics.silicon import maps


def texts(svg: str) -> list[str]:
    """Text of an SVG drawn with ``svg.fonttype = none`` (text kept as text)."""
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def test_to_svg_returns_the_svg_element_and_closes_the_figure():
    plt = plots._pyplot()
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    svg = plots.to_svg(fig)
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert not plt.fignum_exists(fig.number)


def test_stacked_bars_label_each_total_with_the_share_asked_for():
    svg = plots.stacked_bars(["site-a", "site-b"], {"accelerator": [1.0, 2.0], "power": [0.5, 0.5]},
                             "USD per hour", title="Cost", annotate_share="power")
    t = texts(svg)
    # totals 1.5 and 2.5; power is 0.5/1.5 and 0.5/2.5 of them
    assert "  $1.50  (power 33%)" in t and "  $2.50  (power 20%)" in t
    assert {"site-a", "site-b", "USD per hour", "Cost", "accelerator", "power"} <= set(t)
    assert plots.PALETTE["accelerator"] in svg and plots.PALETTE["power"] in svg


def test_stacked_bars_without_a_share_carry_no_labels():
    svg = plots.stacked_bars(["a"], {"network": [1.0]}, "USD")
    assert not [x for x in texts(svg) if "$" in x]
    svg = plots.stacked_bars(["a"], {"network": [1.0]}, "USD", annotate_share="power")  # absent
    assert not [x for x in texts(svg) if "$" in x]


def test_waterfall_adds_up_the_components_and_draws_the_price_on_the_same_scale():
    b = Breakdown({"compute_dies": 1000.0, "memory": 500.0, "yield_loss": 250.0})
    t = texts(plots.waterfall_svg(b, price_usd=3000.0))
    assert ["$1,000", "$500", "$250", "$1,750"] == [x for x in t if x.startswith("$")]
    assert " price $3,000" in t
    assert {"compute dies", "memory", "yield loss", "total"} <= set(t)


def test_waterfall_states_a_price_far_above_the_cost_instead_of_drawing_it():
    b = Breakdown({"compute_dies": 1000.0, "memory": 500.0, "yield_loss": 250.0})
    t = texts(plots.waterfall_svg(b, price_usd=30_000.0, title="H100"))
    assert "sale price $30,000 = 17.1x the cost to make" in t  # 30000 / 1750
    assert not [x for x in t if x.startswith(" price")]


def test_waterfall_marks_yield_loss_red():
    red = "#e05252"
    assert red in plots.waterfall_svg(Breakdown({"dies": 1.0, "yield_loss": 1.0}))
    assert red not in plots.waterfall_svg(Breakdown({"dies": 1.0, "memory": 1.0}))


def test_waterfall_of_samples_uses_their_means():
    import numpy as np

    b = Breakdown({"dies": np.array([900.0, 1100.0]), "memory": 500.0})
    assert "$1,500" in texts(plots.waterfall_svg(b))


def test_wafer_map_title_counts_the_map_s_dies():
    m = maps.wafer_map(26.0, 31.3, 0.1, seed=4)
    t = texts(plots.wafer_map_svg(26.0, 31.3, 0.1, seed=4))
    assert f"{m['good']} good, {m['defective']} defective, edge dies grey" in t
    assert "mine" in texts(plots.wafer_map_svg(26.0, 31.3, 0.1, seed=4, title="mine"))


def test_wafer_map_colours_dies_by_status():
    good, defective, edge = "#67c23a", "#e05252", "#c8c8c8"
    clean = plots.wafer_map_svg(20.0, 20.0, 0.0)
    assert good in clean and edge in clean and defective not in clean
    assert defective in plots.wafer_map_svg(20.0, 20.0, 1.0, seed=3)


def test_paired_comparison_draws_both_distributions_and_the_difference():
    import numpy as np

    rng = np.random.default_rng(0)
    common = rng.normal(2.0, 0.3, 4000)
    a, b = common, common + 0.05
    overlaid, diff = plots.paired_comparison_svg(a, b, label_a="us-texas", label_b="johor",
                                                 metric="cost", unit="USD/h")
    assert {"A: us-texas", "B: johor", "cost (USD/h)", "samples"} <= set(texts(overlaid))
    title = [t for t in texts(diff) if t.startswith("A - B: median")][0]
    # the difference is exactly -0.05 in every sample: its quantiles say so, and A is always lower
    assert "-$0.05/h" in title and "P(A lower) 100.0%" in title
    assert "A - B, cost (USD/h)" in texts(diff)
