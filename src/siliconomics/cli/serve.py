"""``siliconomics serve``: throughput, latency and cost per million tokens of serving a model."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._common import (BusyDraw, CarbonFreeShare, EmissionsBasis, EnergyScope, console,
                      counts_list, energy_convention, handle_errors, money, parse_option,
                      print_json)


@handle_errors
def serve(
    model: Annotated[str, typer.Option("--model", "-m", help="Catalog model (llama-3.1-70b, deepseek-v3, ...) or a Hugging Face config.json path.")] = "llama-3.1-70b",
    accelerator: Annotated[str, typer.Option("--accelerator", "-a", help="Catalog accelerator (h100, h200, b200, mi300x, ...).")] = "h100-sxm",
    tp: Annotated[int | None, typer.Option(min=1, max=1024, help="Tensor parallelism per replica (default: searched).")] = None,
    dp: Annotated[int | None, typer.Option("--dp", min=1, max=1024, help="Attention data parallelism of a MoE replica: experts spread over tp x dp accelerators (per pipeline stage), across servers or a whole NVL72 (default: searched).")] = None,
    pp: Annotated[int | None, typer.Option("--pp", min=1, max=1024, help="Pipeline stages of a replica, each of tp x dp accelerators holding its share of the layers (default 1; with tp searched, the fewest that hold the model when no tp within the scale-up domain does).")] = None,
    precision: Annotated[str, typer.Option(help="Weight precision: bf16, fp8, int8, fp4, int4.")] = "fp8",
    kv_precision: Annotated[str | None, typer.Option("--kv-precision", help="KV-cache precision (default fp8 for <= 8-bit weights, else bf16).")] = None,
    prompt: Annotated[int, typer.Option(min=1, max=10**8, help="Prompt (input) tokens per request.")] = 2048,
    output: Annotated[int, typer.Option(min=1, max=10**8, help="Output tokens per request.")] = 256,
    batch: Annotated[int | None, typer.Option(min=1, max=10**6, help="Sequences in flight per replica (default: searched).")] = None,
    slo_tpot: Annotated[str | None, typer.Option("--slo-tpot", help="Target time per output token, e.g. 50ms.")] = None,
    slo_ttft: Annotated[str | None, typer.Option("--slo-ttft", help="Target time to first token, e.g. 2s.")] = None,
    arrival_rate: Annotated[float | None, typer.Option("--arrival-rate", min=0.0, max=1e7, help="Requests per second per replica: TTFT adds the M/D/1 queueing wait.")] = None,
    requests: Annotated[int | None, typer.Option("--requests", min=1, max=10**12, help="An offline job of this many requests, all queued at once on one replica (served in waves of the batch): its time, accelerator-hours, cost and energy.")] = None,
    speculative_tokens: Annotated[int, typer.Option("--speculative-tokens", min=0, max=16, help="Draft or multi-token-prediction tokens per decode step (0: none).")] = 0,
    acceptance_rate: Annotated[float, typer.Option("--acceptance-rate", min=0.0, max=1.0, help="Probability each speculative token is accepted.")] = 0.0,
    prefix_hit_rate: Annotated[float, typer.Option("--prefix-hit-rate", min=0.0, max=0.99, help="Share of prompt tokens served from the prefix cache (no prefill).")] = 0.0,
    output_cv: Annotated[float, typer.Option("--output-cv", min=0.0, max=10.0, help="Coefficient of variation of the output lengths (0: all --output long; reasoning sets about 1.25): long outputs keep longer contexts in flight.")] = 0.0,
    kv_memory: Annotated[str, typer.Option("--kv-memory", help="How the engine sizes its KV cache: 'total' (a share of all memory, less the weights: vLLM, SGLang) or 'free' (a share of what the weights leave: TensorRT-LLM).")] = "total",
    graph_batches: Annotated[str | None, typer.Option("--graph-batches", help="Batch sizes per attention rank the engine captured CUDA graphs for, comma-separated (TensorRT-LLM's cuda_graph_config with enable_padding, e.g. 1,2,4,8,16,32,64,128,256,384,512,1024,2048): each decode step runs padded to the smallest that holds its batch (default: none).")] = None,
    moe_dispatch: Annotated[str, typer.Option("--moe-dispatch", help="How a MoE model's tokens reach other ranks' experts: 'alltoall' (DeepEP; SGLang, vLLM) or 'allgather' (every attention rank gathers all tokens, outputs reduce-scattered: TensorRT-LLM's CUTLASS MoE with --dp).")] = "alltoall",
    demand: Annotated[Path | None, typer.Option(help="Demand CSV (hour,requests_per_s[,prompt_tokens,output_tokens]).")] = None,
    utilization: Annotated[float | None, typer.Option(help="Realized utilization in (0, 1] when no demand file is given.")] = None,
    site: Annotated[str, typer.Option(help="Site of the owned fleet (TCO, PUE, grid intensity).")] = "us-texas",
    financing: Annotated[str, typer.Option(help="Financing preset of the owned fleet.")] = "hyperscaler",
    system: Annotated[str | None, typer.Option("--system", help="System of the fleet (default: the accelerator's own).")] = None,
    pricing: Annotated[str, typer.Option(help="Accelerator price: list, cost-plus or pass-through.")] = "list",
    rent: Annotated[str | None, typer.Option("--rent", help="Rental price per accelerator-hour instead of owning, e.g. 2.5 or '2.5 USD'.")] = None,
    kernels: Annotated[str, typer.Option("--kernels", help="Efficiency terms: 'catalog' (shipped, fitted to measured kernels) or 'measured' (fitted now to the installed aiconfigurator-core database; needs siliconomics[measured]).")] = "catalog",
    overlay: Annotated[list[Path] | None, typer.Option("--overlay", help="Catalog file with serving_efficiency factors (from 'calibrate serving --save'), as --catalog; repeat.")] = None,
    disaggregate: Annotated[bool, typer.Option("--disaggregate", help="Also search separate prefill and decode pools and their ratio (decode batch: --batch or searched).")] = False,
    prefill_tp: Annotated[int | None, typer.Option("--prefill-tp", min=1, max=1024, help="Tensor parallelism of the prefill pool (default: searched).")] = None,
    decode_tp: Annotated[int | None, typer.Option("--decode-tp", min=1, max=1024, help="Tensor parallelism of the decode pool (default: searched).")] = None,
    energy_scope: EnergyScope = "facility",
    busy_draw: BusyDraw = None,
    emissions: EmissionsBasis = "location",
    carbon_free_share: CarbonFreeShare = 0.0,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
):
    """Throughput, latency and $ per million tokens of serving a model, under load and latency targets."""
    from .. import catalog
    from ..workloads import serving

    from ..errors import InputError

    if not disaggregate and (prefill_tp is not None or decode_tp is not None):
        raise InputError("--prefill-tp and --decode-tp size the disaggregated pools; add "
                         "--disaggregate")
    if kernels not in ("catalog", "measured"):
        from ..errors import unknown

        raise InputError(unknown("--kernels", kernels, ("catalog", "measured")))
    graphs = counts_list(graph_batches, "--graph-batches", serving.deployment.MAX_GRAPH_BATCH)
    tpot = parse_option(slo_tpot, "s", "--slo-tpot")
    ttft = parse_option(slo_ttft, "s", "--slo-ttft")
    rental = parse_option(rent, "USD", "--rent")
    with catalog.using(*(overlay or ())):
        fitted = {}
        if kernels == "measured":
            from ..workloads.serving import measured

            fitted = measured.efficiencies(accelerator, precision)
        result = serving.estimate(
            model, accelerator, tp=tp, dp=dp, pp=pp, precision=precision,
            kv_precision=kv_precision,
            prompt_tokens=prompt, output_tokens=output, batch=batch, slo_tpot_s=tpot,
            slo_ttft_s=ttft, arrival_rate_per_s=arrival_rate or None, demand=demand,
            utilization=utilization, site=site, financing=financing, system=system,
            pricing=pricing, rental_usd_per_hour=rental, speculative_tokens=speculative_tokens,
            acceptance_rate=acceptance_rate, prefix_hit_rate=prefix_hit_rate,
            kv_memory=kv_memory, output_cv=output_cv, moe_dispatch=moe_dispatch,
            graph_batches=graphs,
            energy_convention=energy_convention(energy_scope, busy_draw, emissions,
                                                carbon_free_share),
            requests=requests, **fitted,
        )
        data = result.to_dict()
        if disaggregate:
            data["disaggregated"] = serving.disaggregated(
                result.deployment.model, result.deployment.resolved, prompt_tokens=prompt,
                output_tokens=output, decode_batch=batch, prefill_tp=prefill_tp,
                decode_tp=decode_tp, precision=precision, slo_tpot_s=tpot, slo_ttft_s=ttft,
                options={"speculative_tokens": speculative_tokens,
                         "acceptance_rate": acceptance_rate, "prefix_hit_rate": prefix_hit_rate,
                         "kv_memory": kv_memory, "output_cv": output_cv,
                         "moe_dispatch": moe_dispatch, "graph_batches": graphs},
                **fitted)
    if as_json:
        print_json(data)
        return
    _print(data)
    if disaggregate:
        g = data["disaggregated"]
        console().print(
            f"disaggregated: {g['prefill_replicas']} prefill replicas (tp={g['prefill_tp']}, "
            f"dp={g['prefill_dp']}) per {g['decode_replicas']} decode replicas "
            f"(tp={g['decode_tp']}, dp={g['decode_dp']}) at batch {g['decode_batch']}: "
            f"{g['prefill_to_decode_ratio']:.2f} prefill accelerators per decode accelerator; TTFT {g['ttft_s'] * 1000:,.0f} ms (KV transfer "
            f"{g['kv_transfer_s'] * 1000:,.1f} ms), TPOT {g['tpot_s'] * 1000:,.1f} ms, "
            f"{g['output_tokens_per_s_per_accelerator']:,.0f} output tokens/s per accelerator")


def _print(d: dict) -> None:
    from rich.table import Table

    from ..format import number

    out = console()
    split = [f"{k} {d[k]}" for k in ("dp", "pp") if d.get(k, 1) > 1]
    par = " x ".join([f"tp {d['tp']}", *split]) + " = " if split else ""
    gathered = (", tokens all-gathered to the experts"
                if d.get("dp", 1) > 1 and d["options"].get("moe_dispatch") == "allgather" else "")
    if d["options"].get("graph_batches"):
        gathered += ", decode steps padded to CUDA-graph batches"
    out.print(f"{d['model']} on {par}{d['accelerators_per_replica']} x {d['accelerator']} "
              f"({d['precision']} weights, "
              f"{d['kv_precision']} KV cache{gathered}), {d['prompt_tokens']} in / "
              f"{d['output_tokens']} out, "
              f"batch {d['batch']} (max {d['max_batch']} fits)")
    t = Table(title="Serving", title_justify="left")
    t.add_column("metric")
    t.add_column("value", justify="right")
    rows = [
        ("time to first token", f"{d['ttft_s'] * 1000:,.0f} ms"),
        ("  of which queueing", f"{d['queue_wait_s'] * 1000:,.0f} ms ({d['queueing']})"),
        ("time per output token", f"{d['tpot_s'] * 1000:,.1f} ms"),
        ("end-to-end latency", f"{d['e2e_latency_s']:,.2f} s"),
        ("tokens/s per user", f"{d['tokens_per_s_per_user']:,.1f}"),
        ("output tokens/s per accelerator", f"{d['output_tokens_per_s_per_accelerator']:,.0f}"),
        ("cost basis", d["cost_basis"]),
        ("utilization", f"{d['utilization']:.0%}"),
        ("cost per utilised accelerator-hour", money(d["usd_per_accelerator_hour"])),
        ("$ per M input tokens (full load)", money(d["usd_per_million_input_tokens_full_load"])),
        ("$ per M output tokens (full load)", money(d["usd_per_million_output_tokens_full_load"])),
        ("$ per M input tokens (realized)", money(d["usd_per_million_input_tokens"])),
        ("$ per M output tokens (realized)", money(d["usd_per_million_output_tokens"])),
        ("energy per output token",
         f"{d['joules_per_token']:,.2f} J ({d['energy_convention']['label']})"),
        ("gCO2e per M output tokens", f"{d['g_co2e_per_million_tokens']:,.0f}"),
    ]
    if d["options"].get("graph_batches"):
        rows.insert(3, ("  decode steps run at (CUDA graph)",
                        f"{d['decode_batch_padded']:,} sequences for {d['batch']:,}"))
    if d.get("demand"):
        dm = d["demand"]
        rows.insert(6, ("fleet for the peak", f"{dm['accelerators']:,} accelerators "
                                              f"({dm['replicas']:,} replicas, peak "
                                              f"{dm['peak_requests_per_s']:,.0f} req/s)"))
    if d.get("offline"):
        job = d["offline"]
        waves = " + ".join(f"{n} x {size:,}" if n > 1 else f"{size:,}" for size, n in job["waves"])
        rows += [
            (f"offline job of {job['requests']:,} requests",
             f"{number(job['hours'])} h on one replica (waves of {waves})"),
            ("  output tokens/s per accelerator",
             f"{job['output_tokens_per_s_per_accelerator']:,.0f}"),
            ("  accelerator-hours, cost", f"{number(job['accelerator_hours'])}, "
                                          f"{money(job['usd'])} (full-load hourly cost)"),
            ("  $ per M output tokens, prefill included",
             money(job["usd_per_million_output_tokens"])),
            ("  energy, emissions",
             f"{number(job['mwh'])} MWh, {number(job['t_co2e'])} tCO2e"),
        ]
    for k, v in rows:
        t.add_row(k, v)
    out.print(t)
    f = Table(title="Throughput-interactivity frontier", title_justify="left")
    for col in ("batch", "TTFT ms", "TPOT ms", "tok/s/user", "out tok/s/accel"):
        f.add_column(col, justify="right")
    for p in d["frontier"]:
        f.add_row(f"{p['batch']:.0f}", f"{p['ttft_s'] * 1000:,.0f}", f"{p['tpot_s'] * 1000:,.1f}",
                  f"{p['tokens_per_s_per_user']:,.1f}",
                  f"{p['output_tokens_per_s_per_accelerator']:,.0f}")
    out.print(f)


def register(app: typer.Typer) -> None:
    """Add the ``serve`` command to the CLI."""
    app.command("serve")(serve)
