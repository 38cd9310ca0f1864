"""The commercial invoice that goes with an international label: kept beside the label, printed unless paperless.

When the label is committed (``label_job``), the invoice is archived in the label folder as
``invoice-<shipment id>.pdf``: UPS's own form when UPS sent it (``ShipmentResults.Form``), else shipdesk's
PDF (``reports.commercial_invoice_pdf``) with the waybill number on it. It is printed right after the labels,
``[international] invoice_copies`` times, on the office printer (or into the ``file`` profile's folder),
unless paperless trade is used for the destination: then customs has it electronically and it stays in
the archive. Reprint prints it again. Like the labels, the invoice is also kept in the store
(``store.label_files``, under ``invoice-<shipment id>``), so a station sharing the store reprints it too.
"""

from __future__ import annotations

import io
from datetime import datetime

from shipdesk.core.context import AppContext
from shipdesk.core.settings.config import InvoiceSource
from shipdesk.core.shipping.international import CustomsInvoice, prints_invoice
from shipdesk.core.store import label_files
from shipdesk.core.store.models import LabelJob
from shipdesk.i18n import _
from shipdesk.labels import documents
from shipdesk.labels.archive import ArchivedLabel, safe_name
from shipdesk.labels.printers import PrinterKind
from shipdesk.reports.commercial_invoice_pdf import InvoicePapers, write_invoice_pdf
from shipdesk.ups.models import InvoiceForm, ShipmentSpec, ShipResult
from shipdesk.ups.services import service_name

INVOICE_PREFIX = "invoice-"


def invoice_pdf(form: InvoiceForm, spec: ShipmentSpec, *, waybill: str = "", shipment_id: str = "") -> bytes:
    """shipdesk's own layout of the invoice (before the label: without the waybill number)."""
    units = {p.weight_unit for p in spec.packages}
    weight = f"{sum(p.weight for p in spec.packages)} {units.pop()}" if len(units) == 1 else ""
    papers = InvoicePapers(shipper=spec.ship_from or spec.shipper, ship_to=spec.ship_to, waybill=waybill,
                           shipment_id=shipment_id, service=service_name(spec.service_code),
                           packages=len(spec.packages), weight=weight)
    out = io.BytesIO()
    write_invoice_pdf(form, papers, out)
    return out.getvalue()


class Papers:
    def __init__(self, context: AppContext) -> None:
        self.context = context

    def archive_for_label(self, nbr: str, spec: ShipmentSpec, customs: CustomsInvoice | None,
                          result: ShipResult, *, job_id: str = "") -> str:
        """Keep the label's invoice (in the store too, for the job ``job_id``); returns a sentence when UPS's
        copy was expected and missing ("" if fine)."""
        if customs is None or customs.form is None:
            return ""
        ups_copy = result.forms.image if result.forms is not None else None
        if ups_copy is not None and ups_copy.format == "PDF" and ups_copy.data.startswith(b"%PDF"):
            self._keep(nbr, job_id, result.shipment_id, ups_copy.data)
            return ""
        waybill = result.tracking_numbers[0] if result.tracking_numbers else ""
        pdf = invoice_pdf(customs.form, spec, waybill=waybill, shipment_id=result.shipment_id)
        self._keep(nbr, job_id, result.shipment_id, pdf)
        if self.context.config.international.invoice is InvoiceSource.UPS:
            return _("UPS sent no copy of its commercial invoice; shipdesk's own invoice is kept and printed instead.")
        return ""

    def _keep(self, nbr: str, job_id: str, shipment_id: str, pdf: bytes) -> None:
        if job_id:  # first in the store: a full disk must not cost the other stations the invoice
            label_files.save(job_id, INVOICE_PREFIX + shipment_id, "PDF", pdf)
        self.context.archive.store(nbr, INVOICE_PREFIX + shipment_id, "pdf", pdf)

    def invoice_of(self, job: LabelJob) -> ArchivedLabel | None:
        """The job's invoice from this station's folder, else from the store (then kept in the folder)."""
        if not job.ups_shipment_id:
            return None
        nbr, name = job.shipment.shipment_nbr, INVOICE_PREFIX + job.ups_shipment_id
        archived = self.context.archive.load(nbr, name)
        if archived is not None:
            return archived
        stored = label_files.load(name)
        if stored is None:
            return None
        return ArchivedLabel("PDF", stored.data, self.context.archive.store(nbr, name, "pdf", stored.data))

    def print_invoice(self, job: LabelJob, *, reprint: bool = False) -> bool:
        """Print the job's invoice when it goes on paper; True when it was sent to the printer."""
        archived = self.invoice_of(job)
        config = self.context.config.international
        if archived is None or not (prints_invoice(config, job.shipment.ship_to_country)
                                    or (reprint and config.invoice_copies > 0)):
            return False
        job_name = f"{safe_name(job.shipment.shipment_nbr)} {datetime.now():%Y%m%d-%H%M%S-%f}"
        profile = self.context.printer()
        if profile is not None and profile.kind is PrinterKind.FILE and profile.folder is not None:
            documents.write_pdf(profile.folder, archived.data, job_name=job_name, name="invoice")
        else:
            documents.print_pdf(archived.data, copies=config.invoice_copies, job_name=job_name,
                                printer=config.invoice_printer)
        return True
