r"""How many leading-edge foundries each process node could fund, against history.

Data: ``catalog/foundry_nodes.toml`` (130 nm to 2 nm: year, development and fab cost, wafer
price, world semiconductor sales, historical count of leading-edge logic makers, each sourced).
Model parameters: ``catalog/industry_trends.toml`` (margin, cost of capital, recovery life,
Wright's-law progress ratio, the leader's volume advantage).

Model
-----
For node :math:`i` with fixed cost :math:`F_i = D_i / k_i + K_i` (process development shared
by the :math:`k_i` members of the era's development alliance, plus one fab at the era's minimum
efficient scale, 200 mm lines at 130 nm, 300 mm after; :data:`ERAS`) annualised over :math:`n`
years at rate :math:`r`, and world semiconductor sales :math:`S_i` in its first volume year
:math:`t_i`, the revenue pool of the leading edge is :math:`R_i = a_i S_i` with an addressable
share that moves with the era, :math:`a_i = \min(a \, e^{g (t_i - 2010)}, 1)`. The number of
viable firms is
:func:`~siliconomics.industry.oligopoly.viable_firms_learning`: a volume leader with
:math:`v` times each follower's volume, followers paying Wright's-law cost penalty
:math:`v^{b}` on margin :math:`m`.

Calibration
-----------
Only :math:`a` (the addressable share in 2010) and :math:`g` (its drift per year) are fitted;
every other parameter is taken from the catalog or :data:`ERAS`. They minimise the sum over the
calibration nodes of :math:`(\ln \hat N_i - \ln N_i)^2`, where :math:`\hat N_i` is the
continuous count of :func:`~siliconomics.industry.oligopoly.break_even_firms_learning` and
:math:`N_i` the historical count, by a grid search over :math:`a \in [10^{-4}, 1]` (401
log-spaced points) and :math:`g \in [-0.3, 0.3]` (121 points), deterministic. Nodes without a
count are not used. The nodes in :data:`HELD_OUT` (16/14 nm and 7 nm inside the calibrated
span, 3 nm after it) are left out of the fit; their predicted whole-number counts are compared
with history in ``siliconomics validate`` (tolerance one firm), and the calibration nodes are
reported apart.

Examples
--------
>>> bt = backtest()
>>> [r["node"] for r in bt.rows if r["held_out"]]
['16nm', '7nm', '3nm']
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

#: Nodes left out of the calibration and used to test it: two inside the calibrated span,
#: one after it.
HELD_OUT: tuple[str, ...] = ("16nm", "7nm", "3nm")

#: Year at which the fitted addressable share ``a`` applies (the drift ``g`` moves it). [year]
REFERENCE_YEAR = 2010.0

_SHARES = np.logspace(-4.0, 0.0, 401)
_GROWTHS = np.linspace(-0.3, 0.3, 121)

_CP = ("IBM Common Platform (IBM, Chartered, Samsung; joint process development announced "
       "2004, GlobalFoundries took Chartered's place in 2010) with the wider ISDA partners")
#: What changed between eras, by node: the wafer size of an efficient-scale line, and how many
#: firms shared process development in the era's main development alliance (1: alone). A
#: representative firm pays :math:`D / k`; the leaders that developed alone (Intel, TSMC) paid
#: more, so this is an upper bound on sharing, stated as such.
ERAS: dict[str, dict] = {
    "130nm": {"wafer_mm": 200, "alliance_members": 3,
              "source": "Most 130 nm capacity ran on 200 mm lines (the catalog's 130 nm fab cost "
              "is a 200 mm fab); IBM, Infineon and UMC announced joint development of 130 nm and "
              "100 nm copper logic in Dec. 2000"},
    "90nm": {"wafer_mm": 300, "alliance_members": 3,
             "source": "300 mm, 90 nm fab (EE Times, 2003-03-17); Crolles2 Alliance of "
             "STMicroelectronics, Philips and Motorola, joint 90-32 nm CMOS development, 2002-07"},
    "65nm": {"wafer_mm": 300, "alliance_members": 3, "source": _CP},
    "45nm": {"wafer_mm": 300, "alliance_members": 3, "source": _CP},
    "28nm": {"wafer_mm": 300, "alliance_members": 3, "source": _CP},
    "20nm": {"wafer_mm": 300, "alliance_members": 3,
             "source": _CP + "; the alliance ended when IBM sold its fabs to GlobalFoundries "
             "(announced Oct. 2014)"},
    "16nm": {"wafer_mm": 300, "alliance_members": 2,
             "source": "Samsung licensed its 14LPP FinFET process to GlobalFoundries (AnandTech, "
             "2014-04-17)"},
}
_ALONE = {"wafer_mm": 300, "alliance_members": 1,
          "source": "No cross-firm process development alliance at the leading edge after 16/14 "
                    "nm: GlobalFoundries stopped 7 nm (Aug. 2018); IMEC's programmes are "
                    "pre-competitive research, not a shared process"}


def era(name: str) -> dict:
    """Wafer size, development alliance and source of a node's era (see :data:`ERAS`)."""
    return ERAS.get(node(name).slug, _ALONE)


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
        "year": np.array([float(e.year) for e in entries], dtype=float),
        "alliance": np.array([era(e.slug)["alliance_members"] for e in entries], dtype=float),
        "dev": np.array([e.process_development_cost_usd for e in entries], dtype=float),
        "fab": np.array([e.fab_cost_usd for e in entries], dtype=float),
        "market": np.array([e.market_revenue_usd_per_year for e in entries], dtype=float),
        "wafer": np.array([e.wafer_price_usd for e in entries], dtype=float),
        "hist": np.array([np.nan if e.get("historical_firms") is None else e.historical_firms
                          for e in entries], dtype=float),
    }


