"""Small named values the sync and the flow keep between runs, one per name: the pull's watermark, when the
carrier plug-ins were last looked up, when an outage of each service started, the account-wide Track
Alert subscription's end. (Facts about one shipment or package live in columns of their own tables.)
"""

from __future__ import annotations

from datetime import datetime

from shipdesk.core.store.fields import to_utc, utcnow
from shipdesk.core.store.models import SyncState
from shipdesk.core.store.transaction import write

WATERMARK_SHIPMENTS = "acumatica.shipments.modified_since"


def get_value(key: str, default: str | None = None) -> str | None:
    row = SyncState.get_or_none(SyncState.key == key)
    return row.value if row is not None else default


def set_value(key: str, value: str) -> None:
    with write():
        (SyncState.insert(key=key, value=value, updated_at=utcnow())
         .on_conflict(conflict_target=[SyncState.key],
                      update={SyncState.value: value, SyncState.updated_at: utcnow()})
         .execute())


def get_time(key: str) -> datetime | None:
    value = get_value(key)
    return to_utc(datetime.fromisoformat(value)) if value else None


def set_time(key: str, value: datetime) -> None:
    set_value(key, to_utc(value).isoformat())
