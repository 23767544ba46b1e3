"""``siliconomics sites`` and ``siliconomics plan`` as a user runs them."""

import json


def test_sites_default_ranks_all_with_power_share(cli):
    r = cli("sites", "--accelerator", "b200", "--accelerators", "100000", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    rows = data["sites"]
    from siliconomics import catalog

    assert len(rows) == len(catalog.names("sites")) >= 28
    costs = [x["usd_per_accelerator_hour"] for x in rows]
    assert costs == sorted(costs)
    assert all(0 < x["power_share"] < 0.25 for x in rows)
    assert {"tco2e_per_year", "earliest_power_year", "pue", "annual_energy_mwh"} <= set(rows[0])


def test_sites_table_and_subset(cli):
    r = cli("sites", "--sites", "us-texas,malaysia-johor,saudi-arabia")
    assert r.exit_code == 0, r.output
    assert "power is" in r.stdout and "saudi-arabia" in r.stdout


def test_sites_unknown_site_exit_2(cli):
    r = cli("sites", "--sites", "us-texsa")
    assert r.exit_code == 2
    assert "us-texas" in r.stderr and "Traceback" not in r.output


def test_plan_small_json(cli):
    r = cli("plan", "examples/plan_small.toml", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["status"] == "optimal"
    assert {"plan", "npv_usd", "binding_constraints", "mw_value_usd"} <= set(data)
    assert data["npv_usd"] > 0 and data["plan"]


def test_plan_compute_objective_table(cli):
    r = cli("plan", "examples/plan_small.toml", "--objective", "compute")
    assert r.exit_code == 0, r.output
    assert "objective compute" in r.stdout


def test_plan_infeasible_explains(cli, tmp_path):
    f = tmp_path / "p.toml"
    f.write_text('[plan]\nyears = [2027, 2027]\nsites = ["ireland"]\naccelerators = ["b200"]\n'
                 '[sites.ireland]\npower_available_mw = 1200\n'
                 '[demand]\nunit = "pflop_per_s"\nby_year = { 2027 = 2000000 }\n')
    r = cli("plan", f)
    assert r.exit_code == 2
    assert "demand in 2027 needs at least" in r.stderr and "1.20 GW" in r.stderr


def test_plan_bad_inputs_exit_2(cli, tmp_path):
    base = '[plan]\nyears = [2026, 2027]\nsites = ["us-texas"]\naccelerators = ["b200"]\n'
    for extra, text in (('[budget]\nusd_per_year = "3 GW"\n', "budget.usd_per_year"),
                        ('[demand]\nby_year = { 2026 = -5 }\n', "must be >= 0"),
                        ('[supply]\nb2000 = { 2026 = 5 }\n', "b200")):
        f = tmp_path / "p.toml"
        f.write_text(base + extra)
        r = cli("plan", f)
        assert r.exit_code == 2, (extra, r.output)
        assert text in r.stderr and len(r.stderr.strip().splitlines()) == 1
    r = cli("plan", tmp_path / "missing.toml")
    assert r.exit_code == 2


def test_report_section_sites_and_plan():
    from siliconomics.report.sections import ReportContext, sites

    secs = sites.build(ReportContext(accelerators=10_000))
    assert [s.id for s in secs] == ["sites", "plan"]
    html = "".join(s.to_html() for s in secs)
    assert html.count("<svg") >= 2 and "Where each MW goes" in html
    assert secs[1].data["status"] == "optimal"


def test_sites_at_80_columns_shows_every_number_whole(tmp_path):
    """In a real 80-column terminal run, no cell is cut (no ellipsis), no line is wider than
    80, every kept number is whole, and a note names the columns left out."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, COLUMNS="80", LINES="50")
    env.pop("NO_COLOR", None)
    r = subprocess.run([sys.executable, "-m", "siliconomics", "sites"], capture_output=True,
                       text=True, env=env, timeout=300, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert "…" not in r.stdout and "..." not in r.stdout
    assert all(len(line.rstrip()) <= 80 for line in lines), max(map(len, lines))
    rows = [line for line in lines if line.startswith("│")]
    assert len(rows) >= 10
    import re

    for row in rows:
        cells = [c.strip() for c in row.strip("│").split("│")]
        assert re.fullmatch(r"\$\d+\.\d\d", cells[2]), cells  # USD/h whole: $2.13
        assert re.fullmatch(r"\d+\.\d%", cells[3]), cells  # power share as a percentage
    assert "2027" in r.stdout and "2027.5" not in r.stdout and "2,027" not in r.stdout
    assert "columns left out to fit 80 characters" in r.stdout
