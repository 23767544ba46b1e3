"""``siliconomics train`` and ``train-mixed`` end to end."""

import json

import pytest


def test_train_json_keys(cli):
    r = cli("train", "--model", "llama-3.1-70b", "--tokens", "15e12", "-n", "4096",
            "--price-per-hour", "2.0", "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    for key in ("training_flops", "mfu", "goodput", "wall_days", "accelerator_hours",
                "energy_mwh", "cost_usd", "rental_cost_usd", "tco2e", "breakdown", "layout"):
        assert key in d
    assert d["rental_cost_usd"] == pytest.approx(2.0 * d["accelerator_hours"])
    assert sum(d["breakdown"].values()) == pytest.approx(d["cost_usd"])


def test_train_layout_auto(cli):
    r = cli("train", "--model", "llama-3.1-8b", "-n", "256", "--layout", "auto", "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["layout"].startswith("tp=") and 0 < d["mfu"] < 1 and d["step"]["fits"]


def test_tensor_parallel_overlap_in_the_layout_reaches_the_run(cli):
    """--layout ...,tp_overlap=1 hides TP traffic: a shorter step, fewer GPU-hours, lower cost."""
    runs = {}
    for extra in ("", ",tp_overlap=1"):
        r = cli("train", "--model", "llama-3.1-70b", "--tokens", "15e12", "-n", "64",
                "--layout", "tp=4,pp=4,cp=2,v=5,dp=2" + extra, "--json")
        assert r.exit_code == 0, r.output
        runs[extra] = json.loads(r.stdout)
    base, hidden = runs[""], runs[",tp_overlap=1"]
    assert hidden["layout"].endswith("tp_overlap=1.0")
    assert hidden["accelerator_hours"] < base["accelerator_hours"]
    assert hidden["cost_usd"] < base["cost_usd"]


def test_train_table(cli):
    r = cli("train")
    assert r.exit_code == 0 and "wall time" in r.stdout and "MFU" in r.stdout
    assert "819 (0.0% of failures find none free)" in r.stdout  # 5% of 16,384 in hot spares
    # with no spare every failure waits out its repair (48 h): the pool's cost shows
    r = cli("train", "--spares", "0")
    assert "0 (100.0% of failures find none free)" in r.stdout


def test_a_run_too_large_for_its_failures_prints_powers_of_ten_and_warns(cli):
    r = cli("train", "--accelerators", "100000", "--mfu", "0.4",
            "--set", "assumptions.failure-rate-per-accelerator-hour=1e-3")
    assert r.exit_code == 0 and "e+" in r.stdout and ",000,000,000,000,000" not in r.stdout
    assert "warning: goodput" in r.stderr and "2,400 times a day" in r.stderr


@pytest.mark.parametrize(("args", "message"), [
    (("--model", "llama-3.1-7b"), "unknown model 'llama-3.1-7b'; did you mean"),
    (("--tokens", "0"), "tokens must be > 0, got 0"),
    (("--mfu", "1.5"), "mfu must be in (0, 1], got 1.5"),
    (("--layout", "tp=16,pp=16,dp=64"), "exceeds the scale-up domain of 8"),
    (("--layout", "tp=8,pp=16,dp=64"), "the cluster has 16384"),
    (("--tokens", "many"), "--tokens: cannot read 'many'"),
    (("--layout", "tp=8,pp=16,dp=128,tp_overlap=2"), "layout tp_overlap must be in [0, 1]"),
])
def test_train_bad_input_is_one_line_exit_2(cli, args, message):
    r = cli("train", *args)
    assert r.exit_code == 2
    assert message in r.stderr and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr


def test_train_mixed(cli):
    r = cli("train-mixed", "--groups", "h100=100,b200=100", "--strategy", "lockstep", "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["older_value"]["h100-sxm"] < 0
    bad = cli("train-mixed", "--groups", "h100:100")
    assert bad.exit_code == 2 and "name=count" in bad.stderr


def test_train_mixed_estimates_a_mixed_run(cli):
    r = cli("train-mixed", "--groups", "h100=8192,b200=8192", "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert set(d["groups"]) == {"h100-sxm", "b200"}
    for g in d["groups"].values():
        assert 0 < g["mfu"] < 1 and g["layout"]
    assert d["wall_days"] > 0 and d["cost_usd"] > 0 and d["energy_mwh"] > 0
    assert d["faster_alone"]["accelerator"] == "b200"
    assert d["vs_faster_alone"] == pytest.approx(d["wall_days"] / d["faster_alone"]["wall_days"] - 1)


def test_train_says_where_its_mfu_comes_from(cli):
    r = cli("train", "--model", "llama-3.1-70b", "-n", "1024", "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["mfu_source"].startswith("predicted") and d["layout"]
    lo, hi = d["mfu_interval"]
    assert lo < d["mfu"] < hi
    flat = json.loads(cli("train", "--model", "llama-3.1-70b", "-n", "1024", "--mfu", "default",
                          "--json").stdout)
    assert flat["mfu_source"].startswith("flat default") and flat["mfu"] == 0.4
    assert flat["mfu_interval"] is None
    table = cli("train", "--model", "llama-3.1-70b", "-n", "1024").stdout
    assert f"{lo:.0%}-{hi:.0%} at its measured error" in table


def test_a_set_mfu_error_reaches_the_interval_and_counts_as_used(cli):
    """--set assumptions.training-mfu-error changes the predicted MFU's interval (a point error
    leaves none), so train neither ignores it nor warns that it never used it: a value's range
    read is a use of it."""
    base = json.loads(cli("train", "--model", "llama-3.1-70b", "-n", "1024", "--json").stdout)
    r = cli("train", "--model", "llama-3.1-70b", "-n", "1024", "--set",
            "assumptions.training-mfu-error=1", "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert base["mfu_interval"] is not None and d["mfu_interval"] is None
    assert d["mfu"] == base["mfu"] and "did not change this answer" not in r.stderr
    assert {"path": "assumptions.training-mfu-error", "value": "1", "used": True} in d[
        "set_inputs"]


def test_interleaving_without_pipeline_is_one_line_exit_2(cli):
    r = cli("train", "--layout", "tp=8,pp=1,dp=2048,v=2")
    assert r.exit_code == 2 and "needs pipeline stages" in r.stderr
    assert r.stderr.count("\n") == 1


def test_train_names_its_energy_convention_and_takes_another(cli):
    """Issue 18: the energy convention is named in every output and shared by tco, train and
    serve. By default the TCO's; asked for, TDP at full draw, market-based."""
    import json

    from siliconomics import catalog

    base = ("train", "-m", "llama-3.1-8b", "--accelerators", "1024", "--json")
    d = json.loads(cli(*base).stdout)
    assert d["energy_convention"]["label"] == "facility (server x PUE), busy draw 75%, location-based"
    r = cli(*base, "--energy-scope", "accelerator", "--busy-draw", "1", "--emissions", "market",
            "--carbon-free-share", "0.5")
    assert r.exit_code == 0, r.output
    t = json.loads(r.stdout)
    tdp = catalog.get("accelerators", "h100-sxm").tdp_w
    assert t["energy_mwh"] == pytest.approx(t["accelerator_hours"] * tdp / 1e6)
    grid = catalog.get("sites", "us-texas").grid_intensity_kg_per_kwh
    assert t["tco2e_operational"] == pytest.approx(t["energy_mwh"] * grid * 0.5)
    assert t["energy_convention"]["label"].startswith("accelerator TDP, full draw, market-based")
    table = cli("train", "-m", "llama-3.1-8b", "--accelerators", "1024")
    assert "busy draw 75%" in table.output


def test_a_set_repair_time_reaches_the_pool_goodput_and_cost(cli):
    """--set assumptions.repair-hours moves how often a failure finds the pool empty, and so
    goodput, wall time and cost; the JSON says the value was used."""
    runs = [json.loads(cli("train", "--spares", "100", "--json",
                           "--set", f"assumptions.repair-hours={h}").stdout) for h in (48, 500)]
    short, long = runs
    assert long["reliability"]["spare_shortfall"] > short["reliability"]["spare_shortfall"]
    assert long["goodput"] < short["goodput"]
    assert long["wall_days"] > short["wall_days"] and long["cost_usd"] > short["cost_usd"]
    assert long["set_inputs"] == [{"path": "assumptions.repair-hours", "value": "500",
                                   "used": True}]
