"""Reports made from what the station shipped: the day's summary (PDF for the supervisor and the UPS
driver, CSV for a spreadsheet). Qt-free: the app and ``shipdesk report`` both call in."""

from shipdesk.reports.day_summary import DaySummary, PackageRow, ServiceTotals, ShipmentRow, summarize
from shipdesk.reports.day_summary_csv import write_day_csv
from shipdesk.reports.day_summary_pdf import write_day_pdf

__all__ = [
    "DaySummary",
    "PackageRow",
    "ServiceTotals",
    "ShipmentRow",
    "summarize",
    "write_day_csv",
    "write_day_pdf",
]
