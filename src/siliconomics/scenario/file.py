"""Scenario files: a TOML description of an uncertain question, validated, turned into a run.

A scenario file::

    [scenario]
    name = "H100 cluster in Texas"
    samples = 200_000
    seed = 42
    model = "tco"                  # a model of siliconomics.scenario.models
    uncertainty = "catalog"        # sample every catalog value that has a low/high range
    sampler = "random"             # or "qmc": a scrambled Sobol net per block (quasi-Monte Carlo)

    [catalog]
    files = ["my_chips.toml"]      # user catalog files, relative to this file

    [inputs]
    accelerator.name = "h100"      # catalog names (context of the model)
    accelerator.price_usd = "25000 to 40000"   # a value at its path (see catalog.inputs)
    site.name = "us-texas"
    site.power_price_usd_per_kwh = "$0.05/kWh to $0.09/kWh"
    "memory.price_usd_per_gb" = "8 to 14"       # any path of the resolved inputs
    accelerators = 100_000
    utilization = "clip(normal(0.8, 0.08), 0.5, 1)"

    [correlations]
    method = "copula"              # or "iman-conover"
    "accelerator.price_usd, system.host_cost_usd" = 0.6   # Spearman rank correlation

    [outputs]
    metrics = ["usd_per_accelerator_hour", "power_share"]
    exceed = { usd_per_accelerator_hour = [2.0, 2.5] }

Values follow :mod:`siliconomics.uncertainty.distributions` (Squiggle's conventions). An
``"a to b"`` range is a 90% interval, as a catalog range is, and its tails are clipped to the
input's domain (a fraction's [0, 1], a time's or a price's positive values); a distribution
written out is taken as given, and refused where it reaches outside that domain at the normals
the sampler draws, with the ``clip(...)`` that keeps it inside. Inputs
are named by their paths (``role.field``, :mod:`siliconomics.catalog.inputs`); the API keywords
of :data:`siliconomics.catalog.KEYWORDS` (``power_price_usd_per_kwh``) are accepted too.
Values given with ``--set`` on the command line win over the file's. Every error names the
file, the line and the key.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import EngineError, InputError, ScenarioError, SiliconomicsError, unknown


class _Header(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = "scenario"
    description: str = ""
    samples: int = Field(10_000, ge=1, le=10**10)
    seed: int = Field(0, ge=0, le=2**64 - 1)
    model: str | None = None
    uncertainty: Literal["catalog", "none"] = "none"
    sampler: Literal["random", "qmc"] = "random"


class _Outputs(BaseModel):
    model_config = ConfigDict(extra="forbid")
    metrics: list[str] | None = None
    exceed: dict[str, list[float]] = Field(default_factory=dict)


class _Catalog(BaseModel):
    model_config = ConfigDict(extra="forbid")
    files: list[str] = Field(default_factory=list)


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")
    scenario: _Header = Field(default_factory=_Header)
    catalog: _Catalog = Field(default_factory=_Catalog)
    inputs: dict[str, Any] = Field(default_factory=dict)
    correlations: dict[str, Any] = Field(default_factory=dict)
    outputs: _Outputs = Field(default_factory=_Outputs)


@dataclass
class Scenario:
    """A validated scenario: header, raw inputs, correlations and outputs, with its origin."""

    name: str
    samples: int
    seed: int
    model: str
    uncertainty: str
    inputs: dict[str, Any] = field(default_factory=dict)
    correlations: dict[str, Any] = field(default_factory=dict)
    metrics: list[str] | None = None
    exceed: dict[str, list[float]] = field(default_factory=dict)
    description: str = ""
    path: str = "<scenario>"
    text: str = ""
    catalog_files: list[str] = field(default_factory=list)
    sampler: str = "random"

    # --- reading ---------------------------------------------------------------------------
    @classmethod
    def from_file(cls, path, *, default_model: str = "tco") -> Scenario:
        """Read and validate a scenario TOML file."""
        from .. import io

        text = io.read_text(path, what="scenario file", error_type=ScenarioError)
        return cls.from_text(text, path=str(path), default_model=default_model)

    @classmethod
    def from_text(cls, text: str, path: str = "<scenario>", *,
                  default_model: str = "tco") -> Scenario:
        from .. import io

        data = io.parse_toml(text, where=path, what="scenario", error_type=ScenarioError)
        return cls.from_dict(data, path=path, text=text, default_model=default_model)

    @classmethod
    def from_dict(cls, data: dict, path: str = "<scenario>", text: str = "", *,
                  default_model: str = "tco") -> Scenario:
        if not data:
            raise ScenarioError(f"{path}: the scenario is empty; give at least [scenario] model "
                                f"or [inputs] (see examples/)")
        try:
            f = _File.model_validate(data)
        except ValidationError as exc:
            err = exc.errors()[0]
            loc = [str(x) for x in err["loc"]]
            key = ".".join(loc)
            msg = err["msg"]
            if err["type"] == "extra_forbidden":
                section = loc[:-1]
                choices = {"": _File, "scenario": _Header, "outputs": _Outputs,
                           "catalog": _Catalog}.get(".".join(section), _File).model_fields
                msg = unknown("key" if section else "table", loc[-1], list(choices))
            raise ScenarioError(_where(path, text, loc) + f"{key}: {msg}") from None
        h = f.scenario
        base = Path(path).parent if path and not path.startswith("<") else Path(".")
        files = [str(p if Path(p).is_absolute() else base / p) for p in f.catalog.files]
        sc = cls(name=h.name, samples=h.samples, seed=h.seed, model=h.model or default_model,
                 uncertainty=h.uncertainty, inputs=dict(f.inputs),
                 correlations=dict(f.correlations), metrics=f.outputs.metrics,
                 exceed=dict(f.outputs.exceed), description=h.description, path=path,
                 text=text, catalog_files=files, sampler=h.sampler)
        return sc

    @contextlib.contextmanager
    def catalog(self):
        """The scenario's user catalog files, active for everything inside the block."""
        from .. import catalog

        if not self.catalog_files:
            yield
            return
        try:
            ctx = catalog.using(*self.catalog_files)
            ctx.__enter__()
        except SiliconomicsError as exc:
            raise self._error(["catalog", "files"], str(exc)) from None
        try:
            yield
        finally:
            ctx.__exit__(None, None, None)

    def _error(self, loc: list[str], msg: str) -> ScenarioError:
        return ScenarioError(_where(self.path, self.text, loc) + f"{'.'.join(loc)}: {msg}")

    # --- building the run ------------------------------------------------------------------
    def _flat(self) -> dict[str, tuple[list[str], Any]]:
        """Inputs by flat name: role tables (``site.name``, ``memory.price_usd_per_gb``)
        flattened to paths, API keywords mapped to paths: name -> (location, raw value)."""
        from ..catalog import KEYWORDS, ROLES

        out = {}
        for key, raw in self.inputs.items():
            if isinstance(raw, dict) and (key in ROLES or key == "assumptions"):
                for sub, v in raw.items():
                    name = key if sub == "name" else f"{key}.{sub}"
                    out[name] = (["inputs", key, sub], v)
            else:
                out[KEYWORDS.get(key, key)] = (["inputs", key], raw)
        return out

    def prepared(self):
        """The model prepared with this scenario's context (catalog names, sizes)."""
        from . import models

        if self.model not in models.MODELS:
            raise self._error(["scenario", "model"], unknown("model", self.model,
                                                            sorted(models.MODELS)))
        context_keys = models.CONTEXT_KEYS[self.model]
        flat = self._flat()
        ctx = {k: flat[k][1] for k in context_keys if k in flat}
        with self.catalog():
            try:
                return models.prepare(self.model, ctx)
            except SiliconomicsError as exc:
                key = next((k for k in ctx if str(ctx[k]) in str(exc) or k in str(exc)), None)
                loc = flat[key][0] if key else ["inputs"]
                raise self._error(loc, str(exc)) from None

    def _given(self, prepared) -> dict[str, tuple[list[str], Any]]:
        """Scenario values for model inputs: name -> (location, raw value)."""
        from . import models

        context_keys = models.CONTEXT_KEYS[self.model]
        bases = {k.split("@")[0] for k in prepared.inputs}
        known = set(prepared.inputs) | bases
        given = {}
        for key, (loc, raw) in self._flat().items():
            if key in context_keys:
                continue
            if key not in known:
                from ..catalog import all_paths

                if key in all_paths():
                    # a chip input reaches these models' costs under cost-based pricing only
                    hint = ('; use pricing = "cost-plus" or "pass-through" (or model = "chain")'
                            if self.model in ("tco", "training", "serving")
                            and key in models._pricing_paths("cost-plus") else "")
                    raise self._error(loc, f"{key} does not affect the {self.model} model as "
                                           f"set up here{hint}")
                raise self._error(loc, unknown("input", key, sorted(bases | set(context_keys))))
            given[key] = (loc, raw)
        return given

    def plan(self, *, samples: int | None = None, seed: int | None = None,
             outputs: list[str] | None = None, sampler: str | None = None):
        """The :class:`~siliconomics.uncertainty.montecarlo.Plan` of this scenario (``sampler``
        replaces the file's ``random`` or ``qmc``)."""
        from ..catalog import KEYWORDS
        from ..uncertainty import correlation, montecarlo
        from ..uncertainty.distributions import Clipped, Constant, LogNormal, from_interval, parse

        n = self.samples if samples is None else int(samples)
        if n < 1:
            raise self._error(["scenario", "samples"], f"samples must be >= 1, got {n}")
        prepared = self.prepared()
        given = self._given(prepared)
        metrics = outputs or self.metrics or list(prepared.default_outputs)
        for m in metrics:
            if m not in prepared.outputs:
                raise self._error(["outputs", "metrics"], unknown("metric", m, prepared.outputs))
        names, dists, constants, sources = [], [], {}, {}
        own = []  # the scenario's own distributions of inputs with a domain
        shared_done = set()
        for key, spec in prepared.inputs.items():
            base = key.split("@")[0]
            if spec.locked:  # set on the command line: wins over the file
                constants[key] = spec.value
                continue
            if key in given or (base in given and base not in prepared.inputs):
                use = key if key in given else base
                if use in shared_done:
                    continue
                shared_done.add(use)
                loc, raw = given[use]
                try:
                    dist = parse(raw, unit=spec.unit, name=use)
                except InputError as exc:
                    raise self._error(loc, str(exc).removeprefix(f"{use}: ")) from None
                key, source = use, "scenario"
                # "a to b" states a 90% interval, as a catalog range does, not a whole law
                interval = isinstance(raw, str) and "(" not in raw
            elif self.uncertainty == "catalog" and spec.sampled_by_catalog_for(metrics):
                try:
                    dist = from_interval(float(spec.low), float(spec.high))
                except InputError as exc:
                    raise self._error(["inputs", key], f"catalog range: {exc}") from None
                source = f"catalog 90% range ({spec.source})"
                interval = True
            elif spec.value is None:
                raise self._error(["inputs", key], f"{key} is required by the {self.model} model")
            else:
                constants[key] = spec.value
                continue
            if isinstance(dist, Constant):
                constants[key] = dist.value
                continue
            lo, hi = spec.bounds
            positive_already = isinstance(dist, LogNormal) and hi is None and (lo or 0.0) <= 0.0
            if interval and (lo is not None or hi is not None) and not positive_already:
                # 90% intervals (catalog ranges, a scenario's "a to b") say nothing of the
                # tails, which are clipped to the input's domain
                dist = Clipped(dist, lo, hi)
            elif not interval and (lo is not None or hi is not None):
                own.append((key, loc, dist, (lo, hi)))  # a law of the scenario's own: checked
            names.append(key)
            dists.append(dist)
            sources[key] = source
        # correlations
        method = self.correlations.get("method", "copula")
        pairs = {}
        for k, v in self.correlations.items():
            if k == "method":
                continue
            parts = [KEYWORDS.get(p.strip(), p.strip()) for p in re.split(r"[,~]", k) if p.strip()]
            if len(parts) != 2 or isinstance(v, bool) or not isinstance(v, (int, float)):
                raise self._error(["correlations", k],
                                  "write a correlation as \"input_a, input_b\" = number in [-1, 1]")
            for p in parts:
                if p not in names:
                    raise self._error(["correlations", k], unknown("sampled input", p, names)
                                      + " (only sampled inputs can be correlated)")
            pairs[tuple(parts)] = float(v)
        rank = None
        if pairs:
            try:
                rank = correlation.check(correlation.matrix_from_pairs(names, pairs), names)
            except InputError as exc:
                raise self._error(["correlations"], str(exc)) from None
        for m in self.exceed:
            if m not in metrics:
                raise self._error(["outputs", "exceed", m], unknown("metric", m, metrics))
        try:
            plan = montecarlo.Plan(
                names=tuple(names), dists=tuple(dists), evaluate=prepared.evaluate,
                outputs=tuple(metrics), samples=n, seed=self.seed if seed is None else int(seed),
                constants=constants, rank_correlation=rank, correlation_method=method,
                thresholds={k: tuple(v) for k, v in self.exceed.items()},
                sampler=self.sampler if sampler is None else sampler)
        except InputError as exc:
            if "sampler" in str(exc) and sampler is not None:
                raise  # given on the command line or by the caller, not in the file
            raise self._error(["correlations", "method"] if "method" in str(exc) else ["scenario"],
                              str(exc)) from None
        self._check_domains(plan, own)
        return plan

    def _check_domains(self, plan, own) -> None:
        """A ScenarioError, before any sample is drawn, for a distribution of the scenario's
        own that reaches values its input cannot take (a negative time, a fraction above 1),
        naming the clip that keeps it inside: the run would otherwise fail, or not, on the
        samples a block happens to draw."""
        from .models import _EPS  # the least a positive input's samples may be

        bounds = dict(zip(plan.names, plan.input_bounds))
        for key, loc, dist, (lo, hi) in own:
            have_lo, have_hi = bounds[key]
            # the sampled bounds are widened by a relative 1e-9 (Distribution.bounds)
            low = lo is not None and have_lo < lo - 2e-9 * (abs(lo) + 1e-9)
            high = hi is not None and have_hi > hi + 2e-9 * (abs(hi) + 1e-9)
            if not (low or high):
                continue
            text = dist.describe()
            if low and 0 < lo <= _EPS:
                raise self._error(loc, f"{text} reaches {have_lo:,.4g}, and {key} must be > 0; "
                                       "give it a distribution of positive values, such as "
                                       "lognormal(low, high) over its 90% interval")
            side, edge, worst = ("below", lo, have_lo) if low else ("above", hi, have_hi)
            ends = (f"{lo:g}" if low else "_", f"{hi:g}" if high else "_")
            raise self._error(loc, f"{text} reaches {worst:,.4g}, {side} the {edge:g} {key} "
                                   f"can take; restrict it with clip({text}, {ends[0]}, "
                                   f"{ends[1]})")

    def check(self) -> None:
        """Evaluate one small block so input errors surface before a long run."""
        plan = self.plan(samples=min(self.samples, 256))
        try:
            plan.evaluate_block(0)
        except InputError as exc:
            raise self._model_error(exc) from None

    def _model_error(self, exc: InputError) -> ScenarioError:
        """A model's complaint about sampled values, located at the input's key."""
        name = str(exc).split(" ")[0].rstrip(":")
        hint = ""
        if name in self.inputs and isinstance(self.inputs[name], str):
            hint = " (restrict the distribution to the valid range with clip(..., low, high))"
        if name not in self.inputs:
            return self._error(["inputs"], f"at sampled values: {exc}")
        return self._error(["inputs", name], str(exc) + hint)

    def run(self, *, samples: int | None = None, seed: int | None = None,
            engine: str | None = None, workers: int | None = None, samples_out=None,
            keep_samples: bool = False, progress: bool = False, client=None,
            sampler: str | None = None):
        """Monte Carlo run: a :class:`~siliconomics.uncertainty.montecarlo.MonteCarloResult`."""
        from ..uncertainty import montecarlo

        self.check()
        plan = self.plan(samples=samples, seed=seed, sampler=sampler)
        try:
            return montecarlo.run(plan, engine=engine, workers=workers, samples_out=samples_out,
                                  keep_samples=keep_samples, progress=progress, client=client)
        except EngineError:
            raise  # not about the scenario's inputs
        except InputError as exc:
            raise self._model_error(exc) from None

    def _repr_html_(self) -> str:
        import html

        rows = "".join(f"<tr><td>{html.escape(str(k))}</td><td>{html.escape(str(v))}</td></tr>"
                       for k, v in self.inputs.items())
        return (f"<b>Scenario {html.escape(self.name)}</b> ({self.samples:,} samples, seed "
                f"{self.seed}, model {html.escape(self.model)}, uncertainty "
                f"{html.escape(self.uncertainty)})<table>{rows}</table>")

    def to_dict(self) -> dict:
        return {"name": self.name, "path": self.path, "samples": self.samples, "seed": self.seed,
                "sampler": self.sampler,
                "model": self.model, "uncertainty": self.uncertainty, "inputs": self.inputs,
                "correlations": self.correlations}


def load(path) -> Scenario:
    """Read a scenario file (:meth:`Scenario.from_file`)."""
    return Scenario.from_file(path)


def _where(path: str, text: str, loc: list[str]) -> str:
    """``"file:line: "`` for the key at ``loc`` (best effort; ``"file: "`` when not found)."""
    line = _line_of(text, loc) if text else None
    return f"{path}:{line}: " if line else f"{path}: "


def _line_of(text: str, loc: list[str]) -> int | None:
    lines = text.splitlines()
    section, rest = (loc[0], loc[1:]) if loc else ("", [])
    start = 0
    for i, line in enumerate(lines):
        if re.match(rf"^\s*\[\s*{re.escape(section)}(\s*\]|\.)", line):
            start = i
            break
    if not rest:
        return start + 1 if start or (lines and section in lines[0]) else None
    key = rest[-1]
    pat = re.compile(rf"""^\s*(?:[\w.-]+\.)?["']?{re.escape(key)}["']?\s*=|[{{,]\s*["']?{re.escape(key)}["']?\s*=""")
    for i in range(start, len(lines)):
        if pat.search(lines[i]):
            return i + 1
    return start + 1 if start else None
