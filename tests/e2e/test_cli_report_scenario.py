"""``siliconomics report SCENARIO.toml``: the report gains the scenario's distributions."""

import json
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "tco_texas_vs_johor.toml"


def test_report_with_a_scenario(cli, tmp_path):
    small = tmp_path / "s.toml"
    small.write_text(EXAMPLE.read_text().replace("samples = 200_000", "samples = 20_000"))
    r = cli("report", small, "--out", tmp_path / "rep", "--sites", "us-texas")
    assert r.exit_code == 0, r.output
    summary = json.loads((tmp_path / "rep" / "summary.json").read_text())
    assert any(k.startswith("uncertainty") for k in summary["sections"])
    page = (tmp_path / "rep" / "index.html").read_text()
    assert "tornado" in page.lower()


def test_report_with_a_bad_scenario_writes_nothing(cli, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[scenario]\nname = "x"\n[inputs]\npue = "2 to 1"\n')
    r = cli("report", bad, "--out", tmp_path / "rep")
    assert r.exit_code == 2 and "bad.toml:4: inputs.pue: low must be <= high" in r.stderr
    assert not (tmp_path / "rep").exists()


def test_the_progress_bar_steps_through_every_section_on_a_terminal(monkeypatch, capsys):
    import io
    import sys

    from siliconomics.cli import report
    from siliconomics.report.sections import modules

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    err = Terminal()
    monkeypatch.setattr(sys, "stderr", err)
    with report._progress() as step:
        for name in modules():
            step(name)
    assert "report:" in err.getvalue() and "sections" in err.getvalue()
    assert capsys.readouterr().out == ""  # the bar never goes to stdout


def test_no_progress_bar_when_stderr_is_not_a_terminal(monkeypatch):
    import io
    import sys

    from siliconomics.cli import report

    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    with report._progress() as step:
        step("tco")
    assert err.getvalue() == ""


def test_compare_needs_a_first_scenario_and_the_same_metrics(cli, tmp_path):
    examples = Path(__file__).resolve().parents[2] / "examples"
    r = cli("report", "--compare", str(examples / "tco_johor.toml"), "--out", str(tmp_path / "r"))
    assert r.exit_code == 2 and "--compare needs a first scenario" in r.output
    assert not (tmp_path / "r").exists()
    r = cli("report", str(examples / "tco_texas.toml"), "--compare",
            str(examples / "training_run.toml"), "--out", str(tmp_path / "r"))
    assert r.exit_code == 2 and "different metrics" in r.output
    assert not (tmp_path / "r").exists()


def test_the_reports_site_table_at_80_columns_cuts_no_site_or_number(tmp_path):
    """In an 80-column terminal the cost table drops columns (and names them) rather than
    cut a site's name or a number to an ellipsis."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, COLUMNS="80", LINES="50")
    r = subprocess.run([sys.executable, "-m", "siliconomics", "report", "--sites",
                        "us-new-mexico,us-texas", "--out", str(tmp_path / "rep")],
                       capture_output=True, text=True, env=env, timeout=600, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    table = [line for line in r.stdout.splitlines() if line.startswith("│")]
    assert len(table) == 2 and not any("…" in line for line in table)
    assert "us-new-mexico" in table[0] + table[1]
    assert all(len(line.rstrip()) <= 80 for line in table)
    assert "columns left out to fit 80 characters:" in r.stdout
