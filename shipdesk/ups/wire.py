"""Pure mapping between shipdesk's typed values and UPS Shipping/Rating JSON; no I/O.

UPS's rules live here: field lengths, where reference numbers go (package level for US→US and
PR→PR, shipment level otherwise), the names Rating uses instead of Ship's, and the shapes UPS
answers in (one package comes back as an object in older versions, an array in newer ones).
"""

from __future__ import annotations

import base64
import binascii
import textwrap
from collections.abc import Iterable
from dataclasses import replace
from decimal import ROUND_CEILING, Decimal, InvalidOperation
from typing import Any

from shipdesk.errors import ShipmentDataError
from shipdesk.i18n import N_, _
from shipdesk.ship_rules.lanes import package_delivery_confirmation
from shipdesk.ups import errors, forms_wire, postal_codes
from shipdesk.ups.models import (
    ELECTRONIC_RETURN_LABEL,
    PRINT_RETURN_LABEL,
    LabelImage,
    Money,
    PackageResult,
    PackageSpec,
    Party,
    RateQuote,
    Reference,
    ShipmentSpec,
    ShipOptions,
    ShipResult,
    UpsAddress,
    VoidResult,
)
from shipdesk.ups.services import known_service

Json = dict[str, Any]

NAME_MAX = 35
LINE_MAX = 35
MAX_LINES = 3
CITY_MAX = 30
REFERENCE_MAX = 35
PACKAGE_REFERENCES_MAX = 5
THERMAL_FORMATS = frozenset({"ZPL", "EPL", "SPL"})
#: the only origin/destination pairs where UPS wants package-level reference numbers
DOMESTIC_REFERENCE_COUNTRIES = frozenset({"US", "PR"})
#: the ship-to needs an attention name and a phone for this service even inside one country
NEXT_DAY_AIR_EARLY = "14"

UNIT_NAMES = {"LBS": "Pounds", "KGS": "Kilograms", "OZS": "Ounces", "IN": "Inches", "CM": "Centimeters"}


# -- small helpers ----------------------------------------------------------------------------
def as_list(value: Any) -> list[Any]:
    """UPS sends one item as an object and several as an array: always a list."""
    if value is None or value == "":
        return []
    return value if isinstance(value, list) else [value]


def obj(node: Any, key: str) -> dict[str, Any]:
    """``node[key]`` when it is a JSON object, else an empty one: UPS leaves parts out freely."""
    value = node.get(key) if isinstance(node, dict) else None
    return value if isinstance(value, dict) else {}


def clean(value: Any) -> str:
    """A UPS string without the ``&#xD;`` carriage-return junk some environments send ("" for an object or a
    list where a text belongs: an answer of another shape than the spec's is read, not crashed on)."""
    if isinstance(value, dict | list):
        return ""
    return str(value or "").replace("&#xD;", "").replace("&#xA;", "").strip()


def _cut(text: str, limit: int) -> str:
    return " ".join(text.split())[:limit].strip()


def format_measure(value: Decimal, max_length: int, what: str) -> str:
    """The shortest decimal string that fits UPS's field length, rounded up (never under-declared)."""
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ShipmentDataError([_("The package {what} '{value}' is not a number.").format(
            what=_(what), value=value)]) from None  # i18n: `what` is N_()-marked by the callers
    if number <= 0:
        raise ShipmentDataError([_("The package {what} must be more than zero (it is {value}).").format(
            what=_(what), value=number)])  # i18n: `what` is N_()-marked by the callers
    for places in (2, 1, 0):
        rounded = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_CEILING)
        text = format(rounded.normalize(), "f")
        if len(text) <= max_length:
            return text
    raise ShipmentDataError([_("The package {what} {value} is larger than UPS accepts.").format(
        what=_(what), value=number)])  # i18n: `what` is N_()-marked by the callers


def _unit(code: str) -> Json:
    return {"Code": code, "Description": UNIT_NAMES.get(code, code)}


