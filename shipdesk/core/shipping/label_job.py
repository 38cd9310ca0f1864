"""Buying the label, exactly once: claim, commit the job as requesting under its lock, call UPS Ship, commit the answer.

1. without a shared store, a claim is left on the Acumatica shipment (``claims``); nothing is committed yet;
2. ONE transaction, right before the call, commits the job (its id is UPS's ``transId``) as ``requesting``
   with the request, the shipment with it (the address check's outcome in the same UPDATE), the audit
   entries and, in a batch, the previous label's written-back state (``group_commit``); a new job's lock
   is taken inside it. A job an earlier run prepared (``ready``) but never sent is continued under its id;
3. UPS's answer (tracking numbers, charges, label files) is committed at once (``labelled``), before
   anything is printed or written back; its UPDATEs return the job as committed (nothing is read again).
   A lost answer makes the job ``uncertain`` and it is looked up at UPS by reference (``reconcile``); a
   refusal, or a request that never arrived, makes it ``failed``.
The lock stays held for the caller to print and write back the new label (``NewLabel.lock``).

Two workers racing for one shipment (two windows, or two stations on the shared store) cannot both get
past step 2: the job's INSERT is guarded in a write transaction and the store keeps one live job per
shipment (a unique index). The one that loses calls nothing at UPS, keeps nothing of its job and says who
is labelling the shipment ("being labelled right now at PACK-02"). Without a shared store, the claim on
the Acumatica shipment keeps two stations from both buying in most races.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from shipdesk.core.domain.audit import AuditAction
from shipdesk.core.domain.outcomes import Reason, ShipOutcome
from shipdesk.core.domain.states import LABEL_EXISTS, State
from shipdesk.core.events import ServiceStatusChanged
from shipdesk.core.shipping import address_check, reconcile
from shipdesk.core.shipping.address_check import AddressOutcome
from shipdesk.core.shipping.checkpoints import Step
from shipdesk.core.shipping.job_lock import JobLock
from shipdesk.core.shipping.label_request import LabelRequest, labelled_meanwhile
from shipdesk.core.shipping.labelling import ArchivedResult
from shipdesk.core.shipping.papers import Papers
from shipdesk.core.shipping.parts import FlowParts
from shipdesk.core.shipping.readiness import busy_sentence, labelled_meanwhile_sentence
from shipdesk.core.shipping.ups_refusal import explain_refusal
from shipdesk.core.store import audit_log, jobs, label_files, shipments, transaction
from shipdesk.core.store.audit_log import Entry
from shipdesk.core.store.models import LabelJob
from shipdesk.core.tracking.outages import is_outage
from shipdesk.errors import (
    ApiRefused,
    AuthenticationFailed,
    ConnectionFailed,
    InvalidTransition,
    LabelAlreadyExists,
    OutcomeUnknown,
    RateLimited,
    RemoteError,
    ServerError,
    Service,
    StoreError,
)
from shipdesk.i18n import _
from shipdesk.ups.models import ELECTRONIC_RETURN_LABEL, ShipResult

log = logging.getLogger(__name__)

#: UPS answered with a refusal, or the request never arrived: no label was made
NO_LABEL_MADE = (ApiRefused, ConnectionFailed, RateLimited, AuthenticationFailed)


@dataclass
class NewLabel:
    """A label bought (or found at UPS) in this run; its lock is held until printed and written back."""

    job: LabelJob
    label_problem: str  # one sentence when UPS's label data cannot be used ("" when it can)
    lock: JobLock
    #: which package got which tracking number (Acumatica package id -> number), as committed; None: not known here
    numbered: dict[str, str] | None = None


def busy_outcome(nbr: str, job_id: str, *, station: str = "", here: str = "") -> ShipOutcome:
    """Another worker is labelling the shipment now: at ``station`` when that is not this one (``here``)."""
    return ShipOutcome(nbr, False, State.REQUESTING, busy_sentence(nbr, station, here=here), job_id=job_id,
                       reason=Reason.BUSY_ELSEWHERE)


def buy_label(parts: FlowParts, request: LabelRequest, *, prepared: str | None = None) -> NewLabel | ShipOutcome:
    """Claim the shipment, commit the job as ``requesting`` under its lock, call UPS, commit the answer.
    ``prepared``: the id of a job an earlier run prepared but never sent, continued with this (fresh) request."""
    nbr = request.shipment.shipment_nbr
    job_id = prepared or str(uuid.uuid4())
    lock = parts.locks.lock(job_id)
    # continuing a prepared job: lock it first, so a job another worker or station is about to send is left to
    # it (and keeps its station) instead of being taken over
    if prepared and not lock.acquire():
        address_check.run_later(list(request.first))  # what the checks found still counts
        return busy_outcome(nbr, prepared, station=jobs.require_job(prepared).station, here=parts.context.station)
    try:
        opened = _claim_and_open(parts, request, job_id, lock, prepared=prepared is not None)
        if isinstance(opened, ShipOutcome):
            lock.release()
            return opened
        bought = _call_and_commit(parts, request, job_id)
    except BaseException:
        lock.release()
        raise
    if isinstance(bought, ShipOutcome):
        lock.release()
        return bought
    return NewLabel(bought.job, bought.problem, lock, bought.numbered)


def _claim_and_open(parts: FlowParts, request: LabelRequest, job_id: str, lock: JobLock, *,
                    prepared: bool) -> ShipOutcome | None:
    """Claim the Acumatica shipment (stations without a shared store), then commit the job as ``requesting``, the
    shipment with it (the address check's outcome in the same UPDATE), the audit entries and, in a batch, the
    previous label's written-back state: one commit, right before the Ship call. A new job's lock is taken
    inside that transaction, so nobody sees the job requesting with its lock free. An outcome when another
    worker or station has the shipment (nothing was sent, nothing of this job is kept)."""
    nbr = request.shipment.shipment_nbr
    # a return label is a new row of its own: nobody else makes it
    claims = request.claim and not request.spec.return_service
    if claims:
        with parts.session() as acu:
            claimed = parts.claims.claim(acu, request.shipment, job_id)
        if claimed is not None:  # another station's claim is on the Acumatica shipment: nothing was sent
            address_check.run_later(list(request.first))  # what the checks found still counts
            return claimed
    parts.checkpoint(Step.BEFORE_SHIP)
    merged = [write for write in request.first if isinstance(write, AddressOutcome) and write.shipment_nbr == nbr]
    others = [write for write in request.first if write not in merged]
    resumed = ["continues a job an earlier run prepared but never sent"] if prepared else []
    try:
        with parts.group.riding() as ride, transaction.write():
            ride()
            for write in others:
                write()
            jobs.open_label_job(nbr, request.body, job_id=job_id, label_format=request.spec.label_format,
                                station=parts.context.station, prepared=prepared, settle_ready=request.settle_ready,
                                shipment_values={k: v for write in merged for k, v in write.values.items()})
            if not prepared and not lock.acquire():  # a fresh id: nobody else can hold it
                raise StoreError(_("The lock of label job {job_id} could not be taken.").format(job_id=job_id))
            audit_log.record_all([
                *(write.entry for write in merged),
                Entry(AuditAction.LABEL_REQUESTED, nbr, job_id, "; ".join(resumed + request.warnings)),
                *(parts.claims.claimed(nbr, job_id) if claims else [])])
    except (InvalidTransition, LabelAlreadyExists) as exc:  # another worker got there first
        address_check.run_later(list(request.first))  # what the checks found still counts
        if claims:
            audit_log.record_all(parts.claims.claimed(nbr, job_id))  # the claim was left all the same
        return _lost_race(parts, nbr, job_id if prepared else "", exc)
    parts.checkpoint(Step.BEFORE_REQUEST)
    return None


@dataclass(frozen=True)
class _Bought:
    job: LabelJob
    problem: str  # the label problem ("" when the label data is usable)
    numbered: dict[str, str] | None = None


def _call_and_commit(parts: FlowParts, request: LabelRequest, job_id: str) -> _Bought | ShipOutcome:
    """Under the lock, the job requesting: call UPS, commit the answer. The job as committed (with the label
    problem), or the outcome when no label is known to exist."""
    nbr = request.shipment.shipment_nbr
    try:
        result = parts.ups.ship(request.spec, trans_id=job_id)
    except (OutcomeUnknown, ServerError) as exc:  # the request may have made a label: ask UPS by reference
        _tell_ups_failed(parts, exc)
        job = jobs.require_job(job_id)
        reconcile.mark_uncertain(job, str(exc))
        if reconcile.found_at_ups(parts, job):
            return _Bought(jobs.require_job(job_id), "")
        return reconcile.uncertain_outcome(jobs.require_job(job_id))
    except NO_LABEL_MADE as exc:
        if is_outage(exc):
            _tell_ups_failed(parts, exc)
        sentence = (explain_refusal(exc, nbr) if isinstance(exc, ApiRefused) else None) or str(exc)
        jobs.mark_job(job_id, State.FAILED, error=sentence)
        audit_log.record(AuditAction.LABEL_REFUSED, shipment_nbr=nbr, job_id=job_id, detail=str(exc))
        if request.claim and not request.spec.return_service:
            with parts.session() as acu:
                parts.claims.withdraw(acu, nbr)  # no label: the other stations may try
        reason = Reason.REFUSED if isinstance(exc, ApiRefused) else Reason.NOT_SENT
        return ShipOutcome(nbr, False, State.FAILED, sentence, job_id=job_id, reason=reason)
    try:
        bought = _commit(parts, nbr, job_id, result, request)
    except transaction.DATABASE_ERRORS as exc:  # UPS made the label but the store would not take it
        return _not_stored(nbr, job_id, result, exc)
    parts.checkpoint(Step.AFTER_LABEL)
    return bought


def _not_stored(nbr: str, job_id: str, result: ShipResult, error: Exception) -> ShipOutcome:
    """The label exists at UPS, its answer is not in the store ("database is locked" while another writer held
    it past the busy timeout): the job becomes uncertain, and reconciliation finds the label at UPS by reference
    and keeps it (the sync does, or the next run; a ``requesting`` job whose lock is free is taken as uncertain
    even when marking it failed too). Only this shipment fails; a batch goes on."""
    numbers = ", ".join(result.tracking_numbers)
    log.error("UPS made label(s) %s for shipment %s (job %s) but the store refused them: %s", numbers, nbr, job_id,
              error)
    message = _("UPS made the label for shipment {shipment} ({tracking}), but shipdesk could not save it in its "
                "local database ({reason}). Do not ship it again: the sync finds the label at UPS and keeps "
                "it.").format(shipment=nbr, tracking=numbers, reason=error)
    try:
        reconcile.mark_uncertain(jobs.require_job(job_id), message)
        shipments.set_state(nbr, State.UNCERTAIN, reason=message)
    except transaction.DATABASE_ERRORS:
        log.warning("shipment %s could not be marked uncertain either; reconciliation will find its job", nbr)
    return ShipOutcome(nbr, False, State.UNCERTAIN, message, job_id=job_id, reason=Reason.UNCERTAIN)


def _tell_ups_failed(parts: FlowParts, exc: RemoteError) -> None:
    """UPS is failing: the status bar (and the desktop app's breaker) hear it, as they would from the sync."""
    parts.context.events.publish(ServiceStatusChanged(Service.UPS, reachable=False, sentence=str(exc)))


def _commit(parts: FlowParts, nbr: str, job_id: str, result: ShipResult, request: LabelRequest) -> _Bought:
    """Archive the labels (and the invoice) and commit UPS's answer with them, in one transaction; returns the job
    as committed and the label problem ("" when all labels are usable). An electronic return label has no label
    to keep: UPS emails it."""
    papers_problem = ""
    archived = ArchivedResult([])
    try:
        if request.spec.return_service != ELECTRONIC_RETURN_LABEL:
            archived = parts.labels.archive_result(nbr, result, request.spec.label_format)
        papers_problem = Papers(parts.context).archive_for_label(nbr, request.spec, request.customs, result,
                                                                 job_id=job_id)
    except StoreError as exc:  # the label exists at UPS: a disk problem must not cost its numbers
        archived = ArchivedResult([], _recovered_later(exc), to_store=archived.to_store)
    with transaction.write():
        try:
            label_files.save_all(job_id, archived.to_store)
        except StoreError as exc:  # the labels alone are lost (Reprint recovers them): the numbers are kept
            archived = ArchivedResult([], _recovered_later(exc))
        labelled = jobs.record_label(job_id, result, label_paths=archived.paths)
        audit_log.record_all([
            *([Entry(AuditAction.LABEL_UNDECODABLE, nbr, job_id, papers_problem)] if papers_problem else []),
            Entry(AuditAction.LABELLED, nbr, job_id, ", ".join(result.tracking_numbers)),
            *([Entry(AuditAction.LABEL_UNDECODABLE, nbr, job_id, archived.problem)] if archived.problem else [])])
    return _Bought(labelled.job, archived.problem, labelled.numbered)


def _recovered_later(exc: StoreError) -> str:
    return _("{reason}; the tracking numbers are saved, and Reprint fetches the labels again from UPS with Label "
             "Recovery.").format(reason=exc.message.rstrip("."))


def _lost_race(parts: FlowParts, nbr: str, job_id: str, exc: InvalidTransition | LabelAlreadyExists) -> ShipOutcome:
    """Another worker (window, command, station) got the shipment first: nothing was sent to UPS for this
    job, so a job this run prepared is forgotten (it must not hide the winner's), and the outcome says who."""
    if job_id:
        jobs.discard_prepared(job_id)
    if isinstance(exc, LabelAlreadyExists) and not exc.job_id:  # the store's index refused: read whose it is now
        live = jobs.latest_job(nbr)
        if live is not None and live.state in LABEL_EXISTS:
            exc = LabelAlreadyExists(str(exc), job_id=live.job_id, station=live.station)
    if isinstance(exc, LabelAlreadyExists) and exc.job_id:
        live = jobs.get_job(exc.job_id)
        if live is not None and live.state == State.REQUESTING:
            return busy_outcome(nbr, live.job_id, station=live.station, here=parts.context.station)
        state = live.state if live is not None else State.REQUESTING
        said = labelled_meanwhile_sentence(nbr, state, live.station if live is not None else "")
        return ShipOutcome(nbr, False, state, said,
                           job_id=exc.job_id, reason=Reason.LABEL_EXISTS)
    if isinstance(exc, InvalidTransition):
        # another station or window moved the shipment on between this run's read and its flip: say who,
        # as when the race is seen earlier (not the store's "cannot become" sentence)
        return labelled_meanwhile(parts, nbr)
    record = shipments.require_shipment(nbr)
    return ShipOutcome(nbr, False, record.state, str(exc), job_id=job_id, reason=Reason.LABEL_EXISTS)
