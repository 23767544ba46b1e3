"""Shared pieces of the CLI: error handling, JSON output, number formatting.

Heavy imports (NumPy, the models) stay inside functions so ``siliconomics --help`` is instant.
"""

from __future__ import annotations

import functools
import json
import sys

import typer


def handle_errors(func):
    """Turn a :class:`~siliconomics.errors.SiliconomicsError` into one line and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from ..errors import SiliconomicsError

        try:
            return func(*args, **kwargs)
        except SiliconomicsError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from None

    return wrapper


def print_json(data) -> None:
    """Print one JSON object (NumPy values made plain)."""
    typer.echo(json.dumps(data, indent=2, default=_default, allow_nan=True))


def _default(obj):
    import numpy as np

    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, np.generic):
        return obj.item()
    if hasattr(obj, "to_dict"):
        return obj.to_dict()
    raise TypeError(f"cannot serialise {type(obj).__name__}")


def console():
    """A Rich console on stdout (wide enough for tables in CI logs)."""
    from rich.console import Console

    return Console(width=max(100, Console().width), soft_wrap=False)


def money(x: float, digits: int = 3) -> str:
    """``$1.234`` style for small amounts, ``$1.23B`` for large ones."""
    ax = abs(x)
    for bound, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if ax >= bound:
            return f"${x / bound:,.{max(digits - 1, 1)}f}{suffix}"
    if ax >= 100:
        return f"${x:,.0f}"
    return f"${x:,.{digits}f}"


def parse_option(value, unit: str, name: str):
    """Parse a CLI option that may carry a unit (``"0.09 USD/kWh"``) into a float."""
    if value is None:
        return None
    from ..units import parse

    return parse(value, unit, name=name)


def stderr_is_tty() -> bool:
    return sys.stderr.isatty()
