"""Pure mapping for UPS Address Validation (XAV, request option 3: validation + classification)."""

from __future__ import annotations

from typing import Any, Literal

from shipdesk.i18n import N_
from shipdesk.ups import errors
from shipdesk.ups.models import AddressCandidate, AddressValidation, Classification, UpsAddress
from shipdesk.ups.wire import Json, as_list, clean, fit_lines

#: request option 3 = street-level validation and residential/commercial classification
VALIDATE_AND_CLASSIFY = "3"
_CLASSIFICATIONS: dict[str, Classification] = {"1": "commercial", "2": "residential"}


def _split_postal(country: str, code: str) -> tuple[str, str]:
    code = code.strip()
    if country in ("US", "PR") and "-" in code:
        primary, _, extended = code.partition("-")
        return primary.strip(), extended.strip()
    return code, ""


def _lines(address: UpsAddress) -> tuple[str, ...]:
    """The lines as the label gets them (wrapped, never cut); lines that cannot fit are refused before the
    label, so here they are only shortened for the question."""
    return fit_lines(address.lines) or tuple(line.strip()[:35] for line in address.lines if line.strip())[:3]


def xav_request(address: UpsAddress, *, name: str = "") -> Json:
    country = address.country.strip().upper()
    primary, extended = _split_postal(country, address.postal_code)
    key: Json = {
        "AddressLine": list(_lines(address)),
        "PoliticalDivision2": address.city.strip()[:30],
        "CountryCode": country,
    }
    if name.strip():
        key["ConsigneeName"] = name.strip()[:40]
    if address.state.strip():
        key["PoliticalDivision1"] = address.state.strip().upper()[:30]
    if primary:
        key["PostcodePrimaryLow"] = primary[:10]
    if extended:
        key["PostcodeExtendedLow"] = extended[:10]
    return {"XAVRequest": {"AddressKeyFormat": key}}


def _classification(node: Any) -> Classification:
    code = clean(node.get("Code")) if isinstance(node, dict) else ""
    return _CLASSIFICATIONS.get(code, "unknown")


def _candidate(node: Any) -> AddressCandidate | None:
    key = node.get("AddressKeyFormat") if isinstance(node, dict) else None
    if not isinstance(key, dict):
        return None
    primary, extended = clean(key.get("PostcodePrimaryLow")), clean(key.get("PostcodeExtendedLow"))
    address = UpsAddress(
        lines=tuple(clean(line) for line in as_list(key.get("AddressLine")) if clean(line)),
        city=clean(key.get("PoliticalDivision2")),
        state=clean(key.get("PoliticalDivision1")),
        postal_code=f"{primary}-{extended}" if primary and extended else primary,
        country=clean(key.get("CountryCode")),
    )
    classification = _classification(node.get("AddressClassification"))
    return AddressCandidate(address=address, classification=classification)


def parse_xav_response(body: Any) -> AddressValidation:
    answer = body.get("XAVResponse") if isinstance(body, dict) else None
    if not isinstance(answer, dict):
        raise errors.unreadable(N_("check the address"), "no XAVResponse")
    candidates = tuple(c for c in (_candidate(n) for n in as_list(answer.get("Candidate"))) if c is not None)
    status: Literal["valid", "ambiguous", "no_candidates"]
    if "ValidAddressIndicator" in answer:
        status = "valid"
    elif "AmbiguousAddressIndicator" in answer:
        status = "ambiguous"
    else:
        status = "no_candidates"
    classification = _classification(answer.get("AddressClassification"))
    if classification == "unknown" and status == "valid" and candidates:
        classification = candidates[0].classification
    return AddressValidation(status=status, classification=classification, candidates=candidates)
