"""Print a shipment's labels again, from the archive (UPS Label Recovery for a missing or unusable one).

A label recovered because UPS's first data was unusable is then attached in Acumatica too, when the
write-back already ran without it (a job still labelled attaches it on its own write-back retry).
"""

from __future__ import annotations

from collections.abc import Sequence

from shipdesk.core.domain.audit import AuditAction
from shipdesk.core.domain.outcomes import Reason, ShipOutcome
from shipdesk.core.domain.states import State
from shipdesk.core.shipping.after_label import DONE_STATES
from shipdesk.core.shipping.papers import Papers
from shipdesk.core.shipping.parts import FlowParts
from shipdesk.core.shipping.return_writeback import describe, is_electronic
from shipdesk.core.shipping.writeback import label_filename
from shipdesk.core.store import audit_log, jobs, shipments
from shipdesk.core.store.models import LabelJob
from shipdesk.errors import ShipdeskError
from shipdesk.i18n import _


def reprint(parts: FlowParts, nbr: str) -> ShipOutcome:
    job = _labelled_job(nbr)
    if job.shipment.return_of and is_electronic(job):
        raise ShipdeskError(_("Return label {shipment} is electronic: UPS emailed it ({how}), so there is nothing to "
                              "print.").format(shipment=nbr, how=describe(job)),
                            hint=_("Make a print return label if the customer needs paper."))
    numbers = job.tracking_numbers
    awaiting = [t for t in numbers if parts.labels.awaits_reprint(nbr, t)]
    parts.labels.print_job(job)
    audit_log.record(AuditAction.REPRINT, shipment_nbr=nbr, job_id=job.job_id,
                     detail=_("recovered {numbers}").format(numbers=", ".join(awaiting)) if awaiting else "")
    warnings = _attach_recovered(parts, job, awaiting) if awaiting else ()
    try:  # the commercial invoice goes with the labels, paperless or not: the clerk asked for paper
        Papers(parts.context).print_invoice(job, reprint=True)
    except ShipdeskError as exc:
        warnings = (*warnings, _("The commercial invoice was not printed: {reason}").format(reason=exc))
    return ShipOutcome(nbr, True, job.state, _("Labels of shipment {shipment} sent to the printer.").format(
                           shipment=nbr),
                       tracking_numbers=tuple(numbers), warnings=warnings, job_id=job.job_id, printed=True,
                       reason=Reason.REPRINTED)


def _attach_recovered(parts: FlowParts, job: LabelJob, numbers: Sequence[str]) -> tuple[str, ...]:
    nbr = job.shipment.shipment_nbr
    if job.state not in DONE_STATES:
        return ()
    try:
        with parts.session() as acu:
            for tracking in numbers:
                label = parts.labels.file_for(nbr, tracking)
                name = label_filename(tracking, label.format)
                acu.attach_file(nbr, name, label.data)
                audit_log.record(AuditAction.LABEL_ATTACHED, shipment_nbr=nbr, job_id=job.job_id, detail=name)
    except ShipdeskError as exc:
        return (_("The label was printed but is not attached to shipment {shipment} in Acumatica: {reason}").format(
            shipment=nbr, reason=exc),)
    return ()


def _labelled_job(nbr: str) -> LabelJob:
    job = jobs.latest_job(nbr)
    if job is None:
        shipments.require_shipment(nbr)  # a mistyped number is unknown here, not a shipment to ship first
    if job is None or job.state not in (State.LABELLED, *DONE_STATES):
        raise ShipdeskError(_("Shipment {shipment} has no label to print.").format(shipment=nbr),
                            hint=_("Ship it first."))
    return job
