"""Demand profiles: fleet sizing by hand, CSV errors, a fleet for the example day."""

from pathlib import Path

import numpy as np
import pytest

from siliconomics.errors import InputError
from siliconomics.workloads import demand
from siliconomics.workloads import serving as inf

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


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


def test_size_fleet_with_a_cost_per_period_and_no_demand():
    # busy accelerators per period: 2 * 1.5 = 3 and 4 * 0.5 = 2 -> 3 whole replicas of 1
    n, u, busy = demand.size_fleet([2.0, 4.0], [1.5, 0.5])
    assert n == 3 and busy.tolist() == [3.0, 2.0] and u == pytest.approx(2.5 / 3)
    n, u, _ = demand.size_fleet([0.0, 0.0], 1.0, tp=8)  # an idle fleet still has one replica
    assert (n, u) == (8, 0.0)
    with pytest.raises(InputError, match="requests_per_s must be >= 0"):
        demand.size_fleet([1.0, -1.0], 1.0)
    with pytest.raises(InputError, match="accelerator_s_per_request must be > 0"):
        demand.size_fleet([1.0], 0.0)


def test_moe_fleet_counts_whole_replicas_of_tp_times_dp():
    from siliconomics.workloads import demand as dm

    d = inf.Deployment.create("deepseek-v3", "h800", tp=1, dp=32)
    prof = dm.Demand(hours=np.arange(24.0), requests_per_s=np.full(24, 50.0))
    f = dm.fleet(prof, d, batch=64, prompt_tokens=1000, output_tokens=200)
    assert f.accelerators % 32 == 0 and f.replicas == f.accelerators // 32
