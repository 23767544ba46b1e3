"""Rank correlations between inputs: validation, nearest valid matrix, and how to impose them.

Two methods:

- **Gaussian copula** (default): independent standard normals are mixed with the Cholesky factor
  of the Pearson correlation ``2 sin(pi rho_s / 6)`` that gives normals the Spearman rank
  correlation ``rho_s``; each input's distribution then maps its normal (marginals unchanged).
- **Iman-Conover** (Iman & Conover 1982): samples drawn independently are reordered, column by
  column, so their ranks follow van der Waerden scores with the target correlation.

References
----------
.. [1] R. L. Iman, W. J. Conover, "A distribution-free approach to inducing rank correlation
   among input variables," Commun. Stat. Simul. Comput. 11(3), 311-334, 1982.
.. [2] N. J. Higham, "Computing the nearest correlation matrix - a problem from finance,"
   IMA J. Numer. Anal. 22(3), 329-343, 2002.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from ..errors import InputError

#: Tolerance on eigenvalues below which a matrix is not positive semi-definite.
PSD_TOL = 1e-10


def matrix_from_pairs(names, pairs: dict[tuple[str, str], float]) -> np.ndarray:
    """Correlation matrix over ``names`` from ``{(a, b): rho}`` (unlisted pairs are 0)."""
    index = {n: i for i, n in enumerate(names)}
    m = np.eye(len(names))
    for (a, b), rho in pairs.items():
        for n in (a, b):
            if n not in index:
                from ..errors import unknown

                raise InputError(unknown("correlated input", n, names))
        if a == b:
            raise InputError(f"correlation of {a} with itself must be omitted (it is 1)")
        if not (-1.0 <= rho <= 1.0):
            raise InputError(f"correlation {a}, {b} must be in [-1, 1], got {rho:g}")
        m[index[a], index[b]] = m[index[b], index[a]] = rho
    return m


def nearest_correlation(matrix, *, iterations: int = 200, tol: float = 1e-10) -> np.ndarray:
    """Nearest correlation matrix in the Frobenius norm (Higham 2002, alternating projections).

    Examples
    --------
    >>> m = np.array([[1, 0.9, 0.9], [0.9, 1, -0.9], [0.9, -0.9, 1]])
    >>> bool(np.linalg.eigvalsh(nearest_correlation(m)).min() >= -1e-9)
    True
    """
    a = np.asarray(matrix, dtype=float)
    y = a.copy()
    ds = np.zeros_like(a)
    for _ in range(iterations):
        r = y - ds
        w, v = np.linalg.eigh((r + r.T) / 2)
        x = (v * np.maximum(w, 0.0)) @ v.T
        ds = x - r
        y_new = x.copy()
        np.fill_diagonal(y_new, 1.0)
        if np.linalg.norm(y_new - y) <= tol * max(np.linalg.norm(y), 1.0):
            y = y_new
            break
        y = y_new
    # guard against tiny negative eigenvalues left by the last projection
    w, v = np.linalg.eigh(y)
    y = (v * np.maximum(w, 0.0)) @ v.T
    d = np.sqrt(np.diag(y))
    y = y / np.outer(d, d)
    y = np.clip((y + y.T) / 2, -1.0, 1.0)
    np.fill_diagonal(y, 1.0)
    return y


def check(matrix, names=None) -> np.ndarray:
    """Return ``matrix`` if it is a valid correlation matrix, else raise a one-line InputError.

    A matrix that is not positive semi-definite is reported with the nearest valid one.
    """
    m = np.asarray(matrix, dtype=float)
    if m.ndim != 2 or m.shape[0] != m.shape[1]:
        raise InputError(f"correlation matrix must be square, got shape {m.shape}")
    if not np.allclose(m, m.T):
        raise InputError("correlation matrix must be symmetric")
    if not np.allclose(np.diag(m), 1.0):
        raise InputError("correlation matrix must have ones on the diagonal")
    if np.any(np.abs(m) > 1 + 1e-12):
        raise InputError("correlations must be in [-1, 1]")
    lowest = float(np.linalg.eigvalsh(m).min())
    if lowest < -PSD_TOL:
        near = nearest_correlation(m)
        names = list(names) if names is not None else [str(i) for i in range(len(m))]
        pairs = ", ".join(
            f"{names[i]}~{names[j]}: {near[i, j]:.3f}"
            for i in range(len(m)) for j in range(i + 1, len(m)) if m[i, j] != 0 or abs(near[i, j]) > 1e-3
        )
        raise InputError(
            f"correlations are not positive semi-definite (lowest eigenvalue {lowest:.3g}); "
            f"nearest valid: {pairs}"
        )
    return m


def normal_factor(rank_matrix) -> np.ndarray:
    """Factor ``L`` with ``L @ L.T`` the normal correlation giving Spearman ``rank_matrix``.

    Cholesky when the matrix is positive definite (uncorrelated inputs keep zero rows), else
    an eigen-decomposition, so positive semi-definite (singular) matrices work too.
    """
    r = 2.0 * np.sin(np.pi * np.asarray(rank_matrix, dtype=float) / 6.0)
    np.fill_diagonal(r, 1.0)
    try:
        return np.linalg.cholesky(r)
    except np.linalg.LinAlgError:
        pass
    w, v = np.linalg.eigh(r)
    if w.min() < -PSD_TOL:
        r = nearest_correlation(r)
        w, v = np.linalg.eigh(r)
    return v * np.sqrt(np.maximum(w, 0.0))


def mix(factor, z) -> np.ndarray:
    """``factor @ z`` by elementwise operations in a fixed order (no BLAS), skipping zeros.

    BLAS may sum in an order that depends on threads and memory alignment; this does not, so
    correlated samples are bit-for-bit the same on every worker.
    """
    out = np.empty_like(z)
    for i in range(factor.shape[0]):
        cols = np.flatnonzero(factor[i])
        if cols.size == 1 and factor[i, cols[0]] == 1.0:
            out[i] = z[cols[0]]
            continue
        acc = np.zeros(z.shape[1])
        for j in cols:
            acc += factor[i, j] * z[j]
        out[i] = acc
    return out


def iman_conover(samples, rank_matrix, rng: np.random.Generator) -> np.ndarray:
    """Reorder each column of ``samples`` (n x k) so ranks follow ``rank_matrix`` (Iman-Conover).

    Marginals are unchanged (each column is a permutation of itself); ``rng`` shuffles the
    van der Waerden scores, so a seeded generator gives a reproducible reordering.
    """
    x = np.asarray(samples, dtype=float)
    n, k = x.shape
    scores = special.ndtri(np.arange(1, n + 1) / (n + 1))
    m = np.column_stack([rng.permutation(scores) for _ in range(k)])
    e = np.corrcoef(m, rowvar=False) if k > 1 else np.ones((1, 1))
    p = np.linalg.cholesky(_pd(np.asarray(rank_matrix, dtype=float)))
    q = np.linalg.cholesky(_pd(e))
    # m @ a without BLAS, so the reordering is the same on every worker
    t = mix((np.linalg.inv(q).T @ p.T).T, m.T).T
    out = np.empty_like(x)
    for j in range(k):
        ranks = np.empty(len(t), dtype=np.intp)  # ordinal ranks from 0: ties in order
        ranks[np.argsort(t[:, j], kind="stable")] = np.arange(len(t))
        out[:, j] = np.sort(x[:, j])[ranks]
    return out


def _pd(m):
    w, v = np.linalg.eigh(m)
    return (v * np.maximum(w, 1e-12)) @ v.T
