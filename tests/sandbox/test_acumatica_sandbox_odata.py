"""The sandbox's ``$filter`` parser, table-driven, without a server."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from shipdesk.sandbox.acumatica.odata import FilterError, parse_filter

FIELDS = ("Status", "ShipmentNbr", "LastModifiedDateTime", "PackageCount", "Hold", "ShipVia")
ROW = {"Status": "Open", "ShipmentNbr": "SH000101", "PackageCount": 2, "Hold": False, "ShipVia": None,
       "LastModifiedDateTime": datetime(2026, 11, 23, 12, 0, tzinfo=UTC)}


@pytest.mark.parametrize(("text", "expected"), [
    ("Status eq 'Open'", True),
    ("Status eq 'open'", True),  # SQL collation: case-insensitive
    ("Status ne 'Open'", False),
    ("LastModifiedDateTime gt datetimeoffset'2026-11-23T10:00:00Z'", True),
    ("LastModifiedDateTime le datetimeoffset'2026-11-23T07:00:00-05:00'", True),
    ("LastModifiedDateTime lt datetimeoffset'2026-11-23T06:59:59-05:00'", False),
    ("PackageCount ge 2 and PackageCount lt 3", True),
    ("Status eq 'Confirmed' or (Hold eq false and ShipmentNbr eq 'SH000101')", True),
    ("(Status eq 'Confirmed' or Hold eq true) and ShipmentNbr eq 'SH000101'", False),
    ("not (Status eq 'Open')", False),
    ("ShipVia eq null", True),
    ("ShipVia gt 'A'", False),
    ("ShipmentNbr eq 'O''Brien'", False),
    ("", True),
])
def test_filter_matches(text, expected):
    assert parse_filter(text, FIELDS)(ROW) is expected


@pytest.mark.parametrize("text", [
    "Packages/TrackingNbr eq '1Z'",  # detail rows cannot be filtered on
    "Unknown eq 'x'",
    "Status eq",
    "Status like 'O'",
    "(Status eq 'Open'",
    "substringof('Op', Status)",
    "LastModifiedDateTime gt datetimeoffset'yesterday'",
])
def test_invalid_filters_are_refused(text):
    with pytest.raises(FilterError):
        parse_filter(text, FIELDS)(ROW)


def test_comparing_a_date_with_text_is_refused():
    with pytest.raises(FilterError):
        parse_filter("LastModifiedDateTime gt '2026-11-23'", FIELDS)(ROW)
