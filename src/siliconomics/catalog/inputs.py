"""Resolved inputs: every value a question uses, resolved once, with who set it.

A question (what does an H200-hour cost in Texas? what does this run cost?) reads values from
several catalog entries: the accelerator and the entries it names (its memory technology,
process nodes, package, system), the site, the financing preset, the model, shared
assumptions. :func:`resolve` picks those entries and applies the layers of user values in one
place, in this order (later wins):

1. the built-in catalog;
2. the user's catalog files (``--catalog FILE``, ``catalog.using(...)``): new, derived
   (``extends``) or patched entries;
3. scenario values;
4. ``--set PATH=VALUE`` on the command line (``catalog.using(set=...)`` in Python);
5. keyword arguments of the API call (``price_usd=25_000`` or ``set={"memory.price_usd_per_gb": 4}``).

Every value is addressed by a dotted **path** ``role.field``: ``accelerator.price_usd``,
``memory.price_usd_per_gb``, ``node.wafer_price_usd``, ``system.power_kw``,
``site.power_price_usd_per_kwh``, ``financing.cost_of_capital``, ``model.layers``; shared
assumptions are ``assumptions.<slug>`` (``assumptions.power-draw-fraction``). The roles are
in :data:`ROLES`; API keywords that name a path are in :data:`KEYWORDS`.

Models take the :class:`Resolved` result (or entries) and never look a name up again, so a
user-defined or changed entry reaches every downstream figure.

Examples
--------
>>> r = resolve("h200", site="us-texas", set={"memory.price_usd_per_gb": 4})
>>> r["memory.price_usd_per_gb"], r.value("memory.price_usd_per_gb").layer
(4.0, 'api')
>>> r["accelerator.price_usd"] == r.catalog.get("accelerators", "h200").price_usd
True
>>> resolve("h200", set={"memory.price_usd_per_gbb": 4})
Traceback (most recent call last):
...
siliconomics.errors.InputError: unknown input path 'memory.price_usd_per_gbb'; did you mean 'memory.price_usd_per_gb', ...?
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import _checks
from ..errors import CatalogError, InputError, unknown
from . import schema
from .loader import Catalog, Entry, Value, check_bounds, rescale_memory

#: Role -> catalog kind. ``accelerator``, ``site``, ``financing``, ``system`` and ``model`` are
#: named by the caller; the others follow from the accelerator's fields.
ROLES: dict[str, str] = {
    "accelerator": "accelerators",
    "memory": "memory",
    "node": "nodes",
    "io_node": "nodes",
    "package": "packaging",
    "harvesting": "die_harvesting",
    "system": "systems",
    "serving": "serving_efficiency",
    "site": "sites",
    "financing": "financing",
    "model": "models",
}

#: Accelerator fields naming another entry, and the role each resolves.
_REFERENCE_ROLES = {"memory": "memory", "process_node": "node", "io_process_node": "io_node",
                    "package": "package", "system": "system"}

#: Default packaging class when an accelerator names none.
DEFAULT_PACKAGE = "cowos-s"

#: Keyword arguments of the API that name a path (``price_usd=...`` is ``accelerator.price_usd``).
KEYWORDS: dict[str, str] = {
    "price_usd": "accelerator.price_usd",
    "tdp_w": "accelerator.tdp_w",
    "wafer_price_usd": "node.wafer_price_usd",
    "defect_density_per_cm2": "node.defect_density_per_cm2",
    "io_wafer_price_usd": "io_node.wafer_price_usd",
    "io_defect_density_per_cm2": "io_node.defect_density_per_cm2",
    "memory_price_usd_per_gb": "memory.price_usd_per_gb",
    "hbm_price_usd_per_gb": "memory.price_usd_per_gb",
    **{k: f"package.{k}" for k in schema.PACKAGING},
    "server_power_kw": "system.power_kw",
    "system_power_kw": "system.power_kw",
    "accelerators_per_server": "system.accelerators",
    **{k: f"system.{k}" for k in schema.SYSTEM_PARTS},
    "power_price_usd_per_kwh": "site.power_price_usd_per_kwh",
    "pue": "site.pue",
    "build_cost_usd_per_mw": "site.build_cost_usd_per_mw",
    "grid_intensity_kg_per_kwh": "site.grid_intensity_kg_per_kwh",
    "cost_of_capital": "financing.cost_of_capital",
    "accelerator_life_years": "financing.accelerator_life_years",
    "network_life_years": "financing.network_life_years",
    "facility_life_years": "financing.facility_life_years",
    "busy_draw_fraction": "assumptions.power-draw-fraction",
    "idle_draw_fraction": "assumptions.idle-draw-fraction",
    "it_maintenance_fraction": "assumptions.it-maintenance-fraction",
    "facility_opex_usd_per_mw_year": "assumptions.facility-opex-usd-per-mw-year",
    "switch_radix": "assumptions.switch-radix",
    "switch_cost_usd": "assumptions.switch-cost-usd",
    "switch_power_w": "assumptions.switch-power-w",
    "transceiver_cost_usd": "assumptions.transceiver-cost-usd",
    "transceiver_power_w": "assumptions.transceiver-power-w",
    "nic_cost_usd": "assumptions.nic-cost-usd",
    "nic_power_w": "assumptions.nic-power-w",
    "markup": "assumptions.cost-plus-markup",
    "pass_through_share": "assumptions.pass-through-share",
}

#: The order layers apply in (later wins).
LAYERS = ("catalog", "user catalog", "scenario", "--set", "api")

_CONTEXT_SETS: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "siliconomics_set", default=None)

#: Paths of ``--set`` values a computation has read since :func:`watch_sets` began (None when
#: nothing watches), and whether reads count now (not while a value is only checked or shown).
_SET_READS: contextvars.ContextVar[set | None] = contextvars.ContextVar(
    "siliconomics_set_reads", default=None)
_COUNTING: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "siliconomics_set_reads_counting", default=True)


class _Watched(Value):
    """A ``--set`` value that notes its path when a computation reads it, its central value or
    its range (an interval or a sampled distribution built from ``low`` and ``high`` uses it
    as much as a point estimate uses ``value``) (:func:`watch_sets`)."""

    _path = None

    def __getattribute__(self, name):
        if name in _READ_FIELDS and _COUNTING.get():
            reads = _SET_READS.get()
            path = object.__getattribute__(self, "_path")
            if reads is not None and path is not None:
                reads.add(path)
        return object.__getattribute__(self, name)


#: The fields of a :class:`_Watched` value whose reads count as using it.
_READ_FIELDS = frozenset({"value", "low", "high"})


def _watched(v: Value, path: str) -> Value:
    """``v`` as a :class:`_Watched` value of ``path`` (:func:`watch_sets` is on)."""
    if type(v) is not Value:
        return v
    w = _Watched(**{f.name: getattr(v, f.name) for f in dataclasses.fields(v)})
    object.__setattr__(w, "_path", path)
    return w


@contextlib.contextmanager
def not_counting() -> Iterator[None]:
    """Reads inside the block only check or show values: they do not count as using them."""
    token = _COUNTING.set(False)
    try:
        yield
    finally:
        _COUNTING.reset(token)


@contextlib.contextmanager
def watch_sets() -> Iterator[set]:
    """Note which ``--set`` paths the computation inside the block reads.

    Yields the set of paths read (filled as the block runs). A path the block never read
    cannot have changed its answer: a command tells its user so instead of ignoring the value
    without a word. References (``accelerator.memory = "hbm4"``) count as read when applied.

    Examples
    --------
    >>> from siliconomics import catalog, tco
    >>> with catalog.using(set={"memory.price_usd_per_gb": 4, "site.pue": 1.3}):
    ...     with watch_sets() as read:
    ...         _ = tco.accelerator_hour("h100")  # list pricing: the chip's inputs stay unread
    >>> sorted(read)
    ['site.pue']
    """
    reads: set = set()
    token = _SET_READS.set(reads)
    try:
        yield reads
    finally:
        _SET_READS.reset(token)


# =============================================================================================
# The resolved set
# =============================================================================================
@dataclass(frozen=True)
class Resolved(Mapping):
    """Entries and values of one question after every layer, by role and by path.

    ``resolved["site.pue"]`` is a value (float, or an array of samples);
    :meth:`value` gives it with its source and layer; :meth:`entry` gives an entry;
    :meth:`provenance` lists every value with who set it.
    """

    catalog: Catalog
    entries: Mapping[str, Entry]
    assumptions: Mapping[str, Value] = field(default_factory=dict)

    # --- lookup -----------------------------------------------------------------------------
    def entry(self, role: str) -> Entry:
        """The entry playing ``role`` (``"accelerator"``, ``"system"``...)."""
        try:
            return self.entries[role]
        except KeyError:
            if role not in ROLES:
                raise InputError(unknown("role", role, ROLES)) from None
            raise InputError(f"no {role} was given for this question") from None

    def has(self, role: str) -> bool:
        return role in self.entries

    def value(self, path: str) -> Value:
        """The :class:`~siliconomics.catalog.Value` at ``path``, with source and layer."""
        role, _, name = path.partition(".")
        if role == "assumptions":
            try:
                return self.assumptions[name]
            except KeyError:
                raise InputError(unknown("assumption", name, self.assumptions)) from None
        entry = self.entry(role)
        v = entry.fields.get(name)
        if v is None:
            if name in schema.KINDS[entry.kind]:
                raise InputError(f"{entry.slug} has no {name}")
            raise InputError(unknown("input path", path, self.paths()))
        return v

    def __getitem__(self, path: str):
        return self.value(path).value

    def get(self, path: str, default=None):
        """Value at ``path``, or ``default`` when the role or field is absent."""
        role, _, name = path.partition(".")
        if role == "assumptions":
            v = self.assumptions.get(name)
        else:
            e = self.entries.get(role)
            v = None if e is None else e.fields.get(name)
        return default if v is None else v.value

    def __iter__(self) -> Iterator[str]:
        return iter(self.paths())

    def __len__(self) -> int:
        return len(self.paths())

    def paths(self) -> list[str]:
        """Every path with a value here."""
        out = [f"{role}.{k}" for role, e in self.entries.items() for k in e.fields]
        return out + [f"assumptions.{k}" for k in self.assumptions]

    # Shortcuts
    @property
    def accelerator(self) -> Entry:
        return self.entry("accelerator")

    @property
    def system(self) -> Entry:
        return self.entry("system")

    @property
    def site(self) -> Entry:
        return self.entry("site")

    @property
    def financing(self) -> Entry:
        return self.entry("financing")

    @property
    def memory(self) -> Entry:
        return self.entry("memory")

    def assumption(self, slug: str):
        """Central value of the shared assumption ``slug``."""
        return self.value(f"assumptions.{slug}").value

    # --- provenance -------------------------------------------------------------------------
    def provenance(self, roles=None) -> list[dict[str, Any]]:
        """One row per value: path, entry, value, range, unit, source, date, layer."""
        with not_counting():  # shown, not used
            return self._provenance(roles)

    def _provenance(self, roles) -> list[dict[str, Any]]:
        rows = []
        for role, e in self.entries.items():
            if roles is not None and role not in roles:
                continue
            spec = schema.KINDS[e.kind]
            for k, v in e.fields.items():
                rows.append(_row(f"{role}.{k}", e.slug, v, spec[k].unit))
        if roles is None or "assumptions" in roles:
            cat = self.catalog
            for slug, v in self.assumptions.items():
                unit = cat.get("assumptions", slug).get("unit", "") if _known(cat, slug) else ""
                rows.append(_row(f"assumptions.{slug}", slug, v, unit))
        return rows

    def sample_shape(self) -> tuple[int, ...]:
        """Broadcast shape of the array values given by any layer (``()`` when all scalar)."""
        with not_counting():  # their shapes, not their values
            return self._sample_shape()

    def _sample_shape(self) -> tuple[int, ...]:
        shapes = [np.shape(v.value) for e in self.entries.values() for v in e.fields.values()
                  if v.layer != "catalog" and isinstance(v.value, np.ndarray)]
        shapes += [np.shape(v.value) for v in self.assumptions.values()
                   if v.layer != "catalog" and isinstance(v.value, np.ndarray)]
        return np.broadcast_shapes(*shapes) if shapes else ()

    def changed(self) -> list[dict[str, Any]]:
        """Rows of :meth:`provenance` set by any layer but the built-in catalog."""
        return [r for r in self.provenance() if r["layer"] != "catalog"]

    # --- new layers -------------------------------------------------------------------------
    def with_values(self, values: Mapping[str, Any], *, layer: str = "api") -> Resolved:
        """A copy with ``values`` (path -> number, array or unit string) applied as ``layer``.

        Memory capacity and bandwidth follow changes of the memory (see
        :func:`~siliconomics.catalog.loader.rescale_memory`); references
        (``accelerator.memory = "ddr5"``) re-resolve the entries they name.
        """
        if not values:
            return self
        return _apply(self, dict(values), layer)

    def __hash__(self):  # identity: a resolved set is a value object, used as a cache key
        return id(self)

    def __eq__(self, other):
        return self is other

    def __repr__(self) -> str:
        roles = ", ".join(f"{r}={e.slug}" for r, e in self.entries.items())
        return f"Resolved({roles})"


def _known(cat: Catalog, slug: str) -> bool:
    try:
        cat.get("assumptions", slug)
        return True
    except CatalogError:
        return False


def _row(path, slug, v: Value, unit) -> dict[str, Any]:
    value = v.value
    if isinstance(value, np.ndarray):
        value = f"{value.size} samples, mean {float(np.mean(value)):.6g}" if value.ndim else float(value)
    return {"path": path, "entry": slug, "value": value, "low": v.low, "high": v.high,
            "unit": unit, "source": v.source, "as_of": v.as_of, "assumption": v.assumption,
            "layer": v.layer}


# =============================================================================================
# Resolution
# =============================================================================================
def resolve(accelerator=None, site=None, *, financing=None, system=None, model=None,
            base: Resolved | None = None, catalog: Catalog | None = None,
            scenario: Mapping[str, Any] | None = None, set: Mapping[str, Any] | None = None,
            context: bool = True, **keywords) -> Resolved:
    """Resolve the entries of a question and apply every layer of user values once.

    Parameters
    ----------
    accelerator, site, financing, system, model : str, Entry or None
        Names (slugs or aliases) or entries. ``accelerator`` may also be a :class:`Resolved`,
        taken as ``base``. The system defaults to the accelerator's own.
    base : Resolved, optional
        A resolution to extend: its entries and values are kept, named roles replace its.
    catalog : Catalog, optional
        Default: the active catalog (:func:`siliconomics.catalog.load`, with ``--catalog``
        files when :func:`using` is active).
    scenario : mapping, optional
        Path -> value from a scenario file (layer ``scenario``).
    set : mapping, optional
        Path -> value (layer ``api``), as are ``**keywords`` named in :data:`KEYWORDS`.
    context : bool
        Apply the active ``--set`` values (:func:`using`); False for reference configurations.

    Returns
    -------
    Resolved
    """
    from . import load

    if isinstance(accelerator, Resolved):
        base, accelerator = accelerator, None
    if isinstance(model, Resolved):
        base, model = model, None
    cat = catalog or (base.catalog if base is not None else load())
    entries: dict[str, Entry] = dict(base.entries) if base is not None else {}
    assumptions = dict(base.assumptions) if base is not None else _assumptions(cat)

    if accelerator is not None:
        acc = _entry(cat, "accelerators", accelerator)
        for role in ("accelerator", *(_REFERENCE_ROLES.values()), "harvesting", "serving"):
            entries.pop(role, None)
        entries["accelerator"] = acc
    for role, name in (("site", site), ("financing", financing), ("model", model)):
        if name is not None:
            entries[role] = _entry(cat, ROLES[role], name) if role != "model" else _model(cat, name)
    if system is not None:
        entries["system"] = _entry(cat, "systems", system)
    if accelerator is not None:
        _derive_roles(cat, entries)

    resolved = Resolved(cat, entries, assumptions)
    layers = [("scenario", scenario or {})]
    if context:
        sets = _CONTEXT_SETS.get() or {}
        if base is not None:  # only the roles this call names anew get the --set values
            named = {role for role, name in (("site", site), ("financing", financing),
                                             ("model", model), ("system", system))
                     if name is not None}
            if accelerator is not None:
                named |= {"accelerator", *_REFERENCE_ROLES.values(), "harvesting", "serving"}
            sets = {p: v for p, v in sets.items() if p.partition(".")[0] in named}
        layers.append(("--set", sets))
    layers.append(("api", _keywords(set or {}, keywords)))
    for layer, values in layers:
        if values:
            resolved = _apply(resolved, dict(values), layer, strict=layer != "--set")
    return resolved


def _entry(cat: Catalog, kind: str, name) -> Entry:
    if isinstance(name, Entry):
        if name.kind != kind:
            raise InputError(f"expected a {kind.rstrip('s')} entry, got {name.kind} {name.slug!r}")
        return name
    if not isinstance(name, str):
        raise InputError(f"a {kind.rstrip('s')} must be named by text, got {name!r}")
    return cat.get(kind, name)


def _model(cat: Catalog, name) -> Entry:
    """A model by catalog name, entry, or path to a Hugging Face ``config.json``."""
    if isinstance(name, Entry):
        return _entry(cat, "models", name)
    if not isinstance(name, str) and not hasattr(name, "__fspath__"):
        raise InputError(f"a model must be a catalog name, an entry or a config.json path, "
                         f"got {type(name).__name__}")
    text = str(name)
    if text.endswith(".json") or "/" in text or "\\" in text:
        from .hf_config import entry_from_config

        return entry_from_config(text)
    return cat.get("models", text)


def _assumptions(cat: Catalog) -> dict[str, Value]:
    return {e.slug: e.fields["value"] for e in cat.entries("assumptions")}


def _derive_roles(cat: Catalog, entries: dict[str, Entry]) -> None:
    """Entries the accelerator names: memory, nodes, package, system, harvesting, efficiency."""
    acc = entries["accelerator"]
    entries["memory"] = cat.get("memory", acc.memory)
    entries["node"] = cat.get("nodes", acc.process_node)
    entries["io_node"] = cat.get("nodes", acc.get("io_process_node") or acc.process_node)
    entries["package"] = cat.get("packaging", acc.get("package") or DEFAULT_PACKAGE)
    if "system" not in entries and acc.get("system") is not None:
        entries["system"] = cat.get("systems", acc.system)
    for role, kind, fallback in (("harvesting", "die_harvesting", None),
                                 ("serving", "serving_efficiency", "default")):
        entries.pop(role, None)
        for name in (acc.slug, acc.parent, fallback):
            if name is not None and cat._has(kind, name):
                entries[role] = cat.get(kind, name)
                break


def _keywords(set_values: Mapping[str, Any], keywords: Mapping[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in keywords.items():
        if v is None:
            continue
        if k not in KEYWORDS:
            raise InputError(unknown("input", k, list(KEYWORDS) + all_paths()))
        out[KEYWORDS[k]] = v
    for k, v in set_values.items():
        if v is not None:
            out[KEYWORDS.get(k, k)] = v
    return out


def all_paths(catalog: Catalog | None = None) -> list[str]:
    """Every path a user may set (``accelerator.price_usd``, ``assumptions.restart-s``...)."""
    from . import load

    cat = catalog or load()
    out = [f"{role}.{f}" for role, kind in ROLES.items() for f in schema.KINDS[kind]]
    return out + [f"assumptions.{e.slug}" for e in cat.entries("assumptions")]


def _split(path: str, cat: Catalog) -> tuple[str, str]:
    role, dot, name = str(path).partition(".")
    if dot and role == "assumptions" and _known(cat, name):
        return role, cat.get("assumptions", name).slug
    if dot and role in ROLES and name in schema.KINDS[ROLES[role]]:
        return role, name
    raise InputError(unknown("input path", str(path), all_paths(cat)))


def _apply(resolved: Resolved, values: dict[str, Any], layer: str, strict: bool = True) -> Resolved:
    """``values`` applied to ``resolved`` as ``layer``: references first, then fields."""
    cat = resolved.catalog
    entries = dict(resolved.entries)
    assumptions = dict(resolved.assumptions)
    # --set values note their reads while watch_sets() is on; checks of them do not count
    watching = layer == "--set" and _SET_READS.get() is not None
    quiet = not_counting if watching else contextlib.nullcontext
    parsed = []
    for path, raw in values.items():
        role, name = _split(path, cat)
        parsed.append((role, name, raw, path))
    acc_before = entries.get("accelerator")
    mem_before = entries.get("memory")
    # references first: they change which entries the other paths address
    refs = [p for p in parsed if p[0] == "accelerator" and p[1] in _REFERENCE_ROLES]
    if refs and acc_before is not None:
        changes = {}
        for role, name, raw, path in refs:
            target_kind = ROLES[_REFERENCE_ROLES[name]]
            if not isinstance(raw, (str, Entry)):
                raise InputError(f"{path} names a {target_kind.rstrip('s')} entry, got {raw!r}")
            target = _entry(cat, target_kind, raw)
            changes[name] = Value(target.slug, _source(layer), "", layer=layer)
            if watching:
                _SET_READS.get().add(path)  # a reference re-resolves entries: always in use
        acc = acc_before.replace(**changes)
        entries["accelerator"] = acc
        if "system" in changes:
            entries.pop("system", None)
        _derive_roles(cat, entries)
    by_role: dict[str, dict[str, Value]] = {}
    for role, name, raw, path in parsed:
        if (role, name) in {(r[0], r[1]) for r in refs}:
            continue
        if role == "assumptions":
            old = assumptions[name]
            unit = cat.get("assumptions", name).get("unit", "")
            with _unit_hint(raw, [old], unit, path), quiet():
                assumptions[name] = _value(schema.ASSUMPTION["value"], raw, path, layer, old,
                                           unit)
                _check_domain(name, assumptions[name].value, path)
                _check_plausible(assumptions[name], [old], unit, path)
            if watching:
                assumptions[name] = _watched(assumptions[name], path)
            continue
        if role not in entries:
            if strict and role not in ("model",):
                raise InputError(f"{path}: this question has no {role}")
            continue
        spec = schema.KINDS[ROLES[role]][name]
        old = entries[role].fields.get(name)
        # the catalog's range of this quantity, for unit hints on scalars (samples get none:
        # skipping the scan keeps a Monte Carlo block free of catalog-wide work)
        sampled = isinstance(raw, np.ndarray) and raw.ndim
        known = [] if sampled else _catalog_values(cat, ROLES[role], name)
        with _unit_hint(raw, known, spec.unit, path), quiet():
            by_role.setdefault(role, {})[name] = _value(spec, raw, path, layer, old, spec.unit)
            _check_plausible(by_role[role][name], known, spec.unit, path)
        if watching:
            by_role[role][name] = _watched(by_role[role][name], path)
    _same_shape({path: raw for _, _, raw, path in parsed
                 if isinstance(raw, np.ndarray) and raw.ndim})
    for role, changes in by_role.items():
        entries[role] = entries[role].replace(**changes)
    acc = entries.get("accelerator")
    if acc is not None and acc_before is not None and mem_before is not None:
        set_here = set(by_role.get("accelerator", {}))
        mem_now = entries["memory"]
        moved = (mem_now is not mem_before or acc.fields["memory_stacks"] is not
                 acc_before.fields["memory_stacks"] or acc.memory != acc_before.memory)
        if moved:
            fields = rescale_memory(acc_before, dict(acc.fields), set_here, cat.get, layer,
                                    old_memory=mem_before, new_memory=mem_now)
            entries["accelerator"] = dataclasses.replace(acc, fields=fields)
    return Resolved(cat, entries, assumptions)


def _catalog_values(cat: Catalog, kind: str, name: str) -> list[Value]:
    """The values of field ``name`` across every entry of ``kind``."""
    out = []
    for entry in cat.entries(kind):
        v = entry.fields.get(name)
        if isinstance(v, Value):
            out.append(v)
    return out


def _check_domain(slug: str, value, path: str) -> None:
    """InputError when a user's number for assumption ``slug`` lies outside the values it can
    take (:func:`~siliconomics.catalog.schema.assumption_domain`): a negative latency or cost,
    a fraction above 1. Samples (arrays) are the Monte Carlo's, clipped to it already."""
    if isinstance(value, np.ndarray) and value.ndim or isinstance(value, (str, bool)):
        return
    lo, hi = schema.assumption_domain(slug)
    x = float(value)
    if (lo is not None and x < lo) or (hi is not None and x > hi):
        if hi is None:
            rule = ">= 0" if lo == 0 else "> 0"
        else:
            rule = f"between 0 and {hi:g}" if lo == 0 else f"> 0 and <= {hi:g}"
        raise InputError(f"{path} must be {rule}, got {x:g}")


