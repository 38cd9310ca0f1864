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
from shipdesk.core.store.shipments import require_shipment
from shipdesk.core.store.transaction import write
from shipdesk.errors import InvalidTransition, LabelAlreadyExists, StoreError
from shipdesk.i18n import _
from shipdesk.ups.models import Money, ShipResult


def prepare_label_job(shipment_nbr: str, request: Mapping[str, Any], *, label_format: str, station: str = "",
                      job_id: str | None = None, settle_ready: bool = False) -> str:
    """Commit a label job as ``ready`` (prepared: nothing sent to UPS yet) with the request to send.

    With ``job_id``, a prepared job an earlier run left behind is continued under the SAME id and gets the
    request rebuilt from fresh data. Refuses (``LabelAlreadyExists``) while another job for the shipment
    has or may have a label: a second label needs the uncertain one superseded first (:func:`supersede`).
    ``settle_ready``: the shipment moves to ``ready`` in the same transaction (through ``pending`` when
    there is no direct move; ``InvalidTransition`` when it cannot)."""
    with write():
        record = require_shipment(shipment_nbr)
        # settling, any live job refuses, even the prepared one being continued: another worker took it
        _refuse_if_labelled(record, shipment_nbr, other_than=None if settle_ready else job_id)
        now = utcnow()
        if settle_ready and record.state != State.READY:
            through_pending = (can_transition(record.state, State.PENDING)
                               and can_transition(State.PENDING, State.READY))
            if not (can_transition(record.state, State.READY) or through_pending):
                raise InvalidTransition(f"Shipment {shipment_nbr}", record.state, State.READY)
            ShipmentRecord.update(state=State.READY, attention_reason="", updated_at=now).where(
                ShipmentRecord.id == record.id).execute()
        if job_id is not None:
            job = require_job(job_id)
            if job.state != State.READY:
                raise InvalidTransition(_("Label job {job}").format(job=job_id), job.state, State.READY)
            LabelJob.update(request=dict(request), label_format=label_format, attempts=LabelJob.attempts + 1,
                            station=station or job.station, updated_at=now).where(LabelJob.id == job.id).execute()
            return job_id
        job_id = str(uuid.uuid4())
        LabelJob.insert(job_id=job_id, shipment=record.id, state=State.READY, attempts=1, station=station,
                        request=dict(request), label_format=label_format, created_at=now,
                        updated_at=now).execute()
    return job_id


def begin_request(job_id: str) -> None:
    """Prepared → ``requesting``, in its own short transaction, right before the UPS Ship call.

    Raises ``InvalidTransition`` when the job is no longer prepared (another worker took it) and
    ``LabelAlreadyExists`` when another job of the shipment got (or is getting) a label meanwhile.
    Two guarded UPDATEs (the job still ``ready``, the shipment in a state that may move to ``requesting``)
    and the unique index ``label_job_one_live`` decide it; the rows are read only to say why it refused."""
    try:
        with write():
            now = utcnow()
            flipped = (LabelJob.update(state=State.REQUESTING, updated_at=now)
                       .where((LabelJob.job_id == job_id) & (LabelJob.state == State.READY)).execute())
            if not flipped:
                raise _why_not_requesting(job_id)
            shipment_of_job = LabelJob.select(LabelJob.shipment).where(LabelJob.job_id == job_id)
            moved = (ShipmentRecord.update(state=State.REQUESTING, attention_reason="", updated_at=now)
                     .where((ShipmentRecord.id.in_(shipment_of_job)) & ShipmentRecord.state.in_(_TO_REQUESTING))
                     .execute())
            if not moved:
                raise _why_not_requesting(job_id)
    except IntegrityError:  # label_job_one_live: another station's flip won (the index is the last word)
        job = require_job(job_id)
        live = live_job_of(job.shipment_id)
        raise _already(ShipmentRecord.get_by_id(job.shipment_id).shipment_nbr, live) from None


#: the shipment states a label request may start from
_TO_REQUESTING = [state for state in State if can_transition(state, State.REQUESTING)]


def _why_not_requesting(job_id: str) -> StoreError:
    """The refusal of a flip that changed nothing (raised inside its transaction, which then rolls back)."""
    job = require_job(job_id)
    record = ShipmentRecord.get_by_id(job.shipment_id)
    existing = live_job_of(record.id)
    if existing is not None and existing.job_id != job_id:
        return _already(record.shipment_nbr, existing)
    if job.state != State.READY:
        return InvalidTransition(_("Label job {job}").format(job=job_id), job.state, State.REQUESTING)
    return InvalidTransition(f"Shipment {record.shipment_nbr}", record.state, State.REQUESTING)


def _refuse_if_labelled(record: ShipmentRecord, shipment_nbr: str, *, other_than: str | None) -> None:
    existing = live_job_of(record.id)
    if existing is not None and existing.job_id != other_than:
        raise _already(shipment_nbr, existing)


def _already(shipment_nbr: str, existing: LabelJob | None) -> LabelAlreadyExists:
    if existing is None:
        return LabelAlreadyExists(_("Shipment {shipment} already has a label job.").format(
                                      shipment=shipment_nbr))
    if existing.station:
        said = _("Shipment {shipment} already has a label job at {station} ({state}).").format(
            shipment=shipment_nbr, station=existing.station, state=existing.state.label)
    else:
        said = _("Shipment {shipment} already has a label job ({state}).").format(
            shipment=shipment_nbr, state=existing.state.label)
    return LabelAlreadyExists(
        said,
        hint=_("Void it first if it must be labelled again."), job_id=existing.job_id, station=existing.station)


