"""Model architectures: parameter counts against the published totals, FLOPs by hand."""

import pytest

from siliconomics import catalog
from siliconomics.errors import InputError
from siliconomics.workloads.models import Model, six_nd


@pytest.mark.parametrize("name", catalog.names("models"))
def test_parameter_count_matches_publication(name):
    """Counting from the architecture reproduces each published total within 2%, or within the
    rounding of a total published to fewer digits (its catalog range: '1T', '14B')."""
    m = Model.from_catalog(name)
    v = catalog.get("models", name).value("params_billion")
    if v.is_uncertain:
        assert v.low * 1e9 <= m.params_total <= v.high * 1e9
    else:
        assert m.params_total == pytest.approx(m.params_published, rel=0.02)


@pytest.mark.parametrize(("name", "active"), [("mixtral-8x7b", 12.9e9), ("deepseek-v3", 37e9)])
def test_moe_active_parameters(name, active):
    assert Model.from_catalog(name).params_active == pytest.approx(active, rel=0.03)


def test_gpt3_flops_by_hand():
    """GPT-3: per layer 24 h^2 matmul FLOPs/2 ... i.e. Narayanan et al. eq. 3 without recompute."""
    m = Model.from_catalog("gpt-3")
    h, layers, s, v = 12288, 96, 2048, 50257
    megatron = 72 * s * layers * h**2 * (1 + s / (6 * h) + v / (12 * h * layers)) / s
    assert m.training_flops_per_token(s) == pytest.approx(megatron, rel=0.002)
    # and 6ND is within 3% of the published 3.14e23
    assert six_nd(175e9, 300e9) == pytest.approx(3.14e23, rel=0.01)


def test_kv_cache_by_hand():
    m = Model.from_catalog("llama-2-70b")
    assert m.kv_bytes_per_token("fp8") == 2 * 80 * 8 * 128 * 1
    ds = Model.from_catalog("deepseek-v3")
    assert ds.kv_bytes_per_token("bf16") == 61 * (512 + 64) * 2


def test_bad_models():
    with pytest.raises(InputError, match="multiple of kv_heads"):
        Model("x", layers=2, hidden_size=64, heads=6, kv_heads=4, ffn_size=128, vocab_size=10)
    with pytest.raises(InputError, match="unknown precision 'fp9'"):
        Model.from_catalog("llama-3.1-8b").kv_bytes_per_token("fp9")
    with pytest.raises(Exception, match="did you mean"):
        Model.from_catalog("llama-3.1-7b")


def test_model_helper_unchanged():
    assert Model.from_catalog("llama-3-70b").name == "llama-3.1-70b"
