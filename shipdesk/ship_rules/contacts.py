"""Contacts and addresses: the Ship request rules the Shipping spec states in prose, where its JSON schema cannot.

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
from typing import Any

from shipdesk.ship_rules.rule import WHERE, Rule, Violation, country, items, obj, text

NEXT_DAY_AIR_EARLY = "14"
NAME_MAX = 35
LINE_MAX = 35
MAX_LINES = 3
CITY_MAX = 30


SHIP_TO_ATTENTION = Rule(
    "120201", "Missing or invalid ship to attention name",
    "OCA/delivery-carrier PR 1155, verified on UPS's CIE: missing, and longer than 35 characters")
SHIP_TO_PHONE = Rule(
    "120209", "Missing or invalid ShipTo PhoneNumber",
    "a shipping plug-in's table of UPS codes (docs/evidence/real-services.md 12.1)")
SHIP_TO_ADDRESS_LINE = Rule(
    "120202", "Missing or invalid ship to address line 1",
    "the same table; the only address-line code found, used here for every line and for a fourth line",
    settled=False)
SHIP_TO_CITY = Rule(
    "120203", "Missing or invalid ship to city", "no capture found: the code is a guess", settled=False)
SHIPPER_ATTENTION = Rule(
    "120115", "Missing or invalid shipper attention name",
    "an integrator's note gives the message without a code: the code is a guess", settled=False)
SHIPPER_PHONE = Rule(
    "120116", "Missing or invalid shipper phone number", "no capture found: the code is a guess", settled=False)
SHIPPER_ADDRESS = Rule(
    "120102", "Missing or invalid shipper address", "no capture found: the code is a guess", settled=False)
SHIP_FROM_ADDRESS = Rule(
    "120302", "Missing or invalid ship from address", "no capture found: the code is a guess", settled=False)

ADDRESS_RULES = {"Shipper": SHIPPER_ADDRESS, "ShipTo": SHIP_TO_ADDRESS_LINE, "ShipFrom": SHIP_FROM_ADDRESS}
CITY_RULES = {"Shipper": SHIPPER_ADDRESS, "ShipTo": SHIP_TO_CITY, "ShipFrom": SHIP_FROM_ADDRESS}


def violations(body: Any) -> list[Violation]:
    """Every prose rule ``body`` (a ``{"ShipmentRequest": ...}`` document) breaks; [] for a body the schema
    already refuses for its shape."""
    shipment = obj(obj(body, "ShipmentRequest"), "Shipment")
    if not shipment:
        return []
    return [*_contact_violations(shipment), *_address_violations(shipment)]


def _contact_violations(shipment: dict[str, Any]) -> Iterator[Violation]:
    where = WHERE
    shipper, ship_to = obj(shipment, "Shipper"), obj(shipment, "ShipTo")
    origin = country(obj(shipment, "ShipFrom") or shipper)
    destination = country(ship_to)
    cross_border = bool(origin and destination) and origin != destination
    early = text(obj(shipment, "Service"), "Code") == NEXT_DAY_AIR_EARLY
    attention = text(ship_to, "AttentionName")
    if len(attention) > NAME_MAX:
        yield Violation(SHIP_TO_ATTENTION, f"{where}/ShipTo/AttentionName", f"longer than {NAME_MAX} characters")
    if cross_border or early:
        why = "the ship-to country differs from the ship-from country" if cross_border else "service 14"
        if not attention:
            yield Violation(SHIP_TO_ATTENTION, f"{where}/ShipTo/AttentionName", f"required: {why}")
        if not text(obj(ship_to, "Phone"), "Number"):
            yield Violation(SHIP_TO_PHONE, f"{where}/ShipTo/Phone/Number", f"required: {why}")
    if cross_border:
        if not text(shipper, "AttentionName"):
            yield Violation(SHIPPER_ATTENTION, f"{where}/Shipper/AttentionName",
                            "required: the destination is international")
        if not text(obj(shipper, "Phone"), "Number"):
            yield Violation(SHIPPER_PHONE, f"{where}/Shipper/Phone/Number",
                            "required: the destination is international")


def _address_violations(shipment: dict[str, Any]) -> Iterator[Violation]:
    for party in ("Shipper", "ShipTo", "ShipFrom"):
        address = obj(obj(shipment, party), "Address")
        if not address:
            continue
        where = f"ShipmentRequest/Shipment/{party}/Address"
        lines = items(address, "AddressLine")
        if len(lines) > MAX_LINES:
            yield Violation(ADDRESS_RULES[party], f"{where}/AddressLine", f"{len(lines)} lines (at most {MAX_LINES})")
        for index, line in enumerate(lines):
            if isinstance(line, str) and len(line) > LINE_MAX:
                yield Violation(ADDRESS_RULES[party], f"{where}/AddressLine/{index}",
                                f"{len(line)} characters (at most {LINE_MAX})")
        city = address.get("City")
        if isinstance(city, str) and len(city) > CITY_MAX:
            yield Violation(CITY_RULES[party], f"{where}/City", f"{len(city)} characters (at most {CITY_MAX})")
