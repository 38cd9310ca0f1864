"""UPS's schema refusals as a sentence naming the field to fix, and where to fix it.

UPS refuses a request whose field breaks its schema with error 120100 and the field's path, e.g.
"Invalid request: ShipmentRequest/Shipment/Shipper/Address/City: '' has a length outside the allowed range
(minLength 1)". Nobody at a packing station reads JSON paths: the path says which field, and the field says
where it is kept: the shipper's in shipdesk's settings, the ship-to's on the Acumatica shipment.
"""

from __future__ import annotations

import re

from shipdesk.errors import ApiRefused

_PATH = re.compile(r"Shipment/(Shipper|ShipTo|ShipFrom)/((?:[A-Za-z]+/)*[A-Za-z]+)(?:/\d+)?:\s*([^;]*)")
#: the last element of a path → (what a person calls it, the [shipper] key, the Acumatica field)
_FIELDS = {
    "Name": ("name", "name", "Ship-To Contact › Company Name"),
    "AttentionName": ("attention name", "attention", "Ship-To Contact › Attention"),
    "AddressLine": ("street line", "address_lines", "Ship-To Address › Address Line 1"),
    "City": ("city", "city", "Ship-To Address › City"),
    "StateProvinceCode": ("state", "state", "Ship-To Address › State"),
    "PostalCode": ("postal code", "postal_code", "Ship-To Address › Postal Code"),
    "CountryCode": ("country", "country", "Ship-To Address › Country"),
    "Number": ("phone number", "phone", "Ship-To Contact › Phone 1"),
    "ShipperNumber": ("UPS account number", "", ""),
}
_PARTY = {"Shipper": "shipper's", "ShipFrom": "ship-from", "ShipTo": "ship-to"}


def explain_refusal(error: ApiRefused, shipment_nbr: str) -> str | None:
    """The sentence for a refusal that names a shipper or ship-to field; None when it names none."""
    match = _PATH.search(error.message)
    if match is None:
        return None
    party, path, problem = match.group(1), match.group(2), match.group(3).strip()
    field = path.split("/")[-1]
    what, key, acumatica_field = _FIELDS.get(field, (field, "", ""))
    empty = problem.startswith(("''", '""')) or "required" in problem
    state = "is empty" if empty else "is not accepted (too long, or not in the form UPS expects)"
    code = f" (UPS error {error.code})" if error.code else ""
    if field == "ShipperNumber":
        fix = "Check Account number in Settings › UPS ([ups] account_number)."
    elif party == "ShipTo":
        fix = f"Correct {acumatica_field or field} on shipment {shipment_nbr} in Acumatica, then ship it again."
    else:
        setting = f" ([shipper] {key})" if key else ""
        fix = f"Fill it in under Settings › Shipper address{setting}, then ship it again."
    return f"UPS refused the label: the {_PARTY[party]} {what} {state}{code}. {fix}"