def shares(addressable_share, share_growth, years):
    r"""Addressable share of each era: :math:`\min(a \, e^{g (t - 2010)}, 1)`.

    Parameters
    ----------
    addressable_share : numeric
        Share of world semiconductor sales funding the leading edge in 2010. [dimensionless]
    share_growth : numeric
        Its drift per year (negative: the leading edge's share fell). [1/year]
    years : array_like
        First volume years of the nodes. [year]

    Returns
    -------
    ndarray
        Shares, samples x nodes (or nodes). [dimensionless]

    Examples
    --------
    >>> shares(0.1, 0.0, [2002, 2020]).tolist()
    [0.1, 0.1]
    """
    a = np.asarray(addressable_share, dtype=float)
    g = np.asarray(share_growth, dtype=float)
    t = np.asarray(years, dtype=float) - REFERENCE_YEAR
    return np.minimum(np.multiply.outer(a, np.ones_like(t)) * np.exp(np.multiply.outer(g, t)), 1.0)


def _counts(addressable_share, arrays, p, continuous: bool, share_growth=0.0):
    dev = arrays["dev"] / arrays["alliance"]
    annual = oligopoly.annualized_fixed_cost(
        fixed_cost_usd(dev, arrays["fab"]), p["cost_of_capital"], p["recovery_years"])
    pool = shares(addressable_share, share_growth, arrays["year"]) * arrays["market"]
    fn = oligopoly.break_even_firms_learning if continuous else oligopoly.viable_firms_learning
    return fn(pool, p["margin"], annual, p["leader_volume_ratio"], p["progress_ratio"]), annual


def fit(held_out=HELD_OUT, **params) -> tuple[float, float]:
    r"""Fit the addressable share :math:`a` (2010) and its drift :math:`g` on every node with a
    count, except ``held_out`` (see the module docstring).

    Returns
    -------
    tuple of float
        :math:`(a, g)`. [dimensionless, 1/year]

    Examples
    --------
    >>> a, g = fit()
    >>> 0 < a < 1 and -0.3 <= g <= 0.3
    True
    """
    p = _params(params)
    held = {node(h).slug for h in held_out}
    used = [e for e in nodes() if e.get("historical_firms") is not None and e.slug not in held]
    if len(used) < 2:
        raise InputError(f"calibration needs at least 2 nodes with a historical count, got {len(used)}")
    arrays = _arrays(used)
    a_grid = np.repeat(_SHARES, len(_GROWTHS))
    g_grid = np.tile(_GROWTHS, len(_SHARES))
    counts, _ = _counts(a_grid, arrays, p, continuous=True, share_growth=g_grid)
    with np.errstate(divide="ignore"):
        err = np.sum((np.log(np.maximum(counts, 1e-12)) - np.log(arrays["hist"])) ** 2, axis=1)
    i = int(np.argmin(err))
    return float(a_grid[i]), float(g_grid[i])


def calibrate(held_out=HELD_OUT, **params) -> float:
    r"""The fitted addressable share :math:`a` of 2010 (:func:`fit`), without ``held_out``.

    Examples
    --------
    >>> 0 < calibrate() < 1
    True
    """
    return fit(held_out, **params)[0]


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


def predict(addressable_share, share_growth=0.0, **params) -> dict[str, np.ndarray]:
    r"""Predicted viable leading-edge firms per node for a given addressable share.

    Parameters
    ----------
    addressable_share : numeric
        Share of world semiconductor sales that funds the leading edge, in (0, 1]; an array of
        samples gives one row per sample; the 2010 value when ``share_growth`` is not 0.
        [dimensionless]
    share_growth : numeric
        Drift of the share per year (:func:`shares`). [1/year]
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
    viable, annual = _counts(addressable_share, arrays, p, continuous=False,
                             share_growth=share_growth)
    cont, _ = _counts(addressable_share, arrays, p, continuous=True, share_growth=share_growth)
    squeeze = np.ndim(addressable_share) == 0 and np.ndim(share_growth) == 0
    pool = shares(addressable_share, share_growth, arrays["year"]) * arrays["market"]
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
    share_growth: float = 0.0

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
            "share_growth_per_year": self.share_growth,
            "reference_year": REFERENCE_YEAR,
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
    >>> bt.row("7nm")["historical_firms"], bt.row("130nm")["wafer_mm"]
    (3, 200)
    """
    p = _params(params)
    a, g = fit(held_out, **p)
    held = {node(h).slug for h in held_out}
    out = predict(a, g, **p)
    rows = []
    for i, e in enumerate(nodes()):
        hist = e.get("historical_firms")
        hv = e.value("historical_firms") if hist is not None else None
        e_era = era(e.slug)
        dev = e.process_development_cost_usd / e_era["alliance_members"]
        fixed = fixed_cost_usd(dev, e.fab_cost_usd)
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
            "addressable_share": float(shares(a, g, [e.year])[0]),
            "wafer_mm": e_era["wafer_mm"],
            "alliance_members": e_era["alliance_members"],
            "era_source": e_era["source"],
            "development_cost_per_firm_usd": dev,
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
                    params=p, rows=rows, share_growth=g)
