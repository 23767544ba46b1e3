"""Cost and energy of serving: the price of a utilised accelerator-hour, USD per million input
and output tokens, and energy and emissions per output token.

Input tokens carry the prefill accelerator time of a request and output tokens its decode
time (:func:`token_costs`); energy charges all of it to the output tokens (:func:`energy`).
"""

from __future__ import annotations

import numpy as np

from ... import _checks

#: Seconds per hour.
HOUR_S = 3600.0


#: Fleet size whose network an owned accelerator-hour of serving carries by default. [count]
FLEET_ACCELERATORS = 10_000


def accelerator_hour_usd(accelerator, *, site=None, financing=None, utilization=1.0,
                         rental_usd_per_hour=None, accelerators=FLEET_ACCELERATORS,
                         pricing="list"):
    """Cost of one *utilised* accelerator-hour. [USD/h]

    Owned: :func:`siliconomics.tco.accelerator_hour` at ``utilization`` (its capital is spread
    over the utilised hours) for ``accelerator`` (a name, an entry or resolved inputs, whose
    values are used as they are). Rented: the hourly price is paid for every hour, so a
    utilised hour costs ``rental / utilization``.

    Examples
    --------
    >>> accelerator_hour_usd("h100", rental_usd_per_hour=2.0, utilization=0.5)
    4.0
    """
    _checks.fraction("utilization", utilization)
    if rental_usd_per_hour is not None:
        _checks.positive("rental_usd_per_hour", rental_usd_per_hour)
        return rental_usd_per_hour / utilization
    from ... import tco

    r = tco.accelerator_hour(accelerator, site, accelerators=accelerators,
                             utilization=utilization, financing=financing, pricing=pricing)
    return float(r.usd_per_accelerator_hour)


def token_costs(perf: dict, usd_per_accelerator_hour, *, prompt_tokens, output_tokens) -> dict:
    r"""USD per million input and output tokens from accelerator-seconds per request.

    Input tokens carry the prefill accelerator time, output tokens the decode time:
    :math:`c_{in} = C\,a_{prefill} / (3600\,p) \cdot 10^6`.

    Examples
    --------
    >>> perf = {"prefill_accelerator_s_per_request": 1.0, "decode_accelerator_s_per_request": 2.0}
    >>> token_costs(perf, 3600.0, prompt_tokens=1000, output_tokens=100)
    {'usd_per_million_input_tokens': 1000.0, 'usd_per_million_output_tokens': 20000.0}
    """
    _checks.non_negative("usd_per_accelerator_hour", usd_per_accelerator_hour)
    rate = np.asarray(usd_per_accelerator_hour) / HOUR_S
    return {
        "usd_per_million_input_tokens": _plain(rate * perf["prefill_accelerator_s_per_request"]
                                               / prompt_tokens * 1e6),
        "usd_per_million_output_tokens": _plain(rate * perf["decode_accelerator_s_per_request"]
                                                / output_tokens * 1e6),
    }


def _plain(x):
    """A float for a 0-d result, the array otherwise."""
    arr = np.asarray(x)
    return float(arr) if arr.ndim == 0 else arr


def energy(perf: dict, deployment, *, output_tokens, pue=1.0,
           busy_draw_fraction=0.75, grid_kg_per_kwh=0.0) -> dict:
    r"""Facility energy per output token and emissions per million output tokens.

    The replica draws ``busy_draw_fraction`` of its servers' maximum power while serving,
    times the PUE; all of a request's accelerator time (prefill included) is charged to its
    output tokens.

    Examples
    --------
    >>> from siliconomics.workloads.serving import Deployment
    >>> d = Deployment.create("llama-3.1-70b", "h100", tp=8)
    >>> e = energy(d.performance(64, 2048, 256), d, output_tokens=256, pue=1.2)
    >>> 0.1 < float(e["joules_per_token"]) < 10
    True
    """
    _checks.at_least("pue", pue, 1.0)
    acc_s = perf["prefill_accelerator_s_per_request"] + perf["decode_accelerator_s_per_request"]
    joules = acc_s * deployment.accelerator_power_w * busy_draw_fraction * pue / output_tokens
    return {
        "joules_per_token": joules,
        "g_co2e_per_million_tokens": joules * 1e6 / 3.6e6 * grid_kg_per_kwh * 1000.0,
    }
