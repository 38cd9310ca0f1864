"""Small builders for store tests."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from shipdesk.acumatica.models import Address, Contact, OrderLink, Package, Shipment
from shipdesk.ups.models import LabelImage, Money, PackageResult, ShipResult


def shipment(nbr: str = "000123", packages: int = 2, **overrides: object) -> Shipment:
    values: dict[str, object] = {
        "id": f"guid-{nbr}", "shipment_nbr": nbr, "status": "Open", "customer_id": "C100",
        "ship_via": "UPSGROUND", "last_modified": datetime(2026, 11, 25, 10, 0, tzinfo=UTC),
        "ship_to_address": Address("1 Peachtree St", "", "Atlanta", "GA", "30303", "US"),
        "ship_to_contact": Contact("Jane Roe", "Müller & Söhne GmbH", "jane@example.com", "4045550199"),
        "packages": tuple(Package(id=f"pkg-{nbr}-{i}", line_nbr=i, weight=Decimal("5.5"), uom="LB")
                          for i in range(1, packages + 1)),
        "orders": (OrderLink("SO", f"SO{nbr}"),),
    }
    values.update(overrides)
    return Shipment(**values)  # type: ignore[arg-type]


def ship_result(*tracking: str) -> ShipResult:
    return ShipResult(
        shipment_id="1ZSHIPMENTID",
        packages=tuple(PackageResult(t, LabelImage("GIF", b"GIF89a")) for t in tracking),
        total_charges=Money(Decimal("21.40"), "USD"),
        negotiated_charges=Money(Decimal("15.10"), "USD"),
    )
