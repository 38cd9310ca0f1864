"""Acumatica sign-ins and API seats of the desktop app in use, against the sandboxes in their own process.

One app run, through the desktop app's core services (what the window calls, on its worker threads):
one Refresh, 10 labels shipped one at a time (the Ship button), and 3 syncs an hour apart (the first
labels are then picked up and their statuses written). The sandbox counts the sign-ins; a thread
watches how many API seats are held at once (each is a licensed seat on a real instance). Issue 14:
one sign-in per app run while it is in use (signed out after an idle time), at most one seat at a time.
The sync's own sign-ins per cycle are measured by ``bench_sync``.

The sandbox's clock jumps 2 hours before each sync (so UPS has moved the packages), and the sandbox ends a
session idle for 10 minutes of that clock: a real instance would not, since the app's run takes seconds. A
sign-in that only replaces a session the jump ended is not counted (the sandbox counts those ends); the
line shows the raw count too. The app's own idle sign-out runs on real time.
"""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path

from benchmarks import _seed
from benchmarks._harness import Measure, Options, say
from benchmarks._product import DEMO_SECRETS, AppContext, SandboxClock, demo_config
from benchmarks._product_ui import CoreServices
from benchmarks._sandbox import SandboxProcess

NAME = "sign_ins"
TITLE = "Acumatica sign-ins and seats per app run (1 refresh, 10 labels, 3 syncs)"
LABELS = 10
SYNCS = 3


class SeatWatch:
    """The most Acumatica API seats held at once, read from the sandbox every 50 ms on a thread."""

    def __init__(self, sandbox: SandboxProcess) -> None:
        self.most = 0
        self._sandbox = sandbox
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> SeatWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _watch(self) -> None:
        while not self._stop.wait(0.05):
            self.most = max(self.most, int(self._sandbox.stats("acumatica").get("sessions_open", 0)))


def run(options: Options) -> list[Measure]:
    sign_ins = Measure(f"Acumatica sign-ins per app run ({LABELS} labels, {SYNCS} syncs)", "",
                       options.target(1, "at_most"), worst=True)
    seats = Measure("Acumatica API seats held at once", "", options.target(1, "at_most"), worst=True)
    with SandboxProcess() as sandbox:
        for run in range(options.runs):
            sandbox.reset()
            shipments = _seed.ready_shipments(sandbox, LABELS, prefix="BA")
            sandbox.add_latency(options.latency_ms)
            before = sandbox.stats("acumatica")
            with tempfile.TemporaryDirectory(prefix="shipdesk-bench-") as folder, SeatWatch(sandbox) as watch:
                config = demo_config(sandbox.acumatica_url, sandbox.ups_url)
                context = AppContext.from_config(config, data_dir=Path(folder), demo=True,
                                                 secret_values=DEMO_SECRETS,
                                                 now=SandboxClock(sandbox.ups_url))
                services = CoreServices(context)
                services.pull()
                for shipment in shipments:
                    result = services.ship(shipment, print_labels=False)
                    if not result.ok:
                        raise RuntimeError(f"{shipment} was not labelled: {result.message}")
                for _ in range(SYNCS):
                    sandbox.advance(hours=2)  # picked up: the sync polls them and writes their statuses
                    services.sync_once()
                services.close()
            after = sandbox.stats("acumatica")
            logins = after.get("logins", 0) - before.get("logins", 0)
            expired = after.get("sessions_expired", 0) - before.get("sessions_expired", 0)
            say(f"    run {run + 1}: {logins} sign-ins ({expired} after a clock jump ended the session), "
                f"{after.get('logouts', 0) - before.get('logouts', 0)} sign-outs, at most {watch.most} seat(s) at "
                f"once, {after.get('sessions_open', 0)} left open")
            sign_ins.add(logins - expired)
            seats.add(watch.most)
    return [sign_ins, seats]
