"""Report section "Markets": outlook, ASIC break-even and retirement tables."""

import pytest

from siliconomics.industry import custom_silicon, labs, outlook
from siliconomics.report.sections import ReportContext, modules
from siliconomics.report.sections import markets as section


@pytest.fixture(scope="module")
def built():
    return section.build(ReportContext())


def test_registered_after_industry():
    names = modules()
    assert names.index("markets") == names.index("industry") + 1


def test_outlook_table_is_the_outlook(built):
    out = built[0]
    res = outlook.outlook(range(2025, 2036), samples=section.SAMPLES, seed=section.SEED)
    frame = out.tables[0][1]
    assert frame["year"].tolist() == list(range(2025, 2036))
    assert frame["binds"].tolist() == [r["binding"] for r in res.rows]
    runs = out.tables[1][1]
    assert runs["use"].tolist().count("calibration") == 1
    assert len(runs) == len(labs.PUBLISHED_RUNS)
    assert "Grok 4" in out.findings[0]


def test_asic_and_retirement_tables(built):
    asic, retire = built[1], built[2]
    frame = asic.tables[0][1]
    assert len(frame) == len(custom_silicon.CASES)
    first = custom_silicon.break_even(next(iter(custom_silicon.CASES.values())))
    assert frame["break-even chips"].iloc[0] == pytest.approx(first["break_even_units"])
    rframe = retire.tables[0][1]
    assert len(rframe) == len(section.RETIREMENTS)
    assert set(rframe["decision"]) <= {"keep", "sell", "inference"}


def test_section_data_is_valid_json(built):
    import json

    for s in built:
        json.loads(json.dumps(s.data, allow_nan=False, default=str))
