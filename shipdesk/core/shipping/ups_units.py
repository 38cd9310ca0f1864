"""A package's weight and sizes in a system UPS takes from the shipper's country.

UPS takes pounds (or ounces) and inches only from a shipper in the US or Puerto Rico ("This measurement system is
not valid for the selected country or territory", 121057 from Ship, 111057 from Rate: ``ship_rules.units``), so a
box Acumatica weighs in KG at a US warehouse is converted before the request is built. The weight is rounded UP
(to the hundredth here; the wire rounds up again to fit UPS's field): a weight under what the scale said comes
back as a billing adjustment. Other origins keep Acumatica's units, one system a package (``mapping``).
"""

from __future__ import annotations

from dataclasses import replace
from decimal import ROUND_CEILING, Decimal

from shipdesk.core.region import UPS_POUNDS_ONLY
from shipdesk.ups.models import PackageSpec

#: exact by definition (the international yard and pound, 1959)
KG_PER_LB = Decimal("0.45359237")
CM_PER_IN = Decimal("2.54")
HUNDREDTH = Decimal("0.01")


def _up(value: Decimal) -> Decimal:
    return value.quantize(HUNDREDTH, rounding=ROUND_CEILING)


def for_origin(package: PackageSpec, shipper_country: str) -> PackageSpec:
    """``package`` in pounds and inches when UPS takes nothing else from ``shipper_country``; else unchanged."""
    if (shipper_country or "US").strip().upper() not in UPS_POUNDS_ONLY:
        return package
    if package.weight_unit == "KGS":
        package = replace(package, weight=_up(package.weight / KG_PER_LB), weight_unit="LBS")
    if package.dimension_unit == "CM":
        sizes = [None if size is None else _up(size / CM_PER_IN)
                 for size in (package.length, package.width, package.height)]
        package = replace(package, length=sizes[0], width=sizes[1], height=sizes[2], dimension_unit="IN")
    return package
