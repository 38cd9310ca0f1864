"""The commercial invoice of a shipment that crosses a border, from Acumatica's data, and what goes to UPS.

- :func:`read_customs` reads what the invoice needs (the shipment's lines, its orders' prices and currency,
  the stock items); only for shipments that cross customs, so domestic labels cost no extra call.
- :func:`build_invoice` (pure) makes the invoice: one product per shipment line (item, description,
  quantity, unit of measure), valued at the order line's price in the order's currency, with each item's
  tariff (HS) code and country of origin read where ``[international]`` says. Anything missing is one
  "needs attention" sentence naming the item and the Acumatica field to fill in. A shipment of only
  ``document_items`` travels as documents: no invoice.
- :func:`request_form` decides what the Ship request carries: UPS's invoice (form 01; on a paperless account
  with a copy asked back), the shipdesk PDF uploaded beforehand (form 07), or nothing (shipdesk's PDF
  printed and packed with the box).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from babel.lists import format_list

from shipdesk.acumatica.client import AcumaticaClient
from shipdesk.acumatica.models import PricedOrder, Shipment, ShipmentLine, StockItem
from shipdesk.core.settings.config import InternationalConfig, InvoiceSource
from shipdesk.i18n import _, current_locale
from shipdesk.i18n.formats import number
from shipdesk.ship_rules.lanes import crosses_customs
from shipdesk.ups.models import INVOICE, USER_CREATED_FORM, InvoiceForm, InvoiceProduct, Party

#: Acumatica units of measure → UPS's product unit codes (Shipping appendix "Product Unit of Measure Codes")
UNIT_CODES = {
    "EA": "EA", "EACH": "EA", "PC": "PCS", "PCS": "PCS", "PIECE": "PCS", "BOX": "BOX", "BX": "BOX", "CASE": "CS",
    "CS": "CS", "CT": "CT", "CARTON": "CT", "PAIR": "PR", "PR": "PR", "PRS": "PRS", "DOZ": "DOZ", "DOZEN": "DOZ",
    "DZ": "DOZ", "SET": "SET", "KG": "KGS", "KGS": "KGS", "LB": "LBS", "LBS": "LBS", "M": "M", "METER": "M", "FT": "FT",
    "L": "L", "LITER": "L", "ROLL": "RL", "RL": "RL", "PACK": "PA", "PK": "PA", "PKG": "PKG", "BAG": "BG", "BG": "BG",
    "PALLET": "PAL", "TUBE": "TU", "YD": "YD",
}
OTHER_UNIT = "OTH"
_TARIFF = re.compile(r"[A-Za-z0-9]{6,15}")
_COUNTRY = re.compile(r"[A-Z]{2}")


@dataclass(frozen=True)
class CustomsData:
    """What Acumatica holds for the invoice (read by :func:`read_customs`)."""

    lines: tuple[ShipmentLine, ...]
    orders: Mapping[tuple[str, str], PricedOrder]  # (order type, order nbr) → the order with its prices
    items: Mapping[str, StockItem]  # upper-case InventoryID → stock item


@dataclass(frozen=True)
class CustomsInvoice:
    """The invoice built from Acumatica (``form`` is UPS's form 01 with every field filled), or documents."""

    form: InvoiceForm | None  # None for documents
    documents_only: bool = False

    @property
    def currency(self) -> str:
        return self.form.currency if self.form is not None else ""


def needs_customs(shipment: Shipment, shipper_country: str) -> bool:
    return crosses_customs(shipper_country, shipment.ship_to_address.country.strip())


def read_customs(acu: AcumaticaClient, shipment: Shipment) -> CustomsData:
    """Three reads: the lines, each order with its prices, the stock items shipped (one query)."""
    lines = acu.shipment_lines(shipment.shipment_nbr)
    keys = {(line.order_type, line.order_nbr) for line in lines if line.order_nbr}
    keys |= {(o.order_type, o.order_nbr) for o in shipment.orders if o.order_nbr}
    orders = {key: acu.priced_order(*key) for key in sorted(keys)}
    items = acu.stock_items([line.inventory_id for line in lines if line.inventory_id])
    return CustomsData(lines, orders, items)


def _where(shipment: Shipment) -> str:
    return shipment.shipment_nbr  # each sentence says "... on shipment {shipment} in Acumatica."


def field_value(item: StockItem, source: str) -> str:
    """The item's value from ``source``: ``TariffCode``, ``CountryOfOrigin``, ``attribute:ID`` or
    ``crossref:TYPE`` (``crossref:TYPE/DESCRIPTION``); "" when the item has none."""
    kind, _sep, name = source.partition(":")
    if not name:
        return {"TariffCode": item.tariff_code, "CountryOfOrigin": item.country_of_origin}.get(kind, "").strip()
    if kind == "attribute":
        wanted = name.strip().upper()  # some versions show the attribute's description where the ID is
        found = next((a for a in item.attributes if wanted in (a.attribute_id.upper(), a.description.upper())), None)
        return found.value.strip() if found else ""
    alternate, _sep, description = name.partition("/")
    for reference in item.cross_references:
        if reference.alternate_type.strip().upper() != alternate.strip().upper():
            continue
        if description and reference.description.strip().upper() != description.strip().upper():
            continue
        return reference.alternate_id.strip()
    return ""


def field_place(source: str) -> str:
    """Where a person fills the value in, for the needs-attention sentence."""
    kind, _sep, name = source.partition(":")
    if not name:
        # Acumatica's own field names (the clerk finds them there in Acumatica): not ours to translate
        return {"TariffCode": "Tariff Code", "CountryOfOrigin": "Country of Origin"}.get(kind, kind)
    if kind == "attribute":
        return f"Attributes › {name}"
    alternate, _sep, description = name.partition("/")
    if description:
        return _("Cross-Reference of type {type} described {description}").format(type=alternate,
                                                                                 description=description)
    return _("Cross-Reference of type {type}").format(type=alternate)


def unit_code(uom: str) -> tuple[str, str]:
    """(UPS unit code, description for OTH) for an Acumatica unit of measure."""
    text = uom.strip().upper()
    if not text:
        return "EA", ""
    code = UNIT_CODES.get(text)
    return (code, "") if code else (OTHER_UNIT, text[:3])


def _unit_value(shipment_line: ShipmentLine, order: PricedOrder | None) -> Decimal | None:
    """The price of one unit: the order line's amount over its quantity (discounts included), else its price."""
    if order is None:
        return None
    line = next((row for row in order.lines if row.line_nbr == shipment_line.order_line_nbr), None)
    if line is None:
        line = next((row for row in order.lines if row.inventory_id.upper() == shipment_line.inventory_id.upper()),
                    None)
    if line is None:
        return None
    if line.amount is not None and line.quantity and line.quantity > 0:
        return (line.amount / line.quantity).quantize(Decimal("0.0001"))
    return line.unit_price


def build_invoice(shipment: Shipment, data: CustomsData, config: InternationalConfig, *, buyer: Party,
                  today: date) -> CustomsInvoice | list[str]:
    """The invoice of ``shipment``, or every reason it cannot be made (one sentence each)."""
    where = _where(shipment)
    shipped = [line for line in data.lines if line.shipped_qty is None or line.shipped_qty > 0]
    if not shipped:
        return [_("Shipment {shipment} has no lines, so there is nothing to put on its commercial invoice: add the "
                  "goods on the Details tab on shipment {shipment} in Acumatica.").format(shipment=where)]
    documents = {d.strip().upper() for d in config.document_items if d.strip()}
    if documents and all(line.inventory_id.upper() in documents for line in shipped):
        return CustomsInvoice(None, documents_only=True)
    problems: list[str] = []
    products = [p for p in (_product(line, data, config, shipment, problems) for line in shipped) if p is not None]
    currencies = {o.currency for o in data.orders.values() if o.currency}
    if len(currencies) > 1:
        problems.append(_("Shipment {shipment} ships orders in {currencies}: a commercial invoice has one currency. "
                          "Ship the orders separately.").format(shipment=shipment.shipment_nbr,
                                                                 currencies=format_list(sorted(currencies),
                                                                                        locale=current_locale())))
    if not currencies:
        problems.append(_("The sales order of shipment {shipment} has no currency: set its Currency in "
                          "Acumatica.").format(shipment=shipment.shipment_nbr))
    if problems:
        return problems
    order = next(iter(data.orders.values()), None)
    form = InvoiceForm(
        form_type=INVOICE, products=tuple(products), currency=currencies.pop(), invoice_number=shipment.shipment_nbr,
        invoice_date=today, reason_for_export=config.reason_for_export, terms_of_shipment=config.terms_of_sale,
        purchase_order=order.customer_order if order else "", declaration=config.declaration, sold_to=buyer)
    return CustomsInvoice(form)


def _product(line: ShipmentLine, data: CustomsData, config: InternationalConfig, shipment: Shipment,
             problems: list[str]) -> InvoiceProduct | None:
    name = line.inventory_id or _("line {number}").format(number=line.line_nbr)
    where = _where(shipment)
    before = len(problems)
    item = data.items.get(line.inventory_id.upper())
    if item is None:
        problems.append(_("Item {item} is not a stock item in Acumatica, so shipdesk cannot read its tariff code and "
                          "origin: ship a stock item, or take the line off shipment {shipment} in Acumatica.").format(
            item=name, shipment=where))
        return None
    hs_code = re.sub(r"[^A-Za-z0-9]", "", field_value(item, config.tariff_code_field))
    origin = field_value(item, config.origin_field).upper()
    if not hs_code:
        problems.append(_("Item {item} has no tariff (HS) code: fill in {field} in Acumatica.").format(
            item=name, field=f"Stock Items › {name} › {field_place(config.tariff_code_field)}"))
    elif not _TARIFF.fullmatch(hs_code):
        problems.append(_("Item {item} has the tariff code '{code}', which is not 6 to 15 letters and digits: "
                          "correct {field} in Acumatica.").format(
            item=name, code=hs_code, field=f"Stock Items › {name} › {field_place(config.tariff_code_field)}"))
    if not origin:
        problems.append(_("Item {item} has no country of origin: fill in {field} in Acumatica.").format(
            item=name, field=f"Stock Items › {name} › {field_place(config.origin_field)}"))
    elif not _COUNTRY.fullmatch(origin):
        problems.append(_("Item {item} has the country of origin '{origin}', which is not a 2-letter country code: "
                          "correct {field} in Acumatica.").format(
            item=name, origin=origin, field=f"Stock Items › {name} › {field_place(config.origin_field)}"))
    quantity = line.shipped_qty if line.shipped_qty is not None else Decimal(0)
    if quantity != quantity.to_integral_value() or quantity <= 0:
        problems.append(_("Item {item} ships {quantity} {unit}: UPS's invoice takes whole quantities; ship it in a "
                          "unit that counts whole (Details › UOM) on shipment {shipment} in Acumatica.").format(
            item=name, quantity=number(quantity), unit=line.uom, shipment=where))
    value = _unit_value(line, data.orders.get((line.order_type, line.order_nbr)))
    if value is None or value <= 0:
        problems.append(_("Item {item} has no price on sales order {order}: UPS's invoice needs a value above zero "
                          "for each item; fill in its Unit Price on the order in Acumatica.").format(
            item=name, order=f"{line.order_type} {line.order_nbr}"))
    if len(problems) > before or value is None:
        return None
    code, other = unit_code(line.uom)
    return InvoiceProduct(description=line.description or item.description or name, quantity=int(quantity),
                          unit=code, unit_description=other, unit_value=value, part_number=line.inventory_id,
                          commodity_code=hs_code, origin_country=origin)


def paperless_for(config: InternationalConfig, destination: str) -> bool:
    """Paperless trade is used for this destination (the account has it, the country takes it)."""
    excluded = {c.strip().upper() for c in config.paperless_exclude}
    return config.paperless and destination.strip().upper() not in excluded


def request_form(invoice: CustomsInvoice, config: InternationalConfig, destination: str,
                 document_ids: Sequence[str] = ()) -> InvoiceForm | None:
    """What the Ship request carries: UPS's invoice, the uploaded shipdesk invoice, or nothing."""
    if invoice.form is None:
        return None
    paperless = paperless_for(config, destination)
    if config.invoice is InvoiceSource.UPS:
        # a paperless account gets no copy back unless it asks: the copy is archived (and never printed)
        return replace(invoice.form, override_paperless=paperless)
    if paperless and document_ids:
        return replace(invoice.form, form_type=USER_CREATED_FORM, document_ids=tuple(document_ids))
    return None


def prints_invoice(config: InternationalConfig, destination: str) -> bool:
    """Invoices go on paper when paperless trade is not used for the destination."""
    return config.invoice_copies > 0 and not paperless_for(config, destination)
