"""Small builders for Acumatica shipments used by the flow tests (plain data, no I/O)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from shipdesk.acumatica.models import Address, Contact, OrderLink, Package, Shipment
from shipdesk.core.shipping.mapping import MappingSettings, settings_from_config
from shipdesk.demo.settings import demo_config


def package(weight: str | None = "5", uom: str = "LB", **kw: Any) -> Package:
    return Package(id=kw.pop("id", "pkg-1"), weight=None if weight is None else Decimal(weight), uom=uom, **kw)


def shipment(**kw: Any) -> Shipment:
    base = Shipment(
        id="guid-1",
        shipment_nbr="SH000123",
        status="Open",
        ship_via="UPSGROUND",
        ship_to_address=Address(line1="350 5th Ave", city="New York", state="NY", postal_code="10118",
                                country="US"),
        ship_to_contact=Contact(attention="Receiving", business_name="Empire Supplies Inc",
                                phone="2125550199", email="dock@empire.example"),
        packages=(package(),),
        orders=(OrderLink("SO", "SO000456"),),
    )
    return replace(base, **kw)


def address(**kw: Any) -> Address:
    return replace(shipment().ship_to_address, **kw)


def contact(**kw: Any) -> Contact:
    return replace(shipment().ship_to_contact, **kw)


def settings(**kw: Any) -> MappingSettings:
    base = settings_from_config(demo_config("http://127.0.0.1:1/AcumaticaERP", "http://127.0.0.1:2"))
    return replace(base, **kw)