def _implausible(value, known: list, unit: str, path: str) -> str | None:
    """Why a scalar user value looks like the wrong unit (:func:`siliconomics.units.implausible`
    against the range of ``known`` catalog values), or None."""
    from ..units import implausible

    if isinstance(value, np.ndarray) and value.ndim or isinstance(value, (str, bool)):
        return None
    points = []
    for v in known:
        if v is None:
            continue
        for x in (v.value, v.low, v.high):
            if isinstance(x, (int, float, np.floating, np.integer)) and not isinstance(x, bool) \
                    and np.isfinite(x) and x > 0:
                points.append(float(x))
    if not points:
        return None
    return implausible(value, unit, min(points), max(points), name=path)


def _check_plausible(new: Value, known: list, unit: str, path: str) -> None:
    """Warn (:class:`~siliconomics.units.UnitWarning`) when a user's scalar value lies far
    outside the range the catalog gives its quantity, proposing the unit it was likely meant
    in (``12 USD/kWh`` -> ``12 US cents/kWh``)."""
    import warnings

    from ..units import UnitWarning

    message = _implausible(new.value, known, unit, path)
    if message:
        warnings.warn(message, UnitWarning, stacklevel=3)


@contextlib.contextmanager
def _unit_hint(raw, known: list, unit: str, path: str):
    """Add the likely unit to an out-of-bounds error (``must be <= 10, got 12; did you mean 12
    US cents/kWh?``)."""
    try:
        yield
    except InputError as exc:
        from ..units import parse

        try:
            value = parse(raw, _pint_unit(unit) or "", name=path)
        except (InputError, TypeError, ValueError):
            raise exc from None
        message = _implausible(value, known, unit, path) or ""
        if "did you mean" not in message:
            raise
        raise InputError(f"{exc}; did you mean {message.split('did you mean ', 1)[1]}") from None


