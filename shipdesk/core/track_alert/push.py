"""Reading one UPS Track Alert push (``TrackingEventRequest``) into the scan shipdesk stores.

Pure, no I/O. Times as UPS really sends them (its own examples and real pushes, see
``tests/samples/``): ``localActivityDate``/``localActivityTime`` and ``gmtActivityDate``/
``gmtActivityTime``, usually **without** ``gmtOffset``; 6-digit times, left-padded when one comes
with 5 (``91504`` is 09:15:04). The scan is the GMT instant, shown at ``gmtOffset`` when UPS sends one
(``-04.00``), else at the offset local minus GMT implies (:func:`shipdesk.ups.timeparse.scan_time`), so
it lands on the same instant as the polled copy of it and is stored once. ``actualDeliveryDate``/
``actualDeliveryTime`` are local times at the same place: read at the scan's offset, never as UTC.
A push with neither date is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shipdesk.errors import InvalidPush
from shipdesk.ups.models import TrackEvent
from shipdesk.ups.timeparse import combine, scan_time, scan_zone


@dataclass(frozen=True)
class PushedEvent:
    tracking_number: str
    event: TrackEvent
    delivered_at: datetime | None = None
    received_by: str = ""


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _location(node: Any) -> str:
    """Written like a polled scan's location: "CITY, ST, CC"."""
    if not isinstance(node, dict):
        return ""
    parts = [_text(node.get("city")), _text(node.get("stateProvince")),
             _text(node.get("country")) or _text(node.get("countryCode"))]
    return ", ".join(p for p in parts if p)


def _fields(body: dict[str, Any]) -> tuple[str, str, str, str, str]:
    return (_text(body.get("localActivityDate")), _text(body.get("localActivityTime")),
            _text(body.get("gmtActivityDate")), _text(body.get("gmtActivityTime")), _text(body.get("gmtOffset")))


def _delivered_at(body: dict[str, Any]) -> datetime | None:
    """The local delivery date/time at the scan place's offset; naive when that offset is unknown."""
    local = combine(_text(body.get("actualDeliveryDate")), _text(body.get("actualDeliveryTime")))
    return local.replace(tzinfo=scan_zone(*_fields(body))) if local is not None else None


def parse_push(body: Any) -> PushedEvent:
    if not isinstance(body, dict):
        raise InvalidPush("the body is not a JSON object")
    number = _text(body.get("trackingNumber")).upper()
    if not number:
        raise InvalidPush("trackingNumber is missing")
    status = body.get("activityStatus")
    if not isinstance(status, dict) or not _text(status.get("type")):
        raise InvalidPush("activityStatus.type is missing")
    occurred = scan_time(*_fields(body))
    if occurred is None:
        raise InvalidPush("the activity date is missing or unreadable")
    event = TrackEvent(
        status_type=_text(status.get("type")).upper(),
        status_code=_text(status.get("code")),
        description=_text(status.get("description")),
        location=_location(body.get("activityLocation")),
        occurred_at=occurred,
    )
    return PushedEvent(number, event, _delivered_at(body), _text(body.get("receivedBy")))
