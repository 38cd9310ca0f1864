"""Label images in the store, so every station can print, preview or attach any label (the local label
folder is only a cache of them). One row per label job, package and kind: the usable label, or the data UPS
sent that could not be decoded (kept as it came until Label Recovery replaces it)."""

from __future__ import annotations

from typing import NamedTuple

from shipdesk.core.store.fields import utcnow
from shipdesk.core.store.models import LabelFile, LabelJob
from shipdesk.core.store.transaction import write


class StoredLabel(NamedTuple):
    format: str  # GIF, PNG, ZPL, EPL, PDF ("raw" for undecodable data)
    data: bytes


def save(job_id: str, tracking_number: str, fmt: str, data: bytes, *, usable: bool = True) -> None:
    """Keep the label of ``tracking_number`` for the job (replacing one kept before)."""
    with write():
        job = LabelJob.get_or_none(LabelJob.job_id == job_id)
        if job is None:
            return
        (LabelFile.insert(job=job.id, tracking_number=tracking_number, format=fmt, usable=usable, data=data,
                          stored_at=utcnow())
         .on_conflict(conflict_target=[LabelFile.job, LabelFile.tracking_number, LabelFile.usable],
                      update={LabelFile.format: fmt, LabelFile.data: data, LabelFile.stored_at: utcnow()})
         .execute())


def load(tracking_number: str, *, usable: bool = True) -> StoredLabel | None:
    """The newest label kept for the tracking number (``usable`` False: the undecodable data)."""
    row = (LabelFile.select(LabelFile.format, LabelFile.data)
           .where((LabelFile.tracking_number == tracking_number) & (LabelFile.usable == usable))
           .order_by(LabelFile.stored_at.desc(), LabelFile.id.desc()).first())
    return StoredLabel(row.format, bytes(row.data)) if row is not None else None


def has(tracking_number: str, *, usable: bool = True) -> bool:
    return bool(LabelFile.select(LabelFile.id).where(
        (LabelFile.tracking_number == tracking_number) & (LabelFile.usable == usable)).exists())
