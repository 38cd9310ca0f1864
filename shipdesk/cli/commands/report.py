"""``report [--date D] [--csv] [--out FILE]``: the day's summary (PDF with the driver's pickup receipt, or CSV).

Prints where it was written and the day's numbers; with ``--json`` the same numbers per service.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from shipdesk.cli.exit_codes import EXIT_OK
from shipdesk.cli.output import Output
from shipdesk.core.context import AppContext
from shipdesk.core.day_report import write_day_report
from shipdesk.errors import ConfigError
from shipdesk.i18n import _, ngettext
from shipdesk.i18n.formats import money, quantity
from shipdesk.reports import DaySummary, ServiceTotals


def report(context: AppContext, args: argparse.Namespace, out: Output) -> int:
    try:
        day = date.fromisoformat(args.date) if args.date else date.today()
    except ValueError:
        raise ConfigError(_("--date takes a date as YYYY-MM-DD, not {given}.").format(given=repr(args.date))) from None
    summary, path = write_day_report(context, day, "csv" if args.csv else "pdf",
                                     Path(args.out) if args.out else None)
    out.emit({"date": day.isoformat(), "file": str(path), **summary_json(summary)}, summary_lines(summary, path))
    return EXIT_OK


def summary_json(summary: DaySummary) -> dict[str, object]:
    def line(t: ServiceTotals) -> dict[str, object]:
        return {"service_code": t.service_code, "service_name": t.service_name, "currency": t.currency,
                "shipments": t.shipments, "packages": t.packages, "weight": str(round(t.weight, 2)),
                "negotiated": str(t.negotiated), "published": str(t.published)}
    return {"services": [line(t) for t in summary.services], "totals": [line(t) for t in summary.totals],
            "voids": [r.shipment_nbr for r in summary.voids],
            "exceptions": [{"shipment": r.shipment_nbr, "note": r.exception_note} for r in summary.exceptions]}


def summary_lines(summary: DaySummary, path: Path) -> list[str]:
    lines = [_("Day summary {date}: {path}").format(date=summary.day.isoformat(), path=path)]
    for t in (*summary.services, *summary.totals):
        name = t.service_name if t.service_code else _("Total")
        counts = ngettext("{count} shipment", "{count} shipments", t.shipments).format(count=t.shipments)
        packages = ngettext("{count} package", "{count} packages", t.packages).format(count=t.packages)
        weight = quantity(round(t.weight, 2), summary.weight_unit)
        charges = _("negotiated {negotiated}, published {published}").format(
            negotiated=money(t.negotiated, t.currency), published=money(t.published, t.currency))
        lines.append(f"  {name:<28} {counts:>14} {packages:>12} {weight:>10}  {charges}")
    lines.append("  " + _("{voided} voided, {exceptions}.").format(
        voided=len(summary.voids), exceptions=ngettext("{count} exception", "{count} exceptions",
                                                       len(summary.exceptions)).format(count=len(summary.exceptions))))
    return lines
