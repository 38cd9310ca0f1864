"""UPS sandbox: a package's measurement system, refused as UPS refuses it (``ship_rules.units``).

From a shipper in the US or Puerto Rico UPS takes pounds and inches only ("This measurement system is not valid
for the selected country or territory": 121057 from Ship, 111057 from Rate), and nowhere a weight in one system
with sizes in the other (110548). A shipper in Mexico weighs in kilograms and measures in centimetres.
"""

from __future__ import annotations

from typing import Any

import pytest

from shipdesk.specs import SpecViolation, validate_ups_request, validate_ups_response

SHIP = "/api/shipments/v2409/ship"
RATE = "/api/rating/v2409/Rate"
NOT_VALID_HERE = "This measurement system is not valid for the selected country or territory."
MEXICO = {"AddressLine": ["Av. Reforma 100"], "City": "Ciudad de Mexico", "StateProvinceCode": "CX",
          "PostalCode": "06600", "CountryCode": "MX"}


NAMES = {"LBS": "Pounds", "KGS": "Kilograms", "OZS": "Ounces", "IN": "Inches", "CM": "Centimeters"}


def _units(shipment: dict[str, Any], weight: str, sizes: str | None) -> None:
    for package in shipment["Package"]:
        package["PackageWeight"]["UnitOfMeasurement"] = {"Code": weight, "Description": NAMES[weight]}
        if sizes is None:
            package.pop("Dimensions", None)
        else:
            package["Dimensions"] = {"UnitOfMeasurement": {"Code": sizes, "Description": NAMES[sizes]},
                                     "Length": "30", "Width": "20", "Height": "10"}


def _ship_body(build: Any, weight: str, sizes: str | None, *, shipper_country: str = "US") -> dict[str, Any]:
    if shipper_country == "MX":
        body = build(service="11", state="CX", postal_code="06600", city="Ciudad de Mexico", country="MX")
        shipment = body["ShipmentRequest"]["Shipment"]
        shipment["Shipper"]["Address"] = dict(MEXICO)
        shipment["ShipFrom"]["Address"] = dict(MEXICO)
    else:
        body = build(country=shipper_country, state="PR" if shipper_country == "PR" else "IL",
                     postal_code="00901" if shipper_country == "PR" else "62701")
        shipment = body["ShipmentRequest"]["Shipment"]
        shipment["Shipper"]["Address"]["CountryCode"] = shipper_country
        shipment["ShipFrom"]["Address"]["CountryCode"] = shipper_country
    _units(shipment, weight, sizes)
    return body


def _rate_body(weight: str, sizes: str | None, *, shipper_country: str = "US") -> dict[str, Any]:
    origin = dict(MEXICO) if shipper_country == "MX" else {
        "AddressLine": ["100 Main St"], "City": "Atlanta", "StateProvinceCode": "GA", "PostalCode": "30301",
        "CountryCode": "US"}
    destination = dict(MEXICO) if shipper_country == "MX" else {
        "AddressLine": ["5 Elm Lane"], "City": "Springfield", "StateProvinceCode": "IL", "PostalCode": "62701",
        "CountryCode": "US"}
    shipment: dict[str, Any] = {
        "Shipper": {"Name": "ACME", "ShipperNumber": "A1B2C3", "Address": origin},
        "ShipTo": {"Name": "Jane Doe", "Address": destination},
        "Service": {"Code": "11" if shipper_country == "MX" else "03"},
        "Package": [{"PackagingType": {"Code": "02"}, "PackageWeight": {"Weight": "2.5"}}],
    }
    _units(shipment, weight, sizes)
    return {"RateRequest": {"Request": {"RequestOption": "Rate"}, "Shipment": shipment}}


def _post(sandbox, session, path: str, body: dict[str, Any]):
    answer = session.post(f"{sandbox.url}{path}", json=body, timeout=20)
    validate_ups_response("post", path, answer.status_code, answer.json())  # UPS's error shape, per the spec
    return answer


def _refused(answer) -> tuple[int, str, str]:
    error = answer.json()["response"]["errors"][0]
    return answer.status_code, error["code"], error["message"]


