"""Parsing Track, Address Validation, Void, Rating and label recovery answers, odd shapes included."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from shipdesk.ups import address_wire, track_wire, wire
from shipdesk.ups.models import UpsAddress

from .fakes import assert_valid_request, b64

EASTERN = timezone(timedelta(hours=-5))
SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def delivered_package() -> dict[str, Any]:
    return {
        "trackingNumber": "1Z999AA10123456784",
        "currentStatus": {"type": "D", "code": "FS", "description": "Delivered"},
        "deliveryDate": [{"type": "DEL", "date": "20261124"}],
        "deliveryTime": {"type": "DEL", "endTime": "143000"},
        "deliveryInformation": {
            "receivedBy": "JSMITH",
            "location": "Front Door",
            "signature": {"image": b64(b"signature-png")},
        },
        "referenceNumber": [
            {"type": "SHIPMENT", "number": "SH000123"},
            {"type": "PACKAGE", "number": "SO004567"},
        ],
        "activity": [
            {
                "date": "20261124",
                "time": "143000",
                "gmtOffset": "-05:00",
                "location": {"address": {"city": "NEW YORK", "stateProvince": "NY", "countryCode": "US"}},
                "status": {"type": "D", "code": "FS", "description": "DELIVERED"},
            },
            {
                "date": "20261124",
                "time": "74700",
                "gmtOffset": "-05:00",
                "location": {"address": {"city": "NEW YORK", "stateProvince": "NY", "countryCode": "US"}},
                "status": {"type": "I", "code": "OT", "description": "Out For Delivery Today"},
            },
            {
                "date": "20261122",
                "time": "180000",
                "status": {"type": "M", "code": "MP", "description": "Shipper created a label"},
            },
        ],
    }


def track_answer(*packages: dict[str, Any], warnings: list[dict[str, str]] | None = None) -> dict[str, Any]:
    shipment: dict[str, Any] = {"inquiryNumber": "1Z999AA10123456784", "package": list(packages)}
    if warnings:
        shipment["warnings"] = warnings
    return {"trackResponse": {"shipment": [shipment]}}


def test_delivered_package_with_signature_and_references() -> None:
    [result] = track_wire.parse_track_response(track_answer(delivered_package()))
    assert result.found and result.delivered
    assert result.status_type == "D"
    assert result.delivered_at == datetime(2026, 11, 24, 14, 30, tzinfo=EASTERN)
    assert result.received_by == "JSMITH"
    assert result.signature_image == b"signature-png"
    assert result.reference_numbers == ("SH000123", "SO004567")
    assert [e.status_type for e in result.events] == ["D", "I", "M"]  # newest first, as sent
    assert result.events[1].occurred_at == datetime(2026, 11, 24, 7, 47, tzinfo=EASTERN)
    assert result.events[1].location == "NEW YORK, NY, US"


def test_delivery_date_without_a_delivery_scan_uses_del_and_delivery_time() -> None:
    package = delivered_package()
    package["activity"] = []
    [result] = track_wire.parse_track_response(track_answer(package))
    # deliveryDate/deliveryTime carry no offset (UPS-API issue 187): a local time, not UTC
    assert result.delivered_at == datetime(2026, 11, 24, 14, 30)


def _sample(name: str) -> dict[str, Any]:
    return json.loads((SAMPLES / name).read_text(encoding="utf-8"))


def test_an_activity_with_gmt_fields_is_that_instant_at_its_offset() -> None:
    """tests/samples/ups_track_response_activity_with_gmt_issue187.json: gmtTime "15:44:34", gmtOffset "-07:00"."""
    [result] = track_wire.parse_track_response(_sample("ups_track_response_activity_with_gmt_issue187.json"))
    [event] = result.events
    assert event.occurred_at == datetime(2025, 8, 26, 8, 44, 34, tzinfo=timezone(timedelta(hours=-7)))
    assert result.delivered_at == event.occurred_at


def test_an_activity_without_gmt_offset_takes_the_offset_from_the_difference() -> None:
    """The same real activity without gmtOffset (the sandbox's ``activity_gmt: no_offset``)."""
    body = _sample("ups_track_response_activity_with_gmt_issue187.json")
    del body["trackResponse"]["shipment"][0]["package"][0]["activity"][0]["gmtOffset"]
    [result] = track_wire.parse_track_response(body)
    assert result.events[0].occurred_at == datetime(2025, 8, 26, 15, 44, 34, tzinfo=UTC)
    assert result.events[0].occurred_at.utcoffset() == timedelta(hours=-7)
    assert result.events[0].occurred_at.hour == 8  # shown at the local time UPS gave


def test_an_activity_with_only_local_time_is_not_taken_for_utc() -> None:
    """tests/samples/ups_track_response_activity_without_gmt_issue38.json: date and time only (late 2023)."""
    [result] = track_wire.parse_track_response(_sample("ups_track_response_activity_without_gmt_issue38.json"))
    [event] = result.events
    assert event.occurred_at == datetime(2023, 11, 30, 16, 43, 40) and event.occurred_at.tzinfo is None
    assert result.delivered and result.delivered_at == event.occurred_at


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        ([{"type": "SDD", "date": "20261126"}], date(2026, 11, 26)),
        ([{"type": "SDD", "date": "20261126"}, {"type": "RDD", "date": "20261127"}], date(2026, 11, 27)),
        ([], None),
    ],
)
def test_scheduled_delivery_prefers_rescheduled(dates: list[dict[str, str]], expected: date | None) -> None:
    package = {
        "trackingNumber": "1Z",
        "deliveryDate": dates,
        "currentStatus": {"type": "I", "description": "On the Way"},
    }
    [result] = track_wire.parse_track_response(track_answer(package))
    assert result.scheduled_delivery == expected and not result.delivered


