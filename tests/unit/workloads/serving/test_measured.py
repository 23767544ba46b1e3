"""Fits of efficiency terms to measured kernel timings, on synthetic measurements."""

import sys

import numpy as np
import pytest

from siliconomics.errors import InputError
from siliconomics.workloads.serving import measured


def test_fit_compute_uses_large_gemms_only():
    m = np.array([8192, 16])
    t = np.array([2 * 8192**3 / 6e14, 1.0])
    assert measured.fit_compute(m, [8192, 8192], [8192, 8192], t, 1e15) == pytest.approx(0.6)
    with pytest.raises(InputError):
        measured.fit_compute([16], [16], [16], [1.0], 1e15)


def test_fit_bandwidth_recovers_line():
    n = np.array([1024.0, 4096, 8192, 16384])
    t = 4e-6 + n * 8192 * 1.0 / (0.85 * 3.35e12)
    t0, eta = measured.fit_bandwidth(np.ones(4), n, np.full(4, 8192), t, 1.0, 3.35e12)
    assert t0 == pytest.approx(4e-6) and eta == pytest.approx(0.85)


def test_fit_attention_and_allreduce():
    kv = 256 * 8192 * 2 * 8 * 128
    assert measured.fit_attention([256], [8192], [8], [128], 1.0, [kv / 2.4e12], 3e12) == \
        pytest.approx(0.8)
    m = 2.0**27
    lat, eta = measured.fit_allreduce([2, 2, 8, 8], [512, m, 512, m],
                                      [3e-6, 3e-6 + m / 3e11, 3e-6, 3e-6 + 1.75 * m / 3.6e11],
                                      4e11)
    assert lat == pytest.approx(3e-6)
    assert eta == pytest.approx(np.median([0.75, 0.9]))


def test_fit_gather_moves_half_an_all_reduce():
    """A ring all-gather or reduce-scatter moves (n-1)/n of its buffer, half an all-reduce's
    traffic: the same times fitted as one and as the other differ by that factor."""
    m = np.array([512.0, 2.0**22, 512.0, 2.0**26])
    t = np.array([8e-6, 8e-6 + 1 / 2 * m[1] / (0.5 * 4.5e11),
                  8e-6, 8e-6 + 7 / 8 * m[3] / (0.6 * 4.5e11)])
    lat, eta = measured.fit_gather([2, 2, 8, 8], m, t, 4.5e11)
    assert lat == pytest.approx(8e-6)
    assert eta == pytest.approx(0.55)  # the median of 0.5 (two ranks) and 0.6 (eight)
    _, eta_ar = measured.fit_allreduce([2, 2, 8, 8], m, t, 4.5e11)
    assert eta_ar == pytest.approx(2 * eta, rel=1e-12)
    with pytest.raises(InputError, match="all-gather or reduce-scatter of 4 ranks"):
        measured.fit_gather([4, 4], [512, 1024], [1e-5, 1e-5], 4.5e11)


def test_missing_package_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "aiconfigurator_core", None)
    with pytest.raises(InputError, match=r"siliconomics\[measured\]"):
        measured.data_dir()


def test_fit_roofline_exponent_recovers_sharp_and_round_corners():
    c = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    m = np.array([4.0, 3.5, 3.0, 2.0, 1.0])
    assert measured.fit_roofline_exponent(c, m, 1e-6, 1e-6 + np.maximum(c, m)) == 8.0
    assert measured.fit_roofline_exponent(c, m, 0.0, (c**1.5 + m**1.5) ** (1 / 1.5)) == 1.5


def test_attention_fixed_time_uses_small_reads():
    t = measured.attention_fixed_s([1, 1, 512], [16, 32, 65536], [8, 8, 8], [128, 128, 128], 1.0,
                                   [5e-6, 7e-6, 1e-3])
    assert t == pytest.approx(6e-6)


