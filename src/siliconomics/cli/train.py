"""``siliconomics train``: what a training run takes and costs; ``train-mixed`` for mixed fleets."""

from __future__ import annotations

from typing import Annotated

import typer

from ._common import (MAX_ACCELERATORS, BusyDraw, CarbonFreeShare, EmissionsBasis, EnergyScope,
                      console, energy_convention, handle_errors, money, parse_option, print_json)


def _number(text, name, unit):
    """A count such as ``15.6e12`` or ``"15.6e12 tokens"`` (None when not given)."""
    return parse_option(None if text is None else str(text).replace("_", ""), unit, name)


@handle_errors
def train(
    model: Annotated[str | None, typer.Option("--model", "-m", help="Catalog model (llama-3.1-405b, deepseek-v3, ...) or a Hugging Face config.json path.")] = "llama-3.1-405b",
    tokens: Annotated[str | None, typer.Option(help="Training tokens, e.g. 15.6e12 (default: the model's published tokens).")] = None,
    training_flop: Annotated[str | None, typer.Option("--training-flop", help="Training compute instead of model and tokens, e.g. 1e26.")] = None,
    accelerator: Annotated[str, typer.Option("--accelerator", "-a", help="Catalog accelerator.")] = "h100-sxm",
    accelerators: Annotated[int, typer.Option("--accelerators", "-n", min=1, max=MAX_ACCELERATORS, help="Accelerators in the cluster.")] = 16_384,
    mfu: Annotated[str | None, typer.Option(help="Model FLOPs utilisation in (0, 1], or 'default' for the flat catalog assumption (default: predicted from the searched layout).")] = None,
    layout: Annotated[str | None, typer.Option(help='Parallel layout "tp=8,pp=16,dp=128" or "auto".')] = None,
    site: Annotated[str, typer.Option("--site", "-s", help="Catalog site (owned cost, energy, carbon).")] = "us-texas",
    financing: Annotated[str, typer.Option(help="Financing preset: hyperscaler, neocloud, sovereign.")] = "hyperscaler",
    system: Annotated[str | None, typer.Option("--system", help="System the accelerators are installed in (default: the accelerator's own).")] = None,
    pricing: Annotated[str, typer.Option(help="Accelerator price: list, cost-plus or pass-through.")] = "list",
    price_per_hour: Annotated[str | None, typer.Option("--price-per-hour", help='Rental price per accelerator-hour, e.g. "2.0" or "2 USD/h".')] = None,
    precision: Annotated[str, typer.Option(help="Training precision of the peak: bf16 or fp8.")] = "bf16",
    seq_len: Annotated[int | None, typer.Option("--seq-len", min=1, max=10**8, help="Sequence length (default the model's published pre-training sequence, else min(context, 8192)).")] = None,
    batch_tokens: Annotated[str | None, typer.Option("--batch-tokens", help="Global batch in tokens (default 16M).")] = None,
    checkpointing: Annotated[str, typer.Option(help="Checkpoints: sync (blocking write), async (background write) or in-memory (peers' memory, faster restarts).")] = "sync",
    recovery: Annotated[str, typer.Option(help="After a hardware failure: restart (the whole job) or replica (only the failed data-parallel replica drops out).")] = "restart",
    spares: Annotated[int | None, typer.Option(min=0, max=MAX_ACCELERATORS, help="Hot spare accelerators (default 5% of the job).")] = None,
    energy_scope: EnergyScope = "facility",
    busy_draw: BusyDraw = None,
    emissions: EmissionsBasis = "location",
    carbon_free_share: CarbonFreeShare = 0.0,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
):
    """Time, energy, cost and emissions of a training run, with MFU, goodput and layout."""
    from ..workloads import training

    from ..errors import InputError

    price = parse_option(price_per_hour, "USD/hour", "--price-per-hour")
    flop = _number(training_flop, "--training-flop", "FLOP")
    if flop is not None and tokens is not None:
        raise InputError("give --tokens or --training-flop, not both (--training-flop already "
                         "counts the tokens)")
    r = training.estimate(
        None if flop is not None and model == "llama-3.1-405b" and tokens is None else model,
        _number(tokens, "--tokens", "tokens"),
        accelerator,
        accelerators,
        training_flop=flop,
        mfu=mfu,
        layout=layout,
        site=site,
        financing=financing,
        system=system,
        pricing=pricing,
        price_per_hour=price,
        precision=precision,
        seq_len=seq_len,
        global_batch_tokens=_number(batch_tokens, "--batch-tokens", "tokens"),
        checkpointing=checkpointing,
        recovery=recovery,
        spares=spares,
        energy_convention=energy_convention(energy_scope, busy_draw, emissions,
                                            carbon_free_share),
    )
    data = r.to_dict()
    if as_json:
        print_json(data)
        return
    from rich.table import Table

    from ..format import number as figure

    out = console()
    title = (f"{r.model or 'run'} on {r.accelerators:,} x {r.accelerator} at {r.site} "
             f"({r.financing} financing)")
    t = Table(title=title, title_justify="left", show_header=False)
    t.add_column("quantity")
    t.add_column("value", justify="right")
    rows = [
        ("training FLOPs", f"{r.training_flops:.3g}"),
        ("layout", r.layout or "given MFU"),
        ("MFU", f"{r.mfu:.1%} ({r.mfu_source}" + (
            "" if r.mfu_interval is None else
            f"; {r.mfu_interval[0]:.0%}-{r.mfu_interval[1]:.0%} at its measured error") + ")"),
        ("sequence length", f"{r.seq_len:,}" if r.seq_len else "-"),
        ("goodput", f"{r.goodput:.1%} ({r.reliability['failures_per_day']:.1f} interruptions/day, "
                    f"{r.reliability.get('checkpointing', 'sync')} checkpoints, "
                    f"{r.reliability.get('recovery', 'restart')} on failure)"),
        ("hot spares", _spares_row(r.reliability)),
        ("wall time", f"{figure(r.wall_days)} days"),
        ("accelerator-hours", f"{figure(r.accelerator_hours / 1e6, 3)} M" + (
            "" if r.mfu_interval is None else
            f" ({figure(r.accelerator_hours * r.mfu / r.mfu_interval[1] / 1e6, 3)}-"
            f"{figure(r.accelerator_hours * r.mfu / r.mfu_interval[0] / 1e6, 3)} M)")),
        ("energy", f"{figure(r.energy_mwh, 3)} MWh ({r.energy_convention.label()})"),
        ("cost (owned)", f"{money(r.cost_usd)} at {money(r.usd_per_accelerator_hour)}/h"),
        ("emissions", f"{figure(r.tco2e, 3)} tCO2e ({figure(r.tco2e_embodied, 3)} embodied)"),
    ]
    if r.rental_cost_usd is not None:
        rows.append(("cost (rented)", money(r.rental_cost_usd)))
    for k, v in rows:
        t.add_row(k, v)
    out.print(t)
    shares = r.breakdown.shares()
    out.print("cost shares: " + ", ".join(f"{k} {v:.0%}" for k, v in shares.items()))


