"""After the label: print it (once) and write it back to Acumatica, under the job lock.

One writer per job: the window that just labelled it holds the lock from the Ship call on, and a later
print or write-back (the sync's retry, another window) takes the same lock, so a label is never written
back or confirmed twice. A failed print is a warning; a failed write-back leaves the job ``labelled``
with the reason, for the sync to retry (``retry_writebacks``). A job already written back is reported as
it is. Unusable label data is never printed: Reprint fetches the label with UPS Label Recovery.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from shipdesk.acumatica.client import AcumaticaClient
from shipdesk.acumatica.models import Shipment
from shipdesk.core.domain.audit import AuditAction
from shipdesk.core.domain.outcomes import Reason, ShipOutcome
from shipdesk.core.domain.states import State
from shipdesk.core.events import ServiceStatusChanged
from shipdesk.core.shipping.papers import Papers
from shipdesk.core.shipping.parts import FlowParts, Notify, quiet
from shipdesk.core.shipping.return_writeback import print_and_write_back_return
from shipdesk.core.shipping.writeback import write_back
from shipdesk.core.store import audit_log, jobs, shipments
from shipdesk.core.store.models import LabelJob
from shipdesk.core.tracking.outages import is_outage
from shipdesk.errors import RemoteError, ShipdeskError

log = logging.getLogger(__name__)

#: the label is in Acumatica (and maybe on its way): nothing is left to finish
DONE_STATES = frozenset({State.WRITTEN_BACK, State.IN_TRANSIT, State.DELIVERED, State.EXCEPTION})


def finish(parts: FlowParts, acu: AcumaticaClient, job: LabelJob, *, print_labels: bool,
           step: Notify = quiet, raise_outage: bool = False) -> ShipOutcome:
    """Print (once) and write back a labelled job an earlier run (or another worker) left, taking its lock;
    a job already done is reported as it is.

    ``raise_outage``: a write-back failing because Acumatica is down is raised (the job stays labelled),
    for the caller to report the outage once."""
    if job.state in DONE_STATES:
        return done_outcome(job)
    lock = parts.locks.lock(job.job_id)
    if not lock.acquire():
        nbr = job.shipment.shipment_nbr
        return ShipOutcome(nbr, False, job.state, f"Shipment {nbr} is being printed or written back right now "
                           "by another shipdesk window or the sync.", tracking_numbers=tuple(job.tracking_numbers),
                           job_id=job.job_id, reason=Reason.BUSY_ELSEWHERE)
    try:
        return print_and_write_back(parts, acu, jobs.require_job(job.job_id), print_labels=print_labels,
                                    step=step, raise_outage=raise_outage)
    finally:
        lock.release()


def print_and_write_back(parts: FlowParts, acu: AcumaticaClient, job: LabelJob, *, print_labels: bool,
                         step: Notify = quiet, warnings: Sequence[str] = (), shipment: Shipment | None = None,
                         label_problem: str = "", raise_outage: bool = False) -> ShipOutcome:
    """The caller holds the job lock. ``shipment``: this run's fresh read from before labelling, reused by the
    write-back (None: a retry, read it again). ``label_problem``: UPS's label data was unusable; nothing is
    printed and the sentence is reported once."""
    if job.state in DONE_STATES:  # done, possibly by the worker that held the lock before
        return done_outcome(job)
    if job.shipment.return_of:  # a return label: written to the shipment it returns (or its RMA order)
        return print_and_write_back_return(parts, acu, job, print_labels=print_labels, label_problem=label_problem)
    notes = [*warnings, *([label_problem] if label_problem else [])]
    printed, print_failed = _print_once(parts, job, notes, print_labels=print_labels and not label_problem, step=step)
    step("writing_back")
    try:
        result = write_back(acu, job, config=parts.config, labels=parts.labels.attachable,
                            correct_confirmed=parts.correct_confirmed, current=shipment, checkpoint=parts.checkpoint)
    except ShipdeskError as exc:
        if isinstance(exc, RemoteError) and is_outage(exc):  # the status bar (and the app's breaker) hear it
            parts.context.events.publish(ServiceStatusChanged(exc.service, reachable=False, sentence=str(exc)))
        if raise_outage and is_outage(exc):
            _keep_labelled(job, exc)
            raise
        return _keep_labelled(job, exc, notes=notes, printed=printed)
    step("done")
    nbr, numbers = job.shipment.shipment_nbr, tuple(job.tracking_numbers)
    reason = Reason.LABEL_UNREADABLE if label_problem else Reason.PRINT_FAILED if print_failed else Reason.LABELLED
    return ShipOutcome(nbr, True, State.WRITTEN_BACK, f"Shipment {nbr} labelled: {', '.join(numbers)}.",
                       tracking_numbers=numbers, warnings=(*notes, *result.warnings), job_id=job.job_id,
                       printed=printed, written_back=True, reason=reason)


def print_and_queue(parts: FlowParts, job: LabelJob, *, print_labels: bool, why: str, step: Notify = quiet,
                    warnings: Sequence[str] = (), label_problem: str = "") -> ShipOutcome:
    """Acumatica is not answering: print, and leave the write-back to the sync (the job stays labelled, its
    reason ``why``). The caller holds the job lock."""
    notes = [*warnings, *([label_problem] if label_problem else [])]
    printed, print_failed = _print_once(parts, job, notes, print_labels=print_labels and not label_problem, step=step)
    nbr, numbers = job.shipment.shipment_nbr, tuple(job.tracking_numbers)
    jobs.note_job_error(job.job_id, why)
    audit_log.record(AuditAction.WRITEBACK_FAILED, shipment_nbr=nbr, job_id=job.job_id, detail=why)
    step("done")
    return ShipOutcome(nbr, True, State.LABELLED, f"Shipment {nbr} labelled: {', '.join(numbers)}. {why}",
                       tracking_numbers=numbers, warnings=tuple(notes), job_id=job.job_id, printed=printed,
                       reason=Reason.PRINT_FAILED if print_failed else Reason.WRITEBACK_PENDING)


def _print_once(parts: FlowParts, job: LabelJob, notes: list[str], *, print_labels: bool,
                step: Notify) -> tuple[bool, bool]:
    """Print the job's labels unless printed before; (printed, print failed). A failure is added to ``notes``."""
    printed = job.printed_at is not None
    if not print_labels or printed:
        return printed, False
    step("printing")
    try:
        parts.labels.print_job(job)
    except ShipdeskError as exc:
        notes.append(f"The label was made but not printed: {exc}")
        return False, True
    notes.extend(_print_papers(parts, job))
    return True, False


