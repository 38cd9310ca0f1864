"""The main window against a fake services object: scanning, state list, actions, notices, closing."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from shipdesk.errors import ConnectionFailed
from shipdesk.ui.dialogs.rates_dialog import RatesDialog
from shipdesk.ui.window import shipment_actions
from shipdesk.ui.window.main_window import MainWindow
from tests.ui.e2e_support import answer_batch_confirmation, when_dialog_opens
from tests.ui.fakes import FakeServices

WAIT = 5000


def scan(qtbot, win, text):
    win.scan.box.clear()
    qtbot.keyClicks(win.scan.box, text)
    qtbot.keyClick(win.scan.box, Qt.Key.Key_Return)


def test_scan_box_has_the_focus_when_the_window_opens(qtbot, window):
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.scan.box, timeout=WAIT)


def test_scanning_a_shipment_number_selects_its_row_and_shows_its_detail(qtbot, window):
    with qtbot.waitSignal(window.detail_loaded, timeout=WAIT) as shown:
        scan(qtbot, window, "sh000007")
    assert shown.args == ["SH000007"]
    assert window.selected_shipments() == ["SH000007"]
    assert window.scan.box.selectedText() == "sh000007"  # the next scan replaces it


def test_scanning_selects_a_row_the_state_filter_hid(qtbot, window):
    window.shipments.select_group("delivered")
    with qtbot.waitSignal(window.detail_loaded, timeout=WAIT):
        scan(qtbot, window, "SH000002")  # needs attention, not delivered
    assert window.selected_shipments() == ["SH000002"]
    assert window.shipments.state_list.currentRow() == 0


def test_scanning_an_unknown_number_says_so_and_offers_a_refresh(qtbot, window):
    scan(qtbot, window, "SH999999")
    assert window.notice.isVisible()
    assert "No shipment, order or tracking number SH999999 in the list" in window.notice.text.text()
    assert window.notice.retry_button.isVisible()
    assert window.selected_shipments() == []


def test_a_good_scan_after_a_miss_takes_the_miss_notice_away(qtbot, window):
    scan(qtbot, window, "SH999999")
    assert window.notice.isVisible()
    with qtbot.waitSignal(window.detail_loaded, timeout=WAIT):
        scan(qtbot, window, "SH000007")
    # a red "No shipment SH999999" left above the row just scanned reads as if this scan failed
    assert not window.notice.isVisible()


def test_scan_to_ship_creates_the_label_at_once(qtbot, window, fake_services):
    window.commands.by_name["scan_to_ship"].setChecked(True)
    with qtbot.waitSignal(window.action_finished, timeout=WAIT):
        scan(qtbot, window, "SH000000")
    assert fake_services.called("ship") == [("SH000000",)]
    assert "SH000000 labelled: 1Z" in window.notice.text.text()


def test_scanning_without_scan_to_ship_does_not_ship(qtbot, window, fake_services):
    with qtbot.waitSignal(window.detail_loaded, timeout=WAIT):
        scan(qtbot, window, "SH000000")
    assert fake_services.called("ship") == []


def test_state_list_shows_counts_and_filters_the_table(qtbot, window, fake_services):
    texts = [window.shipments.state_list.item(i).text() for i in range(window.shipments.state_list.count())]
    assert texts[0] == "All  (50)"
    attention = sum(1 for r in fake_services.rows if r.state == "needs_attention")
    assert f"Needs attention  ({attention})" in texts
    window.shipments.select_group("attention")
    assert window.shipments.proxy.rowCount() == attention
    window.shipments.select_group("all")
    assert window.shipments.proxy.rowCount() == 50


def test_the_detail_shows_the_reason_and_retry_for_a_shipment_needing_attention(qtbot, window):
    with qtbot.waitSignal(window.detail_loaded, timeout=WAIT):
        window.shipments.select_shipment("SH000002")
    assert window.detail.problem_box.isVisible()
    assert "postal code is empty" in window.detail.problem_text.text()
    assert window.detail.retry_button.text() == "Check address again"


def test_ship_shortcut_ships_the_selected_shipment(qtbot, window, fake_services):
    with qtbot.waitSignal(window.detail_loaded, timeout=WAIT):
        window.shipments.select_shipment("SH000001")
    with qtbot.waitSignal(window.action_finished, timeout=WAIT):
        qtbot.keyClick(window.scan.box, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert fake_services.called("ship") == [("SH000001",)]


def test_an_error_shows_its_sentence_with_retry_and_marks_the_service(qtbot, window, fake_services):
    fake_services.failures["ship"] = ConnectionFailed(
        "UPS cannot be reached: check the internet connection.", service="UPS")
    window.shipments.select_shipment("SH000001")
    with qtbot.waitSignal(window.action_finished, timeout=WAIT):
        window.shipment_actions.ship_selected()
    assert window.notice.text.text() == "UPS cannot be reached: check the internet connection."
    assert window.notice.retry_button.isVisible()
    assert "problem" in window.status.ups.text()
    del fake_services.failures["ship"]
    with qtbot.waitSignal(window.action_finished, timeout=WAIT):
        window.notice.retry_button.click()
    assert fake_services.called("ship") == [("SH000001",), ("SH000001",)]


def test_void_asks_first_and_does_nothing_when_declined(qtbot, window, fake_services, monkeypatch):
    window.shipments.select_shipment("SH000003")
    monkeypatch.setattr(shipment_actions, "ask", lambda *a, **k: False)
    window.commands.by_name["void"].trigger()
    assert fake_services.called("void") == []
    monkeypatch.setattr(shipment_actions, "ask", lambda *a, **k: True)
    with qtbot.waitSignal(window.action_finished, timeout=WAIT):
        window.commands.by_name["void"].trigger()
    assert fake_services.called("void") == [("SH000003",)]


def test_an_ambiguous_address_opens_the_choice_and_sends_the_pick(qtbot, window, fake_services, monkeypatch):
    from shipdesk.ui.window import shipment_actions

    class PickFirst(shipment_actions.AddressDialog):
        def exec(self):
            self.candidates.setCurrentRow(0)
            self.use_button.click()
            return self.result()

    monkeypatch.setattr(shipment_actions, "AddressDialog", PickFirst)
    window.shipments.select_shipment("SH000002")
    with qtbot.waitSignal(window.action_finished, timeout=WAIT):
        window.commands.by_name["validate"].trigger()
    qtbot.waitUntil(lambda: bool(fake_services.called("choose_candidate")), timeout=WAIT)
    assert fake_services.called("choose_candidate") == [("SH000002", 0)]


def test_cancelling_the_address_choice_after_a_stopped_ship_leaves_it_unshipped_and_says_why(
        qtbot, window, fake_services, monkeypatch):
    from shipdesk.ui.window import shipment_actions

    check = fake_services.validate_address("SH000002")
    stopped = shipment_actions.ActionResult("SH000002", False, "UPS finds the ship-to address ambiguous.",
                                            address=check)
    ships: list[str] = []

    def ship(shipment: str, *, print_labels: bool = True):
        ships.append(shipment)
        return stopped

    class Cancel(shipment_actions.AddressDialog):
        shown: list[int] = []

        def exec(self):
            Cancel.shown.append(len(self.check.candidates))
            return self.DialogCode.Rejected

    monkeypatch.setattr(fake_services, "ship", ship)
    monkeypatch.setattr(shipment_actions, "AddressDialog", Cancel)
    window.shipments.select_shipment("SH000002")
    with qtbot.waitSignal(window.action_finished, timeout=WAIT) as finished:
        window.commands.by_name["ship"].trigger()
    assert finished.args == ["ship"]
    assert Cancel.shown == [1]  # the candidates were offered
    assert ships == ["SH000002"]  # and nothing shipped without a decision
    assert not fake_services.called("choose_candidate") and not fake_services.called("override_address")
    assert "ambiguous" in window.notice.text.text()


def test_batch_ship_reports_each_row_and_can_be_cancelled_between_shipments(qtbot, window, fake_services):
    fake_services.batch_gate = threading.Event()
    answering = answer_batch_confirmation()
    dialog = window.shipment_actions.ship_batch(["SH000000", "SH000001", "SH000012", "SH000013"])
    answering.stop()
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.bar.value() == 1, timeout=WAIT)  # first one done, second waits
    dialog.reject()  # Cancel: stops after the current shipment
    assert dialog.cancel_event.is_set()
    fake_services.batch_gate.set()
    with qtbot.waitSignal(dialog.finished_batch, timeout=WAIT) as finished:
        pass
    results = finished.args[0]
    assert [r.shipment for r in results] == ["SH000000"]
    assert "1 of 4 shipped" in dialog.current.text()
    assert "3 not started" in dialog.current.text()
    dialog.close()


def test_batch_ship_lists_failures_first_without_stopping(qtbot, window, fake_services):
    answering = answer_batch_confirmation()
    dialog = window.shipment_actions.ship_batch(["SH000000", "SH000012", "SH000013"])
    answering.stop()
    assert dialog is not None
    with qtbot.waitSignal(dialog.finished_batch, timeout=WAIT):
        pass
    lines = [line for line in dialog.results_text().splitlines() if line.strip()]
    assert lines[0].startswith("✗ SH000012: UPS refused")  # the failure first, whatever the order shipped
    assert lines[1].startswith("✓ SH000000") and lines[2].startswith("✓ SH000013")
    assert "2 of 3 shipped. 1 needs a look" in dialog.current.text()
    dialog.close()


def test_status_bar_shows_demo_mode_and_connections(qtbot, window):
    qtbot.waitUntil(lambda: "Acumatica: connected" in window.status.acumatica.text(), timeout=WAIT)
    assert window.status.demo_badge.isVisible()
    assert window.status.demo_badge.text() == "DEMO MODE"


def test_no_demo_badge_for_a_real_configuration(qtbot):
    win = MainWindow(FakeServices(demo=False))
    qtbot.addWidget(win)
    win.show()
    assert not win.status.demo_badge.isVisible()
    win.bridge.wait_for_done(WAIT)


def test_closing_waits_for_running_work_then_signs_out(qtbot, window, fake_services):
    release = threading.Event()
    window.bridge.run_task(release.wait, 5)
    window.close()
    assert window.isVisible()  # still finishing
    assert "Finishing" in window.notice.text.text()
    assert fake_services.called("close") == []
    release.set()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT)
    assert fake_services.called("close") == [()]


def test_rate_shows_the_quotes_in_the_detail_pane(qtbot, window, fake_services):
    with qtbot.waitSignal(window.detail_loaded, timeout=WAIT):
        window.shipments.select_shipment("SH000001")
    shown: list[str] = []

    def read_and_close(dialog: RatesDialog) -> None:
        shown.append(dialog.table.toPlainText())
        dialog.reject()

    closing = when_dialog_opens(RatesDialog, read_and_close)
    with qtbot.waitSignal(window.action_finished, timeout=WAIT):
        qtbot.keyClick(window.scan.box, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(shown), timeout=WAIT)
    closing.stop()
    assert fake_services.called("rate") == [("SH000001", False)]
    assert window.detail.rates.isVisible()
    assert "9.50 USD" in window.detail.rates.body.text()
    assert "UPS Ground 9.50 USD" in window.notice.text.text()
    assert "UPS Ground" in shown[0] and "Thu 10 Dec" in shown[0]  # the dialog, with the delivery day


def test_shop_lists_every_service_with_its_delivery_day(qtbot, window, fake_services):
    window.shipments.select_shipment("SH000001")
    shown: list[str] = []

    def read_and_close(dialog: RatesDialog) -> None:
        shown.append(dialog.table.toPlainText())
        dialog.reject()

    closing = when_dialog_opens(RatesDialog, read_and_close)
    with qtbot.waitSignal(window.action_finished, timeout=WAIT):
        window.commands.by_name["shop"].trigger()
    qtbot.waitUntil(lambda: bool(shown), timeout=WAIT)
    closing.stop()
    assert fake_services.called("rate") == [("SH000001", True)]
    assert "UPS 2nd Day Air" in shown[0] and "Wed 9 Dec" in shown[0]


def test_reprint_and_refresh_shortcuts_reach_the_services(qtbot, window, fake_services):
    window.shipments.select_shipment("SH000003")
    with qtbot.waitSignal(window.action_finished, timeout=WAIT):
        qtbot.keyClick(window.scan.box, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    with qtbot.waitSignal(window.action_finished, timeout=WAIT):
        qtbot.keyClick(window.scan.box, Qt.Key.Key_F5)
    assert fake_services.called("reprint") == [("SH000003",)]
    assert fake_services.called("pull") == [()]
    assert window.notice.text.text() == "2 new shipments."


def test_actions_without_a_selection_explain_what_to_do(qtbot, window, fake_services):
    window.shipment_actions.ship_selected()
    assert "Select a shipment first" in window.notice.text.text()
    assert fake_services.called("ship") == []


def test_a_refusal_is_shown_without_a_pointless_retry(qtbot, window, fake_services):
    from shipdesk.errors import ApiRefused

    fake_services.failures["ship"] = ApiRefused(
        "UPS refused the label: the ship-to postal code is invalid (120802).", service="UPS", code="120802")
    window.shipments.select_shipment("SH000001")
    with qtbot.waitSignal(window.action_finished, timeout=WAIT):
        window.shipment_actions.ship_selected()
    assert "postal code is invalid" in window.notice.text.text()
    assert not window.notice.retry_button.isVisible()


def test_an_uncertain_label_is_looked_up_and_replaced_only_when_confirmed(qtbot, window, fake_services,
                                                                          monkeypatch):
    with qtbot.waitSignal(window.detail_loaded, timeout=WAIT):
        window.shipments.select_shipment("SH000009")  # uncertain in the fake data
    assert window.detail.retry_button.text() == "Look the label up at UPS now"
    assert window.detail.new_label_button.isVisible()
    monkeypatch.setattr(shipment_actions, "ask", lambda *a, **k: False)
    window.detail.new_label_button.click()
    assert fake_services.called("retry") == []
    with qtbot.waitSignal(window.action_finished, timeout=WAIT):
        window.detail.retry_button.click()
    monkeypatch.setattr(shipment_actions, "ask", lambda *a, **k: True)
    with qtbot.waitSignal(window.action_finished, timeout=WAIT):
        window.detail.new_label_button.click()
    assert fake_services.called("retry") == [("SH000009", "reconcile"), ("SH000009", "force_new")]


def test_closing_mid_label_finishes_it_then_signs_out_last(qtbot, window, fake_services, monkeypatch):
    release = threading.Event()
    real_ship = fake_services.ship

    def slow_ship(nbr, **kwargs):
        release.wait(5)
        return real_ship(nbr, **kwargs)

    monkeypatch.setattr(fake_services, "ship", slow_ship)
    window.shipments.select_shipment("SH000001")
    window.shipment_actions.ship_selected()
    window.close()
    assert window.isVisible() and not window.commands.by_name["ship"].isEnabled()
    release.set()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT)
    names = [name for name, _args in fake_services.calls]
    assert names[-1] == "close"
    assert "ship" in names


def test_the_status_bar_says_which_station_runs_the_sync_for_all(qtbot):
    from shipdesk.ui.view_data import StatusInfo
    from shipdesk.ui.window.status_bar import ConnectionStatusBar

    bar = ConnectionStatusBar(demo=False)
    qtbot.addWidget(bar)
    bar.show_status(StatusInfo(last_sync="10:02", next_sync="10:17"))
    assert bar.sync.text() == "last sync 10:02 · next 10:17"
    bar.show_status(StatusInfo(sync_runs_at="PACK-02"))
    assert bar.sync.text() == "sync runs at PACK-02" and "one of them" in bar.sync.toolTip()