def _synthetic_database(root):
    """A tiny database in aiconfigurator-core's layout, with known terms."""
    import pandas as pd

    dev = root / "h100_sxm"
    peak, hbm, link = 989.4e12, 3.35e12, 450e9
    rows = []
    for dtype, mult, bpe, ce, be, t0 in (("bfloat16", 1, 2.0, 0.8, 0.85, 4e-6),
                                         ("fp8", 2, 1.0, 0.6, 0.8, 12e-6)):
        for m in (1, 8, 16, 4096, 8192):
            for n, k in ((4096, 4096), (8192, 8192), (16384, 8192)):
                tc = 2 * m * n * k / (peak * mult * ce)
                tm = n * k * bpe / (hbm * be)
                rows.append({"gemm_dtype": dtype, "m": m, "n": n, "k": k,
                             "latency": (t0 + max(tc, tm)) * 1e3})
    g = dev / "gemm" / "trtllm" / "9.9"
    g.mkdir(parents=True)
    pd.DataFrame(rows).to_parquet(g / "gemm_perf.parquet")
    a = dev / "attention" / "trtllm" / "9.9"
    a.mkdir(parents=True)
    att = []
    for b, ctx in ((1, 16), (1, 32), (256, 8192), (512, 8192)):
        kv = b * ctx * 2 * 8 * 128
        t = 6e-6 if kv < 1e6 else kv / (0.7 * hbm)
        att.append({"batch_size": b, "isl": 1, "step": ctx - 1, "num_key_value_heads": 8,
                    "head_dim": 128, "window_size": 0, "kv_cache_dtype": "fp8",
                    "latency": t * 1e3})
    pd.DataFrame(att).to_parquet(a / "generation_attention_perf.parquet")
    c = dev / "comm" / "trtllm" / "9.9"
    c.mkdir(parents=True)
    ar = [{"num_gpus": 8, "message_size": 1024, "latency": 3e-3},
          {"num_gpus": 8, "message_size": 2**26,
           "latency": (3e-6 + 2 * 7 / 8 * 2**27 / (0.75 * link)) * 1e3}]
    pd.DataFrame(ar).to_parquet(c / "custom_allreduce_perf.parquet")


def test_fit_from_a_database_recovers_its_terms(tmp_path):
    _synthetic_database(tmp_path)
    e = measured.efficiencies("h100", "fp8", root=tmp_path)
    assert e["compute_efficiency"] == pytest.approx(0.6, rel=0.03)  # t0 is inside the timings
    assert e["bandwidth_efficiency"] == pytest.approx(0.8, rel=1e-3)
    assert e["layer_overhead_us"] == pytest.approx(4 * 12 + 6, rel=1e-3)
    assert e["kv_bandwidth_efficiency"] == pytest.approx(0.7)
    assert e["collective_latency_us"] == pytest.approx(3.0)
    assert e["communication_efficiency"] == pytest.approx(0.75)
    assert e["roofline_exponent"] == 8.0  # the synthetic kernels follow the sharp roofline
    b = measured.efficiencies("h100", "bf16", root=tmp_path)
    assert b["compute_efficiency"] == pytest.approx(0.8, rel=0.03)


def test_accelerator_without_measurements_is_bad_input(tmp_path):
    with pytest.raises(InputError, match="no measured kernel timings for mi300x"):
        measured.efficiencies("mi300x", root=tmp_path)
    with pytest.raises(InputError, match="unknown device"):
        measured.fit_from_database("h999", "h100", root=tmp_path)


