"""The warehouse's units and currency, from ``[region]`` (``auto`` and empty follow ``[shipper] country``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from babel.numbers import get_territory_currencies

from shipdesk.core.settings.config import Config, WeightUnitChoice
from shipdesk.ship_rules.units import POUNDS_ONLY

#: the countries that weigh in pounds (UPS also wants LBS/IN from the US and Puerto Rico)
POUND_COUNTRIES = frozenset({"US", "PR", "LR", "MM"})
#: origins UPS takes pounds and inches from, and nothing else ("This measurement system is not valid for the
#: selected country or territory", 111057/121057): a ``[region] weight_unit = "kg"`` there is for the screens only
UPS_POUNDS_ONLY = POUNDS_ONLY  # UPS's rule, held once for the client and the sandbox (``ship_rules.units``)


@dataclass(frozen=True)
class Region:
    weight_unit: Literal["LBS", "KGS"]  # as UPS writes them; box sizes follow its system (UPS wants one)
    currency: str  # ISO 4217


def country_currency(country: str) -> str:
    """The currency a country uses today (``MX`` → ``MXN``); USD when the country is unknown."""
    try:
        found = get_territory_currencies(country.upper(), dt.date.today()) if country else []
    except (ValueError, LookupError):
        found = []
    return found[0] if found else "USD"


def ups_weight_unit(config: Config) -> Literal["LBS", "KGS"]:
    """The unit a package's weight is sent to UPS in when Acumatica gives it none: the region's, except from an
    origin UPS takes pounds only from. Acumatica's own unit of a package wins over this, except from such an
    origin, where a package in KG is converted to pounds (``core.shipping.ups_units``)."""
    if (config.shipper.country or "US").upper() in UPS_POUNDS_ONLY:
        return "LBS"
    return region_of(config).weight_unit


def region_of(config: Config) -> Region:
    region, country = config.region, (config.shipper.country or "US").upper()
    if region.weight_unit is WeightUnitChoice.AUTO:
        weight: Literal["LBS", "KGS"] = "LBS" if country in POUND_COUNTRIES else "KGS"
    else:
        weight = "LBS" if region.weight_unit is WeightUnitChoice.POUNDS else "KGS"
    return Region(weight, region.currency.upper() or country_currency(country))
