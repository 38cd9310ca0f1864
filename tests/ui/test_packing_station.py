"""The packing station in the window (issue 15): a scan with a scale attached opens Pack with the stable weight
read in, Enter ships with it; another service needs a reason; Tools › Day summary saves the PDF."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt, QTimer

from shipdesk.core.settings.config import ScaleConfig
from shipdesk.devices.scales import ScaleKind
from shipdesk.ui.packing_view import PackageLine
from shipdesk.ui.window.main_window import MainWindow
from tests.ui.fakes import FakeServices

WAIT = 5000


@pytest.fixture
def station(qtbot):
    services = FakeServices()
    services._config = replace(services.config, scale=ScaleConfig(kind=ScaleKind.SICS, port="COM3"))
    win = MainWindow(services)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.listing_loaded, timeout=WAIT):
        win.show()
    yield win, services
    win.bridge.wait_for_done(WAIT)


def scan(qtbot, win, text):
    win.scan.box.clear()
    qtbot.keyClicks(win.scan.box, text)
    qtbot.keyClick(win.scan.box, Qt.Key.Key_Return)


def test_a_scan_with_a_scale_weighs_the_package_and_enter_ships_it(qtbot, station, monkeypatch):
    win, services = station
    services.weights = [Decimal("3.42")]
    from shipdesk.ui.window import shipment_actions

    seen: list[str] = []

    class Clerk(shipment_actions.PackDialog):
        def exec(self):
            self.show()  # as exec() does: the default button answers Enter only in a shown dialog
            qtbot.waitUntil(lambda: self._spin(0, 1).value() == pytest.approx(3.42), timeout=WAIT)
            seen.append(self.scale_note.text())
            qtbot.keyClick(self._spin(0, 1), Qt.Key.Key_Return)  # Enter: the dialog's default button, Ship
            return self.result()

    monkeypatch.setattr(shipment_actions, "PackDialog", Clerk)
    with qtbot.waitSignal(win.action_finished, timeout=WAIT) as finished:
        scan(qtbot, win, "SH000007")
    assert finished.args == ["ship"]
    ((nbr, choice, ship),) = services.called("pack")
    assert (nbr, ship) == ("SH000007", True)
    assert choice.packages[0].weight == Decimal("3.42") and choice.packages[0].box == "MEDIUM"
    assert choice.service == "" and seen == ["Package 1: 3.42 lb, stable"]
    assert services.called("weigh") == [("LB",)]


def test_another_service_needs_a_reason_and_boxes_can_be_added(qtbot, station, monkeypatch):
    win, services = station
    services.weights = [Decimal("2.0")]
    from shipdesk.ui.window import shipment_actions

    problems: list[str] = []

    class Clerk(shipment_actions.PackDialog):
        def exec(self):
            self.show()
            qtbot.waitUntil(lambda: self._spin(0, 1).value() == 2.0, timeout=WAIT)
            self.service.setCurrentIndex(self.service.findData("02"))
            self._ship()
            problems.append(self.problem.text())
            self.reason.setText("customer asked")
            self._add_row(PackageLine("SMALL", Decimal("1.1")))
            self._ship()
            return self.result()

    monkeypatch.setattr(shipment_actions, "PackDialog", Clerk)
    win.shipments.select_shipment("SH000007")
    with qtbot.waitSignal(win.action_finished, timeout=WAIT):
        win.commands.by_name["pack"].trigger()
    assert problems == ["Say why the shipment goes with another service than its Ship Via's."]
    ((_nbr, choice, _ship),) = services.called("pack")
    assert (choice.service, choice.reason) == ("02", "customer asked")
    assert [(p.box, p.weight) for p in choice.packages] == [("MEDIUM", Decimal("2.0")), ("SMALL", Decimal("1.1"))]


def test_day_summary_saves_the_pdf_and_offers_open_and_print(qtbot, station, tmp_path, monkeypatch):
    win, services = station
    from shipdesk.ui.dialogs import day_summary_dialog
    from shipdesk.ui.window import shipment_actions

    opened: list[day_summary_dialog.DaySummaryDialog] = []

    class Supervisor(day_summary_dialog.DaySummaryDialog):
        def exec(self):
            opened.append(self)
            self.save(tmp_path / "today.pdf")
            qtbot.waitUntil(self.print_button.isEnabled, timeout=WAIT)
            return 0

    monkeypatch.setattr(shipment_actions, "DaySummaryDialog", Supervisor)
    win.commands.by_name["day_summary"].trigger()
    (dialog,) = opened
    assert services.called("day_summary")[0][1] == tmp_path / "today.pdf"
    assert dialog.open_button.isEnabled() and "saved to" in dialog.outcome.text()


def test_the_settings_dialog_edits_boxes_and_option_defaults_and_tests_the_scale(qtbot, tmp_path):
    from shipdesk.core.settings.config import check_settings
    from shipdesk.ui.bridge import TaskBridge
    from shipdesk.ui.dialogs.settings_dialog import SettingsDialog

    services = FakeServices()
    services._config = replace(services.config, packing=check_settings(
        {"packing": {"boxes": [{"name": "SMALL", "length": 10, "width": 8, "height": 6, "tare": 0.3}],
                     "option_defaults": [{"ship_via": "UPS2DAY", "signature": "adult"}]}}, "t").packing,
        scale=ScaleConfig(kind=ScaleKind.NCI, port="COM4"))
    dialog = SettingsDialog(services, TaskBridge())
    qtbot.addWidget(dialog)

    assert dialog.edited_config().packing == services.config.packing  # shown and given back unchanged
    dialog.boxes.add_row({"name": "crate", "length": 30, "width": 20, "height": 20, "tare": 4})
    dialog.option_defaults.editors[0][3].set_value(True)  # Saturday delivery for UPS2DAY
    edited = dialog.edited_config().packing
    assert [b.name for b in edited.boxes] == ["SMALL", "CRATE"] and edited.box("crate").tare == 4
    assert edited.defaults_for("UPS2DAY", "").saturday_delivery

    dialog.test_scale()
    qtbot.waitUntil(lambda: "Scale OK" in dialog.scale_result.text(), timeout=WAIT)
    assert services.called("test_scale")[0][0].scale.port == "COM4"


def test_several_packages_are_weighed_in_turn(qtbot):
    from shipdesk.ui.bridge import TaskBridge
    from shipdesk.ui.dialogs.pack_dialog import PackDialog

    services = FakeServices()
    view = replace(services.packing("SH000007"), packages=(PackageLine("LARGE", Decimal(0)),
                                                           PackageLine("SMALL", Decimal(0))))
    services.weights = [Decimal("18.2"), Decimal("3.1")]
    dialog = PackDialog(view, lambda: services.weigh("LB"), TaskBridge())
    qtbot.addWidget(dialog)
    assert services.called("weigh") == []  # two packages: nothing is weighed until the clerk says so
    for row in (0, 1):
        dialog.weigh_button.click()
        qtbot.waitUntil(lambda r=row: dialog._spin(r, 1).value() > 0, timeout=WAIT)
    assert [p.weight for p in dialog.packages()] == [Decimal("18.2"), Decimal("3.1")]
    assert dialog._problem() == ""


def test_a_scan_while_packing_closes_the_dialog_unsaved_and_takes_the_next_shipment(qtbot, station, monkeypatch):
    win, services = station
    services.weights = [Decimal("3.0"), Decimal("4.0")]
    from shipdesk.ui.window import shipment_actions

    opened: list[str] = []

    class Clerk(shipment_actions.PackDialog):
        def exec(self):
            opened.append(self.view.shipment)
            if len(opened) == 1:  # the next box is scanned before this one was shipped
                QTimer.singleShot(0, lambda: win.take_scan("SH000009"))
            else:
                QTimer.singleShot(0, self._ship)
            return super().exec()

    monkeypatch.setattr(shipment_actions, "PackDialog", Clerk)
    with qtbot.waitSignal(win.action_finished, timeout=WAIT):
        scan(qtbot, win, "SH000007")
    assert opened == ["SH000007", "SH000009"]
    assert [args[0] for args in services.called("pack")] == ["SH000009"]  # SH000007: nothing saved or shipped
