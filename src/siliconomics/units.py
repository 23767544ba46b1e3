"""Unit strings at the edges: ``"150 MW"``, ``"$0.07/kWh"``, ``"814 mm^2"`` -> canonical floats.

Inside the package every quantity is a plain float (or array) in the unit its name states
(``power_w``, ``price_usd_per_kwh``); strings with units are parsed only where users type them:
the CLI, scenario files and the catalog loader. Parsing uses pint, imported on first use so
that ``siliconomics --help`` stays fast.

Examples
--------
>>> parse("150 MW", "W")
150000000.0
>>> parse("$0.07/kWh", "USD/kWh")
0.07
>>> round(parse("7 ¢/kWh", "USD/kWh"), 6)
0.07
>>> parse("10%", "")
0.1
>>> parse(2.5, "kW")
2.5
"""

from __future__ import annotations

import functools
import re

from .errors import InputError

_DEFINITIONS = """
USD = [currency] = usd = dollar
cent = 0.01 USD = ¢ = cents
kUSD = 1000 USD
MUSD = 1e6 USD
BUSD = 1e9 USD
TUSD = 1e12 USD
flop = [flop_count] = FLOP = flops = FLOPs
token = [tokens] = tokens = tok
tCO2e = [mass_co2e] = tco2e
kgCO2e = 1e-3 tCO2e = kgco2e
gCO2e = 1e-6 tCO2e = gco2e
"""


@functools.cache
def registry():
    """The package's pint registry (created on first use)."""
    import pint

    ureg = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
    for line in _DEFINITIONS.strip().splitlines():
        ureg.define(line)
    return ureg


_DOLLAR = re.compile(r"\$\s*([-+]?[0-9.]+(?:[eE][-+]?\d+)?)\s*([kKMBT]?)\b")
_SCALE = {"": "", "k": "k", "K": "k", "M": "M", "B": "B", "T": "T"}


def _normalise(text: str) -> str:
    s = text.strip()
    # "$0.07/kWh" -> "0.07 USD/kWh"; "$30k" -> "30 kUSD"; "$1.2B" -> "1.2 BUSD"
    s = _DOLLAR.sub(lambda m: f"{m.group(1)} {_SCALE[m.group(2)]}USD", s)
    # "2.5 B USD", "30 k USD", "1.2 T USD" -> "2.5 BUSD"... (pint would read "B" as a byte)
    s = re.sub(r"([0-9.])\s*([kKMBT])\s+USD\b",
               lambda m: f"{m.group(1)} {_SCALE.get(m.group(2), m.group(2))}USD", s)
    s = s.replace("¢", " cent ").replace("%", " percent ")
    s = s.replace("²", "^2").replace("³", "^3")
    s = re.sub(r"\byrs?\b", "year", s)
    return re.sub(r"\s+", " ", s).strip()


def parse(value, unit: str, *, name: str = "value") -> float:
    """Parse ``value`` into a float in ``unit``.

    Parameters
    ----------
    value : str or number
        A string with a unit (``"150 MW"``) or a bare number, taken to be in ``unit`` already.
    unit : str
        Target unit, a pint expression (``"W"``, ``"USD/kWh"``, ``"mm^2"``); ``""`` for
        dimensionless (``"10%"`` -> 0.1).
    name : str
        Parameter name used in error messages.

    Raises
    ------
    InputError
        When the string cannot be parsed or its dimension does not match ``unit``.
    """
    if isinstance(value, bool):
        raise InputError(f"{name} must be a number with unit {unit or '(none)'}, got {value!r}")
    if isinstance(value, (int, float)):
        return float(value)
    if not isinstance(value, str):
        raise InputError(f"{name} must be a number or a string with a unit, got {value!r}")
    text = _normalise(value)
    try:
        return float(text)
    except ValueError:
        pass
    import pint

    ureg = registry()
    try:
        quantity = ureg.Quantity(text)
    except (pint.errors.PintError, AttributeError, TypeError, SyntaxError, ValueError, KeyError):
        raise InputError(f"{name}: cannot read {value!r} as a quantity in {unit or 'no unit'}") from None
    target = ureg.Unit(unit) if unit else ureg.dimensionless
    try:
        return float(quantity.to(target).magnitude)
    except pint.errors.DimensionalityError:
        expected = str(target.dimensionality) if unit else "dimensionless"
        got = str(quantity.dimensionality)
        raise InputError(
            f"{name}: expected a quantity in {unit or 'no unit'} ({expected}), "
            f"got {value!r} ({got})"
        ) from None


@functools.cache
def readable(unit: str) -> bool:
    """True when pint can read ``unit`` (``"USD/kWh"``); False for free text (``"fraction"``).

    >>> readable("USD/kWh"), readable("fraction of manufacturing cost")
    (True, False)
    """
    if not unit:
        return True
    import pint

    try:
        registry().Unit(_normalise(unit))
        return True
    except (pint.errors.PintError, AttributeError, TypeError, SyntaxError, ValueError, KeyError):
        return False