def test_fit_training_gemm_recovers_a_rounded_roofline(tmp_path):
    """GEMMs made by the training GEMM model with known terms give those terms back."""
    import pandas as pd

    from siliconomics.workloads.parallelism import GemmModel

    truth = GemmModel(efficiency=0.8, bandwidth_efficiency=0.85, fixed_s=4e-6, exponent=2.0)
    peak, hbm = 989.4e12, 3.35e12
    rows = [{"gemm_dtype": "bfloat16", "m": m, "n": n, "k": k,
             "latency": truth.seconds(m, n, k, peak, hbm) * 1e3}
            for m in (1, 8, 16, 512, 2048, 4096, 8192)
            for n in (256, 1024, 4096, 8192) for k in (256, 1024, 4096, 8192)]
    g = tmp_path / "h100_sxm" / "gemm" / "trtllm" / "9.9"
    g.mkdir(parents=True)
    pd.DataFrame(rows).to_parquet(g / "gemm_perf.parquet")
    fit = measured.fit_training_gemm("h100_sxm", "h100-sxm", root=tmp_path)
    assert fit["roofline_exponent"] == 2.0
    assert fit["compute_efficiency"] == pytest.approx(0.8, rel=0.02)  # t0 is in the timings
    assert fit["rms_log_error"] < 0.05
    assert fit["file"] == "h100_sxm/gemm/trtllm/9.9/gemm_perf.parquet"


def test_catalog_gemm_terms_are_the_fit_of_the_installed_database():
    """The shipped gemm_efficiency terms are what the fit gives on the installed database
    (aiconfigurator-core is a test dependency)."""
    from siliconomics import catalog

    for device, slug in (("a100_sxm", "a100-sxm4-80gb"), ("h100_sxm", "h100-sxm"),
                         ("h200_sxm", "h200"), ("b200_sxm", "b200"), ("gb200", "gb200"),
                         ("b300_sxm", "b300"), ("gb300", "gb300")):
        fit = measured.fit_training_gemm(device, slug)
        e = catalog.get("gemm_efficiency", slug)
        assert e.compute_efficiency == pytest.approx(fit["compute_efficiency"], rel=1e-3)
        assert e.bandwidth_efficiency == pytest.approx(fit["bandwidth_efficiency"], rel=1e-3)
        assert e.fixed_us == pytest.approx(fit["fixed_us"], rel=1e-2)
        assert e.roofline_exponent == fit["roofline_exponent"]
        # FP8 training's linear layers: the measured large FP8 GEMMs' share of their peak
        for key in ("compute_efficiency_fp8", "compute_efficiency_fp4"):
            assert e.get(key) == (None if key not in fit else pytest.approx(fit[key], rel=1e-3))


@pytest.mark.parametrize("device, slug", [("h100_sxm", "h100-sxm"), ("h200_sxm", "h200"),
                                          ("b200_sxm", "b200"), ("gb200", "gb200"),
                                          ("b300_sxm", "b300"), ("gb300", "gb300"),
                                          ("a100_sxm", "a100-sxm4-80gb")])
def test_catalog_serving_terms_are_the_fit_of_the_installed_database(device, slug):
    """Every fitted serving_efficiency term the catalog ships is what the fit gives on the
    installed database, to the digits shipped."""
    from siliconomics import catalog

    fit = measured.fit_from_database(device, slug)
    entry = catalog.get("serving_efficiency", slug)
    checked = 0
    for key, value in fit.items():
        if isinstance(value, float) and entry.get(key) is not None:
            assert entry.get(key) == pytest.approx(value, rel=5e-3), key
            checked += 1
    assert checked >= (7 if slug == "a100-sxm4-80gb" else 9)  # A100: no FP8 GEMMs


#: rccl-tests all_reduce_perf on 8 x MI300X, graph mode, out-of-place (ROCm/rocm-blogs commit
#: 0e81c2c, blogs/software-tools-optimization/mi300x-rccl-xgmi/README.md), 8 B to 1 GiB:
#: (bytes, us).
RCCL_MI300X = tuple(zip(
    [2**i for i in range(3, 31)],
    (16.38, 15.75, 6.32, 6.00, 6.53, 6.77, 7.44, 7.47, 7.46, 7.61, 7.64, 8.71, 9.05, 9.14, 9.51,
     10.26, 14.26, 19.40, 35.03, 51.83, 83.74, 149.1, 243.4, 427.9, 795.3, 1534.4, 3024.0,
     5961.9)))