def postal_code(code: str, country: str = "") -> str:
    """UPS's PostalCode, in the country's form (``ups.postal_codes``): ``30301-1234`` → ``303011234``,
    ``M5B 2H1`` → ``M5B2H1``; 9 characters at most."""
    return postal_codes.normalise(country, code)


def _wrap(text: str, width: int) -> list[str] | None:
    """``text`` on lines of at most ``width`` characters, broken between words; None when a word is longer."""
    lines = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)
    return lines if all(len(line) <= width for line in lines) else None


def fit_lines(lines: Iterable[str], *, width: int = LINE_MAX, most: int = MAX_LINES) -> tuple[str, ...] | None:
    """UPS's address lines (``most`` lines of ``width`` characters) for ``lines``, never cut: a line that is too
    long goes on at a word boundary on the next line; when the lines then need more than ``most``, the text
    flows over the lines as one. None when it still does not fit (the caller names the field to shorten)."""
    texts = [" ".join(line.split()) for line in lines if line and line.strip()]
    if all(len(text) <= width for text in texts) and len(texts) <= most:
        return tuple(texts)
    for attempt in ([_wrap(text, width) for text in texts], [_wrap(" ".join(texts), width)]):
        if all(part is not None for part in attempt):
            flat = [line for part in attempt for line in part or ()]
            if len(flat) <= most:
                return tuple(flat)
    return None


def address_json(address: UpsAddress, *, residential: bool = False) -> Json:
    """UPS's address; lines that do not fit UPS's 3 lines of 35, or a city over 30, are refused, never cut
    (a label to "..., Suite" goes astray: the caller checks first and names the field to shorten)."""
    lines = fit_lines(address.lines)
    if lines is None:
        raise ShipmentDataError([_("The address lines '{lines}' do not fit UPS's {count} lines of {limit} characters: "
                                   "shorten them.").format(lines=" / ".join(address.lines), count=MAX_LINES,
                                                           limit=LINE_MAX)])
    city = " ".join(address.city.split())
    if len(city) > CITY_MAX:
        raise ShipmentDataError([_("The city '{city}' is longer than UPS's {limit} characters: shorten it.").format(
            city=city, limit=CITY_MAX)])
    body: Json = {"AddressLine": list(lines), "City": city, "CountryCode": address.country.strip().upper()}
    if address.state.strip():
        body["StateProvinceCode"] = address.state.strip().upper()[:5]
    if address.postal_code.strip():
        body["PostalCode"] = postal_code(address.postal_code, address.country)
    if residential:
        body["ResidentialAddressIndicator"] = ""
    return body


def party_json(party: Party, *, residential: bool = False) -> Json:
    # UPS requires a Name, and an AttentionName across a border and for Next Day Air Early (error 120201):
    # a person shipping to a home often has only one of the two, which then serves as both
    name = _cut(party.name, NAME_MAX) or _cut(party.attention, NAME_MAX)
    attention = _cut(party.attention, NAME_MAX) or name
    body: Json = {"Name": name, "Address": address_json(party.address, residential=residential)}
    if attention:
        body["AttentionName"] = attention
    phone = _digits(party.phone)
    if phone:
        body["Phone"] = {"Number": phone[:15]}
    if party.email.strip():
        body["EMailAddress"] = party.email.strip()[:50]
    return body


def origin_country(spec: ShipmentSpec) -> str:
    return (spec.ship_from or spec.shipper).address.country.strip().upper()


def destination_country(spec: ShipmentSpec) -> str:
    return spec.ship_to.address.country.strip().upper()


def uses_package_references(spec: ShipmentSpec) -> bool:
    """UPS's rule: package-level references for US→US and PR→PR, shipment-level otherwise."""
    origin, destination = origin_country(spec), destination_country(spec)
    return origin == destination and origin in DOMESTIC_REFERENCE_COUNTRIES


def reference_json(reference: Reference, *, barcode: bool) -> Json | None:
    value = _cut(reference.value, REFERENCE_MAX)
    if not value:
        return None
    body: Json = {"Value": value}
    if reference.code.strip():
        body["Code"] = reference.code.strip()[:2]
    if barcode:
        body["BarCodeIndicator"] = ""
    return body


