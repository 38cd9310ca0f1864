"""UPS's schema refusals as a sentence naming the field to fix, and where to fix it.

UPS refuses a request whose field breaks its schema with error 120100 and the field's path, e.g.
"Invalid request: ShipmentRequest/Shipment/Shipper/Address/City: '' has a length outside the allowed range
(minLength 1)". Nobody at a packing station reads JSON paths: the path says which field, and the field says
where it is kept: the shipper's in shipdesk's settings, the ship-to's on the Acumatica shipment.
"""

from __future__ import annotations

import re

from shipdesk.errors import ApiRefused
from shipdesk.i18n import N_, _

_PATH = re.compile(r"Shipment/(Shipper|ShipTo|ShipFrom)/((?:[A-Za-z]+/)*[A-Za-z]+)(?:/\d+)?:\s*([^;]*)")
#: the last element of a path → (what a person calls it, the [shipper] key, the Acumatica field)
_FIELDS = {
    "Name": (N_("name"), "name", "Ship-To Contact › Company Name"),
    "AttentionName": (N_("attention name"), "attention", "Ship-To Contact › Attention"),
    "AddressLine": (N_("street line"), "address_lines", "Ship-To Address › Address Line 1"),
    "City": (N_("city"), "city", "Ship-To Address › City"),
    "StateProvinceCode": (N_("state"), "state", "Ship-To Address › State"),
    "PostalCode": (N_("postal code"), "postal_code", "Ship-To Address › Postal Code"),
    "CountryCode": (N_("country"), "country", "Ship-To Address › Country"),
    "Number": (N_("phone number"), "phone", "Ship-To Contact › Phone 1"),
    "ShipperNumber": (N_("UPS account number"), "", ""),
}
#: (party, empty?) → the sentence; whole sentences so each language can agree "the shipper's city" its own way
_SAID = {
    ("Shipper", True): N_("UPS refused the label: the shipper's {field} is empty{code}."),
    ("Shipper", False): N_("UPS refused the label: the shipper's {field} is not accepted (too long, or not in the "
                           "form UPS expects){code}."),
    ("ShipFrom", True): N_("UPS refused the label: the ship-from {field} is empty{code}."),
    ("ShipFrom", False): N_("UPS refused the label: the ship-from {field} is not accepted (too long, or not in the "
                            "form UPS expects){code}."),
    ("ShipTo", True): N_("UPS refused the label: the ship-to {field} is empty{code}."),
    ("ShipTo", False): N_("UPS refused the label: the ship-to {field} is not accepted (too long, or not in the "
                          "form UPS expects){code}."),
}


def explain_refusal(error: ApiRefused, shipment_nbr: str) -> str | None:
    """The sentence for a refusal that names a shipper or ship-to field; None when it names none."""
    match = _PATH.search(error.message)
    if match is None:
        return None
    party, path, problem = match.group(1), match.group(2), match.group(3).strip()
    field = path.split("/")[-1]
    what, key, acumatica_field = _FIELDS.get(field, (field, "", ""))
    empty = problem.startswith(("''", '""')) or "required" in problem
    shown = _(what) if field in _FIELDS else what  # i18n: _FIELDS' names are N_()-marked
    # {code}: " (UPS error 120100)" when UPS gave one
    code = " " + _("(UPS error {code})").format(code=error.code) if error.code else ""
    said = _(_SAID[party, empty]).format(field=shown, code=code)  # i18n: _SAID's sentences are N_()-marked
    if field == "ShipperNumber":
        fix = _("Check Account number in Settings › UPS ([ups] account_number).")
    elif party == "ShipTo":
        fix = _("Correct {field} on shipment {shipment} in Acumatica, then ship it again.").format(
            field=acumatica_field or field, shipment=shipment_nbr)
    elif key:
        fix = _("Fill it in under Settings › Shipper address ([shipper] {key}), then ship it again.").format(key=key)
    else:
        fix = _("Fill it in under Settings › Shipper address, then ship it again.")
    return f"{said} {fix}"
