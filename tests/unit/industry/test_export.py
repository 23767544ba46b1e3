"""Export rules: TPP and performance density classify parts; tiers restrict sites and plans."""

import numpy as np
import pytest

from siliconomics import catalog
from siliconomics.errors import InputError
from siliconomics.industry import export
from siliconomics.planning import fleet, plan_file


def test_tpp_by_hand():
    # H100: 1,978.9 dense FP8 TOP/s x 8 bits; H20: 296 x 8 = 2,368 (the published figure)
    assert export.total_processing_performance("h100") == pytest.approx(1978.9 * 8, rel=1e-3)
    assert export.total_processing_performance("h20") == pytest.approx(2368.0)
    assert export.total_processing_performance("a800") == pytest.approx(4992.0)


def test_known_classifications():
    assert export.classify("h100") == "3A090.a"
    assert export.classify("h800") == "3A090.a"  # caught by the Oct 2023 rule
    assert export.classify("a800") == "3A090.a"  # TPP 4,992 >= 4,800
    assert export.classify("h20") == "not controlled"  # designed below both thresholds


def test_classify_values_at_the_thresholds():
    assert export.classify_values(4800, 0.1) == "3A090.a"
    assert export.classify_values(1600, 5.92) == "3A090.a"
    assert export.classify_values(2400, 1.6) == "3A090.b"
    assert export.classify_values(1600, 3.2) == "3A090.b"
    assert export.classify_values(1599, 100.0) == "not controlled"
    assert export.classify_values(2399, 3.19) == "not controlled"


def test_export_variants_are_catalog_entries_with_their_own_price():
    for slug in ("h20", "h800", "a800"):
        a = catalog.accelerator(slug)
        assert a.price_usd > 0
    assert catalog.accelerator("h20").price_usd < catalog.accelerator("h100").price_usd


def test_site_tiers_follow_the_country_unless_a_region_is_named():
    assert export.site_tier("us-texas") == 1
    assert export.site_tier("uae") == 2
    assert export.site_tier("uae", "tier-3") == 3
    assert export.country_tier("CN") == 3


def test_unknown_region_names_the_closest():
    with pytest.raises(InputError, match="did you mean 'tier-2'"):
        export.region("tier2x")


def test_status_by_tier():
    assert export.status("h100", 1) == "allowed"
    assert export.status("h100", 2) == "licence"
    assert export.status("h100", 3) == "prohibited"
    assert export.status("h20", 3) == "allowed"


def test_table_classifies_the_whole_catalog():
    t = export.table()
    assert len(t.rows) == len(catalog.names("accelerators"))
    assert t.sources["thresholds"].startswith("BIS")


def _problem():
    data = {"plan": {"years": [2026, 2027], "sites": ["us-texas", "uae"],
                     "accelerators": ["h100-sxm", "h20"], "lot_size": 8, "cluster_size": 20000},
            "demand": {"by_year": {2026: 4000, 2027: 6000}},
            "sites": {"us-texas": {"power_available_mw": 4}, "uae": {"power_available_mw": 500}}}
    return plan_file.build_problem(plan_file.parse_plan(data))


def test_a_tier_3_site_buys_only_uncontrolled_parts():
    free = fleet.solve(_problem(), "cost").raise_for_status()
    assert any(x["site"] == "uae" and x["generation"] == "h100-sxm" and x["bought"] > 0
               for x in free.plan)  # without the rule the cheaper site takes H100s
    p = export.restrict_plan(_problem(), regions={"uae": "tier-3"})
    assert p.allowed.tolist() == [[True, True], [False, True]]
    r = fleet.solve(p, "cost").raise_for_status()
    at_uae = [x for x in r.plan if x["site"] == "uae" and x["bought"] > 0]
    assert all(x["generation"] == "h20" for x in at_uae)


def test_tier_2_without_licences_hosts_no_controlled_part():
    mask = export.allowed_mask(["us-texas", "uae"], ["h100-sxm", "h20"], licences=False)
    assert mask.tolist() == [[True, True], [False, True]]
    assert export.allowed_mask(["uae"], ["h100-sxm"]).tolist() == [[True]]


def test_region_for_a_site_outside_the_plan_is_rejected():
    with pytest.raises(InputError, match="not in the plan"):
        export.allowed_mask(["us-texas"], ["h100"], regions={"uae": "tier-3"})
    assert np.all(export.restrict_plan(_problem()).allowed)
