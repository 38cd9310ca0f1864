"""1Z check digits and UPS's date/time/offset spellings."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest

from shipdesk.ups.timeparse import combine, parse_date, parse_offset, parse_time
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
    assert combine("20261124", None) == datetime(2026, 11, 24, tzinfo=UTC)
    assert combine("bad", "120000") is None
