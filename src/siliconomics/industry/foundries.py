r"""How many leading-edge foundries each process node could fund, against history.

Data: ``catalog/foundry_nodes.toml`` (130 nm to 2 nm: year, development and fab cost, wafer
price, world semiconductor sales, historical count of leading-edge logic makers, each sourced).
Model parameters: ``catalog/industry_trends.toml`` (margin, cost of capital, recovery life,
Wright's-law progress ratio, the leader's volume advantage).

Model
-----
For node :math:`i` with fixed cost :math:`F_i` (process development plus one fab at minimum
efficient scale) annualised over :math:`n` years at rate :math:`r`, and world semiconductor
sales :math:`S_i` in its first volume year, the revenue pool of the leading edge is
:math:`R_i = a S_i`. The number of viable firms is
:func:`~siliconomics.industry.oligopoly.viable_firms_learning`: a volume leader with
:math:`v` times each follower's volume, followers paying Wright's-law cost penalty
:math:`v^{b}` on margin :math:`m`.

Calibration
-----------
Only :math:`a`, the share of world semiconductor sales that funds the leading edge, is fitted;
every other parameter is taken from the catalog. :math:`a` minimises the sum over the
calibration nodes of :math:`(\ln \hat N_i(a) - \ln N_i)^2`, where :math:`\hat N_i` is the
continuous count of :func:`~siliconomics.industry.oligopoly.break_even_firms_learning` and
:math:`N_i` the historical count, by a grid search over :math:`a \in [10^{-4}, 1]` (4001
log-spaced points, deterministic). Nodes without a published count are not used. The nodes in
:data:`HELD_OUT` are left out of the fit; their predicted whole-number counts are compared with
history in ``siliconomics validate`` (tolerance one firm).

Examples
--------
>>> bt = backtest()
>>> [r["node"] for r in bt.rows if r["held_out"]]
['7nm', '3nm']
>>> 0 < bt.addressable_share < 1
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import _checks
from ..errors import InputError, unknown
from . import oligopoly

#: Nodes left out of the calibration and used to test it: one inside the calibrated span,
#: one after it.
HELD_OUT: tuple[str, ...] = ("7nm", "3nm")

_GRID = np.logspace(-4.0, 0.0, 4001)


def _catalog():
    from .. import catalog

    return catalog.load()


def _param(name: str) -> float:
    return float(_catalog().get("industry_trends", name).get("value"))


def nodes() -> list:
    """Catalog entries of every node, oldest first."""
    return sorted(_catalog().entries("foundry_nodes"), key=lambda e: e.year)


def node(name: str):
    """One node by slug or alias (``"N7"`` -> ``7nm``)."""
    return _catalog().get("foundry_nodes", name)


def fixed_cost_usd(process_development_cost_usd, fab_cost_usd):
    r"""Fixed cost of entering a node: process development plus one efficient-scale fab.

    Parameters
    ----------
    process_development_cost_usd : numeric
        Process R&D of one firm, >= 0. [USD]
    fab_cost_usd : numeric
        One fab at minimum efficient scale, > 0. [USD]

    Returns
    -------
    numeric
        :math:`F = D + K`. [USD]

    Notes
    -----
    A firm that cannot fill one fab of efficient scale is not a leading-edge producer, so the
    fab is part of the fixed cost of staying at the frontier.

    References
    ----------
    .. [1] S. M. Khan and A. Mann, "AI Chips: What They Are and Why They Matter," CSET, 2020.

    Examples
    --------
    >>> fixed_cost_usd(5e9, 12e9) / 1e9
    17.0
    """
    _checks.non_negative("process_development_cost_usd", process_development_cost_usd)
    _checks.positive("fab_cost_usd", fab_cost_usd)
    total = np.asarray(process_development_cost_usd, dtype=float) + np.asarray(fab_cost_usd, dtype=float)
    return float(total) if total.ndim == 0 else total


def breakeven_wafers_per_month(annual_fixed_cost_usd, wafer_price_usd, margin):
    r"""Wafers a firm must sell each month for its margin to cover the annualised fixed cost.

    Parameters
    ----------
    annual_fixed_cost_usd : numeric
        Annualised fixed cost of the node, > 0. [USD/year]
    wafer_price_usd : numeric
        Sale price of one processed wafer, > 0. [USD]
    margin : numeric
        Share of the price left after variable cost, in (0, 1]. [dimensionless]

    Returns
    -------
    numeric
        :math:`F_{year} / (12\, m\, P)`. [wafers/month]

    Notes
    -----
    Each wafer contributes :math:`m P` towards the fixed cost.

    References
    ----------
    .. [1] S. M. Khan and A. Mann, "AI Chips: What They Are and Why They Matter," CSET, 2020.

    Examples
    --------
    >>> breakeven_wafers_per_month(6e9, 10_000.0, 0.5)
    100000.0
    """
    _checks.positive("annual_fixed_cost_usd", annual_fixed_cost_usd)
    _checks.positive("wafer_price_usd", wafer_price_usd)
    _checks.fraction("margin", margin)
    out = np.asarray(annual_fixed_cost_usd, dtype=float) / (
        12.0 * np.asarray(margin, dtype=float) * np.asarray(wafer_price_usd, dtype=float))
    return float(out) if out.ndim == 0 else out


def defaults() -> dict[str, float]:
    """Central catalog values of the model's parameters."""
    return {
        "margin": _param("foundry-margin"),
        "cost_of_capital": _param("foundry-cost-of-capital"),
        "recovery_years": _param("foundry-recovery-years"),
        "leader_volume_ratio": _param("leader-volume-ratio"),
        "progress_ratio": _param("learning-progress-ratio"),
    }


