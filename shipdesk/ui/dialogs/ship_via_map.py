"""The settings dialog's Ship Via page: which UPS service each Acumatica Ship Via is shipped with.

One row per Ship Via, its UPS service picked from the codes UPS documents (or kept as written when
the file has another). The dialog fills in the Ship Via codes fetched from Acumatica with
:meth:`ShipViaMap.add_codes`; a row without a service is not shipped with UPS.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from shipdesk.i18n import N_, _
from shipdesk.ups.services import ServiceCode

NOT_UPS = N_("— not shipped with UPS —")


class ShipViaMap(QWidget):
    def __init__(self, services: Mapping[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels([_("Acumatica Ship Via"), _("UPS service")])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        for ship_via, code in sorted(services.items()):
            self.add_row(ship_via, code)
        add, remove = QPushButton(_("Add")), QPushButton(_("Remove"))
        add.clicked.connect(lambda: self.add_row("", ""))
        remove.clicked.connect(lambda: self.table.removeRow(self.table.currentRow()))
        self.fetch_button = QPushButton(_("Fetch Ship Via codes from Acumatica"))
        self.result = QLabel()
        self.result.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (add, remove):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.fetch_button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Shipments whose Ship Via is not listed here are not labelled "
                                  "(they show as needing attention).")))
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.result)

    def add_row(self, ship_via: str, code: str) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(ship_via))
        combo = QComboBox()
        combo.addItem(_(NOT_UPS), "")  # i18n: marked with N_() above
        for c, name in ((s.value, s.label) for s in ServiceCode):
            combo.addItem(f"{c}  {name}", c)
        if code and combo.findData(code) < 0:
            combo.addItem(code, code)
        combo.setCurrentIndex(max(0, combo.findData(code)))
        self.table.setCellWidget(row, 1, combo)

    def add_codes(self, codes: Iterable[str]) -> int:
        """A row for each Ship Via not listed yet (no service picked); how many were added."""
        known = {item.text().strip() for r in range(self.table.rowCount())
                 if (item := self.table.item(r, 0)) is not None}
        added = [c for c in codes if c not in known]
        for code in added:
            self.add_row(code, "")
        return len(added)

    def service_map(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            combo = self.table.cellWidget(row, 1)
            ship_via = item.text().strip() if item else ""
            code = combo.currentData() if isinstance(combo, QComboBox) else ""
            if ship_via and code:
                out[ship_via] = code
        return out
