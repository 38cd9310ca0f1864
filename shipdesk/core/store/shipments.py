"""Shipments as pulled from Acumatica, their packages, their state before a label job, what shipdesk remembers
about each (the address decision, a confirmation to redo), and the table listing."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, NamedTuple

from peewee import JOIN, Case, fn

from shipdesk.acumatica.models import Package, Shipment
from shipdesk.core.domain.address import AddressClass, AddressStatus
from shipdesk.core.domain.states import LABEL_EXISTS, State, can_transition
from shipdesk.core.store.compiled import Compiled, slot
from shipdesk.core.store.fields import utc_or_none, utcnow
from shipdesk.core.store.models import LabelJob, PackageRecord, ShipmentRecord
from shipdesk.core.store.transaction import joined, joined_text, snapshot, tuples, write
from shipdesk.errors import InvalidTransition, StoreError
from shipdesk.i18n import _

_SHIPMENT = Compiled(lambda: ShipmentRecord.select().where(ShipmentRecord.shipment_nbr == slot(0)).limit(1))
_PACKAGES = Compiled(lambda: PackageRecord.select().where(PackageRecord.shipment == slot(0)))
_PACKAGES_OF = Compiled(lambda: PackageRecord.select().join(ShipmentRecord)
                        .where(ShipmentRecord.shipment_nbr == slot(0))
                        .order_by(PackageRecord.line_nbr, PackageRecord.id))


def get_shipment(shipment_nbr: str) -> ShipmentRecord | None:
    record: ShipmentRecord | None = _SHIPMENT.first(shipment_nbr)
    return record


def require_shipment(shipment_nbr: str) -> ShipmentRecord:
    record = get_shipment(shipment_nbr)
    if record is None:
        raise _not_stored(shipment_nbr)
    return record


def _not_stored(shipment_nbr: str) -> StoreError:
    return StoreError(_("Shipment {shipment} is not in the local list.").format(shipment=shipment_nbr),
                      hint=_("Run a pull (Refresh) to load it from Acumatica."))


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
        "raw": dict(raw) if raw is not None else {},
        "residential": shipment.residential,
    }


def upsert_shipment(shipment: Shipment, *, raw: Mapping[str, Any] | None = None,
                    skip_unchanged: bool = False, known: ShipmentRecord | None = None,
                    known_packages: Sequence[PackageRecord] | None = None) -> bool:
    """Store a shipment as pulled from Acumatica; True when it was new. A new one starts ``pending``; an
    existing one keeps its state and its packages' tracking results (Acumatica rows are matched by their id).

    ``skip_unchanged``: read the stored copy first and write nothing when it already says the same (the ship
    flow's fresh read of a shipment just pulled: two reads instead of a write transaction); ``known``: its
    stored row as the caller just read it (then only the packages are read), ``known_packages`` its packages as
    read with it (then nothing is read)."""
    now = utcnow()
    columns = _shipment_columns(shipment, raw)
    if skip_unchanged and _stored_as(shipment, columns, known, known_packages):
        return False
    with write():
        known = (ShipmentRecord.select(ShipmentRecord.id, ShipmentRecord.address_status)
                 .where(ShipmentRecord.shipment_nbr == shipment.shipment_nbr).first())
        if known is None:
            record_id = ShipmentRecord.insert(shipment_nbr=shipment.shipment_nbr, state=State.PENDING,
                                              pulled_at=now, updated_at=now, **columns).execute()
            if shipment.packages:
                PackageRecord.insert_many([{"shipment": record_id, "acumatica_id": p.id,
                                            "tracking_number": p.tracking_nbr, **_package_columns(p)}
                                           for p in shipment.packages]).execute()
            return True
        if known.address_status not in (AddressStatus.NOT_CHECKED, AddressStatus.NOT_VALIDATED):
            columns.pop("residential")  # UPS's classification beats Acumatica's flag
        ShipmentRecord.update(pulled_at=now, updated_at=now, **columns).where(ShipmentRecord.id == known.id).execute()
        _refresh_packages(known.id, shipment)
    return False


def _stored_as(shipment: Shipment, columns: Mapping[str, Any], known: ShipmentRecord | None,
               known_packages: Sequence[PackageRecord] | None = None) -> bool:
    """The store holds ``shipment`` exactly as ``upsert_shipment`` would write it (its packages too)."""
    if known is None:
        known = get_shipment(shipment.shipment_nbr)
    if known is None:
        return False
    # UPS's classification beats Acumatica's flag: the write would keep it too
    classified = known.address_status not in (AddressStatus.NOT_CHECKED, AddressStatus.NOT_VALIDATED)
    if any(getattr(known, key) != value for key, value in columns.items() if not (classified and key == "residential")):
        return False
    rows = known_packages if known_packages is not None else _PACKAGES.rows(known.id)
    stored = {row.acumatica_id: row for row in rows}
    wanted = {package.id: package for package in shipment.packages}
    if any(row.tracking_number == "" for pid, row in stored.items() if pid not in wanted):
        return False  # a row Acumatica no longer has, to delete
    for pid, package in wanted.items():
        row = stored.get(pid)
        if row is None or any(getattr(row, key) != value for key, value in _package_columns(package).items()):
            return False
    return True


def _package_columns(package: Package) -> dict[str, Any]:
    return {"line_nbr": package.line_nbr, "box_id": package.box_id, "weight": package.weight, "uom": package.uom,
            "length": package.length, "width": package.width, "height": package.height,
            "declared_value": package.declared_value}


def _refresh_packages(record_id: int, shipment: Shipment) -> None:
    seen: list[str] = []
    for package in shipment.packages:
        seen.append(package.id)
        values = _package_columns(package)
        updated = PackageRecord.update(**values).where(
            (PackageRecord.shipment == record_id) & (PackageRecord.acumatica_id == package.id)).execute()
        if not updated:
            PackageRecord.create(shipment=record_id, acumatica_id=package.id,
                                 tracking_number=package.tracking_nbr, **values)
    # rows deleted in Acumatica go, unless they carry a label we made
    PackageRecord.delete().where(
        (PackageRecord.shipment == record_id) & PackageRecord.acumatica_id.not_in(seen)
        & (PackageRecord.tracking_number == "")).execute()


def state_of(shipment_nbr: str) -> State:
    """The shipment's state (one column read: the pull asks this for every shipment)."""
    row = (ShipmentRecord.select(ShipmentRecord.state).where(ShipmentRecord.shipment_nbr == shipment_nbr)
           .first())
    if row is None:
        raise _not_stored(shipment_nbr)
    state: State = row.state
    return state


def set_state(shipment_nbr: str, state: State, *, reason: str = "") -> None:
    """Move a shipment to ``state`` before it has a label job (pending/validating/ready/needs_attention);
    once a job exists use ``jobs.mark_job`` & co, which move job and shipment together.

    ``reason`` is the sentence shown for needs_attention / failed; any other state clears it."""
    with write():
        current = state_of(shipment_nbr)
        if not can_transition(current, state):
            raise InvalidTransition(f"Shipment {shipment_nbr}", current, state)
        ShipmentRecord.update(state=state, attention_reason=reason, updated_at=utcnow()).where(
            ShipmentRecord.shipment_nbr == shipment_nbr).execute()


def settle(shipment_nbr: str, state: State, *, reason: str = "") -> bool:
    """Move a shipment that has no live label job to ``state`` (through ``pending`` when there is no direct
    move), in one write transaction. False, and nothing changed, when a job of it has (or may have) a
    label: another worker or station labelled it meanwhile, and its state is that job's to move."""
    with write():
        record = require_shipment(shipment_nbr)
        live = (LabelJob.select(LabelJob.id).where((LabelJob.shipment == record.id)
                                                   & LabelJob.state.in_(list(LABEL_EXISTS))).exists())
        if live:
            return False
        through_pending = can_transition(record.state, State.PENDING) and can_transition(State.PENDING, state)
        if not (can_transition(record.state, state) or through_pending):
            raise InvalidTransition(f"Shipment {shipment_nbr}", record.state, state)
        ShipmentRecord.update(state=state, attention_reason=reason, updated_at=utcnow()).where(
            ShipmentRecord.id == record.id).execute()
    return True


def address_memory(shipment_nbr: str) -> dict[str, Any] | None:
    """What was last decided about the shipment's address (``shipping.address_check`` reads it)."""
    row = ShipmentRecord.select(ShipmentRecord.address_memory).where(
        ShipmentRecord.shipment_nbr == shipment_nbr).first()
    memory = row.address_memory if row is not None else None
    return memory if isinstance(memory, dict) else None


def remember_address(shipment_nbr: str, memory: Mapping[str, Any]) -> None:
    with write():
        ShipmentRecord.update(address_memory=dict(memory)).where(
            ShipmentRecord.shipment_nbr == shipment_nbr).execute()


def set_reconfirm(shipment_nbr: str, wanted: bool) -> None:
    """``wanted``: shipdesk corrected the Confirmed shipment to label it, so the write-back confirms it again."""
    with write():
        ShipmentRecord.update(reconfirm=wanted).where(ShipmentRecord.shipment_nbr == shipment_nbr).execute()


def reconfirm_wanted(shipment_nbr: str) -> bool:
    row = ShipmentRecord.select(ShipmentRecord.reconfirm).where(ShipmentRecord.shipment_nbr == shipment_nbr).first()
    return bool(row is not None and row.reconfirm)


def record_address_check(shipment_nbr: str, *, status: AddressStatus,
                         classification: AddressClass = AddressClass.NOT_CHECKED,
                         residential: bool | None = None, override_reason: str = "",
                         memory: Mapping[str, Any] | None = None) -> None:
    """Keep the UPS address validation outcome (or the clerk's override); ``memory``: what to remember of it
    (``address_memory``), in the same statement."""
    update_columns(shipment_nbr, address_check_values(status=status, classification=classification,
                                                      residential=residential, override_reason=override_reason,
                                                      memory=memory))


def address_check_values(*, status: AddressStatus, classification: AddressClass = AddressClass.NOT_CHECKED,
                         residential: bool | None = None, override_reason: str = "",
                         memory: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The shipment's columns that keep an address check's outcome (:func:`record_address_check`)."""
    now = utcnow()
    values: dict[str, Any] = {"address_status": status, "address_classification": classification,
                              "address_override_reason": override_reason, "address_checked_at": now,
                              "updated_at": now}
    if residential is not None:
        values["residential"] = residential
    if memory is not None:
        values["address_memory"] = dict(memory)
    return values


def update_columns(shipment_nbr: str, values: Mapping[str, Any]) -> None:
    """Set these columns of the shipment's row (one UPDATE, in the caller's transaction if any)."""
    with joined():
        if not ShipmentRecord.update(**values).where(ShipmentRecord.shipment_nbr == shipment_nbr).execute():
            raise _not_stored(shipment_nbr)


def packages_of(shipment_nbr: str) -> list[PackageRecord]:
    packages: list[PackageRecord] = _PACKAGES_OF.rows(shipment_nbr)
    return packages


def scanned_shipments(state: State) -> list[str]:
    """Shipments in ``state`` with a package UPS has scanned beyond the label (a status other than none,
    label created ``M`` or voided ``MV``)."""
    query = (ShipmentRecord.select(ShipmentRecord.shipment_nbr).join(PackageRecord)
             .where((ShipmentRecord.state == state) & PackageRecord.status_type.not_in(["", "M", "MV"]))
             .distinct().order_by(ShipmentRecord.shipment_nbr))
    return [row[0] for row in tuples(query)]


# -- listing for the UI table -----------------------------------------------------------------------
class ShipmentRow(NamedTuple):
    shipment_nbr: str
    state: State
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
    station: str = ""  # the station whose label the shipment has (or may have); "" before a label
    return_of: str = ""  # a return label: the shipment it returns
    charge: Decimal | None = None  # what the shipper pays for the live label (negotiated, else published)


@dataclass(frozen=True)
class ShipmentListing:
    rows: list[ShipmentRow]
    counts: dict[str, int]  # state (a ``State``) → number of shipments (all states, whatever the filter)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _decimal_or_none(value: object) -> Decimal | None:
    return None if value is None or value == "" else Decimal(str(value))


def list_shipments(states: Collection[State] | None = None, *, search: str = "") -> ShipmentListing:
    """Everything the shipments table shows, as plain tuples in one query, plus counts per state."""
    s, p = ShipmentRecord, PackageRecord
    tracking = joined_text(fn.NULLIF(p.tracking_number, ""), ", ")
    # the sync keeps each package's latest status on the package row (scans.record_tracking), so
    # the newest one is a lookup through the package(shipment) index, not a scan of tracking_event
    latest = PackageRecord.alias("latest")
    last_event = (latest.select(latest.status_description)
                  .where((latest.shipment == s.id) & (latest.status_description != ""))
                  .order_by(latest.tracked_at.desc(), latest.id.desc()).limit(1))
    undelivered = fn.SUM(Case(None, [(((p.tracking_number != "") & p.delivered_at.is_null()), 1)], 0))
    delivered = Case(None, [((fn.COUNT(p.delivered_at) > 0) & (undelivered == 0), fn.MAX(p.delivered_at))],
                     None)
    live = (LabelJob.select(LabelJob.station)
            .where((LabelJob.shipment == s.id) & LabelJob.state.in_(list(LABEL_EXISTS)))
            .order_by(LabelJob.id.desc()).limit(1))
    charge = (LabelJob.select(fn.COALESCE(LabelJob.negotiated_charges, LabelJob.charges))
              .where((LabelJob.shipment == s.id) & LabelJob.state.in_(list(LABEL_EXISTS)))
              .order_by(LabelJob.id.desc()).limit(1))
    query = (
        s.select(s.shipment_nbr, s.state, s.status, s.customer_id, s.ship_to_name, s.ship_to_city,
                 s.ship_to_state, s.ship_to_country, s.ship_via, s.order_numbers, s.package_count,
                 s.total_weight, s.weight_unit, s.attention_reason, fn.COALESCE(tracking, ""),
                 s.last_modified, fn.COALESCE(last_event, ""), delivered, fn.COALESCE(live, ""), s.return_of,
                 charge)
        .join(p, JOIN.LEFT_OUTER, on=(p.shipment == s.id))
        .group_by(s.id)
        .order_by(s.shipment_nbr.desc())
    )
    if states:
        query = query.where(s.state.in_(list(states)))
    if search.strip():
        like = f"%{search.strip()}%"
        query = query.where(s.shipment_nbr.contains(search.strip()) | s.ship_to_name ** like
                            | s.order_numbers ** like | s.customer_id ** like | p.tracking_number ** like)
    with snapshot():  # one snapshot for rows and counts
        rows = [ShipmentRow._make((*t[:-4], utc_or_none(t[-4]), *t[-3:-1], _decimal_or_none(t[-1])))
                for t in tuples(query)]
        counts = {state: int(n) for state, n in tuples(s.select(s.state, fn.COUNT(s.id)).group_by(s.state))}
    return ShipmentListing(rows=rows, counts=counts)