def live_job_of(shipment_id: int) -> LabelJob | None:
    """The shipment's job that has (or may have) a live label; at most one exists."""
    return (LabelJob.select().where((LabelJob.shipment == shipment_id) & LabelJob.state.in_(list(LABEL_EXISTS)))
            .order_by(LabelJob.id.desc()).first())


def get_job(job_id: str) -> LabelJob | None:
    """The job with its shipment (one query: ``job.shipment`` is read right after nearly every time)."""
    return LabelJob.select(LabelJob, ShipmentRecord).join(ShipmentRecord).where(LabelJob.job_id == job_id).first()


def require_job(job_id: str) -> LabelJob:
    job = get_job(job_id)
    if job is None:
        raise StoreError(_("Label job {job_id} is not in the store.").format(job_id=job_id))
    return job


def row_id_of(job_id: str) -> int | None:
    """The job's row id (the shared store's lock key for it), None when there is no such job."""
    row = LabelJob.select(LabelJob.id).where(LabelJob.job_id == job_id).first()
    return row.id if row is not None else None


def latest_job(shipment_nbr: str) -> LabelJob | None:
    """The shipment's job that matters: the one with a live label if any, else the newest (one query)."""
    newest_first = list(LabelJob.select(LabelJob, ShipmentRecord).join(ShipmentRecord)
                        .where(ShipmentRecord.shipment_nbr == shipment_nbr)
                        .order_by(LabelJob.created_at.desc(), LabelJob.id.desc()))
    if not newest_first:
        return None
    live = [job for job in newest_first if job.state in LABEL_EXISTS]
    return max(live, key=lambda job: job.id) if live else newest_first[0]


def jobs_in(*states: State) -> list[LabelJob]:
    """Label jobs in any of ``states``, oldest first (e.g. labelled ones the sync must write back)."""
    return list(LabelJob.select(LabelJob, ShipmentRecord).join(ShipmentRecord)
                .where(LabelJob.state.in_(list(states))).order_by(LabelJob.id))


def tracking_numbers_of_shipment(shipment_nbr: str) -> set[str]:
    """Tracking numbers any job of the shipment owns (voided and replaced jobs included)."""
    numbers: set[str] = set()
    for job in (LabelJob.select(LabelJob.tracking_numbers).join(ShipmentRecord)
                .where(ShipmentRecord.shipment_nbr == shipment_nbr)):
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
        raise InvalidTransition(_("Label job {job}").format(job=job.job_id), job.state, state)
    now = utcnow()
    LabelJob.update(state=state, updated_at=now, **values).where(LabelJob.id == job.id).execute()
    reason = values.get("last_error", "") if state in (State.FAILED, State.NEEDS_ATTENTION,
                                                         State.LABELLED_TWICE) else ""
    ShipmentRecord.update(state=state, attention_reason=reason, updated_at=now).where(
        ShipmentRecord.id == job.shipment_id).execute()


def _move_by_id(job_id: str, state: State, *, shipment_values: Mapping[str, Any] | None = None,
                **values: Any) -> Any:
    """``_move_job`` without reading the job first: one guarded UPDATE of the job (from any state that may
    move to ``state``) and one of its shipment; the subquery that names the shipment is returned. Raises
    ``InvalidTransition`` (call it in a write transaction, which then keeps nothing) when the job cannot move."""
    now = utcnow()
    of_job = LabelJob.job_id == job_id
    moved = (LabelJob.update(state=state, updated_at=now, **values)
             .where(of_job & LabelJob.state.in_([s for s in State if can_transition(s, state)])).execute())
    if not moved:
        raise InvalidTransition(_("Label job {job}").format(job=job_id), require_job(job_id).state, state)
    shipment_id = LabelJob.select(LabelJob.shipment).where(of_job)
    ShipmentRecord.update(state=state, attention_reason="", updated_at=now, **(shipment_values or {})).where(
        ShipmentRecord.id.in_(shipment_id)).execute()
    return shipment_id


def record_label(job_id: str, result: ShipResult, *, label_paths: Sequence[str] = ()) -> None:
    """Commit what UPS answered in ONE transaction: tracking numbers (one per package, in line order),
    the UPS shipment id, charges and label files; job and shipment become ``labelled``."""
    total = result.total_charges
    negotiated = result.negotiated_charges
    priced = total or negotiated
    with write():
        shipment_id = _move_by_id(job_id, State.LABELLED, ups_shipment_id=result.shipment_id,
                                  tracking_numbers=list(result.tracking_numbers),
                                  charges=total.amount if total else None,
                                  currency=priced.currency if priced else "",
                                  negotiated_charges=negotiated.amount if negotiated else None,
                                  charges_with_taxes=_amount(result.total_charges_with_taxes),
                                  negotiated_with_taxes=_amount(result.negotiated_charges_with_taxes),
                                  label_paths=[str(p) for p in label_paths], last_error="")
        for position, number in enumerate(result.tracking_numbers):
            # the package at this position in line order (a subquery: no read of the rows first)
            nth = (PackageRecord.select(PackageRecord.id).where(PackageRecord.shipment.in_(shipment_id))
                   .order_by(PackageRecord.line_nbr, PackageRecord.id).limit(1).offset(position))
            PackageRecord.update(tracking_number=number, status_type="M", status_description="",
                                 delivered_at=None, signed_by="").where(PackageRecord.id.in_(nth)).execute()


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
    """The job is written back to Acumatica: job and shipment move on, and the shipment's wish to be confirmed
    again (``reconfirm``) is done with."""
    with write():
        _move_by_id(job_id, State.WRITTEN_BACK, shipment_values={"reconfirm": False}, written_back_at=utcnow(),
                    last_error="")


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
