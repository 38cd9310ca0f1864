"""The address as entered in Acumatica beside UPS's candidates: pick one, or override with a reason.

The dialog only collects the decision (``chosen_index`` or ``override_reason``); the window sends it
to core through the bridge, where it is recorded in the audit trail.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shipdesk.ui.view_data import AddressCheck

STATUS_TEXT = {
    "valid": "UPS confirms this address.",
    "ambiguous": "UPS is not sure about this address. Pick the right one, or keep it as entered with a "
                 "reason.",
    "no_candidates": "UPS does not know this address. Fix it in Acumatica, or keep it as entered with a "
                     "reason.",
}


class AddressDialog(QDialog):
    def __init__(self, check: AddressCheck, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Ship-to address of {check.shipment}")
        self.setMinimumWidth(780)
        self.check = check
        self.chosen_index: int | None = None
        self.override_reason: str | None = None

        status = QLabel(STATUS_TEXT.get(check.status, check.status))
        status.setWordWrap(True)

        entered_box = QGroupBox("As entered in Acumatica")
        e = check.entered
        entered = QLabel("<br>".join(escape(x) for x in (
            e.name, *e.lines, " ".join(p for p in (e.city, e.region, e.postal_code) if p), e.country) if x))
        entered.setTextFormat(Qt.TextFormat.RichText)
        entered.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        QVBoxLayout(entered_box).addWidget(entered)

        candidates_box = QGroupBox(f"UPS suggests ({len(check.candidates)})")
        self.candidates = QListWidget()
        for i, c in enumerate(check.candidates):
            text = c.one_line() + (f"  ({c.classification})" if c.classification else "")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, i)
            self.candidates.addItem(item)
        self.candidates.itemDoubleClicked.connect(lambda _item: self._use_candidate())
        self.candidates.currentRowChanged.connect(self._update_buttons)
        self.use_button = QPushButton("Use this address")
        self.use_button.setDefault(True)
        self.use_button.clicked.connect(self._use_candidate)
        cand_layout = QVBoxLayout(candidates_box)
        cand_layout.addWidget(self.candidates)
        cand_layout.addWidget(self.use_button, 0, Qt.AlignmentFlag.AlignRight)

        side_by_side = QHBoxLayout()
        side_by_side.addWidget(entered_box, 1)
        side_by_side.addWidget(candidates_box, 2)

        override_box = QGroupBox("Keep the address as entered")
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("Reason (required, recorded), e.g. 'Customer confirmed by phone'")
        self.reason.textChanged.connect(self._update_buttons)
        self.override_button = QPushButton("Keep as entered")
        self.override_button.clicked.connect(self._override)
        over_layout = QHBoxLayout(override_box)
        over_layout.addWidget(self.reason, 1)
        over_layout.addWidget(self.override_button)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(status)
        layout.addLayout(side_by_side)
        layout.addWidget(override_box)
        layout.addWidget(buttons)
        if check.candidates:
            self.candidates.setCurrentRow(0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.use_button.setEnabled(self.candidates.currentRow() >= 0)
        self.override_button.setEnabled(bool(self.reason.text().strip()))

    def _use_candidate(self) -> None:
        row = self.candidates.currentRow()
        if row >= 0:
            self.chosen_index = row
            self.accept()

    def _override(self) -> None:
        reason = self.reason.text().strip()
        if reason:
            self.override_reason = reason
            self.accept()
