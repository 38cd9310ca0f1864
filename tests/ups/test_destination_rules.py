"""UPS's rules by destination, one test each, on the request the client builds (pure, no network): the invoice
total (US→CA/PR only), the buyer's attention name and phone, documents, the order's currency, postal code forms.
Every body built here must also pass the shared validator (the schema plus ``shipdesk.ship_rules``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from shipdesk.errors import ShipmentDataError
from shipdesk.specs import SpecViolation, validate_ups_request
from shipdesk.ups import postal_codes, wire
from shipdesk.ups.models import (
    ELECTRONIC_RETURN_LABEL,
    INVOICE,
    PARTIAL_INVOICE,
    InvoiceForm,
    InvoiceProduct,
    PackageSpec,
    Party,
    UpsAddress,
)

from .fakes import shipment

SHIP_PATH = "/api/shipments/v2409/ship"
SHIPPER = Party(name="ACME Industrial Supply", attention="Shipping Dept", phone="4045550100",
                address=UpsAddress(("100 Main St",), "Atlanta", "GA", "30301", "US"))
DESTINATIONS = {
    "CA": Party(name="Maple Leaf Tools Ltd", attention="Import Desk", phone="4165550143",
                address=UpsAddress(("220 Yonge St",), "Toronto", "ON", "M5B 2H1", "CA")),
    "PR": Party(name="Isla Supply Co", attention="Marisol Rivera", phone="7875550148",
                address=UpsAddress(("1250 Av Ponce de Leon",), "San Juan", "PR", "00907", "PR")),
    "DE": Party(name="Müller Präzisionstechnik GmbH", attention="Jürgen Weiß", phone="+49711555010",
                address=UpsAddress(("Industriestraße 12",), "Stuttgart", "BW", "70565", "DE")),
    "GB": Party(name="Thames Valley Instruments Ltd", attention="Goods In", phone="+441185550170",
                address=UpsAddress(("14 Kings Road",), "Reading", "", "rg1 3ar", "GB")),
    "MX": Party(name="Ferretería del Norte", attention="José Peña", phone="+528155550123",
                address=UpsAddress(("Av. Constitución 444",), "Monterrey", "NL", "64000", "MX")),
}
GAUGES = InvoiceProduct("Digital pressure gauge 0-10 bar", 4, "EA", Decimal("189.00"), "GAUGEDIG", "9026.20", "JP")


def invoice(buyer: Party, currency: str = "USD", **changes: Any) -> InvoiceForm:
    values: dict[str, Any] = {"form_type": INVOICE, "products": (GAUGES,), "currency": currency,
                              "invoice_number": "SH000107", "invoice_date": date(2026, 11, 25),
                              "sold_to": buyer, "terms_of_shipment": "DAP", **changes}
    return InvoiceForm(**values)


def international(country: str, currency: str = "USD", **changes: Any) -> Any:
    buyer = DESTINATIONS[country]
    form = invoice(buyer, currency)
    values = {"shipper": SHIPPER, "ship_to": buyer, "service_code": "07", "description": "Pressure gauges",
              "currency": currency, "invoice_total": form.total, "invoice": form, **changes}
    return shipment(**values)


def body_of(spec: Any) -> dict[str, Any]:
    body = wire.ship_request(spec)
    validate_ups_request("post", SHIP_PATH, body)
    return body["ShipmentRequest"]["Shipment"]


@pytest.mark.parametrize(("country", "expected"), [("CA", True), ("PR", True), ("DE", False), ("GB", False),
                                                   ("MX", False)])
def test_the_shipment_invoice_total_goes_only_from_the_us_to_canada_and_puerto_rico(country, expected):
    shipment_json = body_of(international(country))
    assert ("InvoiceLineTotal" in shipment_json) is expected
    if expected:  # a whole number, rounded up: a customs value is never under-declared
        assert shipment_json["InvoiceLineTotal"] == {"CurrencyCode": "USD", "MonetaryValue": "756"}


def test_the_validator_refuses_an_invoice_total_where_ups_does_not_take_it():
    body = wire.ship_request(international("DE"))
    body["ShipmentRequest"]["Shipment"]["InvoiceLineTotal"] = {"CurrencyCode": "EUR", "MonetaryValue": "756"}
    with pytest.raises(SpecViolation, match="120504"):
        validate_ups_request("post", SHIP_PATH, body)
    body["ShipmentRequest"]["Shipment"].pop("InvoiceLineTotal")
    canada = wire.ship_request(international("CA"))
    canada["ShipmentRequest"]["Shipment"].pop("InvoiceLineTotal")
    with pytest.raises(SpecViolation, match="120539"):
        validate_ups_request("post", SHIP_PATH, canada)


def test_us_to_canada_without_the_goods_value_is_stopped_before_ups():
    with pytest.raises(ShipmentDataError, match="invoice total"):
        wire.ship_request(international("CA", invoice_total=None))


def test_a_return_from_canada_to_the_us_carries_the_invoice_total_and_a_partial_invoice():
    canada = DESTINATIONS["CA"]
    form = invoice(canada, "CAD", form_type=PARTIAL_INVOICE, reason_for_export="RETURN", sold_to=None,
                   invoice_date=None)
    spec = shipment(shipper=SHIPPER, ship_to=SHIPPER, ship_from=canada, service_code="07", currency="CAD",
                    description="Pressure gauges", invoice=form, invoice_total=form.total,
                    return_service=ELECTRONIC_RETURN_LABEL, label_email="imports@maple.example")
    shipment_json = body_of(spec)
    assert shipment_json["InvoiceLineTotal"]["CurrencyCode"] == "CAD"
    assert shipment_json["ShipmentServiceOptions"]["InternationalForms"]["FormType"] == ["05"]
    assert shipment_json["ReturnService"]["Code"] == "8"
    assert shipment_json["ShipmentServiceOptions"]["LabelDelivery"] == {"EMail": {"EMailAddress":
                                                                                  "imports@maple.example"}}


@pytest.mark.parametrize("country", sorted(DESTINATIONS.keys() - {"PR"}))
def test_the_buyer_on_the_invoice_has_an_attention_name_and_phone(country):
    sold_to = body_of(international(country))["ShipmentServiceOptions"]["InternationalForms"]["Contacts"]["SoldTo"]
    assert sold_to["AttentionName"] == DESTINATIONS[country].attention
    assert sold_to["Phone"]["Number"].isdigit()
    # a person: no attention name (the phone UPS requires across a border is there)
    nameless = Party(name="Jane Roe", phone="5555550199", address=DESTINATIONS[country].address)
    spec = international(country, invoice=invoice(nameless), ship_to=nameless)
    fallback = wire.ship_request(spec)["ShipmentRequest"]["Shipment"]["ShipmentServiceOptions"]
    assert fallback["InternationalForms"]["Contacts"]["SoldTo"]["AttentionName"] == "Jane Roe"


def test_the_validator_refuses_an_invoice_without_the_buyers_attention_name():
    body = wire.ship_request(international("DE"))
    body["ShipmentRequest"]["Shipment"]["ShipmentServiceOptions"]["InternationalForms"]["Contacts"]["SoldTo"].pop(
        "AttentionName")
    with pytest.raises(SpecViolation, match="SoldTo: 'AttentionName' is a required property"):
        validate_ups_request("post", SHIP_PATH, body)


def test_documents_get_no_invoice_and_the_documents_flag_only_where_ups_takes_it():
    from_us = body_of(international("GB", documents_only=True, invoice_total=None, description="Documents"))
    assert "InternationalForms" not in from_us.get("ShipmentServiceOptions", {})
    assert "DocumentsOnlyIndicator" not in from_us  # UPS: not valid from the US (120523)
    canada_shipper = Party(name="Maple", attention="A", phone="4165550000",
                           address=UpsAddress(("1 Bay St",), "Toronto", "ON", "M5J2T3", "CA"))
    from_canada = wire.ship_request(shipment(shipper=canada_shipper, ship_to=DESTINATIONS["DE"], service_code="07",
                                             documents_only=True, description="Documents"))
    assert "DocumentsOnlyIndicator" in from_canada["ShipmentRequest"]["Shipment"]


def test_the_validator_refuses_forms_for_documents_and_the_flag_from_the_us():
    body = wire.ship_request(international("GB"))
    body["ShipmentRequest"]["Shipment"]["DocumentsOnlyIndicator"] = ""
    with pytest.raises(SpecViolation) as refused:
        validate_ups_request("post", SHIP_PATH, body)
    assert "120523" in str(refused.value.errors) and "128202" in str(refused.value.errors)


@pytest.mark.parametrize(("country", "currency"), [("CA", "CAD"), ("DE", "EUR"), ("GB", "GBP"), ("MX", "USD")])
def test_the_invoice_and_the_declared_values_use_the_orders_currency(country, currency):
    spec = international(country, currency, packages=(PackageSpec(weight=Decimal(5), declared_value=Decimal(100)),))
    shipment_json = body_of(spec)
    forms = shipment_json["ShipmentServiceOptions"]["InternationalForms"]
    assert forms["CurrencyCode"] == currency
    declared = shipment_json["Package"][0]["PackageServiceOptions"]["DeclaredValue"]["CurrencyCode"]
    assert declared == currency  # one currency per shipment (UPS 120527)
    if "InvoiceLineTotal" in shipment_json:
        assert shipment_json["InvoiceLineTotal"]["CurrencyCode"] == currency


@pytest.mark.parametrize(("country", "typed", "sent"), [
    ("CA", "m5b 2h1", "M5B2H1"), ("US", "30301-1234", "303011234"), ("PR", "00907", "00907"),
    ("GB", "rg13ar", "RG1 3AR"), ("GB", "SW1A 1AA", "SW1A 1AA"), ("MX", "64000", "64000"), ("DE", "D-70565", "70565"),
    ("NL", "1234 ab", "1234AB"), ("PL", "00-950", "00950"), ("PT", "1000-001", "1000001"), ("SE", "114 55", "11455"),
])
def test_postal_codes_are_sent_in_the_form_ups_takes_for_the_country(country, typed, sent):
    assert postal_codes.normalise(country, typed) == sent
    assert postal_codes.problem(country, typed) is None


@pytest.mark.parametrize(("country", "typed", "expected"), [
    ("CA", "12345", "A1A 1A1"), ("US", "3030", "5 or 9 digits"), ("MX", "6400", "5 digits"),
    ("DE", "7056", "5 digits"), ("GB", "12345", "UK postcode"), ("NL", "1234", "4 digits and 2 letters"),
    ("JP", "100-0001-12345", "at most 9"),
])
def test_a_postal_code_not_in_the_countrys_form_is_named_with_the_form_expected(country, typed, expected):
    assert expected in (postal_codes.problem(country, typed) or "")


def test_the_validator_refuses_a_canadian_postal_code_with_a_space():
    body = wire.ship_request(international("CA"))
    body["ShipmentRequest"]["Shipment"]["ShipTo"]["Address"]["PostalCode"] = "M5B 2H1"
    with pytest.raises(SpecViolation, match="120207"):
        validate_ups_request("post", SHIP_PATH, body)


def test_goods_entering_the_eu_name_each_product_or_say_why_not():
    product = body_of(international("DE"))["ShipmentServiceOptions"]["InternationalForms"]["Product"][0]
    assert product["ProductIdentifier"] == [{"ProductID": "GAUGEDIG", "ProductIDTypeCode": "0100"}]
    assert product["CommodityFieldSpecialConditionCode"] == "01"
    assert product["CommodityCode"] == "902620"  # dots dropped: letters and digits only
    outside = body_of(international("MX"))["ShipmentServiceOptions"]["InternationalForms"]["Product"][0]
    assert "ProductIdentifier" not in outside
