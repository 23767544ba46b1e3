"""The llm-foundry rows as transcribed, and the rows the memory model rejects."""

import pytest

from siliconomics.validation import training_fsdp as fsdp

#: Dense BF16 peaks llm-foundry divides by (Composer's speed monitor). [FLOP/s]
_PEAK = {"h100-large": 989e12, "h100": 989e12, "a100-80gb": 312e12, "a100-40gb": 312e12}


@pytest.mark.parametrize("row", fsdp.LLM_FOUNDRY_ROWS, ids=lambda r: f"{r[0]}-{r[1]}-{r[2]}")
def test_each_row_is_consistent_with_its_printed_mfu(row):
    """A typo in a transcribed throughput shows: the table's MFU is its tokens/s per GPU times
    llm-foundry's FLOPs per token (6 per parameter plus 12 L d s for attention) over the peak,
    within 2%: the table counts MPT's learned position embeddings too (2,048 x d parameters,
    1.3% of MPT-125M's), which the step model leaves out."""
    table, size, n, micro, accum, batch, _, _, _, tps, mfu = row
    m = fsdp.mpt(size)
    flops_per_token = 6 * m.params_total + 12 * m.layers * m.hidden_size * 2048
    assert tps * flops_per_token / _PEAK[table] == pytest.approx(mfu / 100, rel=0.02)
    assert n >= 32 and batch == n * micro * accum


def test_rows_over_memory_are_the_ones_the_step_model_rejects():
    rejected = {(r[0], r[1], r[2]) for r in fsdp.LLM_FOUNDRY_ROWS
                if not fsdp.step(r[0], r[1], r[2], r[3], r[5], r[7], r[8]).fits}
    assert rejected == fsdp.OVER_MEMORY
