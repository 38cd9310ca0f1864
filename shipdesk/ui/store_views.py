"""Store records as the plain values the widgets show (``view_data``): the table rows, one shipment's
detail. Read-only; runs on a bridge worker thread (it reads the database and the label archive).

The UI's only door to the store's records: peewee rows (``ShipmentRecord``, ``LabelJob``...) come in, typed
``view_data`` values go out, so no widget ever holds a database row.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from shipdesk.core.domain.audit import AuditAction
from shipdesk.core.domain.states import LABEL_EXISTS, State
from shipdesk.core.store import audit_log as audit
from shipdesk.core.store import label_files
from shipdesk.core.store import repository as repo
from shipdesk.core.store.models import AuditEntry, LabelJob, ShipmentRecord
from shipdesk.errors import ShipdeskError
from shipdesk.i18n import N_, _
from shipdesk.i18n.formats import money, number, quantity
from shipdesk.labels import LabelArchive, decode_label, preview_png
from shipdesk.ui.packing_view import PackageLine
from shipdesk.ui.view_data import (
    AddressView,
    AuditView,
    EventView,
    Listing,
    PackageView,
    RetryAction,
    Row,
    ShipmentDetail,
    UncertainCheck,
    UncertainLabel,
)
from shipdesk.ups.services import service_name

log = logging.getLogger(__name__)

#: a label was bought: its charge is shown
LABELLED_STATES = (LABEL_EXISTS - {State.REQUESTING, State.UNCERTAIN}) | {State.VOIDED}
MAX_PREVIEWS = 4  # label previews rendered per shipment (a 30-package shipment shows the first few)



def order_display(order_numbers: str) -> str:
    """"SO SO005101, SO SO005133" → "SO005101, SO005133": the type only where the number lacks it."""
    shown = []
    for item in order_numbers.split(","):
        kind, _, number = item.strip().partition(" ")
        shown.append(number if number.startswith(kind) else item.strip())
    return ", ".join(s for s in shown if s)

def local_time(when: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return when.astimezone().strftime(fmt) if when else ""


def _number(value: Decimal | float | None) -> str:
    """A size or weight as the language writes it, without trailing zeros ("12,5"; "11", not "11.0")."""
    return "" if value is None else number(Decimal(value).normalize())


def _money(amount: Decimal | float | None, currency: str) -> str:
    return "" if amount is None else money(amount, currency)


def _service_label(ship_via: str, services: Mapping[str, str]) -> str:
    code = services.get(ship_via.strip())
    if not ship_via:
        return ""
    if not code:
        return _("{ship_via} → not mapped").format(ship_via=ship_via)
    return f"{ship_via} → {service_name(code).removeprefix('UPS ')}"


#: UPS's address classification as a person reads it
CLASSIFICATIONS = {"residential": N_("Residential"), "commercial": N_("Commercial")}


def classification_text(classification: str) -> str:
    """"residential" → "Residential" in the chosen language ("" for none, the value itself if unknown)."""
    word = CLASSIFICATIONS.get(classification)
    return _(word) if word else classification  # i18n: marked with N_() above


def known(classification: str) -> str:
    return "" if classification == "unknown" else classification


def ship_to(record: ShipmentRecord) -> AddressView:
    return AddressView(
        name=record.ship_to_name, attention=record.ship_to_attention,
        lines=tuple(x for x in (record.ship_to_line1, record.ship_to_line2) if x), city=record.ship_to_city,
        region=record.ship_to_state, postal_code=record.ship_to_postal_code, country=record.ship_to_country,
        phone=record.ship_to_phone)


def listing(services: Mapping[str, str]) -> Listing:
    """Every shipment in the store as table rows (one query), with counts per state."""
    labels: dict[str, str] = {}
    rows: list[Row] = []
    listing = repo.list_shipments()
    for r in listing.rows:
        service = labels.get(r.ship_via)
        if service is None:
            service = labels[r.ship_via] = _service_label(r.ship_via, services)
        if r.return_of:  # a return label: shown as such, beside the shipment it comes back for
            service = _("↩ Return of {shipment}").format(shipment=r.return_of)
        rows.append(Row(
            r.shipment_nbr, order_display(r.order_numbers), r.ship_to_name or r.customer_id, r.ship_to_city,
            r.ship_to_state, r.ship_to_country, service, r.package_count or 0,
            float(r.total_weight or 0), str(r.state), r.tracking_numbers, r.last_event,
            local_time(r.delivered_at, "%Y-%m-%d"), float(r.charge or 0),
        ))
    return Listing(rows, dict(listing.counts))

def detail(shipment: str, services: Mapping[str, str], archive: LabelArchive, *, station: str = "",
           offer_new_label_after: timedelta = timedelta(minutes=30),
           now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> ShipmentDetail:
    """What the detail pane shows, from the store and the label archive (``station``: this one, so a label
    another station made says where it was made)."""
    record = repo.require_shipment(shipment)
    state = State(record.state)
    job = repo.latest_job(shipment)
    packages = repo.packages_of(shipment)
    package_views: list[PackageView] = []
    events: list[tuple[datetime, EventView]] = []  # (UTC instant, as shown): sorted by the instant
    previews: list[bytes] = []
    for p in packages:
        weight = quantity(Decimal(p.weight).normalize(), p.uom) if p.weight is not None and p.uom else _number(
            p.weight)
        dims = "×".join(_number(x) for x in (p.length, p.width, p.height)) if p.length and p.width \
            and p.height else ""
        if dims and p.uom:  # sizes go to UPS in the weight's system (shipdesk.core.region)
            dims = f"{dims} {'cm' if p.uom.upper().startswith('KG') else 'in'}"
        last = p.status_description or (_("Delivered") if p.delivered_at else "")
        if p.delivered_at and p.signed_by:
            last = _("{status}, {when}, signed {name}").format(status=last, when=local_time(p.delivered_at),
                                                              name=p.signed_by)
        elif p.delivered_at:
            last = f"{last}, {local_time(p.delivered_at)}"
        package_views.append(PackageView(weight, dims, p.tracking_number, last))
        if p.tracking_number:
            events.extend((e.occurred_at, EventView(e.occurred_local[:16].replace("T", " ")
                                                    or local_time(e.occurred_at),
                                                    e.description, e.location, p.tracking_number))
                          for e in repo.tracking_events(p.tracking_number))
            if len(previews) < MAX_PREVIEWS and state != State.VOIDED:
                png = _preview(archive, shipment, p.tracking_number)
                if png:
                    previews.append(png)
    # newest first by the UTC instant: the local times shown are in each scan location's own zone
    events.sort(key=lambda pair: pair[0], reverse=True)
    problem, retry = _problem(record, state, job)
    cls = record.address_classification
    return ShipmentDetail(
        shipment=shipment, state=state.value, state_label=state.label,
        customer=record.ship_to_name or record.customer_id, orders=order_display(record.order_numbers),
        ship_via=record.ship_via, service=_service_label(record.ship_via, services)
        .partition(" → ")[2],
        ship_to=ship_to(record),
        validation=_validation_text(record), validation_status=record.address_status or "",
        classification=classification_text(cls) if cls in ("residential", "commercial") else (
            _("Residential (Acumatica)") if record.residential else ""),
        packages=tuple(package_views), label_previews=tuple(previews), events=tuple(view for _at, view in events),
        audit=tuple(AuditView(local_time(a.at), a.user, a.action, a.detail, a.station)
                    for a in audit.entries(shipment, limit=50)),
        problem=problem, retry_action=retry, labelled_at=_labelled_at(job, state, station), charge=charge_text(job),
        uncertain=_uncertain(shipment, job, offer_new_label_after, now()) if state == State.UNCERTAIN else None,
    )


def charge_text(job: LabelJob | None) -> str:
    """What UPS charged for the job's label: "$12.34 (your rate $10.12)"; "" without a label."""
    if job is None or job.state not in LABELLED_STATES:
        return ""
    shown = []
    if job.charges is not None:
        shown.append(_money(job.charges, job.currency))
    if job.negotiated_charges is not None:
        shown.append(_("your rate {amount}").format(amount=_money(job.negotiated_charges, job.currency)))
    if job.charges_with_taxes is not None or job.negotiated_with_taxes is not None:  # where UPS adds taxes
        taxed = job.negotiated_with_taxes if job.negotiated_with_taxes is not None else job.charges_with_taxes
        shown.append(_("{amount} with taxes").format(amount=_money(taxed, job.currency)))
    return shown[0] + (f" ({', '.join(shown[1:])})" if len(shown) > 1 else "") if shown else ""


