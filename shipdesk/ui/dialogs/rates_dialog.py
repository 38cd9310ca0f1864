"""UPS's quotes for one shipment: the mapped service, or with Shop every service UPS offers, each with its
price (list and your negotiated rate), business days and the day it would arrive if it left today."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout, QWidget

from shipdesk.i18n import _
from shipdesk.ui.scanner import closed_by_scans
from shipdesk.ui.view_data import Rates


def rates_html(rates: Rates) -> str:
    head = "".join(f"<th align='left' style='padding-right:14px'>{escape(h)}</th>"
                   for h in (_("Service"), _("List"), _("Your rate"), _("Days"), _("Arrives")))
    rows = []
    for line in rates.lines:
        weight = "font-weight:700" if line.mapped else ""
        service = _("{service} (Ship Via)").format(service=line.service) if line.mapped else line.service
        cells = (service, line.amount, line.negotiated, line.days,
                 line.delivery)
        rows.append("<tr>" + "".join(f"<td style='padding-right:14px; {weight}'>{escape(c)}</td>" for c in cells)
                    + "</tr>")
    return f"<table cellspacing='0' cellpadding='3'><tr>{head}</tr>{''.join(rows)}</table>"


class RatesDialog(QDialog):
    def __init__(self, rates: Rates, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ratesDialog")
        self.setWindowTitle(_("UPS services for {shipment}").format(shipment=rates.shipment) if rates.shop
                            else _("UPS rate for {shipment}").format(shipment=rates.shipment))
        self.setMinimumWidth(620)
        self.rates = rates
        intro = QLabel(rates.note or (
            _("Every UPS service for {shipment}, cheapest first.").format(shipment=rates.shipment) if rates.shop
            else _("UPS's quote for {shipment}.").format(shipment=rates.shipment)))
        intro.setWordWrap(True)
        intro.setObjectName("ratesNote")
        self.table = QTextBrowser()
        self.table.setHtml(rates_html(rates) if rates.lines else "<p>{}</p>".format(escape(_("UPS gave no rate."))))
        self.table.setMinimumHeight(min(460, 60 + 30 * len(rates.lines)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        closed_by_scans(self, _("only the rates were closed"))