@handle_errors
def train_mixed(
    groups: Annotated[str, typer.Option("--groups", help='Accelerators and counts, e.g. "h100=8192,b200=8192".')] = "h100-sxm=8192,b200=8192",
    model: Annotated[str, typer.Option("--model", "-m", help="Catalog model trained.")] = "llama-3.1-405b",
    precision: Annotated[str, typer.Option(help="Training precision: bf16 or fp8.")] = "bf16",
    strategy: Annotated[str | None, typer.Option(help="Throughput only: split (batch by speed) or lockstep (slowest sets the pace), at a flat MFU.")] = None,
    mfu: Annotated[float | None, typer.Option(help="With --strategy: MFU of every kind (default the catalog assumption).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
):
    """A run mixing accelerator generations: layout and MFU per group, wall time, cost and
    energy, and what the slower group changes against the faster one alone."""
    from ..errors import InputError
    from ..workloads import training

    parsed = {}
    for part in (p.strip() for p in groups.split(",")):
        name, eq, count = part.partition("=")
        try:
            if not eq or not name.strip():
                raise ValueError
            parsed_count = int(count.strip().replace("_", ""))
        except ValueError:
            raise InputError(f"--groups part {part!r} must be name=count with a whole count, "
                             "e.g. h100=8192") from None
        if name.strip() in parsed:
            raise InputError(f"--groups names {name.strip()!r} twice; give each accelerator once")
        parsed[name.strip()] = parsed_count
    if strategy is not None or mfu is not None:
        r = training.mixed_fleet(parsed, mfu=mfu, strategy="split" if strategy is None else strategy)
        if as_json:
            print_json(r)
            return
        out = console()
        out.print(f"effective throughput ({r['strategy']}): {r['flop_per_s'] / 1e18:,.2f} EFLOP/s")
        for k, g in r["groups"].items():
            out.print(f"  {k}: {g['accelerators']:,.0f} accelerators, "
                      f"{g['flop_per_s'] / 1e18:,.2f} EFLOP/s ({g['value_share']:.0%}); "
                      f"removing them loses {r['older_value'][k]:.0%}")
        return
    r = training.mixed_run(parsed, model, precision=precision)
    if as_json:
        print_json(r)
        return
    out = console()
    out.print(f"{r['model']} on " + " + ".join(
        f"{g['accelerators']:,} x {k}" for k, g in r["groups"].items()))
    for k, g in r["groups"].items():
        out.print(f"  {k}: {g['layout']}, MFU {g['mfu']:.1%}, {g['batch_share']:.0%} of each "
                  "batch")
    fa = r["faster_alone"]
    change = r["vs_faster_alone"]
    out.print(f"wall time {r['wall_days']:,.1f} days (goodput {r['goodput']:.1%}, cross-"
              f"generation exchange {r['penalty_s_per_step'] * 1e3:,.0f} ms a step); "
              f"{fa['accelerator']} alone: {fa['wall_days']:,.1f} days, so the mix "
              f"{'shortens' if change < 0 else 'lengthens'} the run by {abs(change):.0%}")
    out.print(f"cost {money(r['cost_usd'])}, energy {r['energy_mwh']:,.0f} MWh "
              f"({fa['accelerator']} alone: {money(fa['cost_usd'])}, {fa['energy_mwh']:,.0f} MWh)")


def register(app: typer.Typer) -> None:
    app.command("train")(train)
    app.command("train-mixed")(train_mixed)


def _spares_row(rel: dict) -> str:
    """The hot-spare pool and how often a failure finds it empty."""
    from ..format import share

    spares, short = rel.get("spares"), rel.get("spare_shortfall")
    if spares is None or short is None:
        return "-"
    return f"{int(spares):,} ({share(float(short))} of failures find none free)"
