"""Label files for the ship flow: keep UPS's labels in the archive, find them again, print them.

A label missing from the archive (deleted, or made on another PC) is fetched with UPS Label Recovery
and archived, so reprints and write-backs never need a second label.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from shipdesk.core.context import AppContext
from shipdesk.core.store import repository
from shipdesk.core.store.models import LabelJob
from shipdesk.errors import PrintError
from shipdesk.labels.archive import ArchivedLabel, safe_name
from shipdesk.labels.decode import DecodedLabel, decode_label
from shipdesk.labels.printers import PrinterProfile, print_labels
from shipdesk.ups.models import ShipResult

#: sends one shipment's decoded labels, in package order, to a printer profile as one named job
LabelPrinter = Callable[[PrinterProfile, Sequence[DecodedLabel], str], None]


def headless_printer(profile: PrinterProfile, labels: Sequence[DecodedLabel], job_name: str) -> None:
    """Raw (ZPL/EPL) and folder printers; system printers are driven by the desktop app's Qt printer."""
    print_labels(profile, labels, job_name=job_name)


class Labels:
    def __init__(self, context: AppContext, printer: LabelPrinter | None = None) -> None:
        self.context = context
        self.printer = printer or headless_printer

    def archive_result(self, shipment_nbr: str, result: ShipResult) -> list[str]:
        """Write every label UPS returned to the archive; returns the file paths in package order."""
        paths = []
        for package in result.packages:
            if package.label is not None:
                path = self.context.archive.store(shipment_nbr, package.tracking_number, package.label.format,
                                                  package.label.data)
                paths.append(str(path))
        return paths

    def file_for(self, shipment_nbr: str, tracking: str) -> ArchivedLabel:
        """The archived label, recovered from UPS (and archived) when the file is missing."""
        archived = self.context.archive.load(shipment_nbr, tracking)
        if archived is not None:
            return archived
        recovered = self.context.ups.recover_label(tracking, self.context.label_format())
        if not recovered:
            raise PrintError(f"UPS returned no label for {tracking}.", hint="Try again later.")
        label = recovered[0]
        path = self.context.archive.store(shipment_nbr, tracking, label.format, label.data)
        return ArchivedLabel(format=label.format.upper(), data=label.data, path=path)

    def print_job(self, job: LabelJob) -> None:
        """Print every label of the job, in package order, then remember that it was printed."""
        nbr = job.shipment.shipment_nbr
        profile = self.context.printer()
        if profile is None:
            raise PrintError("No printer is set up.", hint="Add one under Settings › Printing, then reprint.")
        files = [self.file_for(nbr, tracking) for tracking in repository.job_tracking_numbers(job)]
        job_name = f"{safe_name(nbr)} {datetime.now():%Y%m%d-%H%M%S-%f}"  # a reprint never overwrites
        self.printer(profile, [decode_label(f.format, f.data) for f in files], job_name)
        repository.mark_printed(job.job_id)
