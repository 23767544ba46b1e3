"""Transformer Engine's GEMM timings as transcribed, and what the cases compare."""

import pytest

from siliconomics.validation import training, training_precision as tp
from siliconomics.workloads import parallelism

#: Speed-ups over BF16 the tutorial prints from its per-layer totals (two or three digits).
_PRINTED = {("b300", "mxfp8"): 1.42, ("b300", "nvfp4"): 1.98, ("h200", "fp8-delayed"): 1.69,
            ("h200", "fp8-current"): 1.58, ("h200", "fp8-block"): 1.40}
_PRINTED_KERNEL = {("b300", "mxfp8"): 1.83, ("b300", "nvfp4"): 3.48,
                   ("h200", "fp8-current"): 1.90}


def test_the_transcribed_times_give_the_speedups_the_tutorial_prints():
    """A typo in a transcribed time shows: each ratio of per-layer totals is the speed-up the
    tutorial prints from them (autocast, and kernel-only), to its printed digits."""
    for (gpu, recipe), printed in _PRINTED.items():
        times = tp._TIMES[gpu][2]
        assert times["bf16"] / times[recipe] == pytest.approx(printed, abs=0.006)
    for (gpu, recipe), printed in _PRINTED_KERNEL.items():
        times = tp._KERNEL_ONLY[gpu]
        assert times["bf16"] / times[recipe] == pytest.approx(printed, abs=0.006)


def test_the_model_is_checked_at_the_tutorials_four_gemm_shapes():
    m = tp.te_model()
    lay = parallelism.Layout(tp=1, microbatch=31)
    assert parallelism.linear_shapes(m, lay, 512) == [
        (15872, 12288, 4096), (15872, 4096, 4096), (15872, 16384, 4096), (15872, 4096, 16384)]
    assert tp.predicted_speedup("h200", "bf16") == 1.0
    assert tp.predicted_speedup("b300", "fp4") > tp.predicted_speedup("b300", "fp8") > 1.0


def test_gemm_speedups_stay_out_of_the_mfu_error_interval():
    """The catalog's training-mfu-error spans realised over predicted MFU of runs; a speed-up
    of one precision's GEMMs over another's is not one."""
    lo, hi, n = training.mfu_ratio_interval()
    from siliconomics.validation import cases

    runs = [c for c in cases() if c.area == "training" and not c.calibration
            and c.check == "throughput"]
    assert n == sum(c.unit != tp.UNIT for c in runs) < len(runs)
