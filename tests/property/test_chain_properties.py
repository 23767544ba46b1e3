"""Invariants of the chain: under cost-plus a dearer input upstream never makes anything
downstream cheaper; setting an input to its catalog value changes nothing, bit for bit."""

import functools

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from siliconomics.scenario import models

#: Upstream costs (raising them can only raise costs) and what each stage reports.
COSTS = ("node.wafer_price_usd", "node.defect_density_per_cm2", "memory.price_usd_per_gb",
         "package.interposer_wafer_price_usd", "package.substrate_cost_usd",
         "package.assembly_cost_usd", "package.test_cost_usd", "system.host_cost_usd",
         "system.scaleup_switch_cost_usd", "system.cooling_cost_usd", "system.rack_power_cost_usd",
         "system.power_kw", "site.power_price_usd_per_kwh", "site.pue",
         "site.build_cost_usd_per_mw", "financing.cost_of_capital",
         "assumptions.switch-cost-usd", "assumptions.transceiver-cost-usd",
         "assumptions.cost-plus-markup", "assumptions.it-maintenance-fraction")
DOWNSTREAM = ("chip_cost_usd", "price_usd", "usd_per_accelerator_hour", "training_cost_usd",
              "usd_per_million_output_tokens", "usd_per_million_input_tokens")


@functools.cache
def chain(rule):
    p = models.prepare("chain", {"accelerator": "h100-sxm", "pricing": rule,
                                 "model": "llama-3.1-8b", "accelerators": 1024})
    base = {k: s.value for k, s in p.inputs.items()}
    return p, base, p.evaluate(base)


@given(st.sampled_from(COSTS), st.floats(1.01, 3.0))
def test_dearer_upstream_never_cheaper_downstream_under_cost_plus(path, factor):
    p, base, out = chain("cost-plus")
    if path not in base:
        return
    from siliconomics.scenario.models import _bounds

    high = _bounds(path)[1]  # stay within the schema's plausible range (PUE <= 3)
    value = base[path] * factor if high is None else min(base[path] * factor, high)
    dear = p.evaluate({**base, path: value})
    for key in DOWNSTREAM:
        assert dear[key] >= out[key] * (1 - 1e-12), (path, key)


@given(st.floats(0.5, 0.999))
def test_lower_packaging_yield_never_cheaper_under_cost_plus(y):
    p, base, out = chain("cost-plus")
    dear = p.evaluate({**base, "package.packaging_yield": base["package.packaging_yield"] * y})
    for key in DOWNSTREAM:
        assert dear[key] >= out[key] * (1 - 1e-12)


@given(st.sampled_from(["list", "cost-plus", "pass-through"]), st.data())
def test_the_catalog_value_changes_nothing_bitwise(rule, data):
    p, base, out = chain(rule)
    path = data.draw(st.sampled_from(sorted(base)))
    again = p.evaluate({**base, path: p.inputs[path].value})
    for key, value in out.items():
        assert np.array_equal(np.asarray(again[key]), np.asarray(value), equal_nan=True), key


def test_samples_equal_points_elementwise():
    p, base, _ = chain("pass-through")
    prices = np.array([6.0, 10.0, 14.0])
    many = p.evaluate({**base, "memory.price_usd_per_gb": prices})
    for i, v in enumerate(prices):
        one = p.evaluate({**base, "memory.price_usd_per_gb": float(v)})
        for key in DOWNSTREAM:
            assert np.isclose(many[key][i], one[key], rtol=1e-12, atol=0), key
