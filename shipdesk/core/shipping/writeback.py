"""Labelled → written back: put the UPS results on the Acumatica shipment, safely repeatable.

Every step compares before it writes, so a retry after a crash or a failure half-way (the sync calls
``ShipFlow.retry_writebacks``) finishes the job without doing anything twice:
1. tracking numbers onto the package rows, by row id (the client reads the record back and compares);
   a row that already carries a tracking number this store never wrote (another station's label, or
   one typed by hand) is never replaced: ``TrackingTakenElsewhere`` leaves Acumatica as it is, for the
   caller to flag the shipment as labelled twice;
2. each label attached as ``Label #<tracking>.<ext>`` (Acumatica's own name for carrier labels),
   unless a file of that name is already there, or UPS's label data was unusable (it is attached when
   Reprint recovers it); freight cost with the tracking numbers when configured;
3. ConfirmShipment when ``confirm_after_label`` (or the shipment was Confirmed before shipdesk corrected
   it) — skipped with a warning for Ship Vias that run Acumatica's carrier plug-in, and for those whose
   plug-in Acumatica did not show (``carrier_plugins.undetermined``), because confirming would make the
   plug-in buy a second label and overwrite the tracking numbers.
Within one ``ShipFlow.ship`` call the shipment read just before labelling is reused (``current``): a
label costs one GET, one PUT and one file PUT per package on Acumatica. A retry in a later run reads
the shipment again; so does a station without a shared store, right after the label (another station
may have written in between). The tracking numbers' PUT also removes this station's claim from the
shipment's note (``claims``), at no extra call.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from shipdesk.acumatica.client import AcumaticaClient
from shipdesk.acumatica.models import Shipment
from shipdesk.core.domain.audit import AuditAction
from shipdesk.core.domain.states import State
from shipdesk.core.settings.config import Config
from shipdesk.core.shipping.carrier_plugins import fields_listed, plugin_ship_vias, undetermined
from shipdesk.core.shipping.checkpoints import Checkpoint, Step, no_checkpoint
from shipdesk.core.store import audit_log, jobs, shipments, transaction
from shipdesk.core.store.audit_log import Entry
from shipdesk.core.store.models import LabelJob
from shipdesk.errors import RemoteError, ShipdeskError, TrackingTakenElsewhere, WriteBackProblem
from shipdesk.i18n import _, ngettext
from shipdesk.labels.archive import ArchivedLabel

log = logging.getLogger(__name__)

#: (shipment number, tracking number) → the label file, from the archive or UPS Label Recovery;
#: None while UPS's label data was unusable and Reprint has not recovered it yet
LabelSource = Callable[[str, str], ArchivedLabel | None]
#: the shipment's note to save with the tracking numbers (the claim removed), or None to leave it
NoteAfter = Callable[[str], str | None]


def _unchanged(_note: str) -> str | None:
    return None


@dataclass(frozen=True)
class WriteBackResult:
    shipment: Shipment
    confirmed: bool
    warnings: tuple[str, ...] = ()


def label_filename(tracking: str, fmt: str) -> str:
    return f"Label #{tracking}.{fmt.lower()}"


def write_back(acu: AcumaticaClient, job: LabelJob, *, config: Config, labels: LabelSource,
               correct_confirmed: bool = False, current: Shipment | None = None, others_refused: bool = False,
               checkpoint: Checkpoint = no_checkpoint, note_after: NoteAfter = _unchanged,
               commit: Callable[[Callable[[], None]], None] | None = None,
               numbered: Mapping[str, str] | None = None) -> WriteBackResult:
    """Write the job's results to Acumatica and mark it written back; raises with the job left labelled
    (``TrackingTakenElsewhere`` when Acumatica carries tracking numbers this store did not write).

    ``correct_confirmed``: a shipment confirmed in the meantime is corrected, written and confirmed again.
    ``current``: the shipment as this run read it (None: read it now); ``others_refused``: the caller has
    checked ``current`` with :func:`refuse_others` already. ``note_after``: the note to save with the
    tracking numbers (this station's claim removed). The audit entries of the steps are written with the
    job's new state, in one transaction (or, when a step fails, right then). ``commit``: runs those writes in
    a transaction (by default one of their own, now; a batch's ``GroupCommit.commit`` lets them ride with the
    next label's). ``numbered``: which package got which number, as the label's commit returned it (None: read
    the packages).
    """
    commit = commit or commit_now
    nbr = job.shipment.shipment_nbr
    shipment = current if current is not None else acu.get_shipment(nbr)
    wanted = _tracking_by_package(nbr, job, numbered)
    if current is None or not others_refused:
        refuse_others(shipment, job)
    reconfirm = job.shipment.reconfirm
    if shipment.status == "Confirmed" and _missing(shipment, wanted) and correct_confirmed:
        acu.correct_shipment(nbr)
        shipments.set_reconfirm(nbr, True)
        reconfirm = True
        audit_log.record(AuditAction.CORRECTED, shipment_nbr=nbr, job_id=job.job_id,
                         detail=_("to write the tracking numbers"))
        shipment = acu.get_shipment(nbr)
    if shipment.status == "Confirmed" and _missing(shipment, wanted):
        raise WriteBackProblem(
            _("Shipment {shipment} was confirmed in Acumatica before its tracking numbers were written, and a "
              "Confirmed shipment's packages are read-only.").format(shipment=nbr),
            hint=_("Correct the shipment in Acumatica (Correct Shipment), then retry the write-back "
                   "(`shipdesk ship {shipment}`), or let shipdesk do it (`shipdesk ship {shipment} "
                   "--correct-confirmed`).").format(shipment=nbr))
    done: list[Entry] = []  # what reached Acumatica, for the audit log
    try:
        missing = _missing(shipment, wanted)
        if missing:
            shipment = acu.write_tracking(shipment, missing, freight_cost=_freight(job, config),
                                          note=note_after(shipment.note))
            done.append(Entry(AuditAction.TRACKING_WRITTEN, nbr, job.job_id, ", ".join(missing.values())))
        checkpoint(Step.DURING_WRITEBACK)
        _attach_labels(acu, job, shipment, labels, done)
        confirmed, warnings = _confirm(acu, shipment, config, reconfirm=reconfirm, done=done)
    except BaseException:
        _audit_anyway(done)
        raise
    written = Entry(AuditAction.WRITTEN_BACK, nbr, job.job_id, _("confirmed") if confirmed else _("not confirmed"))

    def written_back() -> None:
        # a job another worker moved on meanwhile (a late group commit) is left as it is; what reached
        # Acumatica is in the audit log all the same
        moved = jobs.mark_written_back(job.job_id, unless_moved_on=commit is not commit_now)
        audit_log.record_all([*done, written] if moved else done)
    checkpoint(Step.AFTER_WRITEBACK)
    commit(written_back)  # now, or in a batch with the next label's first transaction (``group_commit``)
    return WriteBackResult(shipment, confirmed, tuple(warnings))


def commit_now(writes: Callable[[], None]) -> None:
    """Commit the write-back's state at once, in a transaction of its own."""
    with transaction.write():
        writes()


def _audit_anyway(done: list[Entry]) -> None:
    """A step failed: what did reach Acumatica is still written to the audit log (never hiding the failure)."""
    try:
        audit_log.record_all(done)
    except ShipdeskError as exc:
        log.warning("audit entries not written: %s", exc)


def _attach_labels(acu: AcumaticaClient, job: LabelJob, shipment: Shipment, labels: LabelSource,
                   done: list[Entry]) -> None:
    nbr = job.shipment.shipment_nbr
    attached = [f.filename for f in shipment.files]
    for tracking in job.tracking_numbers:
        label = labels(nbr, tracking)
        if label is None:
            continue
        name = label_filename(tracking, label.format)
        if not any(existing.endswith(name) for existing in attached):
            acu.attach_file(nbr, name, label.data)
            done.append(Entry(AuditAction.LABEL_ATTACHED, nbr, job.job_id, name))


def refuse_others(shipment: Shipment, job: LabelJob) -> None:
    """Raise ``TrackingTakenElsewhere`` when a package carries a tracking number no job of this store made
    for the shipment: another station's label (or one typed by hand) is never replaced."""
    unknown = [number for number in shipment.tracking_numbers if number not in job.tracking_numbers]
    if not unknown:  # none, or only this job's own: nothing to look up
        return
    ours = jobs.tracking_numbers_of_shipment(shipment.shipment_nbr)
    theirs = tuple(number for number in unknown if number not in ours)
    if not theirs:
        return
    raise TrackingTakenElsewhere(
        _("Shipment {shipment} already has tracking number(s) {theirs} in Acumatica, which this station did not "
          "write: it was labelled twice (this station's label: {ours}).").format(
            shipment=shipment.shipment_nbr, theirs=", ".join(theirs), ours=", ".join(job.tracking_numbers)),
        theirs=theirs, ours=tuple(job.tracking_numbers))


def _tracking_by_package(nbr: str, job: LabelJob, numbered: Mapping[str, str] | None = None) -> dict[str, str]:
    numbers = set(job.tracking_numbers)
    placed = numbered.items() if numbered is not None else (
        (p.acumatica_id, p.tracking_number) for p in shipments.packages_of(nbr))
    by_package = {package: number for package, number in placed if number in numbers}
    if len(by_package) != len(numbers):
        raise WriteBackProblem(
            _("Shipment {shipment} has {count} UPS tracking number(s) but shipdesk can place only {placed} on its "
              "packages (packages were changed in Acumatica after labelling).").format(
                shipment=nbr, count=len(numbers), placed=len(by_package)),
            hint=_("Put the tracking numbers on the packages by hand in Acumatica, or void the label and ship "
                   "again."))
    return by_package


def _missing(shipment: Shipment, wanted: dict[str, str]) -> dict[str, str]:
    current = {p.id: p.tracking_nbr for p in shipment.packages}
    gone = [pid for pid in wanted if pid not in current]
    if gone:
        raise WriteBackProblem(
            ngettext("{count} labelled package of shipment {shipment} no longer exists in Acumatica.",
                     "{count} labelled packages of shipment {shipment} no longer exist in Acumatica.",
                     len(gone)).format(count=len(gone), shipment=shipment.shipment_nbr),
            hint=_("Put the tracking numbers on the packages by hand in Acumatica, or void the label and ship "
                   "again."))
    return {pid: nbr for pid, nbr in wanted.items() if current[pid] != nbr}


def _freight(job: LabelJob, config: Config) -> Decimal | None:
    if not config.acumatica.write_freight_cost:
        return None
    cost = job.negotiated_charges if job.negotiated_charges is not None else job.charges
    return Decimal(cost) if cost is not None else None


def _confirm(acu: AcumaticaClient, shipment: Shipment, config: Config, *, reconfirm: bool,
             done: list[Entry]) -> tuple[bool, list[str]]:
    nbr = shipment.shipment_nbr
    wanted = config.acumatica.confirm_after_label or reconfirm
    if not wanted or shipment.status != "Open":
        return False, []
    if shipment.ship_via in plugin_ship_vias(config):
        return False, [_("Shipment {shipment} was not confirmed: its Ship Via {ship_via} runs Acumatica's carrier "
                         "plug-in, which would buy a second label. Change the Ship Via to one without a plug-in, "
                         "then confirm it in Acumatica.").format(shipment=nbr, ship_via=shipment.ship_via)]
    if undetermined(shipment.ship_via):
        listed = fields_listed(acu.entity_url)
        why = (_("its ShipVia endpoint does not list Carrier.IsExternal in $adHocSchema") if listed is False else
               _("it did not show Carrier.IsExternal for it, or could not be asked"))
        return False, [_("Shipment {shipment} was not confirmed: shipdesk cannot tell whether Ship Via {ship_via} "
                         "runs Acumatica's carrier plug-in ({why}), and confirming through one would buy a second "
                         "label. Check the Ship Via's External Plug-in box in Acumatica, then confirm the shipment "
                         "there.").format(shipment=nbr, ship_via=shipment.ship_via, why=why)]
    acu.confirm_shipment(nbr)
    done.append(Entry(AuditAction.CONFIRMED, nbr))
    return True, []


def keep_for_retry(job: LabelJob, sentence: str, exc: ShipdeskError) -> None:
    """A write-back failed: the job stays labelled with ``sentence``; the shipment asks a person to act only
    when Acumatica refused the record (a retry gets the same answer until it is corrected there); an outage
    only needs time (the sync retries). One transaction: a window reading in between offered Retry for a
    refusal."""
    nbr = job.shipment.shipment_nbr
    refused = isinstance(exc, RemoteError) and not exc.retryable
    with transaction.write():
        jobs.note_job_error(job.job_id, sentence)
        shipments.set_state(nbr, State.LABELLED, reason=sentence if refused else "")
        audit_log.record(AuditAction.WRITEBACK_FAILED, shipment_nbr=nbr, job_id=job.job_id, detail=str(exc))
