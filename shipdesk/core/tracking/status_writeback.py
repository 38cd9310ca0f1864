"""What customer service sees in Acumatica about a labelled shipment, and writing it only when it changed.

For each shipment the sync queued (``scans.pending_status_writebacks``) it composes:
- one status line in the shipment's note: ``[shipdesk] UPS: Delivered 2026-11-26 14:02, signed by SMITH``
  (or the latest scan while in transit, or the exception);
- a line in each linked sales order's note, under a per-shipment marker (``[shipdesk SH000123] ...``) so an
  order with several shipments keeps one line for each: by default (``[acumatica] order_note = "outcomes"``) only
  the outcomes customer service acts on (delivered, an exception, returned), and "In transit" again after one;
  with ``"every_change"`` the shipment's own line at every change (see :func:`order_line`);
- the custom fields named in ``[acumatica.custom_fields]`` (status, delivered date, signed by), when set.
The client's note merge keeps every line a person wrote. What was written is remembered in the store
(``store.status_writes``) part by part, so a repeated run (or a retry after a failure half-way) sends only
what differs: a second cycle with nothing new sends no write at all. Times are the scan's local time, as UPS shows them.
The sync's step (:func:`write_queued`) drains the queue with one signed-in client.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from shipdesk.acumatica.client import AcumaticaClient
from shipdesk.acumatica.errors import FieldsNotSaved
from shipdesk.acumatica.notes import KEY_FIELDS, NoteEntity, merge_status_line
from shipdesk.acumatica.parse import note_of
from shipdesk.core.settings.config import CustomFields, OrderNote
from shipdesk.core.store import shipments, status_writes, tracking, transaction
from shipdesk.core.store.models import PackageRecord, TrackingEvent
from shipdesk.core.tracking import scans
from shipdesk.core.tracking.cycle_report import CycleReport
from shipdesk.core.tracking.outages import CycleHealth
from shipdesk.errors import ApiRefused, NotFound, RemoteError, Service, ShipdeskError
from shipdesk.i18n import N_, _, ngettext

log = logging.getLogger(__name__)

#: read by customer service in Acumatica's notes: translated when the line is written (N_ here)
CATEGORY_LABELS = {
    scans.LABEL_CREATED: N_("Label created"), scans.IN_TRANSIT: N_("In transit"),
    scans.EXCEPTION: N_("Exception"), scans.DELIVERED: N_("Delivered"), scans.RETURNED: N_("Returned to sender"),
    scans.VOIDED: N_("Voided"),
}


@dataclass(frozen=True)
class PackageView:
    tracking_number: str
    category: str
    description: str
    location: str
    scanned_at: datetime | None  # local time at the scan, with its offset
    delivered_at: datetime | None
    signed_by: str


@dataclass(frozen=True)
class StatusWrite:
    shipment_nbr: str
    shipment_line: str
    order_lines: dict[str, str] = field(default_factory=dict)  # "SO 000123" → line
    custom_fields: dict[str, Any] = field(default_factory=dict)
    #: a return label's line goes on the shipment it returns, under the return's own marker
    note_shipment: str = ""
    marker: str = "[shipdesk]"
    #: the order lines go only to orders that already show a line of this shipment (see :func:`order_line`)
    orders_only_if_written: bool = False


# -- composing ----------------------------------------------------------------------------------------
def _stamp(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else ""


def _signers(packages: list[PackageView]) -> str:
    return ", ".join(dict.fromkeys(p.signed_by for p in packages if p.signed_by))


def status_line(packages: list[PackageView]) -> str:
    """The one line for the shipment; "" while UPS has only the label (nothing worth writing yet)."""
    live = [p for p in packages if p.category != scans.VOIDED]
    moved = [p for p in live if p.category != scans.LABEL_CREATED]
    if not moved:
        return ""
    several = len(live) > 1
    trouble = [p for p in live if p.category in (scans.EXCEPTION, scans.RETURNED)]
    if trouble:
        p = trouble[0]
        status = _(CATEGORY_LABELS[p.category])  # i18n: N_()-marked above
        line = _("UPS: {status} {time} - {description}").format(status=status, time=_stamp(p.scanned_at),
                                                               description=p.description)
        if p.location:
            line += f", {p.location}"
        if several:
            line += " " + _("(package {tracking})").format(tracking=p.tracking_number)
        return line.strip()
    delivered = [p for p in live if p.category == scans.DELIVERED]
    if len(delivered) == len(live):
        last = max(delivered, key=lambda p: _moment(p.delivered_at or p.scanned_at))
        signed = _signers(delivered)
        when = _stamp(last.delivered_at or last.scanned_at)
        if several:
            line = _("UPS: Delivered {time} ({count} packages)").format(time=when, count=len(live))
        else:
            line = _("UPS: Delivered {time}").format(time=when)
        return _("{status}, signed by {names}").format(status=line, names=signed) if signed else line
    latest = max((p for p in live if p.category != scans.DELIVERED), key=lambda p: _moment(p.scanned_at))
    scan = ", ".join(part for part in (latest.description, latest.location, _stamp(latest.scanned_at)) if part)
    line = _("UPS: In transit - {scan}").format(scan=scan) if scan else _("UPS: In transit")
    if delivered:
        line += " " + _("({delivered} of {count} packages delivered)").format(delivered=len(delivered), count=len(live))
    return line


def order_line(packages: list[PackageView], line: str, note_shipment: str, mode: OrderNote) -> tuple[str, bool]:
    """The line for the shipment's sales orders, and whether it goes only to orders that already show one.

    ``every_change``: the shipment's own line. ``outcomes``: the shipment's line when it is an outcome (delivered,
    an exception, returned); while the packages are simply moving, a fixed "In transit" line that points at the
    shipment's note, and only to an order that shows an earlier line (an exception that is over), so it does
    not stay there. Each order write costs a read of the order's note (people write in it, and a PUT replaces
    it whole) and a PUT: in-transit scans change every hour or so, outcomes once."""
    if not line or mode == OrderNote.EVERY_CHANGE:
        return line, False
    if shipment_status(packages) != CATEGORY_LABELS[scans.IN_TRANSIT]:
        return line, False
    return _("UPS: In transit (the latest scan is in the note of shipment {number})").format(number=note_shipment), True


def _moment(when: datetime | None) -> float:
    return when.timestamp() if when else float("-inf")


def shipment_status(packages: list[PackageView]) -> str:
    """The one-word status for a custom field."""
    live = [p for p in packages if p.category != scans.VOIDED]
    for category in (scans.EXCEPTION, scans.RETURNED):
        if any(p.category == category for p in live):
            return CATEGORY_LABELS[category]
    if live and all(p.category == scans.DELIVERED for p in live):
        return CATEGORY_LABELS[scans.DELIVERED]
    return CATEGORY_LABELS[scans.IN_TRANSIT]


def _local(event: TrackingEvent | None) -> datetime | None:
    if event is None:
        return None
    try:
        return datetime.fromisoformat(event.occurred_local)
    except (TypeError, ValueError):
        return event.occurred_at


def package_views(shipment_nbr: str) -> list[PackageView]:
    views = []
    for package in shipments.packages_of(shipment_nbr):
        if not package.tracking_number:
            continue
        views.append(_view(package))
    return views


def _view(package: PackageRecord) -> PackageView:
    latest = scans.latest_event(package.tracking_number)
    category = scans.package_category(package.status_type, package.status_description,
                                         latest.status_code if latest else "")
    delivered = None
    if package.delivered_at is not None:
        delivered = _local(tracking.event_at(package.tracking_number, package.delivered_at)) or package.delivered_at
    return PackageView(package.tracking_number, category,
                       latest.description if latest else package.status_description,
                       latest.location if latest else "", _local(latest), delivered, package.signed_by)


def _orders(order_numbers: str) -> list[tuple[str, str]]:
    """"SO 000123, SO 000124" → [("SO", "000123"), ("SO", "000124")]."""
    pairs = []
    for item in order_numbers.split(","):
        kind, _sep, nbr = item.strip().partition(" ")
        if kind and nbr.strip():
            pairs.append((kind, nbr.strip()))
    return pairs


def compose(shipment_nbr: str, fields: CustomFields, order_note: OrderNote = OrderNote.OUTCOMES) -> StatusWrite:
    packages = package_views(shipment_nbr)
    line = status_line(packages)
    record = shipments.require_shipment(shipment_nbr)
    # a return written to its RMA order has no line on a shipment: that order follows every change
    mode = OrderNote.EVERY_CHANGE if record.return_of and record.order_numbers else order_note
    for_orders, only_if_written = order_line(packages, line, record.return_of or shipment_nbr, mode)
    orders = {f"{kind} {nbr}": for_orders for kind, nbr in _orders(record.order_numbers)} if for_orders else {}
    custom: dict[str, Any] = {}
    if line:
        delivered = [p for p in packages if p.category == scans.DELIVERED]
        all_delivered = bool(delivered) and shipment_status(packages) == CATEGORY_LABELS[scans.DELIVERED]
        if fields.status:
            custom[fields.status] = shipment_status(packages)
        if all_delivered and fields.delivered_date:
            last = max((p.delivered_at for p in delivered if p.delivered_at), default=None)
            if last is not None:
                custom[fields.delivered_date] = last.replace(tzinfo=None)  # the local delivery time
        if all_delivered and fields.signed_by and _signers(delivered):
            custom[fields.signed_by] = _signers(delivered)
    if record.return_of:  # written where the return was (return_writeback), never in the outbound label's fields
        return StatusWrite(shipment_nbr, "" if record.order_numbers else line, orders, {},
                           note_shipment=record.return_of, marker=f"[shipdesk {shipment_nbr}]",
                           orders_only_if_written=only_if_written)
    return StatusWrite(shipment_nbr, line, orders, custom, orders_only_if_written=only_if_written)


# -- writing --------------------------------------------------------------------------------------------
def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime | date) else value


def _written(shipment_nbr: str) -> dict[str, Any]:
    return status_writes.written(shipment_nbr)


def _remember(shipment_nbr: str, written: dict[str, Any]) -> None:
    status_writes.remember_written(shipment_nbr, written)


@dataclass
class _Task:
    """One shipment's writes, decided from what was last written (main thread), sent by a worker."""

    plan: StatusWrite
    written: dict[str, Any]
    line: str = ""  # the shipment note's line to write ("": unchanged)
    custom: dict[str, Any] = field(default_factory=dict)  # custom fields that differ
    orders: dict[str, str] = field(default_factory=dict)  # "SO 000123" → line, those that differ

    @property
    def note_keys(self) -> tuple[str]:
        return (self.plan.note_shipment or self.plan.shipment_nbr,)

    @property
    def empty(self) -> bool:
        return not (self.line or self.custom or self.orders)


