"""Label files for the ship flow: keep UPS's labels in the local folder (and the shared store), find them, print them.

On the shared store every label is kept in the store too (``store.label_files``), so any station can print,
preview or attach any label; the data folder's ``labels/`` is then this PC's cache of them. A station with a
store of its own keeps a label in its data folder, and in its store only when the folder would not take it:
both are on the same disk, read by the same programs (the app and the service of this PC), so a second copy
of every image (tens of KB, a statement and a WAL append per label) bought nothing. A label missing from both
(deleted) is fetched with UPS Label Recovery and kept, so reprints and write-backs never need a second label.

Label data UPS sent but that cannot be decoded (cut-off base64, an HTML error page, nothing at all) is
kept as it came (in the store, and as ``<tracking>-undecodable.raw`` in the folder), and is never printed
or attached: the label stays "awaiting Reprint" until Reprint fetches it with Label Recovery. The
tracking numbers are safe either way (they are in the Ship answer, not in the image).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from shipdesk.core.context import AppContext
from shipdesk.core.store import jobs, label_files
from shipdesk.core.store.models import LabelJob
from shipdesk.errors import PrintError, StoreError, UndecodableLabel
from shipdesk.i18n import _, ngettext
from shipdesk.labels.archive import ArchivedLabel, safe_name
from shipdesk.labels.decode import DecodedLabel, decode_label
from shipdesk.labels.printers import PrinterProfile, print_labels
from shipdesk.ups.models import LabelImage, ShipResult

log = logging.getLogger(__name__)

#: sends one shipment's decoded labels, in package order, to a printer profile as one named job
LabelPrinter = Callable[[PrinterProfile, Sequence[DecodedLabel], str], None]
#: archive name of label data that could not be decoded: ``<tracking>-undecodable.raw``
UNDECODABLE_SUFFIX = "-undecodable"
RAW_FORMAT = "raw"


def headless_printer(profile: PrinterProfile, labels: Sequence[DecodedLabel], job_name: str) -> None:
    """Raw (ZPL/EPL) and folder printers; system printers are driven by the desktop app's Qt printer."""
    print_labels(profile, labels, job_name=job_name)


@dataclass(frozen=True)
class ArchivedResult:
    paths: list[str]  # the usable label files in this PC's folder, in package order
    problem: str = ""  # one sentence when some label data could not be used ("" when it could)
    undecodable: tuple[str, ...] = ()  # tracking numbers whose label awaits Reprint
    #: the labels for the store (all on the shared store; on a store of its own, those the folder did not
    #: take), which the caller keeps in the transaction that commits UPS's answer
    to_store: tuple[label_files.NewLabel, ...] = ()


