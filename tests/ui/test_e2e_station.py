"""Issue 13, the packing station at full speed, through the real window over the real core and sandboxes.

Scans are sent as a keyboard-wedge scanner types them: key events a few ms apart ending in Enter, into
whatever widget has the focus (the scan box, the table, an open dialog).
"""

from __future__ import annotations

import itertools
import re
import time

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from shipdesk.core.domain.states import State
from shipdesk.core.events import ServiceStatusChanged
from shipdesk.errors import Service
from shipdesk.ui.dialogs.address_dialog import AddressDialog
from shipdesk.ui.dialogs.batch_confirm import BatchConfirmDialog
from shipdesk.ui.dialogs.rates_dialog import RatesDialog
from shipdesk.ui.view_data import Col
from shipdesk.ui.window.shipments_table import VISUAL_COLUMN_ORDER
from tests.ui.e2e_support import WAIT_MS, RunningApp, when_dialog_opens

PLAIN = "SH000101"  # plain Open, commercial, NY, one package
SECOND = "SH000102"
AMBIGUOUS = "SH000120"  # UPS offers three candidates
SCANNER_KEY_MS = 3  # a keyboard-wedge scanner types a key every few ms


_stamps = itertools.count(1_000_000, 1_000)  # the window system's clock (ms): each scan a second after the last


def scanner_types(widget: QWidget, text: str, *, gui_busy_ms: int = 0, shift: bool = False,
                  late_ms: dict[int, int] | None = None) -> None:
    """What a barcode scanner sends: the characters ``SCANNER_KEY_MS`` apart by the window system's clock (the
    key events' timestamps, as the OS queues them), then Enter, each to the widget that has the focus when it
    arrives (as a keyboard's keys do), starting with ``widget``. Sent at once: how busy the test machine is
    cannot stretch the gaps. ``gui_busy_ms``: the GUI thread is busy that long between two keys (the keys were
    queued all the same). ``shift``: Shift is pressed before each capital, as wedge scanners do. ``late_ms``:
    key number → how much later than the others the window system saw it."""
    stamp = next(_stamps)
    late_ms = late_ms or {}

    def press(target: QWidget, key: int, char: str) -> None:
        nonlocal stamp
        gap = late_ms.get(len(sent), 0)
        stamp += gap
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            if kind == QEvent.Type.KeyRelease and key == Qt.Key.Key_Shift:
                continue
            shifted = shift and char.isupper()
            modifiers = Qt.KeyboardModifier.ShiftModifier if shifted else Qt.KeyboardModifier.NoModifier
            if shift and char.isupper() and kind == QEvent.Type.KeyPress:  # the scanner presses Shift first
                shift_press = QKeyEvent(kind, Qt.Key.Key_Shift, Qt.KeyboardModifier.NoModifier, "")
                shift_press.setTimestamp(stamp)
                QApplication.sendEvent(target, shift_press)
                stamp += SCANNER_KEY_MS
            event = QKeyEvent(kind, key, modifiers, char)
            event.setTimestamp(stamp)
            QApplication.sendEvent(target, event)
        sent.append(char)
        stamp += SCANNER_KEY_MS

    sent: list[str] = []
    for i, char in enumerate(text):
        press(widget if i == 0 else (QApplication.focusWidget() or widget), ord(char.upper()), char)
        if gui_busy_ms and i == 0:
            time.sleep(gui_busy_ms / 1000)  # a slot hogging the GUI thread: not a wait for anything
    press(QApplication.focusWidget() or widget, Qt.Key.Key_Return, "\r")


def labels_bought(app: RunningApp) -> int:
    return int(app.sandboxes.ups.stats_payload()["labels_created"])


@pytest.fixture
def app(qtbot):
    running = RunningApp(qtbot, scan_to_ship=True)
    yield running
    running.close()


@pytest.fixture
def browsing_app(qtbot):
    running = RunningApp(qtbot, scan_to_ship=False)
    yield running
    running.close()


# -- 1. a scan never answers a dialog -----------------------------------------------------------------
def test_a_scan_while_the_address_dialog_is_open_cancels_it_and_is_shipped_next(qtbot, app):
    win = app.window
    seen: list[str] = []

    def next_box_arrives(dialog: AddressDialog) -> None:
        seen.append(dialog.windowTitle())
        target = QApplication.focusWidget() or dialog
        scanner_types(target, PLAIN)  # "1" of SH000101 would pick candidate 1

    scanning = when_dialog_opens(AddressDialog, next_box_arrives)
    scanner_types(win.scan.box, AMBIGUOUS)
    app.wait_state(PLAIN, State.WRITTEN_BACK.value)
    scanning.stop()

    assert seen, "the address dialog did not open"
    assert labels_bought(app) == 1  # the next box only: nothing was bought for the ambiguous one
    assert app.state(AMBIGUOUS) != State.WRITTEN_BACK.value
    assert [text for text, _kind in win.scan.handled] == [AMBIGUOUS, PLAIN]  # each scan handled once
    assert "closed" in win.scan.note.text() and PLAIN in win.scan.note.text()  # the clerk is told
    assert win.scan.box.text() == PLAIN  # nothing of the scan was left over


