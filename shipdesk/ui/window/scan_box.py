"""The scan box above the table: typing filters the list (after a short pause, so a burst filters once);
Enter, or a barcode scan caught anywhere in the window (``ui/scanner.py``), finds the shipment by its
number, its order number or a package's tracking number, selects it, and ships it when scan-to-ship is on.

Under the box, a note says what happened to an earlier scan when it was not simply handled (it closed a
dialog, it waits for one, fast input was ignored); it stays until the next scan is handled."""

from __future__ import annotations

import logging

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from shipdesk.i18n import _
from shipdesk.ui.window.notice_bar import NoticeBar
from shipdesk.ui.window.shipment_actions import ShipmentActions
from shipdesk.ui.window.shipments_table import ShipmentsTable

log = logging.getLogger(__name__)

SEARCH_DELAY_MS = 150


class ScanBox(QWidget):
    def __init__(self, table: ShipmentsTable, notice: NoticeBar, actions: ShipmentActions, *,
                 scan_to_ship: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._table, self._notice, self._actions = table, notice, actions
        self.scan_to_ship = scan_to_ship
        #: every scan handled, in order (what it was, and what it found: "shipment", "order", ... or "")
        self.handled: list[tuple[str, str]] = []
        self.prompt = QLabel(_("Scan or type a shipment number"))
        self.prompt.setObjectName("scanPrompt")
        self.box = QLineEdit()
        self.box.setObjectName("scanBox")
        self.prompt.setBuddy(self.box)
        self.box.setPlaceholderText(_("Scan or type a shipment, order or tracking number"))
        self.box.setToolTip(_("Scan a shipment barcode, or type a shipment, order or tracking number and press "
                              "Enter. Typing filters the list. A scan is caught wherever the focus is."))
        self.box.setClearButtonEnabled(True)
        self.note = QLabel()
        self.note.setObjectName("scanNote")
        self.note.setWordWrap(True)
        self.note.hide()
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(lambda: self._table.set_search(self.box.text()))
        self.box.textChanged.connect(lambda _text: self._search_timer.start())
        self.box.returnPressed.connect(lambda: self._handle(self.box.text()))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.prompt)
        layout.addWidget(self.box)
        layout.addWidget(self.note)

    def focus(self) -> None:
        """Focus the box with its text selected: whatever comes next replaces it."""
        self.box.setFocus()
        self.box.selectAll()

    def stop(self) -> None:
        self._search_timer.stop()

    def set_scan_to_ship(self, on: bool) -> None:
        self.scan_to_ship = on
        self._notice.show_message(_("Scan to ship is on: scanning a shipment prints its label at once.")
                                  if on else _("Scan to ship is off."))
        self.focus()

    def show_note(self, text: str) -> None:
        self.note.setText(f"⚠ {text}")
        self.note.setVisible(bool(text))

    def take_scan(self, text: str, *, note: str = "") -> None:
        """A scan caught by the window (``scanned``): it replaces whatever the box held."""
        self.box.blockSignals(True)  # no filtering on the way: the scan is handled at once
        self.box.setText(text)
        self.box.blockSignals(False)
        self._handle(text, note=note)

    def _handle(self, typed: str, *, note: str = "") -> None:
        text = typed.strip()
        if not text:
            return
        self.show_note(note)
        self._search_timer.stop()
        self._table.set_search("")  # an exact scan shows its row whatever was typed before
        match = self._table.find(text)
        self.handled.append((text, match.kind if match else ""))
        # one line per scan: what the station did with each box can be read back after a shift
        log.info("scan %s: %s", text, match.kind if match else "not found")
        self.focus()  # the next scan replaces this one
        if match is None:
            self._table.set_search(text)
            self._notice.show_error(
                _("No shipment, order or tracking number {number} in the list. Press F5 to fetch the latest "
                  "shipments from Acumatica.").format(number=text), retry=self._actions.pull)
            return
        self._table.select_shipments(match.shipments)
        self._notice.hide()  # a notice about an earlier scan would read as if this one failed
        if match.kind == "order" and len(match.shipments) > 1:
            self._notice.show_message(_("Order {order} has {count} shipments: {shipments}. Scan the shipment's own "
                                        "barcode to ship one.").format(order=text, count=len(match.shipments),
                                                                       shipments=", ".join(match.shipments)))
        elif match.kind == "tracking":
            self._notice.show_message(_("Tracking number {tracking} belongs to shipment {shipment}.").format(
                tracking=text, shipment=match.shipments[0]))
        else:  # a label made with no hands and never printed is printed now; else scan to ship
            self._actions.scanned(match.shipments[0], ship=self.scan_to_ship)
