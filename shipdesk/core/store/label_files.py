"""Label images in the store, so every station can print, preview or attach any label (the local label
folder is only a cache of them). One row per label job, package and kind: the usable label, or the data UPS
sent that could not be decoded (kept as it came until Label Recovery replaces it)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from shipdesk.core.store.compiled import Compiled, slot
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
    with write():
        _save(len(labels)).changed(job_id, now, *[value for label in labels for value in
                                                  (label.tracking_number, label.format, label.usable, label.data)])


#: the INSERT of n labels (replacing ones kept before), compiled once for each n (``compiled``)
_SAVES: dict[int, Compiled] = {}


def _save(count: int) -> Compiled:
    found = _SAVES.get(count)
    if found is None:
        def build() -> Any:
            job = LabelJob.select(LabelJob.id).where(LabelJob.job_id == slot(0))
            rows = [{LabelFile.job: job, LabelFile.tracking_number: slot(2 + 4 * n),
                     LabelFile.format: slot(3 + 4 * n), LabelFile.usable: slot(4 + 4 * n, LabelFile.usable),
                     LabelFile.data: slot(5 + 4 * n, LabelFile.data), LabelFile.stored_at: slot(1, LabelFile.stored_at)}
                    for n in range(count)]
            return (LabelFile.insert_many(rows)
                    .on_conflict(conflict_target=[LabelFile.job, LabelFile.tracking_number, LabelFile.usable],
                                 preserve=[LabelFile.format, LabelFile.data, LabelFile.stored_at]))
        found = _SAVES.setdefault(count, Compiled(build))
    return found


def load(tracking_number: str, *, usable: bool = True) -> StoredLabel | None:
    """The newest label kept for the tracking number (``usable`` False: the undecodable data)."""
    row = (LabelFile.select(LabelFile.format, LabelFile.data)
           .where((LabelFile.tracking_number == tracking_number) & (LabelFile.usable == usable))
           .order_by(LabelFile.stored_at.desc(), LabelFile.id.desc()).first())
    return StoredLabel(row.format, bytes(row.data)) if row is not None else None


def has(tracking_number: str, *, usable: bool = True) -> bool:
    return bool(LabelFile.select(LabelFile.id).where(
        (LabelFile.tracking_number == tracking_number) & (LabelFile.usable == usable)).exists())
