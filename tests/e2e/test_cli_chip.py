"""``siliconomics chip`` and ``siliconomics wafer`` as a user runs them."""

import json

import pytest


def test_chip_h100_table(cli):
    r = cli("chip", "h100")
    assert r.exit_code == 0, r.stderr
    assert "yield loss" in r.stdout and "gross margin" in r.stdout


def test_chip_custom_json(cli):
    r = cli("chip", "--die-area", "600", "--node", "n3", "--hbm", "hbm3e", "--hbm-stacks", "8",
            "--package", "cowos-l", "--json")
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    for key in ("dies_per_wafer", "die_yield", "good_dies_per_wafer", "cost_per_good_die_usd",
                "cost_usd", "breakdown", "gross_margin", "embodied_kgco2e"):
        assert key in d
    assert d["cost_usd"] == pytest.approx(sum(d["breakdown"].values()))
    assert d["memory_capacity_gb"] == 192


def test_chip_h100_json_margin(cli):
    d = json.loads(cli("chip", "h100", "--json").stdout)
    assert 0.8 < d["gross_margin"] < 0.95


def test_wafer_json(cli):
    r = cli("wafer", "--die", "26x31.3", "--node", "n4", "--json")
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["dies_per_wafer"] > 50 and set(d["yield_by_model"]) == {
        "poisson", "murphy", "seeds", "negative_binomial"}


@pytest.mark.parametrize("args,message", [
    (("chip", "--die-area", "-5", "--node", "n3", "--hbm", "hbm3e", "--hbm-stacks", "8"), "die_area_mm2 must be > 0"),
    (("chip", "--die-area", "600", "--node", "n9", "--hbm", "hbm3e", "--hbm-stacks", "8"), "did you mean"),
    (("chip", "--die-area", "600", "--node", "n3", "--hbm", "hbm5", "--hbm-stacks", "8"), "hbm4"),
    (("chip", "--die-area", "800", "--node", "n3", "--hbm", "hbm3e", "--hbm-stacks", "8",
      "--compute-dies", "6", "--package", "cowos-l"), "at most 4 compute dies"),
    (("wafer", "--die", "26x31.3", "--defect-density", "-1"), "defect_density_per_cm2 must be >= 0"),
    (("wafer", "--die-area", "100000", "--stitched"), "smaller than the usable wafer"),
])
def test_bad_input_exit_2(cli, args, message):
    r = cli(*args)
    assert r.exit_code == 2
    assert message in r.stderr
    assert "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_tco_cost_plus(cli):
    r = cli("tco", "--accelerator", "tpu-v5p", "--pricing", "cost-plus", "--json")
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["price"]["rule"] == "cost-plus" and d["price"]["source"].startswith("cost-plus")


def test_chip_reconciles_its_yield_with_the_wafer_command(cli):
    # `chip h100` (harvested) and `wafer` (perfect dies) differ on the same die: chip says why
    chip = cli("chip", "h100")
    wafer = cli("wafer", "--die-area", "814", "--node", "n4", "--json")
    assert chip.exit_code == 0 and wafer.exit_code == 0
    perfect = json.loads(wafer.stdout)["yield_by_model"]["murphy"]
    text = " ".join(chip.stdout.split())
    assert f"against {perfect:.1%} from `siliconomics wafer --die-area 814 --node n4`" in text
    assert "132 of 144 units working" in text
