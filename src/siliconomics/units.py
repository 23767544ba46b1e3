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


#: Longest quantity string read; anything longer is not a value someone typed.
MAX_LENGTH = 80

_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d{1,3})?"
_ATOM = r"[A-Za-zµμ°Ω_][A-Za-z0-9µμ°Ω_]*(?:\s*(?:\^|\*\*)\s*-?\d)?"
_UNIT = rf"(?:1\s*/\s*)?\(?\s*{_ATOM}(?:\s*(?:[*/·]|\s)\s*\(?\s*{_ATOM}\s*\)?)*\s*\)?"
#: A number and a unit: arithmetic (``9**9**9``, ``1/0``) is not a quantity and never reaches pint.
_QUANTITY = re.compile(rf"^{_NUMBER}\s*(?:{_UNIT})?$")


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
        return _finite(float(value), name, value)
    if not isinstance(value, str):
        raise InputError(f"{name} must be a number or a string with a unit, got {value!r}")
    cannot = f"{name}: cannot read {_shown(value)} as a quantity in {unit or 'no unit'}"
    if len(value) > MAX_LENGTH:
        raise InputError(f"{cannot} (longer than {MAX_LENGTH} characters)")
    text = _normalise(value)
    try:
        number = float(text)
    except ValueError:
        pass
    else:
        return _finite(number, name, value)
    if not _QUANTITY.match(text):
        raise InputError(f"{cannot}; write a number and a unit, e.g. \"0.07 USD/kWh\"")
    import pint

    ureg = registry()
    try:
        quantity = ureg.Quantity(text)
    except (pint.errors.PintError, AttributeError, TypeError, SyntaxError, ValueError, KeyError,
            ArithmeticError):
        raise InputError(cannot) from None
    target = ureg.Unit(unit) if unit else ureg.dimensionless
    try:
        return _finite(float(quantity.to(target).magnitude), name, value)
    except pint.errors.DimensionalityError:
        expected = str(target.dimensionality) if unit else "dimensionless"
        got = str(quantity.dimensionality)
        raise InputError(
            f"{name}: expected a quantity in {unit or 'no unit'} ({expected}), "
            f"got {value!r} ({got})"
        ) from None


def _shown(value, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 4] + "...'"


def _finite(x: float, name: str, value) -> float:
    import math

    if not math.isfinite(x):
        raise InputError(f"{name} must be a finite number, got {_shown(value)}")
    return x


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
