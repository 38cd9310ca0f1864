"""Labelled → written back: put the UPS results on the Acumatica shipment, safely repeatable.

Every step compares before it writes, so a retry after a crash or a failure half-way (the sync calls
``ShipFlow.retry_writebacks``) finishes the job without doing anything twice:
1. tracking numbers onto the package rows, by row id (the client reads the record back and compares);
2. each label attached as ``Label #<tracking>.<ext>`` (Acumatica's own name for carrier labels),
   unless a file of that name is already there, or UPS's label data was unusable (it is attached when
   Reprint recovers it); freight cost with the tracking numbers when configured;
3. ConfirmShipment when ``confirm_after_label`` (or the shipment was Confirmed before shipdesk corrected
   it) — skipped with a warning for Ship Vias that run Acumatica's carrier plug-in, and for those whose
   plug-in Acumatica did not show (``carrier_plugins.undetermined``), because confirming would make the
   plug-in buy a second label and overwrite the tracking numbers.
Within one ``ShipFlow.ship`` call the shipment read just before labelling is reused (``current``): a
label costs one GET, one PUT and one file PUT per package on Acumatica. A retry in a later run reads
the shipment again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from shipdesk.acumatica.client import AcumaticaClient
from shipdesk.acumatica.models import Shipment
from shipdesk.core.domain.audit import AuditAction
from shipdesk.core.settings.config import Config
from shipdesk.core.shipping.carrier_plugins import fields_listed, plugin_ship_vias, undetermined
from shipdesk.core.shipping.checkpoints import Checkpoint, Step, no_checkpoint
from shipdesk.core.store import audit_log, jobs, shipments, sync_state
from shipdesk.core.store.models import LabelJob
from shipdesk.errors import WriteBackProblem
from shipdesk.labels.archive import ArchivedLabel

#: (shipment number, tracking number) → the label file, from the archive or UPS Label Recovery;
#: None while UPS's label data was unusable and Reprint has not recovered it yet
LabelSource = Callable[[str, str], ArchivedLabel | None]
RECONFIRM_KEY = "ship_flow.reconfirm."  # + shipment number: shipdesk corrected it, so confirm again


@dataclass(frozen=True)
class WriteBackResult:
    shipment: Shipment
    confirmed: bool
    warnings: tuple[str, ...] = ()


def label_filename(tracking: str, fmt: str) -> str:
    return f"Label #{tracking}.{fmt.lower()}"


def write_back(acu: AcumaticaClient, job: LabelJob, *, config: Config, labels: LabelSource,
               correct_confirmed: bool = False, current: Shipment | None = None,
               checkpoint: Checkpoint = no_checkpoint) -> WriteBackResult:
    """Write the job's results to Acumatica and mark it written back; raises with the job left labelled.

    ``correct_confirmed``: a shipment confirmed in the meantime is corrected, written and confirmed again.
    ``current``: the shipment as this run read it just before labelling (None: read it now).
    """
    nbr = job.shipment.shipment_nbr
    shipment = current if current is not None else acu.get_shipment(nbr)
    wanted = _tracking_by_package(nbr, job)
    if shipment.status == "Confirmed" and _missing(shipment, wanted) and correct_confirmed:
        acu.correct_shipment(nbr)
        sync_state.set_value(RECONFIRM_KEY + nbr, "1")
        audit_log.record(AuditAction.CORRECTED, shipment_nbr=nbr, job_id=job.job_id,
                         detail="to write the tracking numbers")
        shipment = acu.get_shipment(nbr)
    if shipment.status == "Confirmed" and _missing(shipment, wanted):
        raise WriteBackProblem(
            f"Shipment {nbr} was confirmed in Acumatica before its tracking numbers were written, and a "
            "Confirmed shipment's packages are read-only.",
            hint=f"Correct the shipment in Acumatica (Correct Shipment), then retry the write-back "
                 f"(`shipdesk ship {nbr}`), or let shipdesk do it (`shipdesk ship {nbr} --correct-confirmed`).")
    missing = _missing(shipment, wanted)
    if missing:
        shipment = acu.write_tracking(shipment, missing, freight_cost=_freight(job, config))
        audit_log.record(AuditAction.TRACKING_WRITTEN, shipment_nbr=nbr, job_id=job.job_id,
                         detail=", ".join(missing.values()))
    checkpoint(Step.DURING_WRITEBACK)
    _attach_labels(acu, job, shipment, labels)
    confirmed, warnings = _confirm(acu, shipment, config)
    jobs.mark_written_back(job.job_id)
    sync_state.set_value(RECONFIRM_KEY + nbr, "")
    audit_log.record(AuditAction.WRITTEN_BACK, shipment_nbr=nbr, job_id=job.job_id,
                     detail="confirmed" if confirmed else "not confirmed")
    return WriteBackResult(shipment, confirmed, tuple(warnings))


def _attach_labels(acu: AcumaticaClient, job: LabelJob, shipment: Shipment, labels: LabelSource) -> None:
    nbr = job.shipment.shipment_nbr
    attached = [f.filename for f in shipment.files]
    for tracking in job.tracking_numbers:
        label = labels(nbr, tracking)
        if label is None:
            continue
        name = label_filename(tracking, label.format)
        if not any(existing.endswith(name) for existing in attached):
            acu.attach_file(nbr, name, label.data)
            audit_log.record(AuditAction.LABEL_ATTACHED, shipment_nbr=nbr, job_id=job.job_id, detail=name)


def _tracking_by_package(nbr: str, job: LabelJob) -> dict[str, str]:
    numbers = set(job.tracking_numbers)
    by_package = {p.acumatica_id: p.tracking_number for p in shipments.packages_of(nbr)
                  if p.tracking_number in numbers}
    if len(by_package) != len(numbers):
        raise WriteBackProblem(
            f"Shipment {nbr} has {len(numbers)} UPS tracking number(s) but shipdesk can place only "
            f"{len(by_package)} on its packages (packages were changed in Acumatica after labelling).",
            hint="Put the tracking numbers on the packages by hand in Acumatica, or void the label and ship again.")
    return by_package


def _missing(shipment: Shipment, wanted: dict[str, str]) -> dict[str, str]:
    current = {p.id: p.tracking_nbr for p in shipment.packages}
    gone = [pid for pid in wanted if pid not in current]
    if gone:
        raise WriteBackProblem(
            f"{len(gone)} labelled package(s) of shipment {shipment.shipment_nbr} no longer exist in Acumatica.",
            hint="Put the tracking numbers on the packages by hand in Acumatica, or void the label and ship again.")
    return {pid: nbr for pid, nbr in wanted.items() if current[pid] != nbr}


def _freight(job: LabelJob, config: Config) -> Decimal | None:
    if not config.acumatica.write_freight_cost:
        return None
    cost = job.negotiated_charges if job.negotiated_charges is not None else job.charges
    return Decimal(cost) if cost is not None else None


def _confirm(acu: AcumaticaClient, shipment: Shipment, config: Config) -> tuple[bool, list[str]]:
    nbr = shipment.shipment_nbr
    wanted = config.acumatica.confirm_after_label or sync_state.get_value(RECONFIRM_KEY + nbr) == "1"
    if not wanted or shipment.status != "Open":
        return False, []
    if shipment.ship_via in plugin_ship_vias(config):
        return False, [f"Shipment {nbr} was not confirmed: its Ship Via {shipment.ship_via} runs Acumatica's "
                       "carrier plug-in, which would buy a second label. Change the Ship Via to one without "
                       "a plug-in, then confirm it in Acumatica."]
    if undetermined(shipment.ship_via):
        listed = fields_listed(acu.entity_url)
        why = ("its ShipVia endpoint does not list Carrier.IsExternal in $adHocSchema" if listed is False else
               "it did not show Carrier.IsExternal for it, or could not be asked")
        return False, [f"Shipment {nbr} was not confirmed: shipdesk cannot tell whether Ship Via "
                       f"{shipment.ship_via} runs Acumatica's carrier plug-in ({why}), and confirming through one "
                       "would buy a second label. Check the Ship Via's External Plug-in box in Acumatica, then "
                       "confirm the shipment there."]
    acu.confirm_shipment(nbr)
    audit_log.record(AuditAction.CONFIRMED, shipment_nbr=nbr)
    return True, []
