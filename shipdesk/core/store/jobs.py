"""Label jobs: one attempt each to buy a UPS label, written BEFORE the UPS call (its id is the UPS transId).

A job is committed as ``requesting``, with the request and the station, right before the Ship call by
:func:`open_label_job` (one guarded INSERT and its shipment's UPDATE), and gets UPS's answer in one
transaction by :func:`record_label`. Each move changes the job and its shipment together. (A job committed
as prepared, ``ready`` (:func:`prepare_label_job`), is what earlier versions did first; ``open_label_job``
continues such a job under its id.)

At most one job per shipment has (or may have) a live label (``LABEL_EXISTS``): the INSERT checks it in a
write transaction, and the schema holds it too (the unique index ``label_job_one_live``), so two stations
racing for one shipment on the shared store cannot both commit a requesting job.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from peewee import OP, Expression, IntegrityError, Value, fn

from shipdesk.core.domain.states import LABEL_EXISTS, State, can_transition
from shipdesk.core.store.compiled import Compiled, slot
from shipdesk.core.store.fields import utcnow
from shipdesk.core.store.models import LabelJob, PackageRecord, ShipmentRecord
from shipdesk.core.store.shipments import require_shipment
from shipdesk.core.store.transaction import joined, write
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
    with joined():  # no savepoint: a failure fails the caller's transaction
        if job_id is None:
            # the usual case in one statement: a ready shipment without a live job gets its new job
            new_id = str(uuid.uuid4())
            now = utcnow()
            if _INSERT[State.READY].changed(new_id, dict(request), label_format, now, station, shipment_nbr):
                return new_id
        return _new_or_continued(shipment_nbr, request, label_format=label_format, station=station, job_id=job_id,
                                 settle_ready=settle_ready)


def _new_or_continued(shipment_nbr: str, request: Mapping[str, Any], *, label_format: str, station: str,
                      job_id: str | None, settle_ready: bool, new_id: str | None = None,
                      state: State = State.READY) -> str:
    """``prepare_label_job`` when the one-statement INSERT did not do: says why not, settles the shipment first, or
    continues an earlier run's job (``job_id``); else a new job ``new_id`` (a fresh id when None) in ``state``."""
    with joined():
        record = require_shipment(shipment_nbr)  # why not, or settled first, or an earlier run's job continued
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
        job_id = new_id or str(uuid.uuid4())
        LabelJob.insert(job_id=job_id, shipment=record.id, state=state, attempts=1, station=station,
                        request=dict(request), label_format=label_format, created_at=now,
                        updated_at=now).execute()
    return job_id


def open_label_job(shipment_nbr: str, request: Mapping[str, Any], *, job_id: str, label_format: str,
                   station: str = "", prepared: bool = False, settle_ready: bool = False,
                   shipment_values: Mapping[str, Any] | None = None) -> None:
    """The job as ``requesting``, with the request it is about to send, and its shipment ``requesting``, in the
    caller's transaction, committed right before the Ship call (nothing is committed before: a crash before it
    leaves nothing to settle). A new job (``job_id``) is one guarded INSERT: the shipment ready (``settle_ready``:
    made so first when it may be) and no job of it with a live label; ``prepared``: an earlier run's job that
    never sent anything, continued under its id with this request. The shipment's UPDATE carries
    ``shipment_values`` too (the address check's outcome: one UPDATE, not two).

    Raises ``LabelAlreadyExists`` when another job of the shipment has or may have a label, ``InvalidTransition``
    when the shipment or the prepared job cannot move (another worker took it): the caller's transaction must
    then keep nothing. The unique index ``label_job_one_live`` has the last word between two stations."""
    extra = dict(shipment_values or {})
    extra.pop("updated_at", None)
    try:
        with joined():  # no savepoint: a failure fails the caller's transaction
            now = utcnow()
            if prepared:
                _new_or_continued(shipment_nbr, request, label_format=label_format, station=station, job_id=job_id,
                                  settle_ready=settle_ready)
                if not _FLIP_JOB.changed(now, job_id):
                    raise _why_not_requesting(job_id)
            elif not _INSERT[State.REQUESTING].changed(job_id, dict(request), label_format, now, station,
                                                       shipment_nbr):
                _new_or_continued(shipment_nbr, request, label_format=label_format, station=station, job_id=None,
                                  settle_ready=settle_ready, new_id=job_id, state=State.REQUESTING)
            if not _flip_shipment(tuple(extra)).changed(now, job_id, *extra.values()):
                raise _why_not_requesting(job_id)
    except IntegrityError:  # label_job_one_live: another station's job won (the index is the last word); which
        # one is read after the rollback (``live_job_of``): a failed statement ends a PostgreSQL transaction
        raise _already(shipment_nbr, None) from None


