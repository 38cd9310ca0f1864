"""shipdesk's own commercial invoice (reportlab), for accounts or destinations where UPS's form is not used.

The same invoice UPS would draw from the Ship request (``ups.models.InvoiceForm``): exporter, consignee and
buyer, the waybill (the UPS tracking number of the first package) and the shipment's packages and weight,
the invoice header (number, date, customer's PO, terms of sale, reason for export, currency), one row per
product (quantity, unit, description with the item number, tariff code, country of origin, unit value,
line value), the total, and the declaration with lines for the exporter's signature and the date.
Names print as they are ("Müller Präzisionstechnik", "Ferretería") in the Unicode font of the day summary.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from shipdesk.i18n import N_, _
from shipdesk.i18n.formats import number
from shipdesk.reports.day_summary_pdf import _fonts
from shipdesk.ups.models import PARTIAL_INVOICE, InvoiceForm, Party

_MARGIN = 0.5 * inch
_TITLES = {PARTIAL_INVOICE: N_("Partial invoice")}


@dataclass(frozen=True)
class InvoicePapers:
    """Everything the page shows besides the invoice data itself."""

    shipper: Party
    ship_to: Party
    waybill: str = ""  # the first package's tracking number ("" before the label exists)
    shipment_id: str = ""
    service: str = ""
    packages: int = 0
    weight: str = ""  # "13.5 KGS"


def write_invoice_pdf(invoice: InvoiceForm, papers: InvoicePapers, out: Path | BinaryIO, *,
                      page: tuple[float, float] = letter) -> None:
    regular, bold = _fonts()
    styles = _styles(regular, bold)
    width = page[0] - 2 * _MARGIN
    title = _(_TITLES.get(invoice.form_type, N_("Commercial invoice")))  # i18n: N_()-marked
    document = SimpleDocTemplate(str(out) if isinstance(out, Path) else out, pagesize=page, leftMargin=_MARGIN,
                                 rightMargin=_MARGIN, topMargin=_MARGIN, bottomMargin=_MARGIN,
                                 title=f"{title} {invoice.invoice_number}", author=papers.shipper.name,
                                 creator="shipdesk")
    story: list[Flowable] = [
        Paragraph(escape(title), styles["title"]),
        _header(invoice, papers, width, styles),
        Spacer(1, 8),
        _parties(invoice, papers, width, styles),
        Spacer(1, 10),
        _lines(invoice, width, styles),
        Spacer(1, 6),
        _total(invoice, width, styles),
        Spacer(1, 14),
        Paragraph(escape(invoice.declaration or ""), styles["body"]),
        Spacer(1, 36),
        _signature(width, styles),
    ]
    document.build(story)


def page_size(name: str) -> tuple[float, float]:
    return A4 if name.upper() == "A4" else letter


def _styles(regular: str, bold: str) -> dict[str, ParagraphStyle]:
    return {
        "title": ParagraphStyle("title", fontName=bold, fontSize=17, leading=21, spaceAfter=6),
        "label": ParagraphStyle("label", fontName=bold, fontSize=7, leading=9, textColor=colors.HexColor("#555555")),
        "body": ParagraphStyle("body", fontName=regular, fontSize=8.5, leading=11),
        "bold": ParagraphStyle("bold", fontName=bold, fontSize=8.5, leading=11),
        "right": ParagraphStyle("right", fontName=regular, fontSize=8.5, leading=11, alignment=TA_RIGHT),
        "right_bold": ParagraphStyle("right_bold", fontName=bold, fontSize=9.5, leading=12, alignment=TA_RIGHT),
    }


def _cell(label: str, lines: Sequence[str], styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    text = "<br/>".join(escape(line) for line in lines if line)
    return [Paragraph(escape(label.upper()), styles["label"]), Paragraph(text or "&nbsp;", styles["body"])]


def _party_lines(party: Party) -> list[str]:
    a = party.address
    city = " ".join(x for x in (a.city, a.state, a.postal_code) if x)
    lines = [party.name, party.attention if party.attention != party.name else "", *a.lines, city, a.country]
    if party.phone:
        lines.append(_("Phone {phone}").format(phone=party.phone))
    return lines


def _header(invoice: InvoiceForm, papers: InvoicePapers, width: float,
            styles: dict[str, ParagraphStyle]) -> Table:
    when = invoice.invoice_date.isoformat() if invoice.invoice_date else ""
    left = _cell(_("Invoice"), [_("Number: {number}").format(number=invoice.invoice_number),
                                _("Date: {date}").format(date=when),
                                _("Customer's order (PO): {order}").format(order=invoice.purchase_order),
                                _("Terms of sale: {terms}").format(terms=invoice.terms_of_shipment or "-"),
                                _("Reason for export: {reason}").format(reason=invoice.reason_for_export),
                                _("Currency: {currency}").format(currency=invoice.currency)], styles)
    packages = _("Packages: {count}").format(count=papers.packages) + (f", {papers.weight}" if papers.weight else "")
    right = _cell(_("Shipment"), [_("UPS waybill: {waybill}").format(waybill=papers.waybill or _("(on the label)")),
                                  _("Shipment: {number}").format(number=papers.shipment_id),
                                  _("Service: {service}").format(service=papers.service), packages], styles)
    return _boxed([[left, right]], [width / 2, width / 2])


def _parties(invoice: InvoiceForm, papers: InvoicePapers, width: float,
             styles: dict[str, ParagraphStyle]) -> Table:
    buyer = invoice.sold_to
    cells = [_cell(_("Exporter / shipper"), _party_lines(papers.shipper), styles),
             _cell(_("Consignee (ship to)"), _party_lines(papers.ship_to), styles),
             _cell(_("Sold to"), _party_lines(buyer) if buyer else [_("Same as consignee")], styles)]
    return _boxed([cells], [width / 3] * 3)


def _boxed(rows: list[list[list[Flowable]]], widths: list[float]) -> Table:
    table = Table(rows, colWidths=widths)
    table.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.8, colors.black),
                               ("INNERGRID", (0, 0), (-1, -1), 0.5, colors.black),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
    return table


def _money(amount: Decimal) -> str:
    return number(amount.quantize(Decimal("0.01")), 2)  # the language's way: 1 234,50 in French


def _lines(invoice: InvoiceForm, width: float, styles: dict[str, ParagraphStyle]) -> Table:
    head = [_("Qty"), _("Unit"), _("Description of goods"), _("Tariff code"), _("Origin"),
            _("Unit value ({currency})").format(currency=invoice.currency),
            _("Value ({currency})").format(currency=invoice.currency)]
    rows: list[list[object]] = [[Paragraph(escape(h), styles["label"]) for h in head]]
    for product in invoice.products:
        unit = product.unit_description if product.unit == "OTH" and product.unit_description else product.unit
        description = escape(product.description) + (
            "<br/>" + escape(_("Item {number}").format(number=product.part_number)) if product.part_number else "")
        rows.append([Paragraph(str(product.quantity), styles["body"]), Paragraph(escape(unit), styles["body"]),
                     Paragraph(description, styles["body"]), Paragraph(escape(product.commodity_code), styles["body"]),
                     Paragraph(escape(product.origin_country), styles["body"]),
                     Paragraph(_money(product.unit_value), styles["right"]),
                     Paragraph(_money(product.total), styles["right"])])
    widths = [0.07, 0.07, 0.38, 0.12, 0.08, 0.14, 0.14]
    table = Table(rows, colWidths=[width * w for w in widths], repeatRows=1)
    table.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                               ("LINEBELOW", (0, 1), (-1, -1), 0.3, colors.HexColor("#999999")),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _total(invoice: InvoiceForm, width: float, styles: dict[str, ParagraphStyle]) -> Table:
    rows = [[Paragraph(escape(_("Total invoice value")), styles["right_bold"]),
             Paragraph(f"{_money(invoice.total)} {escape(invoice.currency)}", styles["right_bold"])]]
    table = Table(rows, colWidths=[width * 0.72, width * 0.28])
    table.setStyle(TableStyle([("LINEABOVE", (0, 0), (-1, 0), 0.8, colors.black)]))
    return table


def _signature(width: float, styles: dict[str, ParagraphStyle]) -> Table:
    rows = [[Paragraph(escape(_("Signature of exporter")), styles["body"]), "",
             Paragraph(escape(_("Date")), styles["body"])]]
    table = Table(rows, colWidths=[width * 0.45, width * 0.1, width * 0.25], hAlign="LEFT")
    table.setStyle(TableStyle([("LINEABOVE", (0, 0), (0, 0), 0.8, colors.black),
                               ("LINEABOVE", (2, 0), (2, 0), 0.8, colors.black)]))
    return table
