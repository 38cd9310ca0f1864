"""Printer profiles and the raw back-ends that send ZPL/EPL bytes to label printers.

A profile says where labels go and so which format to ask UPS for (`label_format_for`): a raw
thermal printer gets ZPL (or EPL) exactly as UPS made it; a system printer gets GIF, turned into a
4x6 page by the desktop app through `shipdesk.labels.qt_printer` (this module imports no Qt).
`print_labels` sends one shipment's labels, one per package in package order, as one batch.

A "save to folder" profile (`write_label_files`) writes one file per label: a GIF or PNG label as a
4x6 inch portrait PDF (`shipdesk.labels.pdf`, so the command line makes the same file as the app);
a PDF from UPS as it came; ZPL/EPL/SPL unchanged, because that file is what a thermal printer
takes. ZPL is not also rendered to PDF: our ZPL preview draws barcodes that look right but do not
scan, and a printable PDF of it would end up on a box.

`PrinterKind` and `LabelFormat` are the one vocabulary of printers: the config file, these
back-ends and the settings dialog all use them (the values are the config file's spellings).
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from shipdesk.errors import ConfigError, PrintError
from shipdesk.i18n import _
from shipdesk.labels.decode import DecodedLabel
from shipdesk.labels.pdf import label_to_pdf


class PrinterKind(StrEnum):
    SYSTEM = "system"  # an OS print queue: a 4x6 page, printed by the desktop app
    NETWORK = "network"  # a raw label printer on TCP (Zebra "port 9100")
    LOCAL = "local"  # a raw label printer on this PC, through its OS print queue
    FILE = "file"  # label files written to a folder


class LabelFormat(StrEnum):
    """The label formats shipdesk asks UPS for (UPS also makes SPL, which no printer here takes)."""

    GIF = "GIF"
    PNG = "PNG"
    ZPL = "ZPL"
    EPL = "EPL"


RAW_KINDS = (PrinterKind.NETWORK, PrinterKind.LOCAL)
RAW_FORMATS = (LabelFormat.ZPL, LabelFormat.EPL)


@dataclass(frozen=True)
class PrinterProfile:
    """One configured printer. The ``file`` kind writes label files instead of printing."""

    name: str
    kind: PrinterKind
    label_format: LabelFormat = LabelFormat.GIF
    host: str | None = None  # network
    port: int = 9100  # network
    #: local: the CUPS queue or Windows printer name; system: the OS printer (None = the default printer)
    queue: str | None = None
    folder: Path | None = None  # file

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", PrinterKind(self.kind))  # plain strings are taken too
        wanted = LabelFormat.GIF if self.kind is PrinterKind.SYSTEM else self.label_format  # a 4x6 page of the GIF
        try:
            object.__setattr__(self, "label_format", LabelFormat(str(wanted).upper()))
        except ValueError:
            raise ConfigError(_("Printer '{name}' asks for labels in {label_format}, which UPS does not make for "
                                "shipdesk.").format(name=self.name, label_format=self.label_format),
                              hint=_("Use GIF, PNG, ZPL or EPL.")) from None
        if self.kind is PrinterKind.NETWORK and not self.host:
            raise ConfigError(
                _("Printer '{name}' is a network printer but has no host name or IP address.").format(name=self.name)
            )
        if self.kind is PrinterKind.LOCAL and not self.queue:
            raise ConfigError(_("Printer '{name}' is a local raw printer but has no queue name.").format(
                                  name=self.name))
        if self.kind is PrinterKind.FILE and self.folder is None:
            raise ConfigError(_("Printer '{name}' prints to a folder but no folder is set.").format(name=self.name))
        if self.kind in RAW_KINDS and self.label_format not in RAW_FORMATS:
            raise ConfigError(
                _("Printer '{name}' is a raw label printer, so its label format must be ZPL or EPL, not "
                  "{label_format}.").format(name=self.name, label_format=self.label_format)
            )


def label_format_for(profile: PrinterProfile) -> LabelFormat:
    """The label format to ask UPS for so that this printer can print the label as it comes."""
    return profile.label_format  # a system printer's is always GIF (see PrinterProfile)


class RawPrinter(Protocol):
    def send(self, jobs: Sequence[bytes], *, job_name: str) -> None:
        """Send each job's bytes unchanged, in order."""


class NetworkRawPrinter:
    """A label printer listening on a TCP port (Zebra "port 9100" / JetDirect): one connection a batch."""

    def __init__(self, host: str, port: int = 9100, *, timeout: float = 10.0) -> None:
        self.host, self.port, self.timeout = host, port, timeout

    def send(self, jobs: Sequence[bytes], *, job_name: str = "labels") -> None:
        where = f"{self.host}:{self.port}"
        try:
            with socket.create_connection((self.host, self.port), timeout=self.timeout) as conn:
                for job in jobs:
                    conn.sendall(job)
                conn.shutdown(socket.SHUT_WR)  # tells the printer the batch is complete
        except TimeoutError as exc:
            raise PrintError(
                _("The label printer at {where} did not answer within {timeout:g} seconds.").format(
                    where=where, timeout=self.timeout),
                hint=_("Check that it is on, online and on the network, and that its address is right."),
            ) from exc
        except OSError as exc:
            raise PrintError(
                _("The label printer at {where} could not be reached ({strerror}).").format(
                    where=where, strerror=exc.strerror or exc),
                hint=_("Check that it is switched on and on the network, and the IP address and port (usually 9100) "
                       "in the printer settings."),
            ) from exc


