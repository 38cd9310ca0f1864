"""Label jobs: one attempt each to buy a UPS label, written BEFORE the UPS call (its id is the UPS transId).

A job is committed as prepared (``ready``, with the request and the station) by :func:`prepare_label_job`,
flipped to ``requesting`` right before the Ship call by :func:`begin_request`, and gets UPS's answer in one
transaction by :func:`record_label`. Each move changes the job and its shipment together.

At most one job per shipment has (or may have) a live label (``LABEL_EXISTS``): the flip checks it in a
write transaction, and the schema holds it too (the unique index ``label_job_one_live``), so two stations
racing for one shipment on the shared store cannot both get past the flip.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from peewee import OP, Expression, IntegrityError, Value

from shipdesk.core.domain.states import LABEL_EXISTS, State, can_transition
from shipdesk.core.store.fields import utcnow
from shipdesk.core.store.models import LabelJob, PackageRecord, ShipmentRecord
from shipdesk.core.store.shipments import get_shipment, require_shipment
from shipdesk.core.store.transaction import write
from shipdesk.errors import InvalidTransition, LabelAlreadyExists, StoreError
from shipdesk.ups.models import Money, ShipResult


def prepare_label_job(shipment_nbr: str, request: Mapping[str, Any], *, label_format: str, station: str = "",
                      job_id: str | None = None) -> str:
    """Commit a label job as ``ready`` (prepared: nothing sent to UPS yet) with the request to send.

    With ``job_id``, a prepared job an earlier run left behind is continued under the SAME id and gets the
    request rebuilt from fresh data. Refuses (``LabelAlreadyExists``) while another job for the shipment
    has or may have a label: a second label needs the uncertain one superseded first (:func:`supersede`)."""
    with write():
        record = require_shipment(shipment_nbr)
        _refuse_if_labelled(record, shipment_nbr, other_than=job_id)
        now = utcnow()
        if job_id is not None:
            job = require_job(job_id)
            if job.state != State.READY:
                raise InvalidTransition(f"Label job {job_id}", job.state, State.READY)
            LabelJob.update(request=dict(request), label_format=label_format, attempts=LabelJob.attempts + 1,
                            station=station or job.station, updated_at=now).where(LabelJob.id == job.id).execute()
            return job_id
        job_id = str(uuid.uuid4())
        LabelJob.create(job_id=job_id, shipment=record.id, state=State.READY, attempts=1, station=station,
                        request=dict(request), label_format=label_format, created_at=now, updated_at=now)
    return job_id


def begin_request(job_id: str) -> None:
    """Prepared → ``requesting``, in its own short transaction, right before the UPS Ship call.

    Raises ``InvalidTransition`` when the job is no longer prepared (another worker took it) and
    ``LabelAlreadyExists`` when another job of the shipment got (or is getting) a label meanwhile."""
    try:
        with write():
            job = require_job(job_id)
            record = ShipmentRecord.get_by_id(job.shipment_id)
            _refuse_if_labelled(record, record.shipment_nbr, other_than=job_id)
            if not can_transition(record.state, State.REQUESTING):
                raise InvalidTransition(f"Shipment {record.shipment_nbr}", record.state, State.REQUESTING)
            if job.state != State.READY:
                raise InvalidTransition(f"Label job {job_id}", job.state, State.REQUESTING)
            now = utcnow()
            LabelJob.update(state=State.REQUESTING, updated_at=now).where(LabelJob.id == job.id).execute()
            ShipmentRecord.update(state=State.REQUESTING, attention_reason="", updated_at=now).where(
                ShipmentRecord.id == record.id).execute()
    except IntegrityError:  # label_job_one_live: another station's flip won (the index is the last word)
        job = require_job(job_id)
        live = live_job_of(job.shipment_id)
        raise _already(ShipmentRecord.get_by_id(job.shipment_id).shipment_nbr, live) from None


def _refuse_if_labelled(record: ShipmentRecord, shipment_nbr: str, *, other_than: str | None) -> None:
    existing = live_job_of(record.id)
    if existing is not None and existing.job_id != other_than:
        raise _already(shipment_nbr, existing)


def _already(shipment_nbr: str, existing: LabelJob | None) -> LabelAlreadyExists:
    if existing is None:
        return LabelAlreadyExists(f"Shipment {shipment_nbr} already has a label job.")
    at = f" at {existing.station}" if existing.station else ""
    return LabelAlreadyExists(
        f"Shipment {shipment_nbr} already has a label job{at} ({existing.state.label}).",
        hint="Void it first if it must be labelled again.", job_id=existing.job_id, station=existing.station)


def live_job_of(shipment_id: int) -> LabelJob | None:
    """The shipment's job that has (or may have) a live label; at most one exists."""
    return (LabelJob.select().where((LabelJob.shipment == shipment_id) & LabelJob.state.in_(list(LABEL_EXISTS)))
            .order_by(LabelJob.id.desc()).first())


