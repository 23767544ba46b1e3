"""Every validation case states a tolerance no wider than its kind's limit, and says why.

The limits (``siliconomics.validation.LIMITS``) are the project's: FLOPs 10%, throughput or MFU
of a stated layout 15%, GPU-hours and days 25%, serving throughput of a stated setup 25%, chip
cost 35%, energy 20%. No case is skipped: a case without a justification, or wider than its
limit, fails here.
"""

import pytest

from siliconomics import validation

CASES = validation.cases()


def test_published_limits():
    assert validation.LIMITS["flops"] == 0.10
    assert validation.LIMITS["throughput"] == 0.15
    assert validation.LIMITS["gpu-hours"] == 0.25
    assert validation.LIMITS["serving-throughput"] == 0.25
    assert validation.LIMITS["chip-cost"] == 0.35
    assert validation.LIMITS["energy"] == 0.20


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_tolerance_within_the_limit_of_its_kind(case):
    assert case.check in validation.LIMITS, f"{case.id}: unknown kind {case.check!r}"
    assert 0 < case.tolerance <= case.limit, (
        f"{case.id}: tolerance {case.tolerance:.1%} is wider than the {case.check} limit "
        f"{case.limit:.1%}")


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_tolerance_is_justified(case):
    assert len(case.justification.strip()) > 20, (
        f"{case.id}: no justification of its tolerance from the source's precision")


def test_at_least_sixty_cases():
    assert len(CASES) >= 60


def test_summary_reports_calibration_apart():
    outcomes = [validation.evaluate(c) for c in CASES if c.topic == "industry"]
    rows = validation.summarize(outcomes)
    assert {r["calibration"] for r in rows} == {c.calibration for c in
                                                 (o.case for o in outcomes)}
    for r in rows:
        assert 0 <= r["mean_abs_error"] <= r["max_abs_error"]
        assert r["passed"] <= r["cases"]


def test_kind_of_units():
    assert validation.kind_of("FLOP") == "flops"
    assert validation.kind_of("GPU-hours") == "gpu-hours"
    assert validation.kind_of("MWh") == "energy"
    assert validation.kind_of("firms") == "firms"
