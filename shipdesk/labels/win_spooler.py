"""Send bytes to a Windows printer in RAW mode through the spooler (winspool.drv via ctypes).

Only imported on Windows. RAW means the spooler passes the ZPL/EPL bytes to the printer untouched,
which is how Zebra's own tools print; no pywin32 is needed.
"""

from __future__ import annotations

import ctypes
from collections.abc import Sequence
from ctypes import wintypes

from shipdesk.errors import PrintError
from shipdesk.i18n import _


class _DocInfo1(ctypes.Structure):
    _fields_ = [
        ("pDocName", wintypes.LPWSTR),
        ("pOutputFile", wintypes.LPWSTR),
        ("pDatatype", wintypes.LPWSTR),
    ]


def send_raw(printer_name: str, jobs: Sequence[bytes], *, job_name: str) -> None:
    """One spooler document holding every job in order."""
    winspool = ctypes.WinDLL("winspool.drv", use_last_error=True)  # type: ignore[attr-defined]
    handle = wintypes.HANDLE()
    if not winspool.OpenPrinterW(printer_name, ctypes.byref(handle), None):
        raise PrintError(
            _("Windows cannot open the printer '{printer_name}' (error {code}).").format(
                printer_name=printer_name, code=ctypes.get_last_error()),  # type: ignore[attr-defined]
            hint=_("Check the printer name in Settings > Printers and that it is installed on this PC."),
        )
    try:
        doc = _DocInfo1(job_name, None, "RAW")
        if not winspool.StartDocPrinterW(handle, 1, ctypes.byref(doc)):
            raise PrintError(
                _("Windows refused a print job for '{printer_name}'.").format(printer_name=printer_name),
                hint=_("Check the print queue."),
            )
        try:
            for job in jobs:
                winspool.StartPagePrinter(handle)
                written = wintypes.DWORD()
                ok = winspool.WritePrinter(handle, job, len(job), ctypes.byref(written))
                winspool.EndPagePrinter(handle)
                if not ok or written.value != len(job):
                    raise PrintError(
                        _("Windows could not send the whole label to '{printer_name}'.").format(
                            printer_name=printer_name),
                        hint=_("Check that the printer is online and has labels."),
                    )
        finally:
            winspool.EndDocPrinter(handle)
    finally:
        winspool.ClosePrinter(handle)
