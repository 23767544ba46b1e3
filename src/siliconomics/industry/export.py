r"""Export rules: US performance thresholds classify accelerators; country tiers restrict sites.

Performance (BIS, 88 FR 73458, 2023-10-25, ECCN 3A090):

- **Total processing performance** :math:`TPP = 2 \times MacTOPS \times \text{bit length}`,
  the largest over the part's precisions. A multiply-accumulate is two operations, so with dense
  peak rates in TOP/s (or TFLOP/s) :math:`TPP = \max_k R_k\,b_k` (FP4 x 4, FP8 and INT8 x 8,
  BF16 x 16, TF32 x 32, FP64 x 64).
- **Performance density** :math:`PD = TPP / A`, with :math:`A` the applicable die area in mm²
  (compute and I/O dies).
- **3A090.a**: :math:`TPP \ge 4800`, or :math:`TPP \ge 1600` and :math:`PD \ge 5.92`.
  **3A090.b**: :math:`2400 \le TPP < 4800` and :math:`1.6 \le PD < 5.92`, or :math:`TPP \ge 1600`
  and :math:`3.2 \le PD < 5.92`. Anything else is not controlled by 3A090.

Regions (BIS, 'Framework for Artificial Intelligence Diffusion', 90 FR 4544, 2025-01-15; a
scenario since BIS announced its rescission on 2025-05-13): tier 1 (the US and 18 partners)
hosts any part; tier 2 (every other country) hosts controlled parts only under a licence;
tier 3 (arms-embargoed countries) hosts no controlled part (``catalog/export_regions.toml``).
A site's tier follows its country unless a plan names a region for it.

Examples
--------
>>> classify("h100")
'3A090.a'
>>> classify("h20")
'not controlled'
>>> round(total_processing_performance("a800"))
4992
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import _checks
from ..errors import InputError, unknown
from ..results import ResultMixin

#: Dense rate fields and the bit length BIS multiplies each by.
BIT_LENGTHS = {"fp4_tflop_per_s": 4, "fp8_tflop_per_s": 8, "int8_tops": 8,
               "bf16_tflop_per_s": 16, "tf32_tflop_per_s": 32, "fp64_tflop_per_s": 64}

#: Export classes, most to least restricted.
CLASSES = ("3A090.a", "3A090.b", "not controlled")

#: What a site of each tier may do with each class: allowed, licence or prohibited.
RULES = {
    1: {"3A090.a": "allowed", "3A090.b": "allowed", "not controlled": "allowed"},
    2: {"3A090.a": "licence", "3A090.b": "licence", "not controlled": "allowed"},
    3: {"3A090.a": "prohibited", "3A090.b": "prohibited", "not controlled": "allowed"},
}


def _catalog():
    from .. import catalog

    return catalog.load()


def _threshold(name: str) -> float:
    return float(_catalog().get("market_parameters", name).fields["value"].value)


def _accelerator(acc):
    from .. import catalog

    return acc if hasattr(acc, "slug") else catalog.accelerator(acc)


def total_processing_performance(accelerator) -> float:
    """TPP of an accelerator: the largest dense rate times its bit length. [bit-TOP/s]"""
    a = _accelerator(accelerator)
    best = 0.0
    for f, bits in BIT_LENGTHS.items():
        rate = a.get(f)
        if rate is not None:
            best = max(best, float(rate) * bits)
    return best


def applicable_die_area_mm2(accelerator) -> float:
    """Area of the dies that carry logic: compute dies plus I/O (base) dies. [mm²]"""
    a = _accelerator(accelerator)
    return float(a.compute_dies * a.compute_die_area_mm2
                 + (a.io_dies or 0) * (a.io_die_area_mm2 or 0.0))


def classify_values(tpp, density) -> np.ndarray | str:
    """3A090 class from TPP and performance density (broadcasts over arrays)."""
    _checks.non_negative("tpp", tpp)
    _checks.non_negative("density", density)
    t = np.asarray(tpp, dtype=float)
    d = np.asarray(density, dtype=float)
    a_tpp, a_floor, a_pd = (_threshold("export-tpp-threshold"),
                            _threshold("export-tpp-density-floor"),
                            _threshold("export-density-threshold"))
    b_tpp, b_lo, b_hi = (_threshold("export-b-tpp-threshold"), _threshold("export-b-density-low"),
                         _threshold("export-b-density-high"))
    is_a = (t >= a_tpp) | ((t >= a_floor) & (d >= a_pd))
    is_b = ~is_a & (((t >= b_tpp) & (t < a_tpp) & (d >= b_lo) & (d < a_pd))
                    | ((t >= a_floor) & (d >= b_hi) & (d < a_pd)))
    out = np.where(is_a, CLASSES[0], np.where(is_b, CLASSES[1], CLASSES[2]))
    return str(out) if out.ndim == 0 else out


def classify(accelerator) -> str:
    """Export class of a catalog accelerator: ``3A090.a``, ``3A090.b`` or ``not controlled``."""
    tpp = total_processing_performance(accelerator)
    return classify_values(tpp, tpp / applicable_die_area_mm2(accelerator))


def region(name: str):
    """An export region (``tier-1``, ``tier-2``, ``tier-3`` or an alias); an unknown name raises
    :class:`InputError` naming the closest."""
    cat = _catalog()
    try:
        return cat.get("export_regions", name)
    except Exception:
        raise InputError(unknown("export region", str(name), cat.names("export_regions"))) from None


def country_tier(country: str) -> int:
    """Tier of an ISO 3166-1 alpha-2 country: listed in tier 1 or 3, else 2."""
    code = str(country).strip().upper()
    for slug in _catalog().names("export_regions"):
        r = _catalog().get("export_regions", slug)
        if code in {c.strip().upper() for c in str(r.countries).split(",") if c.strip()}:
            return int(r.tier)
    return 2


def site_tier(site, region_name: str | None = None) -> int:
    """Tier of a site: the named region's, else its country's."""
    from .. import catalog

    if region_name is not None:
        return int(region(region_name).tier)
    return country_tier(catalog.site(site).country)


def status(accelerator, tier: int) -> str:
    """``allowed``, ``licence`` or ``prohibited``: may a site of ``tier`` host the part?"""
    t = _checks.count("tier", tier, 1, 3)
    return RULES[t][classify(accelerator)]


@dataclass
class ExportTable(ResultMixin):
    """Export class of each accelerator, with its TPP, density and status by tier."""

    rows: list
    sources: dict

    def to_dict(self) -> dict:
        return {"rows": self.rows, "sources": self.sources}


def table(accelerators=None) -> ExportTable:
    """Classify ``accelerators`` (default the whole catalog)."""
    from .. import catalog

    names = list(accelerators) if accelerators else catalog.names("accelerators")
    rows = []
    for n in names:
        a = catalog.accelerator(n)
        tpp = total_processing_performance(a)
        area = applicable_die_area_mm2(a)
        cls = classify_values(tpp, tpp / area)
        rows.append({"accelerator": a.slug, "vendor": a.vendor, "tpp": tpp,
                     "die_area_mm2": area, "performance_density": tpp / area,
                     "class": cls, "price_usd": float(a.price_usd),
                     "by_tier": {t: RULES[t][cls] for t in (1, 2, 3)}})
    cat = _catalog()
    sources = {"thresholds": cat.get("market_parameters", "export-tpp-threshold").source,
               "regions": cat.get("export_regions", "tier-1").source}
    return ExportTable(rows=rows, sources=sources)


def allowed_mask(sites, accelerators, *, regions=None, licences=True) -> np.ndarray:
    """(S, G) booleans: may each site host each accelerator? ``regions`` maps sites to named
    regions (overriding their country); with ``licences`` tier-2 sites get their licences."""
    regions = dict(regions or {})
    from .. import catalog

    slugs = {catalog.site(s).slug: s for s in sites}
    for key in regions:
        if catalog.site(key).slug not in slugs:
            raise InputError(unknown("site (not in the plan's sites)", key, list(slugs)))
    by_slug = {catalog.site(k).slug: v for k, v in regions.items()}
    mask = np.zeros((len(sites), len(accelerators)), dtype=bool)
    for i, s in enumerate(sites):
        tier = site_tier(s, by_slug.get(catalog.site(s).slug))
        for j, g in enumerate(accelerators):
            st = status(g, tier)
            mask[i, j] = st == "allowed" or (st == "licence" and licences)
    return mask


def restrict_plan(problem, *, regions=None, licences=True):
    """``problem`` (a :class:`~siliconomics.planning.fleet.FleetProblem`) with purchases of
    accelerators a site may not host set to zero (:func:`allowed_mask`)."""
    import dataclasses

    mask = allowed_mask(problem.sites, problem.generations, regions=regions, licences=licences)
    return dataclasses.replace(problem, allowed=mask & np.asarray(problem.allowed, dtype=bool))


__all__ = ["CLASSES", "RULES", "ExportTable", "allowed_mask", "applicable_die_area_mm2",
           "classify", "classify_values", "country_tier", "region", "restrict_plan",
           "site_tier", "status", "table", "total_processing_performance"]