def references_json(refs: Iterable[Reference]) -> list[Json]:
    """Non-empty references; only the first one asking for it is bar-coded (UPS bar-codes one)."""
    built = []
    barcoded = False
    for ref in refs:
        node = reference_json(ref, barcode=ref.barcode and not barcoded)
        if node is not None:
            barcoded = barcoded or "BarCodeIndicator" in node
            built.append(node)
    return built


# -- Ship -------------------------------------------------------------------------------------
def _package_json(package: PackageSpec, *, packaging_key: str, weight_length: int,
                  dimension_length: int, references: list[Json], currency: str | None, confirmation: str = "") -> Json:
    """One package; ``currency`` None leaves the declared value out (Rating's schema mangles it); ``confirmation``:
    the package-level DCISType ("" = none)."""
    body: Json = {
        packaging_key: {"Code": package.packaging_code},
        "PackageWeight": {"UnitOfMeasurement": _unit(package.weight_unit),
                          "Weight": format_measure(package.weight, weight_length, N_("weight"))},
    }
    sizes = (package.length, package.width, package.height)
    if all(size is not None and size > 0 for size in sizes):
        length, width, height = (format_measure(s, dimension_length, N_("dimension"))
                                 for s in sizes if s is not None)
        body["Dimensions"] = {"UnitOfMeasurement": _unit(package.dimension_unit),
                              "Length": length, "Width": width, "Height": height}
    if package.description.strip():
        body["Description"] = _cut(package.description, 35)
    if references:
        body["ReferenceNumber"] = references
    if currency is not None and package.declared_value is not None and package.declared_value > 0:
        body["PackageServiceOptions"] = {"DeclaredValue": {"CurrencyCode": currency,
                                                           "MonetaryValue": _amount(package.declared_value)}}
    if confirmation:
        body.setdefault("PackageServiceOptions", {})["DeliveryConfirmation"] = {"DCISType": confirmation}
    return body


def _amount(value: Decimal) -> str:
    return format(value.quantize(Decimal("0.01")), "f")


def _invoice_total(spec: ShipmentSpec) -> Json | None:
    """Customs value for Rating: sent for shipments that cross a border (transit times need it)."""
    if spec.invoice_total is None or origin_country(spec) == destination_country(spec):
        return None
    whole_units = spec.invoice_total.quantize(Decimal("1"), rounding=ROUND_CEILING)
    return {"CurrencyCode": spec.currency, "MonetaryValue": format(whole_units, "f")}


def is_return(spec: ShipmentSpec) -> bool:
    return spec.return_service in (ELECTRONIC_RETURN_LABEL, PRINT_RETURN_LABEL)


def _ship_invoice_total(spec: ShipmentSpec) -> Json | None:
    """Ship's shipment-level invoice total: only where UPS wants it (``forms_wire.invoice_line_total_applies``)."""
    applies = forms_wire.invoice_line_total_applies(origin_country(spec), destination_country(spec),
                                                    returning=is_return(spec))
    if not applies or spec.invoice_total is None:
        return None
    return forms_wire.invoice_line_total(spec.invoice_total, spec.currency)


def _digits(phone: str) -> str:
    return "".join(ch for ch in phone if ch.isdigit())


