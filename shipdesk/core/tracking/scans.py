"""What UPS says about a package, kept once and turned into the package's and shipment's state.

Polled and pushed scans go through :func:`record_tracking` alike: each scan is stored once (the
store's unique index on number + UTC time + code + description drops repeats across cycles and
between a poll and a push), the package's status is taken from its LATEST stored scan (pushes
arrive in any order), and when that status changed the shipment's state is derived again and the
shipment is queued for a status write-back (done by the sync, never here: this must stay fast
enough for the push listener).

Package categories: label_created, in_transit, exception (type X), delivered, returned (a delivery
back to the shipper, or status code RS), voided. A shipment is ``exception`` when any package is
exception or returned, ``delivered`` when all are delivered, ``in_transit`` once one has moved.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from shipdesk.core.domain.audit import AuditAction
from shipdesk.core.domain.states import State, can_transition
from shipdesk.core.store import audit_log, jobs, shipments, status_writes, tracking, transaction
from shipdesk.core.store.models import TrackingEvent
from shipdesk.errors import InvalidTransition
from shipdesk.ups.models import TrackEvent
from shipdesk.ups.track_wire import DELIVERED_TYPES, status_category

log = logging.getLogger(__name__)

LABEL_CREATED = "label_created"
IN_TRANSIT = "in_transit"
EXCEPTION = "exception"
DELIVERED = "delivered"
RETURNED = "returned"
VOIDED = "voided"

#: the tracking part of the state machine: states the sync may move a shipment out of
TRACKING_STATES = frozenset({State.WRITTEN_BACK, State.IN_TRANSIT, State.EXCEPTION})
RETURN_CODES = frozenset({"RS"})
#: a shipment moved to these states is recorded in the audit log
SETTLED_ACTIONS = {State.EXCEPTION: AuditAction.UPS_EXCEPTION, State.DELIVERED: AuditAction.UPS_DELIVERED}


def package_category(status_type: str, description: str = "", code: str = "") -> str:
    """The category of a package whose latest scan has this type, description and code."""
    kind = status_type.strip().upper()
    words = description.upper()
    mentions_return = "RETURN" in words and ("SENDER" in words or "SHIPPER" in words)
    if code.strip().upper() in RETURN_CODES or kind in RETURN_CODES or (
            kind in DELIVERED_TYPES and mentions_return):
        return RETURNED
    return status_category(kind)


def shipment_state_for(categories: Iterable[str]) -> State | None:
    """The tracking state a shipment with packages in these categories is in; None: not moved yet."""
    live = [c for c in categories if c != VOIDED]
    if not live:
        return None
    if any(c in (EXCEPTION, RETURNED) for c in live):
        return State.EXCEPTION
    if all(c == DELIVERED for c in live):
        return State.DELIVERED
    if any(c in (IN_TRANSIT, DELIVERED) for c in live):
        return State.IN_TRANSIT
    return None


@dataclass(frozen=True)
class PackageUpdate:
    tracking_number: str
    shipment_nbr: str
    new_events: int
    category: str
    changed: bool  # the package's status, delivery time or signer changed
    shipment_state: State | None = None  # the shipment's new state, when this moved it


def record_tracking(tracking_number: str, events: Iterable[TrackEvent], *, source: str,
                    delivered_at: datetime | None = None, received_by: str = "",
                    current_type: str = "", current_description: str = "") -> PackageUpdate | None:
    """Store the scans and bring the package (and its shipment) up to date.

    ``current_*`` is used only when no scan is stored at all. Returns None when no local package
    has this tracking number (a push for someone else's package, or a voided label).
    """
    number = tracking_number.strip().upper()
    # one IMMEDIATE transaction from the read to the write: a push and a poll of the same number at
    # once must not both compare against the status from before the other's write
    with transaction.write():
        return _record(number, list(events), source=source, delivered_at=delivered_at, received_by=received_by,
                       current_type=current_type, current_description=current_description)


def _record(number: str, events: list[TrackEvent], *, source: str, delivered_at: datetime | None,
            received_by: str, current_type: str, current_description: str) -> PackageUpdate | None:
    package = tracking.package_by_tracking(number)
    if package is None:
        return None
    new = tracking.add_tracking_events(number, events, source=source)
    latest = latest_event(number)
    status_type = latest.status_type if latest else current_type.strip().upper()
    description = latest.description if latest else current_description
    category = package_category(status_type, description, latest.status_code if latest else "")
    delivered = None
    signer = package.signed_by
    if category in (DELIVERED, RETURNED):
        delivered = delivered_at or _delivery_scan_time(number) or package.delivered_at
        signer = received_by.strip() or package.signed_by
    before = (package.status_type, package.status_description, package.delivered_at, package.signed_by)
    after = (status_type, description, delivered or package.delivered_at, signer)
    changed = before != after
    tracking.record_package_status(number, status_type=status_type, description=description,
                                   delivered_at=delivered, signed_by=signer)
    nbr = tracking.shipment_nbr_of(package)
    moved = None
    if changed:
        moved = settle_shipment_state(nbr)
        queue_status_writeback(nbr)
    return PackageUpdate(number, nbr, new, category, changed, moved)


def latest_event(tracking_number: str) -> TrackingEvent | None:
    return tracking.latest_event(tracking_number)


def _delivery_scan_time(tracking_number: str) -> datetime | None:
    scan = tracking.latest_event_of_types(tracking_number, DELIVERED_TYPES)
    return scan.occurred_at if scan else None


def package_categories(shipment_nbr: str) -> list[str]:
    # the latest scan's code too: a return flagged only by code RS must make the shipment an exception
    categories = []
    for package in shipments.packages_of(shipment_nbr):
        if package.tracking_number:
            latest = latest_event(package.tracking_number)
            categories.append(package_category(package.status_type, package.status_description,
                                               latest.status_code if latest else ""))
    return categories


def settle_shipment_state(shipment_nbr: str) -> State | None:
    """Move the shipment (and its label job) to the state its packages call for; returns the new state.

    Only shipments already written back are moved: a labelled one waits for its write-back (the
    ship flow's retry), a delivered one is final.
    """
    current = shipments.require_shipment(shipment_nbr).state
    wanted = shipment_state_for(package_categories(shipment_nbr))
    if wanted is None or wanted == current or current not in TRACKING_STATES:
        return None
    if not can_transition(current, wanted):
        return None
    job = jobs.latest_job(shipment_nbr)
    try:
        if job is not None and job.state == current:
            jobs.mark_job(job.job_id, wanted)
        else:
            shipments.set_state(shipment_nbr, wanted)
    except InvalidTransition as exc:  # another worker moved it first: its move stands
        log.info("tracking state of %s not changed: %s", shipment_nbr, exc)
        return None
    if wanted in SETTLED_ACTIONS:
        audit_log.record(SETTLED_ACTIONS[wanted], shipment_nbr=shipment_nbr)
    return wanted


def settle_written_back() -> list[str]:
    """Settle shipments written back while their packages were already moving (tracked while the
    label write-back waited); returns those that moved."""
    moved = []
    for nbr in shipments.scanned_shipments(State.WRITTEN_BACK):
        if settle_shipment_state(nbr) is not None:
            queue_status_writeback(nbr)
            moved.append(nbr)
    return moved


# -- the write-back queue ----------------------------------------------------------------------------
def queue_status_writeback(shipment_nbr: str) -> None:
    """Queue the shipment; a fresh mark each time, so a change made while the sync is writing the
    previous one is not lost when the sync clears the mark it saw."""
    status_writes.queue(shipment_nbr, uuid.uuid4().hex)


def pending_status_writebacks() -> dict[str, str]:
    """Shipments whose tracking status changed since it was last written to Acumatica → their mark."""
    return status_writes.queued()


def status_written(shipment_nbr: str, mark: str) -> None:
    """Take the shipment off the queue, unless it was queued again since ``mark`` was read."""
    status_writes.done(shipment_nbr, mark)
