r"""Serving tokens: throughput, latency, memory and cost per token of a transformer.

One topic per module:

- :mod:`.step`: time of one forward pass (rooflines per component, per-layer all-reduce
  latency and kernel overheads, expert all-to-all) and the M/D/1 queue;
- :mod:`.kv`: memory of a replica (weights, activations, KV cache) and the batch that fits;
- :mod:`.moe`: experts touched by a batch, expert and attention data parallelism;
- :mod:`.deployment`: :class:`Deployment`, a model on ``tp`` x ``dp`` accelerators with the
  catalog's efficiency factors and the serving options;
- :mod:`.batching`: continuous batching with chunked prefill, speculative decoding, TTFT with
  queueing, offline runs of a given number of requests, and the search over every batch size
  under latency targets;
- :mod:`.disaggregated`: separate prefill and decode pools and their searched ratio;
- :mod:`.cost`: cost per utilised accelerator-hour, per million tokens, energy;
- :mod:`.estimate`: :func:`estimate`, the whole result behind ``siliconomics serve``;
- :mod:`.measured`: an optional adapter to measured kernel timings (``siliconomics[measured]``).

Efficiency factors come from the catalog's ``serving_efficiency`` tables, fitted to measured
kernel timings where those exist (see that file); every accelerator, a user's own included,
falls back to ``[default]``.
"""

from __future__ import annotations

from .batching import (
    Choice,
    batches,
    best_under_slo,
    dp_options,
    frontier,
    offline_run,
    offline_waves,
    performance,
    tokens_per_step,
    tp_options,
)
from .cost import (FLEET_ACCELERATORS, HOUR_S, accelerator_hour_usd, energy, hours_energy,
                   token_costs)
from .deployment import (
    EFFICIENCY_KEYS,
    MAX_BATCH_SIZE,
    MAX_NUM_TOKENS,
    PRECISIONS,
    Deployment,
    efficiency,
    tp_shape_error,
)
from .disaggregated import best_ratio, disaggregated
from .estimate import ServingResult, check_context, estimate, fewest_stages
from .kv import MemoryPlan, memory_plan
from .moe import expected_experts_touched
from .step import COMM_BYTES, allreduce_s, alltoall_s, forward_s, phase_time_s, queue_wait_s

__all__ = [
    "COMM_BYTES", "EFFICIENCY_KEYS", "FLEET_ACCELERATORS", "HOUR_S", "MAX_BATCH_SIZE",
    "MAX_NUM_TOKENS", "PRECISIONS",
    "Choice", "Deployment", "MemoryPlan", "ServingResult", "accelerator_hour_usd",
    "allreduce_s", "alltoall_s", "batches", "best_ratio", "best_under_slo", "check_context",
    "disaggregated",
    "dp_options", "efficiency", "energy", "estimate", "expected_experts_touched",
    "fewest_stages", "forward_s", "hours_energy",
    "frontier", "memory_plan", "offline_run", "offline_waves", "performance", "phase_time_s",
    "queue_wait_s", "token_costs",
    "tokens_per_step", "tp_options", "tp_shape_error",
]
