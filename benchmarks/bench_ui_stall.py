"""How long the window's event loop stops answering while a batch ships and 2,000 packages sync.

The desktop app's window over its core services (offscreen), against the sandboxes in their own process
with ``--latency-ms`` on every call. Before measuring, as a clerk's day would have it: the window
refreshes, ships one label and syncs once (what runs once per app run: imports, the UPS token, the first
session), 2,000 labelled packages are in the store, all due (labelled 5 hours ago, never polled), and a
labelled shipment's detail (label preview) is open. Then a batch of 20 labels and a sync start together.

A timer ticks every 10 ms on the GUI thread; the longest gap between two ticks, less 10 ms, is the
longest stall. Measured until the batch is over and UPS has been asked about every package (the
sync's tracking, which moves the table's rows); the status write-back that follows talks only to
Acumatica and is left to finish without latency before the window closes.
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks import _seed
from benchmarks._harness import Measure, Options, say
from benchmarks._product import DEMO_SECRETS, AppContext, SandboxClock, demo_config
from benchmarks._sandbox import SandboxProcess

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from benchmarks._product_ui import CoreServices, StallWatch, Window

NAME = "ui_stall"
TITLE = "longest GUI stall while a batch ships and 2,000 packages sync (100 ms latency)"
STALL_MS = 50.0
WAIT_S = 900.0


def wait_until(done: Callable[[], bool], what: str, timeout: float = WAIT_S) -> None:
    """Run the event loop (idle, not spinning) until ``done()``."""
    if done():
        return
    loop = QEventLoop()
    deadline = time.monotonic() + timeout
    timer = QTimer()
    timer.setInterval(20)

    def check() -> None:
        if done() or time.monotonic() > deadline:
            loop.quit()

    timer.timeout.connect(check)
    timer.start()
    loop.exec()
    timer.stop()
    if not done():
        raise RuntimeError(f"{what} did not happen within {timeout:.0f} s")


def _watch_tracking(sandbox: SandboxProcess, until: int, asked: threading.Event) -> None:
    while sandbox.stats("ups")["track_requests"] < until:
        time.sleep(0.2)  # a poll of the sandbox's counters, on this thread: the GUI thread never waits
    asked.set()


def _one_run(sandbox: SandboxProcess, options: Options, packages: int, labels: int) -> tuple[StallWatch, int]:
    sandbox.reset()
    with tempfile.TemporaryDirectory(prefix="shipdesk-bench-") as folder:
        config = demo_config(sandbox.acumatica_url, sandbox.ups_url)
        context = AppContext.from_config(config, data_dir=Path(folder), demo=True, secret_values=DEMO_SECRETS,
                                         now=SandboxClock(sandbox.ups_url))
        window = Window(CoreServices(context))
        warm, *batch = _seed.ready_shipments(sandbox, labels + 1, prefix="BU")
        sandbox.add_latency(options.latency_ms)
        wait_until(window.refresh(), "the first refresh")
        wait_until(window.ship_batch([warm]), "the warm-up label")
        wait_until(window.sync_now(), "the warm-up sync")
        sandbox.clear_faults()
        numbers = _seed.labelled_shipments(sandbox, context, packages, hours_ago=5.0)
        wait_until(window.refresh(), "the refresh showing the labelled packages")
        wait_until(window.idle, "the window's work before measuring")
        window.select(warm)  # a labelled shipment: every refresh re-reads its detail and label preview
        wait_until(lambda: window.detail_shown() == warm, "its detail shown")  # open before measuring
        wait_until(window.idle, "the detail's read")
        sandbox.add_latency(options.latency_ms)
        asked_before = sandbox.stats("ups")["track_requests"]

        asked = threading.Event()  # watched off the GUI thread: a request from it would be a stall of ours
        watcher = threading.Thread(target=_watch_tracking, args=(sandbox, asked_before + len(numbers), asked),
                                   daemon=True)
        meter = StallWatch(report_ms=30)
        meter.start()
        batch_over = window.ship_batch(batch)
        sync_over = window.sync_now()
        watcher.start()
        wait_until(lambda: asked.is_set() and batch_over(), "the batch and the sync's tracking")
        settle = time.monotonic() + 2.0  # the listing refreshes the last answers start
        wait_until(lambda: time.monotonic() > settle, "two more seconds")
        meter.stop()
        sandbox.clear_faults()  # the write-back that follows: without latency, not measured
        wait_until(sync_over, "the end of the sync")
        labelled = window.labelled()  # the labels the batch made meanwhile (the work really happened)
        wait_until(window.close(), "closing the window")
        context.close()
    return meter, labelled


def _quiet_offscreen(kind: QtMsgType, context: object, message: str) -> None:
    """The offscreen platform warns about every dialog's size hints; everything else is printed."""
    if "propagateSizeHints" not in message:
        print(message, file=sys.stderr)


def run(options: Options) -> list[Measure]:
    qInstallMessageHandler(_quiet_offscreen)
    packages = options.sizes([2000], [150])[0]
    labels = options.size(20, 5)
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    stall = Measure(f"longest GUI stall, batch of {labels} + sync of {packages:,}", " ms", options.target(STALL_MS))
    made = Measure(f"labels the batch made while the sync ran (of {labels})", "",
                   options.target(labels, "at_least", source="the work must happen"), worst=True)
    with SandboxProcess() as sandbox:
        for run in range(options.runs):
            meter, labelled = _one_run(sandbox, options, packages, labels)
            say(f"    run {run + 1}: longest stall {meter.longest_ms:.1f} ms over {meter.ticks} ticks, "
                f"{labelled} of {labels} labels made; stalls over 30 ms (s, ms): {meter.stalls[:12]}")
            stall.add(meter.longest_ms)
            made.add(labelled)
    return [stall, made]
