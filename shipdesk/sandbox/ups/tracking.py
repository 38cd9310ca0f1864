"""Simulated tracking: each package's scans follow from the (simulated) time since its label was made.

Timeline after the label at t0: pickup scan +4 h, departure +10 h, arrival at the hub +20 h,
out for delivery +30 h, delivered +36 h. A package flagged as an exception (ship-to name or
attention contains "EXCEPTION", or :meth:`UpsSandbox.force_exception`) gets an X scan
"DAMAGED - RETURNING TO SENDER" instead and goes no further. A voided package ends with an MV scan.
Local times are written at a fixed US Eastern offset (-05:00).

Track answers carry ``gmtDate``, ``gmtTime`` written ``HH:MM:SS`` and ``gmtOffset`` ``-05:00`` per
activity, as the live service does since 2024 (UPS-API/api-documentation issues 99 and 187);
``activity_gmt`` "no_offset" leaves out ``gmtOffset``, "none" all three (the answer of late 2023,
issue 38). Track Alert pushes are shaped like UPS's own examples and a UPS employee's sample of a
real event (UPSTrackAlert.yaml examples, issue 41): local and GMT date/time, **no** ``gmtOffset``,
every blank field an empty string, 6-digit times as the spec's ``Time`` schema requires. Options:
``with_offset`` adds ``gmtOffset`` (``-05.00``, the spec's ``(-/+)HH.MM``), ``unpadded_times`` drops
the leading zero (``91504``) as FACTS.md reports for some feeds.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from PIL import Image, ImageDraw

from shipdesk.sandbox.ups.records import PackageRecord, Place, ShipmentRecord

LOCAL_TZ = timezone(timedelta(hours=-5))
GROUND_HUB = Place("HODGKINS", "IL", "60525", "US")
AIR_HUB = Place("LOUISVILLE", "KY", "40209", "US")
DELIVERY_AFTER = timedelta(hours=36)
EXCEPTION_AFTER = timedelta(hours=20)
EXCEPTION_MARKER = "EXCEPTION"
STATUS_CODES = {"M": "003", "MV": "002", "I": "005", "X": "007", "D": "011"}
#: what Track activities carry of UPS's GMT fields: all three, no gmtOffset, or none
ACTIVITY_GMT = ("offset", "no_offset", "none")


@dataclass(frozen=True)
class Scan:
    at: datetime
    type: str
    code: str
    description: str
    place: Place


def is_exception_party(record: ShipmentRecord) -> bool:
    return EXCEPTION_MARKER in f"{record.ship_to_name} {record.ship_to_attention}".upper()


def scheduled_delivery(record: ShipmentRecord) -> datetime:
    return record.created_at + DELIVERY_AFTER


def scans(record: ShipmentRecord, package: PackageRecord, now: datetime) -> list[Scan]:
    """Every scan that has happened by ``now``, oldest first."""
    t0 = record.created_at
    hub = GROUND_HUB if record.service.code == "03" else AIR_HUB
    planned = [
        Scan(t0, "M", "MP", "Shipper created a label, UPS has not received the package yet.", record.origin),
        Scan(t0 + timedelta(hours=4), "I", "PU", "Pickup Scan", record.origin),
        Scan(t0 + timedelta(hours=10), "I", "DP", "Departed from Facility", record.origin),
        Scan(t0 + timedelta(hours=20), "I", "AR", "Arrived at Facility", hub),
        Scan(t0 + timedelta(hours=30), "I", "OT", "Out For Delivery Today", record.destination),
        Scan(t0 + DELIVERY_AFTER, "D", "KB", "DELIVERED", record.destination),
    ]
    exception_at = package.exception_at
    if exception_at is None and is_exception_party(record):
        exception_at = t0 + EXCEPTION_AFTER
    if exception_at is not None:
        planned = [s for s in planned if s.at < exception_at]
        planned.append(Scan(exception_at, "X", "DM", "DAMAGED - RETURNING TO SENDER", hub))
    if package.voided_at is not None:
        planned = [s for s in planned if s.at < package.voided_at]
        planned.append(Scan(package.voided_at, "MV", "VD", "Shipper voided the shipment.", record.origin))
    return [s for s in planned if s.at <= now]


def received_by(record: ShipmentRecord) -> str:
    """A plausible signer: the attention's surname, as drivers key it in, or where it was left."""
    name = record.ship_to_attention.strip() or ("" if record.residential else record.ship_to_name.strip())
    return name.split()[-1].upper() if name else "FRONT DOOR"


def signature_gif(name: str) -> bytes:
    image = Image.new("L", (300, 80), 255)
    draw = ImageDraw.Draw(image)
    points = [(10 + i * 7, 40 + ((ord(ch) * (i + 3)) % 30) - 15) for i, ch in enumerate(name[:40] or "X")]
    if len(points) > 1:
        draw.line(points, fill=0, width=3)
    buffer = io.BytesIO()
    image.save(buffer, "GIF")
    return buffer.getvalue()


def _local(moment: datetime) -> datetime:
    return moment.astimezone(LOCAL_TZ)


def _address(place: Place) -> dict[str, str]:
    return {"city": place.city, "stateProvince": place.state, "postalCode": place.postal_code,
            "countryCode": place.country, "country": place.country}


