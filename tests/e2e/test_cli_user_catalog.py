"""--catalog and --set on every command: a user's own accelerator at its own price everywhere;
whatif through the whole chain; config.json models; bad input gets one line and exit 2."""

import json
from pathlib import Path

import pytest

from siliconomics import catalog, tco

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
CHIP = DATA / "catalog" / "user_chip.toml"
EXAMPLE = ROOT / "examples" / "memory_breakthrough.toml"


@pytest.fixture(scope="module")
def x1_hour():
    """TCO of the user accelerator x1 (price $12,000) at a few cluster sizes, from Python."""
    with catalog.using(CHIP):
        return {n: tco.accelerator_hour("x1", accelerators=n).usd_per_accelerator_hour
                for n in (1024, 10_000, 100_000)}


def ok(r):
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def test_tco_prices_the_user_accelerator_at_its_own_price(cli, x1_hour):
    d = ok(cli("tco", "-a", "x1", "--catalog", CHIP, "--json"))
    assert d["price"]["price_usd"] == 12_000 and d["system"]["system"] == "hgx-h100"
    assert d["usd_per_accelerator_hour"] == pytest.approx(x1_hour[100_000], rel=1e-12)
    dearer = ok(cli("tco", "-a", "h100", "--json"))
    assert d["usd_per_accelerator_hour"] < dearer["usd_per_accelerator_hour"]


def test_chip_uses_the_user_price_for_the_margin(cli):
    d = ok(cli("chip", "x1", "--catalog", CHIP, "--json"))
    assert d["price_usd"] == 12_000
    assert d["gross_margin"] == pytest.approx((12_000 - d["cost_usd"]) / 12_000)


def test_train_costs_the_run_at_the_user_price(cli, x1_hour):
    d = ok(cli("train", "-m", "llama-3.1-8b", "-a", "x1", "-n", "1024", "--mfu", "0.4",
               "--catalog", CHIP, "--json"))
    assert d["usd_per_accelerator_hour"] == pytest.approx(x1_hour[1024], rel=1e-12)


def test_serve_costs_tokens_at_the_user_price(cli, x1_hour):
    d = ok(cli("serve", "-m", "llama-3.1-8b", "-a", "x1", "--tp", "1", "--batch", "32",
               "--catalog", CHIP, "--json"))
    assert d["usd_per_accelerator_hour"] == pytest.approx(x1_hour[10_000], rel=1e-12)


def test_sites_ranks_the_user_accelerator_and_a_user_site(cli):
    d = ok(cli("sites", "-a", "x1", "-n", "100000", "--sites", "us-texas,texas-ppa",
               "--catalog", CHIP, "--catalog", DATA / "catalog" / "user_site.toml", "--json"))
    rows = {r["site"]: r for r in d["sites"]}
    with catalog.using(CHIP):
        texas = tco.accelerator_hour("x1", "us-texas").usd_per_accelerator_hour
    assert rows["us-texas"]["usd_per_accelerator_hour"] == pytest.approx(texas, rel=1e-12)
    assert rows["texas-ppa"]["usd_per_accelerator_hour"] < texas
    assert rows["texas-ppa"]["power_price_usd_per_kwh"] == 0.04


def test_plan_buys_the_user_accelerator_at_its_price(cli, tmp_path):
    from siliconomics.planning import plan_file

    plan = plan_file.load_plan(DATA / "plan_user.toml")
    with catalog.using(CHIP):
        cheap = plan_file.build_problem(plan)
    dear_file = tmp_path / "dear.toml"
    dear_file.write_text("[accelerators.x1]\nprice_usd = { value = 20000, source = 'test', "
                         "as_of = '2026-12' }\n")
    with catalog.using(CHIP, dear_file):
        dear = plan_file.build_problem(plan)
    lot = plan.plan.lot_size
    assert (dear.capex_per_unit - cheap.capex_per_unit)[0, 0] == pytest.approx(8000 * lot)
    d = ok(cli("plan", DATA / "plan_user.toml", "--catalog", CHIP, "--json"))
    assert d["status"] == "optimal" and d["plan"][0]["generation"] == "x1"


