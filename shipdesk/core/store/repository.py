"""Reading and writing the store: short transactions, one job each.

Writes that check before they write run in ``BEGIN IMMEDIATE`` transactions, so the UI worker, the sync
thread and a command-line process can all write at once: SQLite serialises them (waiting up to the busy
timeout) and no check is ever decided on data another writer is changing.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, NamedTuple, cast

from peewee import JOIN, AutoField, Case, chunked, fn

from shipdesk.acumatica.models import Shipment
from shipdesk.core.domain.states import LABEL_EXISTS, TRACKED, State, can_transition
from shipdesk.core.store.models import (
    AlertSubscription,
    LabelJob,
    PackageRecord,
    ShipmentRecord,
    SyncState,
    TrackingEvent,
    database_proxy,
    to_utc,
    utcnow,
)
from shipdesk.errors import InvalidTransition, LabelAlreadyExists, StoreError
from shipdesk.ups.models import ShipResult, TrackEvent

db = database_proxy


def _write() -> Any:
    return db.atomic("IMMEDIATE")


def _tuples(query: Any) -> Iterable[tuple[Any, ...]]:
    """Rows as plain tuples (the peewee stubs type ``.tuples()`` as model instances)."""
    return cast(Iterable[tuple[Any, ...]], query.tuples())


# -- shipments -------------------------------------------------------------------------------------
def get_shipment(shipment_nbr: str) -> ShipmentRecord | None:
    return ShipmentRecord.get_or_none(ShipmentRecord.shipment_nbr == shipment_nbr)


def require_shipment(shipment_nbr: str) -> ShipmentRecord:
    record = get_shipment(shipment_nbr)
    if record is None:
        raise StoreError(f"Shipment {shipment_nbr} is not in the local list.",
                         hint="Run a pull (Refresh) to load it from Acumatica.")
    return record


def _shipment_columns(shipment: Shipment, raw: Mapping[str, Any] | None) -> dict[str, Any]:
    address, contact = shipment.ship_to_address, shipment.ship_to_contact
    weights = [p.weight for p in shipment.packages if p.weight is not None]
    uoms = {p.uom for p in shipment.packages if p.uom}
    return {
        "acumatica_id": shipment.id,
        "status": shipment.status,
        "ship_via": shipment.ship_via,
        "customer_id": shipment.customer_id,
        # the name UPS prints: the company, or the person for a home delivery
        "ship_to_name": contact.business_name or contact.attention,
        "ship_to_attention": contact.attention,
        "ship_to_line1": address.line1,
        "ship_to_line2": address.line2,
        "ship_to_city": address.city,
        "ship_to_state": address.state,
        "ship_to_postal_code": address.postal_code,
        "ship_to_country": address.country,
        "ship_to_phone": contact.phone,
        "ship_to_email": contact.email,
        "order_numbers": ", ".join(f"{o.order_type} {o.order_nbr}" for o in shipment.orders),
        "package_count": len(shipment.packages) or (shipment.package_count or 0),
        "total_weight": sum(weights, Decimal(0)) if weights else shipment.package_weight,
        "weight_unit": uoms.pop() if len(uoms) == 1 else "",
        "last_modified": shipment.last_modified,
        "raw_json": json.dumps(raw if raw is not None else {}, default=str),
        "residential": shipment.residential,
    }


def upsert_shipment(shipment: Shipment, *, raw: Mapping[str, Any] | None = None) -> ShipmentRecord:
    """Store a shipment as pulled from Acumatica. A new one starts ``pending``; an existing one keeps
    its state and its packages' tracking results (Acumatica rows are matched by their id)."""
    now = utcnow()
    columns = _shipment_columns(shipment, raw)
    with _write():
        known = (ShipmentRecord.select(ShipmentRecord.id, ShipmentRecord.address_status)
                 .where(ShipmentRecord.shipment_nbr == shipment.shipment_nbr).first())
        if known is None:
            record_id = ShipmentRecord.insert(shipment_nbr=shipment.shipment_nbr, state=State.PENDING.value,
                                              pulled_at=now, updated_at=now, **columns).execute()
        else:
            record_id = known.id
            if known.address_status:
                columns.pop("residential")  # UPS's classification beats Acumatica's flag
            ShipmentRecord.update(pulled_at=now, updated_at=now, **columns).where(
                ShipmentRecord.id == record_id).execute()
        seen: list[str] = []
        for package in shipment.packages:
            seen.append(package.id)
            values = {
                "line_nbr": package.line_nbr, "box_id": package.box_id, "weight": package.weight,
                "uom": package.uom, "length": package.length, "width": package.width,
                "height": package.height, "declared_value": package.declared_value,
            }
            updated = PackageRecord.update(**values).where(
                (PackageRecord.shipment == record_id) & (PackageRecord.acumatica_id == package.id)).execute()
            if not updated:
                PackageRecord.create(shipment=record_id, acumatica_id=package.id,
                                     tracking_number=package.tracking_nbr, **values)
        # rows deleted in Acumatica go, unless they carry a label we made
        PackageRecord.delete().where(
            (PackageRecord.shipment == record_id) & PackageRecord.acumatica_id.not_in(seen)
            & (PackageRecord.tracking_number == "")).execute()
    return require_shipment(shipment.shipment_nbr)


