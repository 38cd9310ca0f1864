"""The real window over the real core, in demo mode against the built-in sandboxes (127.0.0.1 only)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from shipdesk.core.context import AppContext
from shipdesk.core.settings.paths import data_dir
from shipdesk.demo.launcher import DEMO_SECRETS, start_demo
from shipdesk.ui.core_services import CoreServices
from shipdesk.ui.view_data import Col
from shipdesk.ui.window.main_window import MainWindow

WAIT = 30_000


@pytest.fixture
def demo_window(qtbot, monkeypatch):
    monkeypatch.delenv("SHIPDESK_DEMO_ACUMATICA_URL", raising=False)
    monkeypatch.delenv("SHIPDESK_DEMO_UPS_URL", raising=False)
    sandboxes, config = start_demo()
    context = AppContext.from_config(config, data_dir=data_dir() / "demo", demo=True,
                                     secret_values=DEMO_SECRETS)
    services = CoreServices(context)
    win = MainWindow(services)
    win.show()
    with qtbot.waitSignal(win.action_finished, timeout=WAIT):
        win.shipment_actions.pull()
    qtbot.waitUntil(lambda: win.shipments.model.rowCount() > 0, timeout=WAIT)
    yield win, services, sandboxes
    win.close()  # finishes running work, then signs out and closes the store
    qtbot.waitUntil(lambda: not win.isVisible(), timeout=WAIT)
    win.deleteLater()
    # every Acumatica session was signed out: no licensed API seat is left held
    assert sandboxes.acumatica.stats_payload().get("sessions_open", 0) == 0
    sandboxes.stop()


def test_demo_window_lists_the_sandbox_shipments(qtbot, demo_window):
    win, _services, _sandboxes = demo_window
    assert win.status.demo_badge.isVisible()
    assert "DEMO MODE" in win.windowTitle()
    assert win.shipments.model.rowCount() > 10
    assert win.shipments.group_count("ready") > 0
    assert win.shipments.group_count("attention") > 0  # the seeded bad address / unmapped Ship Via
    qtbot.waitUntil(lambda: "Acumatica: connected" in win.status.acumatica.text(), timeout=WAIT)


def test_demo_unmapped_ship_via_shows_why_in_the_detail(qtbot, demo_window):
    win, _services, _sandboxes = demo_window
    row = next(r for r in win.shipments.model.rows() if r[Col.SERVICE].endswith("not mapped"))
    with qtbot.waitSignal(win.detail_loaded, timeout=WAIT):
        win.shipments.select_shipment(row[Col.SHIPMENT])
    assert win.detail.problem_box.isVisible()
    assert "Ship Via" in win.detail.problem_text.text()


def test_demo_scan_to_ship_labels_and_writes_back(qtbot, demo_window):
    win, _services, sandboxes = demo_window
    ready = next(r[Col.SHIPMENT] for r in win.shipments.model.rows()
                 if r[Col.STATE] in ("pending", "ready") and r[Col.COUNTRY] == "US" and r[Col.PACKAGES] == 1)
    win.commands.by_name["scan_to_ship"].setChecked(True)
    with qtbot.waitSignal(win.action_finished, timeout=WAIT):
        win.scan.box.setText(ready)
        qtbot.keyClick(win.scan.box, Qt.Key.Key_Return)
    assert "1Z" in win.notice.text.text(), win.notice.text.text()
    qtbot.waitUntil(lambda: win.shipments.model.rows()[win.shipments.model.row_of(ready)][Col.STATE] == "written_back",
                    timeout=WAIT)
    assert win.shipments.model.rows()[win.shipments.model.row_of(ready)][Col.TRACKING].startswith("1Z")
    assert sandboxes.ups.stats_payload()["labels_created"] == 1
    with qtbot.waitSignal(win.detail_loaded, timeout=WAIT):
        win.details.load()
    assert win.detail.preview.isVisible()  # the label image is shown
