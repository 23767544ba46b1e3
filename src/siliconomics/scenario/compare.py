"""Two scenario files compared sample by sample, on common random numbers.

:func:`compare` is what ``siliconomics compare`` and the report use: it checks both files (a
bad file or different metrics fail before any sampling, naming the file), then evaluates both
plans with :func:`siliconomics.uncertainty.paired.paired_samples`, so inputs the scenarios share
take the same draws and the paired difference carries only what differs between them.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..uncertainty.paired import PairedSamples, check_same_metrics, paired_samples
from .file import Scenario


def _scenario(x) -> tuple[Scenario, str]:
    if isinstance(x, Scenario):
        return x, x.name
    return Scenario.from_file(x), Path(x).name


def compare(a, b, *, samples: int | None = None,
            seed: int | None = None) -> tuple[PairedSamples, Scenario, Scenario]:
    """Paired samples of scenarios ``a`` and ``b`` (paths or :class:`Scenario`).

    Parameters
    ----------
    a, b : path or Scenario
        Scenarios with the same ``[outputs] metrics``.
    samples : int, optional
        Samples of each (default: the smaller of the two files' counts).
    seed : int, optional
        Seed of the common stream (default: ``a``'s).

    Returns
    -------
    (PairedSamples, Scenario, Scenario)
        The paired samples (``.a``, ``.b``, ``.difference(metric)``, ``.summary(metric)``) and
        the two scenarios.
    """
    sa, label_a = _scenario(a)
    sb, label_b = _scenario(b)
    plan_a, plan_b = sa.plan(samples=1), sb.plan(samples=1)
    if label_a == label_b:
        label_a, label_b = f"A ({label_a})", f"B ({label_b})"
    check_same_metrics(plan_a.outputs, plan_b.outputs, label_a, label_b)
    sa.check()
    sb.check()
    n = samples if samples is not None else min(sa.samples, sb.samples)
    try:
        result = paired_samples(sa.plan(samples=n, seed=seed), sb.plan(samples=n, seed=seed),
                                samples=n, seed=seed)
    except InputError as exc:  # a model's complaint about sampled values: say where
        raise sa._model_error(exc) from None
    return result, sa, sb