def get_job(job_id: str) -> LabelJob | None:
    return LabelJob.get_or_none(LabelJob.job_id == job_id)


def require_job(job_id: str) -> LabelJob:
    job = get_job(job_id)
    if job is None:
        raise StoreError(f"Label job {job_id} is not in the store.")
    return job


def row_id_of(job_id: str) -> int | None:
    """The job's row id (the shared store's lock key for it), None when there is no such job."""
    row = LabelJob.select(LabelJob.id).where(LabelJob.job_id == job_id).first()
    return row.id if row is not None else None


def latest_job(shipment_nbr: str) -> LabelJob | None:
    """The shipment's job that matters: the one with a live label if any, else the newest."""
    record = get_shipment(shipment_nbr)
    if record is None:
        return None
    live = live_job_of(record.id)
    if live is not None:
        return live
    return (LabelJob.select().where(LabelJob.shipment == record.id)
            .order_by(LabelJob.created_at.desc(), LabelJob.id.desc()).first())


def jobs_in(*states: State) -> list[LabelJob]:
    """Label jobs in any of ``states``, oldest first (e.g. labelled ones the sync must write back)."""
    return list(LabelJob.select(LabelJob, ShipmentRecord).join(ShipmentRecord)
                .where(LabelJob.state.in_(list(states))).order_by(LabelJob.id))


def tracking_numbers_of_shipment(shipment_nbr: str) -> set[str]:
    """Tracking numbers any job of the shipment owns (voided and replaced jobs included)."""
    record = get_shipment(shipment_nbr)
    if record is None:
        return set()
    numbers: set[str] = set()
    for job in LabelJob.select(LabelJob.tracking_numbers).where(LabelJob.shipment == record.id):
        numbers.update(job.tracking_numbers)
    return numbers


def jobs_owning(tracking_numbers: Sequence[str]) -> list[LabelJob]:
    """The jobs (of any station, any shipment) whose labels carry any of these tracking numbers."""
    wanted = set(tracking_numbers)
    if not wanted:
        return []
    # the JSON text holds each number in quotes: match "1Z...", not a number that merely contains it
    like = [Expression(LabelJob.tracking_numbers, OP.ILIKE, Value(f'%"{number}"%', converter=False))
            for number in sorted(wanted)]
    condition = like[0]
    for more in like[1:]:
        condition = condition | more
    return [job for job in LabelJob.select().where(condition).order_by(LabelJob.id)
            if wanted & set(job.tracking_numbers)]


def _move_job(job: LabelJob, state: State, **values: Any) -> None:
    if not can_transition(job.state, state):
        raise InvalidTransition(f"Label job {job.job_id}", job.state, state)
    now = utcnow()
    LabelJob.update(state=state, updated_at=now, **values).where(LabelJob.id == job.id).execute()
    reason = values.get("last_error", "") if state in (State.FAILED, State.NEEDS_ATTENTION,
                                                         State.LABELLED_TWICE) else ""
    ShipmentRecord.update(state=state, attention_reason=reason, updated_at=now).where(
        ShipmentRecord.id == job.shipment_id).execute()


