"""Serving calibration: reading measurements, the least-squares fit and the overlay it writes."""

import pytest

from siliconomics.errors import InputError
from siliconomics.workloads import calibration
from siliconomics.workloads import serving as inf


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
