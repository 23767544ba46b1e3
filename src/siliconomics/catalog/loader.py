"""Load, validate and look up the catalog: sourced data with ranges and aliases.

The catalog is a folder of TOML files, one per kind (``accelerators.toml``, ``sites.toml``...);
their format and fields are specified in :mod:`siliconomics.catalog.schema`. Loading validates
every entry (required fields, a source and date on every value, constraints on values and their
ranges) and names the file, entry and field of anything wrong.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import CatalogError, unknown
from . import schema

DATA_DIR = Path(__file__).parent

#: What one entry of each kind is called in messages ("unknown memory technology 'hbm9'").
KIND_NAMES = {"accelerators": "accelerator", "memory": "memory technology", "nodes": "node",
              "packaging": "packaging class", "systems": "system", "sites": "site",
              "financing": "financing preset", "models": "model", "assumptions": "assumption",
              "token_prices": "token price point", "provider_types": "provider type",
              "market_parameters": "market parameter", "supply_capacity": "supply series",
              "export_regions": "export region"}
#: ``Entry.origin`` of the catalog's own entries (user entries carry their file's path).
BUILT_IN = "built-in"
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
    layer: str = "catalog"  # who set it: catalog, user catalog FILE, scenario, --set, api

    @property
    def is_uncertain(self) -> bool:
        """True when the value carries a range."""
        return self.low is not None and self.high is not None and self.low != self.high

    def describe(self) -> str:
        """``"30000 (25000 to 40000)"``-style text."""
        if isinstance(self.value, tuple) and self.value and isinstance(self.value[0], Point):
            return f"{len(self.value)} points, {self.value[0].date} to {self.value[-1].date}"
        text = _fmt(self.value)
        if self.is_uncertain:
            text += f" ({_fmt(self.low)} to {_fmt(self.high)})"
        return text


@dataclass(frozen=True)
class Point:
    """One dated point of a price series (``points`` of a ``price_history`` entry)."""

    date: str
    value: float
    source: str
    low: float | None = None
    high: float | None = None
    note: str = ""
    url: str = ""

    @property
    def year(self) -> float:
        """The date as a fractional year at the middle of its period (2024-07 -> 2024.54)."""
        return decimal_year(self.date)


#: Years a date may name: from the first integrated circuits to well past any projection.
DATE_YEARS = (1950, 2200)


def decimal_year(date: str) -> float:
    """``"2024"`` -> 2024.5, ``"2024-07"`` -> 2024 + 6.5/12, ``"2024-07-01"`` -> the day's middle.

    A date names a period (a year, a month, a day); its middle is where a point of that period
    sits on a time axis.

    >>> decimal_year("2024"), round(decimal_year("2024-07"), 4)
    (2024.5, 2024.5417)
    >>> decimal_year("2026-13")
    Traceback (most recent call last):
    ...
    siliconomics.errors.InputError: date '2026-13' has month 13; months run from 1 to 12
    """
    import datetime as _dt

    from ..errors import InputError

    if not _DATE.match(str(date)):
        raise InputError(f"date must be YYYY, YYYY-MM or YYYY-MM-DD, got {str(date)[:40]!r}")
    parts = [int(p) for p in str(date).split("-")]
    if not DATE_YEARS[0] <= parts[0] <= DATE_YEARS[1]:
        raise InputError(f"date {date!r} is outside the years {DATE_YEARS[0]} to "
                         f"{DATE_YEARS[1]} the catalog covers")
    if len(parts) == 1:
        return parts[0] + 0.5
    if not 1 <= parts[1] <= 12:
        raise InputError(f"date {date!r} has month {parts[1]}; months run from 1 to 12")
    if len(parts) == 2:
        return parts[0] + (parts[1] - 0.5) / 12.0
    try:
        d = _dt.date(*parts)
    except ValueError as exc:
        raise InputError(f"date {date!r} is not a calendar date ({exc})") from None
    start = _dt.date(parts[0], 1, 1)
    days = (_dt.date(parts[0] + 1, 1, 1) - start).days
    return parts[0] + ((d - start).days + 0.5) / days


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
    status: str = "shipping"  # shipping, announced, hypothetical or historical
    origin: str = BUILT_IN  # "built-in", or the user catalog file that defined the entry
    parent: str | None = None  # slug this entry extends
    own: frozenset = frozenset()  # fields set in this entry's own table (not inherited)

    @property
    def is_user(self) -> bool:
        """True for an entry defined or changed by a user catalog file."""
        return self.origin != BUILT_IN

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
        """A copy with some fields replaced by user values (sourced as ``"user input"``).

        Values may be :class:`Value` objects (kept as they are) or plain numbers or arrays.
        """
        fields = dict(self.fields)
        for k, v in values.items():
            if k not in schema.KINDS.get(self.kind, {}):
                raise CatalogError(unknown(f"{self.kind.rstrip('s')} field", k,
                                           schema.KINDS[self.kind]))
            fields[k] = v if isinstance(v, Value) else Value(v, "user input", "", layer="api")
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
                "layer": v.layer,
            }
            for k, v in self.fields.items()
        ]


class Catalog:
    """All entries of all kinds: the built-in TOML files, then the user's catalog files.

    Parameters
    ----------
    directory : path
        Folder of built-in TOML files, one per kind (``accelerators.toml``...).
    files : sequence of paths
        User catalog files (``--catalog``), loaded in order after the built-in files. Their
        tables are ``[kind.slug]``: a new entry (every required field), an entry derived from
        another with ``extends = "slug"`` (only the fields that change), or a patch of an
        existing entry (its slug, only the fields that change). Entries from these files are
        marked with their file in :attr:`Entry.origin`.
    """

    def __init__(self, directory: Path | str = DATA_DIR, files=()):
        self.directory = Path(directory)
        self.files: tuple[Path, ...] = ()
        self._entries: dict[str, dict[str, Entry]] = {}
        self._aliases: dict[str, dict[str, str]] = {}
        raw: dict[str, dict[str, tuple[dict, str]]] = {}
        for kind in schema.KINDS:  # every kind exists, with or without a file of entries
            self._entries[kind], self._aliases[kind] = {}, {}
        for path in sorted(self.directory.glob("*.toml")):
            kind = path.stem
            if kind not in schema.KINDS:
                continue  # unrelated files are ignored
            data = _read(path, CatalogError, cache=True)
            raw[kind] = {}
            for slug, body in data.items():
                where = f"{path.name} [{slug}]"
                if not isinstance(body, dict):
                    raise CatalogError(f"{where}: an entry must be a table")
                raw[kind][slug] = (body, where)
            self._entries[kind], self._aliases[kind] = {}, {}
        self._build(raw, origin=BUILT_IN)
        self._check_references(BUILT_IN)
        for path in files:
            self.add_file(path)

    # Loading ------------------------------------------------------------------------------
    def _build(self, raw: dict[str, dict[str, tuple[dict, str]]], origin: str) -> None:
        """Turn raw tables into entries: memory and other kinds before accelerators (an
        accelerator derived with another memory rescales its capacity and bandwidth)."""
        order = sorted(raw, key=lambda k: (k == "accelerators", k))
        for kind in order:
            pending = dict(raw[kind])
            visiting: list[str] = []

            def build(slug: str) -> Entry:
                body, where = pending[slug]
                parent_slug = body.get("extends")
                name = slug
                if parent_slug is None and origin != BUILT_IN and self._has(kind, slug):
                    name = parent_slug = self.get(kind, slug).slug  # a patch of an existing entry
                if parent_slug is None:
                    entry = _parse_entry(kind, name, body, where, origin)
                else:
                    if not isinstance(parent_slug, str):
                        raise CatalogError(f"{where}: extends must name an entry, got {parent_slug!r}")
                    parent = self._parent(kind, slug, parent_slug, pending, visiting, build, where)
                    entry = _derive_entry(kind, name, body, where, origin, parent, self)
                self._add(kind, entry, where)
                del pending[slug]
                return entry

            while pending:
                build(next(iter(pending)))

    def _parent(self, kind, slug, parent_slug, pending, visiting, build, where) -> Entry:
        key = _key(parent_slug)
        local = next((s for s in pending if _key(s) == key and s != slug), None)
        if local is not None:  # defined later in the same files: build it first
            if local in visiting:
                chain = " -> ".join([*visiting, local])
                raise CatalogError(f"{where}: extends forms a cycle ({chain})")
            visiting.append(slug)
            try:
                return build(local)
            finally:
                visiting.pop()
        try:
            return self.get(kind, parent_slug)
        except CatalogError as exc:
            raise CatalogError(f"{where}: extends {exc}") from None

    def _has(self, kind: str, slug: str) -> bool:
        return _key(slug) in self._aliases.get(kind, {})

    def _add(self, kind: str, entry: Entry, where: str) -> None:
        entries = self._entries.setdefault(kind, {})
        aliases = self._aliases.setdefault(kind, {})
        old = entries.get(entry.slug)
        if old is not None:  # a patch replaces the entry; its old aliases go with it
            for name in (old.slug, *old.aliases):
                aliases.pop(_key(name), None)
        for name in (entry.slug, *entry.aliases):
            key = _key(name)
            if key in aliases and aliases[key] != entry.slug:
                raise CatalogError(f"{where}: alias {name!r} already names {aliases[key]!r}")
        for name in (entry.slug, *entry.aliases):
            aliases[_key(name)] = entry.slug
        entries[entry.slug] = entry

    def add_file(self, path: Path | str) -> None:
        """Load a user catalog file (see the class docstring); nothing changes if it fails."""
        path = Path(path)
        data = _read(path, CatalogError)
        if not data:
            raise CatalogError(f"{path}: catalog file has no entries; define tables such as "
                               "[accelerators.my-chip] (see examples/memory_breakthrough.toml)")
        raw: dict[str, dict[str, tuple[dict, str]]] = {}
        for kind, tables in data.items():
            if kind not in schema.KINDS:
                raise CatalogError(f"{path}: " + unknown("catalog kind", kind, schema.KINDS)
                                   + " (tables are [kind.slug], e.g. [accelerators.my-chip])")
            if not isinstance(tables, dict):
                raise CatalogError(f"{path}: [{kind}] must hold tables [{kind}.slug]")
            for slug, body in tables.items():
                where = f"{path} [{kind}.{slug}]"
                if not isinstance(body, dict):
                    raise CatalogError(f"{where}: an entry must be a table")
                raw.setdefault(kind, {})[slug] = (body, where)
        backup = ({k: dict(v) for k, v in self._entries.items()},
                  {k: dict(v) for k, v in self._aliases.items()})
        try:
            self._build(raw, origin=str(path))
            self._check_references(str(path))
        except CatalogError:
            self._entries, self._aliases = backup
            raise
        self.files = (*self.files, path)
        self.__dict__.pop("_reference_costs", None)  # cached costs of price anchors

    def add_overlay(self, path: Path | str) -> None:
        """Patch existing entries with a file of ``[kind.slug]`` tables (:meth:`add_file`)."""
        self.add_file(path)

    #: True for the process's built-in catalog (set by :func:`siliconomics.catalog.builtin`);
    #: copies and catalogs with user files are not.
    _builtin: bool = False

    def __reduce_ex__(self, protocol):
        """The built-in catalog pickles as a reference (its files' digest) that the receiving
        process resolves to its own built-in catalog, loaded once per process: a Monte Carlo
        plan sent to Dask workers carries a few bytes instead of half a megabyte of entries.
        Any other catalog (user files, ``--set`` copies) pickles whole."""
        if self._builtin:
            return _builtin_catalog, (builtin_digest(self.directory),)
        return super().__reduce_ex__(protocol)

    def copy(self) -> Catalog:
        """An independent copy (entries are immutable, so the copy is shallow)."""
        new = object.__new__(Catalog)
        new.directory, new.files = self.directory, self.files
        new._entries = {k: dict(v) for k, v in self._entries.items()}
        new._aliases = {k: dict(v) for k, v in self._aliases.items()}
        return new

    def _check_references(self, origin: str) -> None:
        """Every reference names an entry of the right kind; memory specs are consistent."""
        for kind, refs in schema.REFERENCES.items():
            for entry in self._entries.get(kind, {}).values():
                if origin != BUILT_IN and entry.origin != origin:
                    continue
                where = _where(entry)
                for field_name, target in refs.items():
                    name = entry.get(field_name)
                    if name is None or target not in self._entries:
                        continue
                    if not self._has(target, name):
                        raise CatalogError(f"{where} {field_name}: " + unknown(
                            KIND_NAMES.get(target, target), str(name), self._entries[target]))
                if kind == "accelerators" and "memory" in self._entries:
                    check_memory(entry, self.get("memory", entry.memory), where)
        for entry in self._entries.get("price_history", {}).values():
            if origin != BUILT_IN and entry.origin != origin:
                continue
            self._check_series(entry)

    def _check_series(self, entry: Entry) -> None:
        where = _where(entry)
        kind, _, slug = str(entry.subject).partition(".")
        if kind not in self._entries:
            raise CatalogError(f"{where} subject: " + unknown("catalog kind", kind, self._entries)
                               + " (write kind.slug, e.g. accelerators.h100-sxm)")
        if not self._has(kind, slug):
            raise CatalogError(f"{where} subject: " + unknown(
                KIND_NAMES.get(kind, kind), slug, self._entries[kind]))
        if entry.measure not in schema.MEASURES:
            raise CatalogError(f"{where} measure: " + unknown("measure", str(entry.measure),
                                                               schema.MEASURES))

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
            raise CatalogError(unknown(KIND_NAMES.get(kind, kind.rstrip("s")), str(name), entries))
        return entries[slug]

    def _kind(self, kind: str) -> dict[str, Entry]:
        try:
            return self._entries[kind]
        except KeyError:
            raise CatalogError(unknown("catalog kind", kind, self._entries)) from None

    def find(self, name: str) -> Entry:
        """Entry named ``name`` in whichever kind holds it: a slug or alias (the first kind in
        catalog order that holds it), or ``kind.slug`` for one kind's entry where several share
        a name (``serving_efficiency.h100-sxm``)."""
        found = self.find_all(name)
        if not found:
            everything = dict.fromkeys(s for k in self._entries for s in self._entries[k])
            raise CatalogError(unknown("catalog entry", name, everything))
        return found[0]

    def find_all(self, name: str) -> list[Entry]:
        """Every entry named ``name``, one per kind that holds it, in catalog order: the entries
        whose slug or alias it is, and those of other kinds under their slug (``h100`` is the
        accelerator ``h100-sxm``, and so also its ``serving_efficiency.h100-sxm``). For
        ``kind.slug``, that kind's entry alone (an unknown one: an error naming the kind's
        closest)."""
        kind, dot, rest = str(name).partition(".")
        if dot and kind in self._entries:
            found = self._named(rest)
            mine = [e for e in found if e.kind == kind]
            return mine or [self.get(kind, rest)]
        return self._named(str(name))

    def _named(self, name: str) -> list[Entry]:
        key = _key(name)
        keys = {key} | {self._aliases[k][key] for k in self._entries if key in self._aliases[k]}
        return [self._entries[k][slug] for k in self._entries
                if (slug := next((self._aliases[k][x] for x in sorted(keys)
                                  if x in self._aliases[k]), None)) is not None]


def _key(name: str) -> str:
    return re.sub(r"[\s_]+", "-", name.strip().lower())


def _read(path: Path, error_type, cache: bool = False) -> dict:
    from .. import io

    return io.read_toml(path, what="catalog file", error_type=error_type, cache=cache)


def _where(entry: Entry) -> str:
    origin = f"{entry.kind}.toml" if not entry.is_user else entry.origin
    return f"{origin} [{entry.kind}.{entry.slug}]" if entry.is_user else f"{origin} [{entry.slug}]"


def _entry_provenance(body: dict, where: str, *, required: bool) -> tuple[str, str]:
    for key in ("source", "as_of"):
        if key in body and (not isinstance(body[key], str) or not body[key]):
            raise CatalogError(f"{where}: entry-level {key!r} must be non-empty text")
        if required and key not in body:
            raise CatalogError(f"{where}: missing entry-level {key!r} (the default provenance)")
    as_of = body.get("as_of", "")
    if as_of and not _DATE.match(as_of):
        raise CatalogError(f"{where}: as_of must be YYYY, YYYY-MM or YYYY-MM-DD, got {as_of!r}")
    return body.get("source", ""), as_of


def _check_keys(kind: str, slug: str, body: dict, where: str) -> None:
    if not re.fullmatch(r"[a-z0-9][a-z0-9.\-]*", slug):
        raise CatalogError(f"{where}: slug must be lowercase letters, digits, '-' or '.'")
    spec = schema.KINDS[kind]
    unknown_keys = set(body) - set(spec) - schema.COMMON_KEYS
    if unknown_keys:
        k = sorted(unknown_keys)[0]
        raise CatalogError(f"{where}: " + unknown("field", k, spec))


def _aliases(body: dict, where: str) -> tuple[str, ...]:
    aliases = body.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise CatalogError(f"{where}: aliases must be a list of strings")
    return tuple(aliases)


def _layer(origin: str) -> str:
    return "catalog" if origin == BUILT_IN else f"user catalog {origin}"


def _status(body: dict, where: str, default: str = "shipping") -> str:
    status = body.get("status", default)
    if status not in schema.STATUSES:
        raise CatalogError(f"{where}: " + unknown("status", str(status), schema.STATUSES))
    return status


def _with_config(kind: str, body: dict, where: str, origin: str) -> dict:
    """A model table with the architecture fields of its ``config`` file filled in (the
    table's own fields win), each sourced to that file."""
    if kind != "models" or "config" not in body:
        return body
    from .hf_config import config_fields

    ref = body["config"]
    ref = ref.get("value") if isinstance(ref, dict) else ref
    if not isinstance(ref, str):
        raise CatalogError(f"{where} config: must be the path of a config.json, got {ref!r}")
    base = DATA_DIR if origin == BUILT_IN else Path(origin).parent
    path = Path(ref) if Path(ref).is_absolute() else base / ref
    from ..errors import InputError

    try:
        fields = config_fields(path)
    except InputError as exc:
        raise CatalogError(f"{where} config: {exc}") from None
    source = f"Hugging Face config.json ({ref})"
    as_of = body.get("as_of", "") or "2000"
    out = {k: {"value": v, "source": source, "as_of": as_of} for k, v in fields.items()
           if k in schema.MODEL}
    return out | body


def _parse_entry(kind: str, slug: str, body: dict, where: str, origin: str = BUILT_IN) -> Entry:
    spec = schema.KINDS[kind]
    _check_keys(kind, slug, body, where)
    body = _with_config(kind, body, where, origin)
    source, as_of = _entry_provenance(body, where, required=True)
    missing = [k for k, f in spec.items() if f.required and k not in body]
    if missing:
        raise CatalogError(f"{where}: missing required field(s) {', '.join(missing)}")
    layer = _layer(origin)
    fields = {
        k: _parse_value(spec[k], body[k], f"{where} {k}", source, as_of, layer)
        for k in spec
        if k in body
    }
    return Entry(kind=kind, slug=slug, name=str(body.get("name", slug)), source=source,
                 as_of=as_of, aliases=_aliases(body, where), fields=fields,
                 note=str(body.get("note", "")), status=_status(body, where), origin=origin,
                 own=frozenset(fields))


def _derive_entry(kind: str, slug: str, body: dict, where: str, origin: str, parent: Entry,
                  catalog) -> Entry:
    """An entry that takes ``parent``'s fields and changes those its table gives.

    Bare numbers in the table need an entry-level ``source`` and ``as_of``; value tables carry
    their own. An accelerator given another memory or stack count keeps its datasheet capacity
    and bandwidth in proportion (:func:`rescale_memory`) unless the table restates them.
    """
    spec = schema.KINDS[kind]
    _check_keys(kind, slug, body, where)
    body = _with_config(kind, body, where, origin)
    bare = [k for k in spec if k in body and not isinstance(body[k], dict)]
    if bare and not (body.get("source") and body.get("as_of")):
        raise CatalogError(f"{where}: {bare[0]} is a bare value; give an entry-level 'source' "
                           f"and 'as_of', or write it as {{ value, source, as_of }}")
    source, as_of = _entry_provenance(body, where, required=False)
    layer = _layer(origin)
    changed = {k: _parse_value(spec[k], body[k], f"{where} {k}", source, as_of, layer)
               for k in spec if k in body}
    for name, target in schema.REFERENCES.get(kind, {}).items():
        if name in changed and target in catalog._entries:
            ref = changed[name].value
            if not catalog._has(target, ref):
                raise CatalogError(f"{where} {name}: " + unknown(
                    KIND_NAMES.get(target, target), str(ref), catalog._entries[target]))
    fields = dict(parent.fields) | changed
    if kind == "accelerators":
        fields = rescale_memory(parent, fields, set(changed), catalog.get, layer)
    same = parent.slug == slug
    return Entry(
        kind=kind, slug=slug,
        name=str(body.get("name", parent.name if same else slug)),
        source=source or parent.source, as_of=as_of or parent.as_of,
        aliases=_aliases(body, where) if ("aliases" in body or not same) else parent.aliases,
        fields=fields, note=str(body.get("note", parent.note if same else "")),
        status=_status(body, where, parent.status), origin=origin,
        parent=parent.parent if same else parent.slug,
        own=(parent.own | set(changed)) if same else frozenset(changed),
    )


#: Accelerator fields that follow the memory configuration, and the per-stack field of the
#: memory technology each scales with.
MEMORY_SCALED = {"memory_capacity_gb": "capacity_gb_per_stack",
                 "memory_bandwidth_tb_per_s": "bandwidth_gb_per_s_per_stack"}


def rescale_memory(old: Entry, fields: dict, changed: set, get, layer: str,
                   old_memory: Entry | None = None, new_memory: Entry | None = None) -> dict:
    r"""Accelerator fields after a change of memory: capacity and bandwidth move together.

    When the memory technology, its stack count or its per-stack figures change and the
    datasheet capacity or bandwidth are not given anew, each keeps its ratio to the nominal
    :math:`n \cdot c_{stack}` of the configuration it was stated for, so a part that runs its
    HBM below the nominal pin rate keeps doing so on the new memory.

    ``get(kind, name)`` looks entries up; ``old_memory``/``new_memory`` default to the entries
    the old and new fields name.
    """
    old_mem = old_memory or get("memory", old.fields["memory"].value)
    new_mem = new_memory or get("memory", fields["memory"].value)
    old_n = float(old.fields["memory_stacks"].value)
    new_n = float(fields["memory_stacks"].value)
    out = dict(fields)
    for field_name, per_stack in MEMORY_SCALED.items():
        if field_name in changed or field_name not in old.fields:
            continue
        ratio = (new_n * new_mem.fields[per_stack].value) / (
            old_n * old_mem.fields[per_stack].value)
        if not isinstance(ratio, float) or ratio != 1.0:
            v = old.fields[field_name]
            out[field_name] = Value(
                value=v.value * ratio,
                source=f"{v.source}; scaled from {old_n:g} x {old_mem.slug} to {new_n:g} x "
                       f"{new_mem.slug} (siliconomics: capacity and bandwidth follow the memory)",
                as_of=v.as_of,
                low=None if v.low is None else v.low * ratio,
                high=None if v.high is None else v.high * ratio,
                assumption=True, note=v.note, layer=layer)
    return out


def check_memory(entry: Entry, memory: Entry, where: str) -> None:
    """An accelerator's capacity and bandwidth must fit its stacks of ``memory``.

    Capacity lies between 70% (disabled or partly populated stacks) and 100% of the stacks
    times the technology's per-stack capacity range; bandwidth is at most the stacks times the
    top of the per-stack bandwidth range (2% rounding allowed).
    """
    n = entry.get("memory_stacks")
    cap, bw = entry.get("memory_capacity_gb"), entry.get("memory_bandwidth_tb_per_s")
    if n is None or cap is None or bw is None:
        return
    c = memory.value("capacity_gb_per_stack")
    b = memory.value("bandwidth_gb_per_s_per_stack")
    c_lo, c_hi = (c.low, c.high) if c.is_uncertain else (c.value, c.value)
    b_hi = b.high if b.is_uncertain else b.value
    if not 0.7 * n * c_lo - 1e-9 <= cap <= n * c_hi * (1 + 1e-9):
        raise CatalogError(
            f"{where} memory_capacity_gb: {cap:g} GB does not match {n} x {memory.slug} "
            f"({c_lo:g} to {c_hi:g} GB per stack: {0.7 * n * c_lo:g} to {n * c_hi:g} GB); "
            f"fix the capacity, memory_stacks or memory")
    if bw * 1000.0 > n * b_hi * 1.02:
        raise CatalogError(
            f"{where} memory_bandwidth_tb_per_s: {bw:g} TB/s exceeds {n} x {memory.slug} "
            f"(at most {n * b_hi / 1000:g} TB/s); fix the bandwidth, memory_stacks or memory")


def _parse_value(spec: schema.Field, raw, where: str, source: str, as_of: str,
                 layer: str = "catalog") -> Value:
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
            layer=layer,
        )
        if value.low is not None and not (value.low <= value.value <= value.high):
            raise CatalogError(
                f"{where}: need low <= value <= high, got {value.low} / {value.value} / {value.high}"
            )
        return value
    if spec.kind == "series":
        points = _series(raw, where, source)
        return Value(value=points, source=source, as_of=as_of or points[-1].date, layer=layer)
    return Value(value=_typed(spec, raw, where), source=source, as_of=as_of, layer=layer)


