"""``siliconomics train``: what a training run takes and costs; ``train-mixed`` for mixed fleets."""

from __future__ import annotations

from typing import Annotated

import typer

from ._common import MAX_ACCELERATORS, console, handle_errors, money, parse_option, print_json


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
    mfu: Annotated[float | None, typer.Option(help="Model FLOPs utilisation in (0, 1] (default: predicted).")] = None,
    layout: Annotated[str | None, typer.Option(help='Parallel layout "tp=8,pp=16,dp=128" or "auto".')] = None,
    site: Annotated[str, typer.Option("--site", "-s", help="Catalog site (owned cost, energy, carbon).")] = "us-texas",
    financing: Annotated[str, typer.Option(help="Financing preset: hyperscaler, neocloud, sovereign.")] = "hyperscaler",
    system: Annotated[str | None, typer.Option("--system", help="System the accelerators are installed in (default: the accelerator's own).")] = None,
    pricing: Annotated[str, typer.Option(help="Accelerator price: list, cost-plus or pass-through.")] = "list",
    price_per_hour: Annotated[str | None, typer.Option("--price-per-hour", help='Rental price per accelerator-hour, e.g. "2.0" or "2 USD/h".')] = None,
    precision: Annotated[str, typer.Option(help="Training precision of the peak: bf16 or fp8.")] = "bf16",
    seq_len: Annotated[int | None, typer.Option("--seq-len", min=1, max=10**8, help="Sequence length (default min(context, 8192)).")] = None,
    batch_tokens: Annotated[str | None, typer.Option("--batch-tokens", help="Global batch in tokens (default 16M).")] = None,
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
    )
    data = r.to_dict()
    if as_json:
        print_json(data)
        return
    from rich.table import Table

    out = console()
    title = (f"{r.model or 'run'} on {r.accelerators:,} x {r.accelerator} at {r.site} "
             f"({r.financing} financing)")
    t = Table(title=title, title_justify="left", show_header=False)
    t.add_column("quantity")
    t.add_column("value", justify="right")
    rows = [
        ("training FLOPs", f"{r.training_flops:.3g}"),
        ("layout", r.layout or "given MFU"),
        ("MFU", f"{r.mfu:.1%}"),
        ("goodput", f"{r.goodput:.1%} ({r.reliability['failures_per_day']:.1f} interruptions/day)"),
        ("wall time", f"{r.wall_days:,.1f} days"),
        ("accelerator-hours", f"{r.accelerator_hours / 1e6:,.2f} M"),
        ("energy", f"{r.energy_mwh:,.0f} MWh"),
        ("cost (owned)", f"{money(r.cost_usd)} at {money(r.usd_per_accelerator_hour)}/h"),
        ("emissions", f"{r.tco2e:,.0f} tCO2e ({r.tco2e_embodied:,.0f} embodied)"),
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
    strategy: Annotated[str, typer.Option(help="split (batch by speed) or lockstep (slowest sets the pace).")] = "split",
    mfu: Annotated[float | None, typer.Option(help="MFU of every kind (default the catalog assumption).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
):
    """Throughput of a run mixing accelerator generations, and what each kind adds."""
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
    r = training.mixed_fleet(parsed, mfu=mfu, strategy=strategy)
    if as_json:
        print_json(r)
        return
    out = console()
    out.print(f"effective throughput ({strategy}): {r['flop_per_s'] / 1e18:,.2f} EFLOP/s")
    for k, g in r["groups"].items():
        out.print(f"  {k}: {g['accelerators']:,.0f} accelerators, "
                  f"{g['flop_per_s'] / 1e18:,.2f} EFLOP/s ({g['value_share']:.0%}); "
                  f"removing them loses {r['older_value'][k]:.0%}")


def register(app: typer.Typer) -> None:
    app.command("train")(train)
    app.command("train-mixed")(train_mixed)