def _status(scan: Scan) -> dict[str, str]:
    return {"type": scan.type, "code": scan.code, "description": scan.description,
            "simplifiedTextDescription": scan.description.capitalize(),
            "statusCode": STATUS_CODES.get(scan.type, "005")}


def _activity(scan: Scan, gmt_fields: str = "offset") -> dict[str, Any]:
    local, gmt = _local(scan.at), scan.at.astimezone(UTC)
    activity: dict[str, Any] = {
        "location": {"address": _address(scan.place), "slic": "0000"},
        "status": _status(scan),
        "date": local.strftime("%Y%m%d"), "time": local.strftime("%H%M%S"),
    }
    if gmt_fields != "none":
        activity.update(gmtDate=gmt.strftime("%Y%m%d"), gmtTime=gmt.strftime("%H:%M:%S"))
    if gmt_fields == "offset":
        activity["gmtOffset"] = "-05:00"
    return activity


def package_details(record: ShipmentRecord, package: PackageRecord, now: datetime, *,
                    return_signature: bool, activity_gmt: str = "offset") -> dict[str, Any]:
    """One ``trackResponse.shipment[].package[]`` entry as the Track API writes it."""
    history = scans(record, package, now)
    latest = history[-1]
    delivered = latest.type == "D"
    details: dict[str, Any] = {
        "trackingNumber": package.tracking_number,
        "activity": [_activity(s, activity_gmt) for s in reversed(history)],
        "currentStatus": _status(latest),
        "packageAddress": [
            {"type": "ORIGIN", "address": _address(record.origin)},
            {"type": "DESTINATION", "name": record.ship_to_name, "attentionName": record.ship_to_attention,
             "address": _address(record.destination)},
        ],
        "weight": {"unitOfMeasurement": "LBS", "weight": f"{package.weight_lbs:.2f}"},
        "service": {"code": record.service.code.zfill(3), "levelCode": record.service.code.zfill(3),
                    "description": record.service.name},
        "referenceNumber": [{"type": "SHIPMENT", "number": ref} for ref in record.references]
        + [{"type": "PACKAGE", "number": ref} for ref in package.references],
        "packageCount": len(record.packages),
    }
    if delivered:
        details["deliveryDate"] = [{"type": "DEL", "date": _local(latest.at).strftime("%Y%m%d")}]
        details["deliveryTime"] = {"type": "DEL", "endTime": _local(latest.at).strftime("%H%M%S")}
        signer = received_by(record)
        information: dict[str, Any] = {"receivedBy": signer,
                                       "location": "Front Door" if record.residential else "Receiver"}
        if return_signature:
            information["signature"] = {"image": base64.b64encode(signature_gif(signer)).decode("ascii")}
        details["deliveryInformation"] = information
    elif latest.type in ("M", "I"):
        scheduled = _local(scheduled_delivery(record)).strftime("%Y%m%d")
        details["deliveryDate"] = [{"type": "SDD", "date": scheduled}]
    return details


def track_response(inquiry: str, packages: list[dict[str, Any]]) -> dict[str, Any]:
    return {"trackResponse": {"shipment": [{"inquiryNumber": inquiry, "package": packages}]}}


def not_found_warning(inquiry: str) -> dict[str, Any]:
    """The 200 answer the live service gives an unknown number (the spec documents 404 instead)."""
    return {"trackResponse": {"shipment": [{
        "inquiryNumber": inquiry,
        "warnings": [{"code": "TW0001", "message": "Tracking Information Not Found"}],
    }]}}


def _push_time(moment: datetime, unpadded: bool) -> str:
    text = moment.strftime("%H%M%S")
    return text.lstrip("0").rjust(5, "0") if unpadded else text  # a dropped leading zero: 91504


def push_event(record: ShipmentRecord, package: PackageRecord, scan: Scan, *,
               unpadded_times: bool = False, with_offset: bool = False) -> dict[str, Any]:
    """A Track Alert ``TrackingEventRequest`` body for one scan, as UPS sends it (see the module text)."""
    local, gmt = _local(scan.at), scan.at.astimezone(UTC)
    state = scan.place.state if len(scan.place.state) == 2 and scan.place.state.isalpha() else ""
    postal = scan.place.postal_code if scan.place.postal_code[:5].isdigit() else ""
    delivered = scan.type == "D"
    body: dict[str, Any] = {
        "trackingNumber": package.tracking_number,
        "localActivityDate": local.strftime("%Y%m%d"),
        "localActivityTime": _push_time(local, unpadded_times),
        "activityLocation": {"city": scan.place.city, "stateProvince": state, "postalCode": postal,
                             "country": scan.place.country},
        "activityStatus": {"type": scan.type, "code": scan.code, "description": scan.description,
                           "descriptionCode": STATUS_CODES.get(scan.type, "005")},
        "scheduledDeliveryDate": _local(scheduled_delivery(record)).strftime("%Y%m%d"),
        "actualDeliveryDate": local.strftime("%Y%m%d") if delivered else "",
        "actualDeliveryTime": _push_time(local, unpadded_times) if delivered else "",
        "gmtActivityDate": gmt.strftime("%Y%m%d"),
        "gmtActivityTime": _push_time(gmt, unpadded_times),
        "deliveryStartTime": "",
        "deliveryEndTime": "",
        "deliveryTimeDescription": "",
        "deliveryPhoto": "",
    }
    if delivered:
        body["receivedBy"] = received_by(record)
    if with_offset:
        body["gmtOffset"] = "-05.00"
    return body
