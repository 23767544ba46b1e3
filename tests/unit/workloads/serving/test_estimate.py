"""The whole estimate: keys, options, bad input."""

import pytest

from siliconomics.errors import InputError
from siliconomics.workloads import serving as inf


def test_estimate_json_keys_and_batch_too_large():
    r = inf.estimate("llama-3.1-70b", "h100", tp=8, batch=64, rental_usd_per_hour=2.0).to_dict()
    for k in ("max_batch", "ttft_s", "tpot_s", "queue_wait_s", "dp", "accelerators_per_replica",
              "output_tokens_per_s_per_accelerator", "usd_per_million_output_tokens", "frontier"):
        assert k in r
    assert r["batch"] == 64 and r["utilization"] == 1.0
    with pytest.raises(InputError, match="batch must be <="):
        inf.estimate("llama-3.1-70b", "h100", tp=8, batch=10**6)


def test_a_batch_without_tp_searches_the_parallelism_that_holds_it():
    """--batch alone fixes the batch and searches tp (the help says 'default: searched'), so
    a 70B batch that one H100 cannot hold is placed where it fits and runs best."""
    given = inf.estimate("llama-3.1-70b", "h100", batch=64, rental_usd_per_hour=2.0).to_dict()
    assert given["batch"] == 64 and given["tp"] > 1
    per_acc = given["output_tokens_per_s_per_accelerator"]
    for tp in (2, 4, 8):  # the search's choice is the best of the fixed-tp estimates
        fixed = inf.estimate("llama-3.1-70b", "h100", tp=tp, batch=64, rental_usd_per_hour=2.0)
        assert fixed.to_dict()["output_tokens_per_s_per_accelerator"] <= per_acc * (1 + 1e-12)
    with pytest.raises(InputError, match=r"batch must be <= \d+ \(the largest that fits, at --tp 8"):
        inf.estimate("llama-3.1-70b", "h100", batch=10**5)
    with pytest.raises(InputError, match="best achievable: TPOT .* batch 64"):
        inf.estimate("llama-3.1-70b", "h100", batch=64, slo_tpot_s=0.001)


def test_arrival_rate_beyond_capacity_is_bad_input():
    with pytest.raises(InputError, match="capacity"):
        inf.estimate("llama-3.1-8b", "h100", tp=1, batch=8, arrival_rate_per_s=1e6,
                     rental_usd_per_hour=2.0)



@pytest.mark.parametrize(("prompt", "output", "fix"), [
    (4000, 256, "at most 3,840 prompt tokens with 256 output"),
    (2048, 5000, "at most 2,048 output tokens with 2,048 prompt"),
    (5000, 5000, "prompt and output of at most 4,096 tokens together"),
])
def test_a_request_beyond_the_context_window_is_bad_input(prompt, output, fix):
    """Llama 2 70B holds 4,096 tokens: a longer request is refused, with the fix."""
    with pytest.raises(InputError, match=f"context of 4,096 tokens; use {fix}"):
        inf.estimate("llama-2-70b", "h100", prompt_tokens=prompt, output_tokens=output)
    fits = inf.estimate("llama-2-70b", "h100", tp=2, prompt_tokens=4096 - 256, output_tokens=256,
                        rental_usd_per_hour=2.0)
    assert fits.to_dict()["max_batch"] >= 1

def test_deepseek_on_h800_spans_servers():
    r = inf.estimate("deepseek-v3", "h800", dp=32, tp=1, slo_tpot_s=0.05,
                     rental_usd_per_hour=2.0).to_dict()
    assert r["spans_servers"] and r["accelerators_per_replica"] == 32
    assert r["tpot_s"] <= 0.05


def test_the_fewest_pipeline_stages_hold_a_model_no_server_does():
    """Searched: 405B in BF16 needs two stages of TP8 on H100 and one on H200 (141 GB each);
    MoE models are spread with attention data parallelism instead; a given tp keeps one stage."""
    assert inf.fewest_stages("llama-3.1-405b", "h100", precision="bf16") == 2
    assert inf.fewest_stages("llama-3.1-405b", "h200", precision="bf16") == 1
    assert inf.fewest_stages("deepseek-v3", "h100", precision="bf16") == 1
    searched = inf.estimate("llama-3.1-405b", "h100", precision="bf16", batch=8,
                            rental_usd_per_hour=2.0).deployment
    assert (searched.tp, searched.pp) == (8, 2)
    with pytest.raises(InputError, match="--pp 2"):
        inf.estimate("llama-3.1-405b", "h100", tp=8, precision="bf16", batch=8)


