"""UPS dates, times and UTC offsets, as UPS actually writes them.

Track writes ``YYYYMMDD`` dates, ``HHMMSS`` times (sometimes with the leading zero dropped:
``74700``) and offsets like ``-05:00``; Track Alert writes offsets like ``-04.00``. Every parser
returns None for what it cannot read instead of raising: a bad scan time must not stop tracking.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone

_OFFSET = re.compile(r"^([+-])(\d{1,2})(?:[:.]?(\d{2}))?$")


def parse_date(text: str | None) -> date | None:
    """``20261124`` or ``2026-11-24`` → date."""
    if not text:
        return None
    digits = text.strip().replace("-", "")
    if len(digits) != 8 or not digits.isdigit():
        return None
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None


def parse_time(text: str | None) -> time | None:
    """``HHMMSS``, ``HHMM``, 5-digit ``74700`` (left-padded) or ``07:47:00`` → time."""
    if not text:
        return None
    digits = text.strip().replace(":", "")
    if not digits.isdigit() or len(digits) > 6:
        return None
    if len(digits) in (3, 5):  # a dropped leading zero
        digits = "0" + digits
    if len(digits) == 4:
        digits += "00"
    if len(digits) != 6:
        return None
    try:
        return time(int(digits[:2]), int(digits[2:4]), int(digits[4:]))
    except ValueError:
        return None


def parse_offset(text: str | None) -> timezone | None:
    """``-05:00``, ``-04.00``, ``-0500``, ``+5`` → a fixed-offset timezone."""
    if not text:
        return None
    match = _OFFSET.match(text.strip())
    if not match:
        return None
    sign, hours, minutes = match.group(1), int(match.group(2)), int(match.group(3) or 0)
    if hours > 14 or minutes > 59:
        return None
    delta = timedelta(hours=hours, minutes=minutes)
    return timezone(-delta if sign == "-" else delta)


def combine(day: str | None, clock: str | None, offset: str | None = None) -> datetime | None:
    """An aware datetime from UPS's separate fields; UTC when no offset is given, midnight when no time."""
    parsed_day = parse_date(day)
    if parsed_day is None:
        return None
    parsed_time = parse_time(clock) or time(0, 0)
    zone = parse_offset(offset) or UTC
    return datetime.combine(parsed_day, parsed_time, tzinfo=zone)