def _arrays(entries):
    return {
        "dev": np.array([e.process_development_cost_usd for e in entries], dtype=float),
        "fab": np.array([e.fab_cost_usd for e in entries], dtype=float),
        "market": np.array([e.market_revenue_usd_per_year for e in entries], dtype=float),
        "wafer": np.array([e.wafer_price_usd for e in entries], dtype=float),
        "hist": np.array([np.nan if e.get("historical_firms") is None else e.historical_firms
                          for e in entries], dtype=float),
    }


def _counts(addressable_share, arrays, p, continuous: bool):
    annual = oligopoly.annualized_fixed_cost(
        fixed_cost_usd(arrays["dev"], arrays["fab"]), p["cost_of_capital"], p["recovery_years"])
    pool = np.multiply.outer(np.asarray(addressable_share, dtype=float), arrays["market"])
    fn = oligopoly.break_even_firms_learning if continuous else oligopoly.viable_firms_learning
    return fn(pool, p["margin"], annual, p["leader_volume_ratio"], p["progress_ratio"]), annual


def calibrate(held_out=HELD_OUT, **params) -> float:
    r"""Fit the addressable share :math:`a` on every node with a count, except ``held_out``.

    Parameters
    ----------
    held_out : sequence of str
        Node slugs (or aliases) left out of the fit.
    **params
        Overrides of :func:`defaults` (``margin``, ``cost_of_capital``, ``recovery_years``,
        ``leader_volume_ratio``, ``progress_ratio``).

    Returns
    -------
    float
        Share of world semiconductor sales that funds leading-edge logic. [dimensionless]

    Notes
    -----
    :math:`\hat a = \arg\min_a \sum_{i \notin H} (\ln \hat N_i(a) - \ln N_i)^2` by grid search
    over 4001 log-spaced values in :math:`[10^{-4}, 1]`.

    References
    ----------
    .. [1] J. Sutton, *Sunk Costs and Market Structure*, MIT Press, 1991.

    Examples
    --------
    >>> round(calibrate(), 3)
    0.123
    """
    p = _params(params)
    held = {node(h).slug for h in held_out}
    fit = [e for e in nodes() if e.get("historical_firms") is not None and e.slug not in held]
    if len(fit) < 2:
        raise InputError(f"calibration needs at least 2 nodes with a historical count, got {len(fit)}")
    arrays = _arrays(fit)
    counts, _ = _counts(_GRID, arrays, p, continuous=True)
    with np.errstate(divide="ignore"):
        err = np.sum((np.log(np.maximum(counts, 1e-12)) - np.log(arrays["hist"])) ** 2, axis=1)
    return float(_GRID[int(np.argmin(err))])


def _params(overrides: dict) -> dict[str, Any]:
    p = defaults()
    for k, v in overrides.items():
        if k not in p:
            raise InputError(unknown("foundry model parameter", k, p))
        if v is not None:
            p[k] = v
    _checks.fraction("margin", p["margin"])
    _checks.positive("recovery_years", p["recovery_years"])
    _checks.at_least("leader_volume_ratio", p["leader_volume_ratio"], 1.0)
    _checks.fraction("progress_ratio", p["progress_ratio"])
    return p


def predict(addressable_share, **params) -> dict[str, np.ndarray]:
    r"""Predicted viable leading-edge firms per node for a given addressable share.

    Parameters
    ----------
    addressable_share : numeric
        Share of world semiconductor sales that funds the leading edge, in (0, 1]; an array of
        samples gives one row per sample. [dimensionless]
    **params
        Overrides of :func:`defaults`.

    Returns
    -------
    dict
        ``viable_firms`` (samples x nodes, or nodes), ``break_even_firms`` (continuous),
        ``revenue_pool_usd`` and ``annual_fixed_cost_usd``.

    Notes
    -----
    :math:`N_i = ` :func:`~siliconomics.industry.oligopoly.viable_firms_learning`
    :math:`(a S_i, m, F_i\,CRF(r, n), v, p)`.

    References
    ----------
    .. [1] J. Sutton, *Sunk Costs and Market Structure*, MIT Press, 1991.

    Examples
    --------
    >>> out = predict(0.12)
    >>> out["viable_firms"].shape == (len(nodes()),)
    True
    """
    _checks.fraction("addressable_share", addressable_share)
    p = _params(params)
    arrays = _arrays(nodes())
    viable, annual = _counts(addressable_share, arrays, p, continuous=False)
    cont, _ = _counts(addressable_share, arrays, p, continuous=True)
    squeeze = np.ndim(addressable_share) == 0
    pool = np.multiply.outer(np.asarray(addressable_share, dtype=float), arrays["market"])
    return {
        "viable_firms": viable[0] if squeeze and np.ndim(viable) == 2 else viable,
        "break_even_firms": cont[0] if squeeze and np.ndim(cont) == 2 else cont,
        "revenue_pool_usd": pool[0] if squeeze and pool.ndim == 2 else pool,
        "annual_fixed_cost_usd": annual,
    }


