"""Every Ship request shipdesk builds meets the rules UPS's spec states in prose (issue 12, items 1 and 3).

Attention names and phones across a border and for Next Day Air Early, and address lines UPS takes 3 of
35 characters each (Acumatica allows 50): the request validator (``specs.validate_ups_request``, which
applies ``shipdesk.ship_rules`` besides the schema) checks each request the mapping makes, domestic and
international, consumer and business; the UPS sandbox refuses the same requests with UPS's codes.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from shipdesk.core.domain.states import State
from shipdesk.core.settings.config import ShipperConfig
from shipdesk.core.shipping.mapping import map_shipment
from shipdesk.core.shipping.readiness import shipment_problems
from shipdesk.core.store import repository
from shipdesk.demo.settings import demo_config
from shipdesk.specs import validate_ups_request
from shipdesk.ups import wire

from .factories import address, contact, package, settings, shipment

SHIP = "/api/shipments/v2409/ship"
SERVICES = {"UPSGROUND": "03", "UPSWWEXP": "07", "UPSEARLY": "14", "UPSNEXTDAY": "01"}
DESTINATIONS = {
    "domestic": address(),
    "canada": address(line1="220 Yonge St", city="Toronto", state="ON", postal_code="M5B 2H1", country="CA"),
    "germany": address(line1="Friedrichstraße 43", city="Berlin", state="", postal_code="10117", country="DE"),
    "puerto rico": address(line1="1056 Ave Ponce de León", city="San Juan", state="PR", postal_code="00907",
                           country="PR"),
    "long street": address(line1="1271 Avenue of the Americas, Suite 4500 Fl 45", line2="Floor 45 Reception",
                           city="New York", state="NY", postal_code="10020"),
}
RECEIVERS = {
    "business": contact(),
    "consumer": contact(business_name="", attention="Karen Liu"),
    "business without attention": contact(attention=""),
}
SHIP_VIAS = {"domestic": "UPSGROUND", "canada": "UPSWWEXP", "germany": "UPSWWEXP", "puerto rico": "UPSNEXTDAY",
             "long street": "UPSGROUND"}


@pytest.mark.parametrize("receiver", RECEIVERS)
@pytest.mark.parametrize("where", [*DESTINATIONS, "next day air early"])
def test_every_ship_request_the_mapping_builds_meets_ups_rules(where, receiver):
    ship_to = DESTINATIONS.get(where, DESTINATIONS["domestic"])
    s = shipment(ship_to_address=ship_to, ship_to_contact=RECEIVERS[receiver],
                 ship_via="UPSEARLY" if where == "next day air early" else SHIP_VIAS[where],
                 packages=(package(description="Pump parts", declared_value=Decimal(150)),))
    spec = map_shipment(s, settings(services=SERVICES)).spec

    validate_ups_request("POST", SHIP, wire.ship_request(spec))


def test_a_person_abroad_is_sent_as_name_and_attention():
    s = shipment(ship_via="UPSWWEXP", ship_to_address=DESTINATIONS["canada"], ship_to_contact=RECEIVERS["consumer"],
                 packages=(package(declared_value=Decimal(150)),))
    sent = wire.ship_request(map_shipment(s, settings(services=SERVICES)).spec)["ShipmentRequest"]["Shipment"]

    assert sent["ShipTo"]["Name"] == sent["ShipTo"]["AttentionName"] == "Karen Liu"
    assert sent["Shipper"]["AttentionName"] == "Shipping Dept" and sent["Shipper"]["Phone"]["Number"]


def test_a_long_street_line_is_wrapped_at_a_word_never_cut():
    s = shipment(ship_to_address=DESTINATIONS["long street"])
    mapped = map_shipment(s, settings())
    sent = wire.ship_request(mapped.spec)["ShipmentRequest"]["Shipment"]["ShipTo"]["Address"]

    assert sent["AddressLine"] == ["1271 Avenue of the Americas, Suite", "4500 Fl 45", "Floor 45 Reception"]
    assert mapped.warnings == ("Ship-to address line 1 is longer than UPS's 35 characters: it goes to UPS wrapped "
                               "onto the next line ('1271 Avenue of the Americas, Suite' / '4500 Fl 45' / "
                               "'Floor 45 Reception').",)


def test_lines_that_need_a_fourth_line_flow_over_three():
    lines = ("1271 Avenue of the Americas, Suite 4500 Fl 45", "Attn Legal Department Mailroom North B")
    assert wire.fit_lines(lines) == ("1271 Avenue of the Americas, Suite", "4500 Fl 45 Attn Legal Department",
                                     "Mailroom North B")
    assert wire.fit_lines(("x" * 36,)) is None  # one word longer than a line: nothing to wrap at


def test_a_street_that_cannot_fit_blocks_the_label_naming_the_acumatica_field():
    s = shipment(ship_to_address=address(line1="Building 7 Industriestrasse Nord Gewerbegebiet Ost",
                                         line2="Hinterhaus Lieferanteneingang Tor B3 Rampe 4 Sued"))
    problems = shipment_problems(s, demo_config("http://127.0.0.1:1", "http://127.0.0.1:2"))

    assert problems == [
        "The ship-to street (50, 49 characters in Address Line 1 and Address Line 2) does not fit UPS's 3 lines of "
        "35 characters, even wrapped at spaces: shorten Shipping Settings › Ship-To Address › Address Line 1 and "
        "Address Line 2 on shipment SH000123 in Acumatica."]


def test_a_city_longer_than_ups_takes_blocks_the_label():
    s = shipment(ship_to_address=address(city="Rancho Santa Margarita Heights East"))
    problems = shipment_problems(s, demo_config("http://127.0.0.1:1", "http://127.0.0.1:2"))

    assert problems == ["Ship-to city 'Rancho Santa Margarita Heights East' is longer than UPS's 30 characters: "
                        "shorten Shipping Settings › Ship-To Address › City on shipment SH000123 in Acumatica."]


def test_a_shipment_abroad_waits_for_the_shippers_attention_and_phone_naming_the_settings():
    config = demo_config("http://127.0.0.1:1", "http://127.0.0.1:2")
    config = replace(config, shipper=replace(config.shipper, attention="", phone=""))
    abroad = shipment(ship_via="UPSWWEXP", ship_to_address=DESTINATIONS["canada"],
                      packages=(package(declared_value=Decimal(150)),))

    assert shipment_problems(abroad, config) == [
        "UPS needs the shipper's attention name and phone number for shipments from US to CA (shipment SH000123): "
        "set [shipper] attention and [shipper] phone in the shipdesk settings (Settings › Shipper address)."]
    assert shipment_problems(shipment(), config) == []  # a domestic label does not wait for them


def test_the_settings_require_the_shippers_attention_and_phone_once_a_service_goes_abroad():
    config = demo_config("http://127.0.0.1:1", "http://127.0.0.1:2")
    bare = replace(config, shipper=ShipperConfig(name="ACME", address_lines=("100 Main St",), city="Atlanta",
                                                 state="GA", postal_code="30301"))
    assert bare.missing_settings("shipper") == ["[shipper] attention", "[shipper] phone"]  # UPSWWEXP → 07
    domestic_only = replace(bare, ups=replace(bare.ups, services={"UPSGROUND": "03"}))
    assert domestic_only.missing_settings("shipper") == []


# -- against the sandboxes ------------------------------------------------------------------------------------
def test_a_person_in_canada_gets_a_label(sandboxes, flow):
    outcome = flow.ship("SH000134", print_labels=False)  # no business name: UPS refused it with 120201

    assert outcome.ok and outcome.state is State.WRITTEN_BACK, outcome.message
    sent = repository.latest_job("SH000134").request["ShipmentRequest"]["Shipment"]["ShipTo"]
    assert sent["AttentionName"] == "Marie Tremblay"


def test_the_whole_street_reaches_the_label(sandboxes, flow):
    outcome = flow.ship("SH000135", print_labels=False)  # its street line was cut at 35: "..., Suite"

    assert outcome.ok, outcome.message
    assert any("wrapped onto the next line" in w for w in outcome.warnings)
    record = sandboxes.ups.shipments[outcome.tracking_numbers[0]]  # identified by its first package
    printed = record.packages[0].label.ship_to
    assert "1271 Avenue of the Americas, Suite" in printed and "4500 Fl 45" in printed