def _same_shape(arrays: dict[str, np.ndarray]) -> None:
    """InputError naming two array values whose shapes cannot be combined."""
    try:
        np.broadcast_shapes(*(a.shape for a in arrays.values()))
    except ValueError:
        (p1, a1), *rest = arrays.items()
        p2, a2 = next((p, a) for p, a in rest if a.shape != a1.shape)
        raise InputError(f"{p1} (shape {a1.shape}) and {p2} (shape {a2.shape}) cannot be "
                         "combined; give arrays of one shape or scalars") from None


def _source(layer: str) -> str:
    return {"api": "user input (API)", "--set": "user input (--set)",
            "scenario": "scenario file"}.get(layer, layer)


def _value(spec: schema.Field, raw, path: str, layer: str, old: Value | None, unit: str) -> Value:
    """A user value for ``path`` as a :class:`Value`: unit strings parsed, scalars checked."""
    if isinstance(raw, Value):
        return dataclasses.replace(raw, layer=layer)
    if spec.kind == "text":
        if not isinstance(raw, str):
            raise InputError(f"{path} must be text, got {raw!r}")
        value = raw
    elif isinstance(raw, np.ndarray) and raw.ndim:
        if not np.issubdtype(raw.dtype, np.number):
            raise InputError(f"{path} must be an array of numbers, got dtype {raw.dtype}")
        # one reduction: a finite sum means finite values (only overflow needs the full test);
        # none for samples whose distribution bounds them (_checks.known_bounds)
        if not _checks.known_finite(raw) and not np.isfinite(raw.sum()) \
                and not np.all(np.isfinite(raw)):
            raise InputError(f"{path} must be finite, got {raw[~np.isfinite(raw)].flat[0]}")
        value = raw  # samples: the models check their domain
    else:
        value = _number(spec, raw, path, unit)
    return Value(value, _source(layer), "", low=None, high=None, layer=layer,
                 note="" if old is None else f"catalog: {old.describe()} ({old.source})")