def test_catalog_mi300x_allreduce_terms_are_the_fit_of_the_published_run():
    from siliconomics import catalog

    size, us = (np.array(c, dtype=float) for c in zip(*RCCL_MI300X))
    link = catalog.resolve("mi300x")["system.scaleup_bandwidth_gb_per_s"] * 1e9 / 2.0
    lat, eta = measured.fit_allreduce(np.full(len(size), 8), size, us * 1e-6, link)
    e = catalog.load().get("serving_efficiency", "mi300x")
    assert e.collective_latency_us == pytest.approx(lat * 1e6, abs=0.005)
    assert e.communication_efficiency == pytest.approx(eta, abs=0.0005)
    # on the 1-256 MiB messages a serving step sends, the fitted line is closer to the
    # measured times than one through the largest message
    from siliconomics.workloads.serving.step import allreduce_s

    mid = (size >= 2**20) & (size <= 2**28)
    largest = 2 * 7 / 8 * size[-1] / (us[-1] * 1e-6) / link

    def error(e):
        return np.mean(np.abs(allreduce_s(size[mid], 8, link * e, lat) / (us[mid] * 1e-6) - 1))

    assert error(eta) < 0.85 * error(largest)  # 0.20 against 0.25


def test_fit_aiter_gemms_keeps_one_device_and_recovers_its_terms(tmp_path):
    import pandas as pd

    from siliconomics import catalog

    r = catalog.resolve("mi300x")
    peak, hbm = r.accelerator.fp8_tflop_per_s * 1e12, 5.3e12
    m = np.array([1.0, 1, 64, 128, 256, 1024, 4096, 8192])
    n = np.array([4096.0, 8192, 16384, 8192, 8192, 8192, 8192, 16384])
    k = np.full(len(m), 8192.0)
    c, w = 2 * m * n * k / (peak * 0.3), n * k / (hbm * 0.6)
    t = 5e-6 + c + w  # exponent 1: the times add
    rows = pd.DataFrame({"gfx": "gfx942", "cu_num": 304, "M": m, "N": n, "K": k, "us": t * 1e6})
    other = rows.assign(cu_num=80, us=rows.us * 3)  # another board, slower: must be ignored
    rows.to_csv(tmp_path / "a.csv", index=False)
    other.to_csv(tmp_path / "b.csv", index=False)
    f = measured.fit_aiter_gemms([tmp_path / "a.csv", tmp_path / "b.csv"], "mi300x")
    assert f["gemms"] == len(m)
    # the m = 1 rows' own FLOPs (under 1% of their time) are read as bandwidth
    assert f["bandwidth_efficiency"] == pytest.approx(0.6, rel=0.01)
    assert f["fixed_s"] == pytest.approx(5e-6, rel=0.05)
    assert f["roofline_exponent"] == 1.0
    assert 0.28 < f["compute_efficiency"] < 0.3  # the fixed time and weight reads cost a little
    with pytest.raises(InputError, match="no GEMM rows"):
        measured.fit_aiter_gemms([tmp_path / "b.csv"], "mi300x", cu_num=999)


def _moe_terms(**kw):
    return dict(bytes_per_element=1.0, peak_flop_per_s=1979e12, hbm_bytes_per_s=4.8e12,
                compute_efficiency=0.63, bandwidth_efficiency=0.84, exponent=2.0, **kw)


def test_moe_layer_time_by_hand():
    """One token to 2 of 8 experts of 4096 x 14336 (Mixtral's shape), FP8, on one of 2 ranks
    sharing the experts: half the 2 touched experts' weights and FLOPs, the fixed time, half
    the copy's 2 x 14336 + 4096 outputs' activation bytes and the token's 4096 elements."""
    h, i = 4096, 14336
    t = measured.moe_layer_s(1, h, i, 8, 2, ep=2, **_moe_terms(
        fixed_s=30e-6, activation_bytes=10.0, token_bytes=40.0))
    compute = 2 * 2 * 3 * h * i / 2 / (1979e12 * 0.63)
    memory = 2 * 3 * h * i * 1.0 / 2 / (4.8e12 * 0.84)
    expected = (30e-6 + (compute**2 + memory**2) ** 0.5
                + (2 / 2 * (2 * i + h) * 10.0 + h * 40.0) / 4.8e12)
    assert float(t) == pytest.approx(expected, rel=1e-12)