def record_label(job_id: str, result: ShipResult, *, label_paths: Sequence[str] = ()) -> None:
    """Commit what UPS answered in ONE transaction: tracking numbers (one per package, in line order),
    the UPS shipment id, charges and label files; job and shipment become ``labelled``."""
    total = result.total_charges
    negotiated = result.negotiated_charges
    priced = total or negotiated
    with write():
        job = require_job(job_id)
        _move_job(job, State.LABELLED, ups_shipment_id=result.shipment_id,
                  tracking_numbers=list(result.tracking_numbers),
                  charges=total.amount if total else None,
                  currency=priced.currency if priced else "",
                  negotiated_charges=negotiated.amount if negotiated else None,
                  charges_with_taxes=_amount(result.total_charges_with_taxes),
                  negotiated_with_taxes=_amount(result.negotiated_charges_with_taxes),
                  label_paths=[str(p) for p in label_paths], last_error="")
        packages = list(PackageRecord.select().where(PackageRecord.shipment == job.shipment_id)
                        .order_by(PackageRecord.line_nbr, PackageRecord.id))
        for package, number in zip(packages, result.tracking_numbers, strict=False):
            PackageRecord.update(tracking_number=number, status_type="M", status_description="",
                                 delivered_at=None, signed_by="").where(
                PackageRecord.id == package.id).execute()


def _amount(money: Money | None) -> Decimal | None:
    return money.amount if money is not None else None


def mark_job(job_id: str, state: State, *, error: str = "") -> None:
    """Move a job (and its shipment) to ``state``; ``error`` is kept as the job's last error."""
    with write():
        _move_job(require_job(job_id), state, last_error=error)


def mark_uncertain_if_requesting(job_id: str, why: str) -> bool:
    """``requesting`` → ``uncertain`` when the job is still requesting (its worker is gone); False when
    another worker moved it on meanwhile (its answer was committed)."""
    with write():
        job = require_job(job_id)
        if job.state != State.REQUESTING:
            return False
        _move_job(job, State.UNCERTAIN, last_error=why)
        return True


def discard_prepared(job_id: str) -> bool:
    """Forget a prepared job that lost the race for its shipment (nothing was sent to UPS for it)."""
    with write():
        return bool(LabelJob.delete().where((LabelJob.job_id == job_id) & (LabelJob.state == State.READY))
                    .execute())


def supersede(job_id: str, *, on: date, why: str) -> None:
    """A person chose a new label over this uncertain one: it fails now and is watched for a late label."""
    with write():
        _move_job(require_job(job_id), State.FAILED, last_error=why, superseded_on=on)


def superseded_since(since: date) -> list[LabelJob]:
    """Jobs replaced on a person's decision on or after ``since`` (watched for a label that turns up late)."""
    return list(LabelJob.select(LabelJob, ShipmentRecord).join(ShipmentRecord)
                .where(LabelJob.superseded_on >= since).order_by(LabelJob.id))


def note_job_error(job_id: str, error: str) -> None:
    """Keep an error without changing state (e.g. write-back failed: stays labelled, the sync retries)."""
    with write():
        LabelJob.update(last_error=error, attempts=LabelJob.attempts + 1, updated_at=utcnow()).where(
            LabelJob.job_id == job_id).execute()


def mark_written_back(job_id: str) -> None:
    with write():
        _move_job(require_job(job_id), State.WRITTEN_BACK, written_back_at=utcnow(), last_error="")


def mark_printed(job_id: str) -> None:
    with write():
        LabelJob.update(printed_at=utcnow()).where(LabelJob.job_id == job_id).execute()


def mark_voided(job_id: str) -> None:
    """The UPS shipment is voided: the job is voided and the packages lose their tracking numbers."""
    with write():
        job = require_job(job_id)
        _move_job(job, State.VOIDED, voided_at=utcnow())
        of_job = (PackageRecord.shipment == job.shipment_id) & PackageRecord.tracking_number.in_(job.tracking_numbers)
        cleared = {"tracking_number": "", "status_type": "", "status_description": ""}
        PackageRecord.update(**cleared).where(of_job).execute()
