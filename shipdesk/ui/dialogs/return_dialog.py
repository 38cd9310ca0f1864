"""Shipment › Return label…: which kind of UPS return label, where UPS emails it, and the RMA order it goes to."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)


@dataclass(frozen=True)
class ReturnChoice:
    electronic: bool
    email: str = ""  # "" = the shipment's ship-to email
    rma: str = ""


class ReturnDialog(QDialog):
    def __init__(self, shipment: str, *, asks_rma: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Return label for {shipment}")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"A UPS return label for the goods of shipment {shipment}, back to the warehouse."))
        self.printed = QRadioButton("Print the return label (to put in the box or hand over)")
        self.emailed = QRadioButton("Electronic return label: UPS emails it to the customer")
        self.printed.setChecked(True)
        kinds = QButtonGroup(self)
        for button in (self.printed, self.emailed):
            kinds.addButton(button)
            layout.addWidget(button)
        form = QFormLayout()
        self.email = QLineEdit()
        self.email.setPlaceholderText("empty: the shipment's ship-to email")
        self.email.setEnabled(False)
        self.emailed.toggled.connect(self.email.setEnabled)
        form.addRow("Email to", self.email)
        self.rma = QLineEdit()
        self.rma.setPlaceholderText("the RMA order number")
        if asks_rma:
            form.addRow("RMA order", self.rma)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Make return label")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @property
    def choice(self) -> ReturnChoice:
        electronic = self.emailed.isChecked()
        return ReturnChoice(electronic, self.email.text().strip() if electronic else "", self.rma.text().strip())
