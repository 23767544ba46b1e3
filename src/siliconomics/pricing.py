r"""What an accelerator sells for, from what it costs to make: a named pricing rule.

Three rules say who keeps a change in manufacturing cost (a cheaper wafer, HBM or package):

- ``list``: the catalog's list price; the vendor keeps (or absorbs) every change in cost and
  its margin moves;
- ``cost-plus``: cost times one plus a markup (a hyperscaler's own chip, or a competitive
  market); buyers get every change in cost, with the markup on top;
- ``pass-through``: the list price plus a stated share :math:`s` of the change in cost from the
  configuration the list price was set for, :math:`P = P_{list} + s\,(C - C_{ref})`; the vendor
  keeps :math:`1 - s` of a saving.

The default share is the ``pass-through-share`` assumption (one half, the pass-through of a
monopolist facing linear demand; Weyl and Fabinger 2013).

References
----------
.. [1] E. G. Weyl and M. Fabinger, "Pass-Through as an Economic Tool: Principles of Incidence
   under Imperfect Competition," Journal of Political Economy 121(3), 528-583, 2013.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _checks
from .errors import InputError, unknown
from .results import scalar_or_array as _f

RULES = ("list", "cost-plus", "pass-through")


def check_rule(rule: str) -> str:
    """``rule`` if it is a known pricing rule, else :class:`InputError` with the closest."""
    if rule not in RULES:
        raise InputError(unknown("pricing rule", str(rule), RULES))
    return rule


def price_from_cost(rule, *, list_price_usd, cost_usd=None, reference_cost_usd=None,
                    markup=None, pass_through_share=None):
    r"""Sale price of an accelerator under a pricing rule.

    Parameters
    ----------
    rule : {"list", "cost-plus", "pass-through"}
    list_price_usd : numeric
        Catalog list price, >= 0. [USD]
    cost_usd : numeric
        Manufacturing cost of one good accelerator (``cost-plus``, ``pass-through``). [USD]
    reference_cost_usd : numeric
        Cost of the configuration the list price was set for (``pass-through``). [USD]
    markup : numeric
        Markup over cost, >= 0 (``cost-plus``). [dimensionless]
    pass_through_share : numeric
        Share of a change in cost passed to the price, in [0, 1] (``pass-through``).

    Returns
    -------
    numeric
        Price. [USD]

    Notes
    -----
    ``cost-plus``: :math:`C (1 + m)`; ``pass-through``: :math:`P_{list} + s (C - C_{ref})`.

    Examples
    --------
    >>> price_from_cost("cost-plus", list_price_usd=30000, cost_usd=3000, markup=1.5)
    7500.0
    >>> price_from_cost("pass-through", list_price_usd=30000, cost_usd=2000,
    ...                 reference_cost_usd=3000, pass_through_share=0.5)
    29500.0
    """
    check_rule(rule)
    _checks.non_negative("list_price_usd", list_price_usd)
    if rule == "list":
        return _f(np.asarray(list_price_usd, dtype=float))
    _checks.non_negative("cost_usd", cost_usd)
    if rule == "cost-plus":
        _checks.non_negative("markup", markup)
        return _f(np.asarray(cost_usd, dtype=float) * (1.0 + np.asarray(markup, dtype=float)))
    _checks.fraction("pass_through_share", pass_through_share, open_low=False)
    price = np.asarray(list_price_usd, dtype=float) + np.asarray(pass_through_share, dtype=float) * (
        np.asarray(cost_usd, dtype=float) - np.asarray(reference_cost_usd, dtype=float))
    _checks.non_negative("pass-through price (list price plus the passed-through cost change)",
                         price)
    return _f(price)


@dataclass(frozen=True)
class Price:
    """An accelerator's price under a rule, with the cost and margin behind it. [USD]"""

    rule: str
    price_usd: Any
    list_price_usd: Any
    cost_usd: Any = None
    reference_cost_usd: Any = None
    source: str = ""

    @property
    def vendor_margin(self):
        """``(price - cost) / price``; None when the cost was not needed. [dimensionless]"""
        if self.cost_usd is None:
            return None
        price = np.asarray(self.price_usd, dtype=float)
        return _f((price - np.asarray(self.cost_usd, dtype=float)) / price)

    def _repr_html_(self) -> str:
        """Notebook display: the price under its rule, with the cost and margin behind it."""
        from .results import html_card, number

        return html_card(
            f"Accelerator price ({self.rule})", f"${number(self.price_usd)}",
            inputs=[("list price [USD]", self.list_price_usd), ("cost to make [USD]", self.cost_usd),
                    ("vendor margin", self.vendor_margin), ("source", self.source)])

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "price_usd": self.price_usd,
                "list_price_usd": self.list_price_usd, "cost_usd": self.cost_usd,
                "reference_cost_usd": self.reference_cost_usd,
                "vendor_margin": self.vendor_margin, "source": self.source}


