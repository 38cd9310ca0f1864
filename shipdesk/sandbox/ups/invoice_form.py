"""The commercial invoice UPS draws from a Ship request's ``InternationalForms``: a one-page PDF.

Laid out like the invoice UPS returns in ``ShipmentResults.Form.Image`` (format PDF): exporter, consignee
and sold-to boxes, the waybill and shipment numbers, the invoice header (number, date, PO, terms, reason
for export, currency), one row per product (units, unit of measure, description and part number, tariff
code, country of origin, unit value, total), the totals and the declaration with a signature line. A
partial invoice (form 05, for returns) has the same layout under its own title.
"""

from __future__ import annotations

import io
import textwrap
from decimal import Decimal, InvalidOperation
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas

PAGE_WIDTH, PAGE_HEIGHT = letter
MARGIN = 0.5 * inch
TITLES = {"01": "COMMERCIAL INVOICE", "05": "PARTIAL INVOICE"}
ROWS_PER_PAGE = 18


def _as_list(value: Any) -> list[Any]:
    if value is None or value == "":
        return []
    return value if isinstance(value, list) else [value]


def _money(text: str) -> Decimal:
    try:
        return Decimal(text)
    except (InvalidOperation, TypeError):
        return Decimal(0)


def _party_lines(party: dict[str, Any]) -> list[str]:
    address = party.get("Address") or {}
    city = " ".join(x for x in (address.get("City", ""), address.get("StateProvinceCode", ""),
                                address.get("PostalCode", "")) if x)
    lines = [party.get("Name", ""), party.get("AttentionName", ""), *_as_list(address.get("AddressLine")), city,
             address.get("CountryCode", "")]
    phone = (party.get("Phone") or {}).get("Number")
    if phone:
        lines.append(f"Phone {phone}")
    return [str(line) for line in lines if line]


def render_invoice(request: dict[str, Any], *, waybill: str, shipment_id: str) -> bytes:
    """The PDF for the request's forms (``request`` is the checked ``ShipmentRequest``)."""
    shipment = request["Shipment"]
    forms = ((shipment.get("ShipmentServiceOptions") or {}).get("InternationalForms")) or {}
    form_type = next((t for t in _as_list(forms.get("FormType")) if t in TITLES), "01")
    products = _as_list(forms.get("Product"))
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=letter)
    canvas.setTitle(f"{TITLES[form_type].title()} {forms.get('InvoiceNumber', '')}".strip())
    canvas.setAuthor("UPS sandbox")
    pages = [products[i:i + ROWS_PER_PAGE] for i in range(0, max(len(products), 1), ROWS_PER_PAGE)]
    for number, rows in enumerate(pages, start=1):
        _page(canvas, shipment, forms, form_type, rows, waybill=waybill, shipment_id=shipment_id,
              last=number == len(pages), all_products=products, page=(number, len(pages)))
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _box(canvas: Canvas, x: float, y: float, w: float, h: float, title: str, lines: list[str]) -> None:
    canvas.setStrokeColor(colors.black)
    canvas.rect(x, y - h, w, h)
    canvas.setFont("Helvetica-Bold", 7)
    canvas.drawString(x + 4, y - 10, title.upper())
    canvas.setFont("Helvetica", 8.5)
    for index, line in enumerate(lines[:6]):
        canvas.drawString(x + 4, y - 22 - index * 10.5, line[:48])


