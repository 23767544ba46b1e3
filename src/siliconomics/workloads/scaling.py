r"""Compute-optimal model sizing from parametric loss fits.

The loss of a model of :math:`N` parameters trained on :math:`D` tokens is modelled as

.. math:: L(N, D) = E + A / N^{\alpha} + B / D^{\beta}

With training compute :math:`C = 6 N D`, the loss-optimal split is
:math:`N_{opt} = G (C/6)^{a}`, :math:`D_{opt} = G^{-1} (C/6)^{b}` with
:math:`a = \beta / (\alpha + \beta)`, :math:`b = \alpha / (\alpha + \beta)` and
:math:`G = (\alpha A / (\beta B))^{1 / (\alpha + \beta)}`.

References
----------
.. [1] J. Hoffmann et al., "Training Compute-Optimal Large Language Models," arXiv:2203.15556,
   2022 (approach 3: E = 1.69, A = 406.4, B = 410.7, alpha = 0.34, beta = 0.28).
.. [2] T. Besiroglu, E. Erdil, M. Barnett, J. You, "Chinchilla Scaling: A replication attempt,"
   arXiv:2404.10102, 2024 (E = 1.82, A = 482.01, B = 2085.43, alpha = 0.3478, beta = 0.3658).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import _checks
from ..errors import InputError, unknown


@dataclass(frozen=True)
class LossFit:
    """Constants of :math:`L = E + A/N^\\alpha + B/D^\\beta`, with their source."""

    E: float
    A: float
    B: float
    alpha: float
    beta: float
    source: str


FITS = {
    "hoffmann": LossFit(
        1.69, 406.4, 410.7, 0.34, 0.28,
        "Hoffmann et al. 2022, arXiv:2203.15556, approach 3 (eq. 10)",
    ),
    "besiroglu": LossFit(
        1.8172, 482.01, 2085.43, 0.3478, 0.3658,
        "Besiroglu et al. 2024, arXiv:2404.10102, Table 1 (replication of approach 3)",
    ),
}


def _fit(fit) -> LossFit:
    if isinstance(fit, LossFit):
        return fit
    try:
        return FITS[fit]
    except KeyError:
        raise InputError(unknown("loss fit", str(fit), FITS)) from None


def loss(params, tokens, fit="besiroglu"):
    """Predicted pre-training loss (nats per token) of ``params`` trained on ``tokens``.

    Examples
    --------
    >>> round(float(loss(70e9, 1.4e12, fit="hoffmann")), 3)
    1.937
    """
    _checks.positive("params", params)
    _checks.positive("tokens", tokens)
    f = _fit(fit)
    n = np.asarray(params, dtype=float)
    d = np.asarray(tokens, dtype=float)
    out = f.E + f.A / n**f.alpha + f.B / d**f.beta
    return float(out) if out.ndim == 0 else out


def compute_optimal(compute_flop, fit="besiroglu"):
    """Loss-optimal parameters and tokens for a budget of ``compute_flop`` (C = 6ND).

    Returns
    -------
    dict
        ``params``, ``tokens``, ``tokens_per_param``, ``loss``.

    Examples
    --------
    >>> r = compute_optimal(5.76e23, fit="besiroglu")   # Chinchilla's budget
    >>> round(r["params"] / 1e9), round(r["tokens_per_param"])
    (72, 18)
    """
    _checks.positive("compute_flop", compute_flop)
    f = _fit(fit)
    c = np.asarray(compute_flop, dtype=float) / 6.0
    g = (f.alpha * f.A / (f.beta * f.B)) ** (1.0 / (f.alpha + f.beta))
    n = g * c ** (f.beta / (f.alpha + f.beta))
    d = c / n
    out = {"params": n, "tokens": d, "tokens_per_param": d / n, "loss": loss(n, d, f)}
    return {k: (float(v) if np.ndim(v) == 0 else v) for k, v in out.items()}
