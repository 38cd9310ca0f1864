"""The rules UPS's Shipping spec states in prose, held by both request checks: the tests' validator and the sandbox.

The JSON schema cannot say "AttentionName is required across a border" nor limit ``AddressLine`` (its
``maxLength: 35`` and ``maximum: 3`` sit on the array, where JSON Schema applies neither), so a body that
UPS refuses passed both checks. Each case here is refused by ``specs.validate_ups_request`` and by the UPS
sandbox with UPS's own code (docs/evidence/real-services.md 12.1 and 12.3).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from shipdesk.sandbox.ups.errors import UpsRefusal
from shipdesk.sandbox.ups.validation import check_request
from shipdesk.ship_rules import violations as ship_violations
from shipdesk.specs import SpecViolation, validate_ups_request

SHIP = "/api/shipments/v2409/ship"


def party(name: str, country: str, *, attention: str | None = None, phone: str | None = "4045550100",
          lines: Any = ("100 Main St",), city: str = "Atlanta") -> dict[str, Any]:
    body: dict[str, Any] = {"Name": name, "Address": {"AddressLine": list(lines) if isinstance(lines, tuple) else lines,
                                                      "City": city, "CountryCode": country}}
    if country in ("US", "CA"):
        body["Address"]["StateProvinceCode"] = "GA" if country == "US" else "ON"
        body["Address"]["PostalCode"] = "30301" if country == "US" else "M5B2H1"
    if attention is not None:
        body["AttentionName"] = attention
    if phone is not None:
        body["Phone"] = {"Number": phone}
    return body


def ship_body(*, ship_to: dict[str, Any], shipper: dict[str, Any] | None = None, service: str = "03") -> dict[str, Any]:
    shipper = shipper or party("ACME Industrial Supply", "US", attention="Shipping Dept")
    shipper = {**shipper, "ShipperNumber": "A1B2C3"}
    return {"ShipmentRequest": {
        "Request": {"RequestOption": "nonvalidate"},
        "Shipment": {
            "Description": "Pump parts",
            "Shipper": shipper,
            "ShipTo": ship_to,
            "PaymentInformation": {"ShipmentCharge": [{"Type": "01", "BillShipper": {"AccountNumber": "A1B2C3"}}]},
            "Service": {"Code": service},
            "Package": [{"Packaging": {"Code": "02"},
                         "PackageWeight": {"UnitOfMeasurement": {"Code": "LBS"}, "Weight": "5"}}],
        },
        "LabelSpecification": {"LabelImageFormat": {"Code": "GIF"}, "LabelStockSize": {"Height": "6", "Width": "4"}},
    }}


CONSUMER_IN_CANADA = party("Karen Liu", "CA", lines=("220 Yonge St",), city="Toronto")


def sandbox_refusal(body: dict[str, Any]) -> UpsRefusal:
    with pytest.raises(UpsRefusal) as refused:
        check_request("post", SHIP, copy.deepcopy(body))
    return refused.value


def test_a_domestic_consumer_without_attention_is_fine():
    body = ship_body(ship_to=party("Karen Liu", "US", phone=None))
    validate_ups_request("POST", SHIP, body)
    check_request("post", SHIP, body)


@pytest.mark.parametrize(
    ("body", "code", "where"),
    [
        # across a border the ship-to needs an attention name, and UPS says so with 120201
        (ship_body(ship_to=CONSUMER_IN_CANADA), "120201", "ShipTo/AttentionName"),
        # ...and so does Next Day Air Early inside the US
        (ship_body(ship_to=party("Karen Liu", "US"), service="14"), "120201", "ShipTo/AttentionName"),
        # longer than 35 is the same error (verified on UPS's CIE: OCA/delivery-carrier PR 1155)
        (ship_body(ship_to=party("Globex", "US", attention="A" * 36)), "120201", "ShipTo/AttentionName"),
        (ship_body(ship_to={**CONSUMER_IN_CANADA, "AttentionName": "Karen Liu", "Phone": {"Number": ""}}),
         "120209", "ShipTo/Phone/Number"),
        (ship_body(ship_to={**CONSUMER_IN_CANADA, "AttentionName": "Karen Liu"},
                   shipper=party("ACME Industrial Supply", "US")), "120115", "Shipper/AttentionName"),
        (ship_body(ship_to={**CONSUMER_IN_CANADA, "AttentionName": "Karen Liu"},
                   shipper=party("ACME Industrial Supply", "US", attention="Dock", phone=None)),
         "120116", "Shipper/Phone/Number"),
        # the schema's maxLength sits on the AddressLine array: only the rule sees a 36-character line
        (ship_body(ship_to=party("Globex", "US", lines=("1271 Avenue of the Americas, Suite 45",))),
         "120202", "ShipTo/Address/AddressLine/0"),
        (ship_body(ship_to=party("Globex", "US", lines=("a", "b", "c", "d"))), "120202", "ShipTo/Address/AddressLine"),
        (ship_body(ship_to=party("Globex", "US", lines="1271 Avenue of the Americas, Suite 4500")),
         "120202", "ShipTo/Address/AddressLine/0"),
        (ship_body(ship_to=party("Globex", "US", city="Rancho Santa Margarita Heights Est")), "120203",
         "ShipTo/Address/City"),
        (ship_body(ship_to=party("Globex", "US"), shipper=party("ACME", "US", attention="Dock",
                                                                lines=("x" * 36,))), "120102", "Shipper/Address"),
    ],
)
def test_both_checks_refuse_what_ups_refuses(body, code, where):
    with pytest.raises(SpecViolation) as violation:
        validate_ups_request("POST", SHIP, body)
    assert any(where in error and code in error for error in violation.value.errors), violation.value.errors

    refusal = sandbox_refusal(body)
    assert (refusal.status, refusal.code) == (400, code)


def test_the_sandbox_answers_ups_words_for_the_attention_name():
    refusal = sandbox_refusal(ship_body(ship_to=CONSUMER_IN_CANADA))
    assert refusal.message == "Missing or invalid ship to attention name"  # tests/samples/ups_error_120201...


def test_the_rules_are_for_ship_requests_only():
    body = ship_body(ship_to=CONSUMER_IN_CANADA)
    assert ship_violations(body)
    rate = {"RateRequest": {"Shipment": body["ShipmentRequest"]["Shipment"]}}
    assert ship_violations(rate) == []