def _number(spec: schema.Field, raw, path: str, unit: str):
    from ..units import parse

    pint_unit = _pint_unit(unit)
    if isinstance(raw, str) and pint_unit is None:
        try:
            raw = float(raw.replace(",", "").replace("_", ""))
        except ValueError:
            raise InputError(f"{path}: cannot read {raw!r} as a number") from None
    value = parse(raw, pint_unit or "", name=path) if isinstance(raw, str) else raw
    if isinstance(value, np.ndarray):
        value = float(value)
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
        raise InputError(f"{path} must be a number, got {raw!r}")
    value = float(value)
    if not np.isfinite(value):
        raise InputError(f"{path} must be finite, got {value}")
    if spec.kind == "integer":
        if value != int(value):
            raise InputError(f"{path} must be a whole number, got {value:g}")
        value = int(value)
    return check_bounds(spec, value, path, InputError)


#: Schema units pint cannot read; values in them are plain numbers.
_PLAIN_UNITS = {"1e9", "TOP/s", "USD per local unit", "see unit", "text", "tokens"}


def _pint_unit(unit: str) -> str | None:
    if unit in _PLAIN_UNITS:
        return None
    return {"USD/MW/year": "USD/MW/year", "1/hour": "1/hour"}.get(unit, unit)


# =============================================================================================
# The --set layer and user catalog files of a command
# =============================================================================================
def parse_sets(items, catalog: Catalog | None = None) -> dict[str, Any]:
    """``["accelerator.price_usd=25000", "memory.price_usd_per_gb=4 USD/GB"]`` -> path -> value.

    Paths are checked (unknown ones suggest the closest); values keep their unit strings and
    are converted when applied.

    Examples
    --------
    >>> parse_sets(["site.pue=1.2", "accelerator.memory = ddr5"])
    {'site.pue': '1.2', 'accelerator.memory': 'ddr5'}
    """
    from . import load

    cat = catalog or load()
    out: dict[str, Any] = {}
    for item in items or ():
        text = str(item)
        if "=" not in text:
            raise InputError(f"--set {text!r}: write PATH=VALUE, e.g. "
                             f"--set accelerator.price_usd=25000")
        path, _, value = (t.strip() for t in text.partition("="))
        path = KEYWORDS.get(path, path)
        role, name = _split(path, cat)
        if not value:
            raise InputError(f"--set {path}: give a value after '='")
        key = f"{role}.{name}"
        if key in out:
            raise InputError(f"--set {key} is given twice")
        spec = (schema.ASSUMPTION["value"] if role == "assumptions"
                else schema.KINDS[ROLES[role]][name])
        if role == "assumptions":
            unit = cat.get("assumptions", name).get("unit", "")
        else:
            unit = spec.unit
        if spec.kind != "text":  # check the unit now, so a bad value fails before any work
            number = _number(spec, value, key, unit)
            if role == "assumptions":
                _check_domain(name, number, key)
        elif role == "accelerator" and name in _REFERENCE_ROLES:
            _entry(cat, ROLES[_REFERENCE_ROLES[name]], value)
        out[key] = value
    return out


