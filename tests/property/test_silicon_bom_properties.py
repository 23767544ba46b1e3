"""Invariants of chip cost: the bill of materials adds up to the closed form, every cost input
raises it and every yield lowers it, currencies scale through, yields stay in (0, 1] and order
as their models say, and good dies never outnumber gross dies."""

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from siliconomics import catalog
from siliconomics.errors import InputError
from siliconomics.silicon import bom, chiplets, dies, packaging, yield_models
from siliconomics.silicon.wafer import cost_per_good_die, wafer


def reals(low, high):
    """Floats in [low, high] without subnormals, whose products round away from any relative
    tolerance."""
    return st.floats(low, high, allow_subnormal=False)


areas = st.floats(1.0, 850.0)
d0s = reals(0.0, 2.0)
yields = st.floats(0.05, 1.0)
models = st.sampled_from(yield_models.MODELS)

#: Inputs of :func:`bom.accelerator_cost` around an H100-class part (catalog n4, hbm3e, cowos-s).
bom_inputs = st.fixed_dictionaries({
    "compute_dies": st.integers(1, 8),
    "compute_die_area_mm2": st.floats(50.0, 850.0),
    "compute_wafer_price_usd": st.floats(1000.0, 40000.0),
    "compute_yield": yields,
    "memory_capacity_gb": reals(0.0, 512.0),
    "memory_price_usd_per_gb": reals(0.0, 40.0),
    "interposer_area_mm2": st.floats(100.0, 3000.0),
    "interposer_wafer_price_usd": st.floats(1000.0, 20000.0),
    "interposer_yield": yields,
    "substrate_cost_usd": reals(0.0, 1000.0),
    "assembly_cost_usd": reals(0.0, 1000.0),
    "test_cost_usd": reals(0.0, 1000.0),
    "packaging_yield": yields,
    "io_dies": st.integers(0, 4),
    "io_die_area_mm2": st.floats(10.0, 500.0),
    "io_wafer_price_usd": st.floats(1000.0, 20000.0),
    "io_yield": yields,
})
USD = ("compute_wafer_price_usd", "memory_price_usd_per_gb", "interposer_wafer_price_usd",
       "substrate_cost_usd", "assembly_cost_usd", "test_cost_usd", "io_wafer_price_usd")
YIELDS = ("compute_yield", "interposer_yield", "packaging_yield", "io_yield")


def _closed_form(kw):
    def raw(area, price):
        return price / float(dies.dies_per_wafer(area, 300.0, dies.EDGE_EXCLUSION_MM))

    good = (kw["compute_dies"] * raw(kw["compute_die_area_mm2"], kw["compute_wafer_price_usd"])
            / kw["compute_yield"]
            + kw["io_dies"] * raw(kw["io_die_area_mm2"], kw["io_wafer_price_usd"]) / kw["io_yield"]
            + raw(kw["interposer_area_mm2"], kw["interposer_wafer_price_usd"])
            / kw["interposer_yield"]
            + kw["memory_capacity_gb"] * kw["memory_price_usd_per_gb"]
            + kw["substrate_cost_usd"] + kw["assembly_cost_usd"] + kw["test_cost_usd"])
    return good / kw["packaging_yield"]


# --- the pure bill of materials ----------------------------------------------------------
@settings(max_examples=100, deadline=None)
@given(bom_inputs)
def test_bom_parts_sum_to_the_closed_form_total(kw):
    b = bom.accelerator_cost(**kw)
    assert tuple(b) == bom.COMPONENTS
    assert all(v >= 0 for v in b.values())
    assert np.isclose(sum(b.values()), b.total, rtol=1e-12)
    assert np.isclose(b.total, _closed_form(kw), rtol=1e-12)
    assert np.isclose(b["memory"], kw["memory_capacity_gb"] * kw["memory_price_usd_per_gb"],
                      rtol=1e-12, atol=0)


@settings(max_examples=50, deadline=None)
@given(bom_inputs)
def test_perfect_yields_leave_no_yield_loss(kw):
    kw = dict(kw, **{k: 1.0 for k in YIELDS})
    assert bom.accelerator_cost(**kw)["yield_loss"] == 0.0


@settings(max_examples=100, deadline=None)
@given(bom_inputs, st.sampled_from(USD), st.floats(1.0, 3.0))
def test_a_dearer_part_never_lowers_the_cost(kw, key, factor):
    base = bom.accelerator_cost(**kw).total
    assert bom.accelerator_cost(**dict(kw, **{key: kw[key] * factor})).total >= base * (1 - 1e-12)


