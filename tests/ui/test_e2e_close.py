"""End to end: closing the window while a batch is shipping stops it safely and signs out of Acumatica."""

from __future__ import annotations

import pytest

from shipdesk.core.domain.states import State
from shipdesk.core.store import repository as repo
from shipdesk.core.store.models import LabelJob
from shipdesk.ui.view_data import Col
from tests.ui.e2e_support import WAIT_MS, RunningApp, answer_batch_confirmation


@pytest.fixture
def app(qtbot):
    running = RunningApp(qtbot)
    yield running
    running.close()  # also asserts that no Acumatica session is left open


def test_closing_mid_batch_finishes_the_label_in_flight_and_starts_no_more(qtbot, app):
    win = app.window
    ready = [r[Col.SHIPMENT] for r in win.shipments.model.rows() if r[Col.STATE] == State.READY.value]
    assert len(ready) >= 8
    # slow labels, so the window is closed while the batch is mid-way
    app.sandboxes.ups.add_fault(route="/api/shipments", delay_ms=150)
    answering = answer_batch_confirmation()
    win.shipment_actions.ship_batch(ready)
    answering.stop()
    dialog = win.shipment_actions.batch
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.bar.value() >= 1, timeout=WAIT_MS)

    win.close()  # the user closes the app: it must not just vanish with a label half-recorded
    assert win.isVisible() or not win.bridge.active_count  # it waits for the running work
    app.close_window()

    jobs = list(LabelJob.select())
    assert 1 <= len(jobs) < len(ready)  # the batch stopped after the label in flight
    for job in jobs:
        nbr = job.shipment.shipment_nbr
        # no job is left "requesting" (a label UPS may have made that nobody recorded)
        assert job.state == State.WRITTEN_BACK.value, (nbr, job.state, job.last_error)
        numbers = job.tracking_numbers
        assert numbers and all(n.startswith("1Z") for n in numbers)
        assert repo.require_shipment(nbr).state == job.state
        assert app.acumatica_shipment(nbr)["Packages"][0]["TrackingNbr"] == numbers[0]
    labelled_at_ups = sum(len(s.packages) for s in app.sandboxes.ups.shipments.values())
    assert labelled_at_ups == sum(len(j.tracking_numbers) for j in jobs)  # no label lost
