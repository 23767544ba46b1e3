"""Shared pieces of the CLI: error handling, JSON output, number formatting.

Heavy imports (NumPy, the models) stay inside functions so ``siliconomics --help`` is instant.
"""

from __future__ import annotations

import contextvars
import functools
import json
import sys
from typing import Annotated

import typer


#: Options every command takes: user catalog files and input changes (``--catalog``, ``--set``).
CATALOG_HELP = ("User catalog file (TOML): your own accelerators, memories, systems, sites, "
                "models... as [kind.slug] tables, or derived with extends = \"h200\". Repeatable.")
SET_HELP = ("Change one input: PATH=VALUE, e.g. accelerator.price_usd=25000, "
            "memory.price_usd_per_gb=\"4 USD/GB\", site.pue=1.2. Repeatable.")


def _shared_parameters():
    import inspect
    from typing import Annotated

    catalog_t = Annotated[list[str] | None, typer.Option("--catalog", help=CATALOG_HELP,
                                                         metavar="FILE")]
    set_t = Annotated[list[str] | None, typer.Option("--set", help=SET_HELP,
                                                     metavar="PATH=VALUE")]
    return [
        inspect.Parameter("catalog_files", inspect.Parameter.KEYWORD_ONLY, default=None,
                          annotation=catalog_t),
        inspect.Parameter("sets", inspect.Parameter.KEYWORD_ONLY, default=None,
                          annotation=set_t),
    ]


#: Commands whose model reads every ``--set`` value it uses in this process
#: (:func:`siliconomics.catalog.inputs.watch_sets`); a value they never read gets a warning.
#: The Monte Carlo commands count too: whatever engine evaluates their blocks, they first
#: prepare the model and evaluate a small block here (:meth:`~siliconomics.scenario.Scenario.
#: check`).
WATCHED = ("tco", "chip", "wafer", "train", "train_mixed", "serve", "whatif", "sites", "run",
           "sensitivity", "compare")

#: Roles whose values reach an accelerator-hour only through a cost-based price.
_CHIP_ROLES = ("node", "io_node", "memory", "package")
#: Watched commands whose tables list the values a user changed themselves.
_LIST_CHANGES = ("tco", "whatif")
#: The running command's ``--set`` values and the paths it has read (``print_json`` adds them
#: to the JSON as ``set_inputs``).
_SET_REPORT: contextvars.ContextVar = contextvars.ContextVar("siliconomics_set_report",
                                                            default=None)


def _set_inputs() -> list[dict] | None:
    """Each ``--set`` path of the running command, its value as given and whether it was used."""
    report = _SET_REPORT.get()
    if report is None:
        return None
    sets, read = report
    return [{"path": p, "value": v if isinstance(v, (str, int, float)) else str(v),
             "used": p in read} for p, v in sets.items()]


def _warn_unread(sets: dict, read: set, command: str) -> None:
    """One warning line per ``--set`` path the command never read."""
    rule = ('pricing = "cost-plus" or "pass-through" in the scenario'
            if command in ("run", "sensitivity", "compare")
            else "--pricing cost-plus or pass-through")
    for path in sets:
        if path in read:
            continue
        hint = (f" (chip inputs reach a cost only with {rule})"
                if path.split(".")[0] in _CHIP_ROLES and command != "chip" else "")
        typer.echo(f"warning: --set {path} did not change this answer: "
                   f"{command.replace('_', '-')} never used it{hint}", err=True)


def handle_errors(func):
    """Wrap a command: add ``--catalog`` and ``--set``, apply them for the command's duration
    (:func:`siliconomics.catalog.using`), warn of a ``--set`` value the command never used
    (:data:`WATCHED`), and turn a :class:`~siliconomics.errors.SiliconomicsError` into one
    line and exit code 2."""
    import inspect

    watched = func.__name__ in WATCHED

    @functools.wraps(func)
    def wrapper(*args, catalog_files=None, sets=None, **kwargs):
        from .. import catalog
        from ..catalog import inputs
        from ..errors import SiliconomicsError

        try:
            _check_numbers(kwargs, flags)
            with catalog.using(*(catalog_files or ()), set=list(sets or ())):
                if not (watched and sets):
                    return func(*args, **kwargs)
                given = inputs.context_sets()
                with inputs.watch_sets() as read:
                    token = _SET_REPORT.set((given, read))
                    try:
                        result = func(*args, **kwargs)
                    finally:
                        _SET_REPORT.reset(token)
                if not kwargs.get("as_json") and func.__name__ not in _LIST_CHANGES:
                    for path, value in given.items():
                        if path in read:
                            typer.echo(f"changed: {path} = {value} (--set)")
                _warn_unread(given, read, func.__name__)
                return result
        except SiliconomicsError as exc:
            from ._edge import one_line

            typer.echo(f"error: {one_line(exc)}", err=True)
            raise typer.Exit(2) from None

    import typing

    sig = inspect.signature(func, eval_str=True)
    flags = _flags(sig)
    extra = _shared_parameters()
    params = list(sig.parameters.values())
    wrapper.__signature__ = sig.replace(parameters=params + extra)
    wrapper.__annotations__ = {**typing.get_type_hints(func, include_extras=True),
                               **{p.name: p.annotation for p in extra}}
    del wrapper.__wrapped__  # Typer reads the signature above, not the wrapped function's
    return wrapper


def _flags(sig) -> dict[str, str]:
    """The flag a user types for each parameter (``accelerators`` -> ``--accelerators``)."""
    out = {}
    for name, p in sig.parameters.items():
        flag = "--" + name.replace("_", "-")
        for meta in getattr(p.annotation, "__metadata__", ()):
            decls = [d for d in getattr(meta, "param_decls", None) or () if d.startswith("--")]
            if decls:
                flag = decls[0]
            elif type(meta).__name__ == "ArgumentInfo":
                flag = name.upper()
        out[name] = flag
    return out