def import_new_shipments(shipments: Sequence[Shipment]) -> int:
    """Insert, in bulk, the shipments not stored yet (a first pull of a large backlog); ones already
    stored are left alone (``upsert_shipment`` refreshes those). Returns how many were new."""
    now = utcnow()
    rows = [{"shipment_nbr": s.shipment_nbr, "state": State.PENDING.value, "pulled_at": now,
             "updated_at": now, **_shipment_columns(s, None)} for s in shipments]
    by_nbr = {s.shipment_nbr: s for s in shipments}
    with _write():
        new_nbrs = set(by_nbr)
        for batch in chunked(list(by_nbr), 500):
            known = ShipmentRecord.select(ShipmentRecord.shipment_nbr).where(
                ShipmentRecord.shipment_nbr.in_(batch))
            new_nbrs -= {row[0] for row in _tuples(known)}
        _bulk_insert(ShipmentRecord, [r for r in rows if r["shipment_nbr"] in new_nbrs])
        packages: list[dict[str, Any]] = []
        for batch in chunked(sorted(new_nbrs), 500):
            ids = ShipmentRecord.select(ShipmentRecord.shipment_nbr, ShipmentRecord.id).where(
                ShipmentRecord.shipment_nbr.in_(batch))
            for nbr, record_id in _tuples(ids):
                packages.extend({
                    "shipment": record_id, "acumatica_id": p.id, "line_nbr": p.line_nbr, "box_id": p.box_id,
                    "weight": p.weight, "uom": p.uom, "length": p.length, "width": p.width,
                    "height": p.height, "declared_value": p.declared_value, "tracking_number": p.tracking_nbr,
                } for p in by_nbr[nbr].packages)
        _bulk_insert(PackageRecord, packages)
    return len(new_nbrs)


def _bulk_insert(model: Any, rows: Sequence[Mapping[str, Any]]) -> None:
    """executemany with peewee's column conversions: peewee's own insert_many spends seconds building
    SQL text for tens of thousands of rows."""
    if not rows:
        return
    columns = [f for f in model._meta.sorted_fields if not isinstance(f, AutoField)]
    defaults = {f.name: (f.default() if callable(f.default) else f.default) for f in columns}
    sql = 'INSERT INTO "{}" ({}) VALUES ({})'.format(
        model._meta.table_name, ", ".join(f'"{c.column_name}"' for c in columns), ", ".join("?" * len(columns)))
    params = [tuple(c.db_value(row.get(c.name, defaults[c.name])) for c in columns) for row in rows]
    db.cursor().executemany(sql, params)


def set_state(shipment_nbr: str, state: State, *, reason: str = "") -> None:
    """Move a shipment to ``state`` before it has a label job (pending/validating/ready/needs_attention);
    once a job exists use ``mark_job`` & co, which move job and shipment together.

    ``reason`` is the sentence shown for needs_attention / failed; any other state clears it."""
    with _write():
        record = require_shipment(shipment_nbr)
        current = State(record.state)
        if not can_transition(current, state):
            raise InvalidTransition(f"Shipment {shipment_nbr}", current, state)
        ShipmentRecord.update(state=state.value, attention_reason=reason, updated_at=utcnow()).where(
            ShipmentRecord.id == record.id).execute()