def _page(canvas: Canvas, shipment: dict[str, Any], forms: dict[str, Any], form_type: str,
          rows: list[dict[str, Any]], *, waybill: str, shipment_id: str, last: bool,
          all_products: list[dict[str, Any]], page: tuple[int, int]) -> None:
    width = PAGE_WIDTH - 2 * MARGIN
    top = PAGE_HEIGHT - MARGIN
    canvas.setFont("Helvetica-Bold", 16)
    canvas.drawString(MARGIN, top - 16, TITLES[form_type])
    canvas.setFont("Helvetica", 8)
    canvas.drawRightString(MARGIN + width, top - 8, f"Page {page[0]} of {page[1]}")
    canvas.drawRightString(MARGIN + width, top - 18, f"Waybill number: {waybill}")
    canvas.drawRightString(MARGIN + width, top - 28, f"Shipment ID: {shipment_id}")
    half = width / 2
    y = top - 40
    shipper = shipment.get("ShipFrom") or shipment.get("Shipper") or {}
    _box(canvas, MARGIN, y, half, 90, "Shipper / exporter", _party_lines(shipper))
    header = [f"Invoice no.: {forms.get('InvoiceNumber', '')}", f"Date: {_date(forms.get('InvoiceDate', ''))}",
              f"Purchase order no.: {forms.get('PurchaseOrderNumber', '')}",
              f"Terms of sale: {forms.get('TermsOfShipment', '')}",
              f"Reason for export: {forms.get('ReasonForExport', '')}", f"Currency: {forms.get('CurrencyCode', '')}"]
    _box(canvas, MARGIN + half, y, half, 90, "Invoice", header)
    y -= 96
    sold_to = ((forms.get("Contacts") or {}).get("SoldTo")) or {}
    _box(canvas, MARGIN, y, half, 90, "Ship to / consignee", _party_lines(shipment.get("ShipTo") or {}))
    _box(canvas, MARGIN + half, y, half, 90, "Sold to", _party_lines(sold_to) or ["Same as consignee"])
    y -= 104
    columns = [("Units", 34), ("U/M", 30), ("Description of goods / part no.", 196), ("Tariff code", 66),
               ("C/O", 28), ("Unit value", 84), ("Total value", 84)]
    canvas.setFillColor(colors.HexColor("#eeeeee"))
    canvas.rect(MARGIN, y - 14, width, 14, fill=1, stroke=1)
    canvas.setFillColor(colors.black)
    canvas.setFont("Helvetica-Bold", 7.5)
    x = MARGIN
    for title, column in columns:
        canvas.drawString(x + 3, y - 10, title)
        x += column
    y -= 14
    canvas.setFont("Helvetica", 8)
    for product in rows:
        unit = product.get("Unit") or {}
        number = int(_money(unit.get("Number", "0")))
        value = _money(unit.get("Value", "0"))
        lines = [str(line) for line in _as_list(product.get("Description"))]
        if product.get("PartNumber"):
            lines.append(f"Part no. {product['PartNumber']}")
        height = 11 * max(1, len(lines)) + 4
        cells = [str(number), str((unit.get("UnitOfMeasurement") or {}).get("Code", "")), "",
                 str(product.get("CommodityCode", "")), str(product.get("OriginCountryCode", "")),
                 f"{value:,.2f}", f"{value * number:,.2f}"]
        x = MARGIN
        for (_title, column), cell in zip(columns, cells, strict=True):
            if _title.startswith("Description"):
                for index, line in enumerate(lines):
                    canvas.drawString(x + 3, y - 10 - index * 11, line[:42])
            elif _title in ("Unit value", "Total value"):
                canvas.drawRightString(x + column - 4, y - 10, cell)
            else:
                canvas.drawString(x + 3, y - 10, cell)
            x += column
        canvas.line(MARGIN, y - height, MARGIN + width, y - height)
        y -= height
    if last:
        _totals(canvas, forms, all_products, y - 10, width)


def _totals(canvas: Canvas, forms: dict[str, Any], products: list[dict[str, Any]], y: float, width: float) -> None:
    lines_total = sum((_money((p.get("Unit") or {}).get("Value", "0")) * int(_money((p.get("Unit") or {}).get(
        "Number", "0"))) for p in products), Decimal(0))
    charges = [(name, _money(((forms.get(key) or {}).get("MonetaryValue")) or "0"))
               for name, key in (("Discount", "Discount"), ("Freight", "FreightCharges"),
                                 ("Insurance", "InsuranceCharges"), ("Other", "OtherCharges"))]
    total = lines_total - charges[0][1] + sum((amount for _name, amount in charges[1:]), Decimal(0))
    currency = forms.get("CurrencyCode", "")
    rows = [("Invoice line total", lines_total), *charges, ("Total invoice amount", total)]
    canvas.setFont("Helvetica", 8.5)
    for index, (name, amount) in enumerate(rows):
        if index == len(rows) - 1:
            canvas.setFont("Helvetica-Bold", 9)
        canvas.drawRightString(MARGIN + width - 90, y - index * 12, name)
        canvas.drawRightString(MARGIN + width - 4, y - index * 12, f"{amount:,.2f} {currency}")
    y -= len(rows) * 12 + 18
    canvas.setFont("Helvetica", 8)
    statement = str(forms.get("DeclarationStatement") or "I hereby certify that the information on this invoice "
                    "is true and correct and the contents and value of this shipment is as stated above.")
    for index, line in enumerate(textwrap.wrap(statement, 110)[:6]):
        canvas.drawString(MARGIN, y - index * 10, line)
    y -= 50
    canvas.line(MARGIN, y, MARGIN + 220, y)
    canvas.line(MARGIN + 260, y, MARGIN + 400, y)
    canvas.drawString(MARGIN, y - 10, "Signature of shipper / exporter")
    canvas.drawString(MARGIN + 260, y - 10, "Date")


def _date(text: str) -> str:
    return f"{text[:4]}-{text[4:6]}-{text[6:]}" if len(text) == 8 and text.isdigit() else text
