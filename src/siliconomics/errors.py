"""One exception hierarchy for the whole package.

Every error a user can cause derives from :class:`SiliconomicsError`; the CLI turns it into one
line and exit code 2. Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class SiliconomicsError(Exception):
    """Base class of every error caused by input, data or a scenario."""


class InputError(SiliconomicsError, ValueError):
    """An argument is out of range, of the wrong unit or of the wrong kind."""


class EngineError(InputError):
    """An engine cannot run the work: a Dask scheduler that does not answer, a client misused."""


class CatalogError(SiliconomicsError, KeyError):
    """An unknown catalog name, or a catalog file that does not validate."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class ScenarioError(SiliconomicsError, ValueError):
    """A scenario or plan file that cannot be read or does not validate."""


class ModelWarning(UserWarning):
    """A model fell back to a default (or extrapolated) and says so; the result stands."""


def closest(name: str, choices: Iterable[str], n: int = 3) -> list[str]:
    """Closest valid names to ``name``, best first (empty when nothing is close): names it
    begins, then close spellings, then names that contain it."""
    choices = list(choices)
    lowered = {c.lower(): c for c in choices}
    key = name.lower()
    prefix = sorted((c for c in lowered if c.startswith(key) and c != key), key=len)
    hits = difflib.get_close_matches(key, list(lowered), n=n, cutoff=0.5)
    subs = [c for c in lowered if key in c or c in key]
    ordered = list(dict.fromkeys(prefix[:1] + hits + prefix[1:] + subs))[:n]
    return [lowered[h] for h in ordered]


def unknown(what: str, name: str, choices: Iterable[str]) -> str:
    """Message for an unknown name that suggests the closest known ones."""
    choices = list(choices)
    near = closest(name, choices)
    if near:
        hint = "did you mean " + ", ".join(repr(c) for c in near) + "?"
    else:
        hint = "known: " + ", ".join(sorted(choices)[:12]) + ("..." if len(choices) > 12 else "")
    return f"unknown {what} {name!r}; {hint}"
