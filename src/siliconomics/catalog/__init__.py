"""The catalog: sourced data on accelerators, memory, systems, sites, models and assumptions.

The built-in catalog is loaded once per process; user catalog files (``--catalog FILE``)
and ``--set`` values apply inside :func:`using`, and :func:`resolve` turns names into the
entries and values of one question (:mod:`.inputs`).

>>> from siliconomics import catalog
>>> catalog.accelerator("H100").slug
'h100-sxm'
>>> catalog.site("texas").slug
'us-texas'
"""

from __future__ import annotations

import contextvars
import functools

from .inputs import (KEYWORDS, ROLES, Resolved, all_paths, context_sets, parse_sets, resolve,
                     using, with_sets)
from .history import price_at
from .loader import BUILT_IN, Catalog, Entry, Value

__all__ = [
    "BUILT_IN",
    "KEYWORDS",
    "ROLES",
    "Catalog",
    "Entry",
    "Resolved",
    "Value",
    "accelerator",
    "all_paths",
    "assumption",
    "builtin",
    "context_sets",
    "financing",
    "get",
    "load",
    "names",
    "parse_sets",
    "price_at",
    "resolve",
    "site",
    "using",
    "with_sets",
]

#: The catalog :func:`using` made active (built-in plus user files), if any.
_ACTIVE: contextvars.ContextVar[Catalog | None] = contextvars.ContextVar(
    "siliconomics_catalog", default=None)


@functools.cache
def builtin() -> Catalog:
    """The built-in catalog (loaded and validated once per process)."""
    cat = Catalog()
    cat._builtin = True  # pickles as a reference (Catalog.__reduce_ex__)
    return cat


def load() -> Catalog:
    """The active catalog: the built-in one, plus the user files of an enclosing :func:`using`."""
    return _ACTIVE.get() or builtin()


def get(kind: str, name) -> Entry:
    """Entry ``name`` of ``kind`` (slug or alias)."""
    return load().get(kind, name)


def names(kind: str) -> list[str]:
    """Slugs of ``kind``."""
    return load().names(kind)


def accelerator(name) -> Entry:
    """An accelerator by name or alias (``"H100"`` -> ``h100-sxm``)."""
    return load().get("accelerators", name)


def site(name) -> Entry:
    """A site by name or alias (``"texas"`` -> ``us-texas``)."""
    return load().get("sites", name)


def financing(name) -> Entry:
    """A financing preset: ``hyperscaler``, ``neocloud`` or ``sovereign``."""
    return load().get("financing", name)


def assumption(name: str) -> float:
    """Central value of a shared assumption (``"power-draw-fraction"`` -> 0.75)."""
    return load().get("assumptions", name).value("value").value


def assumption_value(name: str) -> Value:
    """A shared assumption with its range and source."""
    return load().get("assumptions", name).fields["value"]