def record_address_check(shipment_nbr: str, *, status: str, classification: str = "",
                         residential: bool | None = None, override_reason: str = "") -> None:
    """Keep the UPS address validation outcome (``status`` valid/ambiguous/no_candidates/overridden)."""
    with _write():
        record = require_shipment(shipment_nbr)
        values: dict[str, Any] = {"address_status": status, "address_classification": classification,
                                  "address_override_reason": override_reason,
                                  "address_checked_at": utcnow(), "updated_at": utcnow()}
        if residential is not None:
            values["residential"] = residential
        ShipmentRecord.update(**values).where(ShipmentRecord.id == record.id).execute()


def packages_of(shipment_nbr: str) -> list[PackageRecord]:
    return list(PackageRecord.select().join(ShipmentRecord).where(ShipmentRecord.shipment_nbr == shipment_nbr)
                .order_by(PackageRecord.line_nbr, PackageRecord.id))


# -- listing for the UI table -----------------------------------------------------------------------
class ShipmentRow(NamedTuple):
    shipment_nbr: str
    state: str
    status: str
    customer_id: str
    ship_to_name: str
    ship_to_city: str
    ship_to_state: str
    ship_to_country: str
    ship_via: str
    order_numbers: str
    package_count: int
    total_weight: Decimal | None
    weight_unit: str
    attention_reason: str
    tracking_numbers: str  # "1Z..., 1Z..." (empty until labelled)
    last_modified: datetime | None
    last_event: str = ""  # the latest UPS status of the most recently tracked package ("" before any)
    delivered_at: datetime | None = None  # when the last package was delivered, once every one is


@dataclass(frozen=True)
class ShipmentListing:
    rows: list[ShipmentRow]
    counts: dict[str, int]  # state value → number of shipments (all states, whatever the filter)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def list_shipments(states: Collection[State] | None = None, *, search: str = "") -> ShipmentListing:
    """Everything the shipments table shows, as plain tuples in one query, plus counts per state."""
    s, p = ShipmentRecord, PackageRecord
    tracking = fn.GROUP_CONCAT(fn.NULLIF(p.tracking_number, ""), ", ")
    # the sync keeps each package's latest status on the package row (tracking.record_tracking), so
    # the newest one is a lookup through the package(shipment) index, not a scan of tracking_event
    latest = PackageRecord.alias("latest")
    last_event = (latest.select(latest.status_description)
                  .where((latest.shipment == s.id) & (latest.status_description != ""))
                  .order_by(latest.tracked_at.desc(), latest.id.desc()).limit(1))
    undelivered = fn.SUM(Case(None, [(((p.tracking_number != "") & p.delivered_at.is_null()), 1)], 0))
    delivered = Case(None, [((fn.COUNT(p.delivered_at) > 0) & (undelivered == 0), fn.MAX(p.delivered_at))],
                     None)
    query = (
        s.select(s.shipment_nbr, s.state, s.status, s.customer_id, s.ship_to_name, s.ship_to_city,
                 s.ship_to_state, s.ship_to_country, s.ship_via, s.order_numbers, s.package_count,
                 s.total_weight, s.weight_unit, s.attention_reason, fn.COALESCE(tracking, ""),
                 s.last_modified, fn.COALESCE(last_event, ""), delivered)
        .join(p, JOIN.LEFT_OUTER, on=(p.shipment == s.id))
        .group_by(s.id)
        .order_by(s.shipment_nbr.desc())
    )
    if states:
        query = query.where(s.state.in_([State(x).value for x in states]))
    if search.strip():
        like = f"%{search.strip()}%"
        query = query.where(s.shipment_nbr.contains(search.strip()) | s.ship_to_name ** like
                            | s.order_numbers ** like | s.customer_id ** like | p.tracking_number ** like)
    with db.atomic():  # one snapshot for rows and counts
        rows = [ShipmentRow._make((*t[:-1], _utc_or_none(t[-1]))) for t in _tuples(query)]
        counts = {state: int(n) for state, n in _tuples(s.select(s.state, fn.COUNT(s.id)).group_by(s.state))}
    return ShipmentListing(rows=rows, counts=counts)


