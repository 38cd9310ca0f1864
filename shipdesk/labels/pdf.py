"""4x6 inch portrait PDFs of image labels, for system printers and "save as PDF".

Each page is 288 x 432 pt (4 x 6 in) with no margin: the UPS label is turned upright (see
`shipdesk.labels.images`), trimmed to its printed content and drawn over the whole page, so a printer
set to 100% / "actual size" prints it at the label's true size. ZPL/EPL/SPL are printer languages,
not pictures: they go to a raw printer, never into a PDF.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from shipdesk.errors import LabelError
from shipdesk.i18n import _
from shipdesk.labels.decode import DecodedLabel
from shipdesk.labels.images import place_on_page, printable_label

PAGE_WIDTH_PT = 288.0  # 4 in
PAGE_HEIGHT_PT = 432.0  # 6 in


def label_to_pdf(label: DecodedLabel, *, out: Path | BinaryIO) -> None:
    """Write one label as a one-page 4x6 in portrait PDF (a PDF label from UPS is written unchanged)."""
    if label.format == "PDF":
        if isinstance(out, Path):
            out.write_bytes(label.data)
        else:
            out.write(label.data)
        return
    labels_to_pdf([label], out)


def labels_to_pdf(labels: Sequence[DecodedLabel], out: Path | BinaryIO) -> None:
    """Write several labels as one PDF, one 4x6 in page per label in the order given (batch print)."""
    if not labels:
        raise LabelError(_("There are no labels to put in the PDF."))
    for label in labels:
        _require_image(label)
    canvas = Canvas(str(out) if isinstance(out, Path) else out, pagesize=(PAGE_WIDTH_PT, PAGE_HEIGHT_PT))
    canvas.setTitle(_("UPS shipping labels"))
    canvas.setCreator("shipdesk")
    for label in labels:
        image = printable_label(label)
        x, top, width, height = place_on_page(image.width, image.height, PAGE_WIDTH_PT, PAGE_HEIGHT_PT)
        # reportlab measures y from the bottom of the page
        canvas.drawImage(ImageReader(image), x, PAGE_HEIGHT_PT - top - height, width, height)
        canvas.showPage()
    canvas.save()


def _require_image(label: DecodedLabel) -> None:
    if label.format == "PDF":
        raise LabelError(
            _("A PDF label from UPS cannot be combined with other labels; print it on its own."),
        )
    if not label.is_image:
        raise LabelError(
            _("A {format} label is printer code, not a picture, so it cannot be made into a PDF.").format(
                format=label.format),
            hint=_("Send it to a raw (ZPL/EPL) printer, or set the label format to GIF to print on a system printer."),
        )
