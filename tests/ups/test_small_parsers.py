"""1Z check digits and UPS's date/time/offset spellings."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest

from shipdesk.ups.timeparse import combine, parse_date, parse_offset, parse_time, scan_time
from shipdesk.ups.tracking_number import is_valid_1z


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("1Z999AA10123456784", True),
        ("1ZCIETST0111111114", True),
        ("1z999aa10123456784", True),  # typed in lower case
        ("1Z 999 AA1 0123 456 784", True),  # copied with spaces
        ("1Z999AA10123456785", False),  # wrong check digit
        ("1Z999AA1012345678", False),  # one character short
        ("9Z999AA10123456784", False),
        ("", False),
    ],
)
def test_1z_check_digit(number: str, valid: bool) -> None:
    assert is_valid_1z(number) is valid


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20261124", date(2026, 11, 24)),
        ("2026-11-24", date(2026, 11, 24)),
        ("20261324", None),
        ("", None),
        (None, None),
        ("2026112", None),
    ],
)
def test_dates(text: str | None, expected: date | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("134500", time(13, 45)),
        ("74700", time(7, 47)),
        ("0747", time(7, 47)),
        ("07:47:00", time(7, 47)),
        ("5", None),
        ("256100", None),
        ("ab", None),
        (None, None),
    ],
)
def test_times_including_dropped_leading_zero(text: str | None, expected: time | None) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("-05:00", -5),
        ("-04.00", -4),
        ("+0530", 5.5),
        ("+01", 1),
        ("-0500", -5),
    ],
)
def test_offsets_in_track_and_track_alert_styles(text: str, hours: float) -> None:
    assert parse_offset(text) == timezone(timedelta(hours=hours))


@pytest.mark.parametrize("text", ["", "EST", "-25:00", None])
def test_unreadable_offsets_are_none(text: str | None) -> None:
    assert parse_offset(text) is None


def test_combine_gives_aware_local_time() -> None:
    moment = combine("20261124", "74700", "-04.00")
    assert moment == datetime(2026, 11, 24, 7, 47, tzinfo=timezone(timedelta(hours=-4)))
    assert combine("bad", "120000") is None


def test_a_local_time_without_an_offset_stays_local() -> None:
    """UPS's local times carry no zone of their own: without an offset they are never labelled UTC."""
    assert combine("20261124", None) == datetime(2026, 11, 24)
    assert combine("20261124", None).tzinfo is None  # type: ignore[union-attr]


@pytest.mark.parametrize(("local", "gmt", "offset", "expected"), [
    # UPS's Track Alert delivery example: no offset, local 09:50:04, GMT 13:50:04 (EDT)
    (("20240423", "095004"), ("20240423", "135004"), "", (-4, 9)),
    # a 5-digit local time against a 6-digit GMT time (tests/samples/ups_trackalert_push_delivery_no_offset_5digit.json)
    (("20241105", "91504"), ("20241105", "141504"), "", (-5, 9)),
    # Track with everything (UPS-API issue 187): gmtTime with colons, gmtOffset -07:00
    (("20250826", "084434"), ("20250826", "15:44:34"), "-07:00", (-7, 8)),
    # local on the next day east of Greenwich (Tokyo): the dates differ too
    (("20261125", "013000"), ("20261124", "163000"), "", (9, 1)),
])
def test_scan_time_is_the_gmt_instant_at_the_place_offset(local, gmt, offset, expected) -> None:
    moment = scan_time(*local, *gmt, offset)
    assert moment is not None
    assert moment == combine(*gmt, "+00:00")
    assert (moment.utcoffset(), moment.hour) == (timedelta(hours=expected[0]), expected[1])


def test_scan_time_without_gmt_is_local_or_none() -> None:
    assert scan_time("20231130", "164340") == datetime(2023, 11, 30, 16, 43, 40)  # issue 38: zone unknown
    assert scan_time("20231130", "164340", offset="-05:00") == datetime(2023, 11, 30, 16, 43, 40,
                                                                        tzinfo=timezone(timedelta(hours=-5)))
    assert scan_time("", "", "20231130", "214340") == datetime(2023, 11, 30, 21, 43, 40, tzinfo=UTC)
    assert scan_time("", "") is None


def test_a_difference_that_is_no_time_zone_keeps_the_gmt_instant_in_utc() -> None:
    moment = scan_time("20261124", "120000", "20261123", "120000")  # a day apart
    assert moment == datetime(2026, 11, 23, 12, 0, tzinfo=UTC) and moment.utcoffset() == timedelta(0)
