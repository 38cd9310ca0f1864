"""What UPS said about each package: stored scans, the package's latest status, and when the sync polls it."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, datetime
from typing import Any, NamedTuple

from peewee import fn

from shipdesk.core.domain.states import TRACKED
from shipdesk.core.store.fields import to_utc, utc_or_none, utcnow
from shipdesk.core.store.models import LabelJob, PackageRecord, ShipmentRecord, TrackingEvent
from shipdesk.core.store.transaction import tuples, write
from shipdesk.ups.models import TrackEvent


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
    with write():
        before = before_count.count()
        TrackingEvent.insert_many(rows).on_conflict_ignore().execute()
        return int(before_count.count() - before)


def tracking_events(tracking_number: str) -> list[TrackingEvent]:
    """Stored events, newest first."""
    return list(TrackingEvent.select().where(TrackingEvent.tracking_number == tracking_number)
                .order_by(TrackingEvent.occurred_at.desc()))


def latest_event(tracking_number: str) -> TrackingEvent | None:
    return (TrackingEvent.select().where(TrackingEvent.tracking_number == tracking_number)
            .order_by(TrackingEvent.occurred_at.desc(), TrackingEvent.id.desc()).first())


def latest_event_of_types(tracking_number: str, status_types: Collection[str]) -> TrackingEvent | None:
    """The newest stored scan of one of ``status_types`` (e.g. the delivery scan)."""
    return (TrackingEvent.select().where((TrackingEvent.tracking_number == tracking_number)
                                         & TrackingEvent.status_type.in_(sorted(status_types)))
            .order_by(TrackingEvent.occurred_at.desc()).first())


def event_at(tracking_number: str, occurred_at: datetime) -> TrackingEvent | None:
    """The stored scan of the package at exactly ``occurred_at`` (UTC), if any."""
    return (TrackingEvent.select().where((TrackingEvent.tracking_number == tracking_number)
                                         & (TrackingEvent.occurred_at == occurred_at)).first())


def package_by_tracking(tracking_number: str) -> PackageRecord | None:
    return PackageRecord.get_or_none(PackageRecord.tracking_number == tracking_number)


def shipment_nbr_of(package: PackageRecord) -> str:
    return str(ShipmentRecord.get_by_id(package.shipment_id).shipment_nbr)


def record_package_status(tracking_number: str, *, status_type: str, description: str = "",
                          delivered_at: datetime | None = None, signed_by: str = "") -> None:
    """The package's latest UPS status (and delivery, once delivered)."""
    values: dict[str, Any] = {"status_type": status_type, "status_description": description,
                              "tracked_at": utcnow()}
    if delivered_at is not None:
        values.update(delivered_at=delivered_at, signed_by=signed_by)
    with write():
        PackageRecord.update(**values).where(PackageRecord.tracking_number == tracking_number).execute()


def _tracked_packages_where() -> Any:
    return ((PackageRecord.tracking_number != "") & PackageRecord.delivered_at.is_null()
            & ShipmentRecord.state.in_(list(TRACKED)))


def tracked_numbers() -> list[str]:
    """Tracking numbers the sync should poll: labelled, not delivered, not voided."""
    query = (PackageRecord.select(PackageRecord.tracking_number).join(ShipmentRecord)
             .where(_tracked_packages_where()).order_by(PackageRecord.id))
    return [row[0] for row in tuples(query)]


class TrackedPackage(NamedTuple):
    """What the poll schedule needs to know about one tracked package."""

    tracking_number: str
    status_type: str
    status_description: str
    scheduled_delivery: date | None
    polled_at: datetime | None
    labelled_at: datetime | None  # the latest label job of its shipment


def tracked_packages() -> list[TrackedPackage]:
    """Every package the sync tracks (labelled, not delivered, shipment not voided), in one query."""
    p = PackageRecord
    labelled = LabelJob.select(fn.MAX(LabelJob.created_at)).where(LabelJob.shipment == p.shipment)
    query = (p.select(p.tracking_number, p.status_type, p.status_description, p.scheduled_delivery, p.polled_at,
                      labelled.alias("labelled_at"))
             .join(ShipmentRecord).where(_tracked_packages_where()).order_by(p.id))
    # columns read through a subquery come back as the stored text
    return [TrackedPackage(number, status_type, description, scheduled, utc_or_none(polled),
                           utc_or_none(labelled_at))
            for number, status_type, description, scheduled, polled, labelled_at in tuples(query)]


def mark_polled(tracking_number: str, at: datetime, *, scheduled_delivery: date | None = None,
                answered: bool = True) -> None:
    """UPS was asked about the package at ``at``; ``answered``: with tracking data (the delivery date
    it gave replaces the one kept), else only the time is kept (e.g. UPS refused that number)."""
    values: dict[Any, Any] = {PackageRecord.polled_at: at}
    if answered:
        values[PackageRecord.scheduled_delivery] = scheduled_delivery
    with write():
        PackageRecord.update(values).where(PackageRecord.tracking_number == tracking_number).execute()
