"""UPS sandbox: Rating (Rate/Shop) and Address Validation with its documented deterministic rules."""

from __future__ import annotations

from typing import Any

import pytest

from shipdesk.specs import validate_ups_response

AV = "/api/addressvalidation/v2/{option}"


def _rate_request(*, service: str | None = "03", dest_postal: str = "62701", dest_country: str = "US",
                  weights: tuple[str, ...] = ("5",), negotiated: bool = False, residential: bool = False,
                  dims: bool = False) -> dict[str, Any]:
    destination: dict[str, Any] = {"AddressLine": ["5 Elm Lane"], "City": "Springfield",
                                   "StateProvinceCode": "IL", "PostalCode": dest_postal,
                                   "CountryCode": dest_country}
    if residential:
        destination["ResidentialAddressIndicator"] = ""
    origin = {"AddressLine": ["100 Main St"], "City": "Atlanta", "StateProvinceCode": "GA",
              "PostalCode": "30301", "CountryCode": "US"}
    packages = []
    for weight in weights:
        package: dict[str, Any] = {"PackagingType": {"Code": "02"},
                                   "PackageWeight": {"UnitOfMeasurement": {"Code": "LBS", "Description": "Pounds"},
                                                     "Weight": weight}}
        if dims:
            inches = {"Code": "IN", "Description": "Inches"}
            package["Dimensions"] = {"UnitOfMeasurement": inches, "Length": "24", "Width": "24", "Height": "24"}
        packages.append(package)
    shipment: dict[str, Any] = {
        "Shipper": {"Name": "ACME", "ShipperNumber": "A1B2C3", "Address": origin},
        "ShipTo": {"Name": "Jane Doe", "Address": destination},
        "Package": packages,
    }
    if service:
        shipment["Service"] = {"Code": service}
    if negotiated:
        shipment["ShipmentRatingOptions"] = {"NegotiatedRatesIndicator": ""}
    return {"RateRequest": {"Request": {"RequestOption": "Rate"}, "Shipment": shipment}}


def _rate(sandbox, session, option: str, body: dict[str, Any]):
    path = f"/api/rating/v2409/{option}"
    answer = session.post(f"{sandbox.url}{path}", json=body, timeout=10)
    validate_ups_response("post", path, answer.status_code, answer.json())
    return answer


def _total(rated: dict[str, Any]) -> float:
    return float(rated["TotalCharges"]["MonetaryValue"])


def test_rate_quotes_the_requested_service(ups_sandbox, ups_sandbox_session):
    answer = _rate(ups_sandbox, ups_sandbox_session, "Rate", _rate_request())
    rated = answer.json()["RateResponse"]["RatedShipment"]
    assert answer.status_code == 200
    assert [r["Service"]["Code"] for r in rated] == ["03"]
    assert _total(rated[0]) > 0 and "NegotiatedRateCharges" not in rated[0]


def test_shop_quotes_every_domestic_service_air_costs_more(ups_sandbox, ups_sandbox_session):
    rated = _rate(ups_sandbox, ups_sandbox_session, "Shop", _rate_request(service=None)).json()
    by_code = {r["Service"]["Code"]: _total(r) for r in rated["RateResponse"]["RatedShipment"]}
    assert {"01", "02", "03", "12"} <= set(by_code)
    assert by_code["01"] > by_code["02"] > by_code["03"]


def test_charges_grow_with_weight_distance_and_residential(ups_sandbox, ups_sandbox_session):
    def total(**kwargs: Any) -> float:
        answer = _rate(ups_sandbox, ups_sandbox_session, "Rate", _rate_request(**kwargs))
        return _total(answer.json()["RateResponse"]["RatedShipment"][0])

    base = total()
    assert total(weights=("5", "20")) > base
    assert total(dest_postal="98101") > total(dest_postal="30303")
    assert total(residential=True) > base
    assert total(dims=True) > base  # 24x24x24 in is billed by dimensional weight


def test_negotiated_rates_when_asked(ups_sandbox, ups_sandbox_session):
    rated = _rate(ups_sandbox, ups_sandbox_session, "Rate", _rate_request(negotiated=True)).json()
    shipment = rated["RateResponse"]["RatedShipment"][0]
    assert float(shipment["NegotiatedRateCharges"]["TotalCharge"]["MonetaryValue"]) < _total(shipment)