@settings(max_examples=100, deadline=None)
@given(bom_inputs, st.sampled_from(YIELDS), st.floats(0.1, 1.0))
def test_a_lower_yield_never_lowers_the_cost(kw, key, factor):
    base = bom.accelerator_cost(**kw)
    worse = bom.accelerator_cost(**dict(kw, **{key: kw[key] * factor}))
    assert worse.total >= base.total * (1 - 1e-12)
    assert worse["yield_loss"] >= base["yield_loss"] - 1e-9 * base.total


@settings(max_examples=100, deadline=None)
@given(bom_inputs, reals(0.0, 200.0))
def test_a_larger_die_never_costs_less(kw, extra):
    base = bom.accelerator_cost(**kw)
    big = bom.accelerator_cost(**dict(kw, compute_die_area_mm2=kw["compute_die_area_mm2"] + extra))
    assert big["compute_dies"] >= base["compute_dies"] * (1 - 1e-12)
    assert big.total >= base.total * (1 - 1e-12)


@settings(max_examples=100, deadline=None)
@given(bom_inputs, st.floats(1e-3, 1e3))
def test_bom_scales_with_the_currency(kw, k):
    """Every price times k (another currency) gives every component times k."""
    base = bom.accelerator_cost(**kw)
    scaled = bom.accelerator_cost(**dict(kw, **{key: kw[key] * k for key in USD}))
    for name in bom.COMPONENTS:
        assert np.isclose(scaled[name], k * base[name], rtol=1e-11, atol=1e-9 * k * base.total)


@settings(max_examples=30, deadline=None)
@given(st.lists(bom_inputs, min_size=2, max_size=5))
def test_bom_arrays_equal_scalars(rows):
    arrays = {k: np.array([r[k] for r in rows]) for k in rows[0]}
    vector = bom.accelerator_cost(**arrays)
    for i, r in enumerate(rows):
        scalar = bom.accelerator_cost(**r)
        for name in bom.COMPONENTS:
            assert np.isclose(vector[name][i], scalar[name], rtol=1e-13, atol=1e-9)


# --- chip cost from the catalog ----------------------------------------------------------
ACCELERATORS = st.sampled_from(["h100-sxm", "h200", "b200", "mi300x", "a100-sxm4-80gb",
                                "gaudi3", "mi355x"])
CHIP_INPUTS = ("node.wafer_price_usd", "node.defect_density_per_cm2", "memory.price_usd_per_gb",
               "package.interposer_wafer_price_usd", "package.interposer_defect_density_per_cm2",
               "package.substrate_cost_usd", "package.assembly_cost_usd",
               "package.test_cost_usd", "package.interposer_area_overhead")


@settings(max_examples=60, deadline=None)
@given(ACCELERATORS, st.sampled_from(CHIP_INPUTS), st.floats(1.01, 3.0))
def test_a_dearer_or_dirtier_input_never_makes_a_chip_cheaper(acc, path, factor):
    base = bom.chip_cost(acc)
    dear = bom.chip_cost(acc, set={path: catalog.resolve(acc)[path] * factor})
    assert dear.total >= base.total * (1 - 1e-12)


@settings(max_examples=60, deadline=None)
@given(ACCELERATORS, st.floats(0.5, 0.999))
def test_a_lower_packaging_yield_never_makes_a_chip_cheaper(acc, factor):
    base = bom.chip_cost(acc)
    y = catalog.resolve(acc)["package.packaging_yield"]
    assert bom.chip_cost(acc, packaging_yield=y * factor).total >= base.total


@settings(max_examples=60, deadline=None)
@given(st.floats(100.0, 850.0), reals(0.0, 200.0), st.integers(1, 8), st.integers(0, 4),
       st.sampled_from(["n7", "n5", "n4", "n3"]), st.sampled_from(["hbm3", "hbm3e", "hbm4"]))
def test_custom_chip_cost_rises_with_area_and_stacks(area, extra, stacks, more, node, mem):
    """A larger die or more HBM stacks never make a chip cheaper (within reticle and package)."""
    area2 = min(area + extra, dies.RETICLE_AREA_MM2)
    stacks2 = min(stacks + more, 8)
    kw = {"node": node, "memory": mem, "package": "cowos-l"}
    base = bom.chip_cost(die_area_mm2=area, memory_stacks=stacks, **kw)
    big = bom.chip_cost(die_area_mm2=area2, memory_stacks=stacks, **kw)
    more_hbm = bom.chip_cost(die_area_mm2=area, memory_stacks=stacks2, **kw)
    assert big.total >= base.total * (1 - 1e-12)
    assert more_hbm.total >= base.total * (1 - 1e-12)
    assert np.isclose(more_hbm["memory"], base["memory"] * stacks2 / stacks, rtol=1e-12)


