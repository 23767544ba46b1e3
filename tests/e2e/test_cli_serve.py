"""``siliconomics serve`` and ``siliconomics calibrate serving`` as a user runs them."""

import json
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
KEYS = ("max_batch", "ttft_s", "tpot_s", "output_tokens_per_s_per_accelerator",
        "tokens_per_s_per_user", "usd_per_million_input_tokens", "usd_per_million_output_tokens",
        "utilization", "joules_per_token", "frontier")


def _one_line_error(r, *needles):
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, r.stderr
    for n in needles:
        assert n in lines[0], lines[0]


def test_serve_fixed_batch_json(cli):
    r = cli("serve", "--model", "llama-3-70b", "--accelerator", "h100", "--tp", "8",
            "--precision", "fp8", "--prompt", "2048", "--output", "256", "--batch", "64", "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    for k in KEYS:
        assert k in d
    assert d["model"] == "llama-3.1-70b" and d["tp"] == 8 and d["batch"] == 64
    assert d["tpot_s"] > 0 and d["ttft_s"] > 0 and d["utilization"] == 1.0
    assert len(d["frontier"]) >= 5
    assert d["frontier"][-1]["batch"] == d["max_batch"]


def test_serve_slo_search_and_demand(cli):
    r = cli("serve", "--model", "llama-3-70b", "--accelerator", "h100", "--slo-tpot", "50ms",
            "--slo-ttft", "2s", "--demand", EXAMPLES / "demand_day.csv", "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["tpot_s"] <= 0.05 and d["ttft_s"] <= 2.0
    assert 0 < d["utilization"] < 1
    assert d["demand"]["accelerators"] % d["tp"] == 0
    assert d["usd_per_million_output_tokens"] > d["usd_per_million_output_tokens_full_load"]


def test_serve_table_and_rental(cli):
    r = cli("serve", "--model", "llama-3.1-8b", "--accelerator", "h200", "--tp", "1",
            "--batch", "32", "--rent", "3.5", "--utilization", "0.5")
    assert r.exit_code == 0, r.output
    assert "time per output token" in r.stdout and "frontier" in r.stdout
    assert "rental $3.5/h" in r.stdout


def test_serve_kv_memory_convention(cli):
    """TensorRT-LLM's convention ('free') holds more sequences where the weights fill the
    memory: 70B FP16 on two A100s."""
    args = ("serve", "--model", "llama-3.1-70b", "--accelerator", "a100", "--tp", "2",
            "--precision", "fp16", "--prompt", "128", "--output", "2048", "--json")
    total = json.loads(cli(*args).stdout)
    free = json.loads(cli(*args, "--kv-memory", "free").stdout)
    assert (total["options"]["kv_memory"], free["options"]["kv_memory"]) == ("total", "free")
    assert free["max_batch"] > 2 * total["max_batch"]


def test_serve_moe_dispatch_allgather_as_tensorrt_llm_runs_attention_dp(cli):
    """--moe-dispatch allgather prices TensorRT-LLM's all-gather and reduce-scatter of every
    MoE layer under attention DP: slower than the all-to-all, and a wrong name is one line."""
    args = ("serve", "--model", "qwen3-235b-a22b", "--accelerator", "b200", "--tp", "1",
            "--dp", "8", "--precision", "fp4", "--batch", "4096", "--prompt", "128", "--output",
            "128", "--json")
    a2a = json.loads(cli(*args).stdout)
    ag = json.loads(cli(*args, "--moe-dispatch", "allgather").stdout)
    assert (a2a["options"]["moe_dispatch"], ag["options"]["moe_dispatch"]) == ("alltoall",
                                                                              "allgather")
    assert ag["tpot_s"] > a2a["tpot_s"]
    _one_line_error(cli(*args, "--moe-dispatch", "gather"), "unknown MoE dispatch", "allgather")
    text = cli(*args[:-1], "--moe-dispatch", "allgather").stdout
    assert "tokens all-gathered to the experts" in text.split("\n")[0] + text.split("\n")[1]


def test_serve_graph_batches_pad_decode_steps_as_tensorrt_llm_replays_cuda_graphs(cli):
    """--graph-batches: a decode step of 300 sequences runs padded to the 384 graph, so it is
    slower than without graphs and no faster than 384 real sequences; a searched batch never
    gains from the padding; a malformed list is one line."""
    args = ("serve", "--model", "llama-3.1-8b", "--accelerator", "h100", "--tp", "1",
            "--prompt", "1000", "--output", "1000", "--json")
    graphs = ("--graph-batches", "256,384,512")
    plain = json.loads(cli(*args, "--batch", "300").stdout)
    padded = json.loads(cli(*args, "--batch", "300", *graphs).stdout)
    full = json.loads(cli(*args, "--batch", "384").stdout)
    assert padded["options"]["graph_batches"] == [256, 384, 512]
    assert (plain["decode_batch_padded"], padded["decode_batch_padded"]) == (300, 384)
    assert plain["tpot_s"] < padded["tpot_s"] <= full["tpot_s"]
    best = json.loads(cli(*args, *graphs).stdout)
    assert (best["output_tokens_per_s_per_accelerator"]
            <= json.loads(cli(*args).stdout)["output_tokens_per_s_per_accelerator"])
    _one_line_error(cli(*args, "--graph-batches", "1,two"), "--graph-batches", "'two'")
    text = cli(*args[:-1], "--batch", "300", *graphs).stdout
    assert "padded to CUDA-graph batches" in " ".join(text.split("\n")[:2])
    assert "384 sequences for 300" in text


def test_serve_bad_inputs_one_line(cli):
    _one_line_error(cli("serve", "--model", "llama-3-7b"), "unknown model", "did you mean")
    _one_line_error(cli("serve", "--accelerator", "h10"), "unknown accelerator", "h100-sxm")
    _one_line_error(cli("serve", "--model", "llama-3.1-405b", "--accelerator", "h100", "--tp",
                        "1", "--batch", "1"), "short by", "--tp 8")
    _one_line_error(cli("serve", "--slo-tpot", "1ms"), "best achievable: TPOT")
    _one_line_error(cli("serve", "--slo-tpot", "50 kg"), "--slo-tpot")


def test_serve_malformed_demand(cli, tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text("hour,requests_per_s\n0,10\n1,ten\n")
    _one_line_error(cli("serve", "--demand", f), "bad.csv, line 3, column 'requests_per_s'")


def test_calibrate_serving_saves_an_overlay_used_by_serve(cli, tmp_path):
    out = tmp_path / "fit.toml"
    r = cli("calibrate", "serving", EXAMPLES / "measured.csv", "--save", out, "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    h200 = next(f for f in d["fits"] if f["accelerator"] == "h200")
    assert h200["rms_log_error_after"] <= h200["rms_log_error_before"]
    assert out.exists()
    r2 = cli("serve", "--model", "llama-2-70b", "--accelerator", "h200", "--tp", "1",
             "--batch", "64", "--overlay", out, "--json")
    assert r2.exit_code == 0, r2.output
    eff = json.loads(r2.stdout)["efficiency"]
    assert abs(eff["compute"] - h200["after"]["compute_efficiency"]) < 1e-3
    from siliconomics import catalog

    # the overlay applies to that run only, not to the process-wide catalog
    assert catalog.get("serving_efficiency", "h200").compute_efficiency == pytest.approx(0.782)


def test_calibrate_malformed_csv(cli, tmp_path):
    f = tmp_path / "m.csv"
    f.write_text("model,accelerator,batch,input_tokens,output_tokens,output_tokens_per_s\n"
                 "llama-2-70b,h200,8,128,x,100\n")
    _one_line_error(cli("calibrate", "serving", f), "m.csv, line 2, column 'output_tokens'")


def test_serve_disaggregated_pools(cli):
    import json

    r = cli("serve", "--model", "llama-3.1-70b", "--accelerator", "h100", "--tp", "8",
            "--batch", "64", "--disaggregate", "--prefill-tp", "4", "--json")
    assert r.exit_code == 0, r.output
    g = json.loads(r.stdout)["disaggregated"]
    assert g["prefill_tp"] == 4 and g["decode_batch"] == 64
    assert g["ttft_s"] > g["kv_transfer_s"] > 0 and g["prefill_to_decode_ratio"] > 0


def test_serve_moe_across_servers_with_queueing_and_speculation(cli):
    r = cli("serve", "--model", "deepseek-v3", "--accelerator", "h800", "--tp", "1", "--dp", "32",
            "--batch", "256", "--arrival-rate", "2", "--speculative-tokens", "1",
            "--acceptance-rate", "0.8", "--prefix-hit-rate", "0.5", "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["dp"] == 32 and d["accelerators_per_replica"] == 32 and d["spans_servers"]
    assert d["queue_wait_s"] > 0 and d["queueing"].startswith("M/D/1")
    assert d["options"]["speculative_tokens"] == 1


def test_serve_whole_nvl72(cli):
    r = cli("serve", "--model", "deepseek-v3", "--accelerator", "gb200", "--tp", "1", "--dp",
            "64", "--slo-tpot", "50ms", "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["accelerators_per_replica"] == 64 and not d["spans_servers"]


def test_serve_unsupported_combinations_one_line(cli):
    _one_line_error(cli("serve", "--model", "llama-3.1-8b", "--dp", "2"),
                    "needs a mixture-of-experts")
    _one_line_error(cli("serve", "--model", "llama-3.1-8b", "--acceptance-rate", "0.5"),
                    "speculative_tokens")
    _one_line_error(cli("serve", "--model", "llama-3.1-8b", "--tp", "1", "--batch", "8",
                        "--arrival-rate", "100000"), "capacity")
    _one_line_error(cli("serve", "--model", "llama-3.1-70b", "--tp", "16"), "scale-up domain")
    _one_line_error(cli("serve", "--kernels", "mesured"), "unknown --kernels", "measured")
    _one_line_error(cli("serve", "--model", "llama-3.1-8b", "--pp", "64"), "pp must be <= 32")


def test_serve_a_moe_model_in_pipeline_stages(cli):
    """DeepSeek-V3 in FP8 does not fit in one 8-H100 server: the error names attention data
    parallelism and pipeline stages; with --pp 2 (tensor parallelism within a node, pipeline
    stages across nodes: vLLM's advice for DeepSeek R1, vllm-project.github.io, 2025-02-17,
    'Distributed Inference with vLLM') it serves on 16 GPUs, each stage routing its layers'
    experts over its own 8."""
    _one_line_error(cli("serve", "--model", "deepseek-v3", "--accelerator", "h100", "--tp", "8",
                        "--dp", "1"), "--dp 2", "--pp 2")
    r = cli("serve", "--model", "deepseek-v3", "--accelerator", "h100", "--tp", "8", "--dp", "1",
            "--pp", "2", "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert (d["tp"], d["dp"], d["pp"], d["accelerators_per_replica"]) == (8, 1, 2, 16)
    r = cli("serve", "--model", "deepseek-v3", "--accelerator", "h100", "--tp", "8", "--dp", "2",
            "--pp", "2")
    assert r.exit_code == 0 and "tp 8 x dp 2 x pp 2 = 32 x h100-sxm" in r.output, r.output


def test_serve_a_model_too_large_for_one_server_in_pipeline_stages(cli):
    """Llama 3.1 405B in BF16 does not fit in 8 H100s: without --pp the fewest stages that hold
    it are found (2, a replica over two servers); with --pp 1 the error names --pp 2."""
    _one_line_error(cli("serve", "--model", "llama-3.1-405b", "--precision", "bf16", "--tp", "8",
                        "--pp", "1"), "--pp 2")
    for extra in ((), ("--tp", "8", "--pp", "2")):
        r = cli("serve", "--model", "llama-3.1-405b", "--precision", "bf16", *extra, "--json")
        assert r.exit_code == 0, r.output
        d = json.loads(r.stdout)
        assert (d["tp"], d["pp"], d["accelerators_per_replica"], d["spans_servers"]) == \
            (8, 2, 16, True)
    _one_line_error(cli("serve", "--accelerator", "mi300x", "--kernels", "measured"),
                    "no measured kernel timings for mi300x")
    _one_line_error(cli("serve", "--model", "llama-3.1-70b", "--disaggregate", "--slo-tpot",
                        "0.01ms", "--batch", "8", "--tp", "8"), "best achievable")


def test_serve_heavy_tailed_outputs_cost_more_per_token(cli):
    """--output-cv: reasoning outputs (MLPerf's DeepSeek-R1 set: 1.25) keep long contexts in
    flight, so each token takes longer than at fixed lengths of the same mean."""
    args = ("serve", "--model", "llama-3.1-70b", "--accelerator", "h200", "--tp", "2",
            "--batch", "64", "--prompt", "800", "--output", "4000", "--json")
    fixed, spread = (json.loads(cli(*args, *extra).stdout)
                     for extra in ((), ("--output-cv", "1.25")))
    assert spread["options"]["output_cv"] == 1.25 and fixed["options"]["output_cv"] == 0.0
    assert spread["tpot_s"] > fixed["tpot_s"]
    _one_line_error(cli("serve", "--output-cv", "-1"), "--output-cv")


def test_serve_names_its_energy_convention_and_shares_tcos(cli):
    """Energy per token counts what tco counts (the server, its share of the network, the
    PUE, the catalog's busy draw) unless told otherwise, and says so."""
    base = ("serve", "-m", "llama-3.1-8b", "-a", "h100", "--tp", "1", "--batch", "64", "--json")
    d = json.loads(cli(*base).stdout)
    assert d["energy_convention"]["label"] == "facility (server x PUE), busy draw 75%, location-based"
    tdp = json.loads(cli(*base, "--energy-scope", "accelerator", "--busy-draw", "1").stdout)
    accel_s_per_token = 1.0 / d["output_tokens_per_s_per_accelerator"]
    # at TDP and full draw: 700 W for every accelerator-second of a token, prefill included
    assert tdp["joules_per_token"] == pytest.approx(700.0 * accel_s_per_token, rel=0.1)
    assert d["joules_per_token"] > tdp["joules_per_token"] * 0.75
    r = cli(*base[:-1], "--carbon-free-share", "0.3")
    _one_line_error(r, "carbon-free share applies to market-based emissions")


def test_serve_an_offline_job(cli):
    r = cli("serve", "--model", "llama-3.1-8b", "--accelerator", "h100", "--tp", "1",
            "--prompt", "1000", "--output", "500", "--requests", "3000", "--json")
    assert r.exit_code == 0, r.output
    job = json.loads(r.stdout)["offline"]
    assert job["requests"] == 3000 and sum(size * n for size, n in job["waves"]) == 3000
    assert job["usd"] > 0 and job["hours"] > 0 and job["mwh"] > 0
    table = cli("serve", "--model", "llama-3.1-8b", "--accelerator", "h100", "--tp", "1",
                "--requests", "3000")
    assert table.exit_code == 0 and "offline job of 3,000 requests" in table.stdout
    _one_line_error(cli("serve", "--requests", "10", "--arrival-rate", "2"), "offline job")