def _utc_or_none(stored: Any) -> datetime | None:
    """A stored UTC time read through a CASE, which peewee cannot convert (the field's text form)."""
    if isinstance(stored, datetime):
        return stored
    return to_utc(datetime.fromisoformat(stored)) if stored else None


# -- label jobs --------------------------------------------------------------------------------------
def start_label_job(shipment_nbr: str, request: Mapping[str, Any], *, label_format: str,
                    allow_second_label: bool = False) -> str:
    """Write a label job and move it to ``requesting`` (``prepare_label_job`` then ``begin_request``);
    returns its job id (the transId). The ship flow calls the two steps itself, under the job lock."""
    job_id = prepare_label_job(shipment_nbr, request, label_format=label_format,
                               allow_second_label=allow_second_label)
    begin_request(job_id, allow_second_label=allow_second_label)
    return job_id


def prepare_label_job(shipment_nbr: str, request: Mapping[str, Any], *, label_format: str,
                      job_id: str | None = None, allow_second_label: bool = False) -> str:
    """Commit a label job as ``ready`` (prepared: nothing sent to UPS yet) with the request to send.

    With ``job_id``, a prepared job an earlier run left behind is continued under the SAME id and gets the
    request rebuilt from fresh data. Refuses (``LabelAlreadyExists``) while another job for the shipment
    has or may have a label, unless the user explicitly asked for a second label."""
    with _write():
        record = require_shipment(shipment_nbr)
        if not allow_second_label:
            _refuse_if_labelled(record, shipment_nbr, other_than=job_id)
        now = utcnow()
        body = json.dumps(request, default=str)
        if job_id is not None:
            job = require_job(job_id)
            if State(job.state) != State.READY:
                raise InvalidTransition(f"Label job {job_id}", State(job.state), State.READY)
            LabelJob.update(request_json=body, label_format=label_format, attempts=LabelJob.attempts + 1,
                            updated_at=now).where(LabelJob.id == job.id).execute()
            return job_id
        job_id = str(uuid.uuid4())
        LabelJob.create(job_id=job_id, shipment=record.id, state=State.READY.value, attempts=1,
                        request_json=body, label_format=label_format, created_at=now, updated_at=now)
    return job_id


def begin_request(job_id: str, *, allow_second_label: bool = False) -> None:
    """Prepared → ``requesting``, in its own short transaction, right before the UPS Ship call.

    Raises ``InvalidTransition`` when the job is no longer prepared (another worker took it) and
    ``LabelAlreadyExists`` when another job of the shipment got a label meanwhile."""
    with _write():
        job = require_job(job_id)
        record = ShipmentRecord.get_by_id(job.shipment_id)
        if not allow_second_label:
            _refuse_if_labelled(record, record.shipment_nbr, other_than=job_id)
        current = State(record.state)
        if not allow_second_label and not can_transition(current, State.REQUESTING):
            raise InvalidTransition(f"Shipment {record.shipment_nbr}", current, State.REQUESTING)
        if State(job.state) != State.READY:
            raise InvalidTransition(f"Label job {job_id}", State(job.state), State.REQUESTING)
        now = utcnow()
        LabelJob.update(state=State.REQUESTING.value, updated_at=now).where(LabelJob.id == job.id).execute()
        ShipmentRecord.update(state=State.REQUESTING.value, attention_reason="", updated_at=now).where(
            ShipmentRecord.id == record.id).execute()


def _refuse_if_labelled(record: ShipmentRecord, shipment_nbr: str, *, other_than: str | None) -> None:
    has_label = LabelJob.state.in_([x.value for x in LABEL_EXISTS])
    query = LabelJob.select().where((LabelJob.shipment == record.id) & has_label)
    if other_than is not None:
        query = query.where(LabelJob.job_id != other_than)
    existing = query.first()
    if existing is not None:
        raise LabelAlreadyExists(
            f"Shipment {shipment_nbr} already has a label job ({State(existing.state).label}).",
            hint="Void it first, or choose 'Create a second label' if you really need one.")


def get_job(job_id: str) -> LabelJob | None:
    return LabelJob.get_or_none(LabelJob.job_id == job_id)


