"""A workbook with live formulas: the TCO, a training run and serving cost as Excel formulas.

An analyst changes a number on the ``Inputs`` sheet and sees every result move: the ``TCO``,
``Training`` and ``Serving`` sheets hold no values, only formulas over ``Inputs`` (and over their
own earlier rows), written to mirror the arithmetic of :func:`siliconomics.tco.cost_per_accelerator_hour`,
:func:`siliconomics.workloads.training.estimate` and
:func:`siliconomics.workloads.serving.token_costs` term by term:

- capital recovery factor :math:`CRF(r, n) = r / (1 - (1 + r)^{-n})` (:math:`1/n` at
  :math:`r = 0`), residual value :math:`C \\, CRF \\, (1 - s (1 + r)^{-n})`;
- capital per utilised hour over :math:`8766 u` hours; power at the average draw
  :math:`u f_{busy} + (1 - u) f_{idle}` times the PUE; operations as IT maintenance plus
  facility opex per MW;
- network capex and power from the fabric's switch, transceiver and NIC counts (the counts
  come from the fabric sizing, the prices and powers are inputs);
- a training run's accelerator-hours :math:`C / (P \\cdot \\text{MFU} \\cdot g \\cdot 3600)`;
- serving cost per million tokens from the accelerator-seconds a request takes.

Quantities that come out of a model the sheet does not reproduce (fabric switch counts, a
deployment's accelerator-seconds per request, a run's FLOPs and goodput) are inputs too, marked
"derived" in their source, so the sheet stays exact and honest about what it recomputes.

Examples
--------
>>> from siliconomics import tco
>>> book = build(tco.accelerator_hour("h100", "us-texas", accelerators=1024))
>>> total = next(row for row in book.sheets["TCO"] if row.key == "total")
>>> total.formula
'=$B$13 + $B$14 + $B$15 + $B$16 + $B$17 + $B$18'
>>> book.refs["TCO:total"], book.input_cell("site.power_price_usd_per_kwh")
('TCO!$B$19', 'C10')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

INPUTS, TCO, TRAINING, SERVING = "Inputs", "TCO", "Training", "Serving"
#: Columns of the Inputs sheet.
INPUT_COLUMNS = ("input", "description", "value", "unit", "low", "high", "source")
#: Columns of a formula sheet.
FORMULA_COLUMNS = ("quantity", "value", "unit", "key")
_REF = re.compile(r"\{([A-Za-z0-9_.:-]+)\}")


@dataclass
class Row:
    """One row of a sheet: an input value, or a formula over earlier rows and inputs."""

    key: str
    label: str
    unit: str = ""
    value: Any = None  # inputs: the number
    formula: str = ""  # formula rows: Excel text with {key} placeholders resolved
    low: Any = None
    high: Any = None
    source: str = ""
    expected: float | None = None  # the Python model's figure, for checks


@dataclass
class LiveWorkbook:
    """Inputs and formula sheets; :meth:`write_into` puts them into an openpyxl workbook."""

    inputs: list[Row] = field(default_factory=list)
    sheets: dict[str, list[Row]] = field(default_factory=dict)
    refs: dict[str, str] = field(default_factory=dict)

    # --- building ---------------------------------------------------------------------------
    def add_input(self, key, label, value, unit="", *, low=None, high=None, source="") -> str:
        """Add a typed number to the Inputs sheet; returns its absolute reference."""
        if key in self.refs:
            return self.refs[key]
        v = _number(value)
        self.inputs.append(Row(key, label, unit, value=v, low=_number(low), high=_number(high),
                               source=str(source or "")))
        self.refs[key] = f"{INPUTS}!$C${len(self.inputs) + 1}"
        return self.refs[key]

    def add_formula(self, sheet, key, label, formula, unit="", *, expected=None) -> str:
        """Add a formula row; ``{key}`` in ``formula`` names an input or an earlier row."""
        rows = self.sheets.setdefault(sheet, [])
        text = "=" + _REF.sub(lambda m: self._ref(m.group(1), sheet), formula)
        rows.append(Row(key, label, unit, formula=text,
                        expected=None if expected is None else float(np.asarray(expected))))
        self.refs[f"{sheet}:{key}"] = f"{sheet}!$B${len(rows) + 1}"
        return self.refs[f"{sheet}:{key}"]

    def _ref(self, key: str, sheet: str) -> str:
        for k in (f"{sheet}:{key}", key):
            if k in self.refs:
                ref = self.refs[k]
                return ref.split("!", 1)[1] if ref.startswith(f"{sheet}!") else ref
        raise KeyError(f"workbook formula names {key!r} before it is defined")

    def expected(self) -> dict[tuple[str, str], tuple[str, float]]:
        """(sheet, cell) -> (key, Python figure) for every formula row that has one."""
        return {(s, f"B{i}"): (r.key, r.expected) for s, rows in self.sheets.items()
                for i, r in enumerate(rows, start=2) if r.expected is not None}

    def input_cell(self, key: str) -> str:
        """The cell (``C5``) of an input on the Inputs sheet."""
        return self.refs[key].split("!", 1)[1].replace("$", "")

    # --- writing ----------------------------------------------------------------------------
    def write_into(self, wb, *, first: bool = True) -> None:
        """Add the Inputs and formula sheets to the openpyxl workbook ``wb`` (at the front)."""
        from openpyxl.comments import Comment
        from openpyxl.styles import Font

        from .. import format as fmt

        bold = Font(bold=True)
        sheets = [(INPUTS, None)] + [(name, rows) for name, rows in self.sheets.items()]
        for pos, (name, rows) in enumerate(sheets):
            ws = wb.create_sheet(name, pos if first else None)
            if rows is None:
                ws.append(list(INPUT_COLUMNS))
                for r in self.inputs:
                    ws.append([r.key, r.label, r.value, r.unit, r.low, r.high, r.source])
                    cell = ws.cell(ws.max_row, 3)
                    cell.number_format = fmt.excel_number_format(r.unit, r.value)
                    for c in (5, 6):
                        ws.cell(ws.max_row, c).number_format = cell.number_format
                    if r.source:
                        cell.comment = Comment(r.source[:2000], "siliconomics")
                widths = (34, 44, 16, 16, 14, 14, 80)
            else:
                ws.append(list(FORMULA_COLUMNS))
                for r in rows:
                    ws.append([r.label, r.formula, r.unit, r.key])
                    ws.cell(ws.max_row, 2).number_format = fmt.excel_number_format(r.unit)
                widths = (52, 18, 14, 30)
            for c in ws[1]:
                c.font = bold
            for i, w in enumerate(widths):
                ws.column_dimensions[chr(ord("A") + i)].width = w
            ws.freeze_panes = "A2"

    def save(self, path) -> Path:
        """Write the workbook to ``path`` (.xlsx) whole or not at all; needs openpyxl."""
        from ..io import check_file, replacing

        target = check_file(path, what="workbook", suffixes=(".xlsx",))
        openpyxl = _openpyxl()
        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        self.write_into(wb)
        with replacing(target) as tmp:
            wb.save(tmp)
        return target


def _openpyxl():
    try:
        import openpyxl
    except ImportError:
        from ..errors import InputError

        raise InputError("writing a workbook needs openpyxl: pip install 'siliconomics[export]'"
                         ) from None
    return openpyxl


def _number(x):
    if x is None:
        return None
    if isinstance(x, bool):
        return float(x)
    try:
        arr = np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        arr = np.empty(2)
    if arr.ndim:
        from ..errors import InputError

        raise InputError("a workbook takes one value per input, not an array of samples; "
                         "export a point estimate")
    return float(arr)


# --- inputs ----------------------------------------------------------------------------------

_LABELS = {
    "accelerator.price_usd": "price of one accelerator",
    "site.power_price_usd_per_kwh": "electricity price",
    "site.pue": "power usage effectiveness",
    "site.build_cost_usd_per_mw": "facility build cost per MW of critical IT",
    "financing.cost_of_capital": "cost of capital",
    "financing.accelerator_life_years": "life of accelerators and systems",
    "financing.network_life_years": "life of the network",
    "financing.facility_life_years": "life of the facility",
    "system.accelerators": "accelerators per system",
    "system.power_kw": "system power at maximum",
    "assumptions.power-draw-fraction": "average draw while busy, of maximum",
    "assumptions.idle-draw-fraction": "average draw while idle, of maximum",
    "assumptions.it-maintenance-fraction": "IT maintenance per year, of IT capex",
    "assumptions.facility-opex-usd-per-mw-year": "facility operations per MW-year",
    "assumptions.switch-cost-usd": "scale-out switch price",
    "assumptions.transceiver-cost-usd": "optical transceiver price",
    "assumptions.nic-cost-usd": "NIC price",
    "assumptions.switch-power-w": "scale-out switch power",
    "assumptions.transceiver-power-w": "optical transceiver power",
    "assumptions.nic-power-w": "NIC power",
}


def _catalog_input(book: LiveWorkbook, result, path: str, label: str | None = None) -> str:
    row = result.inputs.get(path, {})
    value = row.get("value", result.resolved[path] if result.resolved is not None else None)
    src = row.get("source", "")
    entry = row.get("entry")
    layer = row.get("layer", "")
    if entry:
        src = f"{entry}: {src}"
    if layer and layer != "catalog":
        src = f"{src} (set by {layer})"
    return book.add_input(path, label or _LABELS.get(path, path), value, row.get("unit", ""),
                          low=row.get("low"), high=row.get("high"), source=src)


def _shared_inputs(book: LiveWorkbook, result) -> None:
    """The TCO inputs every question shares: price, system, site, financing, assumptions."""
    from ..catalog.schema import SYSTEM_PARTS

    price = result.price
    src = price.source or ""
    if price.rule != "list":
        src = f"{price.rule} pricing rule (derived): {src}"
    row = result.inputs.get("accelerator.price_usd", {})
    book.add_input("accelerator.price_usd", _LABELS["accelerator.price_usd"], price.price_usd,
                   "USD", low=row.get("low") if price.rule == "list" else None,
                   high=row.get("high") if price.rule == "list" else None,
                   source=f"{result.accelerator}: {src}")
    _catalog_input(book, result, "system.accelerators")
    _catalog_input(book, result, "system.power_kw")
    for part in SYSTEM_PARTS:
        _catalog_input(book, result, f"system.{part}", f"system {part.replace('_', ' ')} "
                       "(per system, accelerators excluded)")
    for path in ("site.power_price_usd_per_kwh", "site.pue", "site.build_cost_usd_per_mw",
                 "financing.cost_of_capital", "financing.accelerator_life_years",
                 "financing.network_life_years", "financing.facility_life_years",
                 "assumptions.power-draw-fraction", "assumptions.idle-draw-fraction",
                 "assumptions.it-maintenance-fraction",
                 "assumptions.facility-opex-usd-per-mw-year", "assumptions.switch-cost-usd",
                 "assumptions.transceiver-cost-usd", "assumptions.nic-cost-usd",
                 "assumptions.switch-power-w", "assumptions.transceiver-power-w",
                 "assumptions.nic-power-w"):
        _catalog_input(book, result, path)
    book.add_input("hours_per_year", "hours in a (Julian) year", 8766.0, "h/year",
                   source="365.25 days x 24 h")
    nic = result.inputs.get("nics_in_server", {})
    book.add_input("nics_in_server", "system cost and power include the NICs (1 yes, 0 no)",
                   nic.get("value", 1.0), "flag", source=nic.get("source", ""))


def _question_inputs(book: LiveWorkbook, result, tag: str, what: str) -> None:
    """Inputs of one TCO question: cluster size, fabric counts, utilisation, residual value."""
    net = result.network
    fabric = f"derived: scale-out fabric sized for {result.accelerators:,.0f} accelerators " \
             "(siliconomics.datacenter.network.fabric)"
    book.add_input(f"{tag}.accelerators", f"{what}: accelerators installed", result.accelerators,
                   "count", source="cluster asked for, rounded up to whole systems")
    for k in ("switches", "transceivers", "nics"):
        book.add_input(f"{tag}.network.{k}", f"{what}: scale-out {k}", net[k], "count",
                       source=fabric)
    u = result.inputs.get("utilization", {})
    book.add_input(f"{tag}.utilization", f"{what}: utilisation (share of hours doing paid work)",
                   result.utilization, "fraction", source=u.get("source", ""))
    res = result.inputs.get("residual_fraction", {})
    book.add_input(f"{tag}.residual_fraction", f"{what}: resale value at end of life, of cost",
                   res.get("value", 0.0), "fraction", source=res.get("source", ""))


def _tco_block(book: LiveWorkbook, sheet: str, result, tag: str) -> str:
    """The TCO formulas of one question on ``sheet``; returns the key of its total."""
    from ..catalog.schema import SYSTEM_PARTS

    b = result.breakdown
    f = lambda key, label, formula, unit="", expected=None: book.add_formula(  # noqa: E731
        sheet, key, label, formula, unit, expected=expected)
    parts = " + ".join(f"{{system.{p}}} / {{system.accelerators}}" for p in SYSTEM_PARTS)
    f("system_capex", "system capex per accelerator", parts, "USD",
      result.system.capex_usd_per_accelerator)
    nic_cost = "{assumptions.nic-cost-usd} * (1 - {nics_in_server})"
    nic_power = "{assumptions.nic-power-w} * (1 - {nics_in_server})"
    f("network_capex", "scale-out network capex per accelerator",
      f"({{{tag}.network.switches}} * {{assumptions.switch-cost-usd}} + "
      f"{{{tag}.network.transceivers}} * {{assumptions.transceiver-cost-usd}} + "
      f"{{{tag}.network.nics}} * {nic_cost}) / {{{tag}.accelerators}}", "USD",
      result.network["capex_usd_per_accelerator"])
    f("network_power", "scale-out network power per accelerator",
      f"({{{tag}.network.switches}} * {{assumptions.switch-power-w}} + "
      f"{{{tag}.network.transceivers}} * {{assumptions.transceiver-power-w}} + "
      f"{{{tag}.network.nics}} * {nic_power}) / {{{tag}.accelerators}}", "W",
      result.network["power_w_per_accelerator"])
    f("it_power", "critical IT power per accelerator",
      "{system.power_kw} * 1000 / {system.accelerators} + {network_power}", "W")
    f("hours", "utilised hours per year", f"{{hours_per_year}} * {{{tag}.utilization}}", "h/year")
    r = "{financing.cost_of_capital}"
    for life in ("accelerator", "network", "facility"):
        n = f"{{financing.{life}_life_years}}"
        f(f"crf_{life}", f"capital recovery factor over the {life} life",
          f"IF(ABS({r}) < 1E-9, 1 / {n}, {r} / (1 - 1 / (1 + {r}) ^ {n}))", "1/year")
    f("residual_kept", "share of capital not recovered by resale (1 - s (1 + r)^-n)",
      f"1 - {{{tag}.residual_fraction}} / (1 + {r}) ^ {{financing.accelerator_life_years}}")
    f("draw", "average draw, of maximum",
      f"MAX({{{tag}.utilization}} * {{assumptions.power-draw-fraction}} + "
      f"(1 - {{{tag}.utilization}}) * {{assumptions.idle-draw-fraction}}, 1E-12)", "fraction")
    f("energy_kwh", "grid energy per accelerator per year",
      "{it_power} * {draw} * {site.pue} * {hours_per_year} / 1000", "kWh/year")
    f("accelerator", "accelerator", "{accelerator.price_usd} * {crf_accelerator} * "
      "{residual_kept} / {hours}", "USD/h", b["accelerator"])
    f("system", "system", "{system_capex} * {crf_accelerator} * {residual_kept} / {hours}",
      "USD/h", b["system"])
    f("network", "network", "{network_capex} * {crf_network} / {hours}", "USD/h", b["network"])
    f("facility", "facility", "{it_power} / 1000000 * {site.build_cost_usd_per_mw} * "
      "{crf_facility} / {hours}", "USD/h", b["facility"])
    f("power", "power", "{energy_kwh} * {site.power_price_usd_per_kwh} / {hours}", "USD/h",
      b["power"])
    f("operations", "operations", "({assumptions.it-maintenance-fraction} * "
      "({accelerator.price_usd} + {system_capex} + {network_capex}) + "
      "{assumptions.facility-opex-usd-per-mw-year} * {it_power} / 1000000) / {hours}", "USD/h",
      b["operations"])
    f("total", "cost per utilised accelerator-hour",
      "{accelerator} + {system} + {network} + {facility} + {power} + {operations}", "USD/h",
      b.total)
    return "total"


def build(result, training=None, serving=None, *, training_tco=None, serving_tco=None,
          precision: str = "bf16") -> LiveWorkbook:
    """A live workbook for a TCO result and, optionally, a training run and serving estimate.

    Parameters
    ----------
    result : TCOResult
        The accelerator-hour (:func:`siliconomics.tco.accelerator_hour`, one value per input).
    training : TrainingEstimate, optional
        A run on the same accelerator, site and financing
        (:func:`siliconomics.workloads.training.estimate`).
    serving : ServingResult, optional
        Serving on the same accelerator, site and financing, owned (not rented).
    training_tco, serving_tco : TCOResult, optional
        The TCO at the run's cluster size, and at the serving fleet's size and utilisation
        (computed from ``result``'s inputs when not given).
    precision : str
        Training precision of the dense peak (``bf16`` or ``fp8``).

    Returns
    -------
    LiveWorkbook
    """
    from .. import tco

    if np.ndim(result.usd_per_accelerator_hour):
        from ..errors import InputError

        raise InputError("a workbook takes one value per input, not an array of samples; "
                         "export a point estimate")
    book = LiveWorkbook()
    _shared_inputs(book, result)
    _question_inputs(book, result, "tco", "TCO")
    _tco_block(book, TCO, result, "tco")
    f = book.add_formula
    f(TCO, "cluster_cost_per_year", "cluster cost per year",
      f"{{total}} * {{tco.accelerators}} * {{hours}}", "USD/year",
      expected=result.annual_cost_usd)
    f(TCO, "power_share", "power's share of the hourly cost", "{power} / {total}", "share",
      expected=result.power_share)
    if training is not None:
        tt = training_tco or tco.accelerator_hour(result.resolved, accelerators=training.accelerators,
                                                  pricing=result.price.rule)
        _training_sheet(book, training, tt, precision)
    if serving is not None:
        if serving.cost_basis.startswith("rental"):
            from ..errors import InputError

            raise InputError("the workbook models owned serving; drop the rental price")
        st = serving_tco or tco.accelerator_hour(result.resolved, accelerators=10_000,
                                                 utilization=serving.utilization,
                                                 pricing=result.price.rule)
        _serving_sheet(book, serving, st)
    return book


def _training_sheet(book: LiveWorkbook, run, cost, precision: str) -> None:
    from ..workloads import parallelism

    hw = parallelism.Hardware.from_catalog(cost.resolved, precision)
    _question_inputs(book, cost, "training", "training")
    add = book.add_input
    add("training.flops", "training compute", run.training_flops, "FLOP",
        source=f"derived: {run.model or 'given'} FLOPs for its tokens (workloads.models)")
    add("training.gpus", "accelerators training", run.accelerators, "count", source="run input")
    add("training.peak_flop_per_s", f"dense peak per accelerator ({precision})",
        hw.peak_flop_per_s, "FLOP/s", source=f"{cost.accelerator}: catalog datasheet peak")
    add("training.mfu", "model FLOPs utilisation", run.mfu, "fraction",
        source="run input, layout model or training-mfu assumption")
    add("training.goodput", "goodput (share of wall time on useful steps)", run.goodput,
        "fraction", source="derived: optimal checkpointing for the failure rate "
                           "(workloads.reliability)")
    _tco_block(book, TRAINING, cost, "training")
    f = lambda key, label, formula, unit="", expected=None: book.add_formula(  # noqa: E731
        TRAINING, key, label, formula, unit, expected=expected)
    f("wall_hours", "wall-clock hours", "{training.flops} / ({training.gpus} * "
      "{training.peak_flop_per_s} * {training.mfu} * {training.goodput} * 3600)", "h")
    f("wall_days", "wall-clock days", "{wall_hours} / 24", "day", run.wall_days)
    f("accelerator_hours", "accelerator-hours", "{training.gpus} * {wall_hours}", "h",
      run.accelerator_hours)
    for c in run.breakdown:
        f(f"run_{c}", f"run cost: {c}", f"{{{c}}} * {{accelerator_hours}}", "USD",
          run.breakdown[c])
    f("cost_usd", "training-run cost", "{total} * {accelerator_hours}", "USD", run.cost_usd)


def _serving_sheet(book: LiveWorkbook, serve, cost) -> None:
    _question_inputs(book, cost, "serving", "serving")
    add = book.add_input
    d = serve.deployment
    where = (f"derived: {d.model.name} on {d.tp} x {d.accelerator}, {d.precision}, batch "
             f"{serve.batch} (workloads.serving performance model)")
    add("serving.prefill_s", "prefill accelerator-seconds per request",
        serve.performance["prefill_accelerator_s_per_request"], "s", source=where)
    add("serving.decode_s", "decode accelerator-seconds per request",
        serve.performance["decode_accelerator_s_per_request"], "s", source=where)
    add("serving.prompt_tokens", "prompt tokens per request", serve.prompt_tokens, "tokens",
        source="request input")
    add("serving.output_tokens", "output tokens per request", serve.output_tokens, "tokens",
        source="request input")
    _tco_block(book, SERVING, cost, "serving")
    f = lambda key, label, formula, unit="", expected=None: book.add_formula(  # noqa: E731
        SERVING, key, label, formula, unit, expected=expected)
    f("usd_per_million_input_tokens", "cost per million input tokens",
      "{total} / 3600 * {serving.prefill_s} / {serving.prompt_tokens} * 1000000", "USD/Mtok",
      serve.cost_realized["usd_per_million_input_tokens"])
    f("usd_per_million_output_tokens", "cost per million output tokens",
      "{total} / 3600 * {serving.decode_s} / {serving.output_tokens} * 1000000", "USD/Mtok",
      serve.cost_realized["usd_per_million_output_tokens"])


def for_question(accelerator="h100-sxm", site=None, *, accelerators=100_000, financing=None,
                 utilization=None, pricing="list", training_model="llama-3.1-405b",
                 training_accelerators=16_384, serving_model="llama-3.1-70b",
                 prompt_tokens=2048, output_tokens=256, slo_tpot_s=0.05, slo_ttft_s=2.0,
                 strict=True, **overrides) -> LiveWorkbook:
    """Compute the TCO, a training run and serving for one configuration, and build its workbook.

    ``overrides`` are API keywords of :data:`siliconomics.catalog.KEYWORDS`
    (``power_price_usd_per_kwh=0.09``); a model of None leaves its sheet out. With
    ``strict=False`` (the report) a run or deployment that does not fit the accelerator leaves
    its sheet out instead of failing.
    """
    from .. import tco
    from ..errors import InputError
    from ..workloads import serving, training

    result = tco.accelerator_hour(accelerator, site, accelerators=accelerators,
                                  financing=financing, utilization=utilization, pricing=pricing,
                                  **overrides)
    r = result.resolved
    run = serve = None
    try:
        if training_model is not None:
            run = training.estimate(training_model, accelerator=r,
                                    accelerators=training_accelerators, pricing=pricing)
    except InputError:
        if strict:
            raise
    try:
        if serving_model is not None:
            serve = serving.estimate(serving_model, r, prompt_tokens=prompt_tokens,
                                       output_tokens=output_tokens, slo_tpot_s=slo_tpot_s,
                                       slo_ttft_s=slo_ttft_s, pricing=pricing)
    except InputError:
        if strict:
            raise
    return build(result, run, serve)
