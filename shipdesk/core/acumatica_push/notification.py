"""Reading one Acumatica push notification: which shipments it names. Pure, no I/O.

Acumatica POSTs JSON (Push Notification Format, Integration Development Guide): ``Inserted`` (rows new in
the query's result, or the new version of a changed row), ``Deleted`` (rows gone from it, or the old
version of a changed row), ``Query`` (the generic inquiry's name, or the built-in query's class),
``CompanyId`` (the tenant), ``Id`` (the data transaction: "can be used to omit duplicated notifications"),
``TimeStamp`` (a long that orders notifications; .NET ticks) and ``AdditionalInfo``. The columns of a row
are the inquiry's: the shipment number is found under the configured column name, or ``<Table>_<name>``.
A shipment named in both lists changed; one only in ``Deleted`` left the query (no longer released).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from shipdesk.errors import InvalidPush

#: .NET ticks (100 ns) at 1970-01-01T00:00:00Z
UNIX_EPOCH_TICKS = 621_355_968_000_000_000
#: a push naming more shipments than this is one body too many to read by number: the sync pulls instead
MAX_NAMED = 5_000


@dataclass(frozen=True)
class AcumaticaPush:
    query: str
    company: str
    transaction_id: str
    timestamp: int  # .NET ticks, as sent (0 when absent)
    inserted: tuple[str, ...]  # shipment numbers, in order, once each
    deleted: tuple[str, ...]
    fingerprint: str  # what the push says, for a replay that comes with another Id

    @property
    def named(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*self.inserted, *self.deleted)))

    @property
    def replay_key(self) -> str:
        return f"{self.query}|{self.transaction_id}|{self.timestamp}"

    @property
    def sent_at(self) -> datetime | None:
        if self.timestamp <= UNIX_EPOCH_TICKS:
            return None
        return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=(self.timestamp - UNIX_EPOCH_TICKS) // 10)


def ticks(moment: datetime) -> int:
    """``moment`` as .NET ticks (what Acumatica's ``TimeStamp`` holds)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    delta = aware - datetime(1970, 1, 1, tzinfo=UTC)
    return UNIX_EPOCH_TICKS + (delta.days * 86_400 + delta.seconds) * 10_000_000 + delta.microseconds * 10


def parse_notification(data: Any, shipment_field: str) -> AcumaticaPush:
    """The push in ``data`` (parsed JSON); InvalidPush when it is not one."""
    if not isinstance(data, dict):
        raise InvalidPush("the body is not a JSON object")
    if not isinstance(data.get("Inserted", []), list) or not isinstance(data.get("Deleted", []), list):
        raise InvalidPush("Inserted and Deleted must be lists")
    if "Inserted" not in data and "Deleted" not in data:
        raise InvalidPush("neither Inserted nor Deleted is there")
    inserted = _numbers(data.get("Inserted", []), shipment_field)
    deleted = _numbers(data.get("Deleted", []), shipment_field)
    if len(inserted) + len(deleted) > MAX_NAMED:
        raise InvalidPush(f"more than {MAX_NAMED} shipments in one push")
    stamp = data.get("TimeStamp", 0)
    if isinstance(stamp, str) and stamp.strip().isdigit():
        stamp = int(stamp)
    if isinstance(stamp, bool) or not isinstance(stamp, int) or stamp < 0:
        raise InvalidPush("TimeStamp is not a whole number")
    content = json.dumps([data.get("Query"), data.get("Inserted", []), data.get("Deleted", [])],
                         sort_keys=True, default=str)
    return AcumaticaPush(query=_text(data.get("Query")), company=_text(data.get("CompanyId")),
                         transaction_id=_text(data.get("Id")), timestamp=stamp, inserted=inserted, deleted=deleted,
                         fingerprint=hashlib.sha256(content.encode()).hexdigest())


def _numbers(rows: list[Any], shipment_field: str) -> tuple[str, ...]:
    found: list[str] = []
    for row in rows:
        if not isinstance(row, dict):
            raise InvalidPush("a row of Inserted or Deleted is not an object")
        value = _shipment_number(row, shipment_field)
        if value is None:
            raise InvalidPush(f"a row has no {shipment_field} column")
        found.append(value)
    return tuple(dict.fromkeys(found))


def _shipment_number(row: dict[str, Any], shipment_field: str) -> str | None:
    wanted = shipment_field.lower()
    for name, value in row.items():
        lowered = str(name).lower()
        if lowered == wanted or lowered.endswith("_" + wanted):
            text = _text(value)
            return text or None
    return None


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""
