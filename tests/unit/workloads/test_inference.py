"""Serving model: hand-computed roofline cases, memory planning, SLO search, costs, errors."""

import math

import numpy as np
import pytest

from siliconomics.errors import InputError
from siliconomics.workloads import inference as inf


def test_expected_experts_touched_closed_form():
    e, k, b = 64, 6, 10
    assert inf.expected_experts_touched(b, e, k) == pytest.approx(e * (1 - (1 - k / e) ** b))
    assert float(inf.expected_experts_touched(0, 8, 2)) == 0.0
    assert float(inf.expected_experts_touched(10_000, 8, 2)) == pytest.approx(8.0)


def test_allreduce_ring_formula_and_single_rank():
    assert inf.allreduce_s(8e6, 4, 1e9, 1e-5) == pytest.approx(2 * 3 / 4 * 8e6 / 1e9 + 1e-5)
    assert inf.allreduce_s(8e6, 1, 1e9, 1e-5) == 0.0
    arr = inf.allreduce_s(np.array([1e6, 2e6]), 2, 1e9)
    assert arr == pytest.approx([1e-3, 2e-3])


def test_phase_time_takes_the_max_of_compute_and_memory():
    kw = dict(accelerators=2, peak_flop_per_s=1e15, hbm_bytes_per_s=1e12, compute_efficiency=0.5,
              bandwidth_efficiency=0.8)
    # compute: 1e15 / (2 * 1e15 * 0.5) = 1 s; memory: 1e12 / (2 * 1e12 * 0.8) = 0.625 s
    assert inf.phase_time_s(1e15, 1e12, **kw) == pytest.approx(1.0)
    assert inf.phase_time_s(1e14, 1e12, communication_s=0.1, overhead_s=0.01, **kw) == \
        pytest.approx(0.625 + 0.11)


def _dense():
    return inf.Deployment.create("llama-2-70b", "h200", tp=1, precision="fp8")


def test_decode_step_by_hand_memory_bound_batch_1():
    d = _dense()
    m = d.model
    s = 1000
    weights = m.params_total * 1.0
    kv = s * m.kv_bytes_per_token("fp8")
    memory = (weights + kv) / (4.8e12 * d.bandwidth_efficiency)
    compute = m.forward_flops_per_token(s) / (d.peak_flop_per_s * d.compute_efficiency)
    assert memory > compute
    assert float(d.decode_step_s(1, s)) == pytest.approx(memory + d.step_overhead_s)


def test_prefill_is_compute_bound_by_hand():
    d = _dense()
    p = 4096
    flops = p * d.model.forward_flops_per_token(p / 2)
    expected = flops / (d.peak_flop_per_s * d.compute_efficiency) + d.step_overhead_s
    assert float(d.prefill_s(p)) == pytest.approx(expected)


def test_performance_cycle_identities():
    d = _dense()
    b, p, o = 64, 512, 200
    r = d.performance(b, p, o)
    cycle = b * float(r["prefill_s"]) + o * float(r["decode_step_s"])
    assert float(r["tpot_s"]) == pytest.approx(cycle / o)
    assert float(r["output_tokens_per_s_per_replica"]) == pytest.approx(b * o / cycle)
    assert float(r["tokens_per_s_per_user"]) == pytest.approx(o / cycle)
    acc_s = float(r["prefill_accelerator_s_per_request"] + r["decode_accelerator_s_per_request"])
    assert acc_s == pytest.approx(cycle / b)


def test_mla_kv_is_replicated_over_tp_and_gqa_split():
    mla = inf.Deployment.create("deepseek-v3", "h200", tp=8)
    assert mla.kv_replication == 8
    gqa = inf.Deployment.create("llama-3.1-70b", "h100", tp=8)  # 8 kv heads
    assert gqa.kv_replication == 1
    gqa16 = gqa.__class__(**{**gqa.__dict__, "tp": 16})
    assert gqa16.kv_replication == 2


def test_moe_decode_reads_fewer_weights_at_batch_1():
    d = inf.Deployment.create("deepseek-v3", "h200", tp=8, precision="fp8")
    small = float(d._weights_read(1))
    assert small < 0.2 * d.weights_bytes
    assert float(d._weights_read(1e6)) == pytest.approx(d.weights_bytes, rel=1e-6)


def test_memory_plan_by_hand():
    d = _dense()
    ctx = 2048
    plan = d.memory_plan(ctx)
    usable = 141e9 * 0.9
    free = usable - d.weights_bytes - plan.activation_bytes
    assert plan.max_batch == math.floor(free / (ctx * d.model.kv_bytes_per_token("fp8")))
    assert plan.replicas_per_server == 8


def test_too_big_model_says_by_how_much_and_smallest_tp():
    d = inf.Deployment.create("llama-3.1-405b", "h100", tp=1, precision="fp8")
    with pytest.raises(InputError, match=r"short by [\d.]+ GB.*--tp 8"):
        d.check_fits(2048)


