"""Ship and Void: turn a spec-valid ShipmentRequest into a stored shipment and a ShipmentResponse.

Business rules enforced beyond the schema (each a 400 in UPS's error shape): the shipper number
and the billed account must be the sandbox's account; the service code must exist for the lane;
a shipment-level ReferenceNumber is refused on US→US and PR→PR shipments (error 120541);
every package needs a weight; at most 200 packages; the label format must be GIF, PNG, ZPL, EPL or SPL.
Charges are in the origin's currency; with ``TaxInformationIndicator`` a taxed lane (from Canada) adds
``TaxCharges`` and ``TotalChargesWithTaxes`` to ``ShipmentCharges``, or only to ``NegotiatedRateCharges``
when negotiated rates apply, as Shipping.yaml says (``rating.taxes``).
``corrupt`` (the ``corrupt_labels`` control option) replaces each ``GraphicImage`` with bad data as
integrations meet it: base64 cut off mid-transfer, a gateway's HTML error page, or an empty string.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from shipdesk.sandbox.ups import invoice_form, rating
from shipdesk.sandbox.ups.errors import (
    INVALID_REQUEST,
    INVALID_SHIPPER_NUMBER,
    SHIPMENT_REFERENCE_NOT_ALLOWED,
    TOO_MANY_PACKAGES,
    UpsRefusal,
)
from shipdesk.sandbox.ups.labels import IMAGE_FORMATS, PRINTER_FORMATS, LabelContent, render
from shipdesk.sandbox.ups.records import PackageRecord, Place, ShipmentRecord
from shipdesk.sandbox.ups.tracking_numbers import make_tracking_number

MAX_PACKAGES = 200
MAX_VOID_NUMBERS = 20
TRACKING_NUMBER = re.compile(r"[0-9A-Z]{18}")
SHIP_FORMATS = (*IMAGE_FORMATS, *PRINTER_FORMATS)
LABEL_CORRUPTIONS = ("truncated", "html", "empty")
ELECTRONIC_RETURN_LABEL = "8"
GATEWAY_ERROR_PAGE = ("<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>"
                      "<body><h1>Bad Gateway</h1><p>The proxy server received an invalid response.</p></body></html>")


def _as_list(node: Any) -> list[Any]:
    if node is None:
        return []
    return node if isinstance(node, list) else [node]


def _is_domestic_pair(origin: str, destination: str) -> bool:
    return (origin, destination) in (("US", "US"), ("PR", "PR"))


def _address_lines(party: dict[str, Any]) -> list[str]:
    address = party.get("Address", {})
    city_line = " ".join(x for x in (address.get("City", ""), address.get("StateProvinceCode", ""),
                                     address.get("PostalCode", "")) if x)
    lines = [party.get("Name", ""), party.get("AttentionName", ""), *_as_list(address.get("AddressLine")),
             city_line.upper(), address.get("CountryCode", "")]
    return [str(line) for line in lines if line]


def check_business_rules(shipment: dict[str, Any], account: str) -> None:
    shipper = shipment["Shipper"]
    if shipper.get("ShipperNumber", "").upper() != account.upper():
        raise UpsRefusal(400, INVALID_SHIPPER_NUMBER,
                         "Missing or invalid shipper number: it does not match the authorised account.")
    for charge in _as_list((shipment.get("PaymentInformation") or {}).get("ShipmentCharge")):
        billed = (charge.get("BillShipper") or {}).get("AccountNumber")
        if billed is not None and billed.upper() != account.upper():
            raise UpsRefusal(400, INVALID_SHIPPER_NUMBER, "Invalid or missing BillShipper account number.")
    origin = (shipment.get("ShipFrom") or shipper)["Address"]["CountryCode"].upper()
    destination = shipment["ShipTo"]["Address"]["CountryCode"].upper()
    if shipment.get("ReferenceNumber") and _is_domestic_pair(origin, destination):
        raise UpsRefusal(400, SHIPMENT_REFERENCE_NOT_ALLOWED,
                         "Shipment level reference numbers are not allowed for US to US or PR to PR "
                         "shipments; use package level reference numbers.")
    packages = _as_list(shipment.get("Package"))
    if len(packages) > MAX_PACKAGES:
        raise UpsRefusal(400, TOO_MANY_PACKAGES, f"A shipment may have at most {MAX_PACKAGES} packages.")
    for number, package in enumerate(packages, 1):
        if not (package.get("PackageWeight") or {}).get("Weight"):
            raise UpsRefusal(400, INVALID_REQUEST, f"Missing or invalid package weight for package {number}.")
    svc = rating.service(shipment["Service"]["Code"])
    if svc not in rating.services_for_lane(origin, destination):
        raise UpsRefusal(400, "120703", f"The requested service {svc.name} is unavailable between the "
                                        "selected locations.")


def create_shipment(request: dict[str, Any], account: str, now: datetime,
                    next_serial: Callable[[], int], trans_id: str | None) -> ShipmentRecord:
    """Check the rules and build the record (tracking numbers and label contents); nothing is stored."""
    shipment = request["Shipment"]
    check_business_rules(shipment, account)
    label_spec = request.get("LabelSpecification") or {}
    label_format = str((label_spec.get("LabelImageFormat") or {}).get("Code", "GIF")).upper()
    if label_format not in SHIP_FORMATS:
        raise UpsRefusal(400, INVALID_REQUEST, f"Invalid label image format {label_format}; "
                                               f"use one of {', '.join(SHIP_FORMATS)}.")
    if label_format in PRINTER_FORMATS and not label_spec.get("LabelStockSize"):
        raise UpsRefusal(400, INVALID_REQUEST, f"Missing LabelStockSize: {label_format} labels need the label "
                                               "size (Height and Width).")
    svc = rating.service(shipment["Service"]["Code"])
    ship_from_party = shipment.get("ShipFrom") or shipment["Shipper"]
    ship_to = shipment["ShipTo"]
    shipment_refs = [r["Value"] for r in _as_list(shipment.get("ReferenceNumber"))]
    packages = _as_list(shipment["Package"])
    options = shipment.get("ShipmentServiceOptions") or {}
    record = ShipmentRecord(
        identification_number="", account=account.upper(), service=svc, created_at=now,
        origin=Place.from_address(ship_from_party["Address"]),
        destination=Place.from_address(ship_to["Address"]),
        ship_to_name=ship_to.get("Name", ""), ship_to_attention=ship_to.get("AttentionName", ""),
        residential="ResidentialAddressIndicator" in ship_to["Address"], references=shipment_refs,
        trans_id=trans_id, return_service=str((shipment.get("ReturnService") or {}).get("Code", "")),
        label_email=str(((options.get("LabelDelivery") or {}).get("EMail") or {}).get("EMailAddress", "")),
        form_group_id=now.strftime("%Y-%m-%d-%H.%M.%S.%f") if options.get("InternationalForms") else "",
    )
    for index, package in enumerate(packages, 1):
        tracking = make_tracking_number(account, svc.code, next_serial())
        refs = [r["Value"] for r in _as_list(package.get("ReferenceNumber"))]
        weight = rating.package_weight_lbs(package)
        unit = package["PackageWeight"].get("UnitOfMeasurement", {}).get("Code", "LBS")
        content = LabelContent(
            tracking_number=tracking, service_name=svc.name, ship_from=_address_lines(ship_from_party),
            ship_to=_address_lines(ship_to), weight=f"{package['PackageWeight']['Weight']} {unit}",
            package_index=index, package_count=len(packages), ship_date=now.date().isoformat(),
            references=shipment_refs + refs)
        record.packages.append(PackageRecord(tracking, index, weight, refs, content, label_format))
    record.identification_number = record.packages[0].tracking_number
    return record


#: where the shipments made through the control API (``POST /_sandbox/packages``) go from and to
SEEDED_ORIGIN = Place("ATLANTA", "GA", "30301", "US")
SEEDED_DESTINATION = Place("NEW YORK", "NY", "10001", "US")


def labelled_package(account: str, service_code: str, created_at: datetime, serial: int, index: int
                     ) -> ShipmentRecord:
    """A single-package shipment labelled at ``created_at``, as Ship would have made it (no request
    needed): what a busy day leaves behind, made in bulk for benchmarks and demos."""
    svc = rating.service(service_code)
    tracking = make_tracking_number(account, svc.code, serial)
    content = LabelContent(
        tracking_number=tracking, service_name=svc.name, ship_from=["ACME INDUSTRIAL SUPPLY", "ATLANTA GA 30301"],
        ship_to=[f"CUSTOMER {index}", "NEW YORK NY 10001"], weight="5 LBS", package_index=1, package_count=1,
        ship_date=created_at.date().isoformat())
    record = ShipmentRecord(
        identification_number=tracking, account=account.upper(), service=svc, created_at=created_at,
        origin=SEEDED_ORIGIN, destination=SEEDED_DESTINATION, ship_to_name=f"Customer {index}",
        ship_to_attention="Receiving", residential=False, references=[])
    record.packages.append(PackageRecord(tracking, 1, 5.0, [], content, "ZPL"))
    return record


def forms_result(record: ShipmentRecord, request: dict[str, Any], *, paperless: bool) -> dict[str, Any] | None:
    """``ShipmentResults.Form``: the invoice UPS drew, as a PDF, with the id UPS files it under. A paperless
    account gets no copy unless it asks (``OverridePaperlessIndicator``); forms the shipper uploaded (07) are
    only acknowledged by their group id (UPS-API/api-documentation issue 119)."""
    forms = (request["Shipment"].get("ShipmentServiceOptions") or {}).get("InternationalForms")
    if not forms:
        return None
    if set(forms.get("FormType") or []) == {"07"} or (paperless and "OverridePaperlessIndicator" not in forms):
        return {"FormGroupId": record.form_group_id}
    pdf = invoice_form.render_invoice(request, waybill=record.identification_number,
                                      shipment_id=record.identification_number)
    return {"Code": "01", "Description": "All Requested International Forms", "FormGroupId": record.form_group_id,
            "Image": {"ImageFormat": {"Code": "PDF", "Description": "PDF"},
                      "GraphicImage": base64.b64encode(pdf).decode("ascii")}}


def shipment_response(record: ShipmentRecord, request: dict[str, Any], corrupt: str = "", *,
                      paperless: bool = False) -> dict[str, Any]:
    """The ShipmentResponse with every list an array (``response_shapes`` adapts it to older versions)."""
    shipment = request["Shipment"]
    weights = [p.weight_lbs for p in record.packages]
    charges = rating.charges_for(record.service, weights, record.origin.postal_code,
                                 record.destination.postal_code, record.residential)
    charges = replace(charges, service_options=rating.option_charges(shipment))
    currency = rating.currency_of(record.origin.country)
    package_results = [_package_result(p, record, charges, currency, corrupt) for p in record.packages]
    shipment_charges = _shipment_charges(charges, currency)
    results: dict[str, Any] = {
        "ShipmentCharges": shipment_charges,
        "BillingWeight": {"UnitOfMeasurement": {"Code": "LBS", "Description": "Pounds"},
                          "Weight": f"{charges.billing_weight:8.1f}"},  # the spec fixes 8 characters
        "ShipmentIdentificationNumber": record.identification_number,
        "PackageResults": package_results,
    }
    forms = forms_result(record, request, paperless=paperless)
    if forms is not None:
        results["Form"] = forms
    taxed = "TaxInformationIndicator" in shipment
    if "NegotiatedRatesIndicator" in (shipment.get("ShipmentRatingOptions") or {}):
        results["NegotiatedRateCharges"] = {"TotalCharge": rating.money(charges.negotiated_total, currency)}
        if taxed:
            results["NegotiatedRateCharges"].update(
                rating.taxes(charges.negotiated_total, record.origin.country, currency))
    elif taxed:
        shipment_charges.update(rating.taxes(charges.total, record.origin.country, currency))
    response: dict[str, Any] = {"ResponseStatus": {"Code": "1", "Description": "Success"}}
    context = (request.get("Request", {}).get("TransactionReference") or {}).get("CustomerContext")
    if context:
        response["TransactionReference"] = {"CustomerContext": context}
    return {"ShipmentResponse": {"Response": response, "ShipmentResults": results}}


def _shipment_charges(charges: rating.Charges, currency: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "BaseServiceCharge": rating.money(charges.transportation, currency),
        "TransportationCharges": rating.money(charges.transportation + charges.residential, currency),
        "ServiceOptionsCharges": rating.money(charges.service_options, currency),
        "TotalCharges": rating.money(charges.total, currency),
    }
    if charges.residential:
        body["ItemizedCharges"] = [{"Code": "270", "Description": "RESIDENTIAL ADDRESS",
                                    **rating.money(charges.residential, currency)}]
    return body


def _package_result(package: PackageRecord, record: ShipmentRecord, charges: rating.Charges, currency: str,
                    corrupt: str = "") -> dict[str, Any]:
    share = charges.transportation / len(record.packages)
    if record.return_service == ELECTRONIC_RETURN_LABEL:  # UPS emails it: no label in the answer
        return {"TrackingNumber": package.tracking_number, "BaseServiceCharge": rating.money(share, currency),
                "ServiceOptionsCharges": rating.money(0.0, currency)}
    label = render(package.label, package.label_format)
    shipping_label: dict[str, Any] = {
        "ImageFormat": {"Code": label.format_code, "Description": label.format_code},
        "GraphicImage": corrupted(label.graphic_b64, corrupt),
    }
    if label.html_b64 is not None:
        shipping_label["HTMLImage"] = label.html_b64
    return {
        "TrackingNumber": package.tracking_number,
        "BaseServiceCharge": rating.money(share, currency),
        "ServiceOptionsCharges": rating.money(0.0, currency),
        "ShippingLabel": shipping_label,
    }


def corrupted(graphic_b64: str, how: str) -> str:
    """``GraphicImage`` as sent, or damaged as ``how`` says (see ``LABEL_CORRUPTIONS``)."""
    if how == "truncated":
        cut = len(graphic_b64) // 2
        return graphic_b64[:cut - 1 if cut % 4 == 0 else cut]  # mid-transfer: never a whole base64 quantum
    if how == "html":
        return GATEWAY_ERROR_PAGE
    if how == "empty":
        return ""
    return graphic_b64


def void_tracking_numbers(param: str | None) -> list[str]:
    """The packages a void names in ``trackingnumber``, read as UPS reads it (Shipping.yaml lines 2413-2422,
    confirmed on the CIE in UPS-API/api-documentation issue 108): one number as is, or several as a JSON
    array of quoted numbers, ``["1Z…","1Z…"]``, at most 20; each 18 characters, upper case. Any other
    form is refused."""
    text = (param or "").strip()
    if not text:
        return []
    if text.startswith("["):
        try:
            numbers = json.loads(text)
        except ValueError:
            numbers = None
        if not isinstance(numbers, list) or not all(isinstance(n, str) for n in numbers):
            raise UpsRefusal(400, INVALID_REQUEST, 'Invalid trackingnumber: several numbers are sent as '
                                                   '["1Z...","1Z..."].')
    else:
        numbers = [text]
    if not 1 <= len(numbers) <= MAX_VOID_NUMBERS:
        raise UpsRefusal(400, INVALID_REQUEST, f"Invalid trackingnumber: 1 to {MAX_VOID_NUMBERS} numbers.")
    for number in numbers:
        if not TRACKING_NUMBER.fullmatch(number):
            raise UpsRefusal(400, INVALID_REQUEST, f"Invalid tracking number {number[:40]!r}: 18 characters, "
                                                   "upper case.")
    return numbers


def void_response(voided: list[str], partial: bool) -> dict[str, Any]:
    """The CIE's shape: package results under the singular ``PackageLevelResult``, one object for one package
    and an array for several (UPS-API/api-documentation issue 63; the spec names it ``PackageLevelResults``)."""
    body: dict[str, Any] = {
        "Response": {"ResponseStatus": {"Code": "1", "Description": "Success"}},
        "SummaryResult": {"Status": {"Code": "1", "Description": "Voided"}},
    }
    if partial:
        results = [{"TrackingNumber": number, "Status": {"Code": "1", "Description": "Voided"}} for number in voided]
        body["PackageLevelResult"] = results[0] if len(results) == 1 else results
    return {"VoidShipmentResponse": body}
