"""Scale-out fabric sizing: tiers, switches, optics and NICs of a non-blocking fat-tree.

A folded-Clos (fat-tree) of switches with radix :math:`k` connects at most
:math:`2 (k/2)^t` endpoints in :math:`t` tiers without oversubscription: every switch below the
top tier uses half its ports down and half up; top-tier switches use all ports down. A
rail-optimised fabric builds one such tree per NIC rail (NIC *i* of every server joins rail
*i*, as in NVIDIA's SuperPOD designs) and leaves cross-rail traffic to the scale-up domain
(NVLink), so each tree connects only :math:`N / r` endpoints and may need a tier fewer.
"""

from __future__ import annotations

import numpy as np

from .. import _checks
from ..results import scalar_or_array as _f

TOPOLOGIES = ("fat-tree", "rail-optimized")


def max_endpoints(switch_radix, tiers):
    r"""Most endpoints a non-blocking fat-tree of ``tiers`` tiers connects.

    Parameters
    ----------
    switch_radix : numeric
        Ports per switch :math:`k`, >= 2. [count]
    tiers : numeric
        Switch tiers :math:`t`, >= 1. [count]

    Returns
    -------
    numeric
        :math:`k` for one tier, :math:`2 (k/2)^t` otherwise. [count]

    References
    ----------
    .. [1] M. Al-Fares, A. Loukissas, A. Vahdat, "A scalable, commodity data center network
       architecture," Proc. ACM SIGCOMM, 2008, doi:10.1145/1402958.1402967.

    Examples
    --------
    >>> max_endpoints(64, 2), max_endpoints(64, 3)
    (2048.0, 65536.0)
    """
    k = np.asarray(switch_radix, dtype=float)
    t = np.asarray(tiers, dtype=float)
    return _f(np.where(t <= 1, k, 2.0 * (k / 2.0) ** t))


def tiers_needed(endpoints, switch_radix):
    r"""Fewest fat-tree tiers that connect ``endpoints`` without oversubscription.

    Parameters
    ----------
    endpoints : numeric
        NIC ports to connect, >= 1. [count]
    switch_radix : numeric
        Ports per switch, >= 4. [count]

    Returns
    -------
    numeric
        Smallest :math:`t` with :math:`2 (k/2)^t \geq N` (1 when :math:`N \le k`). [count]

    Examples
    --------
    >>> tiers_needed(8, 64), tiers_needed(2048, 64), tiers_needed(2049, 64), tiers_needed(100_000, 64)
    (1.0, 2.0, 3.0, 4.0)
    """
    _checks.at_least("endpoints", endpoints, 1)
    _checks.at_least("switch_radix", switch_radix, 4)
    n = np.asarray(endpoints, dtype=float)
    k = np.asarray(switch_radix, dtype=float)
    t = np.ceil(np.log(n / 2.0) / np.log(k / 2.0) - 1e-12)
    t = np.maximum(t, 2.0)
    return _f(np.where(n <= k, 1.0, t))


def fabric(
    accelerators,
    switch_radix,
    *,
    nics_per_accelerator=1.0,
    switch_cost_usd=0.0,
    switch_power_w=0.0,
    transceiver_cost_usd=0.0,
    transceiver_power_w=0.0,
    nic_cost_usd=0.0,
    nic_power_w=0.0,
    optical_endpoint_links=True,
    topology="fat-tree",
    rails=8,
):
    r"""Size a non-blocking scale-out fabric and its cost and power.

    Parameters
    ----------
    accelerators : numeric
        Accelerators to connect, >= 1. [count]
    switch_radix : numeric
        Ports per switch at the link speed, >= 4. [count]
    nics_per_accelerator : numeric
        Scale-out NIC ports per accelerator (1 for one 400G/800G NIC each). [count]
    switch_cost_usd, switch_power_w : numeric
        Price and power of one switch. [USD], [W]
    transceiver_cost_usd, transceiver_power_w : numeric
        Price and power of one optical transceiver (two per optical link). [USD], [W]
    nic_cost_usd, nic_power_w : numeric
        Price and power of one NIC. [USD], [W]
    optical_endpoint_links : bool
        Whether NIC-to-leaf links are optical (True in large AI clusters) or copper.
    topology : {"fat-tree", "rail-optimized"}
        One tree over all NIC ports, or one tree per rail.
    rails : numeric
        Rails of a rail-optimised fabric (NICs per server, 8 in an HGX server); ignored for a
        fat-tree. [count]

    Returns
    -------
    dict of numeric
        ``tiers``, ``switches``, ``links``, ``transceivers``, ``nics``, ``capex_usd``,
        ``power_w``, and per-accelerator ``capex_usd_per_accelerator``,
        ``power_w_per_accelerator``, ``transceivers_per_accelerator``.

    Notes
    -----
    With :math:`N` endpoints and :math:`t` tiers: switches
    :math:`S = (2t - 1) N / k` (each lower tier :math:`2N/k`, the top :math:`N/k`), rounded up
    per tier; links :math:`L = t N` (N endpoint links plus N per tier boundary); transceivers
    :math:`2 L` when endpoint links are optical, :math:`2 (t-1) N` otherwise. A rail-optimised
    fabric is :math:`r` trees of :math:`N / r` endpoints each.

    Examples
    --------
    >>> f = fabric(2048, 64)
    >>> int(f["tiers"]), int(f["switches"]), int(f["transceivers"])
    (2, 96, 8192)
    >>> r = fabric(16_384, 64, topology="rail-optimized", rails=8)
    >>> int(r["tiers"]), int(r["switches"])
    (2, 768)
    """
    if topology not in TOPOLOGIES:
        from ..errors import InputError, unknown

        raise InputError(unknown("topology", str(topology), TOPOLOGIES))
    _checks.at_least("accelerators", accelerators, 1)
    _checks.positive("nics_per_accelerator", nics_per_accelerator)
    n = np.asarray(accelerators, dtype=float) * nics_per_accelerator
    k = np.asarray(switch_radix, dtype=float)
    if topology == "rail-optimized":
        _checks.at_least("rails", rails, 1)
        trees = np.minimum(np.asarray(rails, dtype=float), n)
    else:
        trees = np.asarray(1.0)
    per_tree = np.ceil(n / trees)
    t = np.asarray(tiers_needed(per_tree, k))
    one_tier = t <= 1
    lower = np.ceil(2.0 * per_tree / k) * (t - 1.0)
    top = np.ceil(per_tree / k)
    switches = trees * np.where(one_tier, 1.0, lower + top)
    links = t * n
    optical_links = links if optical_endpoint_links else links - n
    transceivers = 2.0 * optical_links
    nics = n
    capex = switches * switch_cost_usd + transceivers * transceiver_cost_usd + nics * nic_cost_usd
    power = switches * switch_power_w + transceivers * transceiver_power_w + nics * nic_power_w
    acc = np.asarray(accelerators, dtype=float)
    return {
        "tiers": _f(t),
        "switches": _f(switches),
        "links": _f(links),
        "transceivers": _f(transceivers),
        "nics": _f(nics),
        "capex_usd": _f(capex),
        "power_w": _f(power),
        "capex_usd_per_accelerator": _f(capex / acc),
        "power_w_per_accelerator": _f(power / acc),
        "transceivers_per_accelerator": _f(transceivers / acc),
    }

