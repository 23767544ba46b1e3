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


def labels(name_a: str, name_b: str) -> tuple[str, str]:
    """Names for the two sides, told apart when they are the same."""
    if name_a == name_b:
        return f"A ({name_a})", f"B ({name_b})"
    return name_a, name_b


def check_pair(a, b) -> tuple[Scenario, Scenario]:
    """Both scenarios read and checked (one small block each), and their metrics the same: a
    bad file or different metrics fail here, before any long sampling, naming the file."""
    sa, name_a = _scenario(a)
    sb, name_b = _scenario(b)
    check_same_metrics(sa.plan(samples=1).outputs, sb.plan(samples=1).outputs,
                       *labels(name_a, name_b))
    sa.check()
    sb.check()
    return sa, sb


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
    sa, sb = check_pair(a, b)
    n = samples if samples is not None else min(sa.samples, sb.samples)
    try:
        result = paired_samples(sa.plan(samples=n, seed=seed), sb.plan(samples=n, seed=seed),
                                samples=n, seed=seed)
    except InputError as exc:  # a model's complaint about sampled values: say where
        raise sa._model_error(exc) from None
    return result, sa, sb
