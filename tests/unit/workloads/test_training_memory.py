"""Memory of a training layout: states, activations and pipeline stages, by hand."""

import pytest

from siliconomics.workloads import training_memory as tm
from siliconomics.workloads.models import Model
from siliconomics.workloads.parallelism import Layout


def test_stage_layers_trim_the_ends_and_sum_to_the_model():
    s = tm.stage_layers(126, 16)
    assert s[0] == 7 and s[-1] == 7 and set(s[1:-1]) == {8} and sum(s) == 126
    assert tm.stage_layers(10, 1) == [10]
    assert sum(tm.stage_layers(5, 4)) == 5 and min(tm.stage_layers(5, 4)) >= 1


def test_zero_stages_by_hand():
    p = 1e9
    assert tm.states_bytes(p, 0, 4) == 16e9
    assert tm.states_bytes(p, 1, 4) == 2e9 + 2e9 + 3e9
    assert tm.states_bytes(p, 2, 4) == 2e9 + 14e9 / 4
    assert tm.states_bytes(p, 3, 4) == 4e9


def test_gqa_and_flash_shrink_activations():
    m = Model.from_catalog("llama-3.1-70b")
    mha = Model(**{**m.__dict__, "kv_heads": m.heads})
    assert tm.layer_activation_bytes(m, 8192, 8, "none") < tm.layer_activation_bytes(mha, 8192, 8, "none")
    flash = tm.layer_activation_bytes(m, 8192, 8, "none", seq_len=8192)
    no_flash = tm.layer_activation_bytes(m, 8192, 8, "none", seq_len=8192, flash_attention=False)
    assert no_flash - flash == pytest.approx(5 * m.heads * 8192 * 8192 / 8)


def test_full_recompute_keeps_only_the_layer_input():
    m = Model.from_catalog("llama-3.1-8b")
    assert tm.layer_activation_bytes(m, 1000, 2, "full") == 1000 * 2 * m.hidden_size / 2


def test_interleaving_warm_up_matches_korthikanti():
    p, v = 8, 4
    assert tm.in_flight_chunks(0, p, v, 10**6) == p * v * (1 + (p - 1) / (p * v))
    assert tm.in_flight_chunks(p - 1, p, 1, 10**6) == 1
    assert tm.in_flight_chunks(0, p, 1, 3) == 3


def test_stage_memory_reports_first_and_last_stage():
    m = Model.from_catalog("llama-3.1-405b")
    lay = Layout(tp=8, pp=16, dp=64, zero=2, interleave=4)
    mem = tm.stage_memory(m, lay, seq_len=8192, microbatches=32, expert_params_per_layer=0.0,
                          dense_params_per_layer=(m.params_total - m.embedding_params()) / m.layers)
    stages = {s["stage"]: s for s in mem}
    assert set(stages) == {0, 1, 15}
    assert stages[1]["activations"] > stages[15]["activations"]
    assert all(s["total"] == s["states"] + s["activations"] for s in mem)
