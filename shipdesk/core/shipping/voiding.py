"""Void a label: at UPS FIRST, and only when UPS confirms, clear the tracking numbers in Acumatica.

The other order could leave a live label (billed by UPS) with no trace in Acumatica. A void that UPS
confirmed but Acumatica did not take stays ``voided`` with the reason; voiding again only retries the
Acumatica side. Once the tracking numbers are cleared, shipdesk's status line on the shipment note says
which label was voided, when and by whom, so customer service sees it. The label files stay attached
(the contract-based API has no way to delete a file), and the note line says so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from datetime import date

from shipdesk.acumatica.client import AcumaticaClient
from shipdesk.core.domain.audit import AuditAction, os_user
from shipdesk.core.domain.outcomes import Reason, ShipOutcome
from shipdesk.core.domain.states import State
from shipdesk.core.shipping.return_writeback import marker, target_of
from shipdesk.core.store import audit_log, jobs, shipments
from shipdesk.errors import ShipdeskError
from shipdesk.i18n import _, ngettext
from shipdesk.ups.client import UpsClient

VOIDABLE = frozenset({State.LABELLED, State.WRITTEN_BACK, State.IN_TRANSIT, State.EXCEPTION, State.VOIDED,
                      State.LABELLED_TWICE})
Session = Callable[[], AbstractContextManager[AcumaticaClient]]


def void_label(ups: UpsClient, session: Session, nbr: str) -> ShipOutcome:
    job = jobs.latest_job(nbr)
    if job is None or job.state not in VOIDABLE:
        raise ShipdeskError(_("Shipment {shipment} has no UPS label to void.").format(shipment=nbr))
    numbers = tuple(job.tracking_numbers)
    # labelled twice: these numbers never reached Acumatica (another station's are there and stay)
    never_written = job.state == State.LABELLED_TWICE
    if job.state != State.VOIDED:
        result = ups.void(job.ups_shipment_id)
        if not result.voided:
            raise ShipdeskError(_("UPS did not void shipment {shipment}: {reason}.").format(
                shipment=nbr, reason=result.description or result.status_code),
                hint=_("Nothing was changed in Acumatica."))
        jobs.mark_voided(job.job_id)
        audit_log.record(AuditAction.VOIDED, shipment_nbr=nbr, job_id=job.job_id, detail=", ".join(numbers))
    warnings: tuple[str, ...] = ()
    record = shipments.require_shipment(nbr)
    try:
        with session() as acu:
            if record.return_of:  # a return label's number is only in a note line: the void replaces it
                entity, keys = target_of(record.order_numbers, record.return_of)
                acu.set_note_status_line("Shipment" if entity == "Shipment" else "SalesOrder", keys,
                                         void_note_line(numbers, on=date.today(), user=os_user(), what="return"),
                                         marker=marker(nbr))
            else:
                _clear_tracking(acu, nbr, numbers)
                warnings = () if never_written else _note_void(acu, nbr, numbers)
    except ShipdeskError as exc:
        sentence = _("Voided at UPS, but the tracking numbers are still on shipment {shipment} in Acumatica: "
                     "{reason} Run `shipdesk void {shipment}` again, or clear them by hand.").format(
            shipment=nbr, reason=exc)
        shipments.set_state(nbr, State.VOIDED, reason=sentence)
        return ShipOutcome(nbr, False, State.VOIDED, sentence, tracking_numbers=numbers, job_id=job.job_id,
                           reason=Reason.VOID_NOT_CLEARED)
    shipments.set_state(nbr, State.VOIDED)
    return ShipOutcome(nbr, True, State.VOIDED, _("Shipment {shipment} voided: {tracking}.").format(
                           shipment=nbr, tracking=", ".join(numbers)),
                       tracking_numbers=numbers, warnings=warnings, job_id=job.job_id, reason=Reason.VOIDED)


def void_note_line(numbers: Sequence[str], *, on: date, user: str, what: str = "") -> str:
    """shipdesk's status line on the shipment note after a void (the "[shipdesk]" marker is added)."""
    # read by customer service on the shipment's note; nothing parses it back (the marker is added apart)
    values = {"tracking": ", ".join(numbers), "date": on.isoformat(), "user": user}
    if what == "return":
        return ngettext("UPS return label {tracking} voided on {date} by {user}; its label file stays attached to "
                        "this shipment (shipdesk cannot delete files in Acumatica).",
                        "UPS return labels {tracking} voided on {date} by {user}; their label files stay attached "
                        "to this shipment (shipdesk cannot delete files in Acumatica).", len(numbers)).format(**values)
    return ngettext("UPS label {tracking} voided on {date} by {user}; its label file stays attached to this "
                    "shipment (shipdesk cannot delete files in Acumatica).",
                    "UPS labels {tracking} voided on {date} by {user}; their label files stay attached to this "
                    "shipment (shipdesk cannot delete files in Acumatica).", len(numbers)).format(**values)


def _note_void(acu: AcumaticaClient, nbr: str, numbers: tuple[str, ...]) -> tuple[str, ...]:
    """Put the void on the shipment note; a failure here is reported, never undoes the void."""
    if not numbers:
        return ()
    try:
        acu.set_note_status_line("Shipment", [nbr], void_note_line(numbers, on=date.today(), user=os_user()))
    except ShipdeskError as exc:
        return (_("The note on shipment {shipment} in Acumatica does not mention the void: {reason}").format(
            shipment=nbr, reason=exc),)
    return ()


def _clear_tracking(acu: AcumaticaClient, nbr: str, numbers: tuple[str, ...]) -> None:
    shipment = acu.get_shipment(nbr)
    if not set(numbers) & set(shipment.tracking_numbers):
        return
    if shipment.status == "Confirmed":  # package rows are read-only until the shipment is corrected
        acu.correct_shipment(nbr)
        audit_log.record(AuditAction.CORRECTED, shipment_nbr=nbr, detail=_("to clear voided tracking numbers"))
        shipment = acu.get_shipment(nbr)
    acu.clear_tracking(shipment)
    audit_log.record(AuditAction.TRACKING_CLEARED, shipment_nbr=nbr, detail=", ".join(numbers))