def test_fit_moe_recovers_its_terms_across_shapes():
    """Synthetic MoE layers made with known terms over several shapes, token counts and
    expert-parallel degrees give those terms back; the GEMM terms alone would not."""
    shapes = [(2048, 768, 128, 8), (4096, 1536, 128, 8), (4096, 14336, 8, 2),
              (7168, 2048, 256, 8), (5120, 8192, 16, 1)]
    tokens = [1, 16, 128, 1024, 4096, 16384]
    cols = np.array([(t, *s, ep) for s in shapes for t in tokens for ep in (1, 8)],
                    dtype=float).T
    shape, ep = cols[:5], cols[5]
    truth = measured.moe_layer_s(*shape, ep=ep, **_moe_terms(
        fixed_s=40e-6, activation_bytes=12.0, token_bytes=30.0))
    fixed, act, tok = measured.fit_moe(*shape, ep, truth, **_moe_terms())
    assert fixed == pytest.approx(40e-6, rel=1e-4)
    assert act == pytest.approx(12.0, rel=1e-4)
    assert tok == pytest.approx(30.0, rel=1e-4)
    bare = measured.moe_layer_s(*shape, ep=ep, **_moe_terms())
    assert np.all(bare < truth)


def test_catalog_moe_terms_come_from_the_measured_moe_layers():
    """The NVIDIA entries ship the MoE block terms the fit gives on the installed database
    (checked value by value in the test above); the fitted time of Qwen3-30B-A3B's MoE layer
    on B200 in NVFP4 at 8,192 tokens lands within 25% of the measured one (0.957 ms, CUTLASS,
    power-law routing), where the GEMM terms alone give under half of it."""
    import pandas as pd

    from siliconomics import catalog

    e = catalog.get("serving_efficiency", "b200")
    f = pd.read_parquet(measured.data_dir() / "b200_sxm/moe/trtllm/1.3.0rc20/moe_perf.parquet")
    row = f[(f.kernel_source == "moe_torch_flow_cutlass") & (f.moe_dtype == "nvfp4")
            & (f.distribution == "power_law_1.2") & (f.moe_tp_size == 1) & (f.moe_ep_size == 1)
            & (f.hidden_size == 2048) & (f.inter_size == 768) & (f.num_experts == 128)
            & (f.topk == 8) & (f.num_tokens == 8192)]
    measured_s = float(row.latency.iloc[0]) * 1e-3
    terms = dict(bytes_per_element=measured.GEMM_BYTES["nvfp4"], peak_flop_per_s=9000e12,
                 hbm_bytes_per_s=8e12, compute_efficiency=e.compute_efficiency_fp4,
                 bandwidth_efficiency=e.bandwidth_efficiency_fp4,
                 exponent=e.roofline_exponent)
    bare = float(measured.moe_layer_s(8192, 2048, 768, 128, 8, **terms))
    full = float(measured.moe_layer_s(8192, 2048, 768, 128, 8, **terms,
                                      fixed_s=e.moe_layer_overhead_us_fp4 * 1e-6,
                                      activation_bytes=e.moe_activation_bytes_fp4,
                                      token_bytes=e.moe_token_bytes_fp4))
    assert bare < 0.5 * measured_s
    assert full == pytest.approx(measured_s, rel=0.25)


def test_the_newest_version_folder_is_taken_by_its_numbers(tmp_path):
    for v in ("2.9", "2.23", "1.3.0rc9", "1.3.0rc10"):
        (tmp_path / "comm" / v).mkdir(parents=True)
        (tmp_path / "comm" / v / "t.parquet").write_bytes(b"")
    assert measured._newest(tmp_path, "comm/2.*/t.parquet").parent.name == "2.23"
    assert measured._newest(tmp_path, "comm/1.*/t.parquet").parent.name == "1.3.0rc10"
