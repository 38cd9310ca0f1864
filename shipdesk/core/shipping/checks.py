"""Does an Acumatica shipment hold everything UPS needs? Pure: no I/O, no store, no clients.

Each missing item becomes ONE sentence naming the Acumatica field to fix, so the clerk (or the
supervisor reading the "needs attention" list) knows where to click. Problems block the label:
nothing is sent to UPS. Warnings (e.g. a name UPS will cut at 35 characters) do not.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from shipdesk.acumatica.models import Address, Package, Shipment
from shipdesk.ups import postal_codes
from shipdesk.ups.models import UpsAddress
from shipdesk.ups.services import ServiceCode
from shipdesk.ups.wire import CITY_MAX, LINE_MAX, MAX_LINES, fit_lines

#: UPS's limit for names and attention names
UPS_TEXT_MAX = 35

#: Countries (ISO alpha-2) that have no postal codes, so UPS does not require one.
COUNTRIES_WITHOUT_POSTAL_CODE = frozenset({
    "AE", "AG", "AO", "AW", "BF", "BI", "BJ", "BO", "BS", "BW", "BZ", "CD", "CF", "CG", "CI", "CK", "CM",
    "CW", "DJ", "DM", "ER", "FJ", "GA", "GD", "GH", "GM", "GQ", "GY", "HK", "JM", "KI", "KM", "KN", "LC",
    "ML", "MO", "MR", "MW", "NR", "NU", "PA", "QA", "RW", "SB", "SC", "SL", "SR", "ST", "SY", "TG", "TL",
    "TO", "TT", "TV", "UG", "VU", "YE", "ZW",
})
#: Countries where UPS needs a state/province code.
COUNTRIES_WITH_STATE = frozenset({"US", "CA", "PR"})
#: Countries UPS validates street by street (the rest: classification at most).
STREET_VALIDATION_COUNTRIES = frozenset({"US", "PR"})
#: Services for which UPS needs the ship-to phone even inside one country.
SERVICES_NEEDING_PHONE = frozenset({ServiceCode.NEXT_DAY_AIR_EARLY})
#: (from, to) country pairs for which UPS needs the invoice total of the goods from the packages' declared values;
#: to Canada it comes from the commercial invoice (the order's prices: ``core.shipping.international``)
NEEDS_GOODS_VALUE = frozenset({("US", "PR")})
#: Acumatica weight units shipdesk understands (Acumatica's UOM on the package row).
KNOWN_WEIGHT_UNITS = frozenset({"", "LB", "LBS", "KG", "KGS", "OZ", "OZS"})

ADDRESS = "Shipping Settings › Ship-To Address"
CONTACT = "Shipping Settings › Ship-To Contact"


@dataclass(frozen=True)
class CheckResult:
    problems: tuple[str, ...] = ()  # each blocks the label; one sentence each
    warnings: tuple[str, ...] = ()  # shown, but the label can be made

    @property
    def ok(self) -> bool:
        return not self.problems


def ship_to_name(shipment: Shipment) -> str:
    """The name UPS prints: the business name, else the attention line."""
    contact = shipment.ship_to_contact
    return (contact.business_name or contact.attention).strip()


def check_shipment(
    shipment: Shipment,
    *,
    services: Mapping[str, str],
    shipper_country: str = "US",
    carrier_plugin_ship_vias: tuple[str, ...] = (),
    validates_address: bool = False,
    labelled_ok: bool = False,
) -> CheckResult:
    """Every reason ``shipment`` cannot be labelled yet, plus non-blocking warnings.

    ``validates_address``: UPS address validation runs before the label, so a missing US/PR state is
    left to it (its candidates carry the state; the clerk picks one when there are several).
    ``labelled_ok``: tracking numbers already on the shipment are no problem (a rate quote).
    """
    where = f"on shipment {shipment.shipment_nbr} in Acumatica."
    country = shipment.ship_to_address.country.strip().upper()
    shipper = shipper_country.strip().upper()
    service = services.get(shipment.ship_via.strip())
    problems = [
        *_address_problems(shipment, where, validates_address),
        *_service_problems(shipment, where, service),
        *_phone_problems(shipment, where, service, international=bool(country) and country != shipper),
        *_package_problems(shipment.packages, where),
    ]
    if (shipper, country) in NEEDS_GOODS_VALUE and not any(p.declared_value for p in shipment.packages):
        problems.append(f"UPS needs the value of the goods for shipments from {shipper} to {country}: fill in "
                        f"Packages › Declared Value {where}")
    if shipment.tracking_numbers and not labelled_ok:
        problems.append(
            f"Shipment {shipment.shipment_nbr} already has tracking number(s) "
            f"{', '.join(shipment.tracking_numbers)}: it was labelled before. Void that label (or clear "
            "Packages › Tracking Number in Acumatica) before labelling it again.")
    warnings = [*_length_warnings(shipment), *_plugin_warnings(shipment, carrier_plugin_ship_vias)]
    return CheckResult(tuple(problems), tuple(warnings))


def _address_problems(shipment: Shipment, where: str, validates_address: bool) -> list[str]:
    address = shipment.ship_to_address
    country = address.country.strip().upper()
    problems = []
    if not address.line1.strip():
        problems.append(f"Ship-to address line 1 is empty: fill in {ADDRESS} › Address Line 1 {where}")
    if not address.city.strip():
        problems.append(f"Ship-to city is empty: fill in {ADDRESS} › City {where}")
    if not country:
        problems.append(f"Ship-to country is empty: fill in {ADDRESS} › Country {where}")
    elif len(country) != 2:
        problems.append(f"Ship-to country '{address.country}' is not a 2-letter country code: "
                        f"pick the country in {ADDRESS} › Country {where}")
    if not address.postal_code.strip() and country not in COUNTRIES_WITHOUT_POSTAL_CODE:
        problems.append(f"Ship-to postal code is empty: fill in {ADDRESS} › Postal Code {where}")
    elif (expected := postal_codes.problem(country, address.postal_code)) is not None:
        problems.append(f"Ship-to postal code '{address.postal_code.strip()}' is not how {country} writes postal "
                        f"codes for UPS ({expected}): correct {ADDRESS} › Postal Code {where}")
    state_from_ups = validates_address and country in STREET_VALIDATION_COUNTRIES
    if country in COUNTRIES_WITH_STATE and not address.state.strip() and not state_from_ups:
        problems.append(f"Ship-to state is empty (UPS needs it for {country}): "
                        f"fill in {ADDRESS} › State {where}")
    if not ship_to_name(shipment):
        problems.append(f"Ship-to name is empty: fill in {CONTACT} › Business Name (or Attention) {where}")
    return problems + _length_problems(address, where)


def _length_problems(address: Address, where: str) -> list[str]:
    """Lines and city UPS cannot take (Acumatica allows 50 characters each, UPS 3 lines of 35 and a city of 30):
    never cut, because a label to "..., Suite" goes astray."""
    problems = []
    lines = {number: line.strip() for number, line in ((1, address.line1), (2, address.line2)) if line.strip()}
    if fit_lines(lines.values()) is None:
        long = [number for number, line in lines.items() if len(line) > LINE_MAX] or list(lines)
        fields = " and ".join(f"Address Line {number}" for number in long)
        sizes = ", ".join(f"{len(lines[number])}" for number in long)
        problems.append(f"The ship-to street ({sizes} characters in {fields}) does not fit UPS's {MAX_LINES} lines "
                        f"of {LINE_MAX} characters, even wrapped at spaces: shorten {ADDRESS} › {fields} {where}")
    city = " ".join(address.city.split())
    if len(city) > CITY_MAX:
        problems.append(f"Ship-to city '{city}' is longer than UPS's {CITY_MAX} characters: "
                        f"shorten {ADDRESS} › City {where}")
    return problems


def wrapped_line_warnings(address: UpsAddress) -> list[str]:
    """An address line over UPS's 35 characters goes on at a word boundary on the next line: say how."""
    long = [number for number, line in enumerate(address.lines, start=1) if len(" ".join(line.split())) > LINE_MAX]
    fitted = fit_lines(address.lines)
    if not long or fitted is None:
        return []
    which = " and ".join(str(number) for number in long)
    shown = " / ".join(f"'{line}'" for line in fitted)
    return [f"Ship-to address line {which} is longer than UPS's {LINE_MAX} characters: it goes to UPS wrapped "
            f"onto the next line ({shown})."]