@settings(max_examples=60, deadline=None)
@given(ACCELERATORS, st.floats(0.1, 3.0))
def test_chip_cost_statistics_are_consistent(acc, price_factor):
    c = bom.chip_cost(acc)
    d = c.details
    assert np.isclose(sum(c.values()), c.total, rtol=1e-12)
    assert 0 < d["die_yield"] <= 1 and 0 < d["interposer_yield"] <= 1
    assert d["die_yield"] >= d["die_yield_without_harvesting"] - 1e-12
    assert 0 < d["good_dies_per_wafer"] <= d["dies_per_wafer"]
    assert np.isclose(d["cost_per_good_die_usd"] * d["good_dies_per_wafer"],
                      catalog.resolve(acc)["node.wafer_price_usd"], rtol=1e-12)
    assert 0 < bom.memory_share(c) < 1
    price = c.total * price_factor
    priced = bom.chip_cost(acc, price_usd=price)
    assert np.isclose(priced.gross_margin, 1 - 1 / price_factor, rtol=1e-9, atol=1e-12)


# --- dies, yield and wafers --------------------------------------------------------------
@settings(max_examples=100, deadline=None)
@given(areas, d0s, models, st.floats(0.1, 20.0))
def test_yield_lies_in_zero_one_and_is_one_without_defects(a, d0, model, alpha):
    y = yield_models.die_yield(a, d0, model, clustering=alpha)
    assert 0 < y <= 1
    assert yield_models.die_yield(a, 0.0, model, clustering=alpha) == 1.0


@settings(max_examples=100, deadline=None)
@given(areas, d0s, models, st.floats(0.01, 1.0), st.floats(0.01, 100.0))
def test_yield_depends_on_critical_area_times_density_only(a, d0, model, f, k):
    """lambda = A_c D0: the critical fraction, and mm^2 traded for 1/cm^2, change nothing else."""
    y = yield_models.die_yield(a, d0, model, critical_area_fraction=f)
    assert np.isclose(y, yield_models.die_yield(a * f, d0, model), rtol=1e-9, atol=1e-15)
    assert np.isclose(y, yield_models.die_yield(a, d0 * f, model), rtol=1e-9, atol=1e-15)
    assert np.isclose(yield_models.die_yield(a * k, d0 / k, model),
                      yield_models.die_yield(a, d0, model), rtol=1e-9, atol=1e-15)


@settings(max_examples=100, deadline=None)
@given(areas, d0s, st.floats(0.1, 20.0), reals(0.0, 20.0))
def test_yield_models_order_as_their_clustering(a, d0, alpha, more):
    """Poisson <= Murphy <= Seeds; the negative binomial equals Seeds at alpha = 1, never falls
    below Poisson and falls as alpha grows (less clustering)."""
    p, m, s = (yield_models.die_yield(a, d0, k) for k in ("poisson", "murphy", "seeds"))
    assert p <= m * (1 + 1e-12) and m <= s * (1 + 1e-12)
    nb = yield_models.die_yield(a, d0, "negative_binomial", clustering=alpha)
    nb_less = yield_models.die_yield(a, d0, "negative_binomial", clustering=alpha + more)
    assert p * (1 - 1e-12) <= nb_less <= nb * (1 + 1e-12)
    assert np.isclose(yield_models.die_yield(a, d0, "negative_binomial", clustering=1.0), s,
                      rtol=1e-12)


@settings(max_examples=100, deadline=None)
@given(areas, st.floats(100.0, 450.0), reals(0.0, 10.0), st.floats(0.05, 5.0))
def test_dies_per_wafer_is_unit_free(a, d, edge, k):
    """Lengths times k and areas times k^2 leave the count unchanged."""
    edge = min(edge, d / 4)
    if a >= math.pi * (d - 2 * edge) ** 2 / 4:
        return
    n = dies.dies_per_wafer(a, d, edge)
    assert np.isclose(dies.dies_per_wafer(a * k * k, d * k, edge * k), n, rtol=1e-9, atol=1e-9)
    assert n <= math.pi * (d - 2 * edge) ** 2 / (4 * a)


