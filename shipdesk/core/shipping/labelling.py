"""Label files for the ship flow: keep UPS's labels in the archive, find them again, print them.

A label missing from the archive (deleted, or made on another PC) is fetched with UPS Label Recovery
and archived, so reprints and write-backs never need a second label.

Label data UPS sent but that cannot be decoded (cut-off base64, an HTML error page, nothing at all) is
archived as it came, as ``<tracking>-undecodable.raw``, and is never printed or attached: the label
stays "awaiting Reprint" until Reprint fetches it with Label Recovery. The tracking numbers are safe
either way (they are in the Ship answer, not in the image).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from shipdesk.core.context import AppContext
from shipdesk.core.store import jobs
from shipdesk.core.store.models import LabelJob
from shipdesk.errors import PrintError, UndecodableLabel
from shipdesk.labels.archive import ArchivedLabel, safe_name
from shipdesk.labels.decode import DecodedLabel, decode_label
from shipdesk.labels.printers import PrinterProfile, print_labels
from shipdesk.ups.models import LabelImage, ShipResult

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
    paths: list[str]  # the usable label files, in package order
    problem: str = ""  # one sentence when some label data could not be used ("" when all could)
    undecodable: tuple[str, ...] = ()  # tracking numbers whose label awaits Reprint


class Labels:
    def __init__(self, context: AppContext, printer: LabelPrinter | None = None) -> None:
        self.context = context
        self.printer = printer or headless_printer

    def archive_result(self, shipment_nbr: str, result: ShipResult, requested_format: str = "GIF"
                       ) -> ArchivedResult:
        """Write every label UPS returned to the archive, checked; data that cannot be decoded is kept raw."""
        paths: list[str] = []
        failures: list[UndecodableLabel] = []
        undecodable: list[str] = []
        for package in result.packages:
            try:
                label = _checked(package.label, requested_format)
            except UndecodableLabel as exc:
                self.context.archive.store(shipment_nbr, package.tracking_number + UNDECODABLE_SUFFIX,
                                           RAW_FORMAT, exc.raw)
                failures.append(exc)
                undecodable.append(package.tracking_number)
                continue
            path = self.context.archive.store(shipment_nbr, package.tracking_number, label.format, label.data)
            paths.append(str(path))
        return ArchivedResult(paths, _one_sentence(failures, len(result.packages)), tuple(undecodable))

    def awaits_reprint(self, shipment_nbr: str, tracking: str) -> bool:
        """UPS's label data for ``tracking`` was unusable and no label has been recovered since."""
        archive = self.context.archive
        return (archive.find(shipment_nbr, tracking) is None
                and archive.find(shipment_nbr, tracking + UNDECODABLE_SUFFIX) is not None)

    def attachable(self, shipment_nbr: str, tracking: str) -> ArchivedLabel | None:
        """The label to attach in Acumatica; None while it awaits Reprint (never attach unusable data)."""
        if self.awaits_reprint(shipment_nbr, tracking):
            return None
        return self.file_for(shipment_nbr, tracking)

    def file_for(self, shipment_nbr: str, tracking: str) -> ArchivedLabel:
        """The archived label, recovered from UPS (and archived) when the file is missing."""
        archived = self.context.archive.load(shipment_nbr, tracking)
        if archived is not None:
            return archived
        recovered = self.context.ups.recover_label(tracking, self.context.label_format())
        if not recovered:
            raise PrintError(f"UPS returned no label for {tracking}.", hint="Try again later.")
        label = _checked(recovered[0], self.context.label_format())  # unusable again: say so, keep nothing
        path = self.context.archive.store(shipment_nbr, tracking, label.format, label.data)
        return ArchivedLabel(format=label.format.upper(), data=label.data, path=path)

    def print_job(self, job: LabelJob) -> None:
        """Print every label of the job, in package order, then remember that it was printed."""
        nbr = job.shipment.shipment_nbr
        profile = self.context.printer()
        if profile is None:
            raise PrintError("No printer is set up.", hint="Add one under Settings › Printers & labels, then reprint.")
        files = [self.file_for(nbr, tracking) for tracking in job.tracking_numbers]
        job_name = f"{safe_name(nbr)} {datetime.now():%Y%m%d-%H%M%S-%f}"  # a reprint never overwrites
        self.printer(profile, [decode_label(f.format, f.data) for f in files], job_name)
        jobs.mark_printed(job.job_id)


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
    count = f" ({len(failures)} of {packages} labels)" if packages > 1 else ""
    them = "them" if len(failures) > 1 else "it"
    return (f"{what}{count}; the tracking numbers are saved, and Reprint fetches {them} again from UPS "
            "with Label Recovery.")
