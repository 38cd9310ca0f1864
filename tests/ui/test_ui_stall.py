"""How long the window freezes while it ships a batch and syncs over slow networks.

Both sandboxes answer every API call 200 ms late (a warehouse PC on a slow line); the window ships 20
labels as a batch and runs a sync cycle at the same time, with a shipment's detail (label preview) open.
A timer ticking every 10 ms on the GUI thread keeps running throughout (the window never blocks on the
work), and the longest stall is reported. The stall's target (< 50 ms) is a performance target: it lives in
the benchmark ``python -m benchmarks ui_stall``, which runs the sandboxes in their own process on a quiet
machine; a timed assertion here would fail whenever CI shares its cores.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from shipdesk.core.domain.states import State
from shipdesk.ui.bridge import freeze_long_lived_objects
from shipdesk.ui.stall_watch import StallWatch
from tests.ui.e2e_support import RunningApp, answer_batch_confirmation

LABELS = 20
LATENCY_MS = 200
WAIT_MS = 240_000
ARTIFACT = Path(__file__).resolve().parents[2] / "test-artifacts" / "ui_stall.txt"


@pytest.fixture
def app(qtbot):
    running = RunningApp(qtbot)
    yield running
    running.close()


@pytest.mark.slow
def test_shipping_and_syncing_over_a_slow_network_never_freezes_the_window(qtbot, app):
    win = app.window
    batch_of = app.add_shipments_like("SH000101", LABELS)  # a plain, valid address: every label succeeds
    app.pull()
    assert all(app.state(nbr) == State.READY.value for nbr in batch_of)
    # warm up with one label and one sync: the first of each imports code (PySide's import hook reads
    # every new module's source) and makes the in-process UPS sandbox load and compile its OpenAPI
    # specs. That happens once per app run; it is measured and reported, the limit is for the steady state.
    cold = StallWatch(report_ms=30)
    cold.start()
    assert win.shipments.select_shipment("SH000102")
    with qtbot.waitSignal(win.action_finished, timeout=WAIT_MS):
        win.commands.by_name["ship"].trigger()
    with qtbot.waitSignal(win.action_finished, timeout=WAIT_MS):
        win.shipment_actions.sync_now()
    qtbot.waitUntil(lambda: win.bridge.active_count == 0, timeout=WAIT_MS)
    cold.stop()
    # the window froze what was alive when it started (see bridge.freeze_long_lived_objects); this test
    # process also holds earlier tests' objects and the in-process sandboxes' parsed specs, which a
    # warehouse PC's app does not: freeze those too, so a full GC pass costs what it costs in the app
    freeze_long_lived_objects()
    # a shipment with a label is open in the detail pane, so every refresh re-reads it
    assert win.shipments.select_shipment("SH000116")
    for sandbox in (app.sandboxes.acumatica, app.sandboxes.ups):
        sandbox.add_fault(route="*", delay_ms=LATENCY_MS)  # the control API (/_sandbox) is never delayed

    meter = StallWatch(report_ms=30)
    meter.start()
    answering = answer_batch_confirmation()
    batch = win.shipment_actions.ship_batch(batch_of)
    answering.stop()
    assert batch is not None
    win.shipment_actions.sync_now()
    with qtbot.waitSignal(batch.finished_batch, timeout=WAIT_MS) as finished:
        pass
    qtbot.waitUntil(lambda: not win.shipment_actions.syncing, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: win.bridge.active_count == 0, timeout=WAIT_MS)  # the refreshes that follow
    meter.stop()

    report = (f"longest UI event-loop stall: {meter.longest_ms:.1f} ms over {meter.ticks} ticks "
              f"({LABELS} labels in a batch + a sync cycle, {LATENCY_MS} ms API latency); "
              f"stalls over {meter.report_ms:.0f} ms (s since start, ms): {meter.stalls}; "
              f"first label + first sync of the run (one-time imports): {cold.longest_ms:.1f} ms")
    print("\n" + report)
    ARTIFACT.parent.mkdir(exist_ok=True)
    ARTIFACT.write_text(report + "\n", encoding="utf-8")
    failed = [(r.shipment, r.message) for r in finished.args[0] if not r.ok]
    assert not failed and len(finished.args[0]) == LABELS, failed  # the work really happened
    # the GUI timer kept ticking while 20 labels and a sync ran: the window was never blocked on them
    assert meter.ticks > 100
