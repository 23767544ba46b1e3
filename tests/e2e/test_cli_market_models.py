"""``siliconomics industry tokens|rental|demand|supply|export`` and a plan's market options as a
user runs them, with their bad-input errors."""

import json

import pytest

PLAN = """[plan]
years = [2026, 2027]
sites = ["us-texas", "uae"]
accelerators = ["h100-sxm", "h20"]
lot_size = 8
cluster_size = 20000
{extra}

[demand]
by_year = {{ 2026 = 4000, 2027 = 6000 }}

[sites.us-texas]
power_available_mw = 4

[sites.uae]
power_available_mw = 500
{site}
"""


def _plan(tmp_path, extra="", site=""):
    f = tmp_path / "plan.toml"
    f.write_text(PLAN.format(extra=extra, site=site))
    return f


def test_tokens_table_has_five_models_and_sources(cli):
    r = cli("industry", "tokens")
    assert r.exit_code == 0, r.output
    for text in ("openai-gpt-4o:", "anthropic-claude-sonnet-4:", "google-gemini-2.5-pro:",
                 "deepseek-v3-api:", "together-llama-3.1-405b:", "sources:", "https://"):
        assert text in r.stdout
    d = json.loads(cli("industry", "tokens", "--json").stdout)
    assert len({x["model"] for x in d["rows"]}) >= 5
    assert {x["provider_type"] for x in d["rows"]} == {"lab-api", "neocloud", "hyperscaler"}


