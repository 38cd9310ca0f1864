"""Seconds from a release in Acumatica to the label written back, with automatic mode, push vs polling.

A sync (the command line's: automatic mode, Acumatica pushes on its listener) runs against the sandboxes in
their own process, every API call ``--latency-ms`` late. A shipment is released in the sandbox (On Hold →
Open, one transaction); the sandbox pushes as Acumatica does; the time until the store shows the label
written back is the push path. The polling path is the wait for the next cycle (on average half of
``[sync] interval_minutes``, 15 by default: 450 s; at worst the whole interval) plus one cycle that pulls and
labels it, measured here with pushes off. Issue 18: ready in the store within 2 s of a release through the push.
"""

from __future__ import annotations

import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

from benchmarks._harness import Measure, Options, say
from benchmarks._product import DEMO_SECRETS, AppContext, CycleReport, ShipmentRecord, State, SyncService, demo_config
from benchmarks._sandbox import SandboxProcess
from shipdesk.core.automatic.labeller import AutoLabeller
from shipdesk.core.settings.config import AcumaticaPushConfig, AutomaticLabels, ListenerConfig, ShipConfig

NAME = "release_to_label"
TITLE = "Release in Acumatica → label written back, automatic mode: push vs polling"
SECRET = "bench-push-secret"
HEADER = "X-Shipdesk-Secret"
#: a plain commercial shipment whose Ship Via (UPSSAVER) only one other seeded shipment has: automatic mode is
#: limited to it, so the first cycle labels two seeded shipments and then only what the benchmark releases
TEMPLATE, SHIP_VIA = "SH000105", "UPSSAVER"


def _state(nbr: str) -> State | None:
    record = ShipmentRecord.get_or_none(ShipmentRecord.shipment_nbr == nbr)
    return record.state if record is not None else None


def _since(started: float, nbr: str, states: set[State], timeout: float = 60.0) -> float:
    """Seconds from ``started`` until the store shows ``nbr`` in one of ``states``."""
    while time.perf_counter() - started < timeout:
        if _state(nbr) in states:
            return time.perf_counter() - started
        time.sleep(0.005)
    raise RuntimeError(f"{nbr} did not reach {', '.join(sorted(states))} within {timeout} s")


def _started(context: AppContext) -> SyncService:
    """The sync running, its first cycle over (polling off after it: an hour's interval)."""
    first = threading.Event()
    service = SyncService(context, labeller=AutoLabeller(context), on_report=lambda _report: first.set())
    service.start(interval_seconds=3600)
    if not first.wait(300):
        raise RuntimeError("the first cycle did not finish")
    return service


def run(options: Options) -> list[Measure]:
    pushed = Measure("release → ready in the store, push", " s", options.target(2.0, source="issue 18"))
    labelled = Measure("release → label written back, push", " s", None)
    cycle = Measure("release → label written back, polling: one cycle after the wait", " s", None)
    with SandboxProcess() as sandbox:
        for number in range(options.runs):
            sandbox.reset()
            sandbox.add_latency(options.latency_ms)
            held = sandbox.copy_shipments(TEMPLATE, 2, f"R{number}", status="On Hold")
            with tempfile.TemporaryDirectory(prefix="shipdesk-bench-") as folder:
                base = demo_config(sandbox.acumatica_url, sandbox.ups_url)
                config = replace(base, sync=replace(base.sync, listener=ListenerConfig(port=0)),
                                 acumatica=replace(base.acumatica, push=AcumaticaPushConfig(enabled=True,
                                                                                          header_name=HEADER)),
                                 ship=replace(ShipConfig(), automatic=True, automatic_ship_vias=(SHIP_VIA,),
                                              automatic_labels=AutomaticLabels.ARCHIVE))
                context = AppContext.from_config(config, data_dir=Path(folder), demo=True,
                                                 secret_values={**DEMO_SECRETS, "acumatica.push_secret": SECRET})
                service = _started(context)
                assert service.listener is not None
                sandbox._control("acumatica", "POST", "push", {
                    "url": f"http://127.0.0.1:{service.listener.port}/acumatica/push", "header_name": HEADER,
                    "header_value": SECRET})
                started = time.perf_counter()
                sandbox._control("acumatica", "POST", "release", {"shipments": [held[0]]})
                # ready, or already further: the labeller may start before this loop looks
                pushed.add(_since(started, held[0], {State.READY, State.VALIDATING, State.REQUESTING,
                                                     State.LABELLED, State.WRITTEN_BACK}))
                labelled.add(_since(started, held[0], {State.WRITTEN_BACK}))
                sandbox._control("acumatica", "DELETE", "push")
                service.stop()
                sandbox._control("acumatica", "POST", "release", {"shipments": [held[1]]})
                polled = SyncService(context, labeller=AutoLabeller(context))
                begun = time.perf_counter()
                report: CycleReport = polled.run_cycle()
                cycle.add(time.perf_counter() - begun)
                if _state(held[1]) != State.WRITTEN_BACK:
                    raise RuntimeError(f"the cycle did not label {held[1]}: {report.summary()} {report.failures}")
                say(f"    run {number + 1}: push {pushed.samples[-1]:.2f} s to ready, "
                    f"{labelled.samples[-1]:.2f} s to written back; a cycle {cycle.samples[-1]:.2f} s "
                    f"after the wait (450 s on average at the default 15 minutes)")
                context.close()
    return [pushed, labelled, cycle]