@dataclass
class Backtest:
    """The calibrated model against history, node by node."""

    addressable_share: float
    held_out: tuple[str, ...]
    params: dict[str, float]
    rows: list[dict[str, Any]] = field(default_factory=list)

    def row(self, name: str) -> dict[str, Any]:
        """The row of one node (slug or alias)."""
        slug = node(name).slug
        return next(r for r in self.rows if r["node"] == slug)

    def errors(self, which: str = "held_out") -> dict[str, float]:
        """Predicted minus historical firms for ``"held_out"`` or ``"calibration"`` nodes."""
        want = which == "held_out"
        return {r["node"]: r["viable_firms"] - r["historical_firms"] for r in self.rows
                if r["historical_firms"] is not None and r["held_out"] == want}

    def _repr_html_(self) -> str:
        """Notebook display: held-out errors first, then predicted and historical firms."""
        from ..results import html_card

        held = self.errors("held_out")
        return html_card(
            "Leading-edge foundries: model against history",
            "held-out nodes, predicted minus historical firms: "
            + ", ".join(f"{k} {v:+d}" for k, v in held.items()),
            inputs=[("addressable share (fitted)", self.addressable_share),
                    ("held out", ", ".join(self.held_out))],
            tables=[("Firms by node", [
                {"node": r["name"], "year": str(r["year"]), "predicted": r["viable_firms"],
                 "historical": r["historical_firms"], "held out": "yes" if r["held_out"] else "",
                 "fixed cost, B USD": r["fixed_cost_usd"] / 1e9} for r in self.rows])])

    def to_dict(self) -> dict[str, Any]:
        held = self.errors("held_out")
        fit = self.errors("calibration")
        return {
            "addressable_share": self.addressable_share,
            "held_out": list(self.held_out),
            "parameters": dict(self.params),
            "held_out_errors": held,
            "held_out_mean_abs_error": float(np.mean(np.abs(list(held.values())))) if held else None,
            "calibration_mean_abs_error": float(np.mean(np.abs(list(fit.values())))) if fit else None,
            "nodes": self.rows,
        }


def backtest(held_out=HELD_OUT, **params) -> Backtest:
    """Calibrate without ``held_out`` and predict every node (see the module docstring).

    Examples
    --------
    >>> bt = backtest()
    >>> bt.row("7nm")["historical_firms"]
    3
    """
    p = _params(params)
    a = calibrate(held_out, **p)
    held = {node(h).slug for h in held_out}
    out = predict(a, **p)
    rows = []
    for i, e in enumerate(nodes()):
        hist = e.get("historical_firms")
        hv = e.value("historical_firms") if hist is not None else None
        fixed = fixed_cost_usd(e.process_development_cost_usd, e.fab_cost_usd)
        annual = float(out["annual_fixed_cost_usd"][i])
        rows.append({
            "node": e.slug,
            "name": e.name,
            "year": e.year,
            "viable_firms": int(out["viable_firms"][i]),
            "break_even_firms": float(out["break_even_firms"][i]),
            "historical_firms": hist,
            "historical_low": None if hv is None else (hv.low if hv.low is not None else hist),
            "historical_high": None if hv is None else (hv.high if hv.high is not None else hist),
            "historical_source": None if hv is None else hv.source,
            "held_out": e.slug in held,
            "fixed_cost_usd": fixed,
            "process_development_cost_usd": e.process_development_cost_usd,
            "fab_cost_usd": e.fab_cost_usd,
            "annual_fixed_cost_usd": annual,
            "market_revenue_usd_per_year": e.market_revenue_usd_per_year,
            "revenue_pool_usd": float(out["revenue_pool_usd"][i]),
            "wafer_price_usd": e.wafer_price_usd,
            "breakeven_wafers_per_month": breakeven_wafers_per_month(annual, e.wafer_price_usd,
                                                                     p["margin"]),
        })
    return Backtest(addressable_share=a, held_out=tuple(sorted(held, key=lambda s: node(s).year)),
                    params=p, rows=rows)
