"""Load, validate and look up the catalog: sourced data with ranges and aliases.

The catalog is a folder of TOML files, one per kind (``accelerators.toml``, ``sites.toml``...);
their format and fields are specified in :mod:`siliconomics.catalog.schema`. Loading validates
every entry (required fields, a source and date on every value, constraints on values and their
ranges) and names the file, entry and field of anything wrong.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import CatalogError, unknown
from . import schema

DATA_DIR = Path(__file__).parent
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True)
class Value:
    """One catalog value with its provenance.

    ``low``/``high`` bound the default 90% interval used by Monte Carlo; both are ``None`` for
    exact values. ``assumption`` marks a value that no published figure supports directly.
    """

    value: Any
    source: str
    as_of: str
    low: float | None = None
    high: float | None = None
    assumption: bool = False
    note: str = ""
    url: str = ""

    @property
    def is_uncertain(self) -> bool:
        """True when the value carries a range."""
        return self.low is not None and self.high is not None and self.low != self.high

    def describe(self) -> str:
        """``"30000 (25000 to 40000)"``-style text."""
        text = _fmt(self.value)
        if self.is_uncertain:
            text += f" ({_fmt(self.low)} to {_fmt(self.high)})"
        return text


def _fmt(x) -> str:
    if isinstance(x, float):
        return f"{x:,.6g}" if abs(x) < 1e6 else f"{x:.4g}"
    if isinstance(x, int) and not isinstance(x, bool):
        return f"{x:,}" if abs(x) >= 10000 else str(x)
    return str(x)


@dataclass(frozen=True)
class Entry:
    """One named catalog entry: an accelerator, a site, a financing preset...

    Numeric fields read as attributes give the central value (``entry.tdp_w``);
    :meth:`value` gives the :class:`Value` with its range and source.
    """

    kind: str
    slug: str
    name: str
    source: str
    as_of: str
    aliases: tuple[str, ...] = ()
    fields: Mapping[str, Value] = field(default_factory=dict)
    note: str = ""

    def __getattr__(self, attr: str):
        fields = object.__getattribute__(self, "fields")
        if attr in fields:
            return fields[attr].value
        spec = schema.KINDS.get(object.__getattribute__(self, "kind"), {})
        if attr in spec:  # optional field not given
            return None
        raise AttributeError(
            f"{object.__getattribute__(self, 'kind')} entry has no field {attr!r}"
        )

    def value(self, name: str) -> Value:
        """The :class:`Value` of field ``name`` (with its source and range)."""
        try:
            return self.fields[name]
        except KeyError:
            raise CatalogError(unknown(f"field of {self.slug}", name, self.fields)) from None

    def get(self, name: str, default=None):
        """Central value of ``name``, or ``default`` when the entry lacks it."""
        v = self.fields.get(name)
        return default if v is None else v.value

    def replace(self, **values) -> Entry:
        """A copy with some fields replaced by user values (sourced as ``"user input"``)."""
        fields = dict(self.fields)
        for k, v in values.items():
            if k not in schema.KINDS.get(self.kind, {}):
                raise CatalogError(unknown(f"{self.kind[:-1]} field", k, schema.KINDS[self.kind]))
            fields[k] = v if isinstance(v, Value) else Value(v, "user input", "")
        return dataclasses.replace(self, fields=fields)

    def provenance(self) -> list[dict[str, Any]]:
        """One row per field: name, value, low, high, source, as_of, assumption."""
        return [
            {
                "field": k,
                "value": v.value,
                "low": v.low,
                "high": v.high,
                "source": v.source,
                "as_of": v.as_of,
                "assumption": v.assumption,
                "note": v.note,
            }
            for k, v in self.fields.items()
        ]


class Catalog:
    """All entries of all kinds, loaded from a folder of TOML files."""

    def __init__(self, directory: Path | str = DATA_DIR):
        self.directory = Path(directory)
        self._entries: dict[str, dict[str, Entry]] = {}
        self._aliases: dict[str, dict[str, str]] = {}
        for path in sorted(self.directory.glob("*.toml")):
            kind = path.stem
            if kind not in schema.KINDS:
                continue  # overlays and unrelated files are loaded on request only
            self._load_kind(kind, path)

    # Loading ------------------------------------------------------------------------------
    def _load_kind(self, kind: str, path: Path) -> None:
        try:
            with path.open("rb") as fh:
                raw = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise CatalogError(f"{path.name}: not valid TOML: {exc}") from None
        entries, aliases = {}, {}
        for slug, body in raw.items():
            where = f"{path.name} [{slug}]"
            if not isinstance(body, dict):
                raise CatalogError(f"{where}: an entry must be a table")
            entry = _parse_entry(kind, slug, body, where)
            entries[slug] = entry
            for name in (slug, *entry.aliases):
                key = _key(name)
                if key in aliases and aliases[key] != slug:
                    raise CatalogError(f"{where}: alias {name!r} already names {aliases[key]!r}")
                aliases[key] = slug
        self._entries[kind] = entries
        self._aliases[kind] = aliases

    def add_overlay(self, path: Path | str) -> None:
        """Replace fields of existing entries with those of an overlay TOML file.

        An overlay has tables ``[kind.slug]`` holding value tables (each with a source), e.g. the
        efficiency factors fitted by ``siliconomics calibrate``.
        """
        path = Path(path)
        try:
            raw = tomllib.loads(path.read_text())
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise CatalogError(f"{path}: cannot read overlay: {exc}") from None
        for kind, entries in raw.items():
            for slug, body in entries.items():
                entry = self.get(kind, slug)
                where = f"{path.name} [{kind}.{slug}]"
                spec = schema.KINDS[kind]
                new = {}
                for k, v in body.items():
                    if k not in spec:
                        raise CatalogError(f"{where}: " + unknown("field", k, spec))
                    new[k] = _parse_value(spec[k], v, where + f" {k}", entry.source, entry.as_of)
                self._entries[kind][entry.slug] = entry.replace(**new)

    # Lookup -------------------------------------------------------------------------------
    def kinds(self) -> list[str]:
        """Kinds present in this catalog."""
        return list(self._entries)

    def names(self, kind: str) -> list[str]:
        """Slugs of every entry of ``kind``, in file order."""
        return list(self._kind(kind))

    def entries(self, kind: str) -> Iterator[Entry]:
        """Every entry of ``kind``."""
        return iter(self._kind(kind).values())

    def get(self, kind: str, name: str | Entry) -> Entry:
        """Entry ``name`` (slug or alias, case-insensitive) of ``kind``."""
        if isinstance(name, Entry):
            return name
        entries = self._kind(kind)
        slug = self._aliases[kind].get(_key(str(name)))
        if slug is None:
            raise CatalogError(unknown(kind.rstrip("s").replace("financing", "financing preset"),
                                       str(name), entries))
        return entries[slug]

    def _kind(self, kind: str) -> dict[str, Entry]:
        try:
            return self._entries[kind]
        except KeyError:
            raise CatalogError(unknown("catalog kind", kind, self._entries)) from None

    def find(self, name: str) -> Entry:
        """Entry named ``name`` in whichever kind holds it."""
        for kind in self._entries:
            slug = self._aliases[kind].get(_key(name))
            if slug is not None:
                return self._entries[kind][slug]
        everything = [s for k in self._entries for s in self._entries[k]]
        raise CatalogError(unknown("catalog entry", name, everything))


def _key(name: str) -> str:
    return re.sub(r"[\s_]+", "-", name.strip().lower())


def _parse_entry(kind: str, slug: str, body: dict, where: str) -> Entry:
    spec = schema.KINDS[kind]
    if not re.fullmatch(r"[a-z0-9][a-z0-9.\-]*", slug):
        raise CatalogError(f"{where}: slug must be lowercase letters, digits, '-' or '.'")
    for key in ("source", "as_of"):
        if not isinstance(body.get(key), str) or not body.get(key):
            raise CatalogError(f"{where}: missing entry-level {key!r} (the default provenance)")
    source, as_of = body["source"], body["as_of"]
    if not _DATE.match(as_of):
        raise CatalogError(f"{where}: as_of must be YYYY, YYYY-MM or YYYY-MM-DD, got {as_of!r}")
    unknown_keys = set(body) - set(spec) - schema.COMMON_KEYS
    if unknown_keys:
        k = sorted(unknown_keys)[0]
        raise CatalogError(f"{where}: " + unknown("field", k, spec))
    missing = [k for k, f in spec.items() if f.required and k not in body]
    if missing:
        raise CatalogError(f"{where}: missing required field(s) {', '.join(missing)}")
    fields = {
        k: _parse_value(spec[k], body[k], f"{where} {k}", source, as_of)
        for k in spec
        if k in body
    }
    aliases = body.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise CatalogError(f"{where}: aliases must be a list of strings")
    return Entry(
        kind=kind,
        slug=slug,
        name=str(body.get("name", slug)),
        source=source,
        as_of=as_of,
        aliases=tuple(aliases),
        fields=fields,
        note=str(body.get("note", "")),
    )


def _parse_value(spec: schema.Field, raw, where: str, source: str, as_of: str) -> Value:
    if isinstance(raw, Value):
        return raw
    if isinstance(raw, dict):
        extra = set(raw) - schema.VALUE_KEYS
        if extra:
            raise CatalogError(f"{where}: " + unknown("value key", sorted(extra)[0], schema.VALUE_KEYS))
        for key in ("value", "source", "as_of"):
            if key not in raw:
                raise CatalogError(f"{where}: a value table needs {key!r}")
        if not _DATE.match(str(raw["as_of"])):
            raise CatalogError(f"{where}: as_of must be YYYY, YYYY-MM or YYYY-MM-DD, got {raw['as_of']!r}")
        if ("low" in raw) != ("high" in raw):
            raise CatalogError(f"{where}: give both low and high, or neither")
        value = Value(
            value=_typed(spec, raw["value"], where),
            source=str(raw["source"]),
            as_of=str(raw["as_of"]),
            low=_typed(spec, raw["low"], where + " low") if "low" in raw else None,
            high=_typed(spec, raw["high"], where + " high") if "high" in raw else None,
            assumption=bool(raw.get("assumption", False)),
            note=str(raw.get("note", "")),
            url=str(raw.get("url", "")),
        )
        if value.low is not None and not (value.low <= value.value <= value.high):
            raise CatalogError(
                f"{where}: need low <= value <= high, got {value.low} / {value.value} / {value.high}"
            )
        return value
    return Value(value=_typed(spec, raw, where), source=source, as_of=as_of)


def _typed(spec: schema.Field, raw, where: str):
    if spec.kind == "text":
        if not isinstance(raw, str):
            raise CatalogError(f"{where}: must be text, got {raw!r}")
        return raw
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        raise CatalogError(f"{where}: must be a number, got {raw!r}")
    if spec.kind == "integer":
        if int(raw) != raw:
            raise CatalogError(f"{where}: must be a whole number, got {raw!r}")
        raw = int(raw)
    else:
        raw = float(raw)
    if spec.positive and not raw > 0:
        raise CatalogError(f"{where}: must be > 0, got {raw}")
    if spec.minimum is not None and raw < spec.minimum:
        raise CatalogError(f"{where}: must be >= {spec.minimum}, got {raw}")
    if spec.maximum is not None and raw > spec.maximum:
        raise CatalogError(f"{where}: must be <= {spec.maximum}, got {raw}")
    return raw
