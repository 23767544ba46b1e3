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


def build(ctx) -> list[Section]:
    """The provenance table of the TCO inputs used in the report."""
    return [provenance(ctx.tco_results)] if ctx.tco_results else []
