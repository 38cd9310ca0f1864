"""After the label: print it (once) and write it back to Acumatica, under the job lock.

One writer per job: the window that just labelled it holds the lock from the Ship call on, and a later
print or write-back (the sync's retry, another window or station) takes the same lock, so a label is never
written back or confirmed twice. A failed print is a warning; a failed write-back leaves the job
``labelled`` with the reason, for the sync to retry (``retry_writebacks``). A job already written back is
reported as it is. Unusable label data is never printed: Reprint fetches the label with UPS Label Recovery.

Labelled twice (stations without a shared store): when Acumatica already carries another station's
tracking numbers, nothing is written there and the job becomes ``labelled_twice`` with both numbers. A
label that was never printed is voided at once (it is on no box); a printed one is left to a person, with
the advice to void it. Such a station reads the shipment again right after the label, before printing, so
a label the other station beat it to is not printed at all.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence

from shipdesk.acumatica.client import AcumaticaClient
from shipdesk.acumatica.errors import RecordChangedElsewhere
from shipdesk.acumatica.models import Shipment
from shipdesk.core.domain.audit import AuditAction
from shipdesk.core.domain.outcomes import Reason, ShipOutcome
from shipdesk.core.domain.states import State
from shipdesk.core.events import ServiceStatusChanged
from shipdesk.core.shipping.claims import advice_once
from shipdesk.core.shipping.papers import Papers
from shipdesk.core.shipping.parts import FlowParts, Notify, quiet
from shipdesk.core.shipping.return_writeback import print_and_write_back_return
from shipdesk.core.shipping.writeback import keep_for_retry, refuse_others, write_back
from shipdesk.core.store import audit_log, jobs, shipments
from shipdesk.core.store.models import LabelJob
from shipdesk.core.tracking.outages import is_outage
from shipdesk.errors import RemoteError, ShipdeskError, TrackingTakenElsewhere
from shipdesk.i18n import _

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
        return done_outcome(job, here=parts.station)
    lock = parts.locks.lock(job.job_id)
    if not lock.acquire():
        nbr = job.shipment.shipment_nbr
        if job.station and job.station != parts.station:
            said = _("Shipment {shipment} is being printed or written back right now at {station}.").format(
                shipment=nbr, station=job.station)
        else:
            said = _("Shipment {shipment} is being printed or written back right now by another shipdesk window "
                     "or the sync.").format(shipment=nbr)
        return ShipOutcome(nbr, False, job.state, said, tracking_numbers=tuple(job.tracking_numbers),
                           job_id=job.job_id, reason=Reason.BUSY_ELSEWHERE)
    try:
        return print_and_write_back(parts, acu, jobs.require_job(job.job_id), print_labels=print_labels,
                                    step=step, raise_outage=raise_outage)
    finally:  # once its written-back state is committed (in a batch it rides with the next label's)
        parts.group.when_committed(lock.release)


def print_and_write_back(parts: FlowParts, acu: AcumaticaClient, job: LabelJob, *, print_labels: bool,
                         step: Notify = quiet, warnings: Sequence[str] = (), shipment: Shipment | None = None,
                         label_problem: str = "", raise_outage: bool = False,
                         numbered: Mapping[str, str] | None = None) -> ShipOutcome:
    """The caller holds the job lock. ``shipment``: this run's fresh read from before labelling, reused by the
    write-back (None: a retry, read it again). ``label_problem``: UPS's label data was unusable; nothing is
    printed and the sentence is reported once. ``numbered``: which package got which tracking number, as the
    label's commit returned it (None: read from the store)."""
    if job.state in DONE_STATES:  # done, possibly by the worker that held the lock before
        return done_outcome(job, here=parts.station)
    if job.shipment.return_of:  # a return label: written to the shipment it returns (or its RMA order)
        return print_and_write_back_return(parts, acu, job, print_labels=print_labels, label_problem=label_problem)
    if job.state != State.LABELLED:  # labelled twice (a person decides) or voided meanwhile
        return as_it_is(job)
    notes = [*warnings, *([label_problem] if label_problem else [])]
    checked: Shipment | None = None  # the read refuse_others has seen (the write-back need not look again)
    if parts.claims.reads_before_writing:  # no shared store: another station may have written meanwhile
        try:
            shipment = acu.get_shipment(job.shipment.shipment_nbr)
            refuse_others(shipment, job)
            checked = shipment
        except TrackingTakenElsewhere as exc:
            return _labelled_twice(parts, job, exc)
        except ShipdeskError as exc:
            if raise_outage and is_outage(exc):
                _keep_labelled(job, exc)
                raise
            return _keep_labelled(job, exc, notes=notes, printed=job.printed_at is not None)
    printed_before = job.printed_at is not None
    printed, print_failed = _print_once(parts, job, notes, print_labels=print_labels and not label_problem, step=step)
    if printed and not printed_before and parts.claims.reads_before_writing:
        shipment = None  # another station may have written while it printed: read again before writing
    step("writing_back")
    try:
        try:
            result = write_back(acu, job, config=parts.config, labels=parts.labels.attachable,
                                correct_confirmed=parts.correct_confirmed, current=shipment,
                                others_refused=shipment is not None and shipment is checked,
                                checkpoint=parts.checkpoint, note_after=parts.claims.note_after_writeback,
                                commit=parts.group.commit, numbered=numbered)
        except RecordChangedElsewhere:  # saved by someone else at the same moment: read what landed, once
            result = write_back(acu, jobs.require_job(job.job_id), config=parts.config,
                                labels=parts.labels.attachable, correct_confirmed=parts.correct_confirmed,
                                current=None, checkpoint=parts.checkpoint,
                                note_after=parts.claims.note_after_writeback, commit=parts.group.commit)
    except TrackingTakenElsewhere as exc:  # another station's numbers reached Acumatica first
        return _labelled_twice(parts, jobs.require_job(job.job_id), exc)
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
    return ShipOutcome(nbr, True, State.WRITTEN_BACK,
                       _("Shipment {shipment} labelled: {tracking}.").format(shipment=nbr, tracking=", ".join(numbers)),
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
    said = _("Shipment {shipment} labelled: {tracking}.").format(shipment=nbr, tracking=", ".join(numbers))
    return ShipOutcome(nbr, True, State.LABELLED, f"{said} {why}",
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
        notes.append(_("The label was made but not printed: {reason}").format(reason=exc))
        return False, True
    notes.extend(_print_papers(parts, job))
    return True, False


def _print_papers(parts: FlowParts, job: LabelJob) -> list[str]:
    """The commercial invoice after the labels (unless paperless); a failure is a warning, Reprint retries."""
    try:
        Papers(parts.context).print_invoice(job)
    except ShipdeskError as exc:
        return [_("The commercial invoice was not printed (Reprint prints it with the labels): {reason}").format(
            reason=exc)]
    return []


def done_outcome(job: LabelJob, *, here: str = "") -> ShipOutcome:
    nbr = job.shipment.shipment_nbr
    if job.station and job.station != here:
        said = _("Shipment {shipment} is already labelled at {station}.").format(shipment=nbr, station=job.station)
    else:
        said = _("Shipment {shipment} is already labelled.").format(shipment=nbr)
    return ShipOutcome(nbr, True, job.state, said,
                       tracking_numbers=tuple(job.tracking_numbers), job_id=job.job_id, written_back=True,
                       printed=job.printed_at is not None, reason=Reason.ALREADY_LABELLED)


def as_it_is(job: LabelJob) -> ShipOutcome:
    nbr = job.shipment.shipment_nbr
    reason = Reason.LABELLED_TWICE if job.state == State.LABELLED_TWICE else Reason.VOIDED
    said = job.last_error or _("Shipment {shipment} is {state}.").format(shipment=nbr, state=job.state.label)
    return ShipOutcome(nbr, False, job.state, said,
                       tracking_numbers=tuple(job.tracking_numbers), job_id=job.job_id,
                       printed=job.printed_at is not None, reason=reason)


def _labelled_twice(parts: FlowParts, job: LabelJob, exc: TrackingTakenElsewhere) -> ShipOutcome:
    """Acumatica has another station's label: leave it there, flag this job with both numbers, and void this
    label when it was never printed (it is on no box)."""
    nbr, ours, theirs = job.shipment.shipment_nbr, ", ".join(exc.ours), ", ".join(exc.theirs)
    said = _("Shipment {shipment} was labelled twice: Acumatica already has {theirs} (another station's label), "
             "so this station's label {ours} was not written there.").format(shipment=nbr, theirs=theirs, ours=ours)
    printed = job.printed_at is not None
    if printed:
        sentence = said + " " + _("This station's label was printed: void it (Void) unless its box ships with it "
                                  "instead; then Acumatica's {theirs} is the one that counts.").format(theirs=theirs)
    else:
        sentence = said + " " + _("It was never printed: it is being voided.")
    jobs.mark_job(job.job_id, State.LABELLED_TWICE, error=sentence)
    audit_log.record(AuditAction.LABELLED_TWICE, shipment_nbr=nbr, job_id=job.job_id,
                     detail=_("Acumatica: {theirs}; this station: {ours}").format(theirs=theirs, ours=ours))
    warnings = tuple(filter(None, [advice_once()]))
    if not printed:
        sentence = _void_unprinted(parts, job, said, theirs)
    state = jobs.require_job(job.job_id).state
    return ShipOutcome(nbr, False, state, sentence, tracking_numbers=exc.ours, warnings=warnings,
                       job_id=job.job_id, printed=printed, reason=Reason.LABELLED_TWICE)


def _void_unprinted(parts: FlowParts, job: LabelJob, said: str, theirs: str) -> str:
    nbr, ours = job.shipment.shipment_nbr, ", ".join(job.tracking_numbers)
    try:
        result = parts.ups.void(job.ups_shipment_id)
        voided = result.voided
        why = result.description or result.status_code
    except ShipdeskError as exc:
        voided, why = False, str(exc)
    if not voided:
        sentence = said + " " + _("It was never printed, but UPS did not void it ({why}): void it (Void, or "
                                  "`shipdesk void {shipment}`); Acumatica keeps {theirs}.").format(
            why=why, shipment=nbr, theirs=theirs)
        jobs.mark_job(job.job_id, State.LABELLED_TWICE, error=sentence)
        return sentence
    sentence = said + " " + _("It was never printed and has been voided at UPS. Acumatica keeps {theirs}: nothing "
                              "to do.").format(theirs=theirs)
    jobs.mark_voided(job.job_id)
    shipments.set_state(nbr, State.VOIDED, reason=sentence)
    audit_log.record(AuditAction.VOIDED, shipment_nbr=nbr, job_id=job.job_id,
                     detail=_("{numbers} (labelled twice, never printed)").format(numbers=ours))
    return sentence


def _keep_labelled(job: LabelJob, exc: ShipdeskError, *, notes: Sequence[str] = (),
                   printed: bool = False) -> ShipOutcome:
    """The write-back failed: the job stays labelled with the reason, for the sync to retry."""
    nbr = job.shipment.shipment_nbr
    sentence = _("Labelled, but the tracking numbers are not in Acumatica yet: {reason}").format(reason=exc)
    keep_for_retry(job, sentence, exc)
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
