"""Wire JSON of the Default endpoint → the typed records in :mod:`shipdesk.acumatica.models`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shipdesk.acumatica.errors import unreadable
from shipdesk.acumatica.models import (
    Address,
    Contact,
    CrossReference,
    FileRef,
    ItemAttribute,
    OrderLink,
    Package,
    PricedOrder,
    SalesOrder,
    SalesOrderLine,
    Shipment,
    ShipmentLine,
    StockItem,
)
from shipdesk.acumatica.values import (
    get_bool,
    get_date,
    get_datetime,
    get_decimal,
    get_int,
    get_str,
    raw,
    unwrap_custom,
)
from shipdesk.i18n import _


def _rows(entity: Mapping[str, Any], name: str) -> list[Mapping[str, Any]]:
    rows = entity.get(name)
    return [row for row in rows if isinstance(row, Mapping)] if isinstance(rows, list) else []


def _sub(entity: Mapping[str, Any] | None, name: str) -> Mapping[str, Any]:
    value = entity.get(name) if entity else None
    return value if isinstance(value, Mapping) else {}


def note_of(entity: Mapping[str, Any]) -> str:
    """``note`` is a value object in current versions; very old ones sent a bare string."""
    value = raw(entity, "note")
    return value if isinstance(value, str) else ""


def address_from_json(node: Mapping[str, Any]) -> Address:
    return Address(
        line1=get_str(node, "AddressLine1"),
        line2=get_str(node, "AddressLine2"),
        city=get_str(node, "City"),
        state=get_str(node, "State"),
        postal_code=get_str(node, "PostalCode"),
        country=get_str(node, "Country"),
        validated=get_bool(node, "Validated"),
    )


def contact_from_json(node: Mapping[str, Any]) -> Contact:
    return Contact(
        attention=get_str(node, "Attention"),
        business_name=get_str(node, "BusinessName"),
        email=get_str(node, "Email"),
        phone=get_str(node, "Phone1"),
    )


def package_from_json(row: Mapping[str, Any]) -> Package:
    return Package(
        id=str(row.get("id") or ""),
        line_nbr=get_int(row, "LineNbr"),
        box_id=get_str(row, "BoxID"),
        type=get_str(row, "Type"),
        weight=get_decimal(row, "Weight"),
        uom=get_str(row, "UOM"),
        length=get_decimal(row, "Length"),
        width=get_decimal(row, "Width"),
        height=get_decimal(row, "Height"),
        declared_value=get_decimal(row, "DeclaredValue"),
        tracking_nbr=get_str(row, "TrackingNbr"),
        description=get_str(row, "Description"),
        confirmed=bool(get_bool(row, "Confirmed")),
    )


def order_link_from_json(row: Mapping[str, Any]) -> OrderLink:
    return OrderLink(
        order_type=get_str(row, "OrderType"),
        order_nbr=get_str(row, "OrderNbr"),
        invoice_nbr=get_str(row, "InvoiceNbr"),
    )


def files_from_json(entity: Mapping[str, Any]) -> tuple[FileRef, ...]:
    return tuple(
        FileRef(id=str(f.get("id") or ""), filename=str(f.get("filename") or ""),
                href=str(f.get("href") or ""))
        for f in _rows(entity, "files")
    )


def _record(entity: Any, what: str) -> Mapping[str, Any]:
    """``entity`` when it is a JSON object; else the sentence for a record Acumatica sent in another shape."""
    if not isinstance(entity, Mapping):
        raise unreadable(what, f"a {type(entity).__name__} where the record belongs")
    return entity


def shipment_from_json(entity: Any) -> Shipment:
    entity = _record(entity, _("a shipment"))
    settings = _sub(entity, "ShippingSettings")
    return Shipment(
        id=str(entity.get("id") or ""),
        shipment_nbr=get_str(entity, "ShipmentNbr"),
        type=get_str(entity, "Type"),
        status=get_str(entity, "Status"),
        operation=get_str(entity, "Operation"),
        customer_id=get_str(entity, "CustomerID"),
        ship_via=get_str(entity, "ShipVia"),
        shipment_date=get_date(entity, "ShipmentDate"),
        warehouse_id=get_str(entity, "WarehouseID"),
        package_count=get_int(entity, "PackageCount"),
        package_weight=get_decimal(entity, "PackageWeight"),
        residential=get_bool(entity, "ResidentialDelivery"),
        freight_cost=get_decimal(entity, "FreightCost"),
        last_modified=get_datetime(entity, "LastModifiedDateTime"),
        ship_to_address=address_from_json(_sub(settings, "ShipToAddress")),
        ship_to_contact=contact_from_json(_sub(settings, "ShipToContact")),
        packages=tuple(package_from_json(row) for row in _rows(entity, "Packages")),
        orders=tuple(order_link_from_json(row) for row in _rows(entity, "Orders")),
        note=note_of(entity),
        custom=unwrap_custom(entity.get("custom")),
        files=files_from_json(entity),
    )


def sales_order_from_json(entity: Any) -> SalesOrder:
    entity = _record(entity, _("a sales order"))
    # SalesOrder names its timestamp LastModified (Shipment: LastModifiedDateTime)
    return SalesOrder(
        id=str(entity.get("id") or ""),
        order_type=get_str(entity, "OrderType"),
        order_nbr=get_str(entity, "OrderNbr"),
        status=get_str(entity, "Status"),
        customer_id=get_str(entity, "CustomerID"),
        customer_order=get_str(entity, "CustomerOrder"),
        note=note_of(entity),
        last_modified=get_datetime(entity, "LastModified"),
        custom=unwrap_custom(entity.get("custom")),
    )


# -- what a commercial invoice needs -------------------------------------------------------------------
def shipment_lines_from_json(entity: Mapping[str, Any]) -> tuple[ShipmentLine, ...]:
    return tuple(ShipmentLine(
        line_nbr=get_int(row, "LineNbr"),
        inventory_id=get_str(row, "InventoryID").strip(),
        description=get_str(row, "Description"),
        shipped_qty=get_decimal(row, "ShippedQty"),
        uom=get_str(row, "UOM"),
        order_type=get_str(row, "OrderType"),
        order_nbr=get_str(row, "OrderNbr"),
        order_line_nbr=get_int(row, "OrderLineNbr"),
    ) for row in _rows(entity, "Details"))


def priced_order_from_json(entity: Mapping[str, Any]) -> PricedOrder:
    return PricedOrder(
        order_type=get_str(entity, "OrderType"),
        order_nbr=get_str(entity, "OrderNbr"),
        currency=get_str(entity, "CurrencyID").strip().upper(),
        customer_order=get_str(entity, "CustomerOrder"),
        lines=tuple(SalesOrderLine(
            line_nbr=get_int(row, "LineNbr"),
            inventory_id=get_str(row, "InventoryID").strip(),
            description=get_str(row, "LineDescription"),
            quantity=get_decimal(row, "OrderQty"),
            uom=get_str(row, "UOM"),
            unit_price=get_decimal(row, "UnitPrice"),
            amount=get_decimal(row, "Amount"),
        ) for row in _rows(entity, "Details")),
    )


def stock_item_from_json(entity: Mapping[str, Any]) -> StockItem:
    return StockItem(
        inventory_id=get_str(entity, "InventoryID").strip(),
        description=get_str(entity, "Description"),
        tariff_code=get_str(entity, "TariffCode").strip(),
        country_of_origin=get_str(entity, "CountryOfOrigin").strip().upper(),
        attributes=tuple(ItemAttribute(
            attribute_id=get_str(row, "AttributeID").strip(),
            description=get_str(row, "AttributeDescription").strip(),
            value=get_str(row, "Value").strip(),
        ) for row in _rows(entity, "Attributes")),
        cross_references=tuple(CrossReference(
            alternate_type=get_str(row, "AlternateType").strip(),
            alternate_id=get_str(row, "AlternateID").strip(),
            description=get_str(row, "Description").strip(),
        ) for row in _rows(entity, "CrossReferences")),
    )
