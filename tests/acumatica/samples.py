"""Wire JSON shaped like Acumatica's Default 24.200.001 answers (wrapped values, detail rows, links)."""

from __future__ import annotations

import copy
from typing import Any

SHIPMENT_ID = "9b1a3c6e-52c1-ef11-8a3f-000d3a4b5c6d"
ROOT_PATH = "/AcumaticaERP/entity/Default/24.200.001"
GRAPH = "PX.Objects.SO.SOShipmentEntry"
PACKAGE_IDS = ("1f0e2d3c-52c1-ef11-8a3f-000d3a4b5c01", "1f0e2d3c-52c1-ef11-8a3f-000d3a4b5c02")


def shipment_json(
    nbr: str = "000123", status: str = "Open", tracking: tuple[str, str] = ("", "")
) -> dict[str, Any]:
    return copy.deepcopy(
        {
            "id": SHIPMENT_ID,
            "rowNumber": 1,
            "note": {"value": "Leave at loading dock 3"},
            "ShipmentNbr": {"value": nbr},
            "Type": {"value": "Shipment"},
            "Status": {"value": status},
            "Operation": {"value": "Issue"},
            "CustomerID": {"value": "ABARTENDE"},
            "ShipVia": {"value": "UPSGROUND"},
            "ShipmentDate": {"value": "2026-11-24T00:00:00+00:00"},
            "WarehouseID": {"value": "WHOLESALE"},
            "PackageCount": {"value": 2},
            "PackageWeight": {"value": 12.5},
            "ResidentialDelivery": {"value": True},
            "FreightCost": {"value": 0.0},
            "LastModifiedDateTime": {"value": "2026-11-24T15:04:05.357+00:00"},
            "ShippingSettings": {
                "id": "6c7b8a90-52c1-ef11-8a3f-000d3a4b5c6d",
                "rowNumber": 1,
                "note": None,
                "ShipToAddress": {
                    "id": "7d8c9ba1-52c1-ef11-8a3f-000d3a4b5c6d",
                    "rowNumber": 1,
                    "note": None,
                    "AddressLine1": {"value": "1250 Rue Sainte-Catherine"},
                    "AddressLine2": {"value": "Suite 4"},
                    "City": {"value": "San Francisco"},
                    "State": {"value": "CA"},
                    "PostalCode": {"value": "94107"},
                    "Country": {"value": "US"},
                    "Validated": {"value": False},
                    "custom": {},
                },
                "ShipToContact": {
                    "id": "8e9dacb2-52c1-ef11-8a3f-000d3a4b5c6d",
                    "rowNumber": 1,
                    "note": None,
                    "Attention": {"value": "Zoë O'Brien"},
                    "BusinessName": {"value": "Alta Ace Bar"},
                    "Email": {"value": "zoe@example.com"},
                    "Phone1": {"value": "+1 (415) 555-0134"},
                    "custom": {},
                },
                "custom": {},
            },
            "Packages": [
                {
                    "id": PACKAGE_IDS[0],
                    "rowNumber": 1,
                    "note": {"value": ""},
                    "BoxID": {"value": "LARGE"},
                    "Confirmed": {"value": False},
                    "Description": {"value": "Glassware"},
                    "TrackingNbr": {"value": tracking[0]},
                    "Type": {"value": "Manual"},
                    "UOM": {"value": "LB"},
                    "Weight": {"value": 8.25},
                    "Length": {"value": 16},
                    "Width": {"value": 12},
                    "Height": {"value": 10},
                    "DeclaredValue": {"value": 150.1},
                    "LineNbr": {"value": 1},
                    "custom": {},
                },
                {
                    "id": PACKAGE_IDS[1],
                    "rowNumber": 2,
                    "note": {"value": ""},
                    "BoxID": {"value": "SMALL"},
                    "Confirmed": {"value": False},
                    "TrackingNbr": {"value": tracking[1]} if tracking[1] else {},
                    "Type": {"value": "Manual"},
                    "UOM": {"value": "LB"},
                    "Weight": {"value": 4.25},
                    "LineNbr": {"value": 2},
                    "custom": {},
                },
            ],
            "Orders": [
                {
                    "id": "a1b2c3d4-52c1-ef11-8a3f-000d3a4b5c6d",
                    "rowNumber": 1,
                    "note": None,
                    "OrderType": {"value": "SO"},
                    "OrderNbr": {"value": "SO004512"},
                    "ShipmentNbr": {"value": nbr},
                    "InvoiceNbr": {},
                    "custom": {},
                },
            ],
            "custom": {"Document": {"UsrUpsStatus": {"type": "CustomStringField", "value": "In transit"}}},
            "files": [
                {
                    "id": "b2c3d4e5-52c1-ef11-8a3f-000d3a4b5c6d",
                    "filename": f"Shipment ({nbr})\\Label #1Z999AA10123456784.zpl",
                    "href": f"{ROOT_PATH}/files/b2c3d4e5-52c1-ef11-8a3f-000d3a4b5c6d",
                },
            ],
            "_links": {
                "self": f"{ROOT_PATH}/Shipment/{SHIPMENT_ID}",
                "files:put": f"{ROOT_PATH}/files/{GRAPH}/Document/{SHIPMENT_ID}/{{filename}}",
            },
        }
    )


def sales_order_json(note: str = "") -> dict[str, Any]:
    return {
        "id": "c3d4e5f6-52c1-ef11-8a3f-000d3a4b5c6d",
        "rowNumber": 1,
        "note": {"value": note},
        "OrderType": {"value": "SO"},
        "OrderNbr": {"value": "SO004512"},
        "Status": {"value": "Open"},
        "CustomerID": {"value": "ABARTENDE"},
        "CustomerOrder": {"value": "PO-7781"},
        "LastModified": {"value": "2026-11-24T15:00:00+00:00"},
        "custom": {},
    }


def endpoints_json() -> dict[str, Any]:
    return {
        "version": {"acumaticaBuildVersion": "24.200.0123", "databaseVersion": "24.200.0123"},
        "endpoints": [
            {"name": "Default", "version": version, "href": f"/AcumaticaERP/entity/Default/{version}/"}
            for version in ("24.200.001", "22.200.001", "23.200.001")
        ]
        + [
            {
                "name": "eCommerce",
                "version": "23.200.001",
                "href": "/AcumaticaERP/entity/eCommerce/23.200.001/",
            }
        ],
    }
