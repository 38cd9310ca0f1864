"""Charges with taxes and transit days, as UPS sends them only when asked (issue 19.4).

Shapes (tests/samples/, provenance in its README; both rebuilt from the Rating/Shipping specs with the shape
of UPS CIE answers other integrators recorded):
- ``ups_rate_shoptimeintransit_ca_taxes.json``: a Canadian Shoptimeintransit answer, negotiated, with taxes:
  ``TaxCharges`` arrays, ``TotalChargesWithTaxes`` published and negotiated (the negotiated one equal to no
  sum of its parts: UPS's total is taken as given), ``Service.Description`` "", and Expedited (02) and
  Standard (11) with ``TimeInTransit`` but no ``GuaranteedDelivery``;
- ``ups_ship_response_ca_taxes_v2205.json``: a Canadian Ship answer on v2205, ``TaxCharges`` and
  ``PackageResults`` single objects, no currency on the tax.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import responses

from shipdesk.ups import wire
from shipdesk.ups.client import UpsClient
from shipdesk.ups.models import Money, PackageSpec, Party, UpsAddress

from .fakes import BASE, assert_valid_request, calls_to, shipment

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def sent_json(call: Any) -> Any:
    return json.loads(call.request.body)


def sample(name: str) -> Any:
    return json.loads((SAMPLES / name).read_text(encoding="utf-8"))


def cad(amount: str) -> Money:
    return Money(Decimal(amount), "CAD")


def test_a_rate_quote_shows_what_the_shipper_pays_with_the_charges_before_taxes_beside() -> None:
    quotes = {q.service_code: q for q in wire.parse_rate_response(sample("ups_rate_shoptimeintransit_ca_taxes.json"))}
    express = quotes["01"]
    assert (express.total, express.total_before_taxes) == (cad("101.22"), cad("96.40"))
    assert (express.negotiated, express.negotiated_before_taxes) == (cad("94.61"), cad("90.10"))
    # GST listed twice, and a total with taxes that is neither sum: UPS's figure, never recomputed
    assert quotes["02"].negotiated == cad("60.62") and quotes["02"].negotiated_before_taxes == cad("57.70")


def test_transit_days_come_from_time_in_transit_when_nothing_is_guaranteed() -> None:
    quotes = {q.service_code: q for q in wire.parse_rate_response(sample("ups_rate_shoptimeintransit_ca_taxes.json"))}
    assert (quotes["01"].business_days, quotes["01"].guaranteed) == (1, True)
    assert (quotes["02"].business_days, quotes["02"].guaranteed) == (2, False)
    assert (quotes["11"].business_days, quotes["11"].guaranteed) == (4, False)


def test_a_quote_without_taxes_is_total_charges() -> None:
    rated = {"Service": {"Code": "03"}, "TotalCharges": {"CurrencyCode": "USD", "MonetaryValue": "9.99"},
             "NegotiatedRateCharges": {"TotalCharge": {"CurrencyCode": "USD", "MonetaryValue": "7.79"}}}
    [quote] = wire.parse_rate_response({"RateResponse": {"RatedShipment": rated}})
    assert quote.total == quote.total_before_taxes == Money(Decimal("9.99"), "USD")
    assert quote.negotiated == quote.negotiated_before_taxes == Money(Decimal("7.79"), "USD")
    assert quote.business_days is None


def test_a_taxed_ship_answer_keeps_both_totals() -> None:
    result = wire.parse_ship_response(sample("ups_ship_response_ca_taxes_v2205.json"))
    assert result.tracking_numbers == ("1Z999AA10123456784",)
    assert result.total_charges == cad("48.60")  # before taxes: what the freight cost is
    assert result.total_charges_with_taxes == cad("55.89")  # what the shipper pays UPS


def test_negotiated_taxes_come_with_the_negotiated_total() -> None:
    body = sample("ups_ship_response_ca_taxes_v2205.json")
    charges = body["ShipmentResponse"]["ShipmentResults"].pop("ShipmentCharges")
    for key in ("TaxCharges", "TotalChargesWithTaxes"):
        charges.pop(key)
    body["ShipmentResponse"]["ShipmentResults"]["ShipmentCharges"] = charges
    body["ShipmentResponse"]["ShipmentResults"]["NegotiatedRateCharges"] = {
        "TotalCharge": {"CurrencyCode": "CAD", "MonetaryValue": "40.10"}, "TaxCharges": [{"Type": "GST",
                                                                                         "MonetaryValue": "2.01"}],
        "TotalChargesWithTaxes": {"CurrencyCode": "CAD", "MonetaryValue": "42.11"}}
    result = wire.parse_ship_response(body)
    assert result.negotiated_charges == cad("40.10") and result.negotiated_charges_with_taxes == cad("42.11")
    assert result.total_charges_with_taxes is None


# -- asking for them ----------------------------------------------------------------------------------

CANADA = Party("Maple Supply", UpsAddress(("1 Canada Pl",), "Vancouver", "BC", "V6B1A1", "CA"), phone="6045550100")
TORONTO = Party("Lakeshore Ltd", UpsAddress(("200 Bay St",), "Toronto", "ON", "M5J2J2", "CA"), phone="4165550100")


@pytest.mark.parametrize("shop", [False, True])
def test_rate_requests_ask_for_taxes_and_time_in_transit(shop: bool) -> None:
    spec = shipment(packages=(PackageSpec(Decimal("12.5")), PackageSpec(Decimal("3"))))
    body = wire.rate_request(spec, shop=shop, time_in_transit=True)
    request_shipment = body["RateRequest"]["Shipment"]
    assert "TaxInformationIndicator" in request_shipment
    assert request_shipment["DeliveryTimeInformation"] == {"PackageBillType": "03"}
    assert request_shipment["ShipmentTotalWeight"]["Weight"] == "15.5"
    option = "Shoptimeintransit" if shop else "Ratetimeintransit"
    assert body["RateRequest"]["Request"]["RequestOption"] == option
    assert_valid_request("POST", f"/api/rating/v2409/{option}", body)


def test_ship_requests_ask_for_taxes() -> None:
    body = wire.ship_request(shipment(shipper=CANADA, ship_to=TORONTO, references=()))
    assert "TaxInformationIndicator" in body["ShipmentRequest"]["Shipment"]
    assert_valid_request("POST", "/api/shipments/v2409/ship", body)


def test_time_in_transit_is_asked_across_a_border_only_with_the_invoice_total() -> None:
    abroad = shipment(ship_to=TORONTO, references=(), description="Machine parts")
    assert not wire.asks_time_in_transit(abroad)  # UPS would refuse with 111549 (UPS-API issue 42)
    assert wire.asks_time_in_transit(shipment(ship_to=TORONTO, description="Machine parts",
                                              invoice_total=Decimal("250")))
    assert wire.asks_time_in_transit(shipment())


def test_the_client_rates_with_time_in_transit(client: UpsClient, mocked: responses.RequestsMock) -> None:
    url = f"{BASE}/api/rating/v2409/Shoptimeintransit"
    mocked.add(responses.POST, url, json=sample("ups_rate_shoptimeintransit_ca_taxes.json"))
    quotes = client.rate(shipment(shipper=CANADA, ship_to=TORONTO, references=()), shop=True)
    assert [q.business_days for q in quotes] == [1, 2, 4]
    assert_valid_request("POST", "/api/rating/v2409/Shoptimeintransit", sent_json(calls_to(mocked, url)[0]))