def test_unknown_status_types_are_kept_and_read_as_in_transit() -> None:
    package = {
        "trackingNumber": "1Z",
        "activity": [
            {"date": "20261124", "time": "101010", "status": {"type": "ZZ", "description": "New UPS thing"}}
        ],
    }
    [result] = track_wire.parse_track_response(track_answer(package))
    assert result.status_type == "ZZ"
    assert track_wire.status_category(result.status_type) == "in_transit"
    assert track_wire.status_category("MV") == "voided"
    assert track_wire.status_category("DD") == "delivered"


def test_scans_with_unreadable_dates_are_skipped_not_fatal() -> None:
    package = {
        "trackingNumber": "1Z",
        "activity": [
            {"date": "garbage", "status": {"type": "I"}},
            {"gmtDate": "20261124", "gmtTime": "120000", "status": {"type": "I"}},
        ],
    }
    [result] = track_wire.parse_track_response(track_answer(package))
    assert len(result.events) == 1
    assert result.events[0].occurred_at == datetime(2026, 11, 24, 12, tzinfo=UTC)


def test_tw0001_warning_means_no_package() -> None:
    body = track_answer(warnings=[{"code": "TW0001", "message": "Tracking Information Not Found"}])
    assert track_wire.parse_track_response(body) == []
    assert track_wire.not_found("1Z", body).warnings == ("TW0001: Tracking Information Not Found",)


def test_damaged_signature_does_not_hide_the_delivery() -> None:
    package = delivered_package()
    package["deliveryInformation"]["signature"]["image"] = "***"
    [result] = track_wire.parse_track_response(track_answer(package))
    assert result.delivered


# -- address validation ------------------------------------------------------------------------
def test_xav_request_splits_zip_plus_four_and_is_valid_per_spec() -> None:
    body = address_wire.xav_request(
        UpsAddress(("2500 Broadway",), "New York", "ny", "10025-1234", "US"), name="Globex"
    )
    assert_valid_request("POST", "/api/addressvalidation/v2/3", body)
    key = body["XAVRequest"]["AddressKeyFormat"]
    assert (key["PostcodePrimaryLow"], key["PostcodeExtendedLow"], key["PoliticalDivision1"]) == (
        "10025",
        "1234",
        "NY",
    )


