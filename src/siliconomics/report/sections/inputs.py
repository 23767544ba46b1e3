"""Report section "Inputs and sources": every input with its value and provenance."""

from __future__ import annotations

from ..html import Section


def provenance(results) -> Section:
    """Every input of the first TCO result with its value and source."""
    import pandas as pd

    rows = []
    seen = set()
    for r in results:
        for name, d in r.inputs.items():
            key = (name, str(d.get("value")), d.get("source"))
            if key in seen:
                continue
            seen.add(key)
            rng = ""
            if d.get("low") is not None:
                rng = f"{d['low']:g} to {d['high']:g}"
            rows.append({
                "input": name,
                "used by": r.site if name in _SITE_INPUTS else "all",
                "value": d.get("value"),
                "90% range": rng,
                "source": d.get("source", "") + (" [assumption]" if d.get("assumption") else ""),
                "as of": d.get("as_of", ""),
            })
    frame = pd.DataFrame(rows)
    frame["value"] = frame["value"].map(lambda v: f"{v:,.6g}" if isinstance(v, float) else str(v))
    return Section(
        id="inputs",
        title="Inputs and sources",
        intro="Every input behind the numbers above, with its central value, default 90% range "
              "and source. Values marked [assumption] have no direct published figure.",
        tables=[("Inputs", frame)],
        data={"inputs": rows},
    )


_SITE_INPUTS = {"power_price_usd_per_kwh", "pue", "build_cost_usd_per_mw"}


def _rng(v):
    return "" if v.low is None else f"{v.low:,.6g} to {v.high:,.6g}"


def _entry_rows(entry, used_by):
    return [{
        "input": f"{entry.slug}.{name}",
        "used by": used_by,
        "value": v.value,
        "90% range": _rng(v),
        "source": v.source + (" [assumption]" if v.assumption else ""),
        "as of": v.as_of,
    } for name, v in entry.fields.items()]


def catalog_provenance(ctx) -> Section:
    """Every catalog entry the report's models read: accelerator, models, assumptions, silicon."""
    import importlib.util

    import pandas as pd

    from ... import catalog

    rows = _entry_rows(catalog.accelerator(ctx.accelerator), "every section")
    for model in sorted(set(ctx.extra.get("models", ()))):
        rows += _entry_rows(catalog.get("models", model), "training and serving")
    for entry in catalog.load().entries("assumptions"):
        v = entry.fields["value"]
        rows.append({"input": entry.slug, "used by": "shared assumption", "value": v.value,
                     "90% range": _rng(v),
                     "source": v.source + (" [assumption]" if v.assumption else ""),
                     "as of": v.as_of})
    if importlib.util.find_spec("siliconomics.silicon") is not None:
        from ...silicon import chip_cost

        for name, d in chip_cost(ctx.accelerator).details["inputs"].items():
            rows.append({
                "input": name, "used by": "silicon", "value": d["value"],
                "90% range": "" if d.get("low") is None else f"{d['low']:,.6g} to {d['high']:,.6g}",
                "source": d.get("source", "") + (" [assumption]" if d.get("assumption") else ""),
                "as of": d.get("as_of", ""),
            })
    frame = pd.DataFrame(rows)
    frame["value"] = frame["value"].map(lambda v: f"{v:,.6g}" if isinstance(v, float) else str(v))
    return Section(
        id="provenance",
        title="Provenance: the catalog data behind the other sections",
        intro="The accelerator, model architectures, shared assumptions and silicon inputs the "
              "sections above read from the catalog, each with its source and date.",
        tables=[("Catalog data", frame)],
        data={"inputs": rows},
    )


def build(ctx) -> list[Section]:
    """The provenance tables: TCO inputs, then every other catalog value the report used."""
    out = [provenance(ctx.tco_results)] if ctx.tco_results else []
    return out + [catalog_provenance(ctx)]
