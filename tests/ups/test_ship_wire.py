"""The Ship and Rating bodies shipdesk builds: valid per UPS's spec, and UPS's rules applied."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from shipdesk.errors import ShipmentDataError
from shipdesk.ups import wire
from shipdesk.ups.models import PackageSpec, Party, Reference, UpsAddress

from .fakes import ACCOUNT, CUSTOMER, assert_valid_request, ship_answer, shipment

HOME = Party(
    name="Zoë Müller-Lüdenscheidt and the Extended Family Household",
    residential=True,
    address=UpsAddress(
        ("12 Elm Street, Apartment 4B, Rear Entrance", "Beside The Garage"),
        "Sacramento",
        "CA",
        "95814-1234",
        "US",
    ),
)
CANADA = Party(
    name="Maple Tools Ltd",
    phone="416-555-0199",
    address=UpsAddress(("1 Yonge St",), "Toronto", "ON", "M5E 1E5", "CA"),
)
GERMANY = Party(name="Werkzeug GmbH", phone="+49 30 5550123",
                address=UpsAddress(("Hauptstr. 5",), "Berlin", "", "10115", "DE"))
#: a warehouse in Mexico: UPS takes kilograms and centimetres from it (not from the US: ship_rules.units)
MEXICO_WAREHOUSE = Party(name="ACME de Mexico", attention="Embarques", phone="+52 55 5550 0100",
                         address=UpsAddress(("Av. Reforma 100",), "Ciudad de Mexico", "CX", "06600", "MX"))
PUERTO_RICO = Party(
    name="Isla Supply", address=UpsAddress(("Calle Luna 10",), "San Juan", "PR", "00901", "PR")
)

SCENARIOS = {
    "domestic": shipment(),
    "residential": shipment(ship_to=HOME),
    "multi-package": shipment(
        packages=(
            PackageSpec(weight=Decimal("12.5"), length=Decimal(12), width=Decimal(10), height=Decimal(8)),
            PackageSpec(weight=Decimal("3.25"), description="Spare parts"),
            PackageSpec(weight=Decimal("150.75"), declared_value=Decimal("499.9")),
        )
    ),
    "international": shipment(
        ship_to=GERMANY,
        service_code="07",
        description="Industrial hand tools",
        invoice_total=Decimal("1250.40"),
        currency="USD",
    ),
    "metric": shipment(
        shipper=MEXICO_WAREHOUSE,
        ship_to=GERMANY,
        service_code="11",
        description="Tools",
        packages=(
            PackageSpec(
                weight=Decimal("5.4"),
                weight_unit="KGS",
                length=Decimal("40.5"),
                width=Decimal(30),
                height=Decimal(20),
                dimension_unit="CM",
            ),
        ),
    ),
    "thermal": shipment(label_format="ZPL", label_stock_height=8),
    "no negotiated rates": shipment(negotiated_rates=False),
}


def ship_body(name: str) -> dict[str, Any]:
    return wire.ship_request(SCENARIOS[name], context="job-1")


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_every_ship_body_is_valid_per_the_ups_spec(name: str) -> None:
    assert_valid_request("POST", "/api/shipments/v2409/ship", ship_body(name))


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_every_rate_body_is_valid_per_the_ups_spec(name: str) -> None:
    body = wire.rate_request(SCENARIOS[name], shop=False)
    assert_valid_request("POST", "/api/rating/v2409/Rate", body)
    package = body["RateRequest"]["Shipment"]["Package"][0]
    assert "PackagingType" in package and "Packaging" not in package
    assert "PaymentDetails" in body["RateRequest"]["Shipment"]


def test_shipper_account_bills_the_shipment_and_negotiated_rates_are_asked_for() -> None:
    body = ship_body("domestic")["ShipmentRequest"]["Shipment"]
    assert body["Shipper"]["ShipperNumber"] == ACCOUNT
    assert body["PaymentInformation"] == {
        "ShipmentCharge": [{"Type": "01", "BillShipper": {"AccountNumber": ACCOUNT}}]
    }
    assert "NegotiatedRatesIndicator" in body["ShipmentRatingOptions"]
    assert "ShipmentRatingOptions" not in ship_body("no negotiated rates")["ShipmentRequest"]["Shipment"]


def test_us_to_us_references_go_on_every_package_not_the_shipment() -> None:
    body = ship_body("multi-package")["ShipmentRequest"]["Shipment"]
    assert "ReferenceNumber" not in body
    for package in body["Package"]:
        assert package["ReferenceNumber"] == [
            {"Value": "SH000123", "Code": "SE"},
            {"Value": "SO004567", "Code": "PO"},
        ]


def test_pr_to_pr_references_are_package_level_too() -> None:
    spec = shipment(shipper=PUERTO_RICO, ship_to=PUERTO_RICO)
    body = wire.ship_request(spec)["ShipmentRequest"]["Shipment"]
    assert "ReferenceNumber" not in body and body["Package"][0]["ReferenceNumber"]


def test_international_references_are_shipment_level_with_description_and_invoice_total() -> None:
    body = ship_body("international")["ShipmentRequest"]["Shipment"]
    assert [r["Value"] for r in body["ReferenceNumber"]] == ["SH000123", "SO004567"]
    assert "ReferenceNumber" not in body["Package"][0]
    assert body["Description"] == "Industrial hand tools"
    # US→DE: the goods' value travels on the invoice, never as the shipment-level total (UPS 120504)
    assert "InvoiceLineTotal" not in body


def test_long_reference_values_are_cut_to_35_characters_and_codes_to_2() -> None:
    spec = shipment(references=(Reference("X" * 50, code="SEX"), Reference("   ")))
    refs = wire.ship_request(spec)["ShipmentRequest"]["Shipment"]["Package"][0]["ReferenceNumber"]
    assert refs == [{"Value": "X" * 35, "Code": "SE"}]


def test_only_the_first_barcode_reference_is_barcoded() -> None:
    spec = shipment(references=(Reference("SH000123", barcode=True), Reference("SO004567", barcode=True)))
    refs = wire.ship_request(spec)["ShipmentRequest"]["Shipment"]["Package"][0]["ReferenceNumber"]
    assert ["BarCodeIndicator" in r for r in refs] == [True, False]


def test_at_most_five_references_per_package() -> None:
    spec = shipment(references=tuple(Reference(f"R{i}") for i in range(7)))
    refs = wire.ship_request(spec)["ShipmentRequest"]["Shipment"]["Package"][0]["ReferenceNumber"]
    assert [r["Value"] for r in refs] == ["R0", "R1", "R2", "R3", "R4"]


def test_residential_flag_names_and_lines_are_fitted_to_ups_limits() -> None:
    ship_to = ship_body("residential")["ShipmentRequest"]["Shipment"]["ShipTo"]
    assert "ResidentialAddressIndicator" in ship_to["Address"]
    assert len(ship_to["Name"]) == 35 and ship_to["Name"].startswith("Zoë Müller")
    assert ship_to["AttentionName"] == ship_to["Name"]  # no attention line: the name is both
    # a line over 35 characters goes on at a word on the next line, never cut
    assert ship_to["Address"]["AddressLine"] == ["12 Elm Street, Apartment 4B, Rear", "Entrance", "Beside The Garage"]
    assert ship_to["Address"]["PostalCode"] == "958141234"
    assert (
        "ResidentialAddressIndicator"
        not in ship_body("domestic")["ShipmentRequest"]["Shipment"]["ShipTo"]["Address"]
    )


def test_packages_carry_weight_unit_dimensions_and_declared_value() -> None:
    packages = ship_body("multi-package")["ShipmentRequest"]["Shipment"]["Package"]
    assert packages[0]["PackageWeight"] == {
        "UnitOfMeasurement": {"Code": "LBS", "Description": "Pounds"},
        "Weight": "12.5",
    }
    assert packages[0]["Dimensions"]["Length"] == "12"
    assert "Dimensions" not in packages[1]
    assert packages[2]["PackageWeight"]["Weight"] == "150.8"  # 5 characters, rounded up
    assert packages[2]["PackageServiceOptions"]["DeclaredValue"]["MonetaryValue"] == "499.90"
    metric = ship_body("metric")["ShipmentRequest"]["Shipment"]["Package"][0]
    assert metric["PackageWeight"]["UnitOfMeasurement"]["Code"] == "KGS"
    assert metric["Dimensions"]["UnitOfMeasurement"]["Code"] == "CM"
    assert metric["Dimensions"]["Length"] == "41"  # Ship allows 3 characters: rounded up, never under


def test_only_some_dimensions_means_no_dimensions() -> None:
    spec = shipment(packages=(PackageSpec(weight=Decimal(2), length=Decimal(5)),))
    assert "Dimensions" not in wire.ship_request(spec)["ShipmentRequest"]["Shipment"]["Package"][0]


@pytest.mark.parametrize(
    ("label_format", "height", "user_agent"),
    [("GIF", "6", True), ("ZPL", "6", False), ("EPL", "6", False), ("PNG", "6", False)],
)
def test_label_specification_per_format(label_format: str, height: str, user_agent: bool) -> None:
    spec = wire.ship_request(shipment(label_format=label_format))["ShipmentRequest"]["LabelSpecification"]
    assert spec["LabelImageFormat"] == {"Code": label_format}
    assert spec["LabelStockSize"] == {"Height": height, "Width": "4"}
    assert ("HTTPUserAgent" in spec) is user_agent


def test_thermal_label_on_4x8_stock() -> None:
    assert ship_body("thermal")["ShipmentRequest"]["LabelSpecification"]["LabelStockSize"]["Height"] == "8"


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        (shipment(packages=()), "no packages"),
        (shipment(ship_to=GERMANY), "description of the goods"),
        (shipment(ship_to=CANADA, description="Tools"), "invoice total"),
        (shipment(packages=(PackageSpec(weight=Decimal(0)),)), "more than zero"),
        (shipment(packages=(PackageSpec(weight=Decimal(123456)),)), "larger than UPS accepts"),
        (shipment(ship_to=Party(name="Far Away", address=UpsAddress(("a" * 36,), "Reno", "NV", "89501", "US"))),
         "do not fit UPS's 3 lines of 35 characters"),
        (shipment(ship_to=Party(name="Town", address=UpsAddress(("1 Main St",), "C" * 31, "NV", "89501", "US"))),
         "longer than UPS's 30 characters"),
        (shipment(ship_to=Party(name="Maple Tools", address=CANADA.address), description="Tools",
                  invoice_total=Decimal(10)), "need the ship-to phone number"),
        (shipment(shipper=Party(name="ACME", address=CUSTOMER.address), ship_to=CANADA, description="Tools",
                  invoice_total=Decimal(10)), "shipper's attention name and phone number"),
        (shipment(service_code="14"), "UPS Next Day Air Early shipments need the ship-to phone number"),
    ],
)
def test_data_ups_would_refuse_is_reported_before_sending(spec: Any, problem: str) -> None:
    with pytest.raises(ShipmentDataError, match=problem):
        wire.ship_request(spec)


def test_name_falls_back_on_the_attention_line() -> None:
    spec = shipment(ship_to=Party(name="", attention="Jane Doe", address=CUSTOMER.address))
    assert wire.ship_request(spec)["ShipmentRequest"]["Shipment"]["ShipTo"]["Name"] == "Jane Doe"


def test_shop_rating_asks_every_service() -> None:
    body = wire.rate_request(shipment(), shop=True)
    assert_valid_request("POST", "/api/rating/v2409/Shop", body)
    assert body["RateRequest"]["Request"]["RequestOption"] == "Shop"
    assert "Service" not in body["RateRequest"]["Shipment"]


@pytest.mark.parametrize("as_array", [True, False])
def test_package_results_as_object_or_array(as_array: bool) -> None:
    answer = ship_answer(as_array=as_array)
    result = wire.parse_ship_response(answer)
    assert result.tracking_numbers == ("1Z999AA10123456784",)
    assert result.packages[0].label is not None
    assert result.packages[0].label.data == b"GIF89a-1Z999AA10123456784"
    assert result.packages[0].label.html == b"<html></html>"
    assert result.total_charges is not None and result.total_charges.amount == Decimal("18.42")
    assert result.negotiated_charges is not None and result.negotiated_charges.amount == Decimal("15.10")
    assert result.billing_weight == Decimal("13.0")
    assert result.alerts and result.alerts[0].startswith("120900")


def test_multi_package_results_keep_their_order() -> None:
    numbers = ("1Z999AA10123456784", "1ZCIETST0111111114")
    assert wire.parse_ship_response(ship_answer(numbers)).tracking_numbers == numbers


def test_a_ship_answer_without_tracking_numbers_is_an_error_not_an_empty_result() -> None:
    answer = ship_answer()
    answer["ShipmentResponse"]["ShipmentResults"]["PackageResults"] = []
    with pytest.raises(Exception, match="cannot read"):
        wire.parse_ship_response(answer)