def _check_international(spec: ShipmentSpec) -> list[str]:
    """UPS's rules for shipments across a border (and Next Day Air Early), before anything is sent."""
    origin, destination = origin_country(spec), destination_country(spec)
    problems = []
    cross_border = origin != destination
    if cross_border and not spec.description.strip():
        problems.append(_("International shipments need a description of the goods."))
    if cross_border and not (spec.shipper.attention.strip() and _digits(spec.shipper.phone)):
        problems.append(_("International shipments need the shipper's attention name and phone number."))
    if (cross_border or spec.service_code == NEXT_DAY_AIR_EARLY) and not _digits(spec.ship_to.phone):
        problems.append(_("International shipments need the ship-to phone number.") if cross_border
                        else _("UPS Next Day Air Early shipments need the ship-to phone number."))
    if forms_wire.invoice_line_total_applies(origin, destination, returning=is_return(spec)) and (
            spec.invoice_total is None or spec.invoice_total <= 0):
        problems.append(_("Shipments from {origin} to {destination} need the invoice total of the goods.").format(
            origin=origin, destination=destination))
    if spec.return_service == ELECTRONIC_RETURN_LABEL and not spec.label_email.strip():
        problems.append(_("An electronic return label needs the email address UPS sends it to."))
    if is_return(spec) and spec.ship_from is None:
        problems.append(_("A return label needs the address the package comes from."))
    if is_return(spec) and origin in DOMESTIC_REFERENCE_COUNTRIES and len(spec.packages) > 1:
        problems.append(_("UPS makes return labels from the US or Puerto Rico for one package at a time."))
    return problems


def _international_options(spec: ShipmentSpec, shipment: Json, options: Json) -> None:
    """Documents flag, commercial invoice and invoice total, by UPS's rules (``forms_wire``)."""
    origin, destination = origin_country(spec), destination_country(spec)
    if spec.documents_only:
        if forms_wire.documents_flag_allowed(origin, destination):
            shipment["DocumentsOnlyIndicator"] = ""
    elif spec.invoice is not None and forms_wire.crosses_customs(origin, destination):
        buyer = spec.invoice.sold_to
        options["InternationalForms"] = forms_wire.international_forms_json(
            spec.invoice, origin=origin, destination=destination,
            sold_to_address=address_json(buyer.address) if buyer is not None else None)
    invoice_total = _ship_invoice_total(spec)
    if invoice_total is not None:
        shipment["InvoiceLineTotal"] = invoice_total


def _return_options(spec: ShipmentSpec, shipment: Json, options: Json) -> None:
    """ReturnService, and for an electronic return label the email UPS sends it to (LabelDelivery)."""
    names = {ELECTRONIC_RETURN_LABEL: "UPS Electronic Return Label", PRINT_RETURN_LABEL: "UPS Print Return Label"}
    shipment["ReturnService"] = {"Code": spec.return_service, "Description": names[spec.return_service]}
    if spec.return_service == ELECTRONIC_RETURN_LABEL:
        options["LabelDelivery"] = {"EMail": {"EMailAddress": spec.label_email.strip()[:50]}}
    for package in shipment["Package"]:  # "Required for shipment with return service"
        package.setdefault("Description", _cut(spec.description or "Returned goods", 35))


#: ``DCISType`` of a signature, at package level (US/PR lanes) and at shipment level (the others)
PACKAGE_DCIS = {"signature": "2", "adult": "3"}
SHIPMENT_DCIS = {"signature": "1", "adult": "2"}
NOTIFICATION_CODES = ("6", "7", "8")  # QV ship, exception, delivery


def _confirmation(spec: ShipmentSpec, *, package_level: bool) -> str:
    """The DCISType at the level asked, or "" when the signature belongs at the other level (or none is wanted)."""
    if not spec.options.signature or is_return(spec):
        return ""
    at_package = package_delivery_confirmation(origin_country(spec), destination_country(spec))
    if at_package != package_level:
        return ""
    return (PACKAGE_DCIS if package_level else SHIPMENT_DCIS)[spec.options.signature]


def _declared(package: PackageSpec, options: ShipOptions) -> PackageSpec:
    """The package with the declared value the options say: the clerk's, Acumatica's, or none."""
    if not options.send_declared_value:
        return replace(package, declared_value=None)
    if options.declared_value is not None:
        return replace(package, declared_value=options.declared_value)
    return package