def test_run_samples_a_scenario_over_the_user_accelerator(cli, tmp_path, x1_hour):
    sc = tmp_path / "s.toml"
    sc.write_text(f'[scenario]\nsamples = 1000\n[catalog]\nfiles = ["{CHIP}"]\n'
                  '[inputs]\naccelerator = "x1"\n')
    d = ok(cli("run", sc, "--json"))
    assert d["metrics"]["usd_per_accelerator_hour"]["mean"] == pytest.approx(x1_hour[100_000],
                                                                             rel=1e-12)


def test_report_covers_the_user_accelerator(cli, tmp_path, x1_hour):
    out = tmp_path / "rep"
    d = ok(cli("report", "-a", "x1", "--catalog", CHIP, "--sites", "us-texas", "--out", out,
               "--json"))
    assert (out / "index.html").exists()
    assert "x1" in (out / "index.html").read_text()
    t = d["sections"]["tco"]
    assert t["accelerator"] == "x1"
    texas = next(row for row in t["sites"] if row["site"] == "us-texas")
    assert texas["usd_per_accelerator_hour"] == pytest.approx(x1_hour[100_000], rel=1e-12)


def test_set_equals_the_same_value_in_a_catalog_file(cli):
    by_set = ok(cli("tco", "-a", "h100", "--set", "accelerator.price_usd=12000", "--json"))
    by_file = ok(cli("tco", "-a", "h100", "--catalog", DATA / "catalog" / "h100_price.toml",
                     "--json"))
    assert by_set["usd_per_accelerator_hour"] == by_file["usd_per_accelerator_hour"]
    assert by_set["inputs"]["accelerator.price_usd"]["layer"] == "--set"
    assert by_file["inputs"]["accelerator.price_usd"]["layer"].startswith("user catalog")


def test_set_reaches_the_chip_under_cost_plus(cli):
    base = ok(cli("tco", "-a", "h100", "--pricing", "cost-plus", "--json"))
    cheap = ok(cli("tco", "-a", "h100", "--pricing", "cost-plus", "--set",
                   "node.wafer_price_usd=10000", "--set", "memory.price_usd_per_gb=4 USD/GB",
                   "--json"))
    assert cheap["price"]["price_usd"] < base["price"]["price_usd"]
    assert cheap["usd_per_accelerator_hour"] < base["usd_per_accelerator_hour"]


def test_whatif_memory_breakthrough_json(cli):
    d = ok(cli("whatif", "h200", "h200-dram", "--catalog", EXAMPLE, "--pricing", "pass-through",
               "-m", "llama-3.1-8b", "-n", "1024", "--json"))
    keys = ("chip_cost_usd", "memory_share", "price_usd", "usd_per_accelerator_hour",
            "training_cost_usd", "usd_per_million_output_tokens")
    for side in ("base", "variant", "delta"):
        assert all(k in d[side] for k in keys)
    assert all(d["delta"][k] < 0 for k in keys)


def test_whatif_table(cli):
    r = cli("whatif", "h200", "h200-dram", "--catalog", EXAMPLE, "--pricing", "list",
            "-m", "llama-3.1-8b", "-n", "1024")
    assert r.exit_code == 0, r.output
    assert "vendor gross margin" in r.stdout and "USD per million output tokens" in r.stdout


def test_model_from_config_json_on_the_command_line(cli):
    cfg = DATA / "configs" / "mistral-7b" / "config.json"
    d = ok(cli("serve", "-m", cfg, "-a", "h100", "--tp", "1", "--batch", "8", "--json"))
    assert d["model"] == "mistral-7b"
    d = ok(cli("train", "-m", cfg, "--tokens", "8e12", "-a", "h100", "-n", "512", "--json"))
    assert d["training_flops"] > 6 * 7.2e9 * 8e12


