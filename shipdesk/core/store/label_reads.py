"""What labelling a shipment reads from the store, in ONE query for one shipment or a whole batch: its row, its
packages in line order, and the job that matters (the one with a live label, else the newest: ``jobs.latest_job``).

A label used to read them in three queries, and a batch once per label; a batch now reads its shipments up
front (``ShipFlow.ship_many``). What was read may be a few seconds old when the label is made: every write
the label makes is guarded (the job's INSERT needs the shipment ready and no live job; see ``jobs``), so a
shipment another worker took meanwhile is refused there, not labelled twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from peewee import JOIN, Case

from shipdesk.core.domain.states import LABEL_EXISTS
from shipdesk.core.store.models import LabelJob, PackageRecord, ShipmentRecord


@dataclass(frozen=True)
class LabelRead:
    record: ShipmentRecord
    packages: tuple[PackageRecord, ...]  # in line order (the order tracking numbers are given to them)
    job: LabelJob | None  # ``jobs.latest_job``: the live one, else the newest; its ``shipment`` is ``record``


#: how many shipments one read names (SQLite allows 32,766 parameters; a batch is read in slices)
SLICE = 200


def read_for_labels(numbers: Iterable[str]) -> dict[str, LabelRead]:
    """The shipments named (those the store has), each with its packages and the job that matters."""
    wanted = list(dict.fromkeys(numbers))
    found: dict[str, LabelRead] = {}
    for start in range(0, len(wanted), SLICE):
        found.update(_read(wanted[start:start + SLICE]))
    return found


def _read(numbers: list[str]) -> dict[str, LabelRead]:
    candidate = LabelJob.alias()
    live_first = Case(None, [(candidate.state.in_(list(LABEL_EXISTS)), 0)], 1)
    the_job = (candidate.select(candidate.id).where(candidate.shipment == ShipmentRecord.id)
               .order_by(live_first, candidate.created_at.desc(), candidate.id.desc()).limit(1))
    query = (ShipmentRecord.select(ShipmentRecord, PackageRecord, LabelJob)
             .join(PackageRecord, JOIN.LEFT_OUTER, on=(PackageRecord.shipment == ShipmentRecord.id), attr="_package")
             .switch(ShipmentRecord)
             .join(LabelJob, JOIN.LEFT_OUTER, on=(LabelJob.id == the_job), attr="_job")
             .where(ShipmentRecord.shipment_nbr.in_(numbers))
             .order_by(ShipmentRecord.id, PackageRecord.line_nbr, PackageRecord.id))
    records: dict[str, ShipmentRecord] = {}
    packages: dict[str, list[PackageRecord]] = {}
    jobs: dict[str, LabelJob | None] = {}
    for row in query:
        nbr = row.shipment_nbr
        if nbr not in records:
            records[nbr], packages[nbr] = row, []
            job = getattr(row, "_job", None)
            if job is not None and job.id is not None:
                job.shipment = row  # joined already: no second read of the shipment
                jobs[nbr] = job
            else:
                jobs[nbr] = None
        package = getattr(row, "_package", None)
        if package is not None and package.id is not None:
            package.shipment = records[nbr]
            packages[nbr].append(package)
    return {nbr: LabelRead(record, tuple(packages[nbr]), jobs[nbr]) for nbr, record in records.items()}
