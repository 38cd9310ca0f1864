"""Typed views of the Acumatica records shipdesk reads. Built by ``acumatica.values``/``client``
from the wire JSON (value objects unwrapped); nothing else in shipdesk sees Acumatica's JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Address:
    line1: str = ""
    line2: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    country: str = ""
    validated: bool | None = None


@dataclass(frozen=True)
class Contact:
    attention: str = ""
    business_name: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Package:
    id: str  # row GUID: package rows are updated by id
    line_nbr: int | None = None
    box_id: str = ""
    type: str = ""
    weight: Decimal | None = None
    uom: str = ""  # weight unit as Acumatica names it ("LB", "KG")
    length: Decimal | None = None
    width: Decimal | None = None
    height: Decimal | None = None
    declared_value: Decimal | None = None
    tracking_nbr: str = ""
    description: str = ""
    confirmed: bool = False


@dataclass(frozen=True)
class OrderLink:
    order_type: str
    order_nbr: str
    invoice_nbr: str = ""


@dataclass(frozen=True)
class FileRef:
    id: str
    filename: str
    href: str = ""


@dataclass(frozen=True)
class Shipment:
    id: str  # record GUID
    shipment_nbr: str
    type: str = ""
    status: str = ""
    operation: str = ""
    customer_id: str = ""
    ship_via: str = ""
    shipment_date: date | None = None
    warehouse_id: str = ""
    package_count: int | None = None
    package_weight: Decimal | None = None
    residential: bool | None = None
    freight_cost: Decimal | None = None
    last_modified: datetime | None = None
    ship_to_address: Address = field(default_factory=Address)
    ship_to_contact: Contact = field(default_factory=Contact)
    packages: tuple[Package, ...] = ()
    orders: tuple[OrderLink, ...] = ()
    note: str = ""
    custom: dict[str, Any] = field(default_factory=dict)
    files: tuple[FileRef, ...] = ()

    @property
    def tracking_numbers(self) -> tuple[str, ...]:
        return tuple(p.tracking_nbr for p in self.packages if p.tracking_nbr)


@dataclass(frozen=True)
class SalesOrder:
    id: str
    order_type: str
    order_nbr: str
    status: str = ""
    customer_id: str = ""
    customer_order: str = ""  # the customer's PO number
    note: str = ""
    last_modified: datetime | None = None
    custom: dict[str, Any] = field(default_factory=dict)


# -- what a commercial invoice needs (read only for shipments that cross a border) --------------------
@dataclass(frozen=True)
class ShipmentLine:
    """A line of the shipment (``Details``): what is in the boxes."""

    line_nbr: int | None = None
    inventory_id: str = ""
    description: str = ""
    shipped_qty: Decimal | None = None
    uom: str = ""
    order_type: str = ""
    order_nbr: str = ""
    order_line_nbr: int | None = None


@dataclass(frozen=True)
class SalesOrderLine:
    """A line of the sales order (``Details``): what the customer pays for it."""

    line_nbr: int | None = None
    inventory_id: str = ""
    description: str = ""
    quantity: Decimal | None = None
    uom: str = ""
    unit_price: Decimal | None = None
    amount: Decimal | None = None  # the line total after discounts


@dataclass(frozen=True)
class PricedOrder:
    """A sales order with its lines and currency (``SalesOrder`` read with ``$expand=Details``)."""

    order_type: str
    order_nbr: str
    currency: str = ""
    customer_order: str = ""  # the customer's PO number
    lines: tuple[SalesOrderLine, ...] = ()


@dataclass(frozen=True)
class ItemAttribute:
    attribute_id: str
    description: str = ""  # some versions show the attribute's description where the ID is expected
    value: str = ""


@dataclass(frozen=True)
class CrossReference:
    alternate_type: str
    alternate_id: str
    description: str = ""


@dataclass(frozen=True)
class StockItem:
    inventory_id: str
    description: str = ""
    tariff_code: str = ""  # StockItem.TariffCode
    country_of_origin: str = ""  # StockItem.CountryOfOrigin
    attributes: tuple[ItemAttribute, ...] = ()
    cross_references: tuple[CrossReference, ...] = ()

