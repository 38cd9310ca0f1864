"""End to end: after a sync brings UPS tracking back, the table shows the last event and the delivery date."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt

from shipdesk.core.states import State
from shipdesk.ui.view_data import Col
from tests.ui.e2e_support import WAIT_MS, RunningApp

PLAIN = "SH000101"


@pytest.fixture
def app(qtbot):
    running = RunningApp(qtbot)
    yield running
    running.close()


def _sync(qtbot, app: RunningApp) -> None:
    with qtbot.waitSignal(app.window.action_finished, timeout=WAIT_MS) as finished:
        app.window.shipment_actions.sync_now()
    assert finished.args == ["sync"]
    app.wait_for_listing()


def test_after_a_sync_the_table_shows_the_last_ups_event_and_the_delivery_date(qtbot, app):
    win = app.window
    assert win.select_shipment(PLAIN)
    with qtbot.waitSignal(win.action_finished, timeout=WAIT_MS):
        win.action_by_name["ship"].trigger()
    app.wait_state(PLAIN, State.WRITTEN_BACK.value)
    assert app.row(PLAIN)[Col.LAST_EVENT] == app.row(PLAIN)[Col.DELIVERED] == ""  # nothing heard from UPS yet

    # days pass (in the sandboxes' shared clock); the sync reads UPS tracking back
    app.sandboxes.advance(hours=96)
    _sync(qtbot, app)
    app.wait_state(PLAIN, State.DELIVERED.value)
    row = app.row(PLAIN)
    assert "deliver" in row[Col.LAST_EVENT].lower(), row[Col.LAST_EVENT]
    datetime.strptime(row[Col.DELIVERED], "%Y-%m-%d")  # a date a user reads
    # and the cell really is on screen: the view reads it through the filter model
    proxy_row = win.proxy.mapFromSource(win.model.index(win.model.row_of(PLAIN), 0)).row()
    assert win.proxy.data(win.proxy.index(proxy_row, Col.DELIVERED), Qt.ItemDataRole.DisplayRole) == \
        row[Col.DELIVERED]