def _ticked_options(spec: ShipmentSpec, options: Json) -> None:
    """Shipment-level signature (outside the US/PR lanes), Saturday delivery and email notifications."""
    chosen = spec.options
    confirmation = _confirmation(spec, package_level=False)
    if confirmation:
        options["DeliveryConfirmation"] = {"DCISType": confirmation}
    if chosen.saturday_delivery:
        options["SaturdayDeliveryIndicator"] = ""
    codes = [c for c in dict.fromkeys(chosen.notifications) if c in NOTIFICATION_CODES]
    if is_return(spec):
        codes = [c for c in codes if c != "6"]  # "QV Ship Notification is allowed for forward moving shipments only"
    if codes:
        email = chosen.notify_email.strip()
        if not email or len(email) > 50 or "@" not in email:
            raise ShipmentDataError([_("UPS email notifications need the ship-to contact's email address (found "
                                       "{email}): enter it on the shipment's contact in Acumatica.").format(
                email=email or "—")])
        options["Notification"] = [{"NotificationCode": code, "EMail": {"EMailAddress": [email]}} for code in codes]


def _billing(account: str) -> Json:
    return {"ShipmentCharge": [{"Type": "01", "BillShipper": {"AccountNumber": account}}]}


def ship_request(spec: ShipmentSpec, *, context: str = "") -> Json:
    """The ``ShipmentRequest`` body for ``POST /api/shipments/{version}/ship``."""
    if not spec.packages:
        raise ShipmentDataError([_("The shipment has no packages to label.")])
    problems = _check_international(spec)
    if problems:
        raise ShipmentDataError(problems)
    package_level = uses_package_references(spec)
    package_refs = references_json(spec.references)[:PACKAGE_REFERENCES_MAX] if package_level else []
    shipper = party_json(spec.shipper)
    shipper["ShipperNumber"] = spec.shipper_number
    shipment: Json = {
        "Shipper": shipper,
        "ShipTo": party_json(spec.ship_to, residential=spec.ship_to.residential),
        "PaymentInformation": _billing(spec.shipper_number),
        "Service": {"Code": spec.service_code},
        "Package": [
            _package_json(_declared(p, spec.options), packaging_key="Packaging", weight_length=5,
                          dimension_length=3, references=package_refs, currency=spec.currency,
                          confirmation=_confirmation(spec, package_level=True))
            for p in spec.packages
        ],
    }
    if spec.ship_from is not None:
        shipment["ShipFrom"] = party_json(spec.ship_from)
    if not package_level:
        shipment_refs = references_json(spec.references)
        if shipment_refs:
            shipment["ReferenceNumber"] = shipment_refs
    if spec.description.strip():
        shipment["Description"] = _cut(spec.description, 50)
    options: Json = {}
    _international_options(spec, shipment, options)
    if is_return(spec):
        _return_options(spec, shipment, options)
    _ticked_options(spec, options)
    if options:
        shipment["ShipmentServiceOptions"] = options
    if spec.negotiated_rates:
        shipment["ShipmentRatingOptions"] = {"NegotiatedRatesIndicator": ""}
    shipment["TaxInformationIndicator"] = ""  # UPS sends taxes (TotalChargesWithTaxes) only when asked
    request: Json = {"RequestOption": "nonvalidate"}
    if context:
        request["TransactionReference"] = {"CustomerContext": context[:512]}
    # PNG is not a return label format (LabelImageFormat: "For shipments with PRL return service ... EPL, ZPL,
    # SPL and GIF")
    label_format = "GIF" if is_return(spec) and spec.label_format == "PNG" else spec.label_format
    labels = label_specification(label_format, spec.label_stock_height)
    return {"ShipmentRequest": {"Request": request, "Shipment": shipment, "LabelSpecification": labels}}


def label_specification(label_format: str, stock_height: int = 6) -> Json:
    # LabelStockSize is required by the schema for every format; UPS uses it for thermal ones
    body: Json = {"LabelImageFormat": {"Code": label_format},
                  "LabelStockSize": {"Height": str(stock_height if label_format in THERMAL_FORMATS else 6),
                                     "Width": "4"}}
    if label_format == "GIF":
        body["HTTPUserAgent"] = "Mozilla/4.5"
    return body