def _uncertain(shipment: str, job: LabelJob | None, wait: timedelta, now: datetime) -> UncertainLabel:
    """The look-ups at UPS since the job's answer was lost (from the audit log), and when a person may decide."""
    job_id = job.job_id if job is not None else None
    lost: AuditEntry | None = None
    checks: list[UncertainCheck] = []
    for entry in audit.entries(shipment, limit=200):  # newest first
        if job_id is not None and entry.job_id != job_id:
            continue
        if entry.action == AuditAction.RECONCILED_NOT_FOUND:
            checks.append(UncertainCheck(local_time(entry.at, "%H:%M"), entry.detail or _("UPS listed nothing")))
        elif entry.action == AuditAction.UNCERTAIN:
            lost = entry
            break
    since = lost.at if lost is not None else (job.updated_at if job is not None else now)
    decide_at = since + wait
    return UncertainLabel(since=local_time(since, "%H:%M"), checks=tuple(checks),
                          decide_from=local_time(decide_at, "%H:%M"), can_decide=now >= decide_at)


def _labelled_at(job: LabelJob | None, state: State, station: str) -> str:
    if job is None or state not in LABEL_EXISTS or not job.station or job.station == station:
        return ""
    return _("Labelled at {station}, {when}").format(station=job.station, when=local_time(job.created_at))

