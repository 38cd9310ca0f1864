"""Printer profiles and raw back-ends: the exact ZPL reaches the printer, one label per package, in order."""

from __future__ import annotations

import socket
import sys
import threading
from pathlib import Path

import pytest
from label_samples import assert_upright, make_landscape_gif, make_zpl, media_boxes

from shipdesk.errors import ConfigError, PrintError
from shipdesk.labels.decode import DecodedLabel, decode_label
from shipdesk.labels.printers import (
    CupsRawPrinter,
    FilePrinter,
    NetworkRawPrinter,
    PrinterProfile,
    WindowsRawPrinter,
    label_format_for,
    print_labels,
)

TRACKING = ["1Z999AA10123456784", "1Z999AA10123456793", "1Z999AA10123456800"]


def _shipment_labels() -> list[DecodedLabel]:
    return [decode_label("ZPL", make_zpl(t, n, len(TRACKING))) for n, t in enumerate(TRACKING, start=1)]


class FakeZebra:
    """A listener on 127.0.0.1 standing in for a Zebra printer on port 9100: keeps every byte of one job."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.received = bytearray()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        self.server.settimeout(10)
        conn, _ = self.server.accept()
        with conn:
            while chunk := conn.recv(65536):
                self.received += chunk
        self.server.close()


def test_network_printer_gets_each_packages_zpl_exactly_and_in_order() -> None:
    zebra = FakeZebra()
    labels = _shipment_labels()
    profile = PrinterProfile(
        "Dock 1 Zebra", "network", label_format="ZPL", host="127.0.0.1", port=zebra.port
    )

    print_labels(profile, labels)

    zebra.thread.join(timeout=10)
    assert not zebra.thread.is_alive()
    assert bytes(zebra.received) == b"".join(label.data for label in labels)
    assert bytes(zebra.received).count(b"^XA") == 3
    positions = [bytes(zebra.received).index(t.encode()) for t in TRACKING]
    assert positions == sorted(positions)


def test_unreachable_network_printer_names_host_and_port() -> None:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]  # closed again when the block ends: nobody listens there
    printer = NetworkRawPrinter("127.0.0.1", port, timeout=2)
    with pytest.raises(PrintError) as caught:
        printer.send([b"^XA^XZ"])
    assert f"127.0.0.1:{port}" in str(caught.value)
    assert "9100" in str(caught.value)  # tells the admin what to check


def test_cups_printer_pipes_the_bytes_to_lp_in_raw_mode(tmp_path: Path) -> None:
    lp = tmp_path / "lp"
    lp.write_text(f'#!/bin/sh\necho "$@" > {tmp_path}/args\ncat > {tmp_path}/stdin\n')
    lp.chmod(0o755)
    labels = _shipment_labels()
    CupsRawPrinter("zebra_usb", lp_command=str(lp)).send(
        [label.data for label in labels], job_name="SH000123"
    )
    assert (tmp_path / "stdin").read_bytes() == b"".join(label.data for label in labels)
    assert (tmp_path / "args").read_text().split() == ["-d", "zebra_usb", "-o", "raw", "-t", "SH000123"]


def test_cups_refusal_is_reported_with_lps_own_words(tmp_path: Path) -> None:
    lp = tmp_path / "lp"
    lp.write_text("#!/bin/sh\necho 'lp: The printer or class does not exist.' >&2\nexit 1\n")
    lp.chmod(0o755)
    with pytest.raises(
        PrintError, match="'nosuch' refused the labels: lp: The printer or class does not exist"
    ):
        CupsRawPrinter("nosuch", lp_command=str(lp)).send([b"^XA^XZ"])


@pytest.mark.skipif(sys.platform == "win32", reason="checks the message shown off Windows")
def test_windows_printer_off_windows_says_so() -> None:
    with pytest.raises(PrintError, match="not running Windows"):
        WindowsRawPrinter("ZDesigner GK420d").send([b"^XA^XZ"])


def test_folder_printer_writes_one_file_per_label(tmp_path: Path) -> None:
    labels = _shipment_labels()
    profile = PrinterProfile("Folder", "file", label_format="ZPL", folder=tmp_path / "out")
    print_labels(profile, labels, job_name="SH000123")
    files = sorted((tmp_path / "out").iterdir())
    assert [f.name for f in files] == ["SH000123-1.zpl", "SH000123-2.zpl", "SH000123-3.zpl"]
    assert [f.read_bytes() for f in files] == [label.data for label in labels]


def test_folder_printer_writes_image_labels_as_4x6_portrait_pdfs(tmp_path: Path, pdftoppm) -> None:
    labels = [decode_label("GIF", make_landscape_gif(TRACKING[0])),
              decode_label("PNG", make_landscape_gif(TRACKING[1], fmt="PNG"))]  # some accounts get PNG
    profile = PrinterProfile("Save PDF", "file", label_format="GIF", folder=tmp_path / "out")

    print_labels(profile, labels, job_name="SH000123")

    files = sorted((tmp_path / "out").iterdir())  # nothing half-written is left beside them
    assert [f.name for f in files] == ["SH000123-1.pdf", "SH000123-2.pdf"]
    for file in files:
        assert file.read_bytes().startswith(b"%PDF-")
        assert media_boxes(file.read_bytes()) == [(288.0, 432.0)]  # 4 x 6 in, portrait
        [page] = pdftoppm(file, 30)
        assert_upright(page)


def test_a_pdf_label_from_ups_is_saved_as_it_came(tmp_path: Path) -> None:
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    label = DecodedLabel(format="PDF", data=pdf, is_image=False)
    print_labels(PrinterProfile("Folder", "file", folder=tmp_path), [label], job_name="SH000124")
    assert (tmp_path / "SH000124-1.pdf").read_bytes() == pdf


def test_an_unwritable_folder_is_a_print_error_for_pdfs_too(tmp_path: Path, landscape_gif: bytes) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    profile = PrinterProfile("Save PDF", "file", label_format="GIF", folder=blocker / "sub")
    with pytest.raises(PrintError, match="could not be written to the folder"):
        print_labels(profile, [decode_label("GIF", landscape_gif)])


def test_format_asked_from_ups_follows_the_printer() -> None:
    assert label_format_for(PrinterProfile("Office", "system", queue="HP")) == "GIF"
    assert (
        label_format_for(PrinterProfile("Zebra", "network", label_format="zpl", host="10.0.0.9")) == "ZPL"
    )
    assert (
        label_format_for(PrinterProfile("Eltron", "local", label_format="EPL", queue="eltron")) == "EPL"
    )


def test_profiles_missing_what_they_need_are_configuration_errors() -> None:
    with pytest.raises(ConfigError, match="no host name"):
        PrinterProfile("Zebra", "network", label_format="ZPL")
    with pytest.raises(ConfigError, match="must be ZPL or EPL"):
        PrinterProfile("Zebra", "network", label_format="GIF", host="10.0.0.9")
    with pytest.raises(ConfigError, match="no queue"):
        PrinterProfile("USB", "local", label_format="ZPL")


def test_a_gif_label_is_not_sent_to_a_zpl_printer(landscape_gif: bytes) -> None:
    profile = PrinterProfile("Zebra", "network", label_format="ZPL", host="127.0.0.1", port=9)
    with pytest.raises(PrintError, match="This label is GIF but the printer 'Zebra' needs ZPL"):
        print_labels(profile, [decode_label("GIF", landscape_gif)])


def test_system_printers_are_left_to_the_desktop_app(landscape_gif: bytes) -> None:
    profile = PrinterProfile("Office", "system", label_format="GIF")
    with pytest.raises(PrintError, match="system printer"):
        print_labels(profile, [decode_label("GIF", landscape_gif)])


def test_file_printer_reports_an_unwritable_folder(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(PrintError, match="could not be written to the folder"):
        FilePrinter(blocker / "sub").send([b"^XA^XZ"])