def _print_papers(parts: FlowParts, job: LabelJob) -> list[str]:
    """The commercial invoice after the labels (unless paperless); a failure is a warning, Reprint retries."""
    try:
        Papers(parts.context).print_invoice(job)
    except ShipdeskError as exc:
        return [f"The commercial invoice was not printed (Reprint prints it with the labels): {exc}"]
    return []


def done_outcome(job: LabelJob) -> ShipOutcome:
    nbr = job.shipment.shipment_nbr
    return ShipOutcome(nbr, True, job.state, f"Shipment {nbr} is already labelled.",
                       tracking_numbers=tuple(job.tracking_numbers), job_id=job.job_id, written_back=True,
                       printed=job.printed_at is not None, reason=Reason.ALREADY_LABELLED)


def _keep_labelled(job: LabelJob, exc: ShipdeskError, *, notes: Sequence[str] = (),
                   printed: bool = False) -> ShipOutcome:
    """The write-back failed: the job stays labelled with the reason, for the sync to retry."""
    nbr = job.shipment.shipment_nbr
    sentence = f"Labelled, but the tracking numbers are not in Acumatica yet: {exc}"
    jobs.note_job_error(job.job_id, sentence)
    # the shipment's attention reason only when a person must act (Acumatica refused the record):
    # trying again cannot help until it is corrected; an outage only needs time (the sync retries)
    refused = isinstance(exc, RemoteError) and not exc.retryable
    shipments.set_state(nbr, State.LABELLED, reason=sentence if refused else "")
    audit_log.record(AuditAction.WRITEBACK_FAILED, shipment_nbr=nbr, job_id=job.job_id, detail=str(exc))
    return ShipOutcome(nbr, False, State.LABELLED, sentence, tracking_numbers=tuple(job.tracking_numbers),
                       warnings=tuple(notes), job_id=job.job_id, printed=printed, reason=Reason.WRITEBACK_PENDING)


def retry_writebacks(parts: FlowParts, *, on_outage: Callable[[RemoteError], None] | None = None
                     ) -> list[ShipOutcome]:
    """Finish every job that is labelled but not yet written back (the sync calls this).

    ``on_outage``: when Acumatica is down or throttling (:func:`outages.is_outage`), it is told once
    and the remaining jobs wait for the next retry, all staying labelled; no outcome is returned
    for them (the outage is one failure, not one per job). Without it each job reports its own."""
    # a job another worker is still printing or writing back is theirs to finish: no failure to report
    waiting = [job for job in jobs.jobs_in(State.LABELLED) if not parts.locks.in_flight(job.job_id)]
    if not waiting:
        return []
    outcomes = []
    with parts.session() as acu:
        for job in waiting:
            try:
                outcomes.append(finish(parts, acu, job, print_labels=False, raise_outage=on_outage is not None))
            except RemoteError as exc:
                if on_outage is None or not is_outage(exc):
                    raise
                on_outage(exc)
                break
    return outcomes