@dataclass
class _Sent:
    """What a worker got done for one task, even when it stopped half-way (``error``)."""

    writes: int = 0
    line: str | None = None  # the line written (or refused: ``line_refused``)
    line_refused: bool = False
    custom_kept: dict[str, Any] = field(default_factory=dict)
    custom_refused: dict[str, Any] = field(default_factory=dict)
    orders_done: dict[str, str] = field(default_factory=dict)
    not_saved: list[_NotSaved] = field(default_factory=list)
    error: ShipdeskError | None = None


@dataclass(frozen=True)
class _NotSaved:
    """What a caught :class:`FieldsNotSaved` said, without the error: its traceback's frames hold the task, the
    thread's future and locks, a reference cycle of thousands of objects per chunk that only a full garbage
    collection frees (tens of milliseconds with the GIL held: a stall of the desktop app)."""

    message: str
    fields: dict[str, tuple[Any, Any]]
    status: str

    @classmethod
    def of(cls, exc: FieldsNotSaved) -> _NotSaved:
        return cls(exc.message, dict(exc.fields), exc.record_status)


def _task(plan: StatusWrite) -> _Task:
    written = _written(plan.shipment_nbr)
    task = _Task(plan, written)
    line = plan.shipment_line
    if line and line not in (written.get("shipment"), written.get("shipment_refused")):
        task.line = line
    custom, refused = written.get("custom", {}), written.get("custom_refused", {})
    task.custom = {name: value for name, value in plan.custom_fields.items()
                   if custom.get(name) != _plain(value) and refused.get(name) != _plain(value)}
    orders = written.get("orders", {})
    task.orders = {order: line for order, line in plan.order_lines.items()
                   if orders.get(order) != line and (orders.get(order) or not plan.orders_only_if_written)}
    return task


