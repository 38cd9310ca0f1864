"""Measurement systems: which weight and size units UPS takes on a package, for Ship and Rate alike.

The rules (``resources/specs/ups/Shipping.yaml`` and ``Rating.yaml``, ``Dimensions.UnitOfMeasurement.Code``: "The
unit of measurement must be valid for the Shipper country or territory"; public captures for the rest):

- one system a package: a KGS weight with IN sizes, LBS or OZS with CM, is refused with 110548 "A shipment cannot
  have a KGS/IN or LBS/CM or OZS/CM as its unit of measurements" (gabrielbull/php-ups-api issues 150 and 365, the
  latter from Rate; magento/magento2 issue 38618 from the REST Rating API, for KGS with IN from the EU);
- from a shipper in the US or Puerto Rico, pounds (or ounces) and inches only: KGS or CM is refused with "This
  measurement system is not valid for the selected country or territory." UPS numbers the code by the API that
  answers, as it does its other shared errors (111211/121211, 111100/121100): 111057 from Rate
  (nopSolutions/nopCommerce issue 4733 with that exact text; alexeybusygin/ShippingRates issue 69), 121057 from
  Ship (gabrielbull/php-ups-api issue 113, a Ship request, in the older wording without "or territory"). No
  public capture shows UPS giving weight and sizes different codes: both get the API's one code.

When a package breaks both, the mixed pair is what the sandbox answers (magento issue 38618 got 110548, not the
country's code, for KGS with IN from the EU). Other origins' units are not checked here: which of them UPS also
refuses pounds from is not settled by a public capture.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from shipdesk.ship_rules.rule import Rule, Violation, country, items, obj, text

#: where UPS takes pounds (or ounces) and inches, and nothing else
POUNDS_ONLY = frozenset({"US", "PR"})
METRIC_WEIGHTS = frozenset({"KGS"})
#: ``Dimensions.UnitOfMeasurement.Code``: "IN = Inches CM = Centimeters 00 = Metric Units Of Measurement
#: 01 = English Units of Measurement"
METRIC_SIZES = frozenset({"CM", "00"})
IMPERIAL_SIZES = frozenset({"IN", "01"})
NOT_VALID_HERE = "This measurement system is not valid for the selected country or territory."

MIXED_SYSTEMS = Rule(
    "110548", "A shipment cannot have a KGS/IN or LBS/CM or OZS/CM as its unit of measurements.",
    "gabrielbull/php-ups-api issues 150 and 365; magento/magento2 issue 38618 (REST Rating)")
SHIP_NOT_VALID_HERE = Rule(
    "121057", NOT_VALID_HERE,
    "gabrielbull/php-ups-api issue 113 (Ship, 121057); the text as nopSolutions/nopCommerce issue 4733 quotes it")
RATE_NOT_VALID_HERE = Rule(
    "111057", NOT_VALID_HERE, "nopSolutions/nopCommerce issue 4733; alexeybusygin/ShippingRates issue 69 (Rate)")


def ship_violations(body: Any) -> list[Violation]:
    """The unit rules a ``{"ShipmentRequest": ...}`` body breaks."""
    return list(_violations(obj(obj(body, "ShipmentRequest"), "Shipment"), "ShipmentRequest/Shipment",
                            SHIP_NOT_VALID_HERE))


def rate_violations(body: Any) -> list[Violation]:
    """The unit rules a ``{"RateRequest": ...}`` body breaks (Rate answers the country's rule with its own code)."""
    return list(_violations(obj(obj(body, "RateRequest"), "Shipment"), "RateRequest/Shipment", RATE_NOT_VALID_HERE))


def _unit(node: dict[str, Any], key: str) -> str:
    return text(obj(obj(node, key), "UnitOfMeasurement"), "Code").upper()


def _violations(shipment: dict[str, Any], where: str, not_valid_here: Rule) -> Iterator[Violation]:
    shipper = country(obj(shipment, "Shipper"))
    for index, package in enumerate(items(shipment, "Package")):
        weight = _unit(package, "PackageWeight")
        sizes = _unit(package, "Dimensions") if obj(package, "Dimensions") else ""
        at = f"{where}/Package[{index}]"
        metric_weight = weight in METRIC_WEIGHTS
        mixed = (sizes in IMPERIAL_SIZES) if metric_weight else bool(weight) and sizes in METRIC_SIZES
        if mixed:
            yield Violation(MIXED_SYSTEMS, at, f"weight in {weight}, sizes in {sizes}")
        elif shipper in POUNDS_ONLY and (metric_weight or sizes in METRIC_SIZES):
            yield Violation(not_valid_here, at, f"weight in {weight or '-'}, sizes in {sizes or '-'} from {shipper}")