@pytest.mark.parametrize(("weight", "sizes"), [("KGS", "CM"), ("KGS", None)])
@pytest.mark.parametrize("shipper_country", ["US", "PR"])
def test_ship_from_the_us_or_puerto_rico_refuses_a_metric_package_with_121057(
        ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request, shipper_country, weight, sizes):
    body = _ship_body(ups_sandbox_ship_request, weight, sizes, shipper_country=shipper_country)
    answer = _post(ups_sandbox, ups_sandbox_session, SHIP, body)
    assert _refused(answer) == (400, "121057", NOT_VALID_HERE)
    assert ups_sandbox.stats_payload()["labels_created"] == 0


@pytest.mark.parametrize(("weight", "sizes"), [("LBS", "IN"), ("LBS", None), ("OZS", "IN")])
@pytest.mark.parametrize("shipper_country", ["US", "PR"])
def test_ship_from_the_us_or_puerto_rico_takes_pounds_and_inches(
        ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request, shipper_country, weight, sizes):
    body = _ship_body(ups_sandbox_ship_request, weight, sizes, shipper_country=shipper_country)
    assert _post(ups_sandbox, ups_sandbox_session, SHIP, body).status_code == 200


@pytest.mark.parametrize(("weight", "sizes"), [("KGS", "IN"), ("LBS", "CM"), ("OZS", "CM")])
@pytest.mark.parametrize("shipper_country", ["US", "MX"])
def test_a_weight_in_one_system_with_sizes_in_the_other_is_110548_everywhere(
        ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request, shipper_country, weight, sizes):
    body = _ship_body(ups_sandbox_ship_request, weight, sizes, shipper_country=shipper_country)
    status, code, message = _refused(_post(ups_sandbox, ups_sandbox_session, SHIP, body))
    assert (status, code) == (400, "110548")
    assert message == "A shipment cannot have a KGS/IN or LBS/CM or OZS/CM as its unit of measurements."


@pytest.mark.parametrize(("weight", "sizes"), [("KGS", "CM"), ("KGS", None)])
def test_a_shipper_in_mexico_ships_in_kilograms_and_centimetres(ups_sandbox, ups_sandbox_session,
                                                                ups_sandbox_ship_request, weight, sizes):
    body = _ship_body(ups_sandbox_ship_request, weight, sizes, shipper_country="MX")
    answer = _post(ups_sandbox, ups_sandbox_session, SHIP, body)
    assert answer.status_code == 200, answer.json()
    package = answer.json()["ShipmentResponse"]["ShipmentResults"]["PackageResults"]
    assert package  # a label was made


@pytest.mark.parametrize(("weight", "sizes", "code"), [
    ("KGS", "CM", "111057"), ("KGS", None, "111057"), ("KGS", "IN", "110548"), ("LBS", "CM", "110548")])
def test_rate_refuses_the_same_packages_with_rates_own_code(ups_sandbox, ups_sandbox_session, weight, sizes, code):
    answer = _post(ups_sandbox, ups_sandbox_session, RATE, _rate_body(weight, sizes))
    assert _refused(answer)[:2] == (400, code)


def test_rate_from_mexico_in_kilograms_and_from_the_us_in_pounds_is_quoted(ups_sandbox, ups_sandbox_session):
    assert _post(ups_sandbox, ups_sandbox_session, RATE, _rate_body("KGS", "CM", shipper_country="MX")
                 ).status_code == 200
    assert _post(ups_sandbox, ups_sandbox_session, RATE, _rate_body("LBS", "IN")).status_code == 200


def test_the_tests_request_validator_holds_the_client_to_the_same_rules(ups_sandbox_ship_request):
    """What the sandbox refuses, ``validate_ups_request`` flags in every request our client builds."""
    with pytest.raises(SpecViolation, match="121057"):
        validate_ups_request("POST", SHIP, _ship_body(ups_sandbox_ship_request, "KGS", "CM"))
    with pytest.raises(SpecViolation, match="111057"):
        validate_ups_request("POST", RATE, _rate_body("KGS", None))
    with pytest.raises(SpecViolation, match="110548"):
        validate_ups_request("POST", RATE, _rate_body("KGS", "IN", shipper_country="MX"))
    validate_ups_request("POST", SHIP, _ship_body(ups_sandbox_ship_request, "KGS", "CM", shipper_country="MX"))
