"""UPS labels: decode what UPS sends, make 4x6 PDFs and previews, archive, send to printers.

No Qt here except `shipdesk.labels.qt_printer`, which only the UI imports.
"""

from shipdesk.errors import UndecodableLabel
from shipdesk.labels.archive import ArchivedLabel, LabelArchive
from shipdesk.labels.decode import DecodedLabel, decode_label
from shipdesk.labels.pdf import label_to_pdf, labels_to_pdf
from shipdesk.labels.preview import preview_png
from shipdesk.labels.printers import (
    CupsRawPrinter,
    FilePrinter,
    LabelFormat,
    NetworkRawPrinter,
    PrinterKind,
    PrinterProfile,
    WindowsRawPrinter,
    label_format_for,
    print_labels,
)

__all__ = [
    "ArchivedLabel",
    "CupsRawPrinter",
    "DecodedLabel",
    "FilePrinter",
    "LabelArchive",
    "LabelFormat",
    "NetworkRawPrinter",
    "PrinterKind",
    "PrinterProfile",
    "UndecodableLabel",
    "WindowsRawPrinter",
    "decode_label",
    "label_format_for",
    "label_to_pdf",
    "labels_to_pdf",
    "preview_png",
    "print_labels",
]
