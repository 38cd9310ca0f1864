"""End to end: filtering and sorting the real window's table keep what the packer selected."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from shipdesk.ui.view_data import Col
from tests.ui.e2e_support import WAIT_MS, RunningApp

PLAIN = "SH000101"  # Hudson Valley Hardware, New York


@pytest.fixture
def app(qtbot):
    running = RunningApp(qtbot)
    yield running
    running.close()


def test_search_group_and_sort_keep_the_selected_shipment(qtbot, app):
    win = app.window
    with qtbot.waitSignal(win.detail_loaded, timeout=WAIT_MS):
        assert win.shipments.select_shipment(PLAIN)

    qtbot.keyClicks(win.scan.box, "hudson")  # typing filters after a short pause
    qtbot.waitUntil(lambda: win.shipments.proxy.rowCount() == 1, timeout=WAIT_MS)
    assert win.shipments.proxy.data(win.shipments.proxy.index(0, Col.SHIPMENT)) == PLAIN
    assert win.shipments.current_shipment() == PLAIN and win.selected_shipments() == [PLAIN]

    win.shipments.table.sortByColumn(Col.WEIGHT, Qt.SortOrder.DescendingOrder)  # as a click on the header does
    assert win.selected_shipments() == [PLAIN]

    win.scan.box.clear()
    qtbot.waitUntil(lambda: win.shipments.proxy.rowCount() == win.shipments.model.rowCount(), timeout=WAIT_MS)
    assert win.selected_shipments() == [PLAIN]
    model, proxy = win.shipments.model, win.shipments.proxy
    weights = [model.rows()[proxy.mapToSource(proxy.index(i, 0)).row()][Col.WEIGHT] for i in range(proxy.rowCount())]
    assert weights == sorted(weights, reverse=True)  # the sort holds for the whole list

    win.shipments.select_group("attention")
    assert win.shipments.proxy.rowCount() == win.shipments.group_count("attention") > 0
    assert win.selected_shipments() == []  # the plain shipment is not shown there