def _insert_query(state: State) -> Any:
    """INSERT a new job in ``state`` for a ready shipment that has no live job (the slots: job id, request, label
    format, now, station, shipment number); nothing when either is not so."""
    live = LabelJob.alias()
    no_live_job = ~fn.EXISTS(live.select(live.id).where((live.shipment == ShipmentRecord.id)
                                                        & live.state.in_(list(LABEL_EXISTS))))
    values = {LabelJob.job_id: slot(0), LabelJob.shipment: ShipmentRecord.id,
              LabelJob.state: Value(LabelJob.state.db_value(state), converter=False),
              LabelJob.attempts: Value(1, converter=False), LabelJob.request: slot(1, LabelJob.request),
              LabelJob.label_format: slot(2), LabelJob.created_at: slot(3, LabelJob.created_at),
              LabelJob.updated_at: slot(3, LabelJob.updated_at), LabelJob.station: slot(4)}
    for field in (LabelJob.ups_shipment_id, LabelJob.tracking_numbers, LabelJob.currency, LabelJob.label_paths,
                  LabelJob.last_error):  # what peewee's INSERT would give them
        default = field.default() if callable(field.default) else field.default
        values[field] = Value(field.db_value(default), converter=False)
    source = ShipmentRecord.select(*values.values()).where(
        (ShipmentRecord.shipment_nbr == slot(5)) & (ShipmentRecord.state == State.READY) & no_live_job)
    return LabelJob.insert_from(source, list(values))


#: a prepared job (``ready``: ``prepare_label_job``) and one opened right before the Ship call (``open_label_job``)
_INSERT = {state: Compiled(partial(_insert_query, state)) for state in (State.READY, State.REQUESTING)}

#: the shipment states a label request may start from
_TO_REQUESTING = [state for state in State if can_transition(state, State.REQUESTING)]
_FLIP_JOB = Compiled(lambda: LabelJob.update(state=State.REQUESTING, updated_at=slot(0, LabelJob.updated_at))
                     .where((LabelJob.job_id == slot(1)) & (LabelJob.state == State.READY)))
#: the flips of a shipment to requesting, compiled once for each set of other columns it sets (``compiled``)
_FLIPS: dict[tuple[str, ...], Compiled] = {}


def _flip_shipment(columns: tuple[str, ...]) -> Compiled:
    """The job's shipment becomes ``requesting`` (from a state that may), setting ``columns`` too (the slots: now,
    job id, then the columns' values)."""
    found = _FLIPS.get(columns)
    if found is None:
        def build() -> Any:
            changes = {name: slot(2 + i, getattr(ShipmentRecord, name)) for i, name in enumerate(columns)}
            return (ShipmentRecord.update(state=State.REQUESTING, attention_reason="",
                                          updated_at=slot(0, ShipmentRecord.updated_at), **changes)
                    .where(ShipmentRecord.id.in_(LabelJob.select(LabelJob.shipment).where(LabelJob.job_id == slot(1)))
                           & ShipmentRecord.state.in_(_TO_REQUESTING)))
        found = _FLIPS.setdefault(columns, Compiled(build))
    return found


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


_LIVE_JOB = Compiled(lambda: LabelJob.select().where((LabelJob.shipment == slot(0))
                                                      & LabelJob.state.in_(list(LABEL_EXISTS)))
                     .order_by(LabelJob.id.desc()).limit(1))
_JOB = Compiled(lambda: LabelJob.select(LabelJob, ShipmentRecord).join(ShipmentRecord)
                .where(LabelJob.job_id == slot(0)).limit(1))
_JOBS_OF_SHIPMENT = Compiled(lambda: LabelJob.select(LabelJob, ShipmentRecord).join(ShipmentRecord)
                             .where(ShipmentRecord.shipment_nbr == slot(0))
                             .order_by(LabelJob.created_at.desc(), LabelJob.id.desc()))


def live_job_of(shipment_id: int) -> LabelJob | None:
    """The shipment's job that has (or may have) a live label; at most one exists."""
    job: LabelJob | None = _LIVE_JOB.first(shipment_id)
    return job


def get_job(job_id: str) -> LabelJob | None:
    """The job with its shipment (one query: ``job.shipment`` is read right after nearly every time)."""
    job: LabelJob | None = _JOB.first(job_id)
    return job


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
    newest_first: list[LabelJob] = _JOBS_OF_SHIPMENT.rows(shipment_nbr)
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
                returning: bool = False, **values: Any) -> LabelJob | None:
    """``_move_job`` without reading the job first: one guarded UPDATE of the job (from any state that may
    move to ``state``) and one of its shipment. Raises ``InvalidTransition`` (call it in a write transaction,
    which then keeps nothing) when the job cannot move. ``returning``: the job as the UPDATEs left it, with its
    shipment (the same two statements return the rows: no read after them)."""
    now = utcnow()
    extra = dict(shipment_values or {})
    job_update, shipment_update = _moves(state, tuple(values), tuple(extra), returning)
    if not returning:
        if not job_update.changed(now, job_id, *values.values()):
            raise InvalidTransition(_("Label job {job}").format(job=job_id), require_job(job_id).state, state)
        shipment_update.changed(now, job_id, *extra.values())
        return None
    moved = job_update.rows(now, job_id, *values.values())
    if not moved:
        raise InvalidTransition(_("Label job {job}").format(job=job_id), require_job(job_id).state, state)
    job: LabelJob = moved[0]
    job.shipment = shipment_update.rows(now, job_id, *extra.values())[0]
    return job


