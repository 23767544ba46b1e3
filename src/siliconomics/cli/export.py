"""``siliconomics export``: results in files an analyst works in (a workbook with live formulas)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._common import MAX_ACCELERATORS, console, handle_errors, parse_option, print_json

app = typer.Typer(help="Export results to files: a workbook with live formulas.",
                  no_args_is_help=True, add_completion=False, rich_markup_mode=None)


@app.command("xlsx")
@handle_errors
def xlsx(
    out_file: Annotated[Path, typer.Option("--out", "-o", help="Workbook to write (.xlsx).")] = Path("siliconomics.xlsx"),
    accelerator: Annotated[str, typer.Option("--accelerator", "-a", help="Catalog accelerator, e.g. h100, b200.")] = "h100-sxm",
    site: Annotated[str, typer.Option("--site", "-s", help="Catalog site, e.g. us-texas.")] = "us-texas",
    accelerators: Annotated[int, typer.Option("--accelerators", "-n", min=1, max=MAX_ACCELERATORS, help="Accelerators in the TCO cluster.")] = 100_000,
    financing: Annotated[str, typer.Option(help="Financing preset: hyperscaler, neocloud, sovereign.")] = "hyperscaler",
    utilization: Annotated[float, typer.Option(min=1e-6, max=1.0, help="Fraction of hours doing paid work, in (0, 1], for the TCO sheet.")] = 1.0,
    power_price: Annotated[str | None, typer.Option("--power-price", help='Electricity price, e.g. "0.09 USD/kWh" or "9 ¢/kWh".')] = None,
    price: Annotated[str | None, typer.Option("--price", help='Accelerator price, e.g. "30000 USD" or "30k".')] = None,
    pricing: Annotated[str, typer.Option(help="Accelerator price rule: list, cost-plus or pass-through.")] = "list",
    model: Annotated[str, typer.Option("--model", help='Model of the training sheet, e.g. llama-3.1-405b; "none" leaves the sheet out.')] = "llama-3.1-405b",
    train_accelerators: Annotated[int, typer.Option("--train-accelerators", min=1, max=MAX_ACCELERATORS, help="Accelerators of the training run.")] = 16_384,
    serve_model: Annotated[str, typer.Option("--serve-model", help='Model of the serving sheet; "none" leaves the sheet out.')] = "llama-3.1-70b",
    as_json: Annotated[bool, typer.Option("--json", help="Print the workbook's path and headline figures as JSON.")] = False,
):
    """A workbook whose TCO, training-run and serving sheets are Excel formulas over its Inputs
    sheet: change an input and every result moves."""
    from ..errors import InputError
    from ..io import check_file
    from ..report import workbook

    target = check_file(out_file, what="workbook", suffixes=(".xlsx",))
    workbook._openpyxl()  # a missing extra fails now, before the work
    if price is not None and pricing == "cost-plus":
        raise InputError("--price sets the accelerator price, --pricing cost-plus derives it from "
                         "the manufacturing cost: give one of them")
    overrides = {"power_price_usd_per_kwh": parse_option(power_price, "USD/kWh", "--power-price"),
                 "price_usd": parse_option(price, "USD", "--price")}
    book = workbook.for_question(
        accelerator, site, accelerators=accelerators, financing=financing,
        utilization=utilization, pricing=pricing,
        training_model=None if model == "none" else model,
        training_accelerators=train_accelerators,
        serving_model=None if serve_model == "none" else serve_model,
        **{k: v for k, v in overrides.items() if v is not None})
    path = book.save(target)
    figures = {f"{sheet}.{key}": value for (sheet, _cell), (key, value) in book.expected().items()
               if key in ("total", "cost_usd", "usd_per_million_input_tokens",
                          "usd_per_million_output_tokens")}
    if as_json:
        print_json({"workbook": str(path), "sheets": ["Inputs", *book.sheets],
                    "inputs": len(book.inputs), "figures": figures})
        return
    from .. import format as fmt

    out = console()
    out.print(f"workbook written to {path}: Inputs ({len(book.inputs)} typed inputs with units, "
              f"ranges and sources), {', '.join(book.sheets)} (formulas)", highlight=False)
    units = {"total": "USD/h", "cost_usd": "USD"}
    for name, value in figures.items():
        key = name.split(".", 1)[1]
        out.print(f"  {name}: {fmt.quantity(value, units.get(key, 'USD/Mtok'))}", highlight=False)


def register(parent: typer.Typer) -> None:
    """Add the ``export`` command group to the CLI."""
    parent.add_typer(app, name="export")