def _series(raw, where: str, source: str) -> tuple[Point, ...]:
    """Dated points of a price series, in date order."""
    if not isinstance(raw, list) or not raw:
        raise CatalogError(f"{where}: must be a list of points {{ date, value, source }}")
    keys = {"date", "value", "low", "high", "source", "note", "url"}
    points, last = [], None
    for i, p in enumerate(raw):
        at = f"{where}[{i}]"
        if not isinstance(p, dict):
            raise CatalogError(f"{at}: a point must be a table {{ date, value, source }}")
        extra = set(p) - keys
        if extra:
            raise CatalogError(f"{at}: " + unknown("point key", sorted(extra)[0], keys))
        date = str(p.get("date", ""))
        if not _DATE.match(date):
            raise CatalogError(f"{at}: date must be YYYY, YYYY-MM or YYYY-MM-DD, got {date!r}")
        num = schema.Field("", positive=True)
        value = _typed(num, p.get("value"), at + " value")
        low = _typed(num, p["low"], at + " low") if "low" in p else None
        high = _typed(num, p["high"], at + " high") if "high" in p else None
        if (low is None) != (high is None) or (low is not None and not low <= value <= high):
            raise CatalogError(f"{at}: give low <= value <= high, or neither")
        src = str(p.get("source") or source)
        if not src:
            raise CatalogError(f"{at}: a point needs a source (or an entry-level source)")
        point = Point(date, value, src, low, high, str(p.get("note", "")), str(p.get("url", "")))
        if last is not None and point.year < last.year:
            raise CatalogError(f"{at}: points must be in date order ({date} after {last.date})")
        points.append(point)
        last = point
    return tuple(points)


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
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise CatalogError(f"{where}: must be a finite number, got {raw}")
    return check_bounds(spec, raw, f"{where}:", CatalogError)


