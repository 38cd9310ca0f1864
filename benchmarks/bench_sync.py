"""Tracking sync cycles at warehouse scale, each in its own process, against the sandboxes in theirs.

For N packages (2,000 and 10,000; 150 with ``--quick``), each run starts from a fresh day: N
single-package shipments labelled 5 hours ago (picked up, not yet departed: see ``_seed``), none
polled yet, no status in Acumatica yet. Every API call answers ``--latency-ms`` late (100 ms).

- **first cycle**: every package due, every status changed (a true first cycle: nothing is written
  beforehand). Stopped at 1.25x its target (the cap) so a slow build cannot run for an hour; a stopped
  run counts as "more than the cap" and, since more runs cannot change that verdict, is not repeated.
- **steady cycle**: an hour later (the scans still the same, since the sandbox moves a package on only
  at +10 h), every package due again and nothing changed: one run each hour, ``--runs`` times. When
  the first cycle was stopped, an uncapped cycle without latency writes the rest first.
- **status write-back**: the status write-back's Acumatica requests (the reads of the notes included; the
  cycle's sign-in, pull and sign-out aside, which do not grow with the shipments) per status written in the
  first cycle. The line shows the cycle's total as the sandbox counted it too.
- **sign-ins**: Acumatica logins per cycle (first and steady).
- **memory**: the sync process's peak resident memory (first and steady cycles), at 10,000 packages.

The sync runs with the shipped ``[sync]`` defaults (``python -m benchmarks sync --set concurrency=8``
tries others) and the shipped ``[acumatica] order_note = "outcomes"``: the first cycle's statuses are all in
transit, so no sales order is written; ``--set acumatica.order_note=every_change`` writes each order too (a
read of the orders' notes and a PUT each).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from benchmarks import _seed
from benchmarks._harness import Measure, Options, last_json_line, run_child, say
from benchmarks._product import DEMO_SECRETS, AppContext, demo_config
from benchmarks._sandbox import SandboxProcess, requests_of

NAME = "sync"
TITLE = "tracking sync cycles (2,000 and 10,000 packages, 100 ms latency)"
LABELLED_HOURS_AGO = 5.0  # picked up at +4 h, departs at +10 h: the scans stay the same for 5 hours
FIRST_CYCLE_S = 120.0  # targets for 2,000 packages (issue 14); 10,000: linear
STEADY_CYCLE_S = 30.0
CAP_FACTOR = 1.25
QUICK_CAP_S = 40.0


class _Cycle:
    """One sync cycle in a child process, with what the sandboxes counted meanwhile."""

    def __init__(self, sandbox: SandboxProcess, data: Path, *, cap: float, settings: tuple[str, ...]) -> None:
        before = sandbox.stats("acumatica")
        args = ["--data", str(data), "--acumatica", sandbox.acumatica_url, "--ups", sandbox.ups_url,
                "--cap", str(cap)] + [a for pair in settings for a in ("--set", pair)]
        result = run_child("benchmarks._sync_child", args)
        if result.returncode != 0:
            raise RuntimeError(f"the sync process failed (exit {result.returncode})")
        answer = last_json_line(result.stdout)
        after = sandbox.stats("acumatica")
        self.seconds: float = answer["seconds"]
        self.capped: bool = answer["capped"]
        self.peak_mb: float = answer["peak_mb"]
        self.cpu_seconds: float = answer["cpu_seconds"]
        self.report: dict[str, Any] = answer["report"]
        self.concurrency: int = answer["concurrency"]
        self.tracking_seconds: float = answer["tracking_seconds"]
        self.acumatica_requests = requests_of(after) - requests_of(before)
        self.logins = after.get("logins", 0) - before.get("logins", 0)

    @property
    def writeback_requests(self) -> int:
        return int(self.report.get("writeback_requests", self.acumatica_requests))

    @property
    def written(self) -> int:
        return int(self.report["statuses_written"])

    def line(self, title: str) -> str:
        r = self.report
        stopped = " (stopped at the cap)" if self.capped else ""
        return (f"    {title}: {self.seconds:.1f} s{stopped} (UPS last asked at {self.tracking_seconds:.1f} s), "
                f"CPU {self.cpu_seconds:.1f} s, peak {self.peak_mb:.0f} MB; "
                f"{r['polled']} tracked, {r['waiting']} not due, {r['new_events']} new scans, {self.written} statuses "
                f"written with {self.writeback_requests} Acumatica requests ({self.acumatica_requests} in the "
                f"cycle), {self.logins} sign-in(s), "
                f"{r['pulled']} pulled; ok={r['ok']}")


def _fresh_day(sandbox: SandboxProcess, data: Path, count: int) -> None:
    sandbox.reset()
    config = demo_config(sandbox.acumatica_url, sandbox.ups_url)
    with AppContext.from_config(config, data_dir=data, demo=True, secret_values=DEMO_SECRETS) as context:
        _seed.labelled_shipments(sandbox, context, count, hours_ago=LABELLED_HOURS_AGO)


def _one_size(sandbox: SandboxProcess, count: int, options: Options, *, with_memory: bool) -> list[Measure]:
    scale = count / 2000
    first_target = options.target(FIRST_CYCLE_S * scale, scales_with_size=True)
    steady_target = options.target(STEADY_CYCLE_S * scale, scales_with_size=True)
    first = Measure(f"first cycle, {count:,} due, every status changed", " s", first_target)
    steady = Measure(f"steady cycle, {count:,} due, nothing changed", " s", steady_target)
    per_write = Measure(f"write-back: Acumatica requests per changed shipment ({count:,})", "",
                        options.target(2, "at_most"))
    sign_ins = Measure(f"Acumatica sign-ins per sync cycle ({count:,})", "", options.target(1, "at_most"),
                       worst=True)
    memory = Measure(f"peak memory of the sync process ({count:,} packages)", " MB",
                     options.target(200, scales_with_size=True) if with_memory else None)
    first_cap = QUICK_CAP_S if options.quick else FIRST_CYCLE_S * scale * CAP_FACTOR
    steady_cap = QUICK_CAP_S if options.quick else STEADY_CYCLE_S * scale * 2
    for run in range(options.runs):
        with tempfile.TemporaryDirectory(prefix="shipdesk-bench-") as folder:
            data = Path(folder)
            _fresh_day(sandbox, data, count)
            sandbox.add_latency(options.latency_ms)
            cycle = _Cycle(sandbox, data, cap=first_cap, settings=options.sync_settings)
            say(cycle.line(f"first cycle, run {run + 1}"))
            first.add(first_cap if cycle.capped else cycle.seconds, capped=cycle.capped)
            if cycle.written:
                per_write.add(cycle.writeback_requests / cycle.written)
            sign_ins.add(cycle.logins)
            memory.add(cycle.peak_mb)
            if cycle.capped:
                done = cycle.written / count
                first.notes.append(f"stopped at {first_cap:.0f} s with {cycle.written:,} of {count:,} statuses written"
                                   + (f": at that pace about {first_cap / done:,.0f} s in all" if done else ""))
            if run > 0:
                continue
            if cycle.capped or not cycle.report["ok"]:
                sandbox.clear_faults()
                # the rest of the write-back, without latency
                rest = _Cycle(sandbox, data, cap=0, settings=options.sync_settings)
                say(rest.line("rest of the first cycle, no latency (not timed)"))
                sandbox.add_latency(options.latency_ms)
            for hour in range(options.runs):
                sandbox.advance(hours=1)
                cycle = _Cycle(sandbox, data, cap=steady_cap, settings=options.sync_settings)
                say(cycle.line(f"steady cycle, {hour + 1} h later"))
                steady.add(steady_cap if cycle.capped else cycle.seconds, capped=cycle.capped)
                sign_ins.add(cycle.logins)
                memory.add(cycle.peak_mb)
                if cycle.written:
                    steady.notes.append(f"{cycle.written} statuses changed in a cycle meant to change none")
        if first.capped:
            first.notes.append("not repeated: a run stopped at the cap already misses the target")
            break
    changed = ", ".join(options.sync_settings)
    first.notes.append(f"[sync] settings: the shipped defaults ({cycle.concurrency} workers)"
                       + (f" except {changed}" if changed else ""))
    if not any(pair.startswith("acumatica.order_note=") for pair in options.sync_settings):
        per_write.notes.append("order_note = outcomes (the default): the in-transit statuses go on the shipments "
                               "only; --set acumatica.order_note=every_change also writes each sales order")
    return [first, steady, per_write, sign_ins, memory]


def run(options: Options) -> list[Measure]:
    sizes = options.sizes([2000, 10_000], [150])
    measures: list[Measure] = []
    with SandboxProcess() as sandbox:
        for count in sizes:
            say(f"  {count:,} packages, {options.latency_ms} ms per API call:")
            measures += _one_size(sandbox, count, options, with_memory=count == max(sizes))
    return measures
