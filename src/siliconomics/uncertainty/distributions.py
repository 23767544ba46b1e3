"""Distributions in Squiggle's conventions, parsed from text and sampled through normals.

Text forms accepted by :func:`parse` (numbers may carry units when a unit is given):

- ``"a to b"``: a 90% interval, lognormal when both ends are positive, normal otherwise;
- ``"normal(mean, sd)"``, ``"lognormal(low, high)"`` (a 90% interval, both > 0),
  ``"uniform(low, high)"``, ``"triangular(low, mode, high)"``, ``"beta(a, b)"``;
- ``"clip(<distribution>, low, high)"``: values outside [low, high] are set to the bound
  (``_`` leaves a side open), as Squiggle's and squigglepy's ``lclip``/``rclip``.

Every distribution maps a standard normal draw ``z`` to a value (:meth:`Distribution.from_normal`,
its quantile function at ``Phi(z)``), so quantiles are exact and correlated normals give
correlated inputs with the requested marginals (a Gaussian copula).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
from scipy import special

from ..errors import InputError

#: z-score of the 95th percentile: a 90% interval is mean +- Z95 standard deviations.
Z95 = float(special.ndtri(0.95))


#: Largest magnitude a parameter may have: draws up to 10 standard deviations out stay finite.
MAX_MAGNITUDE = 1e300
#: Relative widening of :meth:`Distribution.bounds`: far above the few ulps by which two
#: implementations of one elementary function may differ.
BOUNDS_SLACK = 1e-9
#: Largest exponent a lognormal may reach at 8 standard deviations, beyond any draw of a run
#: (``exp`` overflows at 709).
MAX_LOG = 700.0


def _finite(kind: str, **params) -> None:
    """Parameters of a ``kind`` distribution must be finite numbers of sane magnitude."""
    for name, v in params.items():
        if v is None:
            continue
        if not (isinstance(v, (int, float, np.floating, np.integer)) and not isinstance(v, bool)):
            raise InputError(f"{kind} {name} must be a number, got {v!r}")
        if not math.isfinite(v) or abs(v) > MAX_MAGNITUDE:
            raise InputError(f"{kind} {name} must be a finite number of magnitude at most "
                             f"{MAX_MAGNITUDE:g}, got {v!r}")


def _exact(x) -> str:
    """Shortest text that reads back as exactly ``x`` (``2`` for 2.0, ``0.1``, ``1e-06``)."""
    text = repr(float(x))
    return text[:-2] if text.endswith(".0") else text


class Distribution:
    """Base class: a one-dimensional distribution evaluated through its quantile function."""

    def from_normal(self, z):
        """Value at standard normal draws ``z`` (the quantile at ``Phi(z)``)."""
        return self.ppf(special.ndtr(z))

    def from_normal_into(self, z: np.ndarray) -> np.ndarray:
        """:meth:`from_normal` written over ``z`` (a float64 array the caller gives up): the
        Monte Carlo's block of normals becomes the block of values without new arrays where a
        distribution allows it. Same values as :meth:`from_normal`, bit for bit."""
        return self.from_normal(z)

    def ppf(self, q):
        """Quantile function at probabilities ``q`` in (0, 1)."""
        raise NotImplementedError

    def bounds(self, zmax: float) -> tuple[float, float]:
        """An interval holding :meth:`from_normal` of every ``z`` with ``|z| <= zmax``.

        A quantile function does not decrease, so the values lie between the images of
        ``-zmax`` and ``zmax``; these are widened by a relative :data:`BOUNDS_SLACK` (and as
        much again absolutely), because a vectorised function may round a long array's
        elements differently in the last bits than two numbers on their own.

        >>> lo, hi = LogNormal(0.0, 1.0).bounds(2.0)
        >>> lo < math.exp(-2.0) < math.exp(2.0) < hi < 1.000001 * math.exp(2.0)
        True
        """
        with np.errstate(all="ignore"):  # an image beyond float range is a bound of inf
            lo, hi = (float(x) for x in self.from_normal(np.array([-zmax, zmax])))
        return (lo - BOUNDS_SLACK * (abs(lo) + 1e-300 + BOUNDS_SLACK),
                hi + BOUNDS_SLACK * (abs(hi) + 1e-300 + BOUNDS_SLACK))

    def quantile(self, q):
        """Alias of :meth:`ppf`."""
        return self.ppf(q)

    @property
    def median(self) -> float:
        return float(self.ppf(0.5))

    def sample(self, rng: np.random.Generator, n: int):
        """``n`` independent draws with ``rng``."""
        return self.from_normal(rng.standard_normal(n))

    def describe(self) -> str:
        return repr(self)


@dataclass(frozen=True)
class Constant(Distribution):
    """A fixed value (a point mass)."""

    value: float

    def __post_init__(self):
        _finite("constant", value=self.value)

    def from_normal(self, z):
        return np.full(np.shape(z), self.value, dtype=float)

    def ppf(self, q):
        return np.full(np.shape(q), self.value, dtype=float) if np.ndim(q) else self.value

    def bounds(self, zmax: float) -> tuple[float, float]:
        return float(self.value), float(self.value)

    @property
    def mean(self) -> float:
        return self.value

    @property
    def std(self) -> float:
        return 0.0

    def describe(self) -> str:
        return f"{_exact(self.value)}"


@dataclass(frozen=True)
class Normal(Distribution):
    """Normal with mean ``mean`` and standard deviation ``sd`` (>= 0)."""

    mean: float
    sd: float

    def __post_init__(self):
        _finite("normal", mean=self.mean, sd=self.sd)
        if not (self.sd >= 0):
            raise InputError(f"normal sd must be >= 0, got {self.sd:g}")
        if abs(self.mean) + 10 * self.sd > MAX_MAGNITUDE:
            raise InputError(f"normal({self.mean:g}, {self.sd:g}) reaches beyond "
                             f"{MAX_MAGNITUDE:g}; use a narrower distribution")

    def from_normal(self, z):
        return self.mean + self.sd * np.asarray(z, dtype=float)

    def from_normal_into(self, z: np.ndarray) -> np.ndarray:
        z *= self.sd
        z += self.mean
        return z

    def ppf(self, q):
        return self.from_normal(special.ndtri(q))

    @property
    def std(self) -> float:
        return self.sd

    def describe(self) -> str:
        return f"normal({_exact(self.mean)}, {_exact(self.sd)})"


@dataclass(frozen=True)
class LogNormal(Distribution):
    """Lognormal: ``exp(mu + sigma z)``; build it from a 90% interval with :meth:`interval`."""

    mu: float
    sigma: float

    def __post_init__(self):
        _finite("lognormal", mu=self.mu, sigma=self.sigma)
        if not self.sigma >= 0:
            raise InputError(f"lognormal sigma must be >= 0, got {self.sigma:g}")
        if abs(self.mu) + 8 * self.sigma > MAX_LOG:
            raise InputError(f"lognormal(mu={self.mu:g}, sigma={self.sigma:g}) spans more than "
                             f"e^{MAX_LOG:g}; use a narrower distribution")

    @classmethod
    def interval(cls, low: float, high: float) -> LogNormal:
        """Lognormal whose 5th and 95th percentiles are ``low`` and ``high`` (both > 0)."""
        _finite("lognormal", low=low, high=high)
        if not (low > 0 and high > 0):
            raise InputError(f"lognormal bounds must be > 0, got {low:g} to {high:g}")
        if low > high:
            raise InputError(f"low must be <= high, got {low:g} to {high:g}")
        mu = 0.5 * (math.log(low) + math.log(high))
        return cls(mu, (math.log(high) - math.log(low)) / (2 * Z95))

    def from_normal(self, z):
        return np.exp(self.mu + self.sigma * np.asarray(z, dtype=float))

    def from_normal_into(self, z: np.ndarray) -> np.ndarray:
        z *= self.sigma
        z += self.mu
        return np.exp(z, out=z)

    def ppf(self, q):
        return self.from_normal(special.ndtri(q))

    @property
    def mean(self) -> float:
        return math.exp(self.mu + 0.5 * self.sigma**2)

    @property
    def std(self) -> float:
        return math.sqrt(math.expm1(self.sigma**2)) * self.mean

    def describe(self) -> str:
        lo, hi = self.ppf(0.05), self.ppf(0.95)
        return f"lognormal({lo:.12g}, {hi:.12g})"  # derived from mu, sigma: 12 digits


@dataclass(frozen=True)
class Uniform(Distribution):
    """Uniform on [low, high]."""

    low: float
    high: float

    def __post_init__(self):
        _finite("uniform", low=self.low, high=self.high)
        if self.low > self.high:
            raise InputError(f"low must be <= high, got {self.low:g} to {self.high:g}")

    def ppf(self, q):
        return self.low + (self.high - self.low) * np.asarray(q, dtype=float)

    @property
    def mean(self) -> float:
        return 0.5 * (self.low + self.high)

    @property
    def std(self) -> float:
        return (self.high - self.low) / math.sqrt(12)

    def describe(self) -> str:
        return f"uniform({_exact(self.low)}, {_exact(self.high)})"


@dataclass(frozen=True)
class Triangular(Distribution):
    """Triangular on [low, high] with mode ``mode``."""

    low: float
    mode: float
    high: float

    def __post_init__(self):
        _finite("triangular", low=self.low, mode=self.mode, high=self.high)
        if not (self.low <= self.mode <= self.high) or self.low == self.high:
            raise InputError(
                f"triangular needs low <= mode <= high and low < high, got "
                f"{self.low:g}, {self.mode:g}, {self.high:g}"
            )

    def ppf(self, q):
        q = np.asarray(q, dtype=float)
        a, c, b = self.low, self.mode, self.high
        fc = (c - a) / (b - a)
        left = a + np.sqrt(q * (b - a) * (c - a))
        right = b - np.sqrt((1 - q) * (b - a) * (b - c))
        return np.where(q < fc, left, right)

    @property
    def mean(self) -> float:
        return (self.low + self.mode + self.high) / 3

    @property
    def std(self) -> float:
        a, c, b = self.low, self.mode, self.high
        return math.sqrt((a * a + b * b + c * c - a * b - a * c - b * c) / 18)

    def describe(self) -> str:
        return f"triangular({_exact(self.low)}, {_exact(self.mode)}, {_exact(self.high)})"


@dataclass(frozen=True)
class Beta(Distribution):
    """Beta(a, b) on [0, 1], a, b > 0."""

    a: float
    b: float

    def __post_init__(self):
        _finite("beta", a=self.a, b=self.b)
        if not (self.a > 0 and self.b > 0):
            raise InputError(f"beta parameters must be > 0, got {self.a:g}, {self.b:g}")

    def ppf(self, q):
        return special.betaincinv(self.a, self.b, np.asarray(q, dtype=float))

    @property
    def mean(self) -> float:
        return self.a / (self.a + self.b)

    @property
    def std(self) -> float:
        s = self.a + self.b
        return math.sqrt(self.a * self.b / (s * s * (s + 1)))

    def describe(self) -> str:
        return f"beta({_exact(self.a)}, {_exact(self.b)})"


@dataclass(frozen=True)
class Clipped(Distribution):
    """``base`` with values below ``low`` set to ``low`` and above ``high`` set to ``high``."""

    base: Distribution
    low: float | None = None
    high: float | None = None

    def __post_init__(self):
        _finite("clip", low=self.low, high=self.high)
        if self.low is not None and self.high is not None and self.low > self.high:
            raise InputError(f"clip low must be <= high, got {self.low:g} to {self.high:g}")

    def _clip(self, x):
        lo = -np.inf if self.low is None else self.low
        hi = np.inf if self.high is None else self.high
        return np.clip(x, lo, hi)

    def from_normal(self, z):
        return self._clip(self.base.from_normal(z))

    def from_normal_into(self, z: np.ndarray) -> np.ndarray:
        x = self.base.from_normal_into(z)
        lo = -np.inf if self.low is None else self.low
        hi = np.inf if self.high is None else self.high
        return np.clip(x, lo, hi, out=x) if x is z else self._clip(x)

    def ppf(self, q):
        return self._clip(self.base.ppf(q))

    def bounds(self, zmax: float) -> tuple[float, float]:
        """The base's bounds clipped (clipping does not decrease, and gives the clip's ends
        exactly)."""
        lo, hi = self.base.bounds(zmax)
        a = -math.inf if self.low is None else self.low
        b = math.inf if self.high is None else self.high
        return min(max(lo, a), b), min(max(hi, a), b)

    def describe(self) -> str:
        lo = "_" if self.low is None else f"{_exact(self.low)}"
        hi = "_" if self.high is None else f"{_exact(self.high)}"
        return f"clip({self.base.describe()}, {lo}, {hi})"


def from_interval(low: float, high: float) -> Distribution:
    """Squiggle's ``low to high``: a 90% interval, lognormal when both ends are > 0.

    Examples
    --------
    >>> d = from_interval(10, 40)
    >>> [round(float(x), 6) for x in d.ppf([0.05, 0.95])]
    [10.0, 40.0]
    >>> type(from_interval(-1, 1)).__name__
    'Normal'
    """
    if low > high:
        raise InputError(f"low must be <= high, got {low:g} to {high:g}")
    if low == high:
        return Constant(float(low))
    if low > 0:
        return LogNormal.interval(low, high)
    return Normal(0.5 * (low + high), (high - low) / (2 * Z95))


_CALL = re.compile(r"^\s*([a-z_]+)\s*\((.*)\)\s*$", re.S)
_TO = re.compile(r"\s+to\s+")


def _split_args(text: str) -> list[str]:
    """Split on top-level commas."""
    parts, depth, cur = [], 0, []
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur).strip())
    return parts


#: Longest distribution text and deepest nesting read (``clip(lognormal(...), 0, 1)`` is 2).
MAX_TEXT, MAX_NESTING = 500, 8


def parse(text, *, unit: str = "", name: str = "value") -> Distribution:
    """Parse a number, a quantity or a distribution in Squiggle's conventions.

    Parameters
    ----------
    text : str or number
        ``30000``, ``"150 MW"``, ``"25000 to 40000"``, ``"normal(0.4, 0.05)"``,
        ``"clip(normal(0.4, 0.1), 0, 1)"``...
    unit : str
        Canonical unit of the input (a pint expression, ``""`` for plain numbers); numbers
        written with a unit are converted to it.
    name : str
        Name used in error messages.

    Returns
    -------
    Distribution

    Examples
    --------
    >>> parse("0.05 to 0.09").describe()
    'lognormal(0.05, 0.09)'
    >>> parse("clip(normal(0.4, 0.1), 0, 1)").describe()
    'clip(normal(0.4, 0.1), 0, 1)'
    >>> parse("$25k to $40k", unit="USD").describe()
    'lognormal(25000, 40000)'
    """
    if isinstance(text, Distribution):
        return text
    if isinstance(text, bool) or not isinstance(text, (int, float, str)):
        raise InputError(f"{name} must be a number, a quantity or a distribution, got {text!r}")
    if isinstance(text, (int, float)):
        return Constant(float(text))
    if len(text) > MAX_TEXT:
        raise InputError(f"{name}: a distribution is at most {MAX_TEXT} characters, got "
                         f"{len(text):,}")
    depth = deepest = 0
    for ch in text:
        depth += (ch == "(") - (ch == ")")
        deepest = max(deepest, depth)
    if deepest > MAX_NESTING:
        raise InputError(f"{name}: distributions nest at most {MAX_NESTING} deep, got {deepest}")

    def num(s: str) -> float:
        from ..units import parse as parse_unit

        try:
            return parse_unit(s, unit, name=name)
        except InputError:
            if unit:
                raise
            raise InputError(f"{name}: cannot read {s!r} as a number") from None

    try:
        m = _CALL.match(text)
        if m:
            fn, args = m.group(1).lower(), _split_args(m.group(2))
            if fn == "clip":
                if len(args) != 3:
                    raise InputError(f"{name}: clip takes (distribution, low, high), got {text!r}")
                base = parse(args[0], unit=unit, name=name)
                lo = None if args[1] in ("_", "") else num(args[1])
                hi = None if args[2] in ("_", "") else num(args[2])
                return Clipped(base, lo, hi)
            arity = {"normal": 2, "lognormal": 2, "uniform": 2, "triangular": 3, "beta": 2}
            if fn not in arity:
                from ..errors import unknown

                raise InputError(f"{name}: " + unknown("distribution", fn, list(arity) + ["clip"]))
            if len(args) != arity[fn]:
                raise InputError(f"{name}: {fn} takes {arity[fn]} arguments, got {len(args)}")
            if fn == "beta":  # shape parameters carry no unit
                vals = [float(parse(a, name=name).ppf(0.5)) for a in args]
                return Beta(*vals)
            vals = [num(a) for a in args]
            if fn == "normal":
                return Normal(*vals)
            if fn == "lognormal":
                return LogNormal.interval(*vals)
            if fn == "uniform":
                return Uniform(*vals)
            return Triangular(*vals)
        parts = _TO.split(text.strip())
        if len(parts) == 2:
            return from_interval(num(parts[0]), num(parts[1]))
        if len(parts) > 2:
            raise InputError(f"{name}: cannot read {text!r} as an interval 'a to b'")
        return Constant(num(text))
    except InputError as exc:
        msg = str(exc)
        if not msg.startswith(name):
            msg = f"{name}: {msg}"
        raise InputError(msg) from None
