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

from shipdesk.i18n import _


@dataclass(frozen=True)
class ReturnChoice:
    electronic: bool
    email: str = ""  # "" = the shipment's ship-to email
    rma: str = ""


class ReturnDialog(QDialog):
    def __init__(self, shipment: str, *, asks_rma: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Return label for {shipment}").format(shipment=shipment))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("A UPS return label for the goods of shipment {shipment}, back to the "
                                  "warehouse.").format(shipment=shipment)))
        self.printed = QRadioButton(_("Print the return label (to put in the box or hand over)"))
        self.emailed = QRadioButton(_("Electronic return label: UPS emails it to the customer"))
        self.printed.setChecked(True)
        kinds = QButtonGroup(self)
        for button in (self.printed, self.emailed):
            kinds.addButton(button)
            layout.addWidget(button)
        form = QFormLayout()
        self.email = QLineEdit()
        self.email.setPlaceholderText(_("empty: the shipment's ship-to email"))
        self.email.setEnabled(False)
        self.emailed.toggled.connect(self.email.setEnabled)
        form.addRow(_("Email to"), self.email)
        self.rma = QLineEdit()
        self.rma.setPlaceholderText(_("the RMA order number"))
        if asks_rma:
            form.addRow(_("RMA order"), self.rma)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Make return label"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @property
    def choice(self) -> ReturnChoice:
        electronic = self.emailed.isChecked()
        return ReturnChoice(electronic, self.email.text().strip() if electronic else "", self.rma.text().strip())