def require_job(job_id: str) -> LabelJob:
    job = get_job(job_id)
    if job is None:
        raise StoreError(f"Label job {job_id} is not in the local database.")
    return job


def latest_job(shipment_nbr: str) -> LabelJob | None:
    return (LabelJob.select().join(ShipmentRecord).where(ShipmentRecord.shipment_nbr == shipment_nbr)
            .order_by(LabelJob.created_at.desc(), LabelJob.id.desc()).first())


def jobs_in(*states: State) -> list[LabelJob]:
    """Label jobs in any of ``states``, oldest first (e.g. labelled ones the sync must write back)."""
    return list(LabelJob.select(LabelJob, ShipmentRecord).join(ShipmentRecord)
                .where(LabelJob.state.in_([s.value for s in states])).order_by(LabelJob.id))


def _move_job(job: LabelJob, state: State, **values: Any) -> None:
    current = State(job.state)
    if not can_transition(current, state):
        raise InvalidTransition(f"Label job {job.job_id}", current, state)
    now = utcnow()
    LabelJob.update(state=state.value, updated_at=now, **values).where(LabelJob.id == job.id).execute()
    reason = values.get("last_error", "") if state in (State.FAILED, State.NEEDS_ATTENTION) else ""
    ShipmentRecord.update(state=state.value, attention_reason=reason, updated_at=now).where(
        ShipmentRecord.id == job.shipment_id).execute()


def record_label(job_id: str, result: ShipResult, *, label_paths: Sequence[str] = ()) -> None:
    """Commit what UPS answered in ONE transaction: tracking numbers (one per package, in line order),
    the UPS shipment id, charges and label files; job and shipment become ``labelled``."""
    total = result.total_charges
    negotiated = result.negotiated_charges
    priced = total or negotiated
    with _write():
        job = require_job(job_id)
        _move_job(job, State.LABELLED, ups_shipment_id=result.shipment_id,
                  tracking_numbers_json=json.dumps(list(result.tracking_numbers)),
                  charges=total.amount if total else None,
                  currency=priced.currency if priced else "",
                  negotiated_charges=negotiated.amount if negotiated else None,
                  label_paths_json=json.dumps([str(p) for p in label_paths]), last_error="")
        packages = list(PackageRecord.select().where(PackageRecord.shipment == job.shipment_id)
                        .order_by(PackageRecord.line_nbr, PackageRecord.id))
        for package, number in zip(packages, result.tracking_numbers, strict=False):
            PackageRecord.update(tracking_number=number, status_type="M", status_description="",
                                 delivered_at=None, signed_by="").where(
                PackageRecord.id == package.id).execute()


def mark_job(job_id: str, state: State, *, error: str = "") -> None:
    """Move a job (and its shipment) to ``state``; ``error`` is kept as the job's last error."""
    with _write():
        _move_job(require_job(job_id), state, last_error=error)


def note_job_error(job_id: str, error: str) -> None:
    """Keep an error without changing state (e.g. write-back failed: stays labelled, the sync retries)."""
    with _write():
        LabelJob.update(last_error=error, attempts=LabelJob.attempts + 1, updated_at=utcnow()).where(
            LabelJob.job_id == job_id).execute()


def mark_written_back(job_id: str) -> None:
    with _write():
        _move_job(require_job(job_id), State.WRITTEN_BACK, written_back_at=utcnow(), last_error="")


def mark_printed(job_id: str) -> None:
    with _write():
        LabelJob.update(printed_at=utcnow()).where(LabelJob.job_id == job_id).execute()


def mark_voided(job_id: str) -> None:
    """The UPS shipment is voided: the job is voided and the packages lose their tracking numbers."""
    with _write():
        job = require_job(job_id)
        _move_job(job, State.VOIDED, voided_at=utcnow())
        numbers = json.loads(job.tracking_numbers_json or "[]")
        of_job = (PackageRecord.shipment == job.shipment_id) & PackageRecord.tracking_number.in_(numbers)
        cleared = {"tracking_number": "", "status_type": "", "status_description": ""}
        PackageRecord.update(**cleared).where(of_job).execute()


def job_tracking_numbers(job: LabelJob) -> list[str]:
    return list(json.loads(job.tracking_numbers_json or "[]"))