def test_domestic_service_abroad_is_refused(ups_sandbox, ups_sandbox_session):
    answer = _rate(ups_sandbox, ups_sandbox_session, "Rate",
                   _rate_request(dest_country="CA", dest_postal="M5V3L9"))
    assert answer.status_code == 400
    assert answer.json()["response"]["errors"][0]["message"]


def _validate(sandbox, session, option: str, **address: Any):
    path = AV.format(option=option)
    body = {"XAVRequest": {"AddressKeyFormat": {"CountryCode": "US", **address}}}
    answer = session.post(f"{sandbox.url}{path}", json=body, timeout=10)
    validate_ups_response("post", path, answer.status_code, answer.json())
    assert answer.status_code == 200
    return answer.json()["XAVResponse"]


def test_valid_address_is_normalised_with_zip4_and_classified(ups_sandbox, ups_sandbox_session):
    result = _validate(ups_sandbox, ups_sandbox_session, "3", AddressLine=["12 Oak Drive"],
                       PoliticalDivision2="Albany", PoliticalDivision1="NY", PostcodePrimaryLow="12203")
    candidate = result["Candidate"][0]["AddressKeyFormat"]
    assert "ValidAddressIndicator" in result
    assert candidate["AddressLine"] == ["12 OAK DRIVE"] and candidate["PoliticalDivision2"] == "ALBANY"
    assert len(candidate["PostcodeExtendedLow"]) == 4
    assert result["AddressClassification"]["Code"] == "2"


def test_commercial_address(ups_sandbox, ups_sandbox_session):
    result = _validate(ups_sandbox, ups_sandbox_session, "3", AddressLine=["400 Industrial Pkwy"],
                       PoliticalDivision2="Atlanta", PoliticalDivision1="GA", PostcodePrimaryLow="30301")
    assert result["AddressClassification"]["Code"] == "1"


@pytest.mark.parametrize("address", [
    {"AddressLine": ["1 Nowhere Rd"], "PoliticalDivision2": "Dallas", "PostcodePrimaryLow": "75201"},
    {"AddressLine": ["1 Real St"], "PoliticalDivision2": "Dallas", "PostcodePrimaryLow": "00000"},
])
def test_no_candidates(ups_sandbox, ups_sandbox_session, address):
    result = _validate(ups_sandbox, ups_sandbox_session, "1", **address)
    assert "NoCandidatesIndicator" in result and "Candidate" not in result


def test_springfield_main_st_is_ambiguous_with_three_candidates(ups_sandbox, ups_sandbox_session):
    result = _validate(ups_sandbox, ups_sandbox_session, "3", AddressLine=["100 Main St"],
                       PoliticalDivision2="Springfield", PostcodePrimaryLow="62701")
    assert "AmbiguousAddressIndicator" in result
    states = [(c["AddressKeyFormat"]["PoliticalDivision1"], c["AddressKeyFormat"]["PostcodePrimaryLow"])
              for c in result["Candidate"]]
    assert states == [("IL", "62701"), ("MA", "01103"), ("MO", "65806")]


def test_outside_us_only_classification_unclassified(ups_sandbox, ups_sandbox_session):
    result = _validate(ups_sandbox, ups_sandbox_session, "3", CountryCode="CA", AddressLine=["1 Nowhere Rd"],
                       PoliticalDivision2="Toronto", PostcodePrimaryLow="M5V3L9")
    assert "ValidAddressIndicator" in result and result["AddressClassification"]["Code"] == "0"


def test_classification_only_request(ups_sandbox, ups_sandbox_session):
    result = _validate(ups_sandbox, ups_sandbox_session, "2", AddressLine=["7 Birch Court Apt 2"],
                       PoliticalDivision2="Albany", PoliticalDivision1="NY", PostcodePrimaryLow="12203")
    assert result["AddressClassification"] == {"Code": "2", "Description": "Residential"}


def test_av_request_without_country_is_400(ups_sandbox, ups_sandbox_session):
    path = AV.format(option="1")
    body = {"XAVRequest": {"AddressKeyFormat": {"AddressLine": ["1 Main"]}}}
    answer = ups_sandbox_session.post(f"{ups_sandbox.url}{path}", json=body, timeout=10)
    assert answer.status_code == 400
    assert "CountryCode" in answer.json()["response"]["errors"][0]["message"]