def test_tokens_json(cli):
    r = cli("industry", "tokens", "--point", "openai-gpt-4o", "--point", "bedrock-llama-3.1-70b",
            "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert [x["slug"] for x in d["rows"]] == ["openai-gpt-4o", "bedrock-llama-3.1-70b"]
    assert all(x["source"] and x["date"] for x in d["rows"])
    assert set(d["provider_types"]) == {"lab-api", "neocloud", "hyperscaler"}


def test_tokens_slower_slo_lowers_cost(cli):
    fast = json.loads(cli("industry", "tokens", "--point", "together-llama-3.1-70b",
                          "--slo-tpot", "20ms", "--json").stdout)["rows"][0]
    slow = json.loads(cli("industry", "tokens", "--point", "together-llama-3.1-70b",
                          "--slo-tpot", "200ms", "--json").stdout)["rows"][0]
    assert slow["cost_usd_per_mtok_output"] <= fast["cost_usd_per_mtok_output"]
    assert slow["margin"] >= fast["margin"]


def test_rental_prints_irr(cli):
    r = cli("industry", "rental", "--rent", "2.8", "--at", "2024")
    assert r.exit_code == 0, r.output
    assert "project IRR" in r.stdout and "equity IRR" in r.stdout
    d = json.loads(cli("industry", "rental", "--rent", "2.8", "--json").stdout)
    assert d["project_irr"] > 0 and len(d["equity_cash_flows_usd"]) == d["inputs"]["life_years"] + 1


def test_demand_json_and_plan_section(cli):
    r = cli("industry", "demand", "--from", "2025", "--to", "2027", "--samples", "100",
            "--plan-share", "0.01", "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert [x["year"] for x in d["rows"]] == [2025, 2026, 2027]
    assert d["plan_demand"]["unit"] == "accelerator_equivalents"
    assert d["check"]["google_tokens_per_month"] == pytest.approx(1.3e15)
    t = cli("industry", "demand", "--to", "2026", "--plan-share", "0.01")
    assert "[demand]" in t.stdout and "check (2025)" in t.stdout


def test_supply_table_and_scarcity(cli):
    r = cli("industry", "supply", "--year", "2026", "--demand", "3e7")
    assert r.exit_code == 0, r.output
    assert "binds" in r.stdout and "scarcity price" in r.stdout
    d = json.loads(cli("industry", "supply", "-a", "b200", "--demand", "1e9", "--json").stdout)
    row = d["rows"][0]
    assert row["scarcity_price_usd"] > row["list_price_usd"]


def test_export_classifies_the_catalog(cli):
    r = cli("industry", "export", "--json")
    assert r.exit_code == 0, r.output
    classes = {x["accelerator"]: x["class"] for x in json.loads(r.stdout)["rows"]}
    assert classes["h100-sxm"] == "3A090.a" and classes["h20"] == "not controlled"
    t = cli("industry", "export", "--site", "uae", "--region", "tier-3", "-a", "h100", "-a", "h20")
    assert t.exit_code == 0 and "prohibited" not in t.stdout.split("at uae")[0]


@pytest.mark.parametrize("args, message", [
    (("industry", "demand", "--from", "2040", "--to", "2041"), "2024-2035"),
    (("industry", "demand", "--elasticity", "0.4", "--samples", "0"), "elasticity must be <= 0"),
    (("industry", "supply", "--year", "2031"), "2024-2026"),
    (("industry", "export", "--site", "uae", "--region", "gulf"), "unknown export region"),
    (("industry", "tokens", "--point", "gpt-4o"), "did you mean"),
    (("industry", "rental", "--contract-years", "9", "--life-years", "5"), "contract_years"),
])
def test_bad_market_input_is_one_line(cli, args, message):
    r = cli(*args)
    assert r.exit_code == 2, r.output
    assert message in r.output and "Traceback" not in r.output


def test_plan_export_rules_keep_controlled_parts_out_of_a_tier_3_site(cli, tmp_path):
    free = json.loads(cli("plan", _plan(tmp_path), "--json").stdout)
    assert any(x["site"] == "uae" and x["generation"] == "h100-sxm" and x["bought"] > 0
               for x in free["plan"])
    f = _plan(tmp_path, extra="export_rules = true", site='export_region = "tier-3"')
    r = cli("plan", f, "--json")
    assert r.exit_code == 0, r.output
    ruled = json.loads(r.stdout)
    assert not any(x["site"] == "uae" and x["generation"] == "h100-sxm" and x["bought"] > 0
                   for x in ruled["plan"])


def test_plan_unknown_region_exits_2_with_the_closest(cli, tmp_path):
    f = _plan(tmp_path, extra="export_rules = true", site='export_region = "tier3x"')
    r = cli("plan", f)
    assert r.exit_code == 2
    assert "unknown export region 'tier3x'" in r.output and "tier-3" in r.output


def test_plan_supply_share_too_small_is_explained(cli, tmp_path):
    r = cli("plan", _plan(tmp_path, extra="supply_share = 0.0001"))
    assert r.exit_code == 2 and "supply caps allow" in r.output


def test_plan_supply_share_caps_purchases(cli, tmp_path):
    f = _plan(tmp_path, extra="supply_share = 0.0002")
    r = cli("plan", f, "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert any(b["constraint"] == "supply cap" for b in d["binding_constraints"])


def test_plan_supply_cap_in_the_wrong_unit_exits_2(cli, tmp_path):
    f = _plan(tmp_path)
    f.write_text(f.read_text() + '\n[supply]\nh20 = { 2026 = "500 wafers/month" }\n')
    r = cli("plan", f)
    assert r.exit_code == 2 and "counts accelerators per year" in r.output


def test_a_user_catalog_adds_a_price_point(cli, tmp_path):
    f = tmp_path / "mine.toml"
    f.write_text('[token_prices.my-llama]\nname = "My Llama 70B"\nmodel = "My Llama 70B"\n'
                 'provider = "me"\nprovider_type = "neocloud"\ntier = "open-weight"\n'
                 'source = "my price list"\nas_of = "2026-01"\ninput_usd_per_mtok = 0.5\n'
                 'output_usd_per_mtok = 0.5\ncost_proxy = "llama-3.1-70b"\n'
                 'cost_proxy_assumption = 0\n')
    r = cli("industry", "tokens", "--catalog", f, "--point", "my-llama", "--json")
    assert r.exit_code == 0, r.output
    (row,) = json.loads(r.stdout)["rows"]
    assert row["source"] == "my price list" and row["input_usd_per_mtok"] == 0.5
