"""The day's summary for a station's day: the store's rows for that local day, added up (``reports``), written
as the PDF (with the driver's pickup receipt) or the CSV. ``shipdesk report`` and Tools → Day summary call it."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Literal

from shipdesk.core.context import AppContext
from shipdesk.core.region import region_of
from shipdesk.core.store.day_summary import day_rows
from shipdesk.reports import DaySummary, ShipmentRow, summarize, write_day_csv, write_day_pdf

ReportFormat = Literal["pdf", "csv"]


def local_day_bounds(day: date) -> tuple[datetime, datetime]:
    """The station's day as two instants: local midnight to the next one (labels are stamped in UTC)."""
    zone = datetime.now().astimezone().tzinfo
    start = datetime.combine(day, time(), tzinfo=zone)
    return start, datetime.combine(day + timedelta(days=1), time(), tzinfo=zone)


def rows_for(day: date) -> list[ShipmentRow]:
    return day_rows(*local_day_bounds(day))


def day_summary(context: AppContext, day: date) -> DaySummary:
    config = context.config
    shipper = config.shipper
    address = (*shipper.address_lines, f"{shipper.city} {shipper.state} {shipper.postal_code}".strip(),
               shipper.country)
    return summarize(rows_for(day), day=day, shipper_name=shipper.name, shipper_number=config.ups.account_number,
                     shipper_address=tuple(line for line in address if line),
                     weight_unit=region_of(config).weight_unit)  # the warehouse's unit, [region] weight_unit


def default_path(context: AppContext, day: date, fmt: ReportFormat) -> Path:
    folder = context.paths.root / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"day-summary-{day.isoformat()}.{fmt}"


def write_day_report(context: AppContext, day: date, fmt: ReportFormat = "pdf", out: Path | None = None
                     ) -> tuple[DaySummary, Path]:
    """Write the day's summary (PDF or CSV) to ``out``, else ``<data>/reports/day-summary-<day>.<fmt>``."""
    summary = day_summary(context, day)
    target = out or default_path(context, day, fmt)
    if fmt == "csv":
        write_day_csv([*summary.shipped, *summary.voids], target, weight_unit=summary.weight_unit)
    else:
        write_day_pdf(summary, target)
    return summary, target
