"""A return label's write-back: its tracking number on the record it belongs to in Acumatica.

The return row's ``order_numbers`` say where (``core.store.returns``): empty → the shipment it returns
(``return_of``); ``RM RM005117`` → that RMA order. shipdesk writes one line under the return's own marker
(``[shipdesk SH000106-R1] UPS return label 1Z… (print), made 2026-11-25``), which the sync later replaces
with the return's tracking status; a print return label is attached as ``Return label #<tracking>.<ext>``;
with ``[returns] tracking_field`` the number also goes in that custom field of the shipment. Each step is
idempotent (the note merge, a file of the same name replaced), so a retry repeats nothing twice.
"""

from __future__ import annotations

from shipdesk.acumatica.client import AcumaticaClient
from shipdesk.core.domain.audit import AuditAction
from shipdesk.core.domain.outcomes import Reason, ShipOutcome
from shipdesk.core.domain.states import State
from shipdesk.core.shipping.papers import Papers
from shipdesk.core.shipping.parts import FlowParts
from shipdesk.core.store import audit_log, jobs, shipments
from shipdesk.core.store.models import LabelJob
from shipdesk.errors import RemoteError, ShipdeskError
from shipdesk.i18n import _
from shipdesk.ups.models import ELECTRONIC_RETURN_LABEL


def return_filename(tracking: str, fmt: str) -> str:
    return f"Return label #{tracking}.{fmt.lower()}"


def marker(return_nbr: str) -> str:
    """Never translated: shipdesk finds its note line again by it (the words after it are translated)."""
    return f"[shipdesk {return_nbr}]"


def target_of(order_numbers: str, return_of: str) -> tuple[str, list[str]]:
    """(entity, keys) the return is written to: an RMA order named in ``order_numbers``, else the shipment."""
    kind, _sep, nbr = order_numbers.split(",")[0].strip().partition(" ")
    if kind and nbr.strip():
        return "SalesOrder", [kind, nbr.strip()]
    return "Shipment", [return_of]


def is_electronic(job: LabelJob) -> bool:
    service = (job.request.get("ShipmentRequest", {}).get("Shipment", {}).get("ReturnService") or {})
    return str(service.get("Code", "")) == ELECTRONIC_RETURN_LABEL


def describe(job: LabelJob) -> str:
    if is_electronic(job):
        email = (job.request["ShipmentRequest"]["Shipment"].get("ShipmentServiceOptions", {})
                 .get("LabelDelivery", {}).get("EMail", {}).get("EMailAddress", ""))
        return _("electronic, emailed to {email}").format(email=email) if email else _("electronic")
    return _("print")


def print_and_write_back_return(parts: FlowParts, acu: AcumaticaClient, job: LabelJob, *, print_labels: bool,
                                label_problem: str = "") -> ShipOutcome:
    """The caller holds the job lock. Prints a print return label (UPS emails an electronic one), then writes
    the return to Acumatica; a failed write-back keeps the job labelled for the sync to retry."""
    record = job.shipment
    nbr, numbers = record.shipment_nbr, tuple(job.tracking_numbers)
    if job.state in (State.WRITTEN_BACK, State.IN_TRANSIT, State.DELIVERED, State.EXCEPTION):
        return ShipOutcome(nbr, True, job.state, _("Return label {shipment} is already made.").format(shipment=nbr),
                           tracking_numbers=numbers,
                           job_id=job.job_id, written_back=True, reason=Reason.ALREADY_LABELLED)
    notes = [label_problem] if label_problem else []
    printed = job.printed_at is not None
    if print_labels and not printed and not label_problem and not is_electronic(job):
        try:
            parts.labels.print_job(job)
            printed = True
            Papers(parts.context).print_invoice(job)  # across a border: the partial invoice goes in the box
        except ShipdeskError as exc:
            notes.append(_("The return label was made but not printed: {reason}").format(reason=exc))
    entity, keys = target_of(record.order_numbers, record.return_of)
    try:
        written = _write(parts, acu, job, entity, keys)
    except ShipdeskError as exc:
        sentence = _("Return label made, but not written to {record} in Acumatica yet: {reason}").format(
            record=_target_name(entity, keys), reason=exc)
        jobs.note_job_error(job.job_id, sentence)
        refused = isinstance(exc, RemoteError) and not exc.retryable
        shipments.set_state(nbr, State.LABELLED, reason=sentence if refused else "")
        audit_log.record(AuditAction.WRITEBACK_FAILED, shipment_nbr=nbr, job_id=job.job_id, detail=str(exc))
        return ShipOutcome(nbr, False, State.LABELLED, sentence, tracking_numbers=numbers, warnings=tuple(notes),
                           job_id=job.job_id, printed=printed, reason=Reason.WRITEBACK_PENDING)
    jobs.mark_written_back(job.job_id)
    audit_log.record(AuditAction.RETURN_LABEL, shipment_nbr=nbr, job_id=job.job_id,
                     detail=_("{numbers} ({label}) for {shipment}; written to {written}").format(
                         numbers=", ".join(numbers), label=describe(job), shipment=record.return_of, written=written))
    if is_electronic(job):
        said = _("Return label for shipment {shipment} ({return_nbr}): {tracking}, emailed by UPS; written to "
                 "{record}.")
    elif printed:
        said = _("Return label for shipment {shipment} ({return_nbr}): {tracking}, printed; written to {record}.")
    else:
        said = _("Return label for shipment {shipment} ({return_nbr}): {tracking}, not printed; written to "
                 "{record}.")
    return ShipOutcome(nbr, True, State.WRITTEN_BACK,
                       said.format(shipment=record.return_of, return_nbr=nbr, tracking=", ".join(numbers),
                                   record=written), tracking_numbers=numbers, warnings=tuple(notes),
                       job_id=job.job_id, printed=printed, written_back=True, reason=Reason.LABELLED)


def _write(parts: FlowParts, acu: AcumaticaClient, job: LabelJob, entity: str, keys: list[str]) -> str:
    record = job.shipment
    numbers = ", ".join(job.tracking_numbers)
    made = job.created_at.date().isoformat() if job.created_at else ""
    # read by customer service on the note; the marker (marker()) is the part shipdesk finds again
    line = _("UPS return label {tracking} ({how}), made {date}").format(tracking=numbers, how=describe(job), date=made)
    acu.set_note_status_line("Shipment" if entity == "Shipment" else "SalesOrder", keys, line,
                             marker=marker(record.shipment_nbr))
    if not is_electronic(job):
        for tracking in job.tracking_numbers:
            label = parts.labels.attachable(record.shipment_nbr, tracking)
            if label is None:
                continue
            name = return_filename(tracking, label.format)
            if entity == "Shipment":
                acu.attach_file(keys[0], name, label.data)
            else:
                acu.attach_file_to(entity, keys, name, label.data)
    field = parts.config.returns.tracking_field.strip()
    if field and entity == "Shipment":
        acu.set_custom_fields(keys[0], {field: numbers})
    return _target_name(entity, keys)


def _target_name(entity: str, keys: list[str]) -> str:
    if entity == "Shipment":
        return _("shipment {keys}").format(keys=" ".join(keys))
    return _("RMA order {keys}").format(keys=" ".join(keys))
