"""What customer service sees in Acumatica about a labelled shipment, and writing it only when it changed.

For each shipment the sync queued (``scans.pending_status_writebacks``) it composes:
- one status line in the shipment's note: ``[shipdesk] UPS: Delivered 2026-11-26 14:02, signed by SMITH``
  (or the latest scan while in transit, or the exception);
- the same line in each linked sales order's note, under a per-shipment marker
  (``[shipdesk SH000123] ...``) so an order with several shipments keeps one line for each;
- the custom fields named in ``[acumatica.custom_fields]`` (status, delivered date, signed by), when set.
The client's note merge keeps every line a person wrote. What was written is remembered in SyncState
part by part, so a repeated run (or a retry after a failure half-way) sends only what differs: a
second cycle with nothing new sends no write at all. Times are the scan's local time, as UPS shows them.
The sync's step (:func:`write_queued`) drains the queue with one signed-in client.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from shipdesk.acumatica.client import AcumaticaClient
from shipdesk.acumatica.errors import FieldsNotSaved
from shipdesk.core.settings.config import CustomFields
from shipdesk.core.store import shipments, sync_state, tracking
from shipdesk.core.store.models import PackageRecord, TrackingEvent
from shipdesk.core.tracking import scans
from shipdesk.core.tracking.cycle_report import CycleReport
from shipdesk.core.tracking.outages import CycleHealth
from shipdesk.errors import ApiRefused, NotFound, RemoteError, Service

log = logging.getLogger(__name__)

WRITTEN_KEY = "status_writeback.written."
CATEGORY_LABELS = {
    scans.LABEL_CREATED: "Label created", scans.IN_TRANSIT: "In transit",
    scans.EXCEPTION: "Exception", scans.DELIVERED: "Delivered", scans.RETURNED: "Returned to sender",
    scans.VOIDED: "Voided",
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
        where = f", {p.location}" if p.location else ""
        which = f" (package {p.tracking_number})" if several else ""
        return f"UPS: {CATEGORY_LABELS[p.category]} {_stamp(p.scanned_at)} - {p.description}{where}{which}".strip()
    delivered = [p for p in live if p.category == scans.DELIVERED]
    if len(delivered) == len(live):
        last = max(delivered, key=lambda p: _moment(p.delivered_at or p.scanned_at))
        count = f" ({len(live)} packages)" if several else ""
        signed = _signers(delivered)
        return f"UPS: Delivered {_stamp(last.delivered_at or last.scanned_at)}{count}" + (
            f", signed by {signed}" if signed else "")
    latest = max((p for p in live if p.category != scans.DELIVERED), key=lambda p: _moment(p.scanned_at))
    scan = ", ".join(part for part in (latest.description, latest.location, _stamp(latest.scanned_at)) if part)
    progress = f" ({len(delivered)} of {len(live)} packages delivered)" if delivered else ""
    return f"UPS: In transit{' - ' + scan if scan else ''}{progress}"


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
        kind, _, nbr = item.strip().partition(" ")
        if kind and nbr.strip():
            pairs.append((kind, nbr.strip()))
    return pairs


def compose(shipment_nbr: str, fields: CustomFields) -> StatusWrite:
    packages = package_views(shipment_nbr)
    line = status_line(packages)
    record = shipments.require_shipment(shipment_nbr)
    orders = {f"{kind} {nbr}": line for kind, nbr in _orders(record.order_numbers)} if line else {}
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
                           note_shipment=record.return_of, marker=f"[shipdesk {shipment_nbr}]")
    return StatusWrite(shipment_nbr, line, orders, custom)


# -- writing --------------------------------------------------------------------------------------------
def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime | date) else value


def _written(shipment_nbr: str) -> dict[str, Any]:
    try:
        stored = json.loads(sync_state.get_value(WRITTEN_KEY + shipment_nbr) or "{}")
    except ValueError:
        stored = {}
    return stored if isinstance(stored, dict) else {}


def _remember(shipment_nbr: str, written: dict[str, Any]) -> None:
    sync_state.set_value(WRITTEN_KEY + shipment_nbr, json.dumps(written, sort_keys=True))


def write_status(acu: AcumaticaClient, plan: StatusWrite) -> int:
    """Send what differs from what was last written; returns the number of writes sent.

    Each part is remembered as soon as Acumatica took it, so an error half-way (raised to the
    caller) leaves only the rest to do next time. Every write is read back: what Acumatica answered
    with other values (a Confirmed shipment's header drops writes without an error) is raised once per
    value, as :class:`FieldsNotSaved` saying what the admin must do, after the other parts were written.
    """
    nbr = plan.shipment_nbr
    written = _written(nbr)
    writes = 0
    not_saved: list[FieldsNotSaved] = []
    line = plan.shipment_line
    if line and line not in (written.get("shipment"), written.get("shipment_refused")):
        try:
            writes += acu.set_note_status_line("Shipment", [plan.note_shipment or nbr], line, marker=plan.marker)
        except FieldsNotSaved as exc:  # the orders and fields are still worth writing; this line is said once
            not_saved.append(exc)
            written["shipment_refused"] = line
        else:
            written["shipment"] = line
        _remember(nbr, written)
    orders: dict[str, str] = written.setdefault("orders", {})
    for order, line in plan.order_lines.items():
        if orders.get(order) == line:
            continue
        kind, _, order_nbr = order.partition(" ")
        try:
            writes += acu.set_note_status_line("SalesOrder", [kind, order_nbr], line, marker=f"[shipdesk {nbr}]")
        except NotFound:  # the order was deleted: nothing to tell it, and no reason to try again
            log.warning("sales order %s of shipment %s no longer exists in Acumatica", order, nbr)
        except FieldsNotSaved as exc:
            not_saved.append(exc)
            continue
        orders[order] = line
        _remember(nbr, written)
    writes += _write_custom_fields(acu, nbr, plan, written, not_saved)
    if not_saved:
        raise _what_to_do(nbr, not_saved)
    return writes


def _write_custom_fields(acu: AcumaticaClient, nbr: str, plan: StatusWrite, written: dict[str, Any],
                         not_saved: list[FieldsNotSaved]) -> int:
    """The custom fields that differ, unless Acumatica already refused that very value (reported once)."""
    custom: dict[str, Any] = written.setdefault("custom", {})
    refused: dict[str, Any] = written.setdefault("custom_refused", {})
    changed = {name: value for name, value in plan.custom_fields.items()
               if custom.get(name) != _plain(value) and refused.get(name) != _plain(value)}
    if not changed:
        return 0
    try:
        acu.set_custom_fields(nbr, changed)
    except FieldsNotSaved as exc:
        not_saved.append(exc)
        custom.update({name: _plain(value) for name, value in changed.items() if name not in exc.fields})
        refused.update({name: _plain(changed[name]) for name in exc.fields if name in changed})
    else:
        custom.update({name: _plain(value) for name, value in changed.items()})
        for name in changed:
            refused.pop(name, None)
    _remember(nbr, written)
    return 1


def _what_to_do(nbr: str, not_saved: list[FieldsNotSaved]) -> FieldsNotSaved:
    """One error for the shipment: what did not stick, and what the admin must do about it."""
    fields = {name: values for exc in not_saved for name, values in exc.fields.items()}
    status = next((exc.record_status for exc in not_saved if exc.record_status), "")
    custom = [name for name in fields if name != "note"]
    if custom:
        hint = (f"Make {', '.join(custom)} editable after Confirm in the customization that adds them (a graph "
                "extension that keeps the shipment's header updatable), or leave [acumatica.custom_fields] empty "
                "and read the status in the sales order's note, which shipdesk keeps writing.")
    else:
        hint = ("Check in Acumatica whether a customization makes the note read-only; the status line is also on "
                "the sales order's note.")
    return FieldsNotSaved(" ".join(exc.message for exc in not_saved), fields=fields, status=status, hint=hint)


# -- the sync's step -----------------------------------------------------------------------------------
def write_queued(acu: AcumaticaClient, fields: CustomFields, report: CycleReport, health: CycleHealth, *,
                 stop: threading.Event) -> None:
    """Write every queued shipment's status (``scans.pending_status_writebacks``), counting into ``report``.

    A shipment Acumatica refuses stays queued and is reported alone; an outage stops the step (the
    queue waits for the next cycle); ``stop`` ends it between two shipments.
    """
    for nbr, mark in scans.pending_status_writebacks().items():
        if stop.is_set():
            return
        try:
            if shipments.get_shipment(nbr) is not None:
                report.acumatica_writes += write_status(acu, compose(nbr, fields))
                report.statuses_written += 1
                health.heard_from(Service.ACUMATICA)
            scans.status_written(nbr, mark)
        except (ApiRefused, NotFound) as exc:  # this shipment only; it stays queued
            report.fail(f"The UPS status of shipment {nbr} could not be written to Acumatica: {exc}")
        except RemoteError as exc:
            health.failed(exc)
            return
