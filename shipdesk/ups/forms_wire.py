"""UPS's rules for shipments that cross a border, and their JSON: the commercial invoice
(``ShipmentServiceOptions.InternationalForms``), the shipment-level invoice total, documents. Pure.

Where each rule is written (``resources/specs/ups/Shipping.yaml``) and what UPS answers when it is broken
(its Shipping Package developer guide's error table; see docs/evidence/international-and-returns.md):

- ``Shipment.InvoiceLineTotal`` is "Required for forward shipments whose origin is the US and destination is
  Puerto Rico or Canada. Not available for any other shipments" (120504 "InvoiceLineTotal is not allowed
  for this shipment"); a return from CA/PR to the US needs it too (ShipWorks' UPS client, found by trial);
  a whole number from 1 to 99999999 (120502, 120539, 120526).
- ``DocumentsOnlyIndicator`` is "Valid only for shipments with different origin and destination [...] The
  origin [...] is not US, and the destination [...] is not CA, PR or MX" (120523); international forms are
  refused for documents (128202).
- An invoice (form 01) needs an invoice number, date, reason for export, currency, the buyer (SoldTo) and
  per product a description, a whole quantity, a unit and a value above zero (128065, 128066, 128069,
  128114, 128094, 128113, 128043, 128044, 128046); a return carries a partial invoice (05) instead (128201);
  form 07 names the documents uploaded beforehand (128223).
- Goods entering the European Union from outside name each product (``ProductIdentifier``, "Required for EU
  Inbound Shipments") or say why not (``CommodityFieldSpecialConditionCode`` "01").
"""

from __future__ import annotations

import re
from decimal import ROUND_CEILING, Decimal
from typing import Any

from shipdesk.ship_rules.lanes import (
    EU,
    INVOICE_TOTAL_DESTINATIONS,
    NO_DOCUMENTS_FLAG_TO,
    NO_STANDARD_PRODUCT_ID,
    crosses_customs,
    documents_flag_allowed,
    eu_inbound,
    invoice_line_total_applies,
)
from shipdesk.ups.models import (
    INVOICE,
    PARTIAL_INVOICE,
    USER_CREATED_FORM,
    FormDocument,
    InvoiceForm,
    InvoiceProduct,
    LabelImage,
    Party,
)

Json = dict[str, Any]

TEXT_MAX = 35
DESCRIPTION_LINES = 3
#: ProductIdentifier type "Merchant": the seller's own item number
MERCHANT_PRODUCT_ID = "0100"
__all__ = ["EU", "INVOICE_TOTAL_DESTINATIONS", "NO_DOCUMENTS_FLAG_TO", "crosses_customs", "documents_flag_allowed",
           "eu_inbound", "international_forms_json", "invoice_line_total", "invoice_line_total_applies",
           "parse_forms"]
INVOICE_TOTAL_MAX = Decimal(99_999_999)
_NOT_ALPHANUMERIC = re.compile(r"[^A-Za-z0-9]")


def invoice_line_total(amount: Decimal, currency: str) -> Json:
    """UPS's whole-number total, rounded up (a customs value is never under-declared), at least 1."""
    whole = max(Decimal(1), amount.quantize(Decimal(1), rounding=ROUND_CEILING))
    return {"CurrencyCode": currency.upper(), "MonetaryValue": format(min(whole, INVOICE_TOTAL_MAX), "f")}


def commodity_code(code: str) -> str:
    """A tariff code as UPS takes it: letters and digits only (``7318.15.00`` → ``73181500``)."""
    return _NOT_ALPHANUMERIC.sub("", code)


def description_lines(text: str) -> list[str]:
    """Up to 3 lines of 35 characters, broken between words where possible."""
    words = " ".join(text.split())
    lines: list[str] = []
    while words and len(lines) < DESCRIPTION_LINES:
        if len(words) <= TEXT_MAX:
            lines.append(words)
            break
        cut = words.rfind(" ", 0, TEXT_MAX + 1)
        cut = cut if cut > 0 else TEXT_MAX
        lines.append(words[:cut].strip())
        words = words[cut:].strip()
    return lines


def unit_value(value: Decimal) -> str:
    """UPS's unit value: up to 6 decimals, 19 characters at most."""
    text = format(value.quantize(Decimal("0.000001")).normalize(), "f")
    return text if "." not in text or len(text) <= 19 else format(value.quantize(Decimal("0.01")), "f")