def _money(node: Any) -> Money | None:
    if not isinstance(node, dict) or node.get("MonetaryValue") in (None, ""):
        return None
    try:
        return Money(Decimal(clean(node["MonetaryValue"])), clean(node.get("CurrencyCode")) or "USD")
    except InvalidOperation:
        return None


def _decode(data: Any) -> bytes:
    """Base64 decoded strictly; text that is not base64 (cut off, an HTML page) is kept as sent, so the
    label layer can say what is wrong while the answer's tracking numbers and charges are kept."""
    text = str(data)
    try:
        return base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        return text.encode("utf-8", "replace")


def label_image(node: Any, *, format_key: str, action: str) -> LabelImage | None:
    """A ``ShippingLabel`` / ``LabelImage`` node → LabelImage (None when UPS sent no image)."""
    if not isinstance(node, dict) or not node.get("GraphicImage"):
        return None
    image_format = node.get(format_key) or {}
    code = clean(image_format.get("Code") if isinstance(image_format, dict) else image_format).upper()
    html = _decode(node["HTMLImage"]) if node.get("HTMLImage") else None
    return LabelImage(format=code or "GIF", data=_decode(node["GraphicImage"]), html=html)


def alerts(response: Any) -> tuple[str, ...]:
    node = response.get("Alert") if isinstance(response, dict) else None
    return tuple(f"{clean(a.get('Code'))}: {clean(a.get('Description'))}"
                 for a in as_list(node) if isinstance(a, dict))


def parse_ship_response(body: Any) -> ShipResult:
    action = N_("create the label")
    answer = obj(body, "ShipmentResponse")
    results = obj(answer, "ShipmentResults")
    if not results:
        raise errors.unreadable(action, "no ShipmentResults")
    packages = []
    for item in as_list(results.get("PackageResults")):
        number = clean(item.get("TrackingNumber")) if isinstance(item, dict) else ""
        if not number:
            raise errors.unreadable(action, "a package without a tracking number")
        packages.append(PackageResult(
            tracking_number=number,
            label=label_image(item.get("ShippingLabel"), format_key="ImageFormat", action=action),
        ))
    if not packages:
        raise errors.unreadable(action, "no package results")
    shipment_id = clean(results.get("ShipmentIdentificationNumber")) or packages[0].tracking_number
    charges = obj(results, "ShipmentCharges")
    negotiated = obj(results, "NegotiatedRateCharges")
    weight = obj(results, "BillingWeight").get("Weight")
    try:
        billing_weight = Decimal(clean(weight)) if weight not in (None, "") else None
    except InvalidOperation:
        billing_weight = None
    return ShipResult(
        shipment_id=shipment_id,
        packages=tuple(packages),
        total_charges=_money(charges.get("TotalCharges")),
        negotiated_charges=_money(negotiated.get("TotalCharge")),
        billing_weight=billing_weight,
        alerts=alerts(answer.get("Response")),
        total_charges_with_taxes=_money(charges.get("TotalChargesWithTaxes")),
        negotiated_charges_with_taxes=_money(negotiated.get("TotalChargesWithTaxes")),
        forms=forms_wire.parse_forms(results, _decode),
    )


# -- Void and label recovery ------------------------------------------------------------------
def void_tracking_param(tracking_numbers: Iterable[str]) -> str:
    """UPS's format: one number as is; several as ``["1Z..","1Z.."]``."""
    numbers = [n.strip().upper() for n in tracking_numbers if n.strip()]
    if len(numbers) == 1:
        return numbers[0]
    return "[" + ",".join(f'"{n}"' for n in numbers) + "]"


def _status(node: Any) -> tuple[str, str]:
    status = node.get("Status") if isinstance(node, dict) else None
    if not isinstance(status, dict):
        return "", ""
    return clean(status.get("Code")), clean(status.get("Description"))


