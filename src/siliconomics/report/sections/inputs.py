"""Report sections "Inputs and sources" and "Provenance": every input with its source."""

from __future__ import annotations

from ..html import Section

_SITE_INPUTS = {"site.power_price_usd_per_kwh", "site.pue", "site.build_cost_usd_per_mw"}


def _row(name, used_by, d: dict) -> dict:
    """One provenance row from a ``{value, low, high, source, as_of, assumption}`` mapping."""
    from ... import format as fmt

    low, high = d.get("low"), d.get("high")
    return {
        "input": name,
        "used by": used_by,
        "value": d.get("value"),
        "90% range": fmt.span(low, high, name),
        "source": (d.get("source") or "") + (" [assumption]" if d.get("assumption") else ""),
        "as of": d.get("as_of") or "",
        "set by": d.get("layer") or "catalog",
    }


def _value_dict(v) -> dict:
    """A catalog :class:`~siliconomics.catalog.loader.Value` as a plain mapping."""
    return {"value": v.value, "low": v.low, "high": v.high, "source": v.source,
            "as_of": v.as_of, "assumption": v.assumption, "layer": v.layer}


_HOW_TO_READ = ("One row per input: its central value, the 90% range the Monte Carlo samples "
                "(empty when the value is exact), where it comes from and when. \"set by\" says "
                "whether the catalog, a user catalog file or --set gave it; [assumption] marks "
                "a value with no direct published figure, which the Uncertainty section then "
                "samples over its range.")


def _section(id_, title, intro, caption, rows) -> Section:
    import pandas as pd

    frame = pd.DataFrame(rows)
    # numbers stay numbers (typed cells in CSV and XLSX; the HTML formats them), the rest text
    frame["value"] = frame["value"].map(
        lambda v: float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else str(v))
    return Section(id=id_, title=title, intro=intro, tables=[(caption, frame)],
                   data={"inputs": rows}, how_to_read=_HOW_TO_READ)


def provenance(results) -> Section:
    """Every input of the TCO results with its value and source (site inputs once per site)."""
    rows, seen = [], set()
    for r in results:
        for name, d in r.inputs.items():
            key = (name, str(d.get("value")), d.get("source"))
            if key not in seen:
                seen.add(key)
                rows.append(_row(name, r.site if name in _SITE_INPUTS else "all", d))
    return _section(
        "inputs", "Inputs and sources",
        "Every input behind the numbers above, with its central value, default 90% range and "
        "source. Values marked [assumption] have no direct published figure.",
        "Inputs", rows)


def catalog_provenance(ctx) -> Section:
    """Every catalog value the report's models read: the accelerator and the entries it names
    (memory, nodes, package, system), the models, shared assumptions; with who set each."""
    from ... import catalog

    r = catalog.resolve(ctx.accelerator)
    used = {"accelerator": "every section", "memory": "silicon, serving", "node": "silicon",
            "io_node": "silicon", "package": "silicon", "harvesting": "silicon",
            "system": "TCO, training, serving", "serving": "serving"}
    rows = [_row(row["path"], used.get(row["path"].split(".")[0], "shared assumption"), row)
            for row in r.provenance() if not row["path"].startswith(("site.", "financing."))]
    for model in sorted(set(ctx.extra.get("models", ()))):
        rows += [_row(f"{model}.{name}", "training and serving", _value_dict(v))
                 for name, v in catalog.get("models", model).fields.items()]
    return _section(
        "provenance", "Provenance: the catalog data behind the other sections",
        "The accelerator and the entries it names (memory, process nodes, package, system), the "
        "model architectures and the shared assumptions the sections above read, each with its "
        "source, date and who set it (the catalog, a user catalog file, --set).",
        "Catalog data", rows)


def build(ctx) -> list[Section]:
    """The provenance tables: TCO inputs, then every other catalog value the report used."""
    out = [provenance(ctx.tco_results)] if ctx.tco_results else []
    return out + [catalog_provenance(ctx)]