class Labels:
    def __init__(self, context: AppContext, printer: LabelPrinter | None = None) -> None:
        self.context = context
        self.printer = printer or headless_printer

    def archive_result(self, shipment_nbr: str, result: ShipResult, requested_format: str = "GIF") -> ArchivedResult:
        """Every label UPS returned, checked, in this PC's folder, and what the store is to keep of them
        (``to_store``: data that cannot be decoded is kept raw). A folder that cannot be written is a warning:
        the store keeps the labels."""
        shared = self.context.store.shared
        paths: list[str] = []
        failures: list[UndecodableLabel] = []
        undecodable: list[str] = []
        to_store: list[label_files.NewLabel] = []
        for package in result.packages:
            tracking = package.tracking_number
            try:
                label = _checked(package.label, requested_format)
            except UndecodableLabel as exc:
                raw = self._in_folder(shipment_nbr, tracking + UNDECODABLE_SUFFIX, RAW_FORMAT, exc.raw, required=False)
                if shared or raw is None:
                    to_store.append(label_files.NewLabel(tracking, RAW_FORMAT, exc.raw, usable=False))
                failures.append(exc)
                undecodable.append(tracking)
                continue
            path = self._in_folder(shipment_nbr, tracking, label.format, label.data, required=False)
            if path is not None:
                paths.append(str(path))
            if shared or path is None:
                to_store.append(label_files.NewLabel(tracking, label.format, label.data))
        return ArchivedResult(paths, _one_sentence(failures, len(result.packages)), tuple(undecodable),
                              tuple(to_store))

    def keep(self, shipment_nbr: str, job_id: str, tracking: str, fmt: str, data: bytes, *,
             usable: bool = True) -> Path | None:
        """Into the store (every station sees it), then this PC's folder; the folder's path, None when only
        the store has it (a folder that cannot be written is a warning: the store keeps the label)."""
        if job_id:
            label_files.save(job_id, tracking, fmt, data, usable=usable)
        name = tracking if usable else tracking + UNDECODABLE_SUFFIX
        return self._in_folder(shipment_nbr, name, fmt, data, required=not job_id)

    def _in_folder(self, shipment_nbr: str, name: str, fmt: str, data: bytes, *, required: bool) -> Path | None:
        """The label in this PC's folder; a folder that cannot be written is a warning unless it is ``required``
        (the only place for the label)."""
        try:
            return self.context.archive.store(shipment_nbr, name, fmt, data)
        except StoreError as exc:
            if required:
                raise
            log.warning("%s (the label is kept in the store)", exc)
            return None

    def awaits_reprint(self, shipment_nbr: str, tracking: str) -> bool:
        """UPS's label data for ``tracking`` was unusable and no label has been recovered since."""
        archive = self.context.archive
        if archive.find(shipment_nbr, tracking) is not None or label_files.has(tracking):
            return False
        return (archive.find(shipment_nbr, tracking + UNDECODABLE_SUFFIX) is not None
                or label_files.has(tracking, usable=False))

    def attachable(self, shipment_nbr: str, tracking: str) -> ArchivedLabel | None:
        """The label to attach in Acumatica; None while it awaits Reprint (never attach unusable data)."""
        if self.awaits_reprint(shipment_nbr, tracking):
            return None
        return self.file_for(shipment_nbr, tracking)

    def file_for(self, shipment_nbr: str, tracking: str) -> ArchivedLabel:
        """The label: from this PC's folder, else the store (then cached here), else recovered from UPS
        (and kept in both)."""
        archived = self.context.archive.load(shipment_nbr, tracking)
        if archived is not None:
            return archived
        stored = label_files.load(tracking)
        if stored is not None:
            path = self._cache(shipment_nbr, tracking, stored.format, stored.data)
            return ArchivedLabel(format=stored.format.upper(), data=stored.data, path=path or Path())
        recovered = self.context.ups.recover_label(tracking, self.context.label_format())
        if not recovered:
            raise PrintError(_("UPS returned no label for {tracking}.").format(tracking=tracking),
                             hint=_("Try again later."))
        label = _checked(recovered[0], self.context.label_format())  # unusable again: say so, keep nothing
        owners = jobs.jobs_owning([tracking])
        path = self.keep(shipment_nbr, owners[-1].job_id if owners else "", tracking, label.format, label.data)
        return ArchivedLabel(format=label.format.upper(), data=label.data, path=path or Path())

    def print_job(self, job: LabelJob) -> None:
        """Print every label of the job, in package order, then remember that it was printed."""
        nbr = job.shipment.shipment_nbr
        profile = self.context.printer()
        if profile is None:
            raise PrintError(_("No printer is set up."),
                             hint=_("Add one under Settings › Printers & labels, then reprint."))
        files = [self.file_for(nbr, tracking) for tracking in job.tracking_numbers]
        job_name = f"{safe_name(nbr)} {datetime.now():%Y%m%d-%H%M%S-%f}"  # a reprint never overwrites
        self.printer(profile, [decode_label(f.format, f.data) for f in files], job_name)
        jobs.mark_printed(job.job_id)

    def _cache(self, shipment_nbr: str, tracking: str, fmt: str, data: bytes) -> Path | None:
        try:
            return self.context.archive.store(shipment_nbr, tracking, fmt, data)
        except StoreError as exc:
            log.info("label %s not cached in the folder: %s", tracking, exc)
            return None


def _checked(label: LabelImage | None, requested_format: str) -> DecodedLabel:
    """UPS's label decoded and checked; an absent image counts as an empty label."""
    if label is None:
        return decode_label(requested_format, b"")  # raises UndecodableLabel("UPS sent an empty label.")
    return decode_label(label.format, label.data)


def _one_sentence(failures: Sequence[UndecodableLabel], packages: int) -> str:
    """What was wrong, once for the shipment (not once per package), and what Reprint will do."""
    if not failures:
        return ""
    what = failures[0].message.rstrip(".")  # the reason only: the hint is replaced below
    if packages > 1:
        return ngettext("{reason} ({count} of {packages} labels); the tracking numbers are saved, and Reprint "
                        "fetches it again from UPS with Label Recovery.",
                        "{reason} ({count} of {packages} labels); the tracking numbers are saved, and Reprint "
                        "fetches them again from UPS with Label Recovery.", len(failures)).format(
            reason=what, count=len(failures), packages=packages)
    return _("{reason}; the tracking numbers are saved, and Reprint fetches it again from UPS with Label "
             "Recovery.").format(reason=what)
