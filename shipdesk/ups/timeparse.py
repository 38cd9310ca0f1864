"""UPS dates, times and UTC offsets, as UPS actually writes them.

Track writes ``YYYYMMDD`` dates, ``HHMMSS`` times (sometimes with the leading zero dropped:
``74700``; GMT times with colons: ``15:44:34``) and offsets like ``-05:00``; Track Alert writes
offsets like ``-04.00`` but real pushes (and UPS's own examples) send none, only the local and the
GMT date and time. Every parser returns None for what it cannot read instead of raising: a bad
scan time must not stop tracking.

A scan's moment (:func:`scan_time`) is the GMT instant whenever UPS gives the GMT fields, shown at
the scan's own offset (``gmtOffset``, else local minus GMT). A local time with no zone at all stays
naive: it is never taken for UTC.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, date, datetime, time, timedelta, timezone

log = logging.getLogger(__name__)

_OFFSET = re.compile(r"^([+-])(\d{1,2})(?:[:.]?(\d{2}))?$")
#: the offsets in use on Earth: a difference outside them is a data error, not a time zone
EARLIEST_OFFSET, LATEST_OFFSET = timedelta(hours=-12), timedelta(hours=14)


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
    """A datetime from UPS's separate fields, midnight when no time; aware at ``offset`` when one is
    given, else naive (a local time whose zone UPS did not say)."""
    parsed_day = parse_date(day)
    if parsed_day is None:
        return None
    parsed_time = parse_time(clock) or time(0, 0)
    return datetime.combine(parsed_day, parsed_time, tzinfo=parse_offset(offset))


def derived_offset(local: datetime, gmt: datetime) -> timezone | None:
    """The zone a local reading implies (local minus GMT, to the minute); None when that is no real offset."""
    difference = local.replace(tzinfo=None) - gmt.astimezone(UTC).replace(tzinfo=None)
    minutes = round(difference.total_seconds() / 60)
    if not EARLIEST_OFFSET <= timedelta(minutes=minutes) <= LATEST_OFFSET:
        return None
    return timezone(timedelta(minutes=minutes))


def scan_zone(local_day: str | None, local_clock: str | None, gmt_day: str | None = None,
              gmt_clock: str | None = None, offset: str | None = None) -> timezone | None:
    """The scan place's offset: ``offset`` when UPS gives one, else local minus GMT; None when unknown."""
    zone = parse_offset(offset)
    if zone is not None:
        return zone
    local, gmt = combine(local_day, local_clock), combine(gmt_day, gmt_clock)
    if local is None or gmt is None:
        return None
    return derived_offset(local, gmt)


def scan_time(local_day: str | None, local_clock: str | None, gmt_day: str | None = None,
              gmt_clock: str | None = None, offset: str | None = None) -> datetime | None:
    """When a scan happened, from the fields UPS sent (any may be missing or blank).

    - GMT date given: that instant, at the scan's zone (:func:`scan_zone`; UTC when it is unknown);
      the local reading never moves the instant;
    - only the local date: at ``offset`` when given, else naive (zone unknown, never assumed UTC);
    - neither: None.
    """
    zone = scan_zone(local_day, local_clock, gmt_day, gmt_clock, offset)
    gmt, local = combine(gmt_day, gmt_clock), combine(local_day, local_clock)
    if gmt is None:
        return local.replace(tzinfo=zone) if local is not None else None
    if zone is None and local is not None:
        log.warning("UPS local time %s is %s from GMT %s: not a time zone; keeping the GMT time",
                    local, local - gmt, gmt)
    return gmt.replace(tzinfo=UTC).astimezone(zone or UTC)
