"""The report's "How far to trust these numbers" section: the validation suite, summarised."""

from siliconomics import validation
from siliconomics.report.sections import ReportContext
from siliconomics.report.sections import validation as section


def test_each_area_counts_its_held_out_cases_and_the_accelerators_cases_are_listed():
    (s,) = section.build(ReportContext(accelerator="h100"))
    assert s.id == "validation" and s.how_to_read
    held = [c for c in validation.cases() if not c.calibration]
    areas = s.data["areas"]
    assert sum(a["published figures"] for a in areas) == len(held)
    for a in areas:
        assert 0 <= a["known misses"] <= a["published figures"] - a["within tolerance"]
        assert a["median error"] <= a["largest error"]
    cases = s.data["cases"]
    assert cases and all("H100" in c["case"] or "h100" in c["case"].lower() for c in cases)
    assert s.findings[1].startswith("NVIDIA H100")


def test_known_misses_are_named_and_an_unchecked_accelerator_says_so():
    (s,) = section.build(ReportContext(accelerator="mi300x"))
    assert any(f.startswith("Known miss") and " serving." in f.replace("(", " ")
               for f in s.findings)
    assert any(c["result"] == "known miss" for c in s.data["cases"])
    (t,) = section.build(ReportContext(accelerator="trainium2"))
    assert "No published figure about AWS Trainium2" in t.findings[1]
    assert t.data["cases"] == [] and len(t.tables) == 1


def test_a_known_miss_reason_shared_by_many_cases_is_quoted_once_with_their_count():
    (s,) = section.build(ReportContext(accelerator="h100"))
    quoted = [f for f in s.findings if f.startswith("Known miss")]
    assert 1 <= len(quoted) <= section.MAX_KNOWN_MISS_REASONS
    reasons = [f.split("): ", 1)[1] for f in quoted]
    assert len(set(reasons)) == len(reasons)
    misses = [c for c in s.data["cases"] if c["result"] == "known miss"]
    shared = [f for f in quoted if f.startswith("Known misses (")]
    assert shared and len(misses) > len(quoted)
    n = int(shared[0].split("(", 1)[1].split(" cases", 1)[0])
    assert 2 <= n <= len(misses)