def _order_keys(order: str) -> tuple[str, str]:
    kind, _sep, order_nbr = order.partition(" ")
    return kind, order_nbr.strip()


def _current_note(acu: AcumaticaClient, entity: NoteEntity, keys: tuple[str, ...],
                  read: dict[tuple[str, ...], str]) -> str:
    """The note as the list read found it a moment ago, else read alone now."""
    if keys in read:
        return read[keys]
    record = acu.read_record(entity, KEY_FIELDS[entity], keys, doing=_("read the note of {entity} {keys}").format(
        entity=entity, keys=' '.join(keys)))
    return note_of(record) if isinstance(record, dict) else ""


class _OrderLocks:
    """One lock per sales order: shipments of the same order are written one after another, each merging into
    the note as the one before saved it (else two PUTs from the same read would drop each other's line)."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[tuple[str, ...], threading.Lock] = {}

    def of(self, keys: tuple[str, ...]) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(keys, threading.Lock())


def _send(acu: AcumaticaClient, task: _Task, shipment_notes: dict[tuple[str, ...], str],
          order_notes: dict[tuple[str, ...], str], order_locks: _OrderLocks) -> _Sent:
    """The shipment's note and custom fields in one PUT (two when the line goes on another shipment), then each
    order's note. Never raises: an error ends the task and comes back in ``error`` with what was done before it."""
    sent = _Sent()
    nbr = task.plan.shipment_nbr
    try:
        note = None
        if task.line:
            current = _current_note(acu, "Shipment", task.note_keys, shipment_notes)
            merged = merge_status_line(current, task.line, marker=task.plan.marker)
            note = merged if merged != current else None
        together = task.note_keys == (nbr,)
        puts: list[tuple[tuple[str, ...], str | None, dict[str, Any]]] = [
            (task.note_keys, note, task.custom if together else {})]
        if not together and task.custom:
            puts.append(((nbr,), None, task.custom))
        for keys, put_note, custom in puts:
            if put_note is None and not custom:
                continue
            try:
                acu.save_note("Shipment", keys, put_note, custom=custom)
            except FieldsNotSaved as exc:  # the rest is still worth writing; what did not stick is said once
                sent.not_saved.append(_NotSaved.of(exc))
                sent.line_refused = sent.line_refused or "note" in exc.fields
                sent.custom_refused.update({n: _plain(v) for n, v in custom.items() if n in exc.fields})
                sent.custom_kept.update({n: _plain(v) for n, v in custom.items() if n not in exc.fields})
            else:
                sent.custom_kept.update({n: _plain(v) for n, v in custom.items()})
            sent.writes += 1
        if task.line:
            sent.line = task.line
        for order, line in task.orders.items():
            keys = _order_keys(order)
            try:
                with order_locks.of(keys):
                    current = _current_note(acu, "SalesOrder", keys, order_notes)
                    merged = merge_status_line(current, line, marker=f"[shipdesk {nbr}]")
                    if merged != current:
                        acu.save_note("SalesOrder", keys, merged)
                        sent.writes += 1
                        order_notes[keys] = merged  # the next shipment of this order merges into what was saved
            except NotFound:  # the order was deleted: nothing to tell it, and no reason to try again
                log.warning("sales order %s of shipment %s no longer exists in Acumatica", order, nbr)
            except FieldsNotSaved as exc:
                sent.not_saved.append(_NotSaved.of(exc))
                continue
            sent.orders_done[order] = line
    except ShipdeskError as exc:
        sent.error = exc.with_traceback(None)  # kept for the main thread: see _NotSaved
    return sent


