"""The options people tick, in the Ship request exactly where UPS's spec puts them for the lane, validated against
the spec (schema + its prose rules, ``shipdesk.ship_rules.options``); the UPS sandbox refuses what UPS refuses
and prices what it charges for."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
import requests

from shipdesk.core.settings.config import check_settings
from shipdesk.core.shipping.mapping import map_shipment
from shipdesk.core.shipping.packing import options_for
from shipdesk.errors import ShipmentDataError
from shipdesk.ship_rules import violations
from shipdesk.ship_rules.options import CONFIRMATION_LEVEL, CONFIRMATION_TYPE, NOTIFICATION_EMAIL
from shipdesk.specs import validate_ups_request
from shipdesk.ups import wire
from shipdesk.ups.models import ShipOptions
from tests.flow.factories import address, contact, package, settings, shipment
from tests.ups.fakes import assert_valid_request

SHIP = "/api/shipments/v2409/ship"
SERVICES = {"UPSGROUND": "03", "UPSWWEXP": "07", "UPSNEXTDAY": "01"}
CANADA = address(line1="220 Yonge St", city="Toronto", state="ON", postal_code="M5B 2H1", country="CA")
PUERTO_RICO = address(line1="1056 Ave Ponce de Leon", city="San Juan", state="PR", postal_code="00907", country="PR")
EVERYTHING = ShipOptions(signature="adult", saturday_delivery=True, notifications=("6", "7", "8"),
                         notify_email="receiving@example.com", declared_value=Decimal("450"))


def body_for(options: ShipOptions, *, ship_to=None, ship_via: str = "UPSNEXTDAY", packages: int = 2) -> dict:
    s = shipment(ship_to_address=ship_to or address(), ship_via=ship_via, ship_to_contact=contact(),
                 packages=tuple(package(description="Pump parts", declared_value=Decimal(300))
                                for _ in range(packages)))
    return wire.ship_request(map_shipment(s, settings(services=SERVICES), options=options).spec)


@pytest.mark.parametrize("lane", ["domestic", "puerto rico", "canada"])
@pytest.mark.parametrize("signature", ["signature", "adult"])
def test_every_option_goes_where_the_spec_wants_it_for_the_lane(lane, signature):
    ship_to = {"domestic": address(), "puerto rico": PUERTO_RICO, "canada": CANADA}[lane]
    options = ShipOptions(signature=signature, saturday_delivery=True, notifications=("6", "7", "8"),
                          notify_email="receiving@example.com", declared_value=Decimal("450"))
    body = body_for(options, ship_to=ship_to, ship_via="UPSWWEXP" if lane == "canada" else "UPSNEXTDAY")

    validate_ups_request("POST", SHIP, body)  # the schema and every prose rule
    shipment_options = body["ShipmentRequest"]["Shipment"]["ShipmentServiceOptions"]
    packages = body["ShipmentRequest"]["Shipment"]["Package"]
    if lane == "canada":  # shipment level outside the US/PR lanes: 1 signature, 2 adult
        assert shipment_options["DeliveryConfirmation"] == {"DCISType": {"signature": "1", "adult": "2"}[signature]}
        assert all("DeliveryConfirmation" not in p["PackageServiceOptions"] for p in packages)
    else:  # package level: 2 signature, 3 adult ("1 - Unsupported")
        assert "DeliveryConfirmation" not in shipment_options
        assert [p["PackageServiceOptions"]["DeliveryConfirmation"]["DCISType"] for p in packages] == (
            [{"signature": "2", "adult": "3"}[signature]] * 2)
    assert shipment_options["SaturdayDeliveryIndicator"] == ""
    assert [(n["NotificationCode"], n["EMail"]["EMailAddress"]) for n in shipment_options["Notification"]] == [
        ("6", ["receiving@example.com"]), ("7", ["receiving@example.com"]), ("8", ["receiving@example.com"])]
    assert {p["PackageServiceOptions"]["DeclaredValue"]["MonetaryValue"] for p in packages} == {"450.00"}


def test_no_options_send_nothing_and_acumaticas_declared_value_can_be_left_out():
    body = body_for(ShipOptions())
    assert "ShipmentServiceOptions" not in body["ShipmentRequest"]["Shipment"]
    s = shipment(packages=(package(declared_value=Decimal(200)),))
    kept = wire.ship_request(map_shipment(s, settings(services=SERVICES)).spec)
    left_out = wire.ship_request(map_shipment(s, settings(services=SERVICES),
                                              options=ShipOptions(send_declared_value=False)).spec)
    assert kept["ShipmentRequest"]["Shipment"]["Package"][0]["PackageServiceOptions"]["DeclaredValue"][
        "MonetaryValue"] == "200.00"
    assert "PackageServiceOptions" not in left_out["ShipmentRequest"]["Shipment"]["Package"][0]


def test_notifications_without_the_ship_to_email_are_left_out_with_a_warning():
    s = shipment(ship_to_contact=contact(email=""))
    mapped = map_shipment(s, settings(services=SERVICES), options=ShipOptions(notifications=("8",)))
    assert mapped.spec.options.notifications == ()
    assert any("email" in w for w in mapped.warnings)
    with pytest.raises(ShipmentDataError, match="email"):  # the wire never sends a notification to nobody
        wire.ship_request(replace(mapped.spec, options=ShipOptions(notifications=("8",))))


def test_the_prose_rules_catch_what_the_schema_lets_through():
    body = body_for(EVERYTHING)
    shipment_node = body["ShipmentRequest"]["Shipment"]
    # a package-level confirmation on a US→CA lane, a type UPS calls unsupported, a notification to no one
    shipment_node["ShipTo"]["Address"]["CountryCode"] = "CA"
    shipment_node["Package"][0]["PackageServiceOptions"]["DeliveryConfirmation"]["DCISType"] = "1"
    shipment_node["ShipmentServiceOptions"]["Notification"][0]["EMail"]["EMailAddress"] = ["x" * 51 + "@e.com"]
    found = {v.rule for v in violations(body)}
    assert {CONFIRMATION_LEVEL, CONFIRMATION_TYPE, NOTIFICATION_EMAIL} <= found


def test_defaults_come_from_the_customer_else_the_ship_via():
    config = check_settings({"packing": {"option_defaults": [
        {"ship_via": "UPSGROUND", "signature": "required", "notify": ["ship"]},
        {"customer": "C000123", "signature": "adult", "saturday_delivery": True, "notify": ["delivery"]}]}}, "t")
    by_ship_via = options_for(config, shipment(ship_via="UPSGROUND", customer_id="C999"))
    by_customer = options_for(config, shipment(ship_via="UPSGROUND", customer_id="C000123"))
    assert (by_ship_via.signature, by_ship_via.notifications) == ("signature", ("6",))
    assert (by_customer.signature, by_customer.saturday_delivery, by_customer.notifications) == ("adult", True, ("8",))
    assert options_for(config, shipment(ship_via="UPS2DAY")) == ShipOptions(
        notify_email=shipment().ship_to_contact.email)


def test_the_ups_sandbox_refuses_a_confirmation_at_the_wrong_level_and_charges_for_options(sandboxes):
    token = requests.post(f"{sandboxes.ups_url}/security/v1/oauth/token", data={"grant_type": "client_credentials"},
                          auth=("demo", "demo"), headers={"x-merchant-id": "A1B2C3"}, timeout=10).json()
    headers = {"Authorization": f"Bearer {token['access_token']}", "transId": "t1", "transactionSrc": "test"}

    def ship(body: dict) -> requests.Response:
        body["ShipmentRequest"]["Shipment"]["Shipper"]["ShipperNumber"] = "A1B2C3"
        body["ShipmentRequest"]["Shipment"]["PaymentInformation"]["ShipmentCharge"][0]["BillShipper"][
            "AccountNumber"] = "A1B2C3"
        return requests.post(f"{sandboxes.ups_url}{SHIP}", json=body, headers=headers, timeout=10)

    plain = ship(body_for(ShipOptions(send_declared_value=False)))
    ticked = ship(body_for(EVERYTHING))
    assert plain.status_code == ticked.status_code == 200
    total = [float(r.json()["ShipmentResponse"]["ShipmentResults"]["ShipmentCharges"]["ServiceOptionsCharges"][
        "MonetaryValue"]) for r in (plain, ticked)]
    assert total[0] == 0 and total[1] > 0  # 2 adult signatures, Saturday, declared value above 100

    wrong = body_for(EVERYTHING)
    wrong["ShipmentRequest"]["Shipment"]["ShipmentServiceOptions"]["DeliveryConfirmation"] = {"DCISType": "1"}
    refused = ship(wrong)
    assert refused.status_code == 400
    assert refused.json()["response"]["errors"][0]["code"] == CONFIRMATION_LEVEL.code


def test_the_rate_request_carries_the_priced_options_and_meets_the_rating_spec():
    body = wire.rate_request(map_shipment(shipment(packages=(package(), package())), settings(services=SERVICES),
                                          options=EVERYTHING).spec, shop=False)
    assert_valid_request("POST", "/api/rating/v2409/Rate", body)  # the spec as UPS means it (known defects)
    shipment_node = body["RateRequest"]["Shipment"]
    assert shipment_node["ShipmentServiceOptions"] == {"SaturdayDeliveryIndicator": ""}  # US→US: signature per box
    assert [p["PackageServiceOptions"]["DeliveryConfirmation"] for p in shipment_node["Package"]] == [
        {"DCISType": "3"}, {"DCISType": "3"}]