def product_json(product: InvoiceProduct, *, eu_inbound_goods: bool) -> Json:
    unit: Json = {"Code": product.unit.upper()}
    if product.unit.upper() == "OTH":
        unit["Description"] = product.unit_description[:3] or "OTH"
    body: Json = {
        "Description": description_lines(product.description),
        "Unit": {"Number": str(product.quantity), "UnitOfMeasurement": unit, "Value": unit_value(product.unit_value)},
    }
    if product.part_number.strip():
        body["PartNumber"] = product.part_number.strip()[:TEXT_MAX]
    code = commodity_code(product.commodity_code)
    if code:
        body["CommodityCode"] = code
    if product.origin_country.strip():
        body["OriginCountryCode"] = product.origin_country.strip().upper()
    if eu_inbound_goods:
        if product.part_number.strip():
            body["ProductIdentifier"] = [{"ProductID": product.part_number.strip()[:TEXT_MAX],
                                          "ProductIDTypeCode": MERCHANT_PRODUCT_ID}]
        body["CommodityFieldSpecialConditionCode"] = NO_STANDARD_PRODUCT_ID
    return body


def sold_to_json(party: Party, address: Json) -> Json:
    name = " ".join(party.name.split())[:TEXT_MAX] or " ".join(party.attention.split())[:TEXT_MAX]
    body: Json = {"Name": name, "AttentionName": " ".join(party.attention.split())[:TEXT_MAX] or name,
                  "Address": {k: v for k, v in address.items() if k != "ResidentialAddressIndicator"}}
    phone = "".join(ch for ch in party.phone if ch.isdigit())
    if phone:
        body["Phone"] = {"Number": phone[:15]}
    if party.email.strip():
        body["EMailAddress"] = party.email.strip()[:50]
    return body


def international_forms_json(form: InvoiceForm, *, origin: str, destination: str, sold_to_address: Json | None
                             ) -> Json:
    """``ShipmentServiceOptions.InternationalForms`` for ``form``."""
    eu_goods = eu_inbound(origin, destination)
    body: Json = {"FormType": [form.form_type],
                  "Product": [product_json(p, eu_inbound_goods=eu_goods) for p in form.products],
                  "CurrencyCode": form.currency.upper()}
    if form.form_type == USER_CREATED_FORM:
        body["UserCreatedForm"] = {"DocumentID": list(form.document_ids)}
    if form.form_type in (INVOICE, PARTIAL_INVOICE):
        if form.invoice_number.strip():
            body["InvoiceNumber"] = form.invoice_number.strip()[:TEXT_MAX]
        if form.invoice_date is not None and form.form_type == INVOICE:
            body["InvoiceDate"] = form.invoice_date.strftime("%Y%m%d")
        if form.purchase_order.strip():
            body["PurchaseOrderNumber"] = form.purchase_order.strip()[:TEXT_MAX]
        if form.terms_of_shipment.strip():
            body["TermsOfShipment"] = form.terms_of_shipment.strip().upper()[:3]
        body["ReasonForExport"] = form.reason_for_export.strip()[:20] or "SALE"
        if form.comments.strip():
            body["Comments"] = form.comments.strip()[:150]
        if form.declaration.strip():
            body["DeclarationStatement"] = form.declaration.strip()[:550]
        if form.sold_to is not None and sold_to_address is not None and form.form_type == INVOICE:
            body["Contacts"] = {"SoldTo": sold_to_json(form.sold_to, sold_to_address)}
    if form.override_paperless:
        body["OverridePaperlessIndicator"] = ""
    return body


def parse_forms(results: Any, decode: Any) -> FormDocument | None:
    """``ShipmentResults.Form``: the forms' PDF when UPS sent one, and the FormGroupId it keeps them under."""
    node = results.get("Form") if isinstance(results, dict) else None
    if not isinstance(node, dict):
        return None
    image = node.get("Image")
    image = image if isinstance(image, dict) else {}
    graphic = image.get("GraphicImage")
    document = None
    if graphic:
        fmt = image.get("ImageFormat")
        code = fmt.get("Code") if isinstance(fmt, dict) else None
        document = LabelImage(format=str(code or "PDF").strip().upper(), data=decode(graphic))
    return FormDocument(image=document, form_group_id=str(node.get("FormGroupId") or "").strip())
