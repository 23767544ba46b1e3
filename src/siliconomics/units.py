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
>>> parse("30k", "USD"), parse("2.5M tokens", "token"), parse("$1.2B", "USD")
(30000.0, 2500000.0, 1200000000.0)
"""

from __future__ import annotations

import functools
import re

from .errors import InputError

#: Bytes in one "GB" of accelerator memory as vendors state it. Memory dies hold a power of
#: two of Gbit, so an "80 GB" A100 holds 80 GiB (nvidia-smi: 81,920 MiB), an "80 GB" H100
#: 79.6 GiB exposed (81,559 MiB), a "141 GB" H200 140.4 GiB (143,771 MiB): catalog capacities
#: are GiB, 7.4% more bytes than decimal GB. (Memory prices per GB stay per stated GB.)
ACCELERATOR_GB = 2**30

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
_MULTIPLIER = {"k": 1e3, "K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}
#: Units after which a k/M/B/T suffix means thousand/million/billion/trillion (money, counts).
_COUNTED = r"USD|usd|dollars?|tokens?|tok|FLOPs?|flops?|FLOP|accelerators?|GPUs?|count"
_SUFFIXED = re.compile(r"^([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d{1,3})?)\s*([kKMBT])"
                       rf"(?:\s+({_COUNTED}))?$")


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
    suffixed = _SUFFIXED.match(text)
    if suffixed:  # "30k", "2.5M tokens", "1.2B": thousand, million, billion, trillion
        number, letter, word = suffixed.groups()
        scaled = float(number) * _MULTIPLIER[letter]
        text = f"{scaled!r} {word}" if word else repr(scaled)
    try:
        number = float(text)
    except ValueError:
        pass
    else:
        return _finite(number, name, value)
    if not _QUANTITY.match(text):
        raise InputError(f"{cannot}; write a number and a unit, e.g. \"0.07 USD/kWh\"")
    import tokenize

    import pint

    ureg = registry()
    try:
        quantity = ureg.Quantity(text)
    except (pint.errors.PintError, AttributeError, TypeError, SyntaxError, ValueError, KeyError,
            ArithmeticError, tokenize.TokenError):  # TokenError: an unmatched ")" ("1 W)")
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


_COUNT_TOKEN = re.compile(r"^(\d+(?:\.\d+)?)([kKMBT])$")


def expand_count(token: str) -> str:
    """A command-line word ``16k``, ``2.5M``, ``1.2B`` or ``3T`` as the whole number it means
    (``16000``), so count options read it like money options do; any other word unchanged
    (``2.5k`` -> ``2500``; ``1.5`` or ``h100`` stay as they are; ``--n=16k`` -> ``--n=16000``).

    >>> expand_count("16k"), expand_count("2.5M"), expand_count("--accelerators=16k"), expand_count("h100")
    ('16000', '2500000', '--accelerators=16000', 'h100')
    """
    if not isinstance(token, str):
        return token
    head, eq, value = token.rpartition("=") if token.startswith("--") and "=" in token else (
        "", "", token)
    m = _COUNT_TOKEN.match(value)
    if not m:
        return token
    from decimal import Decimal

    number = Decimal(m.group(1)) * Decimal(int(_MULTIPLIER[m.group(2)]))
    text = (str(number.quantize(Decimal(1))) if number == number.to_integral_value()
            else format(number.normalize(), "f"))
    return f"{head}{eq}{text}"


class UnitWarning(UserWarning):
    """A value far outside the catalog's range for its quantity: probably the wrong unit."""


#: How far beyond the catalog range (a factor) a value must be to be called implausible.
IMPLAUSIBLE_FACTOR = 10.0

#: (unit, factor of the typed value over a plausible one) -> what the user probably meant;
#: ``{v}`` is the number as typed.
_LIKELY = {
    ("USD/kWh", 100.0): "{v} US cents/kWh",
    ("USD/kWh", 1000.0): "{v} USD/MWh",
    ("USD/MW", 1e-6): "{v} million USD/MW",
    ("USD/MW", 1e-3): "{v} thousand USD/kW",
    ("USD", 1e-3): "{v}k USD",
    ("USD", 1e-6): "{v}M USD",
    ("W", 1e-3): "{v} kW",
    ("kW", 1e3): "{v} W",
    ("kW", 1e-3): "{v} MW",
    ("MW", 1e3): "{v} kW",
}
_FRACTIONS = ("", "fraction", "1/year", "dimensionless")


def implausible(value, unit: str, low, high, *, name: str = "value") -> str | None:
    """A warning when ``value`` lies more than :data:`IMPLAUSIBLE_FACTOR` times beyond the
    catalog range ``[low, high]`` of its quantity, proposing the unit it was probably meant in;
    None when the value is plausible (or zero, negative, or the range unknown).

    Examples
    --------
    >>> implausible(12, "USD/kWh", 0.03, 0.2, name="site.power_price_usd_per_kwh")
    'site.power_price_usd_per_kwh: 12 USD/kWh is 100x the catalog range (0.03 to 0.2 USD/kWh); did you mean 12 US cents/kWh?'
    >>> implausible(75, "fraction", 0.6, 0.9, name="utilization")
    'utilization: 75 fraction is 100x the catalog range (0.6 to 0.9 fraction); did you mean 75%?'
    >>> implausible(0.07, "USD/kWh", 0.03, 0.2) is None
    True
    """
    import math

    try:
        v, lo, hi = float(value), float(low), float(high)
    except (TypeError, ValueError):
        return None
    if not (v > 0 and lo > 0 and hi >= lo) or not all(map(math.isfinite, (v, lo, hi))):
        return None
    if lo / IMPLAUSIBLE_FACTOR <= v <= hi * IMPLAUSIBLE_FACTOR:
        return None
    # in logs: a value near the float maximum must not overflow the ratio
    exponent = round(math.log10(v) - 0.5 * (math.log10(lo) + math.log10(hi)))
    factor = 10.0 ** max(min(exponent, 300), -300)  # 1e308 must not overflow
    u = unit.strip()
    guess = _LIKELY.get((u, factor))
    if guess is None and (u in _FRACTIONS or u.startswith("fraction")) and factor == 100.0:
        guess = "{v}%"
    times = f"{factor:g}x" if exponent >= 0 else f"1/{1 / factor:g} of"
    if abs(exponent) > 300:
        times = f"1e{exponent}x" if exponent > 0 else f"1e{exponent} of"
    head = f"{name}: {v:g} {u} is {times} the catalog range ({lo:g} to {hi:g} {u})".replace(
        "  ", " ")
    if guess is None:
        return f"{head}; check its unit"
    return f"{head}; did you mean {guess.format(v=f'{v:g}')}?"
