"""Print image labels on a system printer through Qt (the only Qt module in `shipdesk.labels`).

Each label is turned upright and trimmed like the PDF path, then painted over the whole 4x6 in page:
full-page mode, no margins, no "fit to page" scaling by the driver. Needs a QGuiApplication.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter

from shipdesk.errors import PrintError
from shipdesk.i18n import _
from shipdesk.labels.decode import DecodedLabel
from shipdesk.labels.images import place_on_page, printable_label, to_png

LABEL_PAGE = QPageSize(
    QSizeF(4, 6), QPageSize.Unit.Inch, "4x6 in label", QPageSize.SizeMatchPolicy.ExactMatch
)


def print_pdf_or_images(
    printer_name: str | None, labels: Sequence[DecodedLabel], *, pdf_path: Path | None = None
) -> None:
    """Print labels, one page each; ``printer_name`` None = default printer; ``pdf_path`` = save as PDF."""
    if not labels:
        raise PrintError(_("There are no labels to print."))
    images = [printable_label(label) for label in labels]  # fails early on a ZPL or damaged label
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if pdf_path is not None:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(pdf_path))
    elif printer_name:
        printer.setPrinterName(printer_name)
    if not printer.isValid():
        raise PrintError(
            _("The printer '{printer_name}' is not available on this computer.").format(
                printer_name=printer_name or _("default printer")),
            hint=_("Choose another printer in the printer settings."),
        )
    printer.setFullPage(True)
    printer.setPageLayout(QPageLayout(LABEL_PAGE, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
    printer.setDocName(_("UPS labels"))
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintError(_("The printer '{printer_name}' refused the print job.").format(
                             printer_name=printer_name or _("default printer")))
    try:
        page = printer.pageRect(QPrinter.Unit.DevicePixel)
        for number, image in enumerate(images):
            if number:
                printer.newPage()
            x, y, width, height = place_on_page(image.width, image.height, page.width(), page.height())
            painter.drawImage(
                QRectF(page.x() + x, page.y() + y, width, height), QImage.fromData(to_png(image))
            )
    finally:
        painter.end()
