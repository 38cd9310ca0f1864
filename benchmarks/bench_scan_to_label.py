"""Seconds from scanning a shipment to its label stored, at a station with a serial scale (issue 15).

The sandboxes run in their own process with every API call ``--latency-ms`` late (a cloud Acumatica and
UPS); an MT-SICS scale is simulated on a pty. Each shipment of a run is one package: scan → the box put on the
scale (2 answers in motion, then 3 equal stable readings at the scale's 0.1 s display rate) → the package saved
to the Acumatica shipment and read back → the label (address check, Ship, archive, write-back). The first
shipment of a run also signs in and gets the UPS token: it is measured apart. No issue sets a number: the guard
is what a packer notices (the label printing within about 3 s of putting the box down).
"""

from __future__ import annotations

import statistics
import tempfile
from decimal import Decimal
from pathlib import Path

from benchmarks._harness import Measure, Options, say
from benchmarks._product import DEMO_SECRETS, AppContext, ShipFlow, demo_config
from benchmarks._sandbox import SandboxProcess
from shipdesk.core.packing_run import Packed, run_station
from shipdesk.devices.scales import ScaleKind, ScaleSettings, open_scale
from shipdesk.devices.scales.simulator import SerialScaleSimulator

NAME = "scan_to_label"
TITLE = "Scan → label at a station with a serial scale (weigh, save packages to Acumatica, Ship)"
GUARD = "guard: what a packer notices"
#: one-package, domestic, plainly shippable seeded shipments
SHIPMENTS = ("SH000101", "SH000102", "SH000104", "SH000105", "SH000124", "SH000128", "SH000132")


def run(options: Options) -> list[Measure]:
    first = Measure("first scan of a run (sign-in, UPS token)", " s", options.target(6.0, source=GUARD))
    later = Measure("scan → label, one package", " s", options.target(3.0, source=GUARD))
    weighing = Measure("of which weighing", " s", options.target(1.0, source=GUARD))
    shipments = SHIPMENTS[:3] if options.quick else SHIPMENTS
    with SandboxProcess() as sandbox, SerialScaleSimulator("sics") as simulator:
        for run_nbr in range(options.runs):
            sandbox.reset()  # seed data again; faults cleared, so the latency is set after it
            sandbox.add_latency(options.latency_ms)
            with tempfile.TemporaryDirectory() as temp:
                config = demo_config(sandbox.acumatica_url, sandbox.ups_url)
                settings = ScaleSettings(kind=ScaleKind.SICS, port=simulator.port)
                with AppContext.from_config(config, data_dir=Path(temp), demo=True,
                                            secret_values=DEMO_SECRETS) as context:
                    scale = open_scale(settings)
                    try:
                        plan = [Packed(nbr, (("SMALL", Decimal("2.5") + i),)) for i, nbr in enumerate(shipments)]
                        steps = run_station(ShipFlow(context), scale, settings, plan,
                                            lambda w: simulator.put(w, settle=2))
                    finally:
                        scale.close()
            failed = [s.outcome.message for s in steps if not s.outcome.ok]
            if failed:
                raise RuntimeError(f"run {run_nbr + 1}: {failed}")
            first.add(steps[0].seconds_scan_to_label)
            later.add(statistics.median(s.seconds_scan_to_label for s in steps[1:]))
            weighing.add(statistics.median(s.seconds_weighing for s in steps[1:]))
            say(f"    run {run_nbr + 1}: first {steps[0].seconds_scan_to_label:.2f} s, then median "
                f"{later.samples[-1]:.2f} s (weighing {weighing.samples[-1]:.2f} s)")
    return [first, later, weighing]
