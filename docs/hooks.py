"""MkDocs hooks: pages generated at build time from the package itself.

- ``catalog/<kind>.md``: every catalog entry of a kind as a table of its values with their 90%
  range, source and date (read from the TOML through :mod:`siliconomics.catalog`), and
  ``catalog/index.md`` listing the kinds;
- ``validation.md``: every validation case run at build time (:func:`validation_page`);
- ``api/<module>.md``: every public function and class of a model module with its signature and
  docstring, one anchor per function (``api/tco.md#siliconomics.tco.accelerator_hour``) for the
  model reference pages to link their formulas to; ``api/index.md`` lists the modules.

Nothing is written into docs/: the pages exist only in the build.
"""

from __future__ import annotations

import html
import importlib
import inspect

from mkdocs.structure.files import File

#: Modules with a page of functions, in the order the guide introduces them.
API_MODULES = (
    "siliconomics.silicon.dies", "siliconomics.silicon.wafer", "siliconomics.silicon.yield_models",
    "siliconomics.silicon.bom",
    "siliconomics.silicon.chiplets", "siliconomics.tco", "siliconomics.datacenter.facility",
    "siliconomics.datacenter.network", "siliconomics.datacenter.power",
    "siliconomics.datacenter.energy", "siliconomics.finance",
    "siliconomics.pricing", "siliconomics.workloads.training",
    "siliconomics.workloads.parallelism", "siliconomics.workloads.reliability",
    "siliconomics.workloads.serving.step", "siliconomics.workloads.serving.batching",
    "siliconomics.workloads.serving.cost", "siliconomics.workloads.serving.estimate", "siliconomics.planning.sites",
    "siliconomics.planning.fleet", "siliconomics.chain", "siliconomics.uncertainty.montecarlo",
    "siliconomics.uncertainty.sensitivity", "siliconomics.uncertainty.distributions",
    "siliconomics.industry.foundries",
    "siliconomics.industry.labs",
)

#: Most entries of a kind shown with every field (the price history is long).
MAX_ROWS_PER_ENTRY = 200


def _cell(x) -> str:
    text = "" if x is None else (f"{x:,.6g}" if isinstance(x, float) else str(x))
    return html.escape(text).replace("|", "\\|").replace("\n", " ")


def catalog_page(kind: str) -> str:
    """Markdown of every entry of one catalog kind: one table per entry."""
    from siliconomics import catalog

    c = catalog.builtin()
    lines = [f"# Catalog: {kind.replace('_', ' ')}", "",
             f"Every `{kind}` entry of the built-in catalog "
             f"(`src/siliconomics/catalog/{kind}.toml`), generated when this guide was built. "
             "A value with a range is sampled over it by the Monte Carlo (`uncertainty = "
             "\"catalog\"`); [assumption] marks a value without a direct published figure.", ""]
    for entry in c.entries(kind):
        lines += [f"## {entry.slug}", "", f"**{_cell(entry.name)}**. Source: "
                  f"{_cell(entry.source)} ({_cell(entry.as_of)})."
                  + (f" Also known as: {', '.join(entry.aliases)}." if entry.aliases else ""), "",
                  "| field | value | 90% range | source | as of |", "|---|---|---|---|---|"]
        for name, v in list(entry.fields.items())[:MAX_ROWS_PER_ENTRY]:
            rng = "" if v.low is None else f"{_cell(v.low)} to {_cell(v.high)}"
            src = _cell(v.source) + (" [assumption]" if v.assumption else "")
            lines.append(f"| {name} | {_cell(v.value)} | {rng} | {src} | {_cell(v.as_of)} |")
        lines.append("")
    return "\n".join(lines)


def catalog_index() -> str:
    from siliconomics import catalog

    c = catalog.builtin()
    rows = [f"| [{k.replace('_', ' ')}]({k}.md) | {len(c.names(k))} |" for k in c.kinds()]
    return "\n".join([
        "# The catalog", "",
        "Every number the models use comes from here: a value, its 90% range where uncertain, "
        "its source and date. These pages are generated from the TOML files when the guide is "
        "built. Add or change entries with your own file: see "
        "[your own accelerator or site](../tutorials/own-accelerator-site.md).", "",
        "| kind | entries |", "|---|---|", *rows, ""])


def _members(module):
    for name, obj in vars(module).items():
        if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
            continue
        if inspect.isfunction(obj) or inspect.isclass(obj):
            yield name, obj