def parse_void_response(shipment_id: str, body: Any) -> VoidResult:
    answer = body.get("VoidShipmentResponse") if isinstance(body, dict) else None
    if not isinstance(answer, dict):
        raise errors.unreadable(N_("void the shipment"), "no VoidShipmentResponse")
    code, description = _status(answer.get("SummaryResult"))
    # the test environment sends a singular PackageLevelResult; production the plural
    package_nodes = as_list(answer.get("PackageLevelResults")) + as_list(answer.get("PackageLevelResult"))
    packages = tuple(
        (clean(node.get("TrackingNumber")), _status(node)[0] == "1")
        for node in package_nodes if isinstance(node, dict) and clean(node.get("TrackingNumber"))
    )
    return VoidResult(shipment_id=shipment_id, voided=code == "1", status_code=code,
                      description=description, packages=packages)


def label_recovery_request(tracking_number: str, label_format: str) -> Json:
    # The schema marks the Roadie-only TrackingNumbers and ReferenceValues as required, against its
    # own example and UPS's behaviour: a 1Z lookup sends TrackingNumber alone.
    return {"LabelRecoveryRequest": {
        "Request": {"RequestOption": "Non_Validate"},
        "LabelSpecification": label_specification(label_format),
        "TrackingNumber": tracking_number,
    }}


def parse_label_recovery(body: Any) -> list[LabelImage]:
    action = N_("recover the label")
    answer = body.get("LabelRecoveryResponse") if isinstance(body, dict) else None
    if not isinstance(answer, dict):
        raise errors.unreadable(action, "no LabelRecoveryResponse")
    labels = []
    for result in as_list(answer.get("LabelResults")):
        if isinstance(result, dict):
            image = label_image(result.get("LabelImage"), format_key="LabelImageFormat", action=action)
            if image is not None:
                labels.append(image)
    return labels


# -- Rating -----------------------------------------------------------------------------------
#: UPS's own conversions, for a total weight of packages weighed in different units
_POUNDS_PER = {"LBS": Decimal(1), "OZS": Decimal(1) / 16, "KGS": Decimal("2.20462262")}


def crosses_border(spec: ShipmentSpec) -> bool:
    origin, destination = origin_country(spec), destination_country(spec)
    return origin != destination and not {origin, destination} <= DOMESTIC_REFERENCE_COUNTRIES


def asks_time_in_transit(spec: ShipmentSpec) -> bool:
    """Ask for transit times unless UPS would refuse: across a border they need the invoice total
    (Rating.yaml InvoiceLineTotal; UPS answers 111549 without it, UPS-API/api-documentation issue 42)."""
    return not crosses_border(spec) or spec.invoice_total is not None


def rate_option(*, shop: bool, time_in_transit: bool) -> str:
    """The ``{requestoption}``: Rate / Shop, or Ratetimeintransit / Shoptimeintransit for transit times."""
    return ("Shop" if shop else "Rate") + ("timeintransit" if time_in_transit else "")


def _total_weight(packages: Iterable[PackageSpec]) -> Json:
    """``ShipmentTotalWeight`` (required across a border with transit times), in the packages' unit."""
    units = {p.weight_unit for p in packages}
    unit = units.pop() if len(units) == 1 and "OZS" not in units else "LBS"
    total = sum((p.weight * _POUNDS_PER[p.weight_unit] / _POUNDS_PER[unit] for p in packages), Decimal(0))
    return {"UnitOfMeasurement": _unit(unit), "Weight": format_measure(total, 9, N_("total weight"))}


