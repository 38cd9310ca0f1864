"""Address Validation (XAV) with deterministic rules, so demo data and tests know the answer in advance.

Request option 1 = validation, 2 = classification, 3 = both. Street-level validation covers US and
PR addresses only; any other country gets a Valid answer with classification 0 (unclassified).

Validation (US/PR):
- **No candidates** when the postal code is ``00000`` or an address line contains "Nowhere".
- **Ambiguous** when an address line contains "Main St" and the city is "Springfield":
  three candidates, Springfield IL 62701, MA 01103 and MO 65806.
- **Valid** otherwise: the address comes back upper-cased, with a ZIP+4 (``PostcodeExtendedLow``)
  derived from the street number.

Classification: residential (code 2) when an address line contains one of the words "Apt", "Unit",
"Lane", "Ln", "Court", "Ct", "Drive", "Dr", "Way", "Circle" (case-insensitive, whole words);
otherwise commercial (code 1).
"""

from __future__ import annotations

import re
from typing import Any

from shipdesk.sandbox.ups.errors import INVALID_REQUEST, UpsRefusal

STREET_COUNTRIES = ("US", "PR")
RESIDENTIAL_WORDS = re.compile(r"\b(apt|unit|lane|ln|court|ct|drive|dr|way|circle)\b", re.IGNORECASE)
AMBIGUOUS_SPRINGFIELDS = (("IL", "62701"), ("MA", "01103"), ("MO", "65806"))
CLASSIFICATIONS = {"0": "Unclassified", "1": "Commercial", "2": "Residential"}


def _lines(address: dict[str, Any]) -> list[str]:
    lines = address.get("AddressLine") or []
    return [lines] if isinstance(lines, str) else [str(x) for x in lines]


def classify(address: dict[str, Any]) -> str:
    if address.get("CountryCode", "").upper() not in STREET_COUNTRIES:
        return "0"
    return "2" if any(RESIDENTIAL_WORDS.search(line) for line in _lines(address)) else "1"


def _classification(code: str) -> dict[str, str]:
    return {"Code": code, "Description": CLASSIFICATIONS[code]}


def _zip4(lines: list[str]) -> str:
    digits = re.match(r"\s*(\d+)", lines[0]) if lines else None
    return f"{int(digits.group(1)) % 10000:04d}" if digits else "0001"


def _normalised(address: dict[str, Any], **overrides: str) -> dict[str, Any]:
    lines = [line.upper() for line in _lines(address)]
    postal = str(address.get("PostcodePrimaryLow", ""))[:5]
    candidate = {
        "AddressLine": lines,
        "PoliticalDivision2": str(address.get("PoliticalDivision2", "")).upper(),
        "PoliticalDivision1": str(address.get("PoliticalDivision1", "")).upper(),
        "PostcodePrimaryLow": postal,
        "PostcodeExtendedLow": _zip4(lines),
        "Region": "",
        "CountryCode": address.get("CountryCode", "").upper(),
    }
    candidate.update(overrides)
    candidate["Region"] = (f"{candidate['PoliticalDivision2']} {candidate['PoliticalDivision1']} "
                           f"{candidate['PostcodePrimaryLow']}-{candidate['PostcodeExtendedLow']}")
    return {key: value for key, value in candidate.items() if value}


def validate_address(request: dict[str, Any], option: str) -> dict[str, Any]:
    """The ``XAVResponse`` for a spec-valid ``XAVRequest`` and request option 1, 2 or 3."""
    if option not in ("1", "2", "3"):
        raise UpsRefusal(400, INVALID_REQUEST, f"Invalid request option {option}; use 1, 2 or 3.")
    address = request["XAVRequest"]["AddressKeyFormat"]
    country = address.get("CountryCode", "").upper()
    want_validation, want_class = option in ("1", "3"), option in ("2", "3")
    body: dict[str, Any] = {"Response": {"ResponseStatus": {"Code": "1", "Description": "Success"}}}
    code = classify(address)
    if country not in STREET_COUNTRIES:
        body["ValidAddressIndicator"] = ""
        body["AddressClassification"] = _classification("0")
        body["Candidate"] = [{"AddressClassification": _classification("0"),
                              "AddressKeyFormat": _normalised(address)}]
        return {"XAVResponse": body}
    lines = _lines(address)
    city = str(address.get("PoliticalDivision2", "")).strip().lower()
    candidates: list[dict[str, Any]]
    postal = str(address.get("PostcodePrimaryLow", ""))
    if postal.startswith("00000") or any("nowhere" in x.lower() for x in lines):
        body["NoCandidatesIndicator"] = ""
        candidates = []
    elif city == "springfield" and any("main st" in x.lower() for x in lines):
        body["AmbiguousAddressIndicator"] = ""
        candidates = [_normalised(address, PoliticalDivision1=state, PostcodePrimaryLow=postal)
                      for state, postal in AMBIGUOUS_SPRINGFIELDS]
    else:
        body["ValidAddressIndicator"] = ""
        candidates = [_normalised(address)]
    if not want_validation:  # classification only: no street verdict, just the class of the address
        body = {"Response": body["Response"], "ValidAddressIndicator": "",
                "AddressClassification": _classification(code),
                "Candidate": [{"AddressClassification": _classification(code),
                               "AddressKeyFormat": _normalised(address)}]}
        return {"XAVResponse": body}
    if want_class:
        body["AddressClassification"] = _classification(code)
    if candidates:
        classification = {"AddressClassification": _classification(code)} if want_class else {}
        body["Candidate"] = [{**classification, "AddressKeyFormat": c} for c in candidates]
    return {"XAVResponse": body}
