"""The scan box above the table: typing filters the list (after a short pause, so a scanner's burst filters
once); Enter (what a barcode scanner sends last) selects the shipment, and ships it when scan-to-ship is on."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from shipdesk.ui.window.notice_bar import NoticeBar
from shipdesk.ui.window.shipment_actions import ShipmentActions
from shipdesk.ui.window.shipments_table import ShipmentsTable

SEARCH_DELAY_MS = 150


class ScanBox(QWidget):
    def __init__(self, table: ShipmentsTable, notice: NoticeBar, actions: ShipmentActions, *,
                 scan_to_ship: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._table, self._notice, self._actions = table, notice, actions
        self.scan_to_ship = scan_to_ship
        self.prompt = QLabel("Scan or type a shipment number")
        self.prompt.setObjectName("scanPrompt")
        self.box = QLineEdit()
        self.box.setObjectName("scanBox")
        self.prompt.setBuddy(self.box)
        self.box.setPlaceholderText("Scan or type a shipment number")
        self.box.setToolTip("Scan a shipment barcode, or type a shipment, order, customer or tracking "
                            "number and press Enter. Typing filters the list.")
        self.box.setClearButtonEnabled(True)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(lambda: self._table.set_search(self.box.text()))
        self.box.textChanged.connect(lambda _text: self._search_timer.start())
        self.box.returnPressed.connect(self._on_scan)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.prompt)
        layout.addWidget(self.box)

    def focus(self) -> None:
        self.box.setFocus()

    def stop(self) -> None:
        self._search_timer.stop()

    def set_scan_to_ship(self, on: bool) -> None:
        self.scan_to_ship = on
        self._notice.show_message("Scan to ship is on: scanning a shipment prints its label at once."
                                  if on else "Scan to ship is off.")
        self.box.setFocus()

    def _on_scan(self) -> None:
        text = self.box.text().strip()
        if not text:
            return
        self._search_timer.stop()
        self._table.set_search("")  # an exact scan shows its row whatever was typed before
        nbr = self._table.find(text)
        self.box.selectAll()  # the next scan replaces this one
        if nbr is None:
            self._table.set_search(text)
            self._notice.show_error(
                f"No shipment {text} in the list. Press F5 to fetch the latest shipments from Acumatica.",
                retry=self._actions.pull)
            return
        self._table.select_shipment(nbr)
        self._notice.hide()  # a notice about an earlier scan would read as if this one failed
        self._actions.scanned(nbr, ship=self.scan_to_ship)
