"""Acumatica shipment → UPS request: table tests, no network."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from shipdesk.acumatica.models import OrderLink
from shipdesk.core.shipping.mapping import map_shipment
from shipdesk.errors import ShipmentDataError
from shipdesk.ups.models import Reference, UpsAddress

from .factories import address, contact, package, settings, shipment


def test_domestic_commercial_shipment():
    spec = map_shipment(shipment(), settings()).spec
    assert spec.shipper_number == "A1B2C3"
    assert spec.shipper.name == "ACME Industrial Supply"
    assert spec.shipper.address.city == "Atlanta"
    assert spec.service_code == "03"
    assert spec.ship_to.name == "Empire Supplies Inc"
    assert spec.ship_to.attention == "Receiving"
    assert spec.ship_to.phone == "2125550199"
    assert spec.ship_to.address == UpsAddress(("350 5th Ave",), "New York", "NY", "10118", "US")
    assert spec.ship_to.residential is False
    assert spec.negotiated_rates is True
    assert spec.label_format == "GIF"
    assert spec.packages[0].weight == Decimal("5") and spec.packages[0].weight_unit == "LBS"
    assert spec.description == "" and spec.invoice_total is None


@pytest.mark.parametrize(
    ("acumatica_flag", "validated", "expected"),
    [(True, None, True), (False, None, False), (None, None, False), (False, True, True), (True, False, False)],
)
def test_residential_comes_from_validation_else_from_acumatica(acumatica_flag, validated, expected):
    spec = map_shipment(shipment(residential=acumatica_flag), settings(), residential=validated).spec
    assert spec.ship_to.residential is expected


def test_a_person_without_business_name_is_both_name_and_attention():
    # UPS needs an attention name across a border and for Next Day Air Early (error 120201)
    spec = map_shipment(shipment(ship_to_contact=contact(business_name="", attention="Jane Doe")), settings()).spec
    assert spec.ship_to.name == "Jane Doe" and spec.ship_to.attention == "Jane Doe"


def test_multi_package_with_dimensions_only_when_all_given():
    packages = (
        package(id="a", weight="12.5", length=Decimal(10), width=Decimal(8), height=Decimal(6)),
        package(id="b", weight="3", length=Decimal(10), width=None, height=Decimal(6)),
        package(id="c", weight="1"),
    )
    spec = map_shipment(shipment(packages=packages), settings()).spec
    assert [p.weight for p in spec.packages] == [Decimal("12.5"), Decimal(3), Decimal(1)]
    first, second, _ = spec.packages
    assert (first.length, first.width, first.height, first.dimension_unit) == (10, 8, 6, "IN")
    assert (second.length, second.width, second.height) == (None, None, None)


def test_metric_weights_map_to_kgs_and_centimetres_from_a_warehouse_in_mexico():
    packages = (package(weight="2.3", uom="KG", length=Decimal(30), width=Decimal(20), height=Decimal(10)),)
    base = settings()
    mexico = replace(base, shipper=replace(base.shipper, address=replace(base.shipper.address, country="MX")))
    (pkg,) = map_shipment(shipment(packages=packages), mexico).spec.packages
    assert (pkg.weight, pkg.weight_unit, pkg.dimension_unit) == (Decimal("2.3"), "KGS", "CM")
    assert (pkg.length, pkg.width, pkg.height) == (30, 20, 10)


def test_metric_weights_go_to_ups_in_pounds_and_inches_from_a_us_warehouse():
    """UPS refuses KGS and CM from the US (121057): 2.3 kg is 5.0706 lb, sent as 5.08, never under the scale."""
    packages = (package(weight="2.3", uom="KG", length=Decimal(30), width=Decimal(20), height=Decimal(10)),)
    (pkg,) = map_shipment(shipment(packages=packages), settings()).spec.packages
    assert (pkg.weight, pkg.weight_unit, pkg.dimension_unit) == (Decimal("5.08"), "LBS", "IN")
    assert (pkg.length, pkg.width, pkg.height) == (Decimal("11.82"), Decimal("7.88"), Decimal("3.94"))
    assert pkg.weight * Decimal("0.45359237") >= Decimal("2.3")


def test_empty_uom_uses_the_default_unit():
    (pkg,) = map_shipment(shipment(packages=(package(uom=""),)), settings()).spec.packages
    assert pkg.weight_unit == "LBS"


def test_international_has_goods_description_and_invoice_total():
    s = shipment(
        ship_via="UPSWWEXP",
        ship_to_address=address(line1="Friedrichstraße 43", city="Berlin", state="", postal_code="10117",
                                country="de"),
        packages=(package(id="a", description="Pump parts", declared_value=Decimal("120.50")),
                  package(id="b", description="Pump parts", declared_value=Decimal("79.50"))),
    )
    spec = map_shipment(s, settings()).spec
    assert spec.service_code == "07"
    assert spec.ship_to.address.country == "DE"
    assert spec.ship_to.address.lines == ("Friedrichstraße 43",)
    assert spec.description == "Pump parts"
    assert spec.invoice_total == Decimal("200.00")


def test_references_are_shipment_number_then_order_numbers():
    s = shipment(orders=(OrderLink("SO", "SO000456"), OrderLink("SO", "SO000457"), OrderLink("SO", "SO000456")))
    spec = map_shipment(s, settings(shipment_ref_code="SE", order_ref_code="PO")).spec
    assert spec.references == (Reference("SH000123", "SE"), Reference("SO000456,SO000457", "PO"))


def test_shipment_without_order_has_one_reference():
    spec = map_shipment(shipment(orders=()), settings()).spec
    assert spec.references == (Reference("SH000123"),)


def test_over_long_and_non_ascii_names_are_cut_not_refused():
    long_name = "Müller Präzisionstechnik und Maschinenbau GmbH"
    mapped = map_shipment(shipment(ship_to_contact=contact(business_name=long_name, attention="Søren Ærø")),
                          settings())
    assert mapped.spec.ship_to.name == "Müller Präzisionstechnik und Maschi"
    assert mapped.spec.ship_to.attention == "Søren Ærø"
    assert mapped.warnings == ("Ship-to name shortened to UPS's 35 characters: 'Müller Präzisionstechnik und Maschi'.",)


def test_chosen_candidate_replaces_the_acumatica_address():
    chosen = UpsAddress(("350 5TH AVE",), "NEW YORK", "NY", "10118-0110", "US")
    spec = map_shipment(shipment(), settings(), ship_to_address=chosen, residential=False).spec
    assert spec.ship_to.address == chosen


def test_label_format_follows_the_settings():
    spec = map_shipment(shipment(), replace(settings(), label_format="ZPL")).spec
    assert spec.label_format == "ZPL"


def test_unknown_ship_via_is_refused_with_a_reason():
    with pytest.raises(ShipmentDataError, match="Ship Via FEDEXGROUND is not mapped"):
        map_shipment(shipment(ship_via="FEDEXGROUND"), settings())
