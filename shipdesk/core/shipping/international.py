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

from shipdesk.acumatica.client import AcumaticaClient
from shipdesk.acumatica.models import PricedOrder, Shipment, ShipmentLine, StockItem
from shipdesk.core.settings.config import InternationalConfig, InvoiceSource
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
    return f"on shipment {shipment.shipment_nbr} in Acumatica."


def field_value(item: StockItem, source: str) -> str:
    """The item's value from ``source``: ``TariffCode``, ``CountryOfOrigin``, ``attribute:ID`` or
    ``crossref:TYPE`` (``crossref:TYPE/DESCRIPTION``); "" when the item has none."""
    kind, _, name = source.partition(":")
    if not name:
        return {"TariffCode": item.tariff_code, "CountryOfOrigin": item.country_of_origin}.get(kind, "").strip()
    if kind == "attribute":
        wanted = name.strip().upper()  # some versions show the attribute's description where the ID is
        found = next((a for a in item.attributes if wanted in (a.attribute_id.upper(), a.description.upper())), None)
        return found.value.strip() if found else ""
    alternate, _, description = name.partition("/")
    for reference in item.cross_references:
        if reference.alternate_type.strip().upper() != alternate.strip().upper():
            continue
        if description and reference.description.strip().upper() != description.strip().upper():
            continue
        return reference.alternate_id.strip()
    return ""


def field_place(source: str) -> str:
    """Where a person fills the value in, for the needs-attention sentence."""
    kind, _, name = source.partition(":")
    if not name:
        return {"TariffCode": "Tariff Code", "CountryOfOrigin": "Country of Origin"}.get(kind, kind)
    if kind == "attribute":
        return f"Attributes › {name}"
    alternate, _, description = name.partition("/")
    return f"Cross-Reference of type {alternate}" + (f" described {description}" if description else "")


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
        return [f"Shipment {shipment.shipment_nbr} has no lines, so there is nothing to put on its commercial "
                f"invoice: add the goods on the Details tab {where}"]
    documents = {d.strip().upper() for d in config.document_items if d.strip()}
    if documents and all(line.inventory_id.upper() in documents for line in shipped):
        return CustomsInvoice(None, documents_only=True)
    problems: list[str] = []
    products = [p for p in (_product(line, data, config, shipment, problems) for line in shipped) if p is not None]
    currencies = {o.currency for o in data.orders.values() if o.currency}
    if len(currencies) > 1:
        problems.append(f"Shipment {shipment.shipment_nbr} ships orders in {' and '.join(sorted(currencies))}: a "
                        "commercial invoice has one currency. Ship the orders separately.")
    if not currencies:
        problems.append(f"The sales order of shipment {shipment.shipment_nbr} has no currency: set its Currency in "
                        "Acumatica.")
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
    name = line.inventory_id or f"line {line.line_nbr}"
    where = _where(shipment)
    before = len(problems)
    item = data.items.get(line.inventory_id.upper())
    if item is None:
        problems.append(f"Item {name} is not a stock item in Acumatica, so shipdesk cannot read its tariff code and "
                        f"origin: ship a stock item, or take the line off {where[3:]}")
        return None
    hs_code = re.sub(r"[^A-Za-z0-9]", "", field_value(item, config.tariff_code_field))
    origin = field_value(item, config.origin_field).upper()
    if not hs_code:
        problems.append(f"Item {name} has no tariff (HS) code: fill in Stock Items › {name} › "
                        f"{field_place(config.tariff_code_field)} in Acumatica.")
    elif not _TARIFF.fullmatch(hs_code):
        problems.append(f"Item {name} has the tariff code '{hs_code}', which is not 6 to 15 letters and digits: "
                        f"correct Stock Items › {name} › {field_place(config.tariff_code_field)} in Acumatica.")
    if not origin:
        problems.append(f"Item {name} has no country of origin: fill in Stock Items › {name} › "
                        f"{field_place(config.origin_field)} in Acumatica.")
    elif not _COUNTRY.fullmatch(origin):
        problems.append(f"Item {name} has the country of origin '{origin}', which is not a 2-letter country code: "
                        f"correct Stock Items › {name} › {field_place(config.origin_field)} in Acumatica.")
    quantity = line.shipped_qty if line.shipped_qty is not None else Decimal(0)
    if quantity != quantity.to_integral_value() or quantity <= 0:
        problems.append(f"Item {name} ships {quantity:f} {line.uom}: UPS's invoice takes whole quantities; ship it in "
                        f"a unit that counts whole (Details › UOM) {where}")
    value = _unit_value(line, data.orders.get((line.order_type, line.order_nbr)))
    if value is None or value <= 0:
        problems.append(f"Item {name} has no price on sales order {line.order_type} {line.order_nbr}: UPS's invoice "
                        "needs a value above zero for each item; fill in its Unit Price on the order in Acumatica.")
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
