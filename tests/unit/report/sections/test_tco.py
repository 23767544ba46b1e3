"""Report section "TCO": every site's cost of an accelerator-hour, cheapest first."""

import pytest

from siliconomics import tco
from siliconomics.report.sections import ReportContext
from siliconomics.report.sections import tco as section

SITES = ["us-texas", "finland", "ireland"]


@pytest.fixture(scope="module")
def built():
    return section.tco_by_site("h100", SITES, accelerators=1024)


def test_sites_are_ranked_by_their_own_tco(built):
    s, results = built
    alone = {site: tco.accelerator_hour("h100", site, accelerators=1024).usd_per_accelerator_hour
             for site in SITES}
    assert [r.site for r in results] == sorted(alone, key=alone.get)
    frame = s.tables[0][1]
    assert frame["site"].tolist() == [r.site for r in results]
    assert frame["USD/h"].tolist() == pytest.approx([alone[r.site] for r in results])
    assert frame[list(tco.COMPONENTS)].sum(axis=1).tolist() == pytest.approx(frame["USD/h"].tolist())
    assert frame["energy GWh/yr"].tolist() == pytest.approx(
        [r.annual_energy_mwh / 1e3 for r in results])


def test_findings_state_the_spread_and_the_cluster(built):
    s, results = built
    cheap, dear = results[0], results[-1]
    shares = [r.power_share for r in results]
    assert s.findings[0].startswith(f"Power is {min(shares):.0%} to {max(shares):.0%} of the cost")
    assert (f"({cheap.site}, ${cheap.usd_per_accelerator_hour:.2f}/h)" in s.findings[0]
            and f"({dear.site}, ${dear.usd_per_accelerator_hour:.2f}/h)" in s.findings[0])
    spread = dear.usd_per_accelerator_hour / cheap.usd_per_accelerator_hour - 1
    assert s.findings[0].endswith(f"differ by {spread:.0%}.")
    assert s.findings[1].startswith(f"A 1,024-accelerator cluster needs {cheap.critical_it_mw:,.0f} MW")


def test_figure_and_data(built):
    s, results = built
    (svg, caption, alt), = s.figures
    assert alt.startswith("Stacked horizontal bars of the cost of one h100 hour")
    assert svg.startswith("<svg") and all(site in svg for site in SITES)
    assert s.data["sites"] == [r.to_dict() for r in results]
    assert (s.data["accelerator"], s.data["accelerators"]) == ("h100", 1024)
    assert "<section id='tco'>" in s.to_html()


def test_build_keeps_the_results_for_the_inputs_table():
    ctx = ReportContext(accelerator="b200", accelerators=2048, sites=["finland"])
    [s] = section.build(ctx)
    assert s.id == "tco" and [r.site for r in ctx.tco_results] == ["finland"]
    assert ctx.tco_results[0].usd_per_accelerator_hour == pytest.approx(
        tco.accelerator_hour("b200", "finland", accelerators=2048).usd_per_accelerator_hour)


def test_build_quotes_the_band_of_the_cheapest_site():
    ctx = ReportContext(accelerator="h100", accelerators=1024, sites=["finland", "us-texas"])
    [s] = section.build(ctx)
    cheapest = ctx.tco_results[0]
    band = s.data["cheapest_site_band_usd_per_hour"]
    assert ctx.extra["bands"]["runs"]["tco"][0].inputs["site"] == cheapest.site
    assert band["p5"] < cheapest.usd_per_accelerator_hour < band["p95"]
    assert f"${cheapest.usd_per_accelerator_hour:.2f}/h, 90% band ${band['p5']:.2f} to " \
           f"${band['p95']:.2f})" in s.findings[0]
