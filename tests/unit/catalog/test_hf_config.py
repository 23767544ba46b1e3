"""Models from Hugging Face config.json files: counts checked against the catalog and the
publications (fixtures in tests/data/configs, sources in tests/data/configs/SOURCES.md)."""

import json
from pathlib import Path

import pytest

from siliconomics import workloads
from siliconomics.errors import InputError
from siliconomics.workloads.models import Model

CONFIGS = Path(__file__).resolve().parents[2] / "data" / "configs"
#: Fixture -> catalog model with the same architecture.
CATALOG = {"llama-3.1-8b": "llama-3.1-8b", "llama-3.1-70b": "llama-3.1-70b",
           "llama-3.1-405b": "llama-3.1-405b", "mixtral-8x7b": "mixtral-8x7b",
           "deepseek-v3": "deepseek-v3", "qwen2.5-72b": "qwen2.5-72b"}
#: Published totals (and active) of the fixtures with no catalog entry, in billions
#: (tests/data/configs/SOURCES.md cites each: model cards and reports).
PUBLISHED = {"qwen1.5-moe-a2.7b": (14.3, 2.7), "qwen3-30b-a3b": (30.5, None),
             "mistral-7b": (7.3, None), "llama-3.2-1b": (1.23, None),
             "gpt-oss-120b": (116.83, None), "gemma-2-9b": (9.24, None)}


def load(slug):
    return workloads.model_from_config(CONFIGS / slug / "config.json")


@pytest.mark.parametrize("slug", sorted(CATALOG))
def test_configs_reproduce_the_catalog_models(slug):
    m, ref = load(slug), Model.from_catalog(CATALOG[slug])
    published = ref.params_published
    assert m.params_total == pytest.approx(published, rel=0.01)  # within 1% of the publication
    assert m.params_total == pytest.approx(ref.params_total, rel=1e-9)
    assert m.params_active == pytest.approx(ref.params_active, rel=1e-9)
    for ctx in (2048, 8192):
        assert m.forward_flops_per_token(ctx) == pytest.approx(ref.forward_flops_per_token(ctx),
                                                               rel=1e-9)
    assert m.kv_bytes_per_token("bf16") == pytest.approx(ref.kv_bytes_per_token("bf16"), rel=1e-9)


@pytest.mark.parametrize("slug", sorted(PUBLISHED))
def test_configs_reproduce_published_totals(slug):
    total, active = PUBLISHED[slug]
    m = load(slug)
    assert m.params_total / 1e9 == pytest.approx(total, rel=0.01)
    if active is not None:
        assert m.params_active / 1e9 == pytest.approx(active, rel=0.01)


def test_architecture_features_are_read():
    ds = load("deepseek-v3")
    assert (ds.attention, ds.experts, ds.shared_experts, ds.dense_layers) == ("mla", 256, 1, 3)
    assert (ds.kv_lora_rank, ds.rope_head_dim) == (512, 64)
    qwen = load("qwen1.5-moe-a2.7b")
    assert qwen.shared_expert_ffn_size == 5632 and qwen.expert_ffn_size == 1408
    assert load("llama-3.2-1b").tied_embeddings and load("gemma-2-9b").tied_embeddings
    assert load("gpt-oss-120b").sliding_window_layers == 18
    assert load("mistral-7b").sliding_window == 4096
    assert load("llama-3.1-405b").kv_heads == 8


def test_sliding_windows_cap_the_kv_cache_and_attention():
    m = load("mistral-7b")  # every layer attends to the last 4,096 tokens
    full = m.kv_bytes_per_token("bf16")
    assert m.kv_bytes_per_token("bf16", 4096) == pytest.approx(full)
    assert m.kv_bytes_per_token("bf16", 32768) == pytest.approx(full * 4096 / 32768)
    assert m.forward_flops_per_token(32768) == pytest.approx(m.forward_flops_per_token(4096))
    g = load("gpt-oss-120b")  # half the layers slide over 128 tokens
    assert g.kv_bytes_per_token("bf16", 8192) == pytest.approx(
        g.kv_bytes_per_token("bf16") * (18 * 8192 + 18 * 128) / (36 * 8192))


def test_a_config_model_serves_and_trains():
    from siliconomics import serving as inference, training

    path = CONFIGS / "llama-3.1-8b" / "config.json"
    r = training.estimate(str(path), 15e12, "h100", 1024, mfu=0.4)
    ref = training.estimate("llama-3.1-8b", 15e12, "h100", 1024, mfu=0.4)
    assert r.cost_usd == pytest.approx(ref.cost_usd, rel=1e-9)
    s = inference.estimate(str(path), "h100", tp=1, batch=16).to_dict()
    assert s["model"] == "llama-3.1-8b" and s["usd_per_million_output_tokens"] > 0


@pytest.mark.parametrize(("config", "message"), [
    ({"model_type": "bert", "hidden_size": 1}, "model_type: 'bert' is not supported"),
    ({"model_type": "llama", "hidden_size": 4096, "num_hidden_layers": 32,
      "num_attention_heads": 32, "vocab_size": 32000}, "intermediate_size: missing"),
    ({"model_type": "llama", "hidden_size": "big"}, "hidden_size: must be a whole number"),
    ({"model_type": "llama", "hidden_size": 4096, "num_hidden_layers": 32,
      "num_attention_heads": 32, "num_key_value_heads": 5, "vocab_size": 1,
      "intermediate_size": 1}, "num_key_value_heads: 5 does not divide"),
    ({"model_type": "mixtral", "hidden_size": 64, "num_hidden_layers": 2,
      "num_attention_heads": 4, "vocab_size": 10, "intermediate_size": 8,
      "num_local_experts": 4, "num_experts_per_tok": 8}, "num_experts_per_tok: 8 exceeds"),
    ([1, 2], "must hold one JSON object"),
])
def test_bad_configs_name_the_file_and_field(tmp_path, config, message):
    p = tmp_path / "config.json"
    p.write_text(json.dumps(config))
    with pytest.raises(InputError) as err:
        workloads.model_from_config(p)
    assert message in str(err.value) and str(p) in str(err.value)


def test_malformed_and_missing_files(tmp_path):
    p = tmp_path / "config.json"
    p.write_text('{"model_type": "llama",')
    with pytest.raises(InputError, match="not valid JSON.*line 1"):
        workloads.model_from_config(p)
    with pytest.raises(InputError, match="not found"):
        workloads.model_from_config(tmp_path / "nope" / "config.json")