@settings(max_examples=100, deadline=None)
@given(areas, reals(0.0, 100.0), st.floats(100.0, 40000.0), d0s, reals(0.0, 1.0), models)
def test_good_dies_never_exceed_gross_dies_and_cost_rises_with_area_and_defects(
        a, extra, price, d0, more, model):
    r = cost_per_good_die(die_area_mm2=a, wafer_price_usd=price, defect_density_per_cm2=d0,
                          model=model)
    assert r["good_dies_per_wafer"] <= r["dies_per_wafer"]
    assert r["cost_per_good_die_usd"] >= r["cost_per_die_usd"]
    assert np.isclose(r["cost_per_die_usd"] * r["dies_per_wafer"], price, rtol=1e-12)
    bigger = cost_per_good_die(die_area_mm2=a + extra, wafer_price_usd=price,
                               defect_density_per_cm2=d0, model=model)
    dirtier = cost_per_good_die(die_area_mm2=a, wafer_price_usd=price,
                                defect_density_per_cm2=d0 + more, model=model)
    assert bigger["cost_per_good_die_usd"] >= r["cost_per_good_die_usd"] * (1 - 1e-12)
    assert dirtier["cost_per_good_die_usd"] >= r["cost_per_good_die_usd"] * (1 - 1e-12)


@settings(max_examples=40, deadline=None)
@given(st.floats(3.0, 26.0), st.floats(3.0, 33.0), st.sampled_from(["n7", "n5", "n4", "n3"]),
       models)
def test_wafer_result_is_consistent(w, h, node, model):
    r = wafer((w, h), node, model=model)
    assert r.good_dies_per_wafer <= r.dies_per_wafer
    assert r.die_yield == r.yield_by_model[model]
    assert all(0 < y <= 1 for y in r.yield_by_model.values())
    assert np.isclose(r.cost_per_good_die_usd * r.good_dies_per_wafer, r.wafer_price_usd,
                      rtol=1e-12)
    assert r.within_reticle


@settings(max_examples=100, deadline=None)
@given(st.floats(0.1, 99.0), st.floats(0.1, 99.0), st.sampled_from(["x", " x ", "×", "*", "X"]),
       st.booleans())
def test_die_size_text_round_trips(w, h, sep, mm):
    unit = " mm" if mm else ""
    text = f"{w:.4f}{unit}{sep}{h:.4f}{unit}"
    assert dies.parse_die_size(text) == (float(f"{w:.4f}"), float(f"{h:.4f}"))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=40))
def test_die_size_text_parses_or_raises_input_error(text):
    try:
        w, h = dies.parse_die_size(text)
    except InputError:
        return
    assert w > 0 and h > 0


# --- packaging and chiplets --------------------------------------------------------------
@settings(max_examples=100, deadline=None)
@given(st.floats(1.0, 2000.0), st.integers(0, 12), st.floats(50.0, 200.0), reals(0.0, 0.5),
       reals(0.0, 1000.0))
def test_interposer_area_is_linear_in_its_parts(base, stacks, footprint, overhead, more):
    a = packaging.interposer_area_mm2(base, stacks, footprint, overhead)
    assert np.isclose(a, (base + stacks * footprint) * (1 + overhead), rtol=1e-12)
    assert packaging.interposer_area_mm2(base + more, stacks, footprint, overhead) >= a
    assert packaging.interposer_area_mm2(base, stacks + 1, footprint, overhead) > a


@settings(max_examples=100, deadline=None)
@given(st.floats(100.0, 3000.0), reals(0.0, 2e4), reals(0.0, 0.2), models)
def test_a_good_interposer_costs_its_raw_cost_over_its_yield(area, price, d0, model):
    r = packaging.interposer_cost(area, price, d0, model)
    assert 0 < r["yield"] <= 1
    assert r["good_cost_usd"] >= r["cost_usd"] >= 0
    assert np.isclose(r["good_cost_usd"] * r["yield"], r["cost_usd"], rtol=1e-12, atol=1e-12)
    assert np.isclose(r["cost_usd"] * r["dies_per_wafer"], price, rtol=1e-12, atol=1e-9)


