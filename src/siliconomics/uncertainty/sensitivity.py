"""Which inputs drive the spread: Sobol indices, Morris screening, tornado, rank correlations.

Every method works on a :class:`~siliconomics.uncertainty.montecarlo.Plan` (a scenario's inputs
and model) and one of its outputs:

- ``sobol``: first- and total-order Sobol indices with bootstrap confidence intervals (SALib,
  Saltelli's design and Jansen's estimators), on each input's quantile scale, so the indices are
  those of the inputs' own distributions;
- ``morris``: elementary effects (mu*, sigma) on the 2.5-97.5% quantile range of each input;
- ``tornado``: one at a time, each input at its 5th and 95th percentile, the others at their
  medians;
- ``rank``: Spearman correlation between each sampled input and the output over a Monte Carlo
  run (with the scenario's correlations).

Sobol and Morris assume independent inputs; when the scenario correlates inputs they say so
and point to ``tornado`` and ``rank``, which do not.

References
----------
.. [1] A. Saltelli et al., "Variance based sensitivity analysis of model output. Design and
   estimator for the total sensitivity index," Comput. Phys. Commun. 181(2), 259-270, 2010.
.. [2] M. D. Morris, "Factorial sampling plans for preliminary computational experiments,"
   Technometrics 33(2), 161-174, 1991.
.. [3] J. Herman, W. Usher, "SALib: An open-source Python library for Sensitivity Analysis,"
   J. Open Source Softw. 2(9), 97, 2017.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import InputError, unknown
from .montecarlo import Plan, evaluate_at

METHODS = ("sobol", "morris", "tornado", "rank")
_CORRELATED_NOTE = (
    "inputs are correlated in this scenario; {method} assumes independent inputs and ignores "
    "the correlations: use --method rank or tornado for results that respect them"
)


@dataclass
class SensitivityResult:
    """Sensitivity of one output to each input: rows ordered by importance."""

    method: str
    output: str
    rows: list[dict]
    evaluations: int
    notes: list[str] = field(default_factory=list)
    base: float | None = None

    def to_dict(self) -> dict:
        return {"method": self.method, "output": self.output, "evaluations": self.evaluations,
                "base": self.base, "notes": self.notes, "inputs": self.rows}

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame(self.rows)

    def _repr_html_(self) -> str:
        """Notebook display: the inputs that move the output most, in order."""
        import html

        cols = [c for c in (self.rows[0] if self.rows else {}) if c != "input"]
        head = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
        body = "".join(
            f"<tr><td>{html.escape(str(r['input']))}</td>" + "".join(
                f"<td style='text-align:right'>{r[c]:,.4g}</td>" if isinstance(r[c], float)
                else f"<td>{html.escape(str(r[c]))}</td>" for c in cols) + "</tr>"
            for r in self.rows[:20])
        top = ", ".join(str(r["input"]) for r in self.rows[:3])
        return (f"<div><b>Sensitivity of {html.escape(self.output)} ({html.escape(self.method)}, "
                f"{self.evaluations:,} evaluations)</b><div style='font-size:1.2em'>most "
                f"sensitive to {html.escape(top)}</div><table><tr><th>input</th>{head}</tr>"
                f"{body}</table></div>")


def _output(plan: Plan, output: str | None) -> str:
    if output is None:
        return plan.outputs[0]
    if output not in plan.outputs:
        raise InputError(unknown("output", output, plan.outputs))
    return output


def _need_inputs(plan: Plan) -> None:
    if not plan.names:
        raise InputError("the scenario has no uncertain inputs: give distributions or set "
                         "uncertainty = \"catalog\"")


def _at_quantiles(plan: Plan, u: np.ndarray) -> dict[str, np.ndarray]:
    """Input values at probabilities ``u`` (n x k)."""
    return {name: np.asarray(d.ppf(u[:, j]), dtype=float)
            for j, (name, d) in enumerate(zip(plan.names, plan.dists))}


def _notes(plan: Plan, method: str) -> list[str]:
    if plan.rank_correlation is not None and method in ("sobol", "morris"):
        return [_CORRELATED_NOTE.format(method=method.capitalize())]
    return []


def sobol(plan: Plan, output: str | None = None, *, n: int = 2048, seed: int | None = None,
          conf_level: float = 0.95) -> SensitivityResult:
    """First- and total-order Sobol indices with ``n`` base samples (``n (k + 2)`` runs).

    ``n`` should be a power of two (Sobol sequence). Confidence intervals are bootstrap
    half-widths at ``conf_level``.
    """
    from SALib.analyze import sobol as analyze
    from SALib.sample import sobol as sample

    _need_inputs(plan)
    out = _output(plan, output)
    if n < 2 or n & (n - 1):
        raise InputError(f"sobol base samples must be a power of two >= 2, got {n}")
    seed = plan.seed if seed is None else seed
    k = len(plan.names)
    problem = {"num_vars": k, "names": list(plan.names), "bounds": [[0.0, 1.0]] * k}
    u = sample.sample(problem, n, calc_second_order=False, scramble=True, seed=seed)
    u = np.clip(u, 1e-9, 1 - 1e-9)
    y = np.asarray(evaluate_at(plan, _at_quantiles(plan, u))[out], dtype=float)
    if not np.all(np.isfinite(y)):
        raise InputError(f"{out} is not finite at some sampled inputs")
    si = analyze.analyze(problem, y, calc_second_order=False, conf_level=conf_level, seed=seed)
    rows = [{"input": name, "S1": float(si["S1"][j]), "S1_conf": float(si["S1_conf"][j]),
             "ST": float(si["ST"][j]), "ST_conf": float(si["ST_conf"][j])}
            for j, name in enumerate(plan.names)]
    rows.sort(key=lambda r: -r["ST"])
    return SensitivityResult("sobol", out, rows, int(y.size), _notes(plan, "sobol"))


def morris(plan: Plan, output: str | None = None, *, trajectories: int = 100, levels: int = 4,
           seed: int | None = None, conf_level: float = 0.95) -> SensitivityResult:
    """Morris elementary effects over each input's 2.5-97.5% quantile range.

    ``mu_star`` is in output units per unit step of the input's quantile (0 to 1 spanning its
    2.5th to 97.5th percentile).
    """
    from SALib.analyze import morris as analyze
    from SALib.sample import morris as sample

    _need_inputs(plan)
    out = _output(plan, output)
    if trajectories < 2:
        raise InputError(f"morris trajectories must be >= 2, got {trajectories}")
    seed = plan.seed if seed is None else seed
    k = len(plan.names)
    problem = {"num_vars": k, "names": list(plan.names), "bounds": [[0.0, 1.0]] * k}
    x = sample.sample(problem, trajectories, num_levels=levels, seed=seed)
    y = np.asarray(evaluate_at(plan, _at_quantiles(plan, 0.025 + 0.95 * x))[out], dtype=float)
    si = analyze.analyze(problem, x, y, conf_level=conf_level, num_levels=levels, seed=seed)
    rows = [{"input": name, "mu_star": float(si["mu_star"][j]),
             "mu_star_conf": float(si["mu_star_conf"][j]), "mu": float(si["mu"][j]),
             "sigma": float(si["sigma"][j])} for j, name in enumerate(plan.names)]
    rows.sort(key=lambda r: -r["mu_star"])
    return SensitivityResult("morris", out, rows, int(y.size), _notes(plan, "morris"))


def tornado(plan: Plan, output: str | None = None, *, low: float = 0.05,
            high: float = 0.95) -> SensitivityResult:
    """One at a time: each input at its ``low`` and ``high`` quantiles, the others at medians.

    Examples
    --------
    >>> from siliconomics.uncertainty.distributions import Uniform
    >>> plan = Plan(names=("a", "b"), dists=(Uniform(0, 1), Uniform(0, 10)),
    ...             evaluate=lambda v: {"y": v["a"] + v["b"]}, outputs=("y",), samples=1)
    >>> [(r["input"], round(r["swing"], 6)) for r in tornado(plan).rows]
    [('b', 9.0), ('a', 0.9)]
    """
    _need_inputs(plan)
    out = _output(plan, output)
    k = len(plan.names)
    u = np.full((2 * k + 1, k), 0.5)
    for j in range(k):
        u[1 + 2 * j, j] = low
        u[2 + 2 * j, j] = high
    y = np.asarray(evaluate_at(plan, _at_quantiles(plan, u))[out], dtype=float)
    base = float(y[0])
    rows = []
    for j, name in enumerate(plan.names):
        lo_v, hi_v = float(y[1 + 2 * j]), float(y[2 + 2 * j])
        d = plan.dists[j]
        rows.append({"input": name, "input_low": float(d.ppf(low)), "input_high": float(d.ppf(high)),
                     "output_at_low": lo_v, "output_at_high": hi_v,
                     "swing": abs(hi_v - lo_v)})
    rows.sort(key=lambda r: -r["swing"])
    notes = []
    if plan.rank_correlation is not None:
        notes.append("one at a time: correlated inputs are moved alone, so their joint effect "
                     "is not shown; see --method rank")
    return SensitivityResult("tornado", out, rows, int(y.size), notes, base=base)


def rank(plan: Plan, output: str | None = None, *, samples: int = 20_000,
         seed: int | None = None) -> SensitivityResult:
    """Spearman rank correlation of each input with the output over a Monte Carlo run.

    The run uses the scenario's correlations; the interval is Fisher's 95% interval.
    """
    import dataclasses

    from scipy import stats

    from .montecarlo import run

    _need_inputs(plan)
    out = _output(plan, output)
    if samples < 10:
        raise InputError(f"rank samples must be >= 10, got {samples}")
    small = dataclasses.replace(plan, samples=int(samples), seed=plan.seed if seed is None else seed)
    res = run(small, workers=1, keep_samples=True)
    y = res.values[out]
    ry = stats.rankdata(y)
    half = 1.96 / np.sqrt(max(samples - 3, 1))
    rows = []
    for name in plan.names:
        x = res.values[name]
        rho = float(np.corrcoef(stats.rankdata(x), ry)[0, 1]) if np.ptp(x) > 0 else 0.0
        z = np.arctanh(np.clip(rho, -0.999999, 0.999999))
        rows.append({"input": name, "spearman": rho,
                     "low": float(np.tanh(z - half)), "high": float(np.tanh(z + half))})
    rows.sort(key=lambda r: -abs(r["spearman"]))
    return SensitivityResult("rank", out, rows, int(samples), [])


def analyze(plan: Plan, method: str = "sobol", output: str | None = None, **options) -> SensitivityResult:
    """Dispatch to :func:`sobol`, :func:`morris`, :func:`tornado` or :func:`rank`."""
    funcs = {"sobol": sobol, "morris": morris, "tornado": tornado, "rank": rank}
    if method not in funcs:
        raise InputError(unknown("sensitivity method", method, METHODS))
    seed = options.get("seed", plan.seed)
    if method != "tornado" and not 0 <= seed <= MAX_SEED:
        raise InputError(f"sensitivity seeds run from 0 to {MAX_SEED:,} (SALib's generator), "
                         f"got {seed:,}; pass another seed")
    return funcs[method](plan, output, **options)


#: Largest seed SALib's samplers take.
MAX_SEED = 2**32 - 1
