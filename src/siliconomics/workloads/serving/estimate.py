"""The whole serving estimate behind ``siliconomics serve``: configuration, latency,
throughput, memory, cost per token and energy (:func:`estimate`, :class:`ServingResult`)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ... import _checks
from ...errors import InputError
from ...results import ResultMixin
from ..models import Model
from .batching import best_under_slo, max_batch, offline_run
from .cost import HOUR_S, accelerator_hour_usd, energy, hours_energy, token_costs
from .deployment import EFFICIENCY_KEYS, Deployment
from .kv import MemoryPlan


@dataclass
class ServingResult(ResultMixin):
    """A serving estimate: configuration, latency, throughput, memory, cost, energy."""

    deployment: Deployment
    batch: int
    prompt_tokens: int
    output_tokens: int
    plan: MemoryPlan
    performance: dict
    cost_full: dict
    cost_realized: dict
    utilization: float
    usd_per_accelerator_hour: float
    energy: dict
    frontier: list
    slo: dict = field(default_factory=dict)
    demand: dict | None = None
    cost_basis: str = ""
    arrival_rate_per_s: float | None = None
    offline: dict | None = None

    def _repr_html_(self) -> str:
        """Notebook display: cost per million tokens, latency, throughput and the deployment."""
        from ...results import html_card, number

        d = self.to_dict()
        return html_card(
            f"Serving {d['model']} on {d['tp']} x {d['accelerator']} ({d['precision']})",
            f"${number(d['usd_per_million_output_tokens'], 3)} per million output tokens at "
            f"{number(100 * self.utilization, 3)}% utilisation",
            inputs=[("prompt / output tokens", f"{self.prompt_tokens:,} / {self.output_tokens:,}"),
                    ("batch (largest that fits)", f"{self.batch:,} ({self.plan.max_batch:,})"),
                    ("USD per million input tokens", d["usd_per_million_input_tokens"]),
                    ("USD per million output tokens at full load",
                     d["usd_per_million_output_tokens_full_load"]),
                    ("time to first token [s]", d["ttft_s"]),
                    ("time per output token [s]", d["tpot_s"]),
                    ("output tokens/s per user", d["tokens_per_s_per_user"]),
                    ("output tokens/s per accelerator", d["output_tokens_per_s_per_accelerator"]),
                    ("USD per accelerator-hour", self.usd_per_accelerator_hour),
                    ("joules per token", float(np.asarray(self.energy["joules_per_token"])))],
            note=self.cost_basis)

    def to_dict(self) -> dict:
        d, p = self.deployment, self.performance
        f = lambda x: float(np.asarray(x))  # noqa: E731
        out = {
            "model": d.model.name,
            "accelerator": d.accelerator,
            "tp": d.tp,
            "dp": d.dp,
            "pp": d.pp,
            "accelerators_per_replica": d.accelerators,
            "spans_servers": d.accelerators > d.accelerators_per_server,
            "precision": d.precision,
            "activation_precision": d.activation_precision,
            "kv_precision": d.kv_precision,
            "prompt_tokens": self.prompt_tokens,
            "output_tokens": self.output_tokens,
            "batch": self.batch,
            "decode_batch_padded": int(float(d.padded_batch(self.batch))),
            "max_batch": self.plan.max_batch,
            "memory": self.plan.to_dict(),
            "ttft_s": f(p["ttft_s"]),
            "queue_wait_s": f(p["queue_wait_s"]),
            "queueing": ("M/D/1 at the given arrival rate per replica" if self.arrival_rate_per_s
                         else "none (no arrival rate given)"),
            "arrival_rate_per_s": self.arrival_rate_per_s,
            "options": {"speculative_tokens": d.speculative_tokens,
                        "acceptance_rate": d.acceptance_rate,
                        "prefix_hit_rate": d.prefix_hit_rate,
                        "output_cv": d.output_cv,
                        "max_num_tokens": d.max_num_tokens,
                        "kv_memory": d.kv_memory,
                        "moe_dispatch": d.moe_dispatch,
                        "graph_batches": list(d.graph_batches)},
            "tpot_s": f(p["tpot_s"]),
            "e2e_latency_s": f(p["e2e_latency_s"]),
            "tokens_per_s_per_user": f(p["tokens_per_s_per_user"]),
            "output_tokens_per_s_per_accelerator": f(p["output_tokens_per_s_per_accelerator"]),
            "output_tokens_per_s_per_replica": f(p["output_tokens_per_s_per_replica"]),
            "utilization": self.utilization,
            "cost_basis": self.cost_basis,
            "usd_per_accelerator_hour": self.usd_per_accelerator_hour,
            "usd_per_million_input_tokens": f(self.cost_realized["usd_per_million_input_tokens"]),
            "usd_per_million_output_tokens": f(self.cost_realized["usd_per_million_output_tokens"]),
            "usd_per_million_input_tokens_full_load":
                f(self.cost_full["usd_per_million_input_tokens"]),
            "usd_per_million_output_tokens_full_load":
                f(self.cost_full["usd_per_million_output_tokens"]),
            "joules_per_token": f(self.energy["joules_per_token"]),
            "g_co2e_per_million_tokens": f(self.energy["g_co2e_per_million_tokens"]),
            "energy_convention": self.energy["convention"].to_dict(),
            "efficiency": {
                "compute": d.compute_efficiency, "bandwidth": d.bandwidth_efficiency,
                "communication": d.communication_efficiency,
                "alltoall": d.alltoall_efficiency,
                "alltoall_decode": d.alltoall_efficiency_decode,
                "layer_overhead_us": d.layer_overhead_s * 1e6,
                "step_overhead_ms": d.step_overhead_s * 1e3,
            },
            "slo": self.slo,
            "frontier": self.frontier,
        }
        if self.demand is not None:
            out["demand"] = self.demand
        if self.offline is not None:
            out["offline"] = self.offline
        return out


def fewest_stages(model, accelerator, *, tp=None, precision="fp8", kv_precision=None,
                  prompt_tokens=2048, output_tokens=256, options=None, **efficiencies) -> int:
    """Pipeline stages a dense model needs: 1 when the largest tensor parallelism tried (``tp``,
    else the largest within the scale-up domain) holds one request, else the fewest power of
    two that does (:meth:`~.deployment.Deployment.stages_that_fit`); 1 for MoE models (the
    search spreads them with attention data parallelism, as DeepSeek's and SGLang's
    deployments do; ``--pp`` stages them) and when no number of stages helps (the memory
    error then says what would).

    >>> fewest_stages("llama-3.1-405b", "h100", precision="bf16")
    2
    >>> fewest_stages("llama-3.1-70b", "h100")
    1
    """
    from .batching import tp_options

    options = {k: v for k, v in (options or {}).items() if k != "pp"}
    t = int(tp) if tp is not None else max(tp_options(accelerator, model))
    d = Deployment.create(model, accelerator, tp=t, precision=precision,
                          kv_precision=kv_precision, **options, **efficiencies)
    slot = d.kv_tokens(prompt_tokens, output_tokens)
    if d.model.is_moe or d.memory_plan(slot).fits:
        return 1
    return d.stages_that_fit(slot) or 1


#: Bounds of a serving request and deployment: far beyond any served model, so only a typo
#: reaches them.
MAX_TOKENS_PER_REQUEST = 10**8
MAX_TP = 1024
MAX_BATCH = 10**6
MAX_SLO_S = 3600.0
MAX_RENTAL_USD_PER_HOUR = 1e4
MAX_RATE = 1e7
MAX_REQUESTS = 10**12


def check_context(model: Model, prompt_tokens, output_tokens) -> None:
    """InputError when a request outgrows the model's context window (prompt and output
    together), saying how long a prompt fits with that output.

    >>> check_context(Model.from_catalog("llama-2-70b"), 4000, 256)
    Traceback (most recent call last):
    ...
    siliconomics.errors.InputError: 4,000 prompt + 256 output tokens exceed llama-2-70b's context of 4,096 tokens; use at most 3,840 prompt tokens with 256 output, or a model entry with a longer context_length (a user catalog entry that extends llama-2-70b)
    """
    n = model.context_length
    if prompt_tokens + output_tokens <= n:
        return
    if output_tokens < n:
        fix = f"use at most {n - output_tokens:,} prompt tokens with {output_tokens:,} output"
    elif prompt_tokens < n:
        fix = f"use at most {n - prompt_tokens:,} output tokens with {prompt_tokens:,} prompt"
    else:
        fix = f"use prompt and output of at most {n:,} tokens together"
    raise InputError(f"{prompt_tokens:,} prompt + {output_tokens:,} output tokens exceed "
                     f"{model.name}'s context of {n:,} tokens; {fix}, or a model entry with a "
                     f"longer context_length (a user catalog entry that extends {model.name})")


def estimate(model="llama-3.1-70b", accelerator="h100-sxm", *, tp=None, dp=None, pp=None,
             precision="fp8", prompt_tokens=2048, output_tokens=256, batch=None,
             slo_tpot_s=None, slo_ttft_s=None, arrival_rate_per_s=None, demand=None,
             utilization=None, site=None, financing=None, system=None, pricing="list",
             rental_usd_per_hour=None, kv_precision=None, speculative_tokens=0,
             acceptance_rate=0.0, prefix_hit_rate=0.0, kv_memory="total", output_cv=0.0,
             moe_dispatch="alltoall", energy_convention=None, set=None, requests=None,
             graph_batches=(), **kwargs) -> ServingResult:
    """Serve ``model`` on ``accelerator``: the whole estimate behind ``siliconomics serve``.

    With ``batch`` the configuration is fixed; otherwise the best configuration under the
    latency targets is searched (:func:`~.batching.best_under_slo`, every batch size that fits;
    with no target, the most output tokens per second per accelerator). ``dp`` is attention
    data parallelism for MoE models (experts spread over ``tp * dp`` accelerators, across
    servers where it exceeds one). ``pp`` is pipeline parallelism (the model's layers split
    into ``pp`` stages of ``tp * dp`` accelerators each); by default 1, or, when ``tp`` is
    searched too, for a dense model the fewest stages that hold it if no tensor parallelism
    within the scale-up domain does (:func:`fewest_stages`).
    ``arrival_rate_per_s`` (requests per second per replica)
    adds the M/D/1 queueing wait to TTFT. ``speculative_tokens`` and ``acceptance_rate``
    model speculative decoding or multi-token prediction; ``prefix_hit_rate`` skips that share
    of each prompt's prefill. ``output_cv`` is the coefficient of variation of the output
    lengths (decode attends over the longer contexts that heavy-tailed outputs keep in
    flight; :func:`~.batching.performance`). ``kv_memory`` is how the engine sizes its KV cache
    (:data:`~.deployment.KV_MEMORY`: "total", vLLM's and SGLang's way, or "free",
    TensorRT-LLM's). ``moe_dispatch`` is how a MoE model's tokens reach other ranks'
    experts (:data:`~.deployment.MOE_DISPATCH`: "alltoall", or "allgather", TensorRT-LLM's
    CUTLASS MoE under attention data parallelism). ``graph_batches`` are the batch sizes per
    attention rank the engine captured CUDA graphs for: each decode step runs padded to the
    smallest that holds its batch (:meth:`~.deployment.Deployment.padded_batch`; none by
    default). ``demand`` (a :class:`~siliconomics.workloads.demand.Demand` or
    CSV path) sizes a fleet for the peak and gives the realized utilization; else
    ``utilization`` (default 1). ``energy_convention`` says what the energy per token and the
    emissions count (:class:`~siliconomics.datacenter.energy.EnergyConvention`; default the
    TCO's, as ``tco`` and ``train`` report). ``requests`` adds an offline job of that many
    requests, all queued at once on one replica at the chosen batch
    (:func:`~.batching.offline_run`): its time, output rate, accelerator-hours, cost at the
    full-load hourly cost (the job keeps its accelerators busy) and energy.

    ``accelerator`` may be a name, an entry or resolved inputs
    (:func:`siliconomics.catalog.resolve`): the deployment's speed and its hourly cost come from
    the same values. ``kwargs`` are serving efficiencies (:data:`EFFICIENCY_KEYS`) or API
    keywords of :data:`siliconomics.catalog.KEYWORDS`; ``set`` changes input paths.

    Examples
    --------
    >>> r = estimate("llama-3.1-70b", "h100", tp=8, batch=64, rental_usd_per_hour=2.0)
    >>> d = r.to_dict()
    >>> d["usd_per_million_output_tokens"] > d["usd_per_million_input_tokens"] > 0
    True
    """
    from ... import tco

    _checks.within("prompt_tokens", prompt_tokens, 1, MAX_TOKENS_PER_REQUEST)
    _checks.within("output_tokens", output_tokens, 1, MAX_TOKENS_PER_REQUEST)
    if tp is not None:
        _checks.within("tp", tp, 1, MAX_TP)
    if dp is not None:
        _checks.within("dp", dp, 1, MAX_TP)
    if pp is not None:
        _checks.within("pp", pp, 1, MAX_TP)
    if batch is not None:
        _checks.within("batch", batch, 1, MAX_BATCH)
    if requests is not None:
        _checks.within("requests", requests, 1, MAX_REQUESTS)
        if arrival_rate_per_s is not None or demand is not None:
            raise InputError("an offline job (requests) queues every request at once; drop the "
                             "arrival rate and the demand profile, which describe online load")
    for name, value, hi in (("slo_tpot_s", slo_tpot_s, MAX_SLO_S), ("slo_ttft_s", slo_ttft_s, MAX_SLO_S),
                            ("rental_usd_per_hour", rental_usd_per_hour, MAX_RENTAL_USD_PER_HOUR),
                            ("arrival_rate_per_s", arrival_rate_per_s, MAX_RATE)):
        if value is not None:
            _checks.within(name, value, None, hi)
            _checks.positive(name, value)
    model = Model.from_catalog(model)
    check_context(model, prompt_tokens, output_tokens)
    if demand is not None and utilization is not None:
        raise InputError("give a demand profile or a utilization, not both (the demand profile "
                         "sets the utilization)")
    efficiencies = {k: kwargs.pop(k) for k in EFFICIENCY_KEYS if k in kwargs}
    options = {"speculative_tokens": speculative_tokens, "acceptance_rate": acceptance_rate,
               "prefix_hit_rate": prefix_hit_rate, "kv_memory": kv_memory,
               "output_cv": output_cv, "moe_dispatch": moe_dispatch,
               "graph_batches": tuple(graph_batches or ())}
    r = tco.resolve(accelerator, site, financing=financing, system=system, set=set, **kwargs)
    if pp is None:  # a replica the user sized (tp given) keeps one stage
        pp = 1 if tp is not None else fewest_stages(
            model, r, precision=precision, kv_precision=kv_precision,
            prompt_tokens=prompt_tokens, output_tokens=output_tokens, options=options,
            **efficiencies)
    options["pp"] = int(pp)
    if batch is not None and tp is None:
        # the batch is fixed, the parallelism searched (with the latency targets, if any)
        choice = best_under_slo(model, r, prompt_tokens=prompt_tokens,
                                output_tokens=output_tokens, slo_tpot_s=slo_tpot_s,
                                slo_ttft_s=slo_ttft_s, tp=None, dp=dp, precisions=(precision,),
                                kv_precision=kv_precision, arrival_rate_per_s=arrival_rate_per_s,
                                options=options, batch=batch, **efficiencies)
        d, perf, chosen_batch = choice.deployment, choice.performance, choice.batch
    elif batch is not None:
        d = Deployment.create(model, r, tp=tp, dp=dp or 1, precision=precision,
                              kv_precision=kv_precision, **options, **efficiencies)
        slot = d.kv_tokens(prompt_tokens, output_tokens)
        d.check_fits(slot)
        mb = max_batch(d, slot)
        if batch > mb:
            raise InputError(
                f"batch must be <= {mb} (the largest that fits on {d.accelerators} x "
                f"{d.accelerator} with {slot:.0f} tokens each), got {batch}"
            )
        perf = {k: v for k, v in d.performance(batch, prompt_tokens, output_tokens,
                                                arrival_rate_per_s).items()}
        if not np.isfinite(perf["ttft_s"]):
            capacity = float(d.performance(batch, prompt_tokens, output_tokens)
                             ["requests_per_s_per_replica"])
            raise InputError(f"arrival rate {arrival_rate_per_s:g} req/s is at or above the "
                             f"replica's capacity of {capacity:.3g} req/s at batch {batch}; "
                             f"lower --arrival-rate or raise --batch")
        chosen_batch = int(batch)
    else:
        choice = best_under_slo(model, r, prompt_tokens=prompt_tokens,
                                output_tokens=output_tokens, slo_tpot_s=slo_tpot_s,
                                slo_ttft_s=slo_ttft_s, tp=tp, dp=dp, precisions=(precision,),
                                kv_precision=kv_precision, arrival_rate_per_s=arrival_rate_per_s,
                                options=options, **efficiencies)
        d, perf, chosen_batch = choice.deployment, choice.performance, choice.batch
    plan = d.memory_plan(d.kv_tokens(prompt_tokens, output_tokens))
    frontier = d.frontier(prompt_tokens, output_tokens)

    demand_info = None
    if demand is not None:
        from .. import demand as demand_mod

        prof = demand if isinstance(demand, demand_mod.Demand) else demand_mod.read_csv(demand)
        fleet = demand_mod.fleet(prof, d, batch=chosen_batch, prompt_tokens=prompt_tokens,
                                 output_tokens=output_tokens)
        demand_info = fleet.to_dict()
        util = fleet.utilization
    else:
        util = 1.0 if utilization is None else float(utilization)
    _checks.fraction("utilization", util)
    cost_basis = (f"rental ${rental_usd_per_hour:g}/h" if rental_usd_per_hour is not None
                  else f"owned: TCO at {r.site.slug}, {r.financing.slug} financing, "
                       f"{pricing} pricing")
    full = accelerator_hour_usd(r, utilization=1.0, rental_usd_per_hour=rental_usd_per_hour,
                                pricing=pricing)
    real = accelerator_hour_usd(r, utilization=util, rental_usd_per_hour=rental_usd_per_hour,
                                pricing=pricing)
    en = energy(perf, r, output_tokens=output_tokens, convention=energy_convention)
    offline = None if requests is None else _offline_job(
        d, r, int(requests), chosen_batch, prompt_tokens, output_tokens, full,
        energy_convention)
    return ServingResult(
        deployment=d, batch=chosen_batch, prompt_tokens=int(prompt_tokens),
        output_tokens=int(output_tokens), plan=plan, performance=perf,
        cost_full=token_costs(perf, full, prompt_tokens=prompt_tokens,
                              output_tokens=output_tokens),
        cost_realized=token_costs(perf, real, prompt_tokens=prompt_tokens,
                                  output_tokens=output_tokens),
        utilization=util, usd_per_accelerator_hour=real, energy=en, frontier=frontier,
        slo={"tpot_s": slo_tpot_s, "ttft_s": slo_ttft_s}, demand=demand_info,
        cost_basis=cost_basis, arrival_rate_per_s=arrival_rate_per_s, offline=offline,
    )


def _offline_job(d, resolved, requests, batch, prompt_tokens, output_tokens, usd_per_hour,
                 convention) -> dict:
    """An offline job of ``requests`` on one replica of ``d`` at ``batch``: its waves, time,
    output rate, accelerator-hours, cost at ``usd_per_hour`` and energy."""
    run = offline_run(d, requests, batch, prompt_tokens, output_tokens)
    hours = run["seconds"] / HOUR_S
    acc_hours = d.accelerators * hours
    tokens = requests * float(output_tokens)
    usd = acc_hours * float(usd_per_hour)
    e = hours_energy(acc_hours, resolved, convention=convention)
    return {"requests": requests, "waves": [list(w) for w in run["waves"]],
            "hours": hours,
            "output_tokens_per_s_per_replica": run["output_tokens_per_s_per_replica"],
            "output_tokens_per_s_per_accelerator": run["output_tokens_per_s_per_accelerator"],
            "accelerator_hours": acc_hours, "usd": usd,
            "usd_per_million_output_tokens": usd / tokens * 1e6,
            "mwh": float(e["mwh"]), "t_co2e": float(e["t_co2e"])}
