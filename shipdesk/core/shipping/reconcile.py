"""Did UPS make a label for an ``uncertain`` job? Ask UPS by reference, never by shipping again.

Every label shipdesk buys carries the Acumatica shipment number as a reference, so UPS reference
tracking finds the packages of a Ship call whose answer was lost (timeout after sending, crash before
the commit). Found → the job adopts those tracking numbers (labels fetched with Label Recovery).
Not found → it stays uncertain: UPS's reference search is known to miss very fresh shipments, so only
a person may decide to buy another label. A duplicate that turns up later is voided.
A ``requesting`` job whose worker died (its job lock is free) becomes uncertain first: the one place that
rule is written is :func:`still_requesting`.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from shipdesk.core.domain.audit import AuditAction
from shipdesk.core.domain.outcomes import Reason, ShipOutcome
from shipdesk.core.domain.states import State
from shipdesk.core.shipping.labelling import Labels
from shipdesk.core.shipping.parts import FlowParts
from shipdesk.core.store import audit_log, jobs, shipments
from shipdesk.core.store.models import LabelJob
from shipdesk.errors import ApiRefused
from shipdesk.i18n import N_, _
from shipdesk.ups.client import UpsClient
from shipdesk.ups.models import PackageResult, ShipResult, TrackResult

log = logging.getLogger(__name__)

#: UPS status type of a voided package
VOIDED = "MV"
#: jobs replaced by a second label on a user's decision: watched for a late duplicate this long
WATCH_DAYS = 10
#: why a requesting job nobody holds became uncertain
LEFT_BEHIND = N_("shipdesk stopped while waiting for UPS's answer")


def still_requesting(parts: FlowParts, job: LabelJob) -> bool:
    """True while a live worker (on any station) waits for UPS's answer to the job: it holds the job lock.

    A ``requesting`` job whose lock is free was left by a worker that died between sending and
    committing: nobody will ever get that answer, so the job becomes ``uncertain`` here (unless its
    worker committed the answer in the meantime: then it is left as that worker left it)."""
    if job.state != State.REQUESTING:
        return False
    if parts.locks.in_flight(job.job_id):
        return True
    if jobs.mark_uncertain_if_requesting(job.job_id, _(LEFT_BEHIND)):  # i18n: N_()-marked above
        audit_log.record(AuditAction.UNCERTAIN, shipment_nbr=job.shipment.shipment_nbr, job_id=job.job_id,
                         detail=_(LEFT_BEHIND))  # i18n: N_()-marked above
    return False


def mark_uncertain(job: LabelJob, why: str) -> None:
    jobs.mark_job(job.job_id, State.UNCERTAIN, error=why)
    audit_log.record(AuditAction.UNCERTAIN, shipment_nbr=job.shipment.shipment_nbr, job_id=job.job_id, detail=why)


def found_at_ups(parts: FlowParts, job: LabelJob) -> bool:
    """Look the uncertain job up at UPS by reference; True when its label was found and adopted."""
    nbr = job.shipment.shipment_nbr
    others = jobs.tracking_numbers_of_shipment(nbr)
    since = job.created_at.date()
    listed = reference_search(parts.ups, nbr, since)
    found = _live(listed, others)
    if not found:
        # what was asked and what UPS listed, for the person who decides about a new label (detail pane)
        audit_log.record(AuditAction.RECONCILED_NOT_FOUND, shipment_nbr=nbr, job_id=job.job_id,
                         detail=_what_ups_listed(nbr, since, listed, others))
        return False
    adopt(parts.ups, parts.labels, jobs.require_job(job.job_id), found)
    return True


def uncertain_outcome(job: LabelJob) -> ShipOutcome:
    """Still uncertain: only a person may buy another label; the shipment says so."""
    nbr = job.shipment.shipment_nbr
    message = _("UPS may or may not have made a label for shipment {shipment} (the answer was lost), and UPS "
                "does not list one under its reference yet. Wait a few minutes and try again; ship a new "
                "label only if you are sure there is none (`shipdesk ship {shipment} --force-new-label`): a "
                "duplicate found later is voided automatically.").format(shipment=nbr)
    shipments.set_state(nbr, State.UNCERTAIN, reason=message)
    return ShipOutcome(nbr, False, State.UNCERTAIN, message, job_id=job.job_id, reason=Reason.UNCERTAIN)


def supersede(job: LabelJob) -> None:
    """The user chose to buy a new label for an uncertain one: this job is failed and watched for a late label."""
    jobs.supersede(job.job_id, on=date.today(), why="replaced by a new label on the user's decision")
    audit_log.record(AuditAction.FORCE_NEW_LABEL, shipment_nbr=job.shipment.shipment_nbr, job_id=job.job_id,
                     detail=_("user chose to buy a new label for an uncertain one"))


def labels_by_reference(ups: UpsClient, shipment_nbr: str, *, since: date,
                        exclude: set[str] | frozenset[str] = frozenset()) -> list[TrackResult]:
    """Live (not voided) packages UPS knows under ``shipment_nbr``, minus ``exclude``, sorted by number."""
    return _live(reference_search(ups, shipment_nbr, since), exclude)


def reference_search(ups: UpsClient, shipment_nbr: str, since: date) -> list[TrackResult]:
    """Every package UPS lists under ``shipment_nbr`` picked up since the day before ``since`` (voided too)."""
    return ups.track_reference(shipment_nbr, from_date=since - timedelta(days=1),
                               to_date=date.today() + timedelta(days=1))


def _live(listed: list[TrackResult], exclude: set[str] | frozenset[str]) -> list[TrackResult]:
    unique = {r.tracking_number: r for r in listed
              if r.found and r.status_type != VOIDED and r.tracking_number not in exclude}
    return [unique[n] for n in sorted(unique)]


def _what_ups_listed(nbr: str, since: date, listed: list[TrackResult], others: set[str]) -> str:
    """ "UPS reference search for SH000101 (pickups 2026-12-06 to 2026-12-08): nothing listed" """
    asked = (f"UPS reference search for {nbr} (pickups {since - timedelta(days=1)} to "
             f"{date.today() + timedelta(days=1)})")
    known = [r for r in listed if r.found]
    if not known:
        return f"{asked}: nothing listed"
    seen = [f"{r.tracking_number} ({'voided' if r.status_type == VOIDED else 'another label of this shipment'})"
            for r in known]
    return f"{asked}: only {', '.join(seen)}"


def adopt(ups: UpsClient, labels: Labels, job: LabelJob, packages: list[TrackResult]) -> None:
    """Make the job labelled with the packages UPS has (labels via Label Recovery, kept in the store)."""
    nbr = job.shipment.shipment_nbr
    results, paths = [], []
    for package in packages:
        recovered = ups.recover_label(package.tracking_number, job.label_format or "GIF")
        label = recovered[0] if recovered else None
        if label is not None:
            paths.append(str(labels.keep(nbr, job.job_id, package.tracking_number, label.format, label.data)))
        results.append(PackageResult(package.tracking_number, label))
    # UPS's shipment id is the lead package's tracking number
    result = ShipResult(shipment_id=packages[0].tracking_number, packages=tuple(results))
    jobs.record_label(job.job_id, result, label_paths=paths)
    audit_log.record(AuditAction.RECONCILED_FOUND, shipment_nbr=nbr, job_id=job.job_id,
                     detail=", ".join(result.tracking_numbers))


# -- second labels made on a user's decision ------------------------------------------------------------
def void_late_duplicates(ups: UpsClient) -> list[str]:
    """Void labels that turned up later for jobs a user replaced (watched ``WATCH_DAYS``); returns the
    voided tracking numbers."""
    voided: list[str] = []
    for job in jobs.superseded_since(date.today() - timedelta(days=WATCH_DAYS - 1)):
        nbr = job.shipment.shipment_nbr
        since = job.superseded_on or date.today()
        extra = labels_by_reference(ups, nbr, since=since, exclude=jobs.tracking_numbers_of_shipment(nbr))
        for package in extra:
            try:
                result = ups.void(package.tracking_number)
            except ApiRefused:
                continue  # not the lead package of its shipment: voided with the lead
            if result.voided:
                voided.append(package.tracking_number)
                audit_log.record(AuditAction.DUPLICATE_VOIDED, shipment_nbr=nbr, job_id=job.job_id,
                                 detail=package.tracking_number)
    return voided