def _keep(task: _Task, sent: _Sent) -> None:
    """Remember in SyncState what Acumatica took, so only the rest is sent next time."""
    written = task.written
    if sent.line is not None:
        written["shipment_refused" if sent.line_refused else "shipment"] = sent.line
    custom: dict[str, Any] = written.setdefault("custom", {})
    refused: dict[str, Any] = written.setdefault("custom_refused", {})
    custom.update(sent.custom_kept)
    refused.update(sent.custom_refused)
    for name in sent.custom_kept:
        refused.pop(name, None)
    written.setdefault("orders", {}).update(sent.orders_done)
    _remember(task.plan.shipment_nbr, written)


def write_status(acu: AcumaticaClient, plan: StatusWrite) -> int:
    """Send what differs from what was last written; returns the number of writes sent.

    What Acumatica took is remembered, so an error half-way (raised to the caller) leaves only the rest
    to do next time. Every write is read back: what Acumatica answered with other values (a Confirmed
    shipment's header drops writes without an error) is raised once per value, as :class:`FieldsNotSaved`
    saying what the admin must do, after the other parts were written.
    """
    task = _task(plan)
    if task.empty:
        return 0
    sent = _send(acu, task, {}, {}, _OrderLocks())
    _keep(task, sent)
    if sent.error is not None:
        raise sent.error
    if sent.not_saved:
        raise _what_to_do(plan.shipment_nbr, sent.not_saved)
    return sent.writes


