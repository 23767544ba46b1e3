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
