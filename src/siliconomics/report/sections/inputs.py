"""Report sections "Inputs and sources" and "Provenance": every input with its source."""

from __future__ import annotations

from ..html import Section

_SITE_INPUTS = {"power_price_usd_per_kwh", "pue", "build_cost_usd_per_mw"}


def _row(name, used_by, d: dict) -> dict:
    """One provenance row from a ``{value, low, high, source, as_of, assumption}`` mapping."""
    low, high = d.get("low"), d.get("high")
    return {
        "input": name,
        "used by": used_by,
        "value": d.get("value"),
        "90% range": "" if low is None else f"{low:,.6g} to {high:,.6g}",
        "source": (d.get("source") or "") + (" [assumption]" if d.get("assumption") else ""),
        "as of": d.get("as_of") or "",
    }


def _value_dict(v) -> dict:
    """A catalog :class:`~siliconomics.catalog.loader.Value` as a plain mapping."""
    return {"value": v.value, "low": v.low, "high": v.high, "source": v.source,
            "as_of": v.as_of, "assumption": v.assumption}


def _section(id_, title, intro, caption, rows) -> Section:
    import pandas as pd

    frame = pd.DataFrame(rows)
    frame["value"] = frame["value"].map(lambda v: f"{v:,.6g}" if isinstance(v, float) else str(v))
    return Section(id=id_, title=title, intro=intro, tables=[(caption, frame)],
                   data={"inputs": rows})


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
    """Every catalog entry the report's models read: accelerator, models, assumptions, silicon."""
    import importlib.util

    from ... import catalog

    def entry_rows(entry, used_by):
        return [_row(f"{entry.slug}.{name}", used_by, _value_dict(v))
                for name, v in entry.fields.items()]

    rows = entry_rows(catalog.accelerator(ctx.accelerator), "every section")
    for model in sorted(set(ctx.extra.get("models", ()))):
        rows += entry_rows(catalog.get("models", model), "training and serving")
    rows += [_row(e.slug, "shared assumption", _value_dict(e.fields["value"]))
             for e in catalog.load().entries("assumptions")]
    if importlib.util.find_spec("siliconomics.silicon") is not None:
        from ...silicon import chip_cost

        rows += [_row(name, "silicon", d)
                 for name, d in chip_cost(ctx.accelerator).details["inputs"].items()]
    return _section(
        "provenance", "Provenance: the catalog data behind the other sections",
        "The accelerator, model architectures, shared assumptions and silicon inputs the sections "
        "above read from the catalog, each with its source and date.",
        "Catalog data", rows)


def build(ctx) -> list[Section]:
    """The provenance tables: TCO inputs, then every other catalog value the report used."""
    out = [provenance(ctx.tco_results)] if ctx.tco_results else []
    return out + [catalog_provenance(ctx)]