@pytest.mark.parametrize(("args", "message"), [
    (("tco", "--set", "memory.price_usd_per_gbb=4"), "did you mean 'memory.price_usd_per_gb'"),
    (("tco", "--set", "accelerator.price_usd=30 kg"), "expected a quantity in USD"),
    (("tco", "--set", "site.pue"), "write PATH=VALUE"),
    (("tco", "--catalog", "nope.toml"), "catalog file not found"),
    (("tco", "--catalog", DATA / "configs" / "SOURCES.md"), "not valid TOML"),
    (("whatif", "h200", "h200-dramm", "--catalog", EXAMPLE), "did you mean 'h200-dram'"),
    (("serve", "-m", DATA / "configs", "-a", "h100"), "is a directory"),
    (("train", "-m", DATA / "catalog" / "no" / "config.json"), "model config (config.json) not found"),
])
def test_bad_input_one_line_exit_2(cli, args, message):
    r = cli(*args)
    assert r.exit_code == 2, r.output
    assert message in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_bad_set_writes_no_report(cli, tmp_path):
    out = tmp_path / "rep"
    r = cli("report", "--out", out, "--set", "site.pue=0.5")
    assert r.exit_code == 2 and "site.pue must be >= 1" in r.stderr
    assert not out.exists()


def test_catalog_list_marks_user_entries(cli):
    d = ok(cli("catalog", "list", "accelerators", "--catalog", CHIP, "--json"))
    users = [e["slug"] for e in d["accelerators"] if e["user"]]
    assert users == ["x1"]
    s = ok(cli("catalog", "show", "h200-dram", "--catalog", EXAMPLE, "--json"))
    assert s["user"] and s["extends"] == "h200"


def test_a_set_value_the_command_never_uses_gets_one_warning_line(cli):
    """--set memory.price_usd_per_gb at list pricing cannot move a TCO: the answer still
    comes (exit 0), with one warning line naming the path and the option that would use it;
    values the command uses get none."""
    r = cli("tco", "--set", "memory.price_usd_per_gb=4", "--set", "site.pue=1.3")
    assert r.exit_code == 0, r.output
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "memory.price_usd_per_gb did not change this answer" in lines[0]
    assert "--pricing cost-plus" in lines[0]
    used = cli("tco", "--pricing", "cost-plus", "--set", "memory.price_usd_per_gb=4")
    assert used.exit_code == 0 and used.stderr.strip() == ""
    train = cli("train", "-m", "llama-3.1-8b", "-n", "1024", "--set",
                "serving.compute_efficiency=0.3")
    assert "serving.compute_efficiency did not change this answer: train never used it" in train.stderr
    serve = cli("serve", "-m", "llama-3.1-8b", "-a", "h100", "--tp", "1", "--batch", "8",
                "--set", "serving.compute_efficiency=0.3")
    assert serve.exit_code == 0 and serve.stderr.strip() == ""


def test_a_monte_carlo_run_warns_of_a_set_value_its_model_never_uses(cli):
    """The scenario's model is prepared and checked on a small block in this process whatever
    engine runs it, so a run notices an unused --set value as the point commands do."""
    from pathlib import Path

    texas = Path(__file__).resolve().parents[2] / "examples" / "tco_texas.toml"
    r = cli("run", texas, "--samples", "1000", "--set", "memory.price_usd_per_gb=4",
            "--set", "site.pue=1.3")
    assert r.exit_code == 0, r.output
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "memory.price_usd_per_gb did not change this answer" in lines[0]
    assert 'pricing = "cost-plus"' in lines[0]


def test_every_watched_output_lists_the_set_values_it_used(cli):
    """The README's promise: every output lists the values you changed. Tables end with a
    'changed:' line per value used; JSON carries set_inputs with whether each was used."""
    import json

    r = cli("serve", "-m", "llama-3.1-8b", "-a", "h100", "--tp", "1", "--batch", "8",
            "--set", "site.pue=1.3")
    assert "changed: site.pue = 1.3 (--set)" in r.stdout
    d = json.loads(cli("train", "-m", "llama-3.1-8b", "-n", "1024", "--set", "site.pue=1.3",
                       "--set", "serving.compute_efficiency=0.3", "--json").stdout)
    assert d["set_inputs"] == [{"path": "site.pue", "value": "1.3", "used": True},
                               {"path": "serving.compute_efficiency", "value": "0.3",
                                "used": False}]
    plain = json.loads(cli("train", "-m", "llama-3.1-8b", "-n", "1024", "--json").stdout)
    assert "set_inputs" not in plain