@contextlib.contextmanager
def using(*files, set=None):
    """Use user catalog files and ``--set`` values for everything inside the block.

    Examples
    --------
    >>> from siliconomics import catalog, tco
    >>> with catalog.using(set={"accelerator.price_usd": 20_000}):
    ...     cheap = tco.accelerator_hour("h100").usd_per_accelerator_hour
    >>> cheap < tco.accelerator_hour("h100").usd_per_accelerator_hour
    True
    """
    from . import _ACTIVE, builtin

    cat = _ACTIVE.get() or builtin()
    if files:
        cat = cat.copy()
        for f in files:
            cat.add_file(f)
    sets = dict(_CONTEXT_SETS.get() or {})
    if isinstance(set, Mapping):
        for k, v in set.items():
            role, name = _split(KEYWORDS.get(k, k), cat)
            sets[f"{role}.{name}"] = v
    elif set:
        sets.update(parse_sets(set, cat))
    t1 = _ACTIVE.set(cat)
    t2 = _CONTEXT_SETS.set(sets)
    try:
        yield cat
    finally:
        _CONTEXT_SETS.reset(t2)
        _ACTIVE.reset(t1)


def with_sets(entry: Entry, role: str) -> Entry:
    """``entry`` with the active ``--set`` values of ``role`` applied (for questions that use
    one entry, not a whole resolution: a node's wafer, a site's power).

    Examples
    --------
    >>> from siliconomics import catalog
    >>> with catalog.using(set={"node.wafer_price_usd": 20000}):
    ...     with_sets(catalog.get("nodes", "n4"), "node").wafer_price_usd
    20000.0
    """
    sets = {p: v for p, v in (_CONTEXT_SETS.get() or {}).items() if p.startswith(role + ".")}
    if not sets:
        return entry
    from . import load

    r = Resolved(load(), {role: entry}, {})
    return _apply(r, sets, "--set").entries[role]


def context_sets() -> dict[str, Any]:
    """The ``--set`` values active now (path -> raw value)."""
    return dict(_CONTEXT_SETS.get() or {})