def accelerator_price(resolved, rule: str = "list", *, cost_usd=None,
                      with_cost: bool = False) -> Price:
    """Price of the resolved accelerator under ``rule``.

    Parameters
    ----------
    resolved : Resolved
        From :func:`siliconomics.catalog.resolve` (accelerator, memory, nodes, package).
    rule : {"list", "cost-plus", "pass-through"}
    cost_usd : numeric, optional
        Manufacturing cost if already computed (else from :func:`siliconomics.silicon.chip_cost`).
    with_cost : bool
        Compute the cost (and so the vendor margin) under ``list`` too.

    Examples
    --------
    >>> from siliconomics import catalog
    >>> r = catalog.resolve("h100")
    >>> p = accelerator_price(r, "pass-through")
    >>> p.price_usd == r["accelerator.price_usd"]   # nothing changed: the list price
    True
    """
    check_rule(rule)
    list_price = resolved["accelerator.price_usd"]
    if rule == "list" and not with_cost:
        v = resolved.value("accelerator.price_usd")
        return Price("list", list_price, list_price, source=v.source)
    if cost_usd is None:
        from .silicon import bom

        cost_usd = bom.chip_cost(resolved).total
    if rule == "list":
        return Price("list", list_price, list_price, cost_usd,
                     source=resolved.value("accelerator.price_usd").source)
    if rule == "cost-plus":
        markup = resolved.assumption("cost-plus-markup")
        price = price_from_cost(rule, list_price_usd=list_price, cost_usd=cost_usd, markup=markup)
        return Price(rule, price, list_price, cost_usd, source=(
            f"cost-plus: manufacturing cost (siliconomics.silicon.chip_cost) times 1 + markup "
            f"({resolved.value('assumptions.cost-plus-markup').source})"))
    share = resolved.assumption("pass-through-share")
    ref = reference_cost(resolved)
    price = price_from_cost(rule, list_price_usd=list_price, cost_usd=cost_usd,
                            reference_cost_usd=ref, pass_through_share=share)
    anchor = price_anchor(resolved)
    return Price(rule, price, list_price, cost_usd, ref, source=(
        f"pass-through: list price plus {_share_text(share)} of the change in manufacturing cost "
        f"from {anchor.slug} as catalogued (${ref:,.0f})"))


def _share_text(share) -> str:
    arr = np.asarray(share, dtype=float)
    return f"{float(arr):.0%}" if arr.ndim == 0 else "the sampled share"


def price_anchor(resolved):
    """The accelerator entry whose table states the list price the resolved one carries."""
    cat = resolved.catalog
    entry = resolved.accelerator
    seen = set()
    while "price_usd" not in entry.own and entry.parent is not None and entry.slug not in seen:
        seen.add(entry.slug)
        entry = cat.get("accelerators", entry.parent)
    return entry


def reference_cost(resolved) -> float:
    """Manufacturing cost of the price anchor as catalogued: no scenario, ``--set`` or API
    values, the built-in catalog for a built-in anchor (cached per catalog)."""
    from . import catalog
    from .silicon import bom

    anchor = price_anchor(resolved)
    cat = catalog.builtin() if not anchor.is_user else resolved.catalog
    cache = cat.__dict__.setdefault("_reference_costs", {})
    if anchor.slug not in cache:
        ref = catalog.resolve(cat.get("accelerators", anchor.slug), catalog=cat, context=False)
        cache[anchor.slug] = float(bom.chip_cost(ref).total)
    return cache[anchor.slug]
