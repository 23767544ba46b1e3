"""Workloads: model architectures, training runs and serving.

- :mod:`.models`: architectures from the catalog, parameter and FLOP counts, KV-cache size;
  :func:`model_from_config` reads a Hugging Face ``config.json``
  (:mod:`siliconomics.catalog.hf_config`);
- :mod:`.scaling`: compute-optimal sizing (Chinchilla and its replication);
- :mod:`.parallelism`: step time, MFU and memory of a parallel layout, and the layout search;
- :mod:`.reliability`: failures, checkpoints and goodput at scale;
- :mod:`.training`: the run estimate (time, energy, cost, emissions) and mixed generations;
- :mod:`.serving`: serving throughput, latency and cost per token (a package).
"""

from __future__ import annotations

from .models import model_from_config

__all__ = ["model_from_config"]
