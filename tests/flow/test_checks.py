"""What UPS needs, checked before anything is sent: one sentence per problem, naming the Acumatica field."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from shipdesk.core.shipping.checks import check_shipment
from shipdesk.demo.settings import DEMO_SERVICES

from .factories import address, contact, package, shipment


def problems_of(s, **kw):
    return check_shipment(s, services=DEMO_SERVICES, **kw).problems


def test_complete_domestic_shipment_has_no_problems():
    result = check_shipment(shipment(), services=DEMO_SERVICES)
    assert result.ok and result.problems == () and result.warnings == ()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"ship_to_address": address(postal_code="")},
         "Ship-to postal code is empty: fill in Shipping Settings › Ship-To Address › Postal Code on shipment "
         "SH000123 in Acumatica."),
        ({"ship_to_address": address(line1="")}, "Address Line 1"),
        ({"ship_to_address": address(city="")}, "› City"),
        ({"ship_to_address": address(country="")}, "› Country"),
        ({"ship_to_address": address(state="")}, "› State"),
        ({"ship_to_contact": contact(business_name="", attention="")}, "Business Name (or Attention)"),
        ({"packages": ()}, "has no packages"),
        ({"packages": (package(weight="0"),)}, "Package 1 has no weight: fill in Packages › Weight"),
        ({"packages": (package(weight=None),)}, "Package 1 has no weight"),
        ({"ship_via": "FEDEXGROUND"}, "Ship Via FEDEXGROUND is not mapped to a UPS service"),
        ({"ship_via": ""}, "Ship Via is empty"),
        ({"packages": (package(uom="TON"),)}, "weighed in 'TON'"),
    ],
)
def test_each_missing_item_is_one_sentence_naming_the_field(change, expected):
    problems = problems_of(shipment(**change))
    assert len(problems) == 1
    assert expected in problems[0]
    assert problems[0].endswith(".")


def test_every_package_needs_a_weight_and_each_is_named():
    s = shipment(packages=(package(id="a", box_id="LARGE"), package(id="b", weight="0", box_id="SMALL"),
                           package(id="c", weight="-1")))
    problems = problems_of(s)
    assert problems == (
        "Package 2 (SMALL) has no weight: fill in Packages › Weight on shipment SH000123 in Acumatica.",
        "Package 3 has no weight: fill in Packages › Weight on shipment SH000123 in Acumatica.",
    )


def test_several_problems_are_all_reported():
    s = shipment(ship_to_address=address(postal_code="", city=""), ship_via="FEDEXGROUND")
    assert len(problems_of(s)) == 3


def test_postal_code_not_needed_where_the_country_has_none():
    s = shipment(ship_to_address=address(country="HK", state="", postal_code=""))
    assert problems_of(s) == ()


def test_international_needs_a_phone_number():
    s = shipment(ship_to_address=address(country="DE", state="", postal_code="10115", city="Berlin"),
                 ship_to_contact=contact(phone=""))
    assert problems_of(s) == (
        "Ship-to phone is empty (UPS needs it for international shipments): fill in Shipping Settings › "
        "Ship-To Contact › Phone 1 on shipment SH000123 in Acumatica.",
    )
    # domestic: no phone needed
    assert problems_of(shipment(ship_to_contact=contact(phone=""))) == ()


def test_over_long_name_is_a_warning_not_a_refusal():
    long_name = "Müller Präzisionstechnik und Maschinenbau GmbH"
    result = check_shipment(shipment(ship_to_contact=contact(business_name=long_name)), services=DEMO_SERVICES)
    assert result.ok
    assert len(result.warnings) == 1 and "Müller Präzisionstechnik und Maschi'" in result.warnings[0]


def test_non_ascii_names_are_fine():
    s = shipment(ship_to_contact=contact(business_name="Café Olé", attention="Søren Ærø"))
    result = check_shipment(s, services=DEMO_SERVICES)
    assert result.ok and result.warnings == ()


def test_already_labelled_shipment_is_not_labelled_again():
    s = shipment(packages=(package(tracking_nbr="1Z999AA10123456784"),))
    (problem,) = problems_of(s)
    assert "already has tracking number(s) 1Z999AA10123456784" in problem


def test_carrier_plugin_ship_via_warns():
    services = {**DEMO_SERVICES, "UPSPLUGIN": "03"}
    result = check_shipment(shipment(ship_via="UPSPLUGIN"), services=services,
                            carrier_plugin_ship_vias=("UPSPLUGIN",))
    assert result.ok
    assert "carrier plug-in" in result.warnings[0]


def test_us_to_canada_takes_the_value_of_the_goods_from_the_invoice_not_the_packages():
    s = shipment(ship_via="UPSWWEXP", ship_to_address=address(country="CA", state="ON", postal_code="M5B 2H1"))
    assert problems_of(s) == ()  # the order's prices are checked when the invoice is built


@pytest.mark.parametrize(("country", "postal_code"), [("PR", "00907")])
def test_us_to_puerto_rico_needs_the_value_of_the_goods(country, postal_code):
    s = shipment(ship_via="UPSWWEXP", ship_to_address=address(country=country, state="ON", postal_code=postal_code))
    (problem,) = problems_of(s)
    assert problem == (f"UPS needs the value of the goods for shipments from US to {country}: fill in Packages › "
                       "Declared Value on shipment SH000123 in Acumatica.")
    valued = replace(s, packages=(package(declared_value=Decimal("250")),))
    assert problems_of(valued) == ()


def test_missing_us_state_is_left_to_ups_address_validation_when_it_runs():
    s = shipment(ship_to_address=address(state=""))
    assert check_shipment(s, services=DEMO_SERVICES, validates_address=True).ok
    canadian = shipment(ship_via="UPSWWEXP", ship_to_address=address(country="CA", state="", postal_code="M5B 2H1"),
                        packages=(package(declared_value=Decimal(10)),))
    assert "Ship-to state is empty (UPS needs it for CA)" in problems_of(canadian, validates_address=True)[0]
