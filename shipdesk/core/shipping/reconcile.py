"""Did UPS make a label for an ``uncertain`` job? Ask UPS by reference, never by shipping again.

Every label shipdesk buys carries the Acumatica shipment number as a reference, so UPS reference
tracking finds the packages of a Ship call whose answer was lost (timeout after sending, crash before
the commit). Found → the job adopts those tracking numbers (labels fetched with Label Recovery).
Not found → it stays uncertain: UPS's reference search is known to miss very fresh shipments, so only
a person may decide to buy another label. A duplicate that turns up later is voided.
"""

from __future__ import annotations

import json
import logging
from datetime import date, timedelta

from shipdesk.core.domain import audit
from shipdesk.core.store import repository
from shipdesk.core.store.models import LabelJob
from shipdesk.errors import ApiRefused
from shipdesk.labels.archive import LabelArchive
from shipdesk.ups.client import UpsClient
from shipdesk.ups.models import PackageResult, ShipResult, TrackResult

log = logging.getLogger(__name__)

#: UPS status type of a voided package
VOIDED = "MV"
#: jobs replaced by a second label on a user's decision: watched for a late duplicate this long
WATCH_DAYS = 10
SUPERSEDED_KEY = "ship_flow.superseded"


def labels_by_reference(ups: UpsClient, shipment_nbr: str, *, since: date,
                        exclude: set[str] | frozenset[str] = frozenset()) -> list[TrackResult]:
    """Live (not voided) packages UPS knows under ``shipment_nbr``, minus ``exclude``, sorted by number."""
    found = ups.track_reference(shipment_nbr, from_date=since - timedelta(days=1),
                                to_date=date.today() + timedelta(days=1))
    unique = {r.tracking_number: r for r in found
              if r.found and r.status_type != VOIDED and r.tracking_number not in exclude}
    return [unique[n] for n in sorted(unique)]


def adopt(ups: UpsClient, archive: LabelArchive, job: LabelJob, packages: list[TrackResult]) -> None:
    """Make the job labelled with the packages UPS has (labels via Label Recovery)."""
    nbr = job.shipment.shipment_nbr
    results, paths = [], []
    for package in packages:
        labels = ups.recover_label(package.tracking_number, job.label_format or "GIF")
        label = labels[0] if labels else None
        if label is not None:
            paths.append(str(archive.store(nbr, package.tracking_number, label.format, label.data)))
        results.append(PackageResult(package.tracking_number, label))
    # UPS's shipment id is the lead package's tracking number
    result = ShipResult(shipment_id=packages[0].tracking_number, packages=tuple(results))
    repository.record_label(job.job_id, result, label_paths=paths)
    audit.record("reconciled_found", shipment_nbr=nbr, job_id=job.job_id,
                 detail=", ".join(result.tracking_numbers))


def known_tracking_numbers(shipment_nbr: str) -> set[str]:
    """Tracking numbers already owned by one of the shipment's jobs (voided ones included)."""
    record = repository.get_shipment(shipment_nbr)
    if record is None:
        return set()
    numbers: set[str] = set()
    for job in LabelJob.select().where(LabelJob.shipment == record.id):
        numbers.update(repository.job_tracking_numbers(job))
    return numbers


# -- second labels made on a user's decision ------------------------------------------------------------
def watch_superseded(job: LabelJob) -> None:
    entries = _superseded()
    entries.append({"shipment": job.shipment.shipment_nbr, "job": job.job_id, "since": date.today().isoformat()})
    repository.set_value(SUPERSEDED_KEY, json.dumps(entries))


def void_late_duplicates(ups: UpsClient) -> list[str]:
    """Void labels that turned up later for jobs a user replaced; returns the voided tracking numbers."""
    voided: list[str] = []
    keep = []
    for entry in _superseded():
        since = date.fromisoformat(entry["since"])
        nbr = entry["shipment"]
        extra = labels_by_reference(ups, nbr, since=since, exclude=known_tracking_numbers(nbr))
        for package in extra:
            try:
                result = ups.void(package.tracking_number)
            except ApiRefused:
                continue  # not the lead package of its shipment: voided with the lead
            if result.voided:
                voided.append(package.tracking_number)
                audit.record("duplicate_voided", shipment_nbr=nbr, job_id=entry["job"],
                             detail=package.tracking_number)
        if date.today() - since < timedelta(days=WATCH_DAYS):
            keep.append(entry)
    repository.set_value(SUPERSEDED_KEY, json.dumps(keep))
    return voided


def _superseded() -> list[dict[str, str]]:
    try:
        entries = json.loads(repository.get_value(SUPERSEDED_KEY) or "[]")
    except ValueError:
        log.warning("unreadable list of superseded label jobs; starting a new one")
        return []
    return [e for e in entries if isinstance(e, dict)]