def _check_numbers(kwargs: dict, flags: dict[str, str]) -> None:
    """Reject NaN and infinite numbers in any option before the command runs."""
    import math

    from ..errors import InputError

    for name, value in kwargs.items():
        values = value if isinstance(value, (list, tuple)) else [value]
        for v in values:
            if isinstance(v, float) and not math.isfinite(v):
                raise InputError(f"{flags.get(name, name)} must be a finite number, got {v}")


def print_json(data) -> None:
    """Print one JSON object (NumPy values made plain; NaN and infinities as null); in a
    command run with ``--set``, a ``set_inputs`` list says which of those values it used."""
    extra = _set_inputs()
    if extra is not None and isinstance(data, dict) and "set_inputs" not in data:
        data = {**data, "set_inputs": extra}
    typer.echo(json.dumps(_finite(json.loads(json.dumps(data, default=_default))), indent=2,
                          allow_nan=False))


def _finite(obj):
    if isinstance(obj, float):
        return obj if obj == obj and obj not in (float("inf"), float("-inf")) else None
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_finite(v) for v in obj]
    return obj


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
    """A Rich console on stdout: a terminal's own width (tables fit it, wrapping in their
    cells), and at least 100 columns where output goes to a file or a CI log."""
    from rich.console import Console

    out = Console(soft_wrap=False)
    return out if out.is_terminal else Console(width=max(100, out.width), soft_wrap=False)


def money(x: float, digits: int = 3) -> str:
    """Dollars by the package's formatting policy (:func:`siliconomics.format.money`):
    ``$1.97``, ``$25,000``, ``$1.50B``; ``-$909`` below zero, never ``-$0``."""
    from ..format import money as _money

    return _money(x, digits)


#: Largest cluster a command accepts: 100 million accelerators (tens of GW), far beyond any
#: announced build-out, so a larger number is a typo.
MAX_ACCELERATORS = 10**8


#: The energy and emissions convention options shared by ``tco``, ``train`` and ``serve``
#: (:class:`siliconomics.datacenter.energy.EnergyConvention`).
EnergyScope = Annotated[str, typer.Option("--energy-scope", help="What the energy counts: accelerator (TDP), server (critical IT) or facility (times PUE).")]
BusyDraw = Annotated[float | None, typer.Option("--busy-draw", help="Average draw while busy, fraction of maximum in (0, 1] (default: the catalog's, 0.75).")]
EmissionsBasis = Annotated[str, typer.Option("--emissions", help="Emissions basis: location (grid average) or market (less --carbon-free-share).")]
CarbonFreeShare = Annotated[float, typer.Option("--carbon-free-share", help="With --emissions market: share of consumption matched by contracted carbon-free supply, in [0, 1].")]


def energy_convention(scope: str, busy_draw, emissions: str, carbon_free_share: float):
    """The :class:`~siliconomics.datacenter.energy.EnergyConvention` of the shared options."""
    from ..datacenter.energy import EnergyConvention

    return EnergyConvention(scope=scope, busy_fraction=busy_draw, basis=emissions,
                            carbon_free_share=carbon_free_share)


def names_list(text: str | None, flag: str) -> list[str] | None:
    """A comma-separated list of names (None when not given): no empty items, no repeats."""
    if text is None:
        return None
    from ..errors import InputError

    items = [s.strip() for s in text.split(",")]
    if not any(items):
        raise InputError(f"{flag} is empty; give comma-separated names, e.g. us-texas,norway")
    if "" in items:
        raise InputError(f"{flag} has an empty item in {text!r}; separate names with single commas")
    repeated = sorted({s for s in items if items.count(s) > 1})
    if repeated:
        raise InputError(f"{flag} names {repeated[0]!r} more than once")
    return items


def counts_list(text: str | None, flag: str, largest: int) -> tuple[int, ...]:
    """A comma-separated list of whole numbers from 1 to ``largest``, or () for none."""
    if text is None or not text.strip():
        return ()
    from ..errors import InputError

    out = []
    for part in (s.strip() for s in text.split(",")):
        if not part.isdigit() or not 1 <= int(part) <= largest:
            raise InputError(f"{flag} takes whole numbers from 1 to {largest:,} separated by "
                             f"commas, e.g. 1,2,4,8,16; got {part!r}")
        out.append(int(part))
    return tuple(out)


def parse_option(value, unit: str, name: str):
    """Parse a CLI option that may carry a unit (``"0.09 USD/kWh"``) into a float."""
    if value is None:
        return None
    from ..units import parse

    return parse(value, unit, name=name)


def stderr_is_tty() -> bool:
    return sys.stderr.isatty()


def count(low: int, high: int):
    """Parser (for ``typer.Option(parser=...)``) of a whole number from ``low`` to ``high``
    written as analysts write sample counts: ``1000000``, ``1_000_000``, ``1,000,000`` or
    ``1e6`` (a float form must be whole).

    Examples
    --------
    >>> count(1, 10**10)("1e10")
    10000000000
    >>> count(1, 10**10)("1_000")
    1000
    """

    def parse(value) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            n = value
        else:
            text = str(value).strip().replace("_", "").replace(",", "")
            try:
                n = int(text)
            except ValueError:
                try:
                    x = float(text)
                except ValueError:
                    raise typer.BadParameter(f"{value!r} is not a whole number (write e.g. "
                                             "1000000 or 1e6)") from None
                if not x.is_integer():
                    raise typer.BadParameter(f"{value!r} is not a whole number") from None
                n = int(x)
        if not low <= n <= high:
            raise typer.BadParameter(f"{value} is not in the range {low:,} to {high:,}")
        return n

    return parse