def api_page(module_name: str) -> str:
    """Markdown of a module's public functions and classes, each under its own anchor."""
    module = importlib.import_module(module_name)
    lines = [f"# `{module_name}`", "", "<pre>" + html.escape(inspect.getdoc(module) or "")
             + "</pre>", ""]
    for name, obj in _members(module):
        try:
            sig = str(inspect.signature(obj))
        except (TypeError, ValueError):
            sig = "(...)"
        anchor = f"{module_name}.{name}"
        lines += [f"## {name} {{ #{anchor} }}", "",
                  f"```python\n{name}{sig}\n```", "",
                  "<pre>" + html.escape(inspect.getdoc(obj) or "") + "</pre>", ""]
    return "\n".join(lines)


def api_index() -> str:
    rows = [f"- [`{m}`]({m.removeprefix('siliconomics.')}.md)" for m in API_MODULES]
    return "\n".join(["# Functions", "",
                      "Each model's functions with their docstrings: units in square brackets, "
                      "the formula in Notes, the reference and an example. Generated from the "
                      "source when the guide is built.", "", *rows, ""])


def _pct(x: float) -> str:
    return f"{x:+.1%}" if x else "0.0%"


def validation_page() -> str:
    """Markdown of ``siliconomics validate`` run when the guide is built: each area's errors,
    then every case with its published and computed figure, tolerance, result and source, and
    each known miss with its reason."""
    from siliconomics import validation

    outcomes = [validation.evaluate(c) for c in
                sorted(validation.cases(), key=lambda c: (c.area, c.calibration, c.id))]
    held = [o for o in outcomes if not o.case.calibration]
    lines = [
        "# Validation: the published record against the models", "",
        "Every case below is a figure someone published (a training run's throughput, a "
        "measured serving benchmark, a chip's cost, a site's energy), with its source, set up "
        "as the source states it and computed by the models from the default catalog. This "
        "page is `siliconomics validate` run when the guide was built.", "",
        "- **Held out** unless marked *calibration*: a calibration case is the figure a model "
        "parameter was fitted to, shown to prove the fit and reported apart; it is no test.",
        "- **Tolerance** is justified in each case from the source's precision and what the "
        "setup leaves open, and is never wider than its kind's limit:", "",
        "| kind | widest tolerance |", "|---|---|",
        *[f"| {k} | {v:.0%} |" for k, v in validation.LIMITS.items()], "",
        "- **Known misses** are figures the models do not reproduce today. They stay in the "
        "suite, each with its reason, so the gap is visible and a fix shows up here.", "",
        "## By area", "",
        "| area | cases | passed | known misses | mean abs. error | median | max |",
        "|---|---|---|---|---|---|---|"]
    for a in validation.summarize(outcomes):
        name = a["area"] + (" (calibration)" if a["calibration"] else "")
        lines.append(f"| {name} | {a['cases']} | {a['passed']} | {a['known_misses']} | "
                     f"{a['mean_abs_error']:.1%} | {a['median_abs_error']:.1%} | "
                     f"{a['max_abs_error']:.1%} |")
    lines += ["", f"{len(held)} held-out cases: {sum(o.passed for o in held)} within "
              f"tolerance, {sum(o.known_miss for o in held)} "
              "known misses.", ""]
    for area in sorted({o.case.area for o in outcomes}):
        group = [o for o in outcomes if o.case.area == area]
        lines += [f"## {'TCO' if area == 'tco' else area.capitalize()}", "",
                  "| case | published | computed | error | tolerance | result | source |",
                  "|---|---|---|---|---|---|---|"]
        for o in group:
            c = o.case
            result = ("calibration" if c.calibration else "pass" if o.passed
                      else "known miss" if c.known_miss else "FAIL")
            lines.append(
                f"| {_cell(c.description)} <br><small>`{c.id}`</small> | "
                f"{_cell(float(c.published))} {_cell(c.unit)} | {_cell(o.computed)} | "
                f"{_pct(o.error)} | {c.tolerance:.0%} | {result} | {_cell(c.source)} |")
        misses = [o for o in group if o.known_miss]
        if misses:
            lines += ["", "Known misses:", ""]
            lines += [f"- `{o.case.id}` ({_pct(o.error)}): {_cell(o.case.known_miss)}"
                      for o in misses]
        lines.append("")
    return "\n".join(lines)


def pages() -> dict[str, str]:
    """Every generated page: path under docs/ -> Markdown."""
    from siliconomics import catalog

    out = {"catalog/index.md": catalog_index(), "api/index.md": api_index(),
           "validation.md": validation_page()}
    for kind in catalog.builtin().kinds():
        out[f"catalog/{kind}.md"] = catalog_page(kind)
    for m in API_MODULES:
        out[f"api/{m.removeprefix('siliconomics.')}.md"] = api_page(m)
    return out


def on_files(files, config):
    """Add the generated pages to the build."""
    for path, text in pages().items():
        files.append(File.generated(config, path, content=text))
    return files
