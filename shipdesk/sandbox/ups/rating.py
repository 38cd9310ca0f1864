"""Plausible, deterministic UPS charges: by service, billable weight and zone (from the postal codes).

Zone: 2 + the distance between the first three digits of the two US ZIP codes in hundreds (2..8);
8 when either side is not a US/PR ZIP. Billable weight per package: the higher of the actual weight
(rounded up to a whole pound) and the dimensional weight (L x W x H / 139 for inches). Charge:
``base + per_lb x weight x (1 + 0.12 x (zone - 2))``; a residential ship-to adds 5.55.
Negotiated rates are 78% of the published ones.

What a RatedShipment holds follows what the client asked for, as the Rating spec describes:
``NegotiatedRateCharges`` carries ``BaseServiceCharge`` from ``SubVersion`` 2201 on, and
``TimeInTransit`` comes with the ``Ratetimeintransit``/``Shoptimeintransit`` options or
``additionalinfo=timeintransit`` when the request has ``DeliveryTimeInformation`` ("Required to view
time in transit information"); across a border those options also need ``InvoiceLineTotal`` (UPS
answers 111549 "Invalid Shipment Contents Value" without it, UPS-API/api-documentation issue 42).
Transit days count business days (Monday to Friday). ``GuaranteedDelivery`` comes only for services
UPS guarantees: not for Ground or Standard, whose days are only in ``TimeInTransit`` (a CIE recording
of Canadian Standard/Expedited rates, docs/evidence/real-services.md 19.4; DotNetShipping issue 17 on
Ground). Taxes come only when the request carries ``TaxInformationIndicator`` and the lane is taxed
(shipments from Canada: GST 5%, a simplification of Canada's GST/HST), as ``TaxCharges`` (``Type`` and
``MonetaryValue``, no currency) and ``TotalChargesWithTaxes``; with negotiated rates only under
``NegotiatedRateCharges``, as the spec says. Charges are in the origin's currency (CAD from Canada).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from shipdesk.sandbox.ups.errors import INVALID_SERVICE, UpsRefusal


@dataclass(frozen=True)
class Service:
    code: str
    name: str
    base: float
    per_lb: float
    transit_days: int
    international: bool = False
    guaranteed: bool = True  # UPS publishes a guaranteed time (GuaranteedDelivery) for it


SERVICES: dict[str, Service] = {s.code: s for s in (
    Service("01", "UPS Next Day Air", 31.50, 3.10, 1),
    Service("02", "UPS 2nd Day Air", 19.80, 1.95, 2),
    Service("03", "UPS Ground", 9.45, 0.62, 4, guaranteed=False),
    Service("12", "UPS 3 Day Select", 14.20, 1.30, 3),
    Service("13", "UPS Next Day Air Saver", 28.10, 2.80, 1),
    Service("14", "UPS Next Day Air Early", 62.40, 3.40, 1),
    Service("59", "UPS 2nd Day Air A.M.", 23.60, 2.10, 2),
    Service("07", "UPS Worldwide Express", 68.00, 5.20, 2, True),
    Service("08", "UPS Worldwide Expedited", 55.00, 4.40, 4, True),
    Service("11", "UPS Standard", 24.00, 1.80, 5, True, guaranteed=False),
    Service("54", "UPS Worldwide Express Plus", 98.00, 5.90, 1, True),
    Service("65", "UPS Worldwide Saver", 63.00, 4.90, 2, True),
)}
DOMESTIC = ("US", "PR")
RESIDENTIAL_SURCHARGE = 5.55
NEGOTIATED_FACTOR = 0.78
KG_PER_LB = 0.45359237
FIRST_NEGOTIATED_BASE_SUBVERSION = 2201  # "returned only when subversion is greater than or equal to 2201"
WEEKDAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
# Commit times by service: the early and morning air services, end of day for the others.
COMMIT_TIMES = {"14": "080000", "01": "103000", "13": "150000", "59": "103000", "54": "090000", "07": "103000"}
#: taxes UPS adds for shipments from these countries: (tax type code, rate)
TAXES_BY_ORIGIN = {"CA": ("GST", 0.05)}
CURRENCY_BY_COUNTRY = {"CA": "CAD"}
INVALID_CONTENTS_VALUE = "111549"


def service(code: str) -> Service:
    found = SERVICES.get(code.zfill(2)[-2:] if code.isdigit() else code)
    if found is None:
        raise UpsRefusal(400, INVALID_SERVICE, f"Invalid or unsupported service code: {code}")
    return found


def services_for_lane(origin_country: str, dest_country: str) -> list[Service]:
    domestic = origin_country in DOMESTIC and dest_country in DOMESTIC
    return [s for s in SERVICES.values() if s.international != domestic]


def zone(origin_postal: str, dest_postal: str) -> int:
    a, b = origin_postal[:3], dest_postal[:3]
    if not (a.isdigit() and b.isdigit()):
        return 8
    return min(8, 2 + abs(int(a) - int(b)) // 100)


def package_weight_lbs(package: dict[str, Any]) -> float:
    """Billable weight of one request package (``PackageWeight`` and optional ``Dimensions``) in pounds."""
    weight_node = package.get("PackageWeight") or {}
    try:
        weight = float(weight_node.get("Weight") or 0)
    except ValueError:
        weight = 0.0
    unit = (weight_node.get("UnitOfMeasurement") or {}).get("Code", "LBS").upper()
    if unit == "KGS":
        weight /= KG_PER_LB
    elif unit == "OZS":
        weight /= 16
    dims = package.get("Dimensions")
    if dims:
        try:
            volume = float(dims["Length"]) * float(dims["Width"]) * float(dims["Height"])
        except (KeyError, ValueError):
            volume = 0.0
        if (dims.get("UnitOfMeasurement") or {}).get("Code") == "CM":
            dim_weight = volume / 5000.0 / KG_PER_LB  # kg by UPS's metric divisor, then pounds
        else:
            dim_weight = volume / 139.0
        weight = max(weight, dim_weight)
    return float(max(1, math.ceil(weight)))


@dataclass(frozen=True)
class Charges:
    transportation: float
    service_options: float
    residential: float
    billing_weight: float
    zone: int

    @property
    def total(self) -> float:
        return round(self.transportation + self.service_options + self.residential, 2)

    @property
    def negotiated_total(self) -> float:
        return round(self.total * NEGOTIATED_FACTOR, 2)


def charges_for(svc: Service, weights_lbs: list[float], origin_postal: str, dest_postal: str,
                residential: bool) -> Charges:
    shipment_zone = zone(origin_postal, dest_postal)
    factor = 1 + 0.12 * (shipment_zone - 2)
    transportation = sum(svc.base + svc.per_lb * w * factor for w in weights_lbs)
    return Charges(round(transportation, 2), 0.0, RESIDENTIAL_SURCHARGE if residential else 0.0,
                   sum(weights_lbs), shipment_zone)


#: the sandbox's price list for the options people tick (UPS's daily rates are of this order)
SIGNATURE_CHARGE = {"signature": 6.95, "adult": 8.30}
SATURDAY_CHARGE = 16.00
DECLARED_VALUE_PER_100 = 1.45  # above the first 100 (carrier liability up to 100 is free)


def option_charges(shipment: dict[str, Any]) -> float:
    """What the options of a Ship (or Rate) request's ``Shipment`` cost: signature per package or per shipment,
    Saturday delivery, declared value above 100."""
    options = shipment.get("ShipmentServiceOptions") or {}
    total = 0.0
    if isinstance(options, dict):
        shipment_dc = (options.get("DeliveryConfirmation") or {}).get("DCISType")
        total += SIGNATURE_CHARGE.get({"1": "signature", "2": "adult"}.get(str(shipment_dc), ""), 0.0)
        total += SATURDAY_CHARGE if "SaturdayDeliveryIndicator" in options else 0.0
    for package in _as_list(shipment.get("Package")):
        package_options = (package or {}).get("PackageServiceOptions") or {}
        dc = (package_options.get("DeliveryConfirmation") or {}).get("DCISType")
        total += SIGNATURE_CHARGE.get({"2": "signature", "3": "adult"}.get(str(dc), ""), 0.0)
        try:
            declared = float((package_options.get("DeclaredValue") or {}).get("MonetaryValue") or 0)
        except ValueError:
            declared = 0.0
        if declared > 100:
            total += DECLARED_VALUE_PER_100 * -(-(declared - 100) // 100)
    return round(total, 2)


def money(value: float, currency: str = "USD") -> dict[str, str]:
    return {"CurrencyCode": currency, "MonetaryValue": f"{value:.2f}"}


def currency_of(country: str) -> str:
    return CURRENCY_BY_COUNTRY.get(country.upper(), "USD")


def taxes(total: float, origin_country: str, currency: str) -> dict[str, Any]:
    """``TaxCharges`` and ``TotalChargesWithTaxes`` for ``total`` on a taxed lane; {} on others."""
    found = TAXES_BY_ORIGIN.get(origin_country.upper())
    if found is None:
        return {}
    kind, rate = found
    tax = round(total * rate, 2)
    return {"TaxCharges": [{"Type": kind, "MonetaryValue": f"{tax:.2f}"}],
            "TotalChargesWithTaxes": money(total + tax, currency)}


def is_cross_border(origin_country: str, dest_country: str) -> bool:
    return origin_country != dest_country and not (origin_country in DOMESTIC and dest_country in DOMESTIC)


def _as_list(node: Any) -> list[Any]:
    if node is None:
        return []
    return node if isinstance(node, list) else [node]


def sub_version(request_node: dict[str, Any] | None) -> int | None:
    """``Request/SubVersion`` as a number ("2409", or "v2409" as some clients write it); None when absent."""
    match = re.fullmatch(r"v?(\d{4})", str((request_node or {}).get("SubVersion") or "").strip())
    return int(match.group(1)) if match else None


def wants_time_in_transit(option: str, additional_info: str | None) -> bool:
    return option.lower().endswith("timeintransit") or (additional_info or "").lower() == "timeintransit"


def rate_response(request: dict[str, Any], option: str, account: str, *, additional_info: str | None = None,
                  today: date | None = None) -> dict[str, Any]:
    """The ``RateResponse`` for ``Rate`` (the requested service) or ``Shop`` (every service on the lane)."""
    shipment = request["Shipment"]
    origin = (shipment.get("ShipFrom") or shipment["Shipper"])["Address"]
    destination = shipment["ShipTo"]["Address"]
    lane = services_for_lane(str(origin.get("CountryCode", "")).upper(),
                             str(destination.get("CountryCode", "")).upper())
    if option.lower().startswith("shop"):
        quoted = lane
    elif option.lower().startswith("rate"):
        code = (shipment.get("Service") or {}).get("Code")
        if not code:
            raise UpsRefusal(400, INVALID_SERVICE, "Missing service code: Rate needs Shipment/Service/Code.")
        quoted = [service(code)]
        if quoted[0] not in lane:
            raise UpsRefusal(400, "111100", f"The requested service {quoted[0].name} is invalid from the "
                                            "selected origin to the selected destination.")
    else:
        raise UpsRefusal(400, "111001", f"Invalid request option {option}; use Rate, Shop, Ratetimeintransit or "
                                        "Shoptimeintransit.")
    weights = [package_weight_lbs(p) for p in _as_list(shipment.get("Package"))]
    residential = "ResidentialAddressIndicator" in destination
    negotiated = ("NegotiatedRatesIndicator" in (shipment.get("ShipmentRatingOptions") or {})
                  and str(shipment["Shipper"].get("ShipperNumber", "")).upper() == account.upper())
    in_transit = wants_time_in_transit(option, additional_info)
    origin_country = str(origin.get("CountryCode", "")).upper()
    if in_transit and is_cross_border(origin_country, str(destination.get("CountryCode", "")).upper()) \
            and not shipment.get("InvoiceLineTotal"):
        raise UpsRefusal(400, INVALID_CONTENTS_VALUE, "Invalid Shipment Contents Value.")
    asked = RateAsk(sub_version(request.get("Request")), _pickup_date(shipment, today) if in_transit else None,
                    taxes="TaxInformationIndicator" in shipment, options=option_charges(shipment))
    rated = [_rated_shipment(svc, weights, origin, destination, residential, negotiated, asked) for svc in quoted]
    return {"RateResponse": {"Response": {"ResponseStatus": {"Code": "1", "Description": "Success"}},
                             "RatedShipment": rated}}


@dataclass(frozen=True)
class RateAsk:
    """What the request asked for beyond the charges: its sub-version, and transit times from a pickup date."""

    sub_version: int | None
    pickup: date | None  # None: no TimeInTransit block
    taxes: bool = False  # TaxInformationIndicator was sent
    options: float = 0.0  # what the options asked for cost (signature, Saturday delivery...)


def _pickup_date(shipment: dict[str, Any], today: date | None) -> date | None:
    info = shipment.get("DeliveryTimeInformation")
    if not isinstance(info, dict):
        return None  # the spec: DeliveryTimeInformation is "Required to view time in transit information"
    raw = str(((info.get("Pickup") or {}).get("Date")) or "")
    try:
        return datetime.strptime(raw, "%Y%m%d").date()
    except ValueError:
        return today or date.today()


def _add_business_days(start: date, days: int) -> date:
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def _time_in_transit(svc: Service, pickup: date) -> dict[str, Any]:
    while pickup.weekday() >= 5:  # no weekend pickups: the next Monday
        pickup += timedelta(days=1)
    arrival = _add_business_days(pickup, svc.transit_days)
    return {
        "PickupDate": pickup.strftime("%Y%m%d"),
        "ServiceSummary": {
            "Service": {"Description": svc.name},
            "EstimatedArrival": {
                "Arrival": {"Date": arrival.strftime("%Y%m%d"), "Time": COMMIT_TIMES.get(svc.code, "230000")},
                "BusinessDaysInTransit": str(svc.transit_days),
                "Pickup": {"Date": pickup.strftime("%Y%m%d"), "Time": "160000"},
                "DayOfWeek": WEEKDAYS[arrival.weekday()],
                "CustomerCenterCutoff": "170000",
            },
            "SaturdayDelivery": "0",
        },
    }


def guaranteed_delivery(svc: Service) -> dict[str, str]:
    """``GuaranteedDelivery`` as UPS writes it: days, and the commit time of the morning services."""
    block = {"BusinessDaysInTransit": str(svc.transit_days)}
    commit = COMMIT_TIMES.get(svc.code)
    if commit:
        hour, minute = int(commit[:2]), commit[2:4]
        block["DeliveryByTime"] = f"{hour % 12 or 12}:{minute} {'A.M.' if hour < 12 else 'P.M.'}"
    return block


def _rated_shipment(svc: Service, weights: list[float], origin: dict[str, Any], destination: dict[str, Any],
                    residential: bool, negotiated: bool, asked: RateAsk) -> dict[str, Any]:
    charges = replace(charges_for(svc, weights, str(origin.get("PostalCode", "")),
                                  str(destination.get("PostalCode", "")), residential), service_options=asked.options)
    origin_country = str(origin.get("CountryCode", "")).upper()
    currency = currency_of(origin_country)
    pounds = {"Code": "LBS", "Description": "Pounds"}
    factor = 1 + 0.12 * (charges.zone - 2)
    rated: dict[str, Any] = {
        "Service": {"Code": svc.code, "Description": svc.name},
        "Zone": str(charges.zone).zfill(3),
        "BillingWeight": {"UnitOfMeasurement": pounds, "Weight": f"{charges.billing_weight:.1f}"[:5]},
        "TransportationCharges": money(charges.transportation + charges.residential, currency),
        "BaseServiceCharge": money(charges.transportation, currency),
        "ServiceOptionsCharges": money(charges.service_options, currency),
        "TotalCharges": money(charges.total, currency),
        "RatedPackage": [
            {"TransportationCharges": money(svc.base + svc.per_lb * w * factor, currency),
             "ServiceOptionsCharges": money(0.0, currency),
             "TotalCharges": money(svc.base + svc.per_lb * w * factor, currency),
             "Weight": f"{w:.1f}",
             "BillingWeight": {"UnitOfMeasurement": pounds, "Weight": f"{w:.1f}"}}
            for w in weights
        ],
    }
    if svc.guaranteed:
        rated["GuaranteedDelivery"] = guaranteed_delivery(svc)
    if residential:
        rated["ItemizedCharges"] = [{"Code": "270", "Description": "RESIDENTIAL ADDRESS",
                                     **money(charges.residential, currency)}]
    if negotiated:
        rated["NegotiatedRateCharges"] = negotiated_charges(charges, asked.sub_version, currency)
        if asked.taxes:
            rated["NegotiatedRateCharges"].update(taxes(charges.negotiated_total, origin_country, currency))
    elif asked.taxes:
        rated.update(taxes(charges.total, origin_country, currency))
    if asked.pickup is not None:
        rated["TimeInTransit"] = _time_in_transit(svc, asked.pickup)
    return rated


def negotiated_charges(charges: Charges, sub: int | None, currency: str = "USD") -> dict[str, Any]:
    """``NegotiatedRateCharges``; its ``BaseServiceCharge`` is one object, as UPS sends it (spec_exceptions)."""
    body: dict[str, Any] = {"TotalCharge": money(charges.negotiated_total, currency)}
    if sub is not None and sub >= FIRST_NEGOTIATED_BASE_SUBVERSION:
        body["BaseServiceCharge"] = money(round(charges.transportation * NEGOTIATED_FACTOR, 2), currency)
    return body