def rate_request(spec: ShipmentSpec, *, shop: bool, time_in_transit: bool = False) -> Json:
    """``RateRequest``: like Ship, but ``PackagingType`` and ``PaymentDetails``; asks for taxes always and for
    transit times (``DeliveryTimeInformation``) when ``time_in_transit``: UPS sends neither unasked."""
    if not spec.packages:
        raise ShipmentDataError([_("The shipment has no packages to rate.")])
    shipper = party_json(spec.shipper)
    shipper["ShipperNumber"] = spec.shipper_number
    shipment: Json = {
        "Shipper": shipper,
        "ShipTo": party_json(spec.ship_to, residential=spec.ship_to.residential),
        "PaymentDetails": _billing(spec.shipper_number),
        "Package": [
            _package_json(p, packaging_key="PackagingType", weight_length=6, dimension_length=9,
                          references=[], currency=None, confirmation=_confirmation(spec, package_level=True))
            for p in spec.packages
        ],
    }
    if spec.ship_from is not None:
        shipment["ShipFrom"] = party_json(spec.ship_from)
    if not shop:
        shipment["Service"] = {"Code": spec.service_code}
    invoice_total = _invoice_total(spec)
    if invoice_total is not None:
        shipment["InvoiceLineTotal"] = invoice_total
    rate_options: Json = {}  # the priced options the Ship request will carry (notifications cost nothing)
    if _confirmation(spec, package_level=False):
        rate_options["DeliveryConfirmation"] = {"DCISType": _confirmation(spec, package_level=False)}
    if spec.options.saturday_delivery:
        rate_options["SaturdayDeliveryIndicator"] = ""
    if rate_options:
        shipment["ShipmentServiceOptions"] = rate_options
    if spec.negotiated_rates:
        shipment["ShipmentRatingOptions"] = {"NegotiatedRatesIndicator": ""}
    shipment["TaxInformationIndicator"] = ""
    if time_in_transit:  # no Pickup date: UPS takes today's
        shipment["DeliveryTimeInformation"] = {"PackageBillType": "03"}  # 03 = not documents only
        shipment["ShipmentTotalWeight"] = _total_weight(spec.packages)
    option = rate_option(shop=shop, time_in_transit=time_in_transit)
    return {"RateRequest": {"Request": {"RequestOption": option}, "Shipment": shipment}}


def _business_days(node: Any) -> int | None:
    days = node.get("BusinessDaysInTransit") if isinstance(node, dict) else None
    try:
        return int(clean(days)) if days not in (None, "") else None
    except ValueError:
        return None


def transit_days(rated: Any) -> tuple[int | None, bool]:
    """(business days, guaranteed): UPS's guarantee when it gives one, else TimeInTransit's estimate."""
    guaranteed = _business_days(obj(rated, "GuaranteedDelivery"))
    if guaranteed is not None:
        return guaranteed, True
    estimate = obj(obj(obj(rated, "TimeInTransit"), "ServiceSummary"), "EstimatedArrival")
    return _business_days(estimate), False


def parse_rate_response(body: Any) -> list[RateQuote]:
    action = N_("quote a rate")
    answer = body.get("RateResponse") if isinstance(body, dict) else None
    if not isinstance(answer, dict):
        raise errors.unreadable(action, "no RateResponse")
    quotes = []
    for rated in as_list(answer.get("RatedShipment")):
        if not isinstance(rated, dict):
            continue
        charges = _money(rated.get("TotalCharges"))
        if charges is None:
            raise errors.unreadable(action, "a rate without TotalCharges")
        # what the shipper pays: UPS's own total with taxes when it adds them, never recomputed from the parts
        total = _money(rated.get("TotalChargesWithTaxes")) or charges
        negotiated = obj(rated, "NegotiatedRateCharges")
        days, guaranteed = transit_days(rated)
        service = obj(rated, "Service")
        code = clean(service.get("Code"))
        known = known_service(code)
        quotes.append(RateQuote(
            service_code=code,
            service_name=known.label if known else clean(service.get("Description")) or code,
            total=total,
            negotiated=_money(negotiated.get("TotalChargesWithTaxes")) or _money(negotiated.get("TotalCharge")),
            business_days=days,
            alerts=tuple(f"{clean(a.get('Code'))}: {clean(a.get('Description'))}"
                         for a in as_list(rated.get("RatedShipmentAlert")) if isinstance(a, dict)),
            total_before_taxes=charges,
            negotiated_before_taxes=_money(negotiated.get("TotalCharge")),
            guaranteed=guaranteed,
        ))
    return quotes
