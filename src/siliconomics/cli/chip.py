"""``siliconomics chip`` and ``siliconomics wafer``: what a chip costs to make."""

from __future__ import annotations

from typing import Annotated

import typer

from ._common import console, handle_errors, money, print_json


@handle_errors
def chip(
    accelerator: Annotated[str | None, typer.Argument(help="Catalog accelerator, e.g. h100, b200, mi300x.")] = None,
    die_area: Annotated[str | None, typer.Option("--die-area", help='Compute die area, e.g. "600" or "600 mm^2".')] = None,
    node: Annotated[str | None, typer.Option(help="Process node, e.g. n4, n3, n7.")] = None,
    compute_dies: Annotated[int | None, typer.Option("--compute-dies", min=1, help="Compute dies per package.")] = None,
    memory: Annotated[str | None, typer.Option("--memory", "--hbm", help="Memory technology: hbm3, hbm3e, hbm3e-12h, hbm4, ddr5, lpddr5x, gddr7 (or your own from --catalog).")] = None,
    stacks: Annotated[int | None, typer.Option("--stacks", "--hbm-stacks", min=1, help="Memory stacks (or DRAM devices) per package.")] = None,
    package: Annotated[str | None, typer.Option(help="Packaging class: cowos-s, cowos-l.")] = None,
    price: Annotated[str | None, typer.Option("--price", help='Sale price for the margin, e.g. "30000 USD".')] = None,
    defect_density: Annotated[float | None, typer.Option("--defect-density", help="Defect density override [1/cm^2].")] = None,
    model: Annotated[str, typer.Option(help="Yield model: poisson, murphy, seeds, negative_binomial.")] = "murphy",
    stitched: Annotated[bool, typer.Option(help="Allow dies beyond the reticle.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
):
    """What one good accelerator costs to make: dies, interposer, memory, packaging, yield loss, margin."""
    from .. import silicon
    from ..errors import InputError
    from ._common import parse_option

    if accelerator is None and die_area is None:
        accelerator = "h100-sxm"
    area = parse_option(die_area, "mm^2", "--die-area")
    overrides = {} if defect_density is None else {"defect_density_per_cm2": defect_density}
    if defect_density is not None and defect_density < 0:
        raise InputError(f"--defect-density must be >= 0, got {defect_density:g}")
    c = silicon.chip_cost(
        accelerator, die_area_mm2=area, node=node, compute_dies=compute_dies, memory=memory,
        memory_stacks=stacks, package=package, price_usd=parse_option(price, "USD", "--price"),
        model=model, stitched=stitched, **overrides,
    )
    data = c.summary()
    if as_json:
        print_json(data)
        return
    from rich.table import Table

    out = console()
    d = c.details
    table = Table(title=f"{c.accelerator}: {d['compute_dies']} x {d['compute_die_area_mm2']:g} mm^2 on "
                  f"{d['node']}, {d['memory_stacks']} x {d['memory']}, {d['package']}",
                  title_justify="left")
    table.add_column("component")
    table.add_column("USD", justify="right")
    table.add_column("share", justify="right")
    shares = c.shares()
    for k, v in c.items():
        table.add_row(k.replace("_", " "), f"{v:,.0f}", f"{shares[k]:.1%}")
    table.add_row("total", f"{c.total:,.0f}", "100.0%", style="bold")
    out.print(table)
    out.print(f"dies per wafer {d['dies_per_wafer']:.1f}, die yield {d['die_yield']:.1%} "
              f"({d['model']}), good dies per wafer {d['good_dies_per_wafer']:.1f}, "
              f"cost per good die {money(d['cost_per_good_die_usd'])}")
    from ..report.sections.silicon import yield_reconciliation

    reconcile = yield_reconciliation(d)  # why `wafer` gives a lower yield for the same die
    if reconcile:
        out.print(reconcile, highlight=False)
    if c.gross_margin is not None:
        out.print(f"price {money(c.price_usd)}, gross margin {c.gross_margin:.1%}")
    out.print(f"embodied emissions {c.embodied_kgco2e:,.0f} kgCO2e per accelerator")


@handle_errors
def wafer(
    die: Annotated[str | None, typer.Option("--die", help="Die size WIDTHxHEIGHT in mm, e.g. 26x31.3.")] = None,
    die_area: Annotated[str | None, typer.Option("--die-area", help='Die area, e.g. "814" or "814 mm^2".')] = None,
    node: Annotated[str, typer.Option(help="Process node, e.g. n4.")] = "n4",
    defect_density: Annotated[float | None, typer.Option("--defect-density", help="Defect density override [1/cm^2].")] = None,
    model: Annotated[str, typer.Option(help="Yield model for the cost: poisson, murphy, seeds, negative_binomial.")] = "murphy",
    stitched: Annotated[bool, typer.Option(help="Allow dies beyond the reticle.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
):
    """Dies per wafer, yield by model, good dies and cost per good die for one die on one node."""
    from .. import silicon
    from ._common import parse_option

    r = silicon.wafer(die, node, die_area_mm2=parse_option(die_area, "mm^2", "--die-area"),
                      model=model, defect_density_per_cm2=defect_density, stitched=stitched)
    if as_json:
        print_json(r.to_dict())
        return
    from rich.table import Table

    out = console()
    size = f"{r.die_width_mm:g} x {r.die_height_mm:g} mm" if r.die_width_mm else f"{r.die_area_mm2:g} mm^2"
    out.print(f"{size} on {r.node}: {r.dies_per_wafer:g} dies per wafer "
              f"(approximation {r.dies_per_wafer_approx:.1f}), D0 {r.defect_density_per_cm2:g}/cm^2, "
              f"wafer {money(r.wafer_price_usd)}")
    table = Table(title="Yield by model", title_justify="left")
    table.add_column("model")
    table.add_column("die yield", justify="right")
    table.add_column("good dies / wafer", justify="right")
    table.add_column("USD / good die", justify="right")
    for m, y in r.yield_by_model.items():
        good = r.dies_per_wafer * y
        table.add_row(m, f"{y:.1%}", f"{good:.1f}", f"{r.wafer_price_usd / good:,.0f}" if good else "inf")
    out.print(table)


def register(app: typer.Typer) -> None:
    """Add ``chip`` and ``wafer`` to the CLI."""
    app.command("chip")(chip)
    app.command("wafer")(wafer)