def job_label_paths(job: LabelJob) -> list[str]:
    return list(json.loads(job.label_paths_json or "[]"))


# -- tracking ----------------------------------------------------------------------------------------
def add_tracking_events(tracking_number: str, events: Iterable[TrackEvent], *, source: str = "poll") -> int:
    """Store scan events; an event already stored (same number, time, code, description) is skipped.
    Returns how many were new."""
    rows = [{
        "tracking_number": tracking_number, "status_type": e.status_type, "status_code": e.status_code,
        "description": e.description, "location": e.location, "occurred_at": to_utc(e.occurred_at),
        "occurred_local": e.occurred_at.isoformat(), "source": source, "received_at": utcnow(),
    } for e in events]
    if not rows:
        return 0
    before_count = TrackingEvent.select().where(TrackingEvent.tracking_number == tracking_number)
    with _write():
        before = before_count.count()
        TrackingEvent.insert_many(rows).on_conflict_ignore().execute()
        return int(before_count.count() - before)


def tracking_events(tracking_number: str) -> list[TrackingEvent]:
    """Stored events, newest first."""
    return list(TrackingEvent.select().where(TrackingEvent.tracking_number == tracking_number)
                .order_by(TrackingEvent.occurred_at.desc()))


def record_package_status(tracking_number: str, *, status_type: str, description: str = "",
                          delivered_at: datetime | None = None, signed_by: str = "") -> None:
    """The package's latest UPS status (and delivery, once delivered)."""
    values: dict[str, Any] = {"status_type": status_type, "status_description": description,
                              "tracked_at": utcnow()}
    if delivered_at is not None:
        values.update(delivered_at=delivered_at, signed_by=signed_by)
    with _write():
        PackageRecord.update(**values).where(PackageRecord.tracking_number == tracking_number).execute()


def tracked_numbers() -> list[str]:
    """Tracking numbers the sync should poll: labelled, not delivered, not voided."""
    query = (PackageRecord.select(PackageRecord.tracking_number).join(ShipmentRecord)
             .where((PackageRecord.tracking_number != "") & PackageRecord.delivered_at.is_null()
                    & ShipmentRecord.state.in_([s.value for s in TRACKED]))
             .order_by(PackageRecord.id))
    return [row[0] for row in _tuples(query)]


# -- Track Alert subscriptions ---------------------------------------------------------------------
def save_subscription(tracking_number: str, *, subscribed_at: datetime, expires_at: datetime) -> None:
    with _write():
        (AlertSubscription.insert(tracking_number=tracking_number, subscribed_at=subscribed_at,
                                  expires_at=expires_at, active=True)
         .on_conflict(conflict_target=[AlertSubscription.tracking_number],
                      update={AlertSubscription.subscribed_at: subscribed_at,
                              AlertSubscription.expires_at: expires_at, AlertSubscription.active: True})
         .execute())


def subscriptions_expiring(before: datetime) -> list[str]:
    """Active subscriptions that end before ``before`` (renew them while the package is in transit)."""
    query = (AlertSubscription.select(AlertSubscription.tracking_number)
             .where(AlertSubscription.active & (AlertSubscription.expires_at < to_utc(before)))
             .order_by(AlertSubscription.expires_at))
    return [row[0] for row in _tuples(query)]


def end_subscription(tracking_number: str) -> None:
    with _write():
        AlertSubscription.update(active=False).where(
            AlertSubscription.tracking_number == tracking_number).execute()


# -- sync state (watermarks, last run times, outage flags) --------------------------------------------
WATERMARK_SHIPMENTS = "acumatica.shipments.modified_since"


def get_value(key: str, default: str | None = None) -> str | None:
    row = SyncState.get_or_none(SyncState.key == key)
    return row.value if row is not None else default


def set_value(key: str, value: str) -> None:
    with _write():
        (SyncState.insert(key=key, value=value, updated_at=utcnow())
         .on_conflict(conflict_target=[SyncState.key],
                      update={SyncState.value: value, SyncState.updated_at: utcnow()})
         .execute())


def get_time(key: str) -> datetime | None:
    value = get_value(key)
    return to_utc(datetime.fromisoformat(value)) if value else None


def set_time(key: str, value: datetime) -> None:
    set_value(key, to_utc(value).isoformat())