def test_a_scan_split_by_a_busy_gui_thread_still_never_answers_the_dialog(qtbot, app):
    """The scanner's keys are queued 3 ms apart by the window system; the GUI thread stalls 150 ms after the
    first one. Judged by when they reach the window, "1" would look typed by a person and pick candidate 1."""
    win = app.window

    def next_box_arrives(dialog: AddressDialog) -> None:
        scanner_types(QApplication.focusWidget() or dialog, PLAIN, gui_busy_ms=150)

    scanning = when_dialog_opens(AddressDialog, next_box_arrives)
    scanner_types(win.scan.box, AMBIGUOUS)
    app.wait_state(PLAIN, State.WRITTEN_BACK.value)
    scanning.stop()

    assert labels_bought(app) == 1  # nothing bought for the ambiguous shipment
    assert app.state(AMBIGUOUS) != State.WRITTEN_BACK.value
    assert [text for text, _kind in win.scan.handled] == [AMBIGUOUS, PLAIN]


# -- 2. scans are caught wherever the focus is, never glued -----------------------------------------
def test_a_scan_after_a_click_on_the_table_is_caught_and_not_glued_to_old_text(qtbot, browsing_app):
    app = browsing_app
    win = app.window
    win.scan.box.setText("SH000106")  # left over from earlier typing
    win.shipments.table.setFocus()
    qtbot.waitUntil(win.shipments.table.hasFocus, timeout=WAIT_MS)
    scanner_types(win.shipments.table, SECOND)
    qtbot.waitUntil(lambda: win.shipments.current_shipment() == SECOND, timeout=WAIT_MS)
    assert win.scan.handled == [(SECOND, "shipment")]
    assert win.scan.box.text() == SECOND and win.scan.box.selectedText() == SECOND  # the next scan replaces it
    assert win.scan.box.hasFocus()


def test_a_scan_whose_capitals_come_with_shift_presses_is_caught_whole(qtbot, browsing_app):
    """A wedge scanner (and xdotool under Xvfb) presses Shift before each capital: "S", Shift, "H"… The Shift
    press is part of the next key, not a pause that ends the burst ("H000102" was scanned)."""
    win = browsing_app.window
    scanner_types(win.scan.box, SECOND, shift=True)
    qtbot.waitUntil(lambda: win.shipments.current_shipment() == SECOND, timeout=WAIT_MS)
    assert win.scan.handled == [(SECOND, "shipment")]


def test_a_scan_with_one_key_delayed_by_a_busy_machine_is_still_one_scan(qtbot, browsing_app):
    """Under load one key of a scan comes 120 ms late ("SH" … "000102"): still one scan, not "000102"."""
    win = browsing_app.window
    scanner_types(win.scan.box, SECOND, late_ms={2: 120})
    qtbot.waitUntil(lambda: win.shipments.current_shipment() == SECOND, timeout=WAIT_MS)
    assert win.scan.handled == [(SECOND, "shipment")]


# -- 3. batch ship asks first ---------------------------------------------------------------------------
def test_batch_ship_asks_with_estimated_charges_and_buys_nothing_when_cancelled(qtbot, browsing_app):
    app = browsing_app
    win = app.window
    seen: dict[str, str] = {}

    def read_then_cancel(dialog: BatchConfirmDialog) -> None:
        qtbot.waitUntil(lambda: dialog.estimate is not None, timeout=WAIT_MS)
        seen["question"] = dialog.question.text()
        seen["charges"] = dialog.charges.text()
        dialog.reject()

    answering = when_dialog_opens(BatchConfirmDialog, read_then_cancel)
    assert win.shipment_actions.ship_batch([PLAIN, SECOND]) is None
    answering.stop()
    assert "Ship 2 shipments with UPS?" in seen["question"]
    # UPS's quotes, summed, written as the language writes dollars
    assert re.search(r"\$\d+\.\d\d", seen["charges"]) and "2 of 2" in seen["charges"]
    assert labels_bought(app) == 0
    assert "Nothing was shipped" in win.notice.text.text()