class CupsRawPrinter:
    """A local (USB/shared) printer through CUPS: ``lp -d QUEUE -o raw`` with the bytes on stdin."""

    def __init__(self, queue: str, *, timeout: float = 30.0, lp_command: str = "lp") -> None:
        self.queue, self.timeout, self.lp_command = queue, timeout, lp_command

    def send(self, jobs: Sequence[bytes], *, job_name: str = "labels") -> None:
        if shutil.which(self.lp_command) is None:
            raise PrintError(
                _("Cannot print to '{queue}': CUPS ('lp') is not installed on this computer.").format(queue=self.queue),
            )
        command = [self.lp_command, "-d", self.queue, "-o", "raw", "-t", job_name]
        try:
            result = subprocess.run(
                command, input=b"".join(jobs), capture_output=True, timeout=self.timeout, check=False
            )
        except subprocess.TimeoutExpired as exc:
            raise PrintError(_("The print queue '{queue}' did not take the labels in time.").format(
                queue=self.queue)) from exc
        if result.returncode != 0:
            detail = result.stderr.decode("utf-8", "replace").strip() or f"exit code {result.returncode}"
            raise PrintError(
                _("The print queue '{queue}' refused the labels: {detail}.").format(queue=self.queue, detail=detail),
                hint=_("Check the queue name (lpstat -p lists them) and that the printer is enabled."),
            )


class WindowsRawPrinter:
    """A Windows printer driven in RAW mode through the print spooler (the bytes bypass the driver)."""

    def __init__(self, printer_name: str) -> None:
        self.printer_name = printer_name

    def send(self, jobs: Sequence[bytes], *, job_name: str = "labels") -> None:
        if sys.platform != "win32":
            raise PrintError(
                _("'{printer_name}' is set up as a Windows printer, but this computer is not running Windows.").format(
                    printer_name=self.printer_name),
                hint=_("Choose a network (IP) or CUPS printer in the printer settings."),
            )
        from shipdesk.labels.win_spooler import send_raw  # Windows-only: imported only here

        send_raw(self.printer_name, jobs, job_name=job_name)


class FilePrinter:
    """Writes each job to a file in a folder ("print to folder", tests, printers watching a folder)."""

    def __init__(self, folder: Path, *, extension: str = "zpl") -> None:
        self.folder, self.extension = Path(folder), extension

    def send(self, jobs: Sequence[bytes], *, job_name: str = "labels") -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for number, job in enumerate(jobs, start=1):
                (self.folder / f"{job_name}-{number}.{self.extension}").write_bytes(job)
        except OSError as exc:
            raise PrintError(
                _("The labels could not be written to the folder {folder} ({strerror}).").format(
                    folder=self.folder, strerror=exc.strerror),
                hint=_("Check that the folder exists and is writable."),
            ) from exc


def write_label_files(folder: Path, labels: Sequence[DecodedLabel], *, job_name: str = "labels") -> list[Path]:
    """Write ``<job_name>-<n>.<ext>`` per label: images as 4x6 PDFs, printer code and PDFs as they are.

    Each file appears whole or not at all (written aside, then renamed), so a program watching the
    folder never picks up half a label.
    """
    written: list[Path] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for number, label in enumerate(labels, start=1):
            if label.is_image:
                page = io.BytesIO()
                label_to_pdf(label, out=page)
                data, extension = page.getvalue(), "pdf"
            else:
                data, extension = label.data, label.format.lower()
            target = folder / f"{job_name}-{number}.{extension}"
            _write_whole(target, data)
            written.append(target)
    except OSError as exc:
        raise PrintError(
            _("The labels could not be written to the folder {folder} ({strerror}).").format(
                folder=folder, strerror=exc.strerror),
            hint=_("Check that the folder exists and is writable."),
        ) from exc
    return written


def _write_whole(target: Path, data: bytes) -> None:
    handle, temp_name = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def raw_printer_for(profile: PrinterProfile) -> RawPrinter:
    """The back-end for a raw or folder profile (system printers are printed by the app's Qt layer)."""
    if profile.kind is PrinterKind.NETWORK:
        assert profile.host is not None  # checked by PrinterProfile
        return NetworkRawPrinter(profile.host, profile.port)
    if profile.kind is PrinterKind.LOCAL:
        assert profile.queue is not None
        return WindowsRawPrinter(profile.queue) if sys.platform == "win32" else CupsRawPrinter(profile.queue)
    if profile.kind is PrinterKind.FILE:
        assert profile.folder is not None
        return FilePrinter(profile.folder, extension=label_format_for(profile).lower())
    raise PrintError(
        _("'{name}' is a system printer: labels for it are printed from the shipdesk window.").format(
            name=profile.name),
        hint=_("Print from the desktop app, or choose a raw (ZPL) printer for command-line printing."),
    )


def print_labels(
    profile: PrinterProfile,
    labels: Sequence[DecodedLabel],
    *,
    job_name: str = "labels",
    backend: RawPrinter | None = None,
) -> None:
    """Send a shipment's labels, one per package in the order given, as one batch to the printer."""
    if not labels:
        raise PrintError(_("There are no labels to print."))
    if profile.kind is not PrinterKind.FILE:
        for label in labels:
            if label.format != profile.label_format:
                raise PrintError(
                    _("This label is {format} but the printer '{name}' needs {label_format}.").format(
                        format=label.format, name=profile.name, label_format=profile.label_format),
                    hint=_("Reprint it with Label Recovery in {label_format}, or choose a printer for this "
                           "format.").format(label_format=profile.label_format),
                )
    if profile.kind is PrinterKind.FILE and backend is None:
        assert profile.folder is not None  # checked by PrinterProfile
        write_label_files(profile.folder, labels, job_name=job_name)
        return
    printer = backend or raw_printer_for(profile)
    printer.send([label.data for label in labels], job_name=job_name)
