"""What the sandbox remembers about each shipment it labelled (for void, recovery, tracking)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from shipdesk.sandbox.ups.labels import LabelContent
from shipdesk.sandbox.ups.rating import Service


@dataclass(frozen=True)
class Place:
    city: str
    state: str
    postal_code: str
    country: str

    @classmethod
    def from_address(cls, address: dict[str, Any]) -> Place:
        return cls(str(address.get("City", "")).upper(), str(address.get("StateProvinceCode", "")).upper(),
                   str(address.get("PostalCode", "")), str(address.get("CountryCode", "")).upper())


@dataclass
class PackageRecord:
    tracking_number: str
    index: int  # 1-based
    weight_lbs: float
    references: list[str]
    label: LabelContent
    label_format: str
    voided_at: datetime | None = None
    exception_at: datetime | None = None


@dataclass
class ShipmentRecord:
    identification_number: str
    account: str
    service: Service
    created_at: datetime
    origin: Place
    destination: Place
    ship_to_name: str
    ship_to_attention: str
    residential: bool
    references: list[str]  # shipment-level
    packages: list[PackageRecord] = field(default_factory=list)
    trans_id: str | None = None  # the client's transId header: which job asked for this label
    return_service: str = ""  # "8" electronic return label (emailed, no label in the answer), "9" print
    label_email: str = ""  # where an electronic return label was sent
    form_group_id: str = ""  # the international forms UPS filed for the shipment
