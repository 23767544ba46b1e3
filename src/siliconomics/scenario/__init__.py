"""Scenarios: a TOML file describing an uncertain question, and the adapters that run it.

- :mod:`.file`: the file format (``[scenario]``, ``[catalog]``, ``[inputs]``,
  ``[correlations]``, ``[outputs]``) validated into a :class:`Scenario`, turned into a
  Monte Carlo :class:`~siliconomics.uncertainty.montecarlo.Plan`;
- :mod:`.models`: one adapter per model family (``tco``, ``chip``, ``training``,
  ``serving``, ``chain``, ``labs``) from scenario inputs to the vectorised models.

The uncertainty engine (:mod:`siliconomics.uncertainty`) stays generic below the models: it
samples, runs and summarises a plan, and knows no model.
"""

from __future__ import annotations

from .file import Scenario, load

__all__ = ["Scenario", "load"]
