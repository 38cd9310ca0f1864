"""End to end: after a sync brings UPS tracking back, the table shows the last event and the delivery date."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from shipdesk.acumatica.models import Address, Contact, Package, Shipment
from shipdesk.core.domain.states import State
from shipdesk.core.store import open_store
from shipdesk.core.store import repository as repo
from shipdesk.core.store.models import PackageRecord
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
    assert win.shipments.select_shipment(PLAIN)
    with qtbot.waitSignal(win.action_finished, timeout=WAIT_MS):
        win.commands.by_name["ship"].trigger()
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
    model, proxy = win.shipments.model, win.shipments.proxy
    proxy_row = proxy.mapFromSource(model.index(model.row_of(PLAIN), 0)).row()
    assert proxy.data(proxy.index(proxy_row, Col.DELIVERED), Qt.ItemDataRole.DisplayRole) == row[Col.DELIVERED]


def test_a_multi_package_shipment_shows_delivered_only_when_every_package_is(tmp_path):
    """The listing's two tracking columns come from the packages' latest UPS status, in the same query."""
    store = open_store(tmp_path)
    try:
        repo.upsert_shipment(Shipment(
            id="g1", shipment_nbr="000001", status="Open", ship_via="UPSGROUND",
            ship_to_address=Address("1 Main St", "", "Atlanta", "GA", "30303", "US"),
            ship_to_contact=Contact("", "Two Boxes Inc", "", ""),
            packages=(Package(id="p1", line_nbr=1, weight=Decimal(2)),
                      Package(id="p2", line_nbr=2, weight=Decimal(3)))))
        PackageRecord.update(tracking_number="1ZA").where(PackageRecord.acumatica_id == "p1").execute()
        PackageRecord.update(tracking_number="1ZB").where(PackageRecord.acumatica_id == "p2").execute()
        first = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)
        repo.record_package_status("1ZA", status_type="D", description="Delivered", delivered_at=first)
        repo.record_package_status("1ZB", status_type="I", description="Out For Delivery Today")
        row = repo.list_shipments().rows[0]
        assert (row.last_event, row.delivered_at) == ("Out For Delivery Today", None)  # one box still out

        last = datetime(2026, 11, 27, 10, 30, tzinfo=UTC)
        repo.record_package_status("1ZB", status_type="D", description="Delivered", delivered_at=last)
        row = repo.list_shipments().rows[0]
        assert (row.last_event, row.delivered_at) == ("Delivered", last)  # the day the last box arrived
    finally:
        store.close()