@settings(max_examples=100, deadline=None)
@given(reals(0.0, 1024.0), reals(0.0, 40.0), st.floats(1e-3, 1e3))
def test_hbm_cost_is_capacity_times_price_in_any_currency(gb, price, k):
    assert np.isclose(packaging.hbm_cost_usd(gb, price), gb * price, rtol=1e-15, atol=1e-12)
    assert np.isclose(packaging.hbm_cost_usd(gb, price * k), k * gb * price, rtol=1e-12,
                      atol=1e-12)


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 12), st.integers(0, 12), st.floats(100.0, 4000.0),
       st.sampled_from(["cowos-s", "cowos-l"]))
def test_package_check_raises_exactly_beyond_the_limits(n_dies, stacks, area, name):
    pkg = packaging.package(name)
    over = (n_dies > pkg.max_compute_dies or stacks > pkg.max_hbm_stacks
            or area > pkg.max_interposer_area_mm2)
    try:
        packaging.check_package(pkg, n_dies, stacks, area)
        raised = False
    except InputError:
        raised = True
    assert raised == over


chiplet_kw = st.fixed_dictionaries({
    "wafer_price_usd": st.floats(3000.0, 40000.0),
    "defect_density_per_cm2": reals(0.0, 0.5),
    "d2d_overhead_fraction": reals(0.0, 0.3),
    "package_base_cost_usd": reals(0.0, 2000.0),
    "bond_cost_usd": reals(0.0, 100.0),
    "bond_yield": st.floats(0.9, 1.0),
})
SPLITS = (1, 2, 3, 4, 6, 8)


@settings(max_examples=100, deadline=None)
@given(st.floats(50.0, 3000.0), chiplet_kw, st.booleans())
def test_chiplet_costs_are_consistent(area, kw, stitched):
    r = chiplets.chiplet_costs(area, SPLITS, stitched=stitched, **kw)
    n = r["n"]
    assert np.all(r["chiplet_area_mm2"] * n >= area * (1 - 1e-12))
    assert np.all((r["die_yield"] > 0) & (r["die_yield"] <= 1))
    assert np.allclose(r["package_yield"], kw["bond_yield"] ** n, rtol=1e-12)
    assert np.array_equal(r["feasible"],
                          stitched | (r["chiplet_area_mm2"] <= dies.RETICLE_AREA_MM2 + 1e-9))
    assert np.all(np.where(r["feasible"], np.isfinite(r["cost_usd"]), np.isinf(r["cost_usd"])))
    feasible_costs = np.where(r["feasible"], r["cost_usd"], np.inf)
    if np.any(r["feasible"]):
        assert r["cost_usd"][list(n).index(r["best_n"])] == feasible_costs.min()
        cost = (r["silicon_usd"] + r["packaging_usd"]) / r["package_yield"]
        assert np.allclose(r["cost_usd"][r["feasible"]], cost[r["feasible"]], rtol=1e-12)


@settings(max_examples=100, deadline=None)
@given(st.floats(50.0, 3000.0), chiplet_kw, st.floats(1.0, 3.0), reals(0.0, 0.5))
def test_chiplet_cost_rises_with_wafer_price_and_defects(area, kw, factor, more):
    base = chiplets.chiplet_costs(area, SPLITS, stitched=True, **kw)["cost_usd"]
    dear = chiplets.chiplet_costs(area, SPLITS, stitched=True,
                                  **dict(kw, wafer_price_usd=kw["wafer_price_usd"] * factor))
    dirty = chiplets.chiplet_costs(area, SPLITS, stitched=True, **dict(
        kw, defect_density_per_cm2=kw["defect_density_per_cm2"] + more))
    assert np.all(dear["cost_usd"] >= base * (1 - 1e-12))
    assert np.all(dirty["cost_usd"] >= base * (1 - 1e-12))


@settings(max_examples=100, deadline=None)
@given(st.floats(50.0, 3000.0), chiplet_kw, st.floats(1e-3, 1e3))
def test_chiplet_costs_scale_with_the_currency(area, kw, k):
    base = chiplets.chiplet_costs(area, SPLITS, stitched=True, **kw)
    usd = ("wafer_price_usd", "package_base_cost_usd", "bond_cost_usd")
    scaled = chiplets.chiplet_costs(area, SPLITS, stitched=True,
                                    **dict(kw, **{key: kw[key] * k for key in usd}))
    assert np.allclose(scaled["cost_usd"], k * base["cost_usd"], rtol=1e-11)
    assert scaled["best_n"] == base["best_n"] or np.isclose(
        base["cost_usd"][list(base["n"]).index(scaled["best_n"])],
        base["cost_usd"].min(), rtol=1e-11)
