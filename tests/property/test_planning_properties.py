"""Planning invariants: the optimizer never loses to the greedy rule; duals match finite
differences of the LP relaxation."""

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from siliconomics.planning import fleet


@st.composite
def problems(draw):
    S = draw(st.integers(1, 2))
    G = draw(st.integers(1, 2))
    T = draw(st.integers(1, 3))
    u = lambda lo, hi, shape: np.array(draw(st.lists(st.floats(lo, hi), min_size=int(np.prod(shape)),  # noqa: E731
                                                     max_size=int(np.prod(shape))))).reshape(shape)
    return fleet.FleetProblem(
        years=list(range(2026, 2026 + T)), sites=[f"s{i}" for i in range(S)],
        generations=[f"g{i}" for i in range(G)], compute_per_unit=u(0.5, 4.0, (G,)),
        capex_per_unit=u(50.0, 200.0, (S, G)), opex_per_unit_year=u(0.0, 30.0, (S, G)),
        mw_per_unit=u(0.2, 2.0, (S, G)), resale_per_unit=u(0.0, 40.0, (G, 1)) * np.ones(T + 1),
        launch_year=2026, life_years=draw(st.integers(1, 4)),
        supply_cap=np.where(u(0, 1, (G, T)) < 0.3, u(1.0, 6.0, (G, T)).round(), np.inf),
        build_cost_per_mw=u(0.0, 80.0, (S,)), power_available_mw=u(2.0, 30.0, (S, 1)) * np.ones(T),
        existing_mw=0.0, demand=u(0.0, 12.0, (T,)), budget=np.inf,
        discount_rate=draw(st.floats(0.0, 0.15)), facility_life_years=draw(st.floats(1.0, 20.0)),
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_optimizer_never_worse_than_greedy(p):
    x = fleet.greedy(p)
    assume(x is not None)
    assert fleet.violation(p, x) < 1e-6
    r = fleet.solve(p, mip_rel_gap=1e-9, duals=False)
    assert r.status == "optimal"
    # HiGHS accepts a MIP solution within its feasibility tolerance of 1e-6 (absolute)
    assert fleet.violation(p, r.x) <= 1e-6
    greedy_npv = fleet.evaluate(p, x)
    assert r.npv_usd <= greedy_npv + 1e-6 * max(1.0, abs(greedy_npv))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(), st.data())
def test_mw_duals_match_finite_differences(p, data):
    r = fleet.solve(p, relax_integrality=True)
    assume(r.ok)
    S, T = len(p.sites), len(p.years)
    s = data.draw(st.integers(0, S - 1))
    t = data.draw(st.integers(0, T - 1))
    value = r.sites[t * S + s]["mw_value"]
    h = 1.0  # one more MW, as a planner would ask

    def npv(delta):
        q = fleet.FleetProblem(**{**p.__dict__})
        q.power_available_mw = p.power_available_mw.copy()
        q.power_available_mw[s, t] += delta
        out = fleet.solve(q, relax_integrality=True, duals=False)
        return out.npv_usd if out.ok else np.inf

    base = r.npv_usd
    saving_up = (base - npv(h)) / h  # value of one more MW (right)
    down = npv(-h) if p.power_available_mw[s, t] >= h else np.inf
    saving_down = (down - base) / h  # value of the last MW (left)
    tol = 1e-6 * max(1.0, abs(base)) + 1e-6
    # The LP's cost is convex in the power limit, so the dual (a subgradient) lies between the
    # one-sided differences; where the cost is linear around the limit they coincide.
    assert saving_up - tol <= value <= saving_down + tol
