"""What the seeded day's boxes hold: stock items, shipment lines, order lines with prices and currency.

Plain data like ``seed.py``. Every item carries its tariff (HS) code and country of origin three ways —
the StockItem fields ``TariffCode``/``CountryOfOrigin``, the attributes ``HSCODE``/``ORIGIN``, and a
cross-reference of type ``Global`` (described ``HS``) — so each source shipdesk can be set to read has
data. ``SAMPLEKIT`` has neither anywhere: it ships only inside the US, where no invoice is needed.

GOODS_NOTES — what the international shipments carry (order currency is the order's, not the destination's):

========  ========  =============================================================
SH000106  CAD       Toronto: bolts by the box (BOX) and brass valves
SH000107  EUR       Stuttgart: digital gauges and PTFE tape
SH000108  GBP       Reading: drill bits
SH000109  USD       Monterrey: work gloves by the pair (PR) and bolts (a Mexican buyer paying in dollars)
========  ========  =============================================================
"""

from __future__ import annotations

import uuid
import zlib
from typing import Any

SEED_NAMESPACE = uuid.UUID("0b7e2f7e-5f43-4bd5-9d3e-2f51a7c0c6a1")

# (InventoryID, description, HS code, origin, base unit, list price in USD)
_ITEMS: list[tuple[str, str, str, str, str, float]] = [
    ("BOLTM8", "Hex bolt M8x40 zinc, box of 100", "731815", "DE", "BOX", 21.00),
    ("VALVEBR12", "Brass ball valve 1/2 in", "848180", "IT", "EA", 14.25),
    ("GAUGEDIG", "Digital pressure gauge 0-10 bar", "902620", "JP", "EA", 205.00),
    ("TAPEPTFE", "PTFE thread seal tape 12 mm", "391990", "CN", "EA", 2.30),
    ("DRILL10", "Cobalt drill bit 10 mm", "820750", "US", "EA", 7.40),
    ("GLOVENT", "Nitrile work gloves", "401519", "MY", "PR", 1.95),
    ("CABLETIE", "Cable ties 300 mm, bag of 100", "392690", "TW", "BG", 6.10),
    ("SAMPLEKIT", "Catalogue sample kit", "", "", "EA", 0.00),
]

# shipment → [(InventoryID, quantity, UOM, unit price in the order's currency)]; currency per shipment
_INTERNATIONAL: dict[str, tuple[str, list[tuple[str, float, str, float]]]] = {
    "SH000106": ("CAD", [("BOLTM8", 10, "BOX", 28.50), ("VALVEBR12", 20, "EA", 19.40)]),
    "SH000107": ("EUR", [("GAUGEDIG", 4, "EA", 189.00), ("TAPEPTFE", 50, "EA", 2.10)]),
    "SH000108": ("GBP", [("DRILL10", 25, "EA", 5.90)]),
    "SH000109": ("USD", [("GLOVENT", 120, "PR", 1.95), ("BOLTM8", 5, "BOX", 21.00)]),
}
_DOMESTIC_CYCLE = ("CABLETIE", "DRILL10", "VALVEBR12", "SAMPLEKIT", "TAPEPTFE")


def _seed_id(*parts: str) -> str:
    return str(uuid.uuid5(SEED_NAMESPACE, "/".join(parts)))


def _item(inventory_id: str) -> tuple[str, str, str, str, str, float]:
    return next(i for i in _ITEMS if i[0] == inventory_id)


def order_lines_of(shipment_nbr: str, index: int) -> tuple[str, list[tuple[str, float, str, float]]]:
    """(currency, [(item, quantity, UOM, unit price)]) for the shipment's (first) order."""
    if shipment_nbr in _INTERNATIONAL:
        return _INTERNATIONAL[shipment_nbr]
    item = _item(_DOMESTIC_CYCLE[index % len(_DOMESTIC_CYCLE)])
    return "USD", [(item[0], float(2 + index % 4), item[4], item[5])]


def shipment_details(shipment_nbr: str, order_type: str, order_nbr: str, index: int) -> list[dict[str, Any]]:
    """The shipment's ``Details`` rows: one per order line, everything ordered is shipped."""
    _currency, lines = order_lines_of(shipment_nbr, index)
    return [{"id": _seed_id("Shipment", shipment_nbr, "Details", str(n)), "LineNbr": n, "InventoryID": item,
             "Description": _item(item)[1], "ShippedQty": qty, "OrderedQty": qty, "UOM": uom,
             "OrderType": order_type, "OrderNbr": order_nbr, "OrderLineNbr": n, "WarehouseID": "WHOLESALE"}
            for n, (item, qty, uom, _price) in enumerate(lines, start=1)]


def order_details(shipment_nbr: str, order_nbr: str, index: int) -> tuple[str, list[dict[str, Any]]]:
    """(CurrencyID, the order's ``Details`` rows with prices)."""
    currency, lines = order_lines_of(shipment_nbr, index)
    rows = [{"id": _seed_id("SalesOrder", order_nbr, "Details", str(n)), "LineNbr": n, "InventoryID": item,
             "LineDescription": _item(item)[1], "OrderQty": qty, "UOM": uom, "UnitPrice": price,
             "Amount": round(qty * price, 2), "ExtendedPrice": round(qty * price, 2), "DiscountAmount": 0.0,
             "LineType": "Goods for IN"}
            for n, (item, qty, uom, price) in enumerate(lines, start=1)]
    return currency, rows


def seed_stock_items() -> list[dict[str, Any]]:
    items = []
    for inventory_id, description, hs_code, origin, unit, price in _ITEMS:
        attributes = [{"id": _seed_id("StockItem", inventory_id, "Attributes", a), "AttributeID": a,
                       "AttributeDescription": label, "Value": value, "Required": False, "IsActive": True}
                      for a, label, value in (("HSCODE", "HS tariff code", hs_code),
                                              ("ORIGIN", "Country of origin", origin)) if value]
        references = [{"id": _seed_id("StockItem", inventory_id, "CrossReferences", "EAN"),
                       "AlternateType": "Barcode", "AlternateID": f"400{zlib.crc32(inventory_id.encode()) % 10**9:09d}",
                       "Description": "EAN"}]
        if hs_code:
            references.insert(0, {"id": _seed_id("StockItem", inventory_id, "CrossReferences", "HS"),
                                  "AlternateType": "Global", "AlternateID": hs_code, "Description": "HS"})
        items.append({"id": _seed_id("StockItem", inventory_id), "InventoryID": inventory_id,
                      "Description": description, "ItemStatus": "Active", "ItemType": "Finished Good",
                      "BaseUOM": unit, "SalesUOM": unit, "DefaultPrice": price, "TariffCode": hs_code or None,
                      "CountryOfOrigin": origin or None, "Attributes": attributes,
                      "CrossReferences": references, "note": "", "custom": {}, "files": []})
    return items
