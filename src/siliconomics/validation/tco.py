"""Validation of the datacenter, power and TCO models against published figures."""

from __future__ import annotations

from . import band, case


def _cluster(**kw):
    from .. import tco

    return tco.accelerator_hour("h100-sxm", "us-texas", accelerators=100_000, **kw)


@case(
    id="tco.h100-100k.critical-it-mw",
    topic="tco",
    description="Critical IT power of a 100,000-GPU H100 cluster",
    published=150.0,
    unit="MW",
    tolerance=0.15,
    source="D. Patel, D. Nishball, '100,000 H100 Clusters: Power, Network Topology, Ethernet vs "
    "InfiniBand, Reliability, Failures, Checkpointing', SemiAnalysis, 2024-06-17 ('~150MW "
    "critical IT power')",
    status="C2",
    note="Their figure rounds the DGX-class 10.2 kW per 8 GPUs plus fabric; tolerance 15%.",
)
def _critical_it():
    return _cluster().critical_it_mw


@case(
    id="tco.h100-100k.annual-energy-twh",
    topic="tco",
    description="Energy per year of a 100,000-GPU H100 cluster at full draw",
    published=1.59,
    unit="TWh/year",
    tolerance=0.20,
    source="SemiAnalysis, '100,000 H100 Clusters...', 2024-06-17 ('1.59 terawatt hours in a "
    "single year')",
    status="C2",
    note="Computed at full draw (busy_draw_fraction 1) with the Texas catalog PUE, as the source "
    "assumes a fully loaded cluster; the PUE behind their figure is not stated, hence 20%.",
)
def _energy():
    return _cluster(busy_draw_fraction=1.0).annual_energy_mwh / 1e6


_FREAKONOMICS = (
    "'H100 Freakonomics: the economical tiers of H100s', tech-talk-cto substack, and its public "
    "spreadsheet (prices as of Aug 2024): 8 rails of 400 Gb/s per node, 64-port switches"
)


def _rail_fabric(gpus):
    from ..datacenter import network

    return network.fabric(gpus, 64, topology="rail-optimized", rails=8)["switches"]


@case(
    id="tco.fabric.switches-16k",
    topic="tco",
    description="Switches of a rail-optimised fabric for 16,384 H100 (2,048 nodes, 2 layers)",
    published=768.0,
    unit="switches",
    tolerance=0.01,
    source=_FREAKONOMICS + ": 768 switches for 2,048 nodes",
    status="C",
    note="Exact count expected: the same non-blocking Clos sizing.",
)
def _switches_16k():
    return _rail_fabric(16_384)


@case(
    id="tco.fabric.switches-32k",
    topic="tco",
    description="Switches of a rail-optimised fabric for 32,768 H100 (4,096 nodes, 3 layers)",
    published=2560.0,
    unit="switches",
    tolerance=0.01,
    source=_FREAKONOMICS + ": 2,560 switches for 4,096 nodes",
    status="C",
    note="Exact count expected: the same non-blocking Clos sizing.",
)
def _switches_32k():
    return _rail_fabric(32_768)


@case(
    id="tco.h100.node-capex-per-gpu",
    topic="tco",
    description="H100 server capex per GPU (GPU price plus its share of the server)",
    unit="USD",
    source="Epoch AI hardware price data: HGX H100 $31,120/GPU (Sep 2023) and $36,018/GPU "
    "(Jul 2024); " + _FREAKONOMICS + ": Thinkmate HGX H100 quote $310k per node ($38,750/GPU)",
    note="The GPU's street price of the time (Raymond James, Aug. 2023: $25k-30k, in the "
    "catalog's price series) plus the system's share per GPU (hgx-h100), against published "
    "per-GPU server prices (which include NICs) of the same period.",
    **band(31_120, 38_750),
)
def _node_capex_per_gpu():
    from .. import catalog, systems
    from ..catalog import history

    r = catalog.resolve("h100-sxm")
    # the GPU's street price when the published server prices were quoted (Raymond James,
    # Aug. 2023, in the catalog's price series), plus the system's share per GPU
    gpu = history.price_at("h100-sxm", "2023-09", "street", warn=False).value
    return gpu + systems.describe(r).capex_usd_per_accelerator


@case(
    id="tco.h100.chip-to-server-power",
    topic="tco",
    description="H100 server power per GPU over TDP (DGX H100 10.2 kW / 8 / 700 W)",
    published=1.82,
    unit="ratio",
    tolerance=0.01,
    source="B. Cottier et al., 'The rising costs of training frontier AI models', "
    "arXiv:2405.21015, 2024 (chip-to-server factor 1.82 for H100)",
)
def _chip_to_server():
    from .. import catalog, systems

    r = catalog.resolve("h100-sxm")
    return systems.describe(r).power_w_per_accelerator / r["accelerator.tdp_w"]


@case(
    id="tco.h100.owned-below-rental",
    topic="tco",
    description="Owned H100-hour (neocloud financing, 80% utilised) within the 2023-25 rental band",
    unit="USD/h",
    source="Epoch AI, hardware prices data: Lambda $1.99 (Jun 2023) to $3.49 (Jan 2024); RunPod "
    "$2.99, Cudo $2.45 (Mar 2025); on-demand H100 rentals",
    note="A renter's price covers the owner's cost plus margin and idle time, so the owned cost "
    "should fall inside the band, not above it.",
    **band(1.99, 3.49),
)
def _owned_vs_rental():
    from .. import tco

    return tco.accelerator_hour(
        "h100-sxm", "us-texas", accelerators=16_384, financing="neocloud", utilization=0.8
    ).usd_per_accelerator_hour


@case(
    id="tco.epoch.energy-share",
    topic="tco",
    description="Energy share of an H100-hour by the Cottier et al. method (hyperscaler PUE 1.1)",
    unit="share",
    source="B. Cottier et al., arXiv:2405.21015, 2024: energy is 2-6% of frontier training cost "
    "(hardware 47-67%, staff 29-49%); on hardware plus energy alone, 3-11%",
    note="Band derived from the paper's shares: 2/67 to 6/53 of hardware plus energy.",
    **band(0.03, 0.11),
)
def _epoch_energy_share():
    from .. import catalog, tco

    h = catalog.accelerator("h100-sxm")
    b = tco.epoch_accelerator_hour(
        accelerator_price_usd=h.price_usd,
        tdp_w=h.tdp_w,
        power_price_usd_per_kwh=catalog.site("us-texas").power_price_usd_per_kwh,
    )
    return b.shares()["energy"]