def _what_to_do(nbr: str, not_saved: list[_NotSaved], hint_fields: list[str] | None = None) -> FieldsNotSaved:
    """One error for the shipment: what did not stick, and what the admin must do about it (for
    ``hint_fields`` when given: the fields of every shipment the cycle told about)."""
    fields = {name: values for item in not_saved for name, values in item.fields.items()}
    status = next((item.status for item in not_saved if item.status), "")
    return FieldsNotSaved(" ".join(item.message for item in not_saved), fields=fields, status=status,
                          hint=_hint(hint_fields if hint_fields is not None else list(fields)))


def _hint(fields: list[str]) -> str:
    """What the admin does about the custom fields named, then about the note when it is named."""
    hints = []
    custom = [name for name in fields if name != "note"]
    if custom:
        hints.append(_("Make {fields} editable after Confirm in the customization that adds them (a graph extension "
                       "that keeps the shipment's header updatable), or leave [acumatica.custom_fields] empty and read "
                       "the status in the shipment's note, which shipdesk keeps writing (the sales order's note gets "
                       "the outcomes, or every change with [acumatica] order_note = \"every_change\").").format(
                           fields=", ".join(custom)))
    if "note" in fields:
        hints.append(_("Check in Acumatica whether a customization makes the note read-only; the outcomes "
                       "(delivered, exceptions, returns) are also on the sales order's note."))
    return " ".join(hints)


# -- the sync's step -----------------------------------------------------------------------------------
#: shipments whose notes are read together right before their writes: the notes are seconds old when merged
CHUNK = 200


def write_queued(acu: AcumaticaClient, fields: CustomFields, report: CycleReport, health: CycleHealth, *,
                 stop: threading.Event, workers: int = 16, order_note: OrderNote = OrderNote.OUTCOMES) -> None:
    """Write every queued shipment's status (``scans.pending_status_writebacks``), counting into ``report``.

    In chunks of :data:`CHUNK` shipments: the notes to change are read in a few list requests, then
    ``workers`` threads send one PUT per record (the shipment's note and custom fields together, each sales
    order's note) in this one session; what Acumatica took is remembered in one transaction a chunk.
    A shipment Acumatica refuses stays queued and is reported alone; values Acumatica did not keep (a Confirmed
    shipment's custom fields) are remembered, and said in one sentence for the step (a notice when the note
    itself landed, else a failure); an outage stops the step (the
    queue waits for the next cycle); ``stop`` ends it between two chunks.
    """
    before = acu.transport.requests_sent
    queued = list(scans.pending_status_writebacks().items())
    refused: list[_Refused] = []
    try:
        with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="sync-status") as pool:
            for start in range(0, len(queued), CHUNK):
                if stop.is_set() or not _write_chunk(acu, fields, order_note, queued[start:start + CHUNK], report,
                                                     health, pool, refused):
                    return
    finally:
        report.writeback_requests += acu.transport.requests_sent - before
        if refused:
            said = _refusal_notice(refused)
            if any("note" in item.fields for r in refused for item in r.not_saved):
                report.fail(said)  # the status line itself did not land: not done
            else:
                report.notices.append(said)  # the status is in the note: custom fields the admin must look at


