"""Buying the label, exactly once: commit the job, flip it under its lock, call UPS Ship, commit the answer.

1. the job (its id is UPS's ``transId``) is COMMITTED as prepared (``ready``) with the request; a job an
   earlier run prepared but never sent is continued under its id;
2. under the job lock it is flipped to ``requesting`` in its own short transaction, right before the call;
3. UPS's answer (tracking numbers, charges, label files) is committed at once (``labelled``), before
   anything is printed or written back. A lost answer makes the job ``uncertain`` and it is looked up at
   UPS by reference (``reconcile``); a refusal, or a request that never arrived, makes it ``failed``.
The lock stays held for the caller to print and write back the new label (``NewLabel.lock``).
"""

from __future__ import annotations

from dataclasses import dataclass

from shipdesk.core.domain.audit import AuditAction
from shipdesk.core.domain.outcomes import Reason, ShipOutcome
from shipdesk.core.domain.states import State
from shipdesk.core.events import ServiceStatusChanged
from shipdesk.core.shipping import reconcile
from shipdesk.core.shipping.checkpoints import Step
from shipdesk.core.shipping.job_lock import JobLock
from shipdesk.core.shipping.label_request import LabelRequest
from shipdesk.core.shipping.labelling import ArchivedResult
from shipdesk.core.shipping.papers import Papers
from shipdesk.core.shipping.parts import FlowParts
from shipdesk.core.shipping.ups_refusal import explain_refusal
from shipdesk.core.store import audit_log, jobs, shipments
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
from shipdesk.ups.models import ELECTRONIC_RETURN_LABEL, ShipResult

#: UPS answered with a refusal, or the request never arrived: no label was made
NO_LABEL_MADE = (ApiRefused, ConnectionFailed, RateLimited, AuthenticationFailed)


@dataclass
class NewLabel:
    """A label bought (or found at UPS) in this run; its lock is held until printed and written back."""

    job: LabelJob
    label_problem: str  # one sentence when UPS's label data cannot be used ("" when it can)
    lock: JobLock


def busy_outcome(nbr: str, job_id: str) -> ShipOutcome:
    return ShipOutcome(nbr, False, State.REQUESTING, f"Shipment {nbr} is being labelled right now by "
                       "another shipdesk window or command.", job_id=job_id, reason=Reason.BUSY_ELSEWHERE)


def buy_label(parts: FlowParts, request: LabelRequest, *, prepared: str | None = None) -> NewLabel | ShipOutcome:
    """Commit the job, then call UPS under its lock. ``prepared``: the id of a job an earlier run prepared
    but never sent, continued with this (fresh) request."""
    nbr = request.shipment.shipment_nbr
    try:
        job_id = jobs.prepare_label_job(nbr, request.body, label_format=request.spec.label_format, job_id=prepared)
    except (InvalidTransition, LabelAlreadyExists) as exc:  # another worker got there first
        return _lost_race(nbr, prepared or "", exc)
    resumed = ["continues a job an earlier run prepared but never sent"] if prepared else []
    audit_log.record(AuditAction.LABEL_REQUESTED, shipment_nbr=nbr, job_id=job_id,
                     detail="; ".join(resumed + request.warnings))
    parts.checkpoint(Step.BEFORE_SHIP)
    lock = parts.locks.lock(job_id)
    if not lock.acquire():
        return busy_outcome(nbr, job_id)
    try:
        bought = _flip_and_call(parts, request, job_id)
    except BaseException:
        lock.release()
        raise
    if isinstance(bought, ShipOutcome):
        lock.release()
        return bought
    return NewLabel(jobs.require_job(job_id), bought, lock)


def _flip_and_call(parts: FlowParts, request: LabelRequest, job_id: str) -> str | ShipOutcome:
    """Under the lock: flip to requesting, call UPS, commit the answer. Returns the label problem ("" when
    the label data is usable), or the outcome when no label is known to exist."""
    nbr = request.shipment.shipment_nbr
    try:
        jobs.begin_request(job_id)
    except (InvalidTransition, LabelAlreadyExists) as exc:  # another worker won the race
        return _lost_race(nbr, job_id, exc)
    parts.checkpoint(Step.BEFORE_REQUEST)
    try:
        result = parts.ups.ship(request.spec, trans_id=job_id)
    except (OutcomeUnknown, ServerError) as exc:  # the request may have made a label: ask UPS by reference
        _tell_ups_failed(parts, exc)
        job = jobs.require_job(job_id)
        reconcile.mark_uncertain(job, str(exc))
        if reconcile.found_at_ups(parts, job):
            return ""
        return reconcile.uncertain_outcome(jobs.require_job(job_id))
    except NO_LABEL_MADE as exc:
        if is_outage(exc):
            _tell_ups_failed(parts, exc)
        sentence = (explain_refusal(exc, nbr) if isinstance(exc, ApiRefused) else None) or str(exc)
        jobs.mark_job(job_id, State.FAILED, error=sentence)
        audit_log.record(AuditAction.LABEL_REFUSED, shipment_nbr=nbr, job_id=job_id, detail=str(exc))
        reason = Reason.REFUSED if isinstance(exc, ApiRefused) else Reason.NOT_SENT
        return ShipOutcome(nbr, False, State.FAILED, sentence, job_id=job_id, reason=reason)
    problem = _commit(parts, nbr, job_id, result, request)
    parts.checkpoint(Step.AFTER_LABEL)
    return problem


def _tell_ups_failed(parts: FlowParts, exc: RemoteError) -> None:
    """UPS is failing: the status bar (and the desktop app's breaker) hear it, as they would from the sync."""
    parts.context.events.publish(ServiceStatusChanged(Service.UPS, reachable=False, sentence=str(exc)))


def _commit(parts: FlowParts, nbr: str, job_id: str, result: ShipResult, request: LabelRequest) -> str:
    """Archive the labels (and the invoice) and commit UPS's answer; returns the label problem ("" when all
    labels are usable). An electronic return label has no label to keep: UPS emails it."""
    papers_problem = ""
    try:
        if request.spec.return_service == ELECTRONIC_RETURN_LABEL:
            archived = ArchivedResult([])
        else:
            archived = parts.labels.archive_result(nbr, result, request.spec.label_format)
        papers_problem = Papers(parts.context).archive_for_label(nbr, request.spec, request.customs, result)
    except StoreError as exc:  # the label exists at UPS: a disk problem must not cost its numbers
        archived = ArchivedResult([], f"{exc.message.rstrip('.')}; the tracking numbers are saved, and "
                                      "Reprint fetches the labels again from UPS with Label Recovery.")
    if papers_problem:
        audit_log.record(AuditAction.LABEL_UNDECODABLE, shipment_nbr=nbr, job_id=job_id, detail=papers_problem)
    jobs.record_label(job_id, result, label_paths=archived.paths)
    audit_log.record(AuditAction.LABELLED, shipment_nbr=nbr, job_id=job_id, detail=", ".join(result.tracking_numbers))
    if archived.problem:
        audit_log.record(AuditAction.LABEL_UNDECODABLE, shipment_nbr=nbr, job_id=job_id, detail=archived.problem)
    return archived.problem


def _lost_race(nbr: str, job_id: str, exc: InvalidTransition | LabelAlreadyExists) -> ShipOutcome:
    job = jobs.get_job(job_id) if job_id else None
    state = job.state if job is not None else shipments.require_shipment(nbr).state
    reason = Reason.LABEL_EXISTS if isinstance(exc, LabelAlreadyExists) else Reason.BUSY_ELSEWHERE
    return ShipOutcome(nbr, False, state, str(exc), job_id=job_id, reason=reason)