def test_unknown_precision_suggests():
    with pytest.raises(InputError, match="fp8"):
        inf.Deployment.create("llama-3.1-8b", "h100", precision="fp9")


def test_fp8_falls_back_to_bf16_peak_without_fp8_units():
    a100 = inf.Deployment.create("llama-3.1-8b", "a100", precision="fp8")
    assert a100.activation_precision == "bf16"
    assert a100.peak_flop_per_s == pytest.approx(312e12)


def test_slo_search_meets_targets_and_beats_neighbours():
    c = inf.best_under_slo("llama-3.1-70b", "h100", prompt_tokens=2048, output_tokens=256,
                           slo_tpot_s=0.05, slo_ttft_s=2.0)
    assert float(c.performance["tpot_s"]) <= 0.05
    assert float(c.performance["ttft_s"]) <= 2.0
    # every frontier point meeting the target is no better
    for tp in inf.tp_options("h100"):
        d = inf.Deployment.create("llama-3.1-70b", "h100", tp=tp)
        if not d.memory_plan(2304).fits:
            continue
        for pt in d.frontier(2048, 256):
            if pt["tpot_s"] <= 0.05 and pt["ttft_s"] <= 2.0:
                assert pt["output_tokens_per_s_per_accelerator"] <= \
                    float(c.performance["output_tokens_per_s_per_accelerator"]) + 1e-9


def test_impossible_slo_names_best_achievable():
    with pytest.raises(InputError, match=r"best achievable: TPOT [\d.]+ ms"):
        inf.best_under_slo("llama-3.1-70b", "h100", prompt_tokens=2048, output_tokens=256,
                           slo_tpot_s=0.001)


def test_disaggregated_ratio_by_hand():
    r = inf.disaggregated("llama-3.1-70b", "h100", prompt_tokens=2048, output_tokens=256,
                          decode_batch=64, prefill_tp=4, decode_tp=8)
    pf = inf.Deployment.create("llama-3.1-70b", "h100", tp=4)
    dc = inf.Deployment.create("llama-3.1-70b", "h100", tp=8)
    a_p = 4 * float(pf.prefill_s(2048))
    a_d = 8 * 256 * float(dc.decode_step_s(64, 2048 + 128)) / 64
    assert r["prefill_to_decode_ratio"] == pytest.approx(a_p / a_d)
    assert r["tpot_s"] == pytest.approx(float(dc.decode_step_s(64, 2176)))


def test_token_costs_and_rental_utilization():
    assert inf.accelerator_hour_usd("h100", rental_usd_per_hour=3.0, utilization=0.25) == 12.0
    c = inf.token_costs({"prefill_accelerator_s_per_request": 0.36,
                         "decode_accelerator_s_per_request": 3.6}, 10.0,
                        prompt_tokens=1000, output_tokens=100)
    assert c["usd_per_million_input_tokens"] == pytest.approx(10 / 3600 * 0.36 / 1000 * 1e6)
    assert c["usd_per_million_output_tokens"] == pytest.approx(10 / 3600 * 3.6 / 100 * 1e6)


def test_owned_cost_rises_at_partial_load():
    full = inf.accelerator_hour_usd("h100", utilization=1.0)
    half = inf.accelerator_hour_usd("h100", utilization=0.5)
    assert half > full > 0


def test_energy_and_emissions_by_hand():
    d = inf.Deployment.create("llama-3.1-8b", "h100", tp=1)
    perf = {"prefill_accelerator_s_per_request": 1.0, "decode_accelerator_s_per_request": 1.0}
    e = inf.energy(perf, d, output_tokens=100, pue=1.5, busy_draw_fraction=0.5,
                   grid_kg_per_kwh=0.4)
    j = 2.0 * d.accelerator_power_w * 0.5 * 1.5 / 100
    assert e["joules_per_token"] == pytest.approx(j)
    assert e["g_co2e_per_million_tokens"] == pytest.approx(j * 1e6 / 3.6e6 * 0.4 * 1000)


def test_estimate_json_keys_and_batch_too_large():
    r = inf.estimate("llama-3.1-70b", "h100", tp=8, batch=64, rental_usd_per_hour=2.0).to_dict()
    for k in ("max_batch", "ttft_s", "tpot_s", "output_tokens_per_s_per_accelerator",
              "tokens_per_s_per_user", "usd_per_million_input_tokens",
              "usd_per_million_output_tokens", "utilization", "joules_per_token", "frontier"):
        assert k in r
    assert r["batch"] == 64 and r["utilization"] == 1.0
    with pytest.raises(InputError, match="batch must be <="):
        inf.estimate("llama-3.1-70b", "h100", tp=8, batch=10**7)
