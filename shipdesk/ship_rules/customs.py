"""UPS's rules for a Ship request across a border and for return labels that Shipping.yaml states in prose.

Each rule names where the spec states it and the code UPS answers. The codes come from the error table of
UPS's Shipping Package developer guide (a public extraction of it: docs/evidence/international-and-returns.md);
a REST capture confirms some of them (120502 in OCA/delivery-carrier PR 464, 120541 in karrio). Where the table
has no fitting code the rule says the code is a guess (``settled=False``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shipdesk.ship_rules.lanes import (
    EU,
    NO_STANDARD_PRODUCT_ID,
    POSTAL_CODE_MAX,
    documents_flag_allowed,
    eu_inbound,
    invoice_line_total_applies,
)
from shipdesk.ship_rules.rule import WHERE, Rule, Violation, country, decimal, items, obj, text

RETURN_FORM_TYPES = frozenset({"05", "10"})
KNOWN_FORM_TYPES = frozenset({"01", "03", "04", "05", "06", "07", "08", "09", "10", "11"})
#: InternationalForms/TermsOfShipment lists 13 terms; the spec's other TermsOfShipment (line ~9542) adds DAT and DDU,
#: and karrio's connector sends DDU in production: both lists are taken
INCOTERMS = frozenset({"CFR", "CIF", "CIP", "CPT", "DAF", "DAP", "DAT", "DDP", "DDU", "DEQ", "DES", "EXW", "FAS",
                       "FCA", "FOB"})
#: "The following Services are not available to return shipment: 13, 59, 82, 83, 84, 85, 86, C6, C7, C8"
NO_RETURN_SERVICES = frozenset({"13", "59", "82", "83", "84", "85", "86", "C6", "C7", "C8"})
#: "The Sold To party's country code must be the same as the Ship To party's country code with the exception of
#: Canada and satellite countries"
SOLD_TO_EXCEPTIONS = frozenset({"CA"})
MAX_PRODUCTS = 50
MAX_DOCUMENTS = 13
UPS_LETTER = "01"
UPS_STANDARD = "11"
_DIGITS = re.compile(r"\d{1,7}")
_VALUE = re.compile(r"\d{1,13}(\.\d{1,6})?")
_ALNUM = re.compile(r"[A-Za-z0-9]+")
_COUNTRY = re.compile(r"[A-Z]{2}")


TABLE = "UPS's Shipping Package developer guide, error table"
INVOICE_TOTAL_NOT_ALLOWED = Rule("120504", "InvoiceLineTotal is not allowed for this shipment",
                                      f"{TABLE}; Shipping.yaml InvoiceLineTotal: 'Not available for any other "
                                      "shipments'. Yet karrio's UPS connector (2026.1.32, shipment/create.py) sends it "
                                      "on every Ship request, domestic ones included, with no public report of "
                                      "120504: taken (ignored) in production", ups_refuses=False)
INVOICE_TOTAL_ZERO = Rule("120502", "InvoiceLineTotal/MonetaryValue must be greater than 0",
                               "OCA/delivery-carrier PR 464 (US to Canada); the table")
INVOICE_TOTAL_REQUIRED = Rule("120539", "InvoiceLineTotal/ MonetaryValue is required and must be a whole number",
                                   f"{TABLE}; Shipping.yaml: 'Required for forward shipments whose origin is the US "
                                   "and destination is Puerto Rico or Canada'")
INVOICE_TOTAL_TOO_LONG = Rule("120526", "InvoiceLineTotal/MonetaryValue may not exceed the length of 8", TABLE)
DOCUMENTS_FLAG = Rule("120523", "Shipment/Documents Only is invalid with the shipments origin/destination pair",
                           TABLE)
FORMS_FOR_DOCUMENTS = Rule("128202", "International forms can not be requested for letters or documents.", TABLE)
DESCRIPTION_REQUIRED = Rule("120512", "Shipment Description is required for this shipment.", TABLE)
FORM_TYPE = Rule("128001", "Invalid or missing international forms form type.", TABLE)
FORM_TYPE_TWICE = Rule("128205", "Duplicate International FormType Information.", TABLE)
INVOICE_AND_PARTIAL = Rule("128210", "Invalid combination of international forms. Both partial and complete "
                                "invoice form cannot be selected together.", TABLE)
RETURN_FORM_TYPE = Rule("128201", "Invalid or missing international forms form type for shipment with return "
                             "service.", f"{TABLE}; Shipping.yaml FormType: 'For shipment with return service, 05 or "
                             "10 are the only valid values'")
DOCUMENT_ID = Rule("128223", "Invalid or missing DocumentID.", TABLE)
TOO_MANY_DOCUMENTS = Rule("128239", "Exceeds maximum number of Document IDs (13) allowed per Shipment.", TABLE)
NO_PRODUCTS = Rule("128218", "A Commercial Invoice must have at least one commodity in a request.", TABLE)
TOO_MANY_PRODUCTS = Rule("128039", "Invalid number of products. Valid number of products are 1 to 50", TABLE)
PRODUCT_DESCRIPTION = Rule("128113", "Invalid product description. Product description should be present at "
                                "least once. Valid range is 0 to 35 alphanumeric", TABLE)
PRODUCT_NUMBER = Rule("128043", "Invalid or missing product unit number. Valid length is 1 to 7 numeric", TABLE)
PRODUCT_UNIT = Rule("128044", "Invalid or missing Product/Unit/UnitOfMeasurement/Code. Valid length is 1 to 3 "
                         "alphanumeric", TABLE)
PRODUCT_OTHER_UNIT = Rule("128045", "Product/Unit/UnitOfMeasurement/Description is required when "
                               "Product/Unit/UnitOfMeasurement/Code is \"OTH\"", TABLE)
PRODUCT_VALUE = Rule("128046", "Invalid or missing product unit value. Valid length is 1 to 12 numeric and it can "
                          "hold up to 6 decimal places", f"{TABLE}; Shipping.yaml Unit.Value: 'Amount should be "
                          "greater than zero'")
COMMODITY_CODE = Rule("128048", "Invalid commodity code. Valid length is 6 to 15 alphanumeric", TABLE)
ORIGIN_COUNTRY = Rule("128049", "Invalid or missing product origin country code", TABLE)
INVOICE_NUMBER = Rule("128065", "Invalid invoice number. Valid length is 0 to 35 alphanumeric",
                           f"{TABLE}; Shipping.yaml InvoiceNumber: 'Required for Invoice forms'")
INVOICE_DATE = Rule("128066", "Invalid or missing invoice date. Valid format is yyyyMMdd", TABLE)
TERMS = Rule("128068", "Invalid terms of shipment.", TABLE)
REASON_FOR_EXPORT = Rule("128069", "Invalid or missing reason for export. Valid length is 1 to 20 alphanumeric",
                              TABLE)
CURRENCY = Rule("128114", "Invalid or missing currency code. Valid length is 3 alphanumeric.", TABLE)
SOLD_TO = Rule("128094", "Sold to information is required when an invoice or NAFTA CO is requested.", TABLE)
SOLD_TO_NAME = Rule("128095", "Invalid or missing sold to company name. Valid length is 1 to 35 alphanumeric",
                         TABLE)
SOLD_TO_ATTENTION = Rule("128109", "Invalid or missing sold to attention name. Valid value is 1 to 35 "
                              "alphanumeric", TABLE)
SOLD_TO_ADDRESS = Rule("128096", "Invalid or missing sold to address line 1. Valid length is 1 to 35 "
                            "alphanumeric", TABLE)
SOLD_TO_CITY = Rule("128099", "Invalid or missing sold to city. Valid length is 1 to 30 alphanumeric", TABLE)
SOLD_TO_COUNTRY = Rule("128102", "Invalid or missing sold to country code", f"{TABLE}; Shipping.yaml SoldTo: "
                            "the Sold To country must be the Ship To country, Canada excepted")
EU_PRODUCT_ID = Rule("128231", "Invalid Product Id.", "Shipping.yaml ProductIdentifier ('Required for EU "
                          "Inbound Shipments') and CommodityFieldSpecialConditionCode ('Must be set to \"01\" when a "
                          "Standardized Product ID is not provided'); the table's only product-id code: a guess",
                          settled=False)
SHIP_TO_POSTAL_CODE = Rule("120207", "Missing/Invalid ShipTo PostalCode.", f"{TABLE}; Shipping.yaml "
                                "ShipTo.Address.PostalCode (US/PR 5 or 9 digits, CA A#A#A#, else at most 9)")
RETURN_SHIP_FROM = Rule("120302", "Missing/Invalid ShipFrom AddressLine1", "Shipping.yaml ShipFrom: 'Required for "
                             "return shipment'; the table's ShipFrom code for a missing address: a guess",
                             settled=False)
RETURN_PACKAGE_DESCRIPTION = Rule("120622", "Package description is required",
                                       f"{TABLE}; Shipping.yaml Package.Description: 'Required for shipment with "
                                       "return service'")
RETURN_ONE_PACKAGE = Rule("120624", "Only one package is allowed for this movement.",
                               f"{TABLE}; Shipping.yaml Package: 'US/PR origin return movements are limited to only "
                               "one package'")
RETURN_SERVICE = Rule("121320", "The Authorized Return Service is unavailable with the selected service.",
                           f"{TABLE}; Shipping.yaml Service.Code lists the services returns cannot use")
RETURN_LABEL_DELIVERY = Rule("129176", "Either LabelDelivery Email or LabelLinksIndicator must be provided for "
                                  "this shipment.", f"{TABLE}; Shipping.yaml LabelDelivery: 'Required for shipments "
                                  "with [...] Electronic Return Label Return Service'")
RETURN_PRINT_EMAIL = Rule("129176", "For a Print Return Label only LabelLinksIndicator is valid in LabelDelivery.",
                               "Shipping.yaml LabelDelivery; the code is the ERL one: a guess", settled=False)
RETURN_COUNTRIES = Rule("121214", "UPS cannot ship from the origin country to the destination country",
                             "Shipping.yaml ShipTo.CountryCode: for a return at least two of ShipTo, ShipFrom and "
                             "Shipper must be the same country; the code is a guess", settled=False)


def violations(body: Any) -> list[Violation]:
    """Every rule ``body`` (a ``{"ShipmentRequest": ...}`` document) breaks; [] for a body with no Shipment."""
    shipment = obj(obj(body, "ShipmentRequest"), "Shipment")
    if not shipment:
        return []
    return [*_border_violations(shipment), *_forms_violations(shipment), *_return_violations(shipment),
            *_postal_code_violations(shipment)]


@dataclass(frozen=True)
class _Lane:
    shipper: str
    origin: str
    destination: str
    returning: bool
    documents: bool  # DocumentsOnlyIndicator, or every package a UPS Letter


def _lane(shipment: dict[str, Any]) -> _Lane:
    shipper = country(obj(shipment, "Shipper"))
    origin = country(obj(shipment, "ShipFrom") or obj(shipment, "Shipper"))
    packages = items(shipment, "Package")
    letters = bool(packages) and all(text(obj(p, "Packaging"), "Code") == UPS_LETTER for p in packages)
    return _Lane(shipper, origin, country(obj(shipment, "ShipTo")), bool(obj(shipment, "ReturnService")),
                 "DocumentsOnlyIndicator" in shipment or letters)


def _border_violations(shipment: dict[str, Any]) -> Iterator[Violation]:
    lane = _lane(shipment)
    total = obj(shipment, "InvoiceLineTotal")
    applies = invoice_line_total_applies(lane.origin, lane.destination, returning=lane.returning)
    where = f"{WHERE}/InvoiceLineTotal"
    if "InvoiceLineTotal" in shipment and not applies:
        yield Violation(INVOICE_TOTAL_NOT_ALLOWED, where, f"sent for {lane.origin} to {lane.destination}")
    elif applies and not total:
        yield Violation(INVOICE_TOTAL_REQUIRED, where, f"required for {lane.origin} to {lane.destination}")
    elif total:
        value = text(total, "MonetaryValue")
        amount = decimal(value)
        if amount is None or amount != amount.to_integral_value():
            yield Violation(INVOICE_TOTAL_REQUIRED, f"{where}/MonetaryValue", f"{value!r} is not a whole number")
        elif amount <= 0:
            yield Violation(INVOICE_TOTAL_ZERO, f"{where}/MonetaryValue", f"{value!r}")
        elif len(value) > 8:
            yield Violation(INVOICE_TOTAL_TOO_LONG, f"{where}/MonetaryValue", f"{len(value)} digits")
    if "DocumentsOnlyIndicator" in shipment and not documents_flag_allowed(lane.origin, lane.destination):
        yield Violation(DOCUMENTS_FLAG, f"{WHERE}/DocumentsOnlyIndicator", f"{lane.origin} to {lane.destination}")
    if _needs_description(shipment, lane) and not text(shipment, "Description"):
        yield Violation(DESCRIPTION_REQUIRED, f"{WHERE}/Description", "required across a border")


def _needs_description(shipment: dict[str, Any], lane: _Lane) -> bool:
    """Shipment/Description: "Required if [...] ShipFrom and ShipTo countries [...] are not the same; The packaging
    type is not UPS Letter; [not both in the EU, or both in the EU and] the service type is not UPS Standard", and
    "for all UAE shipments" (documents flagged as such need it too: only the UPS Letter is exempt)."""
    if "AE" in (lane.origin, lane.destination):
        return True
    packages = items(shipment, "Package")
    letters = bool(packages) and all(text(obj(p, "Packaging"), "Code") == UPS_LETTER for p in packages)
    within_eu = lane.origin in EU and lane.destination in EU
    standard = text(obj(shipment, "Service"), "Code") == UPS_STANDARD
    return lane.origin != lane.destination and not letters and not (within_eu and standard)


def _forms_violations(shipment: dict[str, Any]) -> Iterator[Violation]:
    forms = obj(obj(shipment, "ShipmentServiceOptions"), "InternationalForms")
    if not forms:
        return
    lane = _lane(shipment)
    where = f"{WHERE}/ShipmentServiceOptions/InternationalForms"
    if lane.documents:
        yield Violation(FORMS_FOR_DOCUMENTS, where, "forms for a documents-only shipment")
        return
    types = [t.strip() if isinstance(t, str) else "" for t in items(forms, "FormType")]
    if not types or any(t not in KNOWN_FORM_TYPES for t in types):
        yield Violation(FORM_TYPE, f"{where}/FormType", f"{types}")
        return
    if len(set(types)) != len(types):
        yield Violation(FORM_TYPE_TWICE, f"{where}/FormType", f"{types}")
    if "01" in types and "05" in types:
        yield Violation(INVOICE_AND_PARTIAL, f"{where}/FormType", f"{types}")
    if lane.returning and not set(types) <= RETURN_FORM_TYPES:
        yield Violation(RETURN_FORM_TYPE, f"{where}/FormType", f"{types} on a return")
    if "05" in types and not lane.returning:
        yield Violation(FORM_TYPE, f"{where}/FormType", "05 (partial invoice) is for return shipments only")
    if "07" in types:
        ids = [i for i in items(obj(forms, "UserCreatedForm"), "DocumentID") if isinstance(i, str) and i.strip()]
        if not ids:
            yield Violation(DOCUMENT_ID, f"{where}/UserCreatedForm/DocumentID", "form 07 names no uploaded document")
        elif len(ids) > MAX_DOCUMENTS:
            yield Violation(TOO_MANY_DOCUMENTS, f"{where}/UserCreatedForm/DocumentID", f"{len(ids)} documents")
    if "01" in types or "05" in types:
        yield from _invoice_violations(forms, where, types, lane)
        yield from _product_violations(forms, where, lane)


def _invoice_violations(forms: dict[str, Any], where: str, types: list[str], lane: _Lane) -> Iterator[Violation]:
    if not re.fullmatch(r"[A-Z]{3}", text(forms, "CurrencyCode")):
        yield Violation(CURRENCY, f"{where}/CurrencyCode", "an invoice needs its 3-letter currency")
    terms = text(forms, "TermsOfShipment")
    if terms and terms.upper() not in INCOTERMS:
        yield Violation(TERMS, f"{where}/TermsOfShipment", f"{terms!r}")
    if "01" not in types:
        return
    if not text(forms, "InvoiceNumber"):
        yield Violation(INVOICE_NUMBER, f"{where}/InvoiceNumber", "required for an invoice")
    date = text(forms, "InvoiceDate")
    if not lane.returning:
        try:
            datetime.strptime(date, "%Y%m%d")
        except ValueError:
            yield Violation(INVOICE_DATE, f"{where}/InvoiceDate", f"{date!r}")
    if not text(forms, "ReasonForExport"):
        yield Violation(REASON_FOR_EXPORT, f"{where}/ReasonForExport", "required for an invoice")
    sold_to = obj(obj(forms, "Contacts"), "SoldTo")
    if not sold_to:
        yield Violation(SOLD_TO, f"{where}/Contacts/SoldTo", "required for an invoice")
        return
    address = obj(sold_to, "Address")
    checks = ((SOLD_TO_NAME, "Name", text(sold_to, "Name")), (SOLD_TO_ATTENTION, "AttentionName",
              text(sold_to, "AttentionName")), (SOLD_TO_CITY, "Address/City", text(address, "City")))
    for rule, field, value in checks:
        if not value:
            yield Violation(rule, f"{where}/Contacts/SoldTo/{field}", "required")
    if not [line for line in items(address, "AddressLine") if isinstance(line, str) and line.strip()]:
        yield Violation(SOLD_TO_ADDRESS, f"{where}/Contacts/SoldTo/Address/AddressLine", "required")
    country = text(address, "CountryCode").upper()
    if not _COUNTRY.fullmatch(country) or (country != lane.destination and lane.destination
                                           not in SOLD_TO_EXCEPTIONS and not lane.returning):
        yield Violation(SOLD_TO_COUNTRY, f"{where}/Contacts/SoldTo/Address/CountryCode",
                        f"{country!r}, shipping to {lane.destination}")


def _product_violations(forms: dict[str, Any], where: str, lane: _Lane) -> Iterator[Violation]:
    products = items(forms, "Product")
    if not products:
        yield Violation(NO_PRODUCTS, f"{where}/Product", "no product")
        return
    if len(products) > MAX_PRODUCTS:
        yield Violation(TOO_MANY_PRODUCTS, f"{where}/Product", f"{len(products)} products")
    eu_goods = eu_inbound(lane.origin, lane.destination) and not lane.returning
    for index, product in enumerate(products):
        at = f"{where}/Product/{index}"
        lines = [line for line in items(product, "Description") if isinstance(line, str) and line.strip()]
        if not lines or len(lines) > 3 or any(len(line) > 35 for line in lines):
            yield Violation(PRODUCT_DESCRIPTION, f"{at}/Description", "1 to 3 lines of 35 characters")
        unit = obj(product, "Unit")
        if not _DIGITS.fullmatch(text(unit, "Number")) or int(text(unit, "Number")) < 1:
            yield Violation(PRODUCT_NUMBER, f"{at}/Unit/Number", f"{text(unit, 'Number')!r}")
        measure = obj(unit, "UnitOfMeasurement")
        code = text(measure, "Code")
        if not _ALNUM.fullmatch(code) or len(code) > 3:
            yield Violation(PRODUCT_UNIT, f"{at}/Unit/UnitOfMeasurement/Code", f"{code!r}")
        elif code.upper() == "OTH" and not text(measure, "Description"):
            yield Violation(PRODUCT_OTHER_UNIT, f"{at}/Unit/UnitOfMeasurement/Description", "required for OTH")
        value = text(unit, "Value")
        amount = decimal(value) if _VALUE.fullmatch(value) else None
        if amount is None or amount <= 0:
            yield Violation(PRODUCT_VALUE, f"{at}/Unit/Value", f"{value!r}")
        commodity = text(product, "CommodityCode")
        if commodity and not (_ALNUM.fullmatch(commodity) and 6 <= len(commodity) <= 15):
            yield Violation(COMMODITY_CODE, f"{at}/CommodityCode", f"{commodity!r}")
        origin = text(product, "OriginCountryCode")
        if origin and not _COUNTRY.fullmatch(origin):
            yield Violation(ORIGIN_COUNTRY, f"{at}/OriginCountryCode", f"{origin!r}")
        if eu_goods and not items(product, "ProductIdentifier") and text(
                product, "CommodityFieldSpecialConditionCode") != NO_STANDARD_PRODUCT_ID:
            yield Violation(EU_PRODUCT_ID, f"{at}/ProductIdentifier", "goods entering the EU: a product id, or "
                            "CommodityFieldSpecialConditionCode 01")


def _return_violations(shipment: dict[str, Any]) -> Iterator[Violation]:
    service = obj(shipment, "ReturnService")
    if not service:
        return
    lane = _lane(shipment)
    code = text(service, "Code")
    if not obj(shipment, "ShipFrom"):
        yield Violation(RETURN_SHIP_FROM, f"{WHERE}/ShipFrom", "required for a return")
    packages = items(shipment, "Package")
    for index, package in enumerate(packages):
        if not text(package, "Description"):
            yield Violation(RETURN_PACKAGE_DESCRIPTION, f"{WHERE}/Package/{index}/Description", "required for a return")
    if lane.origin in ("US", "PR") and len(packages) > 1:
        yield Violation(RETURN_ONE_PACKAGE, f"{WHERE}/Package", f"{len(packages)} packages from {lane.origin}")
    if text(obj(shipment, "Service"), "Code").upper() in NO_RETURN_SERVICES:
        yield Violation(RETURN_SERVICE, f"{WHERE}/Service/Code", "not available to returns")
    delivery = obj(obj(shipment, "ShipmentServiceOptions"), "LabelDelivery")
    email = text(obj(delivery, "EMail"), "EMailAddress")
    if code == "8" and not (email or "LabelLinksIndicator" in delivery):
        yield Violation(RETURN_LABEL_DELIVERY, f"{WHERE}/ShipmentServiceOptions/LabelDelivery",
                        "an electronic return label needs the email (or LabelLinksIndicator)")
    if code == "9" and email:
        yield Violation(RETURN_PRINT_EMAIL, f"{WHERE}/ShipmentServiceOptions/LabelDelivery/EMail",
                        "a print return label is not emailed")
    if len({lane.shipper, lane.origin, lane.destination}) == 3:
        yield Violation(RETURN_COUNTRIES, f"{WHERE}/ShipTo/Address/CountryCode",
                        f"shipper {lane.shipper}, from {lane.origin}, to {lane.destination}")


def _postal_code_violations(shipment: dict[str, Any]) -> Iterator[Violation]:
    address = obj(obj(shipment, "ShipTo"), "Address")
    code, country = text(address, "PostalCode"), text(address, "CountryCode").upper()
    if country in ("US", "PR", "CA") and not code:
        yield Violation(SHIP_TO_POSTAL_CODE, f"{WHERE}/ShipTo/Address/PostalCode", f"required for {country}")
        return
    spec_form = {"US": r"\d{5}(\d{4})?", "PR": r"\d{5}(\d{4})?", "CA": r"[A-Z]\d[A-Z]\d[A-Z]\d"}.get(country)
    if code and ((spec_form and not re.fullmatch(spec_form, code)) or len(code) > POSTAL_CODE_MAX):
        yield Violation(SHIP_TO_POSTAL_CODE, f"{WHERE}/ShipTo/Address/PostalCode", f"{code!r} for {country}")