def _length_warnings(shipment: Shipment) -> list[str]:
    """Names UPS takes 35 characters of: the label can still be made."""
    name, attention = ship_to_name(shipment), shipment.ship_to_contact.attention.strip()
    return [f"Ship-to {label} '{value}' is longer than UPS's {UPS_TEXT_MAX} characters: "
            f"the label will show '{value[:UPS_TEXT_MAX]}'."
            for label, value in (("name", name), ("attention", attention)) if len(value) > UPS_TEXT_MAX]


def _service_problems(shipment: Shipment, where: str, service: str | None) -> list[str]:
    ship_via = shipment.ship_via.strip()
    if not ship_via:
        return [f"Ship Via is empty: choose a UPS Ship Via in Shipping Settings › Ship Via {where}"]
    if not service:
        return [f"Ship Via {shipment.ship_via} is not mapped to a UPS service: change the Ship Via "
                f"{where[:-1]}, or add it under [ups.services] in the shipdesk settings."]
    return []


def _plugin_warnings(shipment: Shipment, carrier_plugin_ship_vias: tuple[str, ...]) -> list[str]:
    if shipment.ship_via.strip() and shipment.ship_via.strip() in carrier_plugin_ship_vias:
        return [f"Ship Via {shipment.ship_via} runs Acumatica's own carrier plug-in: shipdesk will "
                "not confirm the shipment, because confirming would buy a second label."]
    return []


def _phone_problems(shipment: Shipment, where: str, service: str | None, *, international: bool) -> list[str]:
    if shipment.ship_to_contact.phone.strip() or not (international or service in SERVICES_NEEDING_PHONE):
        return []
    why = "international shipments" if international else "this UPS service"
    return [f"Ship-to phone is empty (UPS needs it for {why}): fill in {CONTACT} › Phone 1 {where}"]


def _package_problems(packages: tuple[Package, ...], where: str) -> list[str]:
    if not packages:
        return [f"The shipment has no packages: add at least one box on the Packages tab {where}"]
    problems = []
    for position, package in enumerate(packages, start=1):
        which = _package_name(package, position)
        if package.weight is None or package.weight <= Decimal(0):
            problems.append(f"{which} has no weight: fill in Packages › Weight {where}")
        if package.uom.strip().upper() not in KNOWN_WEIGHT_UNITS:
            problems.append(f"{which} is weighed in '{package.uom}', which UPS does not accept (LB or KG): "
                            f"change the weight unit of box {package.box_id or '(none)'} {where}")
    return problems


def _package_name(package: Package, position: int) -> str:
    box = f" ({package.box_id})" if package.box_id else ""
    return f"Package {position}{box}"
