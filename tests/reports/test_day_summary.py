"""The day summary: its numbers, the PDF's text (pdftotext) with the driver's receipt, and the CSV."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from shipdesk.reports import PackageRow, ShipmentRow, summarize, write_day_csv, write_day_pdf
from shipdesk.reports.day_summary_csv import COLUMNS

DAY = date(2026, 12, 3)


def _row(nbr: str, service: str, name: str, weights: list[str], negotiated: str | None, published: str | None,
         *, unit: str = "LBS", hour: int = 9, **extra: object) -> ShipmentRow:
    names = {"01": "UPS Next Day Air", "02": "UPS 2nd Day Air", "03": "UPS Ground", "07": "UPS Worldwide Express"}
    return ShipmentRow(
        shipment_nbr=nbr, order_nbrs=(f"SO{nbr[2:]}",), ship_to_name=name, ship_to_city="Atlanta",
        ship_to_country="US", service_code=service, service_name=names[service],
        packages=tuple(PackageRow(f"1Z{nbr}{service}{i:03d}", Decimal(w), unit)  # type: ignore[arg-type]
                       for i, w in enumerate(weights)),
        negotiated_charge=Decimal(negotiated) if negotiated else None,
        published_charge=Decimal(published) if published else None,
        shipped_at=datetime(2026, 12, 3, hour, 0), station="Dock 1", **extra,  # type: ignore[arg-type]
    )


ROWS = [
    _row("SH000201", "03", "Northwind Traders", ["12.4"], "14.21", "18.95", hour=8),
    _row("SH000202", "03", "Lane Residence", ["3.2", "4.8"], "21.06", "28.75"),
    _row("SH000203", "01", "Hilltop Drive", ["4.1"], "48.77", "65.03", hour=10),
    _row("SH000204", "07", "Müller Präzisionstechnik GmbH", ["2.5"], "88.12", "117.49", unit="KGS", hour=11),
    _row("SH000205", "03", "Søren Ærø", ["5.0"], "13.67", "18.23", hour=12, exception=True,
         exception_note="Write-back to Acumatica failed"),
    _row("SH000206", "03", "Harbor Marine", ["44.0"], "31.75", "42.33", hour=13, voided=True,
         voided_at=datetime(2026, 12, 3, 14, 5)),
    _row("SH000207", "01", "Summit Tools", ["1.2"], None, None, hour=14),  # UPS sent no charges
]


def _summary(rows: list[ShipmentRow] = ROWS):
    return summarize(rows, day=DAY, shipper_name="ACME Industrial Supply", shipper_number="A1B2C3",
                     shipper_address=("100 Main St", "Atlanta GA 30301"))


def test_numbers_per_service_leave_voids_out() -> None:
    summary = _summary()
    lines = {(t.service_code, t.shipments, t.packages, t.weight.quantize(Decimal("0.01")), t.negotiated,
              t.published, t.missing_charges) for t in summary.services}
    assert lines == {
        ("01", 2, 2, Decimal("5.30"), Decimal("48.77"), Decimal("65.03"), 1),
        ("03", 3, 4, Decimal("25.40"), Decimal("48.94"), Decimal("65.93"), 0),  # the void's 44 lb not counted
        ("07", 1, 1, Decimal("5.51"), Decimal("88.12"), Decimal("117.49"), 0),  # 2.5 kg
    }
    assert [t.service_code for t in summary.services] == ["01", "03", "07"]  # fastest service first
    [total] = summary.totals
    assert (total.shipments, total.packages, total.negotiated, total.published) == (
        6, 7, Decimal("185.83"), Decimal("248.45"))
    assert [r.shipment_nbr for r in summary.voids] == ["SH000206"]
    assert [r.shipment_nbr for r in summary.exceptions] == ["SH000205"]
    assert summary.pickup_counts() == [("01", "UPS Next Day Air", 2), ("03", "UPS Ground", 4),
                                       ("07", "UPS Worldwide Express", 1)]


def test_two_currencies_get_a_total_each() -> None:
    rows = [*ROWS[:3], replace(ROWS[3], currency="EUR")]
    summary = _summary(rows)
    assert [(t.currency, t.shipments, t.negotiated) for t in summary.totals] == [
        ("EUR", 1, Decimal("88.12")), ("USD", 3, Decimal("84.04"))]
    assert summary.packages == 5


def _pdf_text(pdf: Path) -> list[str]:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [" ".join(line.split()) for line in text.splitlines()]


def test_the_pdf_shows_the_same_numbers_and_ends_with_the_drivers_receipt(tmp_path: Path) -> None:
    pdf = tmp_path / "day.pdf"
    write_day_pdf(_summary(), pdf, printed_at=datetime(2026, 12, 3, 17, 42))
    pages = [page for page in "\n".join(_pdf_text(pdf)).split("\f") if page.strip()]

    first = pages[0].splitlines()
    assert "Day summary — Thursday 2026-12-03" in first
    assert "ACME Industrial Supply · UPS account A1B2C3 · stations: Dock 1 · printed 2026-12-03 17:42" in first
    assert "UPS Next Day Air (01) 2 2 5.30 48.77 *1 65.03" in first
    assert "UPS Ground (03) 3 4 25.40 48.94 65.93" in first
    assert "Total 6 7 36.21 185.83 *1 248.45" in first  # one shipment without charges, footnoted
    assert any(line.startswith("SH000204 SO000204 Müller Präzisionstechnik") for line in first)
    assert any(line.startswith("SH000206 Harbor Marine, Atlanta, US UPS Ground") and "14:05 31.75 USD 42.33 USD"
               in line for line in first)
    assert any("Write-back to Acumatica failed" in line for line in first)

    receipt = pages[-1].splitlines()
    assert "UPS Pickup Summary — Driver's Receipt" in receipt
    for expected in ("Shipper number A1B2C3", "Pickup date Thursday 2026-12-03", "UPS Next Day Air (01) 2",
                     "UPS Ground (03) 4", "UPS Worldwide Express (07) 1", "Total packages 7",
                     "Received by UPS driver (signature)", "Pickup time", "Number of packages received"):
        assert expected in receipt, expected


def test_a4_and_letter_pages(tmp_path: Path) -> None:
    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo (poppler-utils) is not installed")
    for size, expected in (("letter", "612 x 792"), ("A4", "595.276 x 841.89")):
        pdf = tmp_path / f"{size}.pdf"
        write_day_pdf(_summary(), pdf, page_size=size)  # type: ignore[arg-type]
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert f"Page size:       {expected} pts" in info


def test_an_empty_day_still_gives_a_receipt_with_zero_packages(tmp_path: Path) -> None:
    pdf = tmp_path / "empty.pdf"
    write_day_pdf(_summary([]), pdf)
    text = _pdf_text(pdf)
    assert "Nothing shipped 0 0 0.00 — —" in text and "Total packages 0" in text


def test_csv_has_one_line_per_shipment_and_adds_up_to_the_pdf(tmp_path: Path) -> None:
    path = tmp_path / "day.csv"
    write_day_csv(ROWS, path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads the BOM as UTF-8
    lines = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert tuple(lines[0]) == COLUMNS and len(lines) == len(ROWS)
    assert lines[1]["tracking_numbers"] == "1ZSH00020203000 1ZSH00020203001"
    assert (lines[3]["ship_to_name"], lines[3]["weight"], lines[3]["weight_unit"]) == (
        "Müller Präzisionstechnik GmbH", "5.51", "LBS")
    assert (lines[5]["voided"], lines[5]["voided_at"]) == ("yes", "2026-12-03T14:05:00")
    assert lines[6]["negotiated_charge"] == ""
    shipped = [line for line in lines if line["voided"] == "no"]
    assert sum(Decimal(line["negotiated_charge"] or 0) for line in shipped) == Decimal("185.83")
    assert sum(int(line["packages"]) for line in shipped) == 7
