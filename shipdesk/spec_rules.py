"""UPS's rules for a Ship request that the Shipping spec states in prose, where its JSON schema cannot.

One list for both sides: the tests' request validator (``specs.validate_ups_request``) applies it to every
Ship body a client builds, and the UPS sandbox refuses the same bodies with UPS's error shape and code
(``sandbox/ups/validation.py``). Each rule says where the spec states it and what UPS answers; where no
public capture shows UPS's code, the rule says the code is a guess (``settled=False``).

The rules (``resources/specs/ups/Shipping.yaml``, line numbers of the vendored file):

- ``ShipTo.AttentionName`` is required for Next Day Air Early (service ``14``) and whenever the ship-to
  country differs from the ship-from country (lines 5298-5306; ShipFrom defaults to the Shipper, 5548-5557),
  at most 35 characters; ``ShipTo.Phone.Number`` under the same condition (5354-5366).
- ``Shipper.AttentionName`` and ``Shipper.Phone.Number`` are required when the destination is international
  (5130-5138, 5197-5211).
- ``AddressLine`` of the Shipper, ShipTo and ShipFrom: at most 3 lines of 35 characters (5229-5239, 5384-5391,
  5655-5673). The schema puts ``maxLength: 35`` and ``maximum: 3`` on the *array*, where JSON Schema applies
  neither, so a schema validator checks none of it.
- ``City`` of the same parties: at most 30 characters (5240-5245, 5392-5398).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

NEXT_DAY_AIR_EARLY = "14"
NAME_MAX = 35
LINE_MAX = 35
MAX_LINES = 3
CITY_MAX = 30


@dataclass(frozen=True)
class ShipRule:
    """What UPS answers when the rule is broken (HTTP 400), and how sure we are of that answer."""

    code: str
    message: str
    evidence: str
    settled: bool = True


SHIP_TO_ATTENTION = ShipRule(
    "120201", "Missing or invalid ship to attention name",
    "OCA/delivery-carrier PR 1155, verified on UPS's CIE: missing, and longer than 35 characters")
SHIP_TO_PHONE = ShipRule(
    "120209", "Missing or invalid ShipTo PhoneNumber",
    "a shipping plug-in's table of UPS codes (docs/evidence/real-services.md 12.1)")
SHIP_TO_ADDRESS_LINE = ShipRule(
    "120202", "Missing or invalid ship to address line 1",
    "the same table; the only address-line code found, used here for every line and for a fourth line",
    settled=False)
SHIP_TO_CITY = ShipRule(
    "120203", "Missing or invalid ship to city", "no capture found: the code is a guess", settled=False)
SHIPPER_ATTENTION = ShipRule(
    "120115", "Missing or invalid shipper attention name",
    "an integrator's note gives the message without a code: the code is a guess", settled=False)
SHIPPER_PHONE = ShipRule(
    "120116", "Missing or invalid shipper phone number", "no capture found: the code is a guess", settled=False)
SHIPPER_ADDRESS = ShipRule(
    "120102", "Missing or invalid shipper address", "no capture found: the code is a guess", settled=False)
SHIP_FROM_ADDRESS = ShipRule(
    "120302", "Missing or invalid ship from address", "no capture found: the code is a guess", settled=False)

ADDRESS_RULES = {"Shipper": SHIPPER_ADDRESS, "ShipTo": SHIP_TO_ADDRESS_LINE, "ShipFrom": SHIP_FROM_ADDRESS}
CITY_RULES = {"Shipper": SHIPPER_ADDRESS, "ShipTo": SHIP_TO_CITY, "ShipFrom": SHIP_FROM_ADDRESS}


@dataclass(frozen=True)
class Violation:
    rule: ShipRule
    location: str  # e.g. ShipmentRequest/Shipment/ShipTo/AttentionName
    detail: str  # what is wrong, for a developer

    def __str__(self) -> str:
        return f"{self.location}: {self.detail} (UPS {self.rule.code} {self.rule.message})"


def _obj(node: Any, key: str) -> dict[str, Any]:
    value = node.get(key) if isinstance(node, dict) else None
    return value if isinstance(value, dict) else {}


def _text(node: Any, key: str) -> str:
    value = node.get(key) if isinstance(node, dict) else None
    return value.strip() if isinstance(value, str) else ""


def _lines(address: dict[str, Any]) -> list[Any]:
    lines = address.get("AddressLine")
    if lines is None:
        return []
    return lines if isinstance(lines, list) else [lines]  # UPS takes one string for a list of one


def _country(party: dict[str, Any]) -> str:
    return _text(_obj(party, "Address"), "CountryCode").upper()


def ship_violations(body: Any) -> list[Violation]:
    """Every prose rule ``body`` (a ``{"ShipmentRequest": ...}`` document) breaks; [] for a body the schema
    already refuses for its shape."""
    shipment = _obj(_obj(body, "ShipmentRequest"), "Shipment")
    if not shipment:
        return []
    return [*_contact_violations(shipment), *_address_violations(shipment)]


def _contact_violations(shipment: dict[str, Any]) -> Iterator[Violation]:
    where = "ShipmentRequest/Shipment"
    shipper, ship_to = _obj(shipment, "Shipper"), _obj(shipment, "ShipTo")
    origin = _country(_obj(shipment, "ShipFrom") or shipper)
    destination = _country(ship_to)
    cross_border = bool(origin and destination) and origin != destination
    early = _text(_obj(shipment, "Service"), "Code") == NEXT_DAY_AIR_EARLY
    attention = _text(ship_to, "AttentionName")
    if len(attention) > NAME_MAX:
        yield Violation(SHIP_TO_ATTENTION, f"{where}/ShipTo/AttentionName", f"longer than {NAME_MAX} characters")
    if cross_border or early:
        why = "the ship-to country differs from the ship-from country" if cross_border else "service 14"
        if not attention:
            yield Violation(SHIP_TO_ATTENTION, f"{where}/ShipTo/AttentionName", f"required: {why}")
        if not _text(_obj(ship_to, "Phone"), "Number"):
            yield Violation(SHIP_TO_PHONE, f"{where}/ShipTo/Phone/Number", f"required: {why}")
    if cross_border:
        if not _text(shipper, "AttentionName"):
            yield Violation(SHIPPER_ATTENTION, f"{where}/Shipper/AttentionName",
                            "required: the destination is international")
        if not _text(_obj(shipper, "Phone"), "Number"):
            yield Violation(SHIPPER_PHONE, f"{where}/Shipper/Phone/Number",
                            "required: the destination is international")


def _address_violations(shipment: dict[str, Any]) -> Iterator[Violation]:
    for party in ("Shipper", "ShipTo", "ShipFrom"):
        address = _obj(_obj(shipment, party), "Address")
        if not address:
            continue
        where = f"ShipmentRequest/Shipment/{party}/Address"
        lines = _lines(address)
        if len(lines) > MAX_LINES:
            yield Violation(ADDRESS_RULES[party], f"{where}/AddressLine", f"{len(lines)} lines (at most {MAX_LINES})")
        for index, line in enumerate(lines):
            if isinstance(line, str) and len(line) > LINE_MAX:
                yield Violation(ADDRESS_RULES[party], f"{where}/AddressLine/{index}",
                                f"{len(line)} characters (at most {LINE_MAX})")
        city = address.get("City")
        if isinstance(city, str) and len(city) > CITY_MAX:
            yield Violation(CITY_RULES[party], f"{where}/City", f"{len(city)} characters (at most {CITY_MAX})")


def is_ship_path(path: str) -> bool:
    """``/api/shipments/{version}/ship`` (the rules are for Ship requests only)."""
    parts = path.rstrip("/").split("/")
    return len(parts) == 5 and parts[:3] == ["", "api", "shipments"] and parts[4] == "ship"