# -- 4. the detail pane follows the shipment out of the filter ---------------------------------------
def test_the_detail_pane_follows_a_shipment_its_label_moved_out_of_the_filter(qtbot, browsing_app):
    app = browsing_app
    win = app.window
    ready_row = next(i for i in range(win.shipments.state_list.count())
                     if win.shipments.state_list.item(i).text().startswith("Ready"))
    win.shipments.state_list.setCurrentRow(ready_row)
    with qtbot.waitSignal(win.detail_loaded, timeout=WAIT_MS):
        assert win.shipments.select_shipment(PLAIN)
    with qtbot.waitSignal(win.action_finished, timeout=WAIT_MS):
        QTest.keyClick(win.scan.box, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    app.wait_state(PLAIN, State.WRITTEN_BACK.value)
    qtbot.waitUntil(lambda: win.detail.shipment == PLAIN and app.row(PLAIN)[Col.TRACKING] in
                    win.detail.packages.body.text(), timeout=WAIT_MS)
    assert win.shipments.current_shipment() == PLAIN
    assert "Ready to ship" not in win.detail.heading.text()
    assert not win.detail.retry_button.isVisible()


# -- 5. what clerks look at is on screen; the columns are remembered ----------------------------------
def test_tracking_last_event_and_delivered_sit_beside_the_status_and_hidden_columns_are_remembered(qtbot, app):
    assert VISUAL_COLUMN_ORDER[:5] == (Col.SHIPMENT, Col.STATE, Col.TRACKING, Col.LAST_EVENT, Col.DELIVERED)
    win = app.window
    header = win.shipments.table.horizontalHeader()
    x = sum(header.sectionSize(header.logicalIndex(v)) for v in range(VISUAL_COLUMN_ORDER.index(Col.DELIVERED) + 1))
    assert x < 1600 - 260  # with the state list beside the table, no horizontal scrolling at 1600 px
    win.columns.set_shown(Col.COUNTRY, False)
    header.resizeSection(int(Col.CUSTOMER), 240)
    win.columns.save()
    from shipdesk.ui.window_memory import TableColumns

    again = TableColumns(header, win._memory, win)
    header.setSectionHidden(int(Col.COUNTRY), False)
    header.resizeSection(int(Col.CUSTOMER), 100)
    assert again.restore()
    assert header.isSectionHidden(int(Col.COUNTRY)) and header.sectionSize(int(Col.CUSTOMER)) == 240


# -- 6. order numbers and tracking numbers find their shipment ---------------------------------------
def test_scanning_an_order_number_or_a_tracking_number_finds_the_shipment(qtbot, browsing_app):
    app = browsing_app
    win = app.window
    order = str(app.row(SECOND)[Col.ORDER]).split(",")[0].split()[-1]
    others = [r for r in win.shipments.model.rows() if order in str(r[Col.ORDER])]
    scanner_types(win.scan.box, order)
    qtbot.waitUntil(lambda: SECOND in win.selected_shipments(), timeout=WAIT_MS)
    assert win.scan.handled[-1] == (order, "order")
    assert len(win.selected_shipments()) == len(others)
    assert "No shipment" not in win.notice.text.text()


# -- 7. settings UPS needs are checked before UPS is called ----------------------------------------------
def test_a_scan_with_no_shipper_city_saved_names_the_setting_and_sends_nothing_to_ups(qtbot):
    from dataclasses import replace

    running = RunningApp(qtbot, scan_to_ship=True,
                         configure=lambda config: replace(config, shipper=replace(config.shipper, city="")))
    try:
        win = running.window
        with qtbot.waitSignal(win.action_finished, timeout=WAIT_MS):
            scanner_types(win.scan.box, PLAIN)
        shown = win.notice.text.text()
        assert "[shipper] city" in shown and "Nothing was sent to UPS" in shown
        assert "120100" not in shown  # not UPS's raw schema error
        ups = running.sandboxes.ups.stats_payload()["requests"]
        assert not any("/ship" in route for route in ups)
        assert running.state(PLAIN) != State.FAILED.value  # not marked "UPS refused"
    finally:
        running.close()


# -- 8. a service known down fails at once ----------------------------------------------------------
def test_with_acumatica_down_a_scan_fails_at_once_and_says_so(qtbot, app):
    win = app.window
    app.sandboxes.acumatica.add_fault("*", status=503)
    # what the sync tells when it finds Acumatica down (its retries over a 503 take longer than this test)
    app.services.events.publish(ServiceStatusChanged(Service.ACUMATICA, reachable=False,
                                                     sentence="Acumatica answered 503 Service Unavailable."))
    qtbot.waitUntil(lambda: "unreachable" in win.status.acumatica.text().lower(), timeout=WAIT_MS)
    started = time.monotonic()
    with qtbot.waitSignal(win.action_finished, timeout=WAIT_MS):
        scanner_types(win.scan.box, PLAIN)
    took = time.monotonic() - started
    assert took < 3, f"the scan waited {took:.1f} s for a service known to be down"
    assert "has not been answering" in win.notice.text.text()
    assert labels_bought(app) == 0
    app.sandboxes.acumatica.clear_faults()


# -- 9. Keep as entered makes it ready, and Ctrl+L ships it -------------------------------------------
def test_keep_as_entered_makes_the_shipment_ready_and_ctrl_l_ships_it(qtbot, browsing_app):
    app = browsing_app
    win = app.window

    def keep_as_entered(dialog: AddressDialog) -> None:
        dialog.reason.setText("Customer confirmed the address by phone")
        qtbot.mouseClick(dialog.override_button, Qt.MouseButton.LeftButton)

    keeper = when_dialog_opens(AddressDialog, keep_as_entered)
    assert win.shipments.select_shipment(AMBIGUOUS)
    with qtbot.waitSignal(win.action_finished, timeout=WAIT_MS):
        win.commands.by_name["validate"].trigger()
    keeper.stop()
    app.wait_state(AMBIGUOUS, State.READY.value)
    assert "ready to ship" in win.notice.text.text()
    win.activateWindow()  # the clerk is back in the main window after the dialog
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=WAIT_MS)
    with qtbot.waitSignal(win.action_finished, timeout=WAIT_MS):
        QTest.keyClick(win.scan.box, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    app.wait_state(AMBIGUOUS, State.WRITTEN_BACK.value)
    assert labels_bought(app) == 1


# -- 10. desktop conventions --------------------------------------------------------------------------
def test_file_quit_and_help_about_are_in_the_menus(qtbot, app):
    win = app.window
    menus = {a.text().replace("&", ""): a.menu() for a in win.menuBar().actions()}
    assert "File" in menus and "Help" in menus
    quit_action = win.commands.by_name["quit"]
    assert quit_action.shortcut().toString() == "Ctrl+Q" and quit_action in menus["File"].actions()
    assert win.commands.by_name["about"] in menus["Help"].actions()
    assert win.commands.by_name["scan_to_ship"].shortcut().toString()  # a shortcut for Scan to ship


# -- 11. rates for a labelled shipment ----------------------------------------------------------------
def test_rates_of_a_labelled_shipment_say_what_it_cost_not_void_that_label(qtbot, browsing_app):
    app = browsing_app
    win = app.window
    assert win.shipments.select_shipment(PLAIN)
    with qtbot.waitSignal(win.action_finished, timeout=WAIT_MS):
        QTest.keyClick(win.scan.box, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    app.wait_state(PLAIN, State.WRITTEN_BACK.value)
    assert "UPS charge:" in win.notice.text.text()  # the label's charge, after it is bought
    shown: list[str] = []

    def read_and_close(dialog: RatesDialog) -> None:
        shown.append(dialog.findChild(QWidget, "ratesNote").text() + dialog.table.toPlainText())
        dialog.reject()

    closing = when_dialog_opens(RatesDialog, read_and_close)
    with qtbot.waitSignal(win.action_finished, timeout=WAIT_MS):
        win.commands.by_name["shop"].trigger()
    qtbot.waitUntil(lambda: bool(shown), timeout=WAIT_MS)
    closing.stop()
    assert "labelled already: UPS charged" in shown[0]
    assert "Void" not in shown[0] and "void" not in win.notice.text.text()
    assert "UPS Ground" in shown[0] and "Next Day Air" in shown[0]  # Shop: every service


# -- 12. an uncertain label shows what was checked, then offers one decision --------------------------
def test_an_uncertain_label_shows_its_checks_and_later_offers_buy_a_new_label(qtbot, browsing_app):
    app = browsing_app
    win = app.window
    app.sandboxes.ups.add_fault("/api/shipments", drop=True, count=1)  # the connection dropped: UPS made nothing
    assert win.shipments.select_shipment(PLAIN)
    with qtbot.waitSignal(win.action_finished, timeout=WAIT_MS):
        win.commands.by_name["ship"].trigger()
    app.wait_state(PLAIN, State.UNCERTAIN.value)
    with qtbot.waitSignal(win.detail_loaded, timeout=WAIT_MS):
        win.details.load()  # the pane reads the shipment again
    qtbot.waitUntil(lambda: win.detail.problem_title.text() == "Label uncertain", timeout=WAIT_MS)
    text = win.detail.problem_text.text()
    assert "UPS reference search for SH000101" in text and "nothing listed" in text  # what was checked
    assert not win.detail.new_label_button.isVisible()  # too early to decide
    app.sandboxes.clock.advance(minutes=31)  # [ui] offer_new_label_after_minutes = 30
    win.shipments.select_shipment(SECOND)
    with qtbot.waitSignal(win.detail_loaded, timeout=WAIT_MS):
        win.shipments.select_shipment(PLAIN)
    qtbot.waitUntil(win.detail.new_label_button.isVisible, timeout=WAIT_MS)
    assert labels_bought(app) == 0  # nothing bought without the clerk's decision
