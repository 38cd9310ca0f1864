"""Small named values the sync and the flow keep between runs: watermarks, last check times, outage starts,
and per-shipment notes under a key prefix (``status_writeback.pending.<shipment>``...).

Kept as key → text for now; the prefixed keys become columns of their own tables later.
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


def values_under(prefix: str) -> dict[str, str]:
    """Every key starting with ``prefix`` (the prefix cut off) → its value, in key order."""
    rows = (SyncState.select(SyncState.key, SyncState.value).where(SyncState.key.startswith(prefix))
            .order_by(SyncState.key))
    return {row.key[len(prefix):]: row.value for row in rows}


def delete_if_unchanged(key: str, value: str) -> None:
    """Remove ``key`` unless another writer changed its value since ``value`` was read."""
    with write():
        SyncState.delete().where((SyncState.key == key) & (SyncState.value == value)).execute()
