"""What a commercial invoice needs from Acumatica: the shipment's lines, the orders' prices and currency,
and each item's tariff (HS) code and country of origin.

Read only for shipments that cross a border, so a domestic label costs no extra call:
- ``GET /Shipment/{nbr}?$expand=Details`` (the lines: item, description, quantity, unit);
- ``GET /SalesOrder/{type}/{nbr}?$expand=Details`` per order (unit prices, ``CurrencyID``, the customer's PO);
- ``GET /StockItem?$filter=InventoryID eq '…' or …&$expand=Attributes,CrossReferences`` once for all items
  (``TariffCode`` and ``CountryOfOrigin`` are StockItem fields in every Default version shipdesk supports;
  sites that keep them in attributes or cross-references are read from those detail rows instead).
"""

from __future__ import annotations

from collections.abc import Iterable

from shipdesk.acumatica import query
from shipdesk.acumatica.models import PricedOrder, ShipmentLine, StockItem
from shipdesk.acumatica.parse import priced_order_from_json, shipment_lines_from_json, stock_item_from_json
from shipdesk.acumatica.session import AcumaticaSession, key_path
from shipdesk.errors import OptimizationFailed
from shipdesk.i18n import _

ITEM_EXPAND = ("Attributes", "CrossReferences")
#: items asked for in one $filter (Acumatica's URL length stays far from IIS's limit)
ITEMS_PER_QUERY = 25


def shipment_lines(session: AcumaticaSession, shipment_nbr: str) -> tuple[ShipmentLine, ...]:
    response = session.call("GET", session.url(f"/Shipment/{key_path([shipment_nbr])}"),
                            params={"$expand": "Details"}, doing=_("read the lines of shipment {shipment}").format(
                                shipment=shipment_nbr))
    return shipment_lines_from_json(response.json())


def priced_order(session: AcumaticaSession, order_type: str, order_nbr: str) -> PricedOrder:
    response = session.call("GET", session.url(f"/SalesOrder/{key_path([order_type, order_nbr])}"),
                            params={"$expand": "Details"}, doing=_("read the prices of sales order {order}").format(
                                order=f"{order_type} {order_nbr}"))
    return priced_order_from_json(response.json())


def stock_items(session: AcumaticaSession, inventory_ids: Iterable[str]) -> dict[str, StockItem]:
    """The stock items by their (trimmed, upper-case) InventoryID; an ID Acumatica does not know is missing."""
    wanted = sorted({i.strip() for i in inventory_ids if i.strip()})
    found: dict[str, StockItem] = {}
    for start in range(0, len(wanted), ITEMS_PER_QUERY):
        batch = wanted[start:start + ITEMS_PER_QUERY]
        params: dict[str, str | int] = {"$filter": query.any_of("InventoryID", batch),
                                        "$expand": query.field_list(ITEM_EXPAND)}
        try:
            rows = session.list_records("/StockItem", params, None, doing=_("read the stock items being shipped"))
        except OptimizationFailed:  # the expanded list cannot run: read each item by key
            rows = [session.call("GET", session.url(f"/StockItem/{key_path([item])}"),
                                 params={"$expand": query.field_list(ITEM_EXPAND)},
                                 doing=_("read stock item {item}").format(item=item)).json() for item in batch]
        for row in rows:
            item = stock_item_from_json(row)
            found[item.inventory_id.upper()] = item
    return found