@pytest.mark.parametrize(
    ("indicator", "status"),
    [
        ("ValidAddressIndicator", "valid"),
        ("AmbiguousAddressIndicator", "ambiguous"),
        ("NoCandidatesIndicator", "no_candidates"),
    ],
)
def test_xav_indicators(indicator: str, status: str) -> None:
    body = {
        "XAVResponse": {
            "Response": {"ResponseStatus": {"Code": "1", "Description": "Success"}},
            indicator: "",
            "AddressClassification": {"Code": "2", "Description": "Residential"},
            "Candidate": [
                {
                    "AddressClassification": {"Code": "2", "Description": "Residential"},
                    "AddressKeyFormat": {
                        "AddressLine": ["2500 BROADWAY"],
                        "PoliticalDivision2": "NEW YORK",
                        "PoliticalDivision1": "NY",
                        "PostcodePrimaryLow": "10025",
                        "PostcodeExtendedLow": "4411",
                        "CountryCode": "US",
                    },
                }
            ],
        }
    }
    result = address_wire.parse_xav_response(body)
    assert result.status == status and result.classification == "residential"
    assert result.candidates[0].address == UpsAddress(
        ("2500 BROADWAY",), "NEW YORK", "NY", "10025-4411", "US"
    )


def test_xav_single_candidate_object_and_commercial() -> None:
    body = {
        "XAVResponse": {
            "AmbiguousAddressIndicator": "",
            "Candidate": {
                "AddressClassification": {"Code": "1"},
                "AddressKeyFormat": {"AddressLine": "1 MAIN ST", "CountryCode": "US"},
            },
        }
    }
    result = address_wire.parse_xav_response(body)
    assert result.classification == "unknown"
    assert result.candidates[0].classification == "commercial"
    assert result.candidates[0].address.lines == ("1 MAIN ST",)


# -- void, rate, label recovery ---------------------------------------------------------------
def test_void_answer_from_the_test_environment_with_junk_and_singular_result() -> None:
    body = {
        "VoidShipmentResponse": {
            "Response": {"ResponseStatus": {"Code": "1", "Description": "Success"}},
            "SummaryResult": {"Status": {"Code": "1&#xD;", "Description": "Voided&#xD;"}},
            "PackageLevelResult": {"TrackingNumber": "1Z999AA10123456784&#xD;", "Status": {"Code": "1"}},
        }
    }
    result = wire.parse_void_response("1Z999AA10123456784", body)
    assert result.voided and result.status_code == "1" and result.description == "Voided"
    assert result.packages == (("1Z999AA10123456784", True),)


def test_void_not_voided() -> None:
    body = {
        "VoidShipmentResponse": {
            "SummaryResult": {"Status": {"Code": "0", "Description": "Failure"}},
            "PackageLevelResults": [{"TrackingNumber": "1Z1", "Status": {"Code": "0"}}],
        }
    }
    result = wire.parse_void_response("1Z1", body)
    assert not result.voided and result.packages == (("1Z1", False),)


def test_void_tracking_parameter_format() -> None:
    assert wire.void_tracking_param(["1z1"]) == "1Z1"
    assert wire.void_tracking_param(["1Z1", "1Z2"]) == '["1Z1","1Z2"]'


def test_rate_answer_single_or_many() -> None:
    rated = {
        "Service": {"Code": "03"},
        "TotalCharges": {"CurrencyCode": "USD", "MonetaryValue": "18.42"},
        "NegotiatedRateCharges": {"TotalCharge": {"CurrencyCode": "USD", "MonetaryValue": "15.10"}},
        "GuaranteedDelivery": {"BusinessDaysInTransit": "3"},
    }
    [quote] = wire.parse_rate_response({"RateResponse": {"RatedShipment": rated}})
    assert quote.service_name == "UPS Ground" and quote.total.amount == Decimal("18.42")
    assert quote.negotiated is not None and quote.negotiated.amount == Decimal("15.10")
    assert quote.business_days == 3
    assert len(wire.parse_rate_response({"RateResponse": {"RatedShipment": [rated, rated]}})) == 2


def test_label_recovery_request_and_answer() -> None:
    body = wire.label_recovery_request("1Z999AA10123456784", "ZPL")
    assert_valid_request("POST", "/api/labels/v1/recovery", body)
    answer = {
        "LabelRecoveryResponse": {
            "LabelResults": {
                "TrackingNumber": "1Z999AA10123456784",
                "LabelImage": {"LabelImageFormat": {"Code": "ZPL"}, "GraphicImage": b64(b"^XA^XZ")},
            }
        }
    }
    [label] = wire.parse_label_recovery(answer)
    assert (label.format, label.data, label.html) == ("ZPL", b"^XA^XZ", None)
