"""Reading one UPS Track Alert push (``TrackingEventRequest``) into the scan shipdesk stores.

Pure, no I/O. Times as UPS really sends them: ``localActivityDate`` + ``localActivityTime``
(5 digits when the hour has one: ``74700`` is 07:47:00) at ``gmtOffset`` (``-04.00``), so the
scan lands on the same UTC instant as the polled copy of it (``-04:00``) and is stored once.
Without an offset the GMT fields are used; a push with neither date is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shipdesk.errors import InvalidPush
from shipdesk.ups.models import TrackEvent
from shipdesk.ups.timeparse import combine, parse_offset


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


def _when(body: dict[str, Any], day_key: str, time_key: str) -> datetime | None:
    offset = _text(body.get("gmtOffset"))
    if parse_offset(offset) is not None:
        return combine(_text(body.get(day_key)), _text(body.get(time_key)), offset)
    return None


def parse_push(body: Any) -> PushedEvent:
    if not isinstance(body, dict):
        raise InvalidPush("the body is not a JSON object")
    number = _text(body.get("trackingNumber")).upper()
    if not number:
        raise InvalidPush("trackingNumber is missing")
    status = body.get("activityStatus")
    if not isinstance(status, dict) or not _text(status.get("type")):
        raise InvalidPush("activityStatus.type is missing")
    occurred = _when(body, "localActivityDate", "localActivityTime") or combine(
        _text(body.get("gmtActivityDate")), _text(body.get("gmtActivityTime")))
    if occurred is None:
        raise InvalidPush("the activity date is missing or unreadable")
    event = TrackEvent(
        status_type=_text(status.get("type")).upper(),
        status_code=_text(status.get("code")),
        description=_text(status.get("description")),
        location=_location(body.get("activityLocation")),
        occurred_at=occurred,
    )
    delivered = None
    if _text(body.get("actualDeliveryDate")):
        delivered = _when(body, "actualDeliveryDate", "actualDeliveryTime") or combine(
            _text(body.get("actualDeliveryDate")), _text(body.get("actualDeliveryTime")))
    return PushedEvent(number, event, delivered, _text(body.get("receivedBy")))
