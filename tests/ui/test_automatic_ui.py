"""Automatic labelling in the window: a scan prints what was labelled with no hands, the switch, the status."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pytest

from shipdesk.ui.view_data import ActionResult, StatusInfo
from tests.ui.fakes import FakeServices
from tests.ui.test_main_window import WAIT, scan


@dataclass
class ArchivedLabels(FakeServices):
    """SH000000 was labelled by automatic mode and waits in the archive; automatic mode is stopped."""

    def print_if_unprinted(self, shipment: str) -> ActionResult | None:
        self._call("print_if_unprinted", shipment)
        if shipment != "SH000000":
            return None
        return ActionResult(shipment, True, f"Labels of shipment {shipment} sent to the printer.")

    def status(self) -> StatusInfo:
        return replace(super().status(), automatic="stopped", automatic_note="Automatic labelling is stopped: cap.")


@pytest.fixture
def fake_services() -> FakeServices:
    return ArchivedLabels()


def test_scanning_a_shipment_labelled_with_no_hands_prints_it_instead_of_shipping(qtbot, window, fake_services):
    window.commands.by_name["scan_to_ship"].setChecked(True)
    with qtbot.waitSignal(window.action_finished, timeout=WAIT):
        scan(qtbot, window, "SH000000")
    assert fake_services.called("print_if_unprinted") == [("SH000000",)]
    assert fake_services.called("ship") == []
    assert "sent to the printer" in window.notice.text.text()

    with qtbot.waitSignal(window.action_finished, timeout=WAIT):
        scan(qtbot, window, "SH000001")  # nothing archived for it: scan to ship ships it
    assert fake_services.called("ship") == [("SH000001",)]


def test_the_status_bar_says_automatic_mode_is_stopped_and_the_menu_switches_it(qtbot, window, fake_services):
    qtbot.waitUntil(lambda: window.status.automatic.isVisible(), timeout=WAIT)
    assert "stopped" in window.status.automatic.text()
    assert "cap" in window.status.automatic.toolTip()

    with qtbot.waitSignal(window.action_finished, timeout=WAIT):
        window.commands.by_name["automatic_start"].trigger()
    assert fake_services.called("set_automatic") == [(True,)]
    assert "runs again" in window.notice.text.text()
