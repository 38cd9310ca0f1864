"""Printing a finished document (a commercial invoice PDF) on an office printer, or into the printed folder.

Labels go to the label printer; papers that travel in the pouch on the box go to an ordinary printer:
the computer's default one, or the one named in ``[international] invoice_printer``. A PDF is handed to the
OS as it is (no Qt needed, so the command line prints too): CUPS's ``lp -n COPIES`` on Linux and macOS, the
PDF application's "print" verb on Windows (once per copy). When the label printer profile is a ``file``
one, the document is written to its folder instead (``<job>-<name>.pdf``), whole or not at all.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from shipdesk.errors import PrintError
from shipdesk.i18n import _

#: runs a command with ``data`` on its stdin (``subprocess.run``'s shape); tests hand in their own
Runner = Callable[[list[str], bytes], "subprocess.CompletedProcess[bytes]"]


def _run(command: list[str], data: bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(command, input=data, capture_output=True, timeout=60, check=False)


def print_pdf(pdf: bytes, *, copies: int, job_name: str, printer: str = "", runner: Runner | None = None,
              lp_command: str = "lp") -> None:
    """Send ``copies`` copies of ``pdf`` to ``printer`` ("" = the default printer)."""
    if copies <= 0:
        return
    if sys.platform == "win32" and runner is None:
        _print_on_windows(pdf, copies, printer)
        return
    if runner is None and shutil.which(lp_command) is None:
        raise PrintError(_("Cannot print the invoice: this computer has no print system ('lp' is not installed)."),
                         hint=_("Install CUPS, or set up a 'file' printer profile to save invoices as PDF files."))
    command = [lp_command, "-n", str(copies), "-t", job_name]
    if printer:
        command[1:1] = ["-d", printer]
    try:
        result = (runner or _run)(command, pdf)
    except subprocess.TimeoutExpired as exc:
        raise PrintError(_("The printer '{printer}' did not take the invoice in time.").format(
                             printer=printer or _("default printer"))) from exc
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip() or f"exit code {result.returncode}"
        raise PrintError(_("The printer '{printer}' refused the invoice: {detail}.").format(
                             printer=printer or _("default printer"), detail=detail),
                         hint=_("Check the invoice printer in Settings › International (lpstat -p lists them)."))


def _print_on_windows(pdf: bytes, copies: int, printer: str) -> None:  # pragma: no cover - Windows only
    if printer:
        raise PrintError(_("On Windows shipdesk prints invoices on the default printer only."),
                         hint=_("Leave the invoice printer empty and make that printer the default one."))
    handle, name = tempfile.mkstemp(suffix=".pdf", prefix="shipdesk-invoice-")
    with os.fdopen(handle, "wb") as out:
        out.write(pdf)
    try:
        for _copy in range(copies):
            os.startfile(name, "print")  # type: ignore[attr-defined]
    except OSError as exc:
        raise PrintError(_("Windows could not print the invoice ({strerror}).").format(strerror=exc.strerror),
                         hint=_("Install a PDF reader that can print, or use a 'file' printer profile.")) from exc


def write_pdf(folder: Path, pdf: bytes, *, job_name: str, name: str) -> Path:
    """``<folder>/<job_name>-<name>.pdf``, written aside and renamed so a watcher never reads half a file."""
    target = folder / f"{job_name}-{name}.pdf"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(dir=folder, prefix=".", suffix=".part")
        with os.fdopen(handle, "wb") as out:
            out.write(pdf)
        os.replace(temp_name, target)
    except OSError as exc:
        raise PrintError(_("The invoice could not be written to the folder {folder} ({strerror}).").format(
                             folder=folder, strerror=exc.strerror),
                         hint=_("Check that the folder exists and is writable.")) from exc
    return target
