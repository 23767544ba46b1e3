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


def energy(perf: dict, accelerator, *, output_tokens, convention=None,
           accelerators=FLEET_ACCELERATORS) -> dict:
    r"""Energy per output token and emissions per million output tokens, as ``convention``
    counts them.

    The convention (:class:`~siliconomics.datacenter.energy.EnergyConvention`) is the one
    ``tco`` and ``train`` use, by default the TCO's: the server and its share of the fleet's
    scale-out network (a fleet of ``accelerators``) times the site's PUE, at the catalog's busy
    draw, location-based. All of a request's accelerator time (prefill included) is charged to
    its output tokens: :math:`J = 3.6 \times 10^9 \, e_h \, (a_{prefill} + a_{decode}) / (3600
    \, n_{out})` with :math:`e_h` the MWh of an accelerator-hour of work.

    Parameters
    ----------
    perf : dict
        A deployment's performance (its accelerator-seconds per request).
    accelerator : str, Entry or Resolved
        Where it runs (the accelerator, system and site's resolved inputs).
    output_tokens : int
        Output tokens per request. [tokens]
    convention : EnergyConvention, optional
        What is counted (default the TCO's).
    accelerators : int
        Fleet size whose network the accelerators share. [count]

    Returns
    -------
    dict
        ``joules_per_token`` [J], ``g_co2e_per_million_tokens`` [gCO2e] and ``convention``
        (the convention, its busy draw filled in).

    Examples
    --------
    >>> from siliconomics.workloads.serving import Deployment
    >>> d = Deployment.create("llama-3.1-70b", "h100", tp=8)
    >>> e = energy(d.performance(64, 2048, 256), "h100", output_tokens=256)
    >>> 0.1 < float(e["joules_per_token"]) < 10, e["convention"].scope
    (True, 'facility')
    """
    hours = (np.asarray(perf["prefill_accelerator_s_per_request"])
             + np.asarray(perf["decode_accelerator_s_per_request"])) / HOUR_S
    per_token = hours_energy(hours / output_tokens, accelerator, convention=convention,
                             accelerators=accelerators)
    return {
        "joules_per_token": _plain(np.asarray(per_token["mwh"]) * 3.6e9),
        "g_co2e_per_million_tokens": _plain(np.asarray(per_token["t_co2e"]) * 1e6 * 1e6),
        "convention": per_token["convention"],
    }


def hours_energy(accelerator_hours, accelerator, *, convention=None,
                 accelerators=FLEET_ACCELERATORS) -> dict:
    """Energy and emissions of ``accelerator_hours`` of serving work, as ``convention`` counts
    them (:func:`energy` per output token; an offline job's in total).

    Returns ``mwh`` [MWh], ``t_co2e`` [tCO2e] and ``convention`` (its busy draw filled in).

    >>> e = hours_energy(1000.0, "h100")
    >>> 0.5 < e["mwh"] < 3, e["t_co2e"] > 0
    (True, True)
    """
    from ... import tco
    from ...datacenter import energy as accounting

    res = tco.accelerator_hour(accelerator, accelerators=accelerators,
                               energy_convention=convention)
    c = res.energy_convention
    mwh = np.asarray(accelerator_hours, dtype=float) * res.energy_mwh_per_accelerator_hour()
    t = accounting.emissions_t(mwh, res.resolved, convention=c)
    return {"mwh": _plain(mwh), "t_co2e": _plain(np.asarray(t)), "convention": c}