def test_the_moe_and_host_terms_a_user_sets_reach_the_figures():
    """The MoE block's and the host's terms, set as input paths (the precision's own field) or
    as API keywords, reach the step time and the cost per token alike."""
    from siliconomics.workloads import serving

    kw = dict(tp=1, precision="fp4", batch=256, prompt_tokens=1000, output_tokens=1000,
              rental_usd_per_hour=2.0)
    base = serving.estimate("qwen3-30b-a3b", "b200", **kw).to_dict()
    by_path = serving.estimate("qwen3-30b-a3b", "b200", set={"serving.moe_token_bytes_fp4": 0.0},
                               **kw).to_dict()
    by_keyword = serving.estimate("qwen3-30b-a3b", "b200", moe_token_bytes=0.0, **kw).to_dict()
    assert by_path["tpot_s"] == by_keyword["tpot_s"] < base["tpot_s"]
    assert (by_path["usd_per_million_output_tokens"]
            < base["usd_per_million_output_tokens"])
    host = serving.estimate("qwen3-30b-a3b", "b200", set={"serving.host_us_per_sequence": 200.0},
                            **kw).to_dict()
    # the host sets each step (256 x 200 us); the batch's prefill is spread over its outputs
    d = serving.Deployment.create("qwen3-30b-a3b", "b200", tp=1, precision="fp4")
    expected = 256 * 200e-6 + float(d.prefill_s(1000, 256)) / 1000
    assert host["tpot_s"] == pytest.approx(expected, rel=1e-9)
    assert host["usd_per_million_output_tokens"] > base["usd_per_million_output_tokens"]


def test_an_offline_job_is_its_waves_at_the_chosen_batch():
    r = inf.estimate("llama-3.1-8b", "h100", tp=1, batch=256, prompt_tokens=1000,
                     output_tokens=500, requests=1000, rental_usd_per_hour=2.0)
    job = r.to_dict()["offline"]
    run = inf.offline_run(r.deployment, 1000, 256, 1000, 500)
    assert job["waves"] == [[256, 3], [232, 1]]
    assert job["hours"] == pytest.approx(run["seconds"] / 3600)
    assert job["accelerator_hours"] == pytest.approx(job["hours"])  # one accelerator
    assert job["usd"] == pytest.approx(2.0 * job["accelerator_hours"])
    assert job["usd_per_million_output_tokens"] == pytest.approx(job["usd"] / (1000 * 500) * 1e6)
    # the job's energy is its accelerator-hours at the serving figures' energy per hour
    per_hour = inf.hours_energy(1.0, r.deployment.resolved)["mwh"]
    assert job["mwh"] == pytest.approx(job["accelerator_hours"] * per_hour)
    assert "offline" not in inf.estimate("llama-3.1-8b", "h100", tp=1, batch=256).to_dict()


def test_an_offline_job_is_not_online_load():
    with pytest.raises(InputError, match="offline job"):
        inf.estimate("llama-3.1-8b", "h100", tp=1, requests=10, arrival_rate_per_s=1.0)
    with pytest.raises(InputError, match="requests must be"):
        inf.estimate("llama-3.1-8b", "h100", tp=1, requests=0)


def test_values_a_user_sets_reach_the_offline_job():
    kw = dict(tp=1, batch=256, prompt_tokens=1000, output_tokens=500, requests=1000)
    base = inf.estimate("llama-3.1-8b", "h100", **kw).to_dict()["offline"]
    pue = inf.estimate("llama-3.1-8b", "h100", set={"site.pue": "1.5"}, **kw)
    job = pue.to_dict()["offline"]
    default_pue = float(inf.estimate("llama-3.1-8b", "h100", **kw).deployment.resolved["site.pue"])
    assert job["hours"] == pytest.approx(base["hours"])  # the speed is the hardware's
    assert job["mwh"] == pytest.approx(base["mwh"] * 1.5 / default_pue)
    assert job["usd"] > base["usd"]  # the power bill grows with the PUE
    price = inf.estimate("llama-3.1-8b", "h100", set={"accelerator.price_usd": "60000"}, **kw)
    assert price.to_dict()["offline"]["usd"] > base["usd"]
