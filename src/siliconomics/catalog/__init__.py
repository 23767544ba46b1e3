"""The catalog: sourced data on accelerators, sites, financing and shared assumptions.

>>> from siliconomics import catalog
>>> catalog.accelerator("H100").slug
'h100-sxm'
>>> catalog.site("texas").slug
'us-texas'
"""

from __future__ import annotations

import functools

from .loader import Catalog, Entry, Value

__all__ = [
    "Catalog",
    "Entry",
    "Value",
    "load",
    "get",
    "accelerator",
    "site",
    "financing",
    "assumption",
    "names",
]


@functools.cache
def load() -> Catalog:
    """The built-in catalog (loaded and validated once per process)."""
    return Catalog()


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