#: the two UPDATEs of a move, compiled once per target state, set of columns and returning (``compiled``)
_MOVES: dict[tuple[State, tuple[str, ...], tuple[str, ...], bool], tuple[Compiled, Compiled]] = {}


def _moves(state: State, job_columns: tuple[str, ...], shipment_columns: tuple[str, ...],
           returning: bool = False) -> tuple[Compiled, Compiled]:
    key = (state, job_columns, shipment_columns, returning)
    found = _MOVES.get(key)
    if found is None:
        def job() -> Any:
            changes = {name: slot(2 + i, getattr(LabelJob, name)) for i, name in enumerate(job_columns)}
            update = (LabelJob.update(state=state, updated_at=slot(0, LabelJob.updated_at), **changes)
                      .where((LabelJob.job_id == slot(1)) & LabelJob.state.in_(_FROM[state])))
            return update.returning(LabelJob) if returning else update

        def shipment() -> Any:
            changes = {name: slot(2 + i, getattr(ShipmentRecord, name)) for i, name in enumerate(shipment_columns)}
            of_job = LabelJob.select(LabelJob.shipment).where(LabelJob.job_id == slot(1))
            update = (ShipmentRecord.update(state=state, attention_reason="",
                                            updated_at=slot(0, ShipmentRecord.updated_at), **changes)
                      .where(ShipmentRecord.id.in_(of_job)))
            return update.returning(ShipmentRecord) if returning else update
        found = _MOVES.setdefault(key, (Compiled(job), Compiled(shipment)))
    return found


#: the states a job may move to each state from
_FROM = {to: [state for state in State if can_transition(state, to)] for to in State}

#: the package at a position in line order gets its tracking number (a subquery: no read of the rows first); the
#: row's Acumatica id comes back (the write-back places the number there without reading the packages again)
_NUMBER_PACKAGE = Compiled(lambda: PackageRecord.update(
    tracking_number=slot(0), status_type="M", status_description="", delivered_at=None, signed_by="").where(
    PackageRecord.id.in_(PackageRecord.select(PackageRecord.id)
                         .where(PackageRecord.shipment.in_(LabelJob.select(LabelJob.shipment)
                                                           .where(LabelJob.job_id == slot(1))))
                         .order_by(PackageRecord.line_nbr, PackageRecord.id).limit(1).offset(slot(2))))
    .returning(PackageRecord.acumatica_id))


@dataclass(frozen=True)
class Labelled:
    """A job as :func:`record_label` left it (its shipment attached), and which package got which number."""

    job: LabelJob
    numbered: dict[str, str]  # Acumatica package id -> tracking number


def record_label(job_id: str, result: ShipResult, *, label_paths: Sequence[str] = ()) -> Labelled:
    """Commit what UPS answered in ONE transaction: tracking numbers (one per package, in line order),
    the UPS shipment id, charges and label files; job and shipment become ``labelled``. Returns them as
    written (the UPDATEs return their rows: nothing is read again)."""
    total = result.total_charges
    negotiated = result.negotiated_charges
    priced = total or negotiated
    numbered: dict[str, str] = {}
    with joined():  # no savepoint: a failure fails the caller's transaction
        job = _move_by_id(job_id, State.LABELLED, returning=True, ups_shipment_id=result.shipment_id,
                          tracking_numbers=list(result.tracking_numbers),
                          charges=total.amount if total else None,
                          currency=priced.currency if priced else "",
                          negotiated_charges=negotiated.amount if negotiated else None,
                          charges_with_taxes=_amount(result.total_charges_with_taxes),
                          negotiated_with_taxes=_amount(result.negotiated_charges_with_taxes),
                          label_paths=[str(p) for p in label_paths], last_error="")
        for position, number in enumerate(result.tracking_numbers):
            for package in _NUMBER_PACKAGE.rows(number, job_id, position):
                numbered[package.acumatica_id] = number
    assert job is not None  # returning=True
    return Labelled(job, numbered)


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


def mark_written_back(job_id: str, *, unless_moved_on: bool = False) -> bool:
    """The job is written back to Acumatica: job and shipment move on, and the shipment's wish to be confirmed
    again (``reconfirm``) is done with. ``unless_moved_on``: a job no longer ``labelled`` (another worker wrote
    it back, a person voided it) is left as it is and False returned, instead of ``InvalidTransition``."""
    with joined():  # no savepoint: a failure fails the caller's transaction
        try:
            _move_by_id(job_id, State.WRITTEN_BACK, shipment_values={"reconfirm": False},
                        written_back_at=utcnow(), last_error="")
        except InvalidTransition:  # nothing was written
            if unless_moved_on:
                return False
            raise
    return True


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
