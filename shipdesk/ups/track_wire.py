"""Pure mapping for UPS Tracking and Track Alert answers; no I/O.

Status types (REST appendix): M manifest, MV manifest voided, I in transit, X exception,
D / DO / DD delivered, W warehousing, NA not available, U update; ``P`` comes from the old XML
API. Unknown types are kept as sent (``status_category`` treats them as in transit): a new UPS
code must never stop the sync.
"""

from __future__ import annotations

import base64
import binascii
from datetime import date, datetime
from typing import Any

from shipdesk.i18n import N_
from shipdesk.ups import errors
from shipdesk.ups.models import SubscriptionResult, TrackEvent, TrackResult
from shipdesk.ups.timeparse import combine, parse_date, scan_time
from shipdesk.ups.wire import as_list, clean, obj

NOT_FOUND_WARNING = "TW0001"
DELIVERED_TYPES = frozenset({"D", "DO", "DD"})
_CATEGORIES = {"M": "label_created", "P": "label_created", "MV": "voided", "X": "exception",
               "D": "delivered", "DO": "delivered", "DD": "delivered"}


def status_category(status_type: str) -> str:
    """label_created / voided / exception / delivered / in_transit (the default, also for unknown types)."""
    return _CATEGORIES.get(status_type.strip().upper(), "in_transit")


def _location(node: Any) -> str:
    address = node.get("address") if isinstance(node, dict) else None
    if not isinstance(address, dict):
        return ""
    parts = [clean(address.get(k)) for k in ("city", "stateProvince", "countryCode")]
    return ", ".join(p for p in parts if p)


def _event(node: dict[str, Any]) -> TrackEvent | None:
    status = obj(node, "status")
    # the GMT instant at the scan's offset; a local time with no zone stays local (timeparse.scan_time)
    occurred = scan_time(clean(node.get("date")), clean(node.get("time")), clean(node.get("gmtDate")),
                         clean(node.get("gmtTime")), clean(node.get("gmtOffset")))
    if occurred is None:
        return None
    return TrackEvent(
        status_type=clean(status.get("type")).upper(),
        status_code=clean(status.get("code") or status.get("statusCode")),
        description=clean(status.get("description")),
        location=_location(node.get("location")),
        occurred_at=occurred,
    )


def _delivery_dates(package: dict[str, Any]) -> dict[str, date]:
    found: dict[str, date] = {}
    for item in as_list(package.get("deliveryDate")):
        if isinstance(item, dict):
            day = parse_date(clean(item.get("date")))
            if day is not None:
                found.setdefault(clean(item.get("type")).upper(), day)
    return found


def _delivered_at(package: dict[str, Any], events: tuple[TrackEvent, ...],
                  dates: dict[str, date]) -> datetime | None:
    scan = next((e.occurred_at for e in events if e.status_type in DELIVERED_TYPES), None)
    if scan is not None:
        return scan
    if "DEL" not in dates:
        return None
    window = obj(package, "deliveryTime")
    # package-level delivery date and time carry no offset (UPS-API issue 187): a local time, kept naive
    return combine(dates["DEL"].strftime("%Y%m%d"), clean(window.get("endTime")) or None)


def _signature(package: dict[str, Any]) -> bytes | None:
    image = obj(obj(package, "deliveryInformation"), "signature").get("image")
    if not image:
        return None
    try:
        return base64.b64decode("".join(str(image).split()), validate=False)
    except (binascii.Error, ValueError):
        return None  # a damaged signature image must not hide the delivery itself


def parse_package(package: dict[str, Any], warnings: tuple[str, ...] = ()) -> TrackResult:
    events = tuple(e for e in (_event(a) for a in as_list(package.get("activity")) if isinstance(a, dict))
                   if e is not None)
    current = obj(package, "currentStatus")
    status_type = clean(current.get("type")).upper() or (events[0].status_type if events else "")
    description = clean(current.get("description")) or (events[0].description if events else "")
    dates = _delivery_dates(package)
    info = obj(package, "deliveryInformation")
    return TrackResult(
        tracking_number=clean(package.get("trackingNumber")),
        status_type=status_type,
        status_description=description,
        events=events,
        scheduled_delivery=dates.get("RDD") or dates.get("SDD"),
        delivered_at=_delivered_at(package, events, dates),
        received_by=clean(info.get("receivedBy")),
        signature_image=_signature(package),
        reference_numbers=tuple(clean(r.get("number")) for r in as_list(package.get("referenceNumber"))
                                if isinstance(r, dict) and clean(r.get("number"))),
        warnings=warnings,
    )


def _warnings(shipment: dict[str, Any]) -> tuple[str, ...]:
    return tuple(f"{clean(w.get('code'))}: {clean(w.get('message'))}"
                 for w in as_list(shipment.get("warnings")) if isinstance(w, dict))


def parse_track_response(body: Any) -> list[TrackResult]:
    """Every package in a Track answer; packages of a shipment UPS does not know are left out."""
    answer = body.get("trackResponse") if isinstance(body, dict) else None
    if not isinstance(answer, dict):
        raise errors.unreadable(N_("track the package"), "no trackResponse")
    results: list[TrackResult] = []
    for shipment in as_list(answer.get("shipment")):
        if not isinstance(shipment, dict):
            continue
        warnings = _warnings(shipment)
        if any(w.startswith(NOT_FOUND_WARNING) for w in warnings):
            continue
        packages = [p for p in as_list(shipment.get("package")) if isinstance(p, dict)]
        results.extend(parse_package(p, warnings) for p in packages)
    return results


def not_found(tracking_number: str, body: Any = None) -> TrackResult:
    warnings: tuple[str, ...] = ()
    if isinstance(body, dict) and isinstance(body.get("trackResponse"), dict):
        warnings = tuple(w for s in as_list(body["trackResponse"].get("shipment"))
                         if isinstance(s, dict) for w in _warnings(s))
    return TrackResult(tracking_number=tracking_number, found=False, warnings=warnings)


def parse_subscription(body: Any) -> SubscriptionResult:
    if not isinstance(body, dict):
        raise errors.unreadable(N_("subscribe to tracking alerts"), "not a JSON object")
    return SubscriptionResult(
        valid=tuple(clean(n) for n in as_list(body.get("validTrackingNumbers")) if clean(n)),
        invalid=tuple(clean(n) for n in as_list(body.get("invalidTrackingNumbers")) if clean(n)),
    )