def _validation_text(record: ShipmentRecord) -> str:
    status = record.address_status
    if status == "overridden":
        return _("Kept as entered: {reason}").format(reason=record.address_override_reason)
    return {"valid": _("Address confirmed by UPS"), "ambiguous": _("UPS is not sure about this address"),
            "no_candidates": _("UPS does not know this address"),
            "not_validated": _("Not validated: UPS Address Validation is not enabled for this app")}.get(
                status, _("Address not checked yet"))

def _problem(record: ShipmentRecord, state: State, job: LabelJob | None) -> tuple[str, RetryAction | None]:
    """Why a person must act, and what Retry does about it."""
    job_error: str = job.last_error if job is not None else ""
    if state == State.NEEDS_ATTENTION:
        address = record.address_status in ("ambiguous", "no_candidates")
        return record.attention_reason or job_error, RetryAction.VALIDATE if address else None
    if state == State.FAILED:
        return record.attention_reason or job_error, RetryAction.SHIP
    if state == State.UNCERTAIN:
        return (job_error or _("The label request was sent but its answer was lost: shipdesk must look it "
                               "up at UPS before shipping again.")), RetryAction.RECONCILE
    if state == State.LABELLED_TWICE:  # Void is the answer (the toolbar's), not a retry
        return record.attention_reason or job_error, None
    if state == State.LABELLED and job_error:
        # an attention reason means Acumatica refused the record: correct it there, a retry gets the same answer
        retry = None if record.attention_reason else RetryAction.WRITE_BACK
        return _("The label exists but is not in Acumatica yet: {problem}").format(problem=job_error), retry
    return "", None

def _preview(archive: LabelArchive, shipment: str, tracking: str) -> bytes | None:
    try:
        stored = archive.load(shipment, tracking) or label_files.load(tracking)  # this PC's copy, else the store's
        if stored is None:
            return None
        return preview_png(decode_label(stored.format, stored.data), max_height=720)
    except ShipdeskError as exc:
        log.info("no preview for %s: %s", tracking, exc)
        return None


def package_lines(shipment: str) -> tuple[PackageLine, ...]:
    """The shipment's packages as the store last read them from Acumatica (the Pack dialog's rows)."""
    rows = sorted(repo.packages_of(shipment), key=lambda p: (p.line_nbr or 0, p.id))
    return tuple(PackageLine(p.box_id, p.weight or Decimal(0), p.length, p.width, p.height) for p in rows)