@dataclass(frozen=True)
class _Refused:
    shipment_nbr: str
    not_saved: list[_NotSaved]


def _refusal_notice(refused: list[_Refused]) -> str:
    """One sentence for every shipment whose status was written without some values: the first shipment's
    details, how many others, and what to do about all the fields named. Each refused value is said once: it
    is remembered and not sent again."""
    refused = sorted(refused, key=lambda r: r.shipment_nbr)  # the workers finish in any order
    everyone = list(dict.fromkeys(name for r in refused for item in r.not_saved for name in item.fields))
    first, others = refused[0], refused[1:]
    said = _("The UPS status of shipment {shipment} could not be written to Acumatica in full: {reason}").format(
        shipment=first.shipment_nbr, reason=_what_to_do(first.shipment_nbr, first.not_saved, everyone))
    if others:
        names = list(dict.fromkeys(name for r in others for item in r.not_saved for name in item.fields))
        said += " " + ngettext("Acumatica did not keep {fields} on {count} other shipment either.",
                               "Acumatica did not keep {fields} on {count} other shipments either.",
                               len(others)).format(fields=", ".join(names), count=len(others))
    return said


def _write_chunk(acu: AcumaticaClient, fields: CustomFields, order_note: OrderNote, queued: list[tuple[str, str]],
                 report: CycleReport, health: CycleHealth, pool: ThreadPoolExecutor,
                 refused: list[_Refused]) -> bool:
    """One chunk; False after an outage. Shipments whose values Acumatica did not keep (remembered, never sent
    again) go to ``refused``: the rest of their status was written."""
    tasks: list[tuple[_Task, str]] = []
    settled: list[tuple[str, str]] = []
    for nbr, mark in queued:
        if shipments.get_shipment(nbr) is None:
            settled.append((nbr, mark))
            continue
        task = _task(compose(nbr, fields, order_note))
        if task.empty:  # nothing new to say (a second cycle with nothing new sends nothing)
            report.statuses_written += 1
            settled.append((nbr, mark))
        else:
            tasks.append((task, mark))
    with transaction.write():
        for nbr, mark in settled:
            scans.status_written(nbr, mark)
    if not tasks:
        return True
    try:
        shipment_notes = acu.read_notes("Shipment", {t.note_keys for t, _kind in tasks if t.line})
        order_notes = acu.read_notes("SalesOrder", {_order_keys(o) for t, _kind in tasks for o in t.orders})
    except RemoteError as exc:
        if not isinstance(exc, ApiRefused | NotFound):
            health.failed(exc)
            return False
        log.warning("reading the notes in a list failed (%s); each is read alone", exc)
        shipment_notes, order_notes = {}, {}
    locks = _OrderLocks()
    futures = {pool.submit(_send, acu, task, shipment_notes, order_notes, locks): (task, mark) for task, mark in tasks}
    done = [(*futures[future], future.result()) for future in as_completed(futures)]
    outage: RemoteError | None = None
    with transaction.write():
        for task, mark, sent in done:
            nbr = task.plan.shipment_nbr
            _keep(task, sent)
            report.acumatica_writes += sent.writes
            error = sent.error
            if error is None:
                report.statuses_written += 1
                health.heard_from(Service.ACUMATICA)
                scans.status_written(nbr, mark)
                if sent.not_saved:
                    refused.append(_Refused(nbr, sent.not_saved))
            elif isinstance(error, ApiRefused | NotFound):  # this shipment only; it stays queued
                report.fail(_("The UPS status of shipment {shipment} could not be written to Acumatica: "
                              "{reason}").format(shipment=nbr, reason=error))
            elif isinstance(error, RemoteError):
                outage = outage or error
            else:
                raise error
    if outage is not None:
        health.failed(outage)
        return False
    return True
