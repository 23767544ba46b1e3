"""``siliconomics whatif``: two accelerators through the whole chain, side by side."""

from __future__ import annotations

from typing import Annotated

import typer

from ._common import MAX_ACCELERATORS, console, handle_errors, money, print_json

#: How each stage is shown: label and formatter.
_ROWS = (
    ("chip_cost_usd", "cost to make", "money"),
    ("memory_share", "memory share of the cost", "share"),
    ("price_usd", "price paid", "money"),
    ("vendor_margin", "vendor gross margin", "share"),
    ("usd_per_accelerator_hour", "USD per accelerator-hour", "money3"),
    ("power_share", "power share of the hour", "share"),
    ("training_cost_usd", "training run cost", "money"),
    ("training_days", "training run days", "days"),
    ("usd_per_million_output_tokens", "USD per million output tokens", "money3"),
    ("usd_per_million_input_tokens", "USD per million input tokens", "money3"),
)


@handle_errors
def whatif(
    base: Annotated[str, typer.Argument(help="Base accelerator, e.g. h200.")],
    variant: Annotated[str, typer.Argument(help="Variant accelerator, e.g. h200-dram from a --catalog file.")],
    pricing: Annotated[str, typer.Option(help="Who keeps a change in cost: list (the vendor), cost-plus (buyers, with a markup) or pass-through (a share to buyers).")] = "pass-through",
    model: Annotated[str, typer.Option("--model", "-m", help="Model trained and served (catalog name or config.json path).")] = "llama-3.1-70b",
    site: Annotated[str, typer.Option("--site", "-s", help="Catalog site.")] = "us-texas",
    financing: Annotated[str, typer.Option(help="Financing preset.")] = "hyperscaler",
    accelerators: Annotated[int, typer.Option("--accelerators", "-n", min=1, max=MAX_ACCELERATORS, help="Cluster size of the training run and the TCO.")] = 16_384,
    tokens: Annotated[str | None, typer.Option(help="Training tokens (default: the model's published tokens).")] = None,
    prompt: Annotated[int, typer.Option(min=1, max=10**8, help="Prompt tokens per request.")] = 2048,
    output: Annotated[int, typer.Option(min=1, max=10**8, help="Output tokens per request.")] = 256,
    slo_tpot: Annotated[str, typer.Option("--slo-tpot", help="Time-per-output-token target of the serving search, e.g. 50ms.")] = "50ms",
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
):
    """The whole chain for two accelerators side by side: chip cost, memory share, price,
    accelerator-hour, a training run and a million tokens, with the change at every stage."""
    from .. import chain
    from ._common import parse_option
    from .train import _number

    result = chain.whatif(
        base, variant, pricing=pricing, model=model, site=site, financing=financing,
        accelerators=accelerators, tokens=_number(tokens, "--tokens", "tokens"), prompt_tokens=prompt,
        output_tokens=output, slo_tpot_s=parse_option(slo_tpot, "s", "--slo-tpot"))
    if as_json:
        print_json(result)
        return
    from rich.table import Table

    b, v = result["base"], result["variant"]
    out = console()
    table = Table(title=f"What if: {b['accelerator']} -> {v['accelerator']} ({pricing} pricing, "
                        f"{model}, {site})", title_justify="left")
    for col in ("stage", b["accelerator"], v["accelerator"], "change", "%"):
        table.add_column(col, justify="left" if col == "stage" else "right")
    for key, label, kind in _ROWS:
        x, y, d, rel = b[key], v[key], result["delta"][key], result["relative"][key]
        table.add_row(label, _fmt(x, kind), _fmt(y, kind), _fmt(d, kind, signed=True),
                      "" if rel is None else f"{rel:+.1%}")
    out.print(table)
    for side in (b, v):
        d = side["details"]
        out.print(f"{side['accelerator']}: {d['memory']} {d['memory_capacity_gb']:,.0f} GB at "
                  f"{d['memory_bandwidth_tb_per_s']:.2f} TB/s in {d['system']}; "
                  f"serving tp={d['serving']['tp']} batch={d['serving']['batch']}; "
                  f"price: {d['price_source']}")
    changed = {row["path"] for side in (b, v) for row in side["changed_inputs"]}
    if changed:
        out.print("inputs set by you: " + ", ".join(sorted(changed)))


def _fmt(x, kind: str, signed: bool = False) -> str:
    if x is None:
        return ""
    sign = "+" if signed and x > 0 else ""
    if kind == "money":
        return sign + money(x)  # money() puts the minus before the dollar sign
    if kind == "money3":
        return f"{sign}{'-' if x < 0 else ''}${abs(x):,.3f}"
    if kind == "days":
        return f"{x:+,.1f}" if signed else f"{x:,.1f}"
    return f"{x * 100:+.1f} pp" if signed else f"{x:.1%}"


def register(app: typer.Typer) -> None:
    """Add ``whatif`` to the CLI."""
    app.command("whatif")(whatif)
