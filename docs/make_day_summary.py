"""Make ``docs/day-summary.png`` and ``docs/day-summary-pickup.png`` from a realistic day.

    python docs/make_day_summary.py [OUT_DIR]

Builds the rows a warehouse day leaves in the store (14 shipments on four services, one of them to
Germany weighed in kg, a three-package one, one voided, one whose write-back failed), writes the
day summary PDF on letter paper and the CSV into a temporary folder, and turns the first page and
the pickup page into PNGs with ``pdftoppm`` (poppler-utils). Nothing outside OUT_DIR is written.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

if __package__ in (None, ""):  # run as a script from a source checkout
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from shipdesk.reports import PackageRow, ShipmentRow, summarize, write_day_csv, write_day_pdf

DAY = date(2026, 12, 3)
SERVICES = {"01": "UPS Next Day Air", "02": "UPS 2nd Day Air", "03": "UPS Ground", "07": "UPS Worldwide Express"}


def tracking(service: str, n: int) -> str:
    """A 1Z number for account A1B2C3 with a valid check digit."""
    body = f"A1B2C3{service}{n:07d}"
    digits = [int(c) if c.isdigit() else (ord(c) - 63) % 10 for c in body]
    total = sum(digits[0::2]) + 2 * sum(digits[1::2])
    return f"1Z{body}{(10 - total % 10) % 10}"


def row(n: int, name: str, city: str, country: str, service: str, weights: list[str], negotiated: str,
        published: str, *, minute: int, unit: str = "LBS", **extra: object) -> ShipmentRow:
    packages = tuple(PackageRow(tracking(service, 4400 + 10 * n + i), Decimal(w), unit)  # type: ignore[arg-type]
                     for i, w in enumerate(weights))
    return ShipmentRow(
        shipment_nbr=f"SH{101 + n:06d}", order_nbrs=(f"SO{5200 + n:06d}",), ship_to_name=name, ship_to_city=city,
        ship_to_country=country, service_code=service, service_name=SERVICES[service], packages=packages,
        negotiated_charge=Decimal(negotiated), published_charge=Decimal(published),
        shipped_at=datetime(2026, 12, 3, 8 + minute // 60, minute % 60), station="Dock 1" if n % 3 else "Dock 2",
        **extra,  # type: ignore[arg-type]
    )


def sample_rows() -> list[ShipmentRow]:
    return [
        row(0, "Northwind Traders", "New York", "US", "03", ["12.4"], "14.21", "18.95", minute=5),
        row(1, "Lane Residence", "Brooklyn", "US", "03", ["3.2"], "11.06", "14.75", minute=12),
        row(2, "Pacific Coast Fasteners", "Anaheim", "US", "02", ["22", "18.5", "9.75"], "96.40", "128.53",
            minute=20),
        row(3, "Hilltop Drive", "San Diego", "US", "01", ["4.1"], "48.77", "65.03", minute=31),
        row(4, "Lone Star Machining", "Austin", "US", "03", ["31.0"], "22.83", "30.44", minute=44),
        row(5, "Müller Präzisionstechnik GmbH", "Stuttgart", "DE", "07", ["2.5"], "88.12", "117.49",
            minute=58, unit="KGS"),
        row(6, "Café Olé", "Chicago", "US", "03", ["7.8"], "13.67", "18.23", minute=71),
        row(7, "Søren Ærø", "Atlanta", "US", "02", ["5.0"], "24.30", "32.40", minute=85, exception=True,
            exception_note="Write-back to Acumatica failed (API login limit); the sync retries it"),
        row(8, "Great Lakes Supply", "Chicago", "US", "03", ["15.0", "15.0"], "27.48", "36.64", minute=102),
        row(9, "Bayou Hardware", "New Orleans", "US", "03", ["9.9"], "15.02", "20.03", minute=118),
        row(10, "Caribe Distribuidora", "San Juan", "PR", "02", ["6.3"], "35.61", "47.48", minute=133),
        row(11, "Summit Tools", "Denver", "US", "01", ["1.2"], "41.90", "55.87", minute=150),
        row(12, "Harbor Marine", "Seattle", "US", "03", ["44.0"], "31.75", "42.33", minute=171, voided=True,
            voided_at=datetime(2026, 12, 3, 11, 20)),
        row(13, "Evergreen Office", "Portland", "US", "03", ["8.6"], "14.88", "19.84", minute=190),
    ]


def main(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    if shutil.which("pdftoppm") is None:
        raise SystemExit("pdftoppm is needed: apt-get install poppler-utils")
    rows = sample_rows()
    summary = summarize(rows, day=DAY, shipper_name="ACME Industrial Supply", shipper_number="A1B2C3",
                        shipper_address=("100 Main St", "Atlanta GA 30301", "United States"))
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "day-summary.pdf"
        write_day_pdf(summary, pdf, printed_at=datetime(2026, 12, 3, 17, 42))
        write_day_csv(rows, Path(folder) / "day-summary.csv")
        pages = int(next(line.split()[-1] for line in subprocess.run(
            ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
            if line.startswith("Pages:")))
        for page, name in ((1, "day-summary"), (pages, "day-summary-pickup")):
            subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", str(page), "-l", str(page), "-singlefile",
                            str(pdf), str(out_dir / name)], check=True)
            print(out_dir / f"{name}.png")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent)