def check_bounds(spec: schema.Field, value, name: str, error_type=CatalogError):
    """``value`` if it satisfies the field's sign and bounds, else ``error_type`` naming
    ``name`` (shared by catalog files and user values such as ``--set``)."""
    if spec.positive and not value > 0:
        rule = "> 0"
    elif spec.minimum is not None and value < spec.minimum:
        rule = f">= {spec.minimum:g}"
    elif spec.maximum is not None and value > spec.maximum:
        rule = f"<= {spec.maximum:g}"
    else:
        return value
    raise error_type(f"{name} must be {rule}, got {value:g}")


@functools.cache
def builtin_digest(directory: Path | str = DATA_DIR) -> str:
    """SHA-256 of the built-in TOML files (names and bytes): what a pickled reference to the
    built-in catalog must match where it is loaded. Computed the first time a plan is
    pickled or unpickled, not when the catalog loads."""
    import hashlib

    h = hashlib.sha256()
    for path in sorted(Path(directory).glob("*.toml")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def _builtin_catalog(digest: str) -> Catalog:
    """Unpickle a reference to the built-in catalog: this process's own, if its files match."""
    from . import builtin

    cat = builtin()
    if builtin_digest(cat.directory) != digest:
        raise CatalogError("this process's built-in catalog differs from the one the run was "
                           "planned with (a different siliconomics version?); install the same "
                           "version on every worker")
    return cat
