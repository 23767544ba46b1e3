"""Demand profiles and calibration: fleet sizing, CSV errors, least-squares fit, overlays."""

from pathlib import Path

import numpy as np
import pytest

from siliconomics.errors import InputError
from siliconomics.workloads import calibration, demand
from siliconomics.workloads import inference as inf

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_size_fleet_by_hand():
    n, u, busy = demand.size_fleet([10, 20, 40], 0.5, tp=4)
    # peak busy 20 accelerators -> 5 replicas of 4; mean busy 35/3
    assert n == 20
    assert u == pytest.approx((35 / 3) / 20)
    assert busy.tolist() == [5, 10, 20]


def test_read_demand_csv_and_errors(tmp_path):
    p = tmp_path / "d.csv"
    p.write_text("# comment\nhour,requests_per_s\n0,5\n1,15\n")
    d = demand.read_csv(p)
    assert d.peak_requests_per_s == 15 and d.mean_requests_per_s == 10
    p.write_text("hour,requests_per_s\n0,5\n1,abc\n")
    with pytest.raises(InputError, match=r"d.csv, line 3, column 'requests_per_s': not a number"):
        demand.read_csv(p)
    p.write_text("hour,rate\n0,5\n")
    with pytest.raises(InputError, match="line 1: missing column 'requests_per_s'"):
        demand.read_csv(p)
    p.write_text("hour,requests_per_s\n0,5,3\n")
    with pytest.raises(InputError, match="line 2: expected 2 columns, got 3"):
        demand.read_csv(p)


def test_fleet_from_example_profile():
    d = inf.Deployment.create("llama-3.1-70b", "h100", tp=8)
    prof = demand.read_csv(EXAMPLES / "demand_day.csv")
    f = demand.fleet(prof, d, batch=64, prompt_tokens=2048, output_tokens=256)
    perf = d.performance(64, 2048, 256)
    a = float(perf["prefill_accelerator_s_per_request"] + perf["decode_accelerator_s_per_request"])
    assert f.accelerators == 8 * int(np.ceil(115 * a / 8))
    assert f.utilization == pytest.approx(prof.mean_requests_per_s * a / f.accelerators)
    assert 0 < f.utilization < 1


def test_calibration_recovers_known_factors(tmp_path):
    truth = dict(compute_efficiency=0.37, bandwidth_efficiency=0.55)
    rows = []
    for tp, b, p, o in [(1, 8, 128, 512), (1, 256, 2048, 128), (2, 64, 1024, 1024),
                        (1, 128, 128, 128)]:
        d = inf.Deployment.create("llama-2-70b", "h200", tp=tp).with_efficiency(**truth)
        y = float(d.performance(b, p, o)["output_tokens_per_s_per_replica"])
        rows.append(f"llama-2-70b,h200,{tp},fp8,{b},{p},{o},{y}")
    f = tmp_path / "m.csv"
    f.write_text("model,accelerator,tp,precision,batch,input_tokens,output_tokens,"
                 "output_tokens_per_s\n" + "\n".join(rows) + "\n")
    fit = calibration.fit(calibration.read_csv(f))[0]
    assert fit.after["compute_efficiency"] == pytest.approx(0.37, rel=1e-3)
    assert fit.after["bandwidth_efficiency"] == pytest.approx(0.55, rel=1e-3)
    assert fit.rms_log_error_after < 1e-4 < fit.rms_log_error_before
    out = calibration.write_overlay([fit], tmp_path / "o.toml", str(f))
    from siliconomics.catalog import Catalog

    cat = Catalog()
    cat.add_overlay(out)
    assert cat.get("serving_efficiency", "h200").compute_efficiency == pytest.approx(0.37, rel=1e-3)


def test_calibration_csv_errors(tmp_path):
    f = tmp_path / "m.csv"
    f.write_text("model,accelerator,batch,input_tokens,output_tokens,output_tokens_per_s\n"
                 "llama-2-70b,h200,1.5,128,128,100\n")
    with pytest.raises(InputError, match=r"line 2, column 'batch': must be a whole number"):
        calibration.read_csv(f)
    f.write_text("model,accelerator,batch,input_tokens,output_tokens,output_tokens_per_s\n"
                 "llama-2-70b,h2000,1,128,128,100\n")
    with pytest.raises(InputError, match=r"line 2, column 'accelerator': unknown accelerator"):
        calibration.read_csv(f)
