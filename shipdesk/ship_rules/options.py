"""The options people tick (signature, declared value, Saturday delivery, email notifications): the Ship request
rules the Shipping spec states in prose, where its JSON schema cannot.

The rules (``resources/specs/ups/Shipping.yaml``):

- ``DeliveryConfirmation`` is a package option or a shipment option by lane ("Refer to Delivery Confirmation
  Origin-Destination Pairs in the Appendix"): package level within the US and Puerto Rico, shipment level
  elsewhere (``lanes.package_delivery_confirmation``); "Valid for forward shipments only".
- ``DCISType``: at package level 2 (signature) or 3 (adult signature), "1 - Unsupported"; at shipment level 1
  (signature) or 2 (adult signature).
- ``ShipmentServiceOptions.Notification``: at most 3 (``maximum: 3`` on the array, which JSON Schema does not
  apply), one per ``NotificationCode``; each with 1 to 5 ``EMailAddress`` of at most 50 characters (again
  ``maximum`` on the array); "QV Ship Notification is allowed for forward moving shipments only".
- ``PackageServiceOptions.DeclaredValue.MonetaryValue``: an amount (1-19 characters), more than zero.

UPS's codes for these refusals are not in a public capture: every rule here says so (``settled=False``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from shipdesk.ship_rules.lanes import package_delivery_confirmation
from shipdesk.ship_rules.rule import WHERE, Rule, Violation, country, decimal, items, obj, text

GUESS = "Shipping.yaml prose; UPS's code for it is not in a public capture"
PACKAGE_DCIS_TYPES = frozenset({"2", "3"})
SHIPMENT_DCIS_TYPES = frozenset({"1", "2"})
NOTIFICATIONS_MAX, EMAILS_MAX, EMAIL_MAX = 3, 5, 50
SHIP_NOTIFICATION = "6"

CONFIRMATION_LEVEL = Rule("120419", "Delivery Confirmation is not allowed at this level for the origin/destination "
                          "pair", GUESS, settled=False)
CONFIRMATION_TYPE = Rule("120418", "Invalid Delivery Confirmation type", GUESS, settled=False)
CONFIRMATION_RETURN = Rule("120421", "Delivery Confirmation is not allowed for return shipments", GUESS,
                           settled=False)
NOTIFICATION_COUNT = Rule("120606", "Too many notifications, or one notification code twice", GUESS, settled=False)
NOTIFICATION_EMAIL = Rule("120607", "Missing or invalid notification email address", GUESS, settled=False)
SHIP_NOTIFICATION_RETURN = Rule("120608", "QV Ship Notification is allowed for forward shipments only", GUESS,
                                settled=False)
DECLARED_VALUE = Rule("120701", "Invalid declared value", GUESS, settled=False)


def violations(body: Any) -> list[Violation]:
    shipment = obj(obj(body, "ShipmentRequest"), "Shipment")
    return [*_confirmations(shipment), *_notifications(shipment), *_declared_values(shipment)]


def _lane(shipment: dict[str, Any]) -> tuple[str, str]:
    origin = country(obj(shipment, "ShipFrom")) or country(obj(shipment, "Shipper"))
    return origin, country(obj(shipment, "ShipTo"))


def _confirmations(shipment: dict[str, Any]) -> Iterator[Violation]:
    package_level = package_delivery_confirmation(*_lane(shipment))
    returning = bool(obj(shipment, "ReturnService"))
    shipment_dc = obj(obj(shipment, "ShipmentServiceOptions"), "DeliveryConfirmation")
    where = f"{WHERE}/ShipmentServiceOptions/DeliveryConfirmation"
    if shipment_dc:
        if package_level:
            yield Violation(CONFIRMATION_LEVEL, where, "a shipment-level confirmation on a US/PR lane")
        if text(shipment_dc, "DCISType") not in SHIPMENT_DCIS_TYPES:
            yield Violation(CONFIRMATION_TYPE, where, f"DCISType {text(shipment_dc, 'DCISType')!r} (1 or 2)")
        if returning:
            yield Violation(CONFIRMATION_RETURN, where, "on a return")
    for index, package in enumerate(items(shipment, "Package")):
        dc = obj(obj(package, "PackageServiceOptions"), "DeliveryConfirmation")
        if not dc:
            continue
        where = f"{WHERE}/Package[{index}]/PackageServiceOptions/DeliveryConfirmation"
        if not package_level:
            yield Violation(CONFIRMATION_LEVEL, where, "a package-level confirmation outside the US/PR lanes")
        if text(dc, "DCISType") not in PACKAGE_DCIS_TYPES:
            yield Violation(CONFIRMATION_TYPE, where, f"DCISType {text(dc, 'DCISType')!r} (2 or 3)")
        if returning:
            yield Violation(CONFIRMATION_RETURN, where, "on a return")


def _notifications(shipment: dict[str, Any]) -> Iterator[Violation]:
    notifications = items(obj(shipment, "ShipmentServiceOptions"), "Notification")
    where = f"{WHERE}/ShipmentServiceOptions/Notification"
    codes = [text(n, "NotificationCode") for n in notifications]
    if len(notifications) > NOTIFICATIONS_MAX or len(set(codes)) != len(codes):
        yield Violation(NOTIFICATION_COUNT, where, f"{len(notifications)} notifications, codes {codes}")
    for index, notification in enumerate(notifications):
        addresses = items(obj(notification, "EMail"), "EMailAddress")
        if not 1 <= len(addresses) <= EMAILS_MAX or any(
                not isinstance(a, str) or not a.strip() or len(a) > EMAIL_MAX or "@" not in a for a in addresses):
            yield Violation(NOTIFICATION_EMAIL, f"{where}[{index}]/EMail", f"addresses {addresses!r}")
        if text(notification, "NotificationCode") == SHIP_NOTIFICATION and obj(shipment, "ReturnService"):
            yield Violation(SHIP_NOTIFICATION_RETURN, f"{where}[{index}]", "a ship notification on a return")


def _declared_values(shipment: dict[str, Any]) -> Iterator[Violation]:
    for index, package in enumerate(items(shipment, "Package")):
        declared = obj(obj(package, "PackageServiceOptions"), "DeclaredValue")
        if not declared:
            continue
        amount = decimal(text(declared, "MonetaryValue"))
        if amount is None or amount <= 0:
            yield Violation(DECLARED_VALUE, f"{WHERE}/Package[{index}]/PackageServiceOptions/DeclaredValue",
                            f"MonetaryValue {text(declared, 'MonetaryValue')!r}")
