"""The day's shipments as CSV, one line per shipment (voided ones included and marked), for a spreadsheet.

UTF-8 with a byte-order mark, so Excel on Windows shows "Müller" as it is. Amounts and weights are
plain decimals with a dot; tracking and order numbers are joined by spaces in one cell, so adding
up a column never counts a shipment twice.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TextIO

from shipdesk.reports.day_summary import ShipmentRow, WeightUnit

COLUMNS = (
    "shipment_nbr", "order_nbrs", "ship_to_name", "ship_to_city", "ship_to_country", "service_code",
    "service_name", "packages", "tracking_numbers", "weight", "weight_unit", "negotiated_charge",
    "published_charge", "currency", "shipped_at", "voided", "voided_at", "exception", "exception_note", "station",
)


def write_day_csv(rows: Iterable[ShipmentRow], out: Path | TextIO, *, weight_unit: WeightUnit = "LBS") -> None:
    """Write ``rows`` as CSV with a header line; the weight is each shipment's total in ``weight_unit``."""
    if isinstance(out, Path):
        with out.open("w", encoding="utf-8-sig", newline="") as handle:
            _write(rows, handle, weight_unit)
    else:
        _write(rows, out, weight_unit)


def _write(rows: Iterable[ShipmentRow], handle: TextIO, unit: WeightUnit) -> None:
    writer = csv.writer(handle, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([
            row.shipment_nbr, " ".join(row.order_nbrs), row.ship_to_name, row.ship_to_city, row.ship_to_country,
            row.service_code, row.service_name, len(row.packages), " ".join(p.tracking_number for p in row.packages),
            row.weight_in(unit).quantize(Decimal("0.01"), ROUND_HALF_UP), unit,
            _plain(row.negotiated_charge), _plain(row.published_charge), row.currency,
            row.shipped_at.isoformat() if row.shipped_at else "", "yes" if row.voided else "no",
            row.voided_at.isoformat() if row.voided_at else "", "yes" if row.exception else "no",
            row.exception_note, row.station,
        ])


def _plain(amount: Decimal | None) -> str:
    return "" if amount is None else str(amount.quantize(Decimal("0.01"), ROUND_HALF_UP))
