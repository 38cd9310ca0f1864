"""Label images in the store, so every station can print, preview or attach any label (the local label
folder is only a cache of them). One row per label job, package and kind: the usable label, or the data UPS
sent that could not be decoded (kept as it came until Label Recovery replaces it)."""

from __future__ import annotations

from collections.abc import Sequence
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


class NewLabel(NamedTuple):
    """A label to keep for a job (:func:`save_all`)."""

    tracking_number: str
    format: str
    data: bytes
    usable: bool = True


def save_all(job_id: str, labels: Sequence[NewLabel]) -> None:
    """Keep a job's labels in one statement (replacing ones kept before); nothing when the job is not stored."""
    if not labels:
        return
    now = utcnow()
    job = LabelJob.select(LabelJob.id).where(LabelJob.job_id == job_id)
    rows = [{"job": job, "tracking_number": label.tracking_number, "format": label.format, "usable": label.usable,
             "data": label.data, "stored_at": now} for label in labels]
    with write():
        (LabelFile.insert_many(rows)
         .on_conflict(conflict_target=[LabelFile.job, LabelFile.tracking_number, LabelFile.usable],
                      preserve=[LabelFile.format, LabelFile.data, LabelFile.stored_at])
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
