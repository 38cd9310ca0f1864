"""The day's summary as a PDF (reportlab): the supervisor's pages and the UPS driver's receipt.

Pages: a title with the date, the shipper and its UPS account; the per-service table with totals;
every shipment that left; the voids; the exceptions. The last page is the pickup summary the UPS
driver signs, as WorldShip prints its "Pickup Summary / Driver's Receipt": shipper, shipper number,
pickup date, packages per service and in total, and lines for the driver's signature, the pickup
time and the number of packages received.

Text is set in DejaVu Sans (or Arial) when the computer has it, else in the Vera font reportlab
ships, so names such as "Müller Präzisionstechnik" print as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO, Literal
from xml.sax.saxutils import escape

import reportlab
from babel.dates import format_date
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from shipdesk.i18n import _, current_locale
from shipdesk.i18n.formats import number
from shipdesk.reports.day_summary import DaySummary, ServiceTotals, ShipmentRow

PageSize = Literal["letter", "A4"]
_PAGES = {"letter": letter, "A4": A4}
_MARGIN = 0.5 * inch
_FONT_CANDIDATES = (
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ("C:/Windows/Fonts/arial.ttf", "C:/Windows/Fonts/arialbd.ttf"),
    ("/Library/Fonts/Arial.ttf", "/Library/Fonts/Arial Bold.ttf"),
)
_UNIT_TEXT = {"LBS": "lb", "KGS": "kg", "OZS": "oz"}


@lru_cache(maxsize=1)
def _fonts() -> tuple[str, str]:
    """Register a Unicode TrueType font once; (regular, bold) names for reportlab."""
    bundled = Path(reportlab.__file__).parent / "fonts"
    for regular, bold in (*_FONT_CANDIDATES, (str(bundled / "Vera.ttf"), str(bundled / "VeraBd.ttf"))):
        if Path(regular).is_file() and Path(bold).is_file():
            pdfmetrics.registerFont(TTFont("SummarySans", regular))
            pdfmetrics.registerFont(TTFont("SummarySans-Bold", bold))
            return "SummarySans", "SummarySans-Bold"
    return "Helvetica", "Helvetica-Bold"


def write_day_pdf(summary: DaySummary, out: Path | BinaryIO, *, page_size: PageSize = "letter",
                  printed_at: datetime | None = None) -> None:
    """Write the summary as a PDF on letter or A4 pages; the driver's receipt is the last page."""
    regular, bold = _fonts()
    styles = _Styles(regular, bold)
    page = _PAGES[page_size]
    width = page[0] - 2 * _MARGIN
    title = _("Day summary {date}").format(date=summary.day.isoformat())
    day_name = format_date(summary.day, "EEEE", locale=current_locale())
    document = SimpleDocTemplate(
        str(out) if isinstance(out, Path) else out, pagesize=page, leftMargin=_MARGIN, rightMargin=_MARGIN,
        topMargin=_MARGIN, bottomMargin=0.6 * inch, title=title, author=summary.shipper_name, creator="shipdesk",
    )
    printed = (printed_at or datetime.now()).strftime("%Y-%m-%d %H:%M")
    story: list[Flowable] = [
        Paragraph(escape(_("Day summary — {day} {date}").format(day=day_name, date=summary.day.isoformat())),
                  styles.title),
        Paragraph(escape(" · ".join([
            summary.shipper_name, _("UPS account {number}").format(number=summary.shipper_number),
            *([_("stations: {names}").format(names=", ".join(summary.stations))] if summary.stations else []),
            _("printed {time}").format(time=printed)])), styles.small),
        Spacer(1, 10),
        Paragraph(escape(_("By service")), styles.heading),
        _service_table(summary, width, styles),
        Spacer(1, 12),
        Paragraph(escape(_("Shipments ({count})").format(count=len(summary.shipped))), styles.heading),
        _shipment_table(summary, width, styles) if summary.shipped else Paragraph(escape(_("None.")), styles.cell),
        Spacer(1, 12),
        Paragraph(escape(_("Voided ({count})").format(count=len(summary.voids))), styles.heading),
        _void_table(summary, width, styles) if summary.voids else Paragraph(escape(_("None.")), styles.cell),
        Spacer(1, 12),
        Paragraph(escape(_("Exceptions ({count})").format(count=len(summary.exceptions))), styles.heading),
        _exception_table(summary, width, styles) if summary.exceptions else Paragraph(escape(_("None.")),
                                                                                      styles.cell),
        PageBreak(),
        *_pickup_page(summary, width, styles),
    ]

    def footer(canvas: Canvas, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(regular, 7)
        canvas.drawString(_MARGIN, 0.35 * inch, f"{summary.shipper_name} · {title}")
        canvas.drawRightString(page[0] - _MARGIN, 0.35 * inch, _("Page {number}").format(number=doc.page))
        canvas.restoreState()

    document.build(story, onFirstPage=footer, onLaterPages=footer)


class _Styles:
    def __init__(self, regular: str, bold: str) -> None:
        self.title = ParagraphStyle("title", fontName=bold, fontSize=16, leading=20, spaceAfter=2)
        self.heading = ParagraphStyle("heading", fontName=bold, fontSize=11, leading=14, spaceAfter=4)
        self.small = ParagraphStyle("small", fontName=regular, fontSize=8, leading=10, textColor=colors.grey)
        self.cell = ParagraphStyle("cell", fontName=regular, fontSize=7.5, leading=9)
        self.mono = ParagraphStyle("tracking", fontName=regular, fontSize=7, leading=8.5)
        self.head = ParagraphStyle("head", fontName=bold, fontSize=7.5, leading=9, splitLongWords=0)
        self.head_right = ParagraphStyle("head_right", parent=self.head, alignment=TA_RIGHT)
        self.big = ParagraphStyle("big", fontName=regular, fontSize=11, leading=15)
        self.regular, self.bold = regular, bold


def money(amount: Decimal | None, currency: str = "") -> str:
    if amount is None:
        return "—"
    text = number(amount.quantize(Decimal("0.01"), ROUND_HALF_UP), 2)  # the language's way: 1 234,50 in French
    return f"{text} {currency}" if currency else text


def weight(value: Decimal) -> str:
    return number(value.quantize(Decimal("0.01"), ROUND_HALF_UP), 2)


def _table(rows: list[list[Any]], widths: Sequence[float], width: float, styles: _Styles, *,
           right: Sequence[int], total_rows: int = 0) -> Table:
    """A table filling ``width`` (``widths`` are proportions); ``right`` are the number columns."""
    scale = width / sum(widths)
    # header cells wrap (a narrow money column gets "Negotiated" over "(USD)") instead of running into the next
    rows[0] = [Paragraph(escape(text), styles.head_right if column in right else styles.head)
               for column, text in enumerate(rows[0])]
    table = Table(rows, colWidths=[w * scale for w in widths], repeatRows=1)
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), styles.regular, 7.5),
        ("FONT", (0, 0), (-1, 0), styles.bold, 7.5),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        *[("ALIGN", (column, 0), (column, -1), "RIGHT") for column in right],
        ("ROWBACKGROUNDS", (0, 1), (-1, -1 - total_rows), [colors.white, colors.HexColor("#f1f3f5")]),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if total_rows:
        commands += [("FONT", (0, -total_rows), (-1, -1), styles.bold, 7.5),
                     ("LINEABOVE", (0, -total_rows), (-1, -total_rows), 0.6, colors.black)]
    table.setStyle(TableStyle(commands))
    return table


def _currency_suffix(summary: DaySummary) -> tuple[str, bool]:
    """(" (USD)" for the column header, True) when one currency; ("", False) when several."""
    if len(summary.totals) == 1:
        return f" ({summary.totals[0].currency})", True
    return "", False


def _service_table(summary: DaySummary, width: float, styles: _Styles) -> Flowable:
    suffix, single = _currency_suffix(summary)
    unit = _UNIT_TEXT[summary.weight_unit]
    header = [_("Service"), _("Shipments"), _("Packages"), _("Weight ({unit})").format(unit=unit),
              _("Negotiated") + suffix, _("Published") + suffix]

    def line(t: ServiceTotals) -> list[Any]:
        currency = "" if single else t.currency
        name = t.service_name if not t.service_code else f"{t.service_name} ({t.service_code})"
        missing = f" *{t.missing_charges}" if t.missing_charges else ""
        return [name, str(t.shipments), str(t.packages), weight(t.weight),
                money(t.negotiated, currency) + missing, money(t.published, currency)]

    rows = [header, *[line(t) for t in summary.services], *[line(t) for t in summary.totals]]
    if not summary.services:
        rows.insert(1, [_("Nothing shipped"), "0", "0", weight(Decimal(0)), "—", "—"])
    table = _table(rows, (190, 60, 60, 70, 85, 85), width, styles, right=range(1, 6),
                   total_rows=len(summary.totals))
    notes: list[Flowable] = [table]
    if any(t.missing_charges for t in summary.totals):
        notes.append(Paragraph(escape(_("* shipments without charges from UPS (not in the sums).")), styles.small))
    return KeepTogether(notes)


def _ship_to(row: ShipmentRow, styles: _Styles) -> Paragraph:
    return Paragraph(escape(f"{row.ship_to_name}, {row.ship_to_city}, {row.ship_to_country}"), styles.cell)


def _shipment_table(summary: DaySummary, width: float, styles: _Styles) -> Table:
    suffix, single = _currency_suffix(summary)
    unit = _UNIT_TEXT[summary.weight_unit]
    rows: list[list[Any]] = [[_("Shipment"), _("Orders"), _("Ship to"), _("Service"), _("Pkgs"),
                              _("Weight ({unit})").format(unit=unit), _("Tracking"), _("Negotiated") + suffix,
                              _("Published") + suffix]]
    for row in summary.shipped:
        currency = "" if single else row.currency
        rows.append([
            row.shipment_nbr, Paragraph(escape(" ".join(row.order_nbrs)), styles.cell), _ship_to(row, styles),
            Paragraph(escape(row.service_name), styles.cell), str(len(row.packages)),
            weight(row.weight_in(summary.weight_unit)),
            Paragraph("<br/>".join(escape(p.tracking_number) for p in row.packages), styles.mono),
            money(row.negotiated_charge, currency), money(row.published_charge, currency),
        ])
    return _table(rows, (46, 48, 106, 66, 24, 38, 92, 60, 60), width, styles, right=(4, 5, 7, 8))


def _void_table(summary: DaySummary, width: float, styles: _Styles) -> Table:
    rows: list[list[Any]] = [[_("Shipment"), _("Ship to"), _("Service"), _("Tracking"), _("Voided at"),
                              _("Negotiated"), _("Published")]]
    for row in summary.voids:
        rows.append([
            row.shipment_nbr, _ship_to(row, styles), Paragraph(escape(row.service_name), styles.cell),
            Paragraph("<br/>".join(escape(p.tracking_number) for p in row.packages), styles.mono),
            row.voided_at.strftime("%H:%M") if row.voided_at else "",
            money(row.negotiated_charge, row.currency), money(row.published_charge, row.currency),
        ])
    return _table(rows, (52, 140, 80, 100, 44, 62, 62), width, styles, right=(5, 6))


def _exception_table(summary: DaySummary, width: float, styles: _Styles) -> Table:
    rows: list[list[Any]] = [[_("Shipment"), _("Ship to"), _("Service"), _("What happened")]]
    for row in summary.exceptions:
        note = _(row.exception_note) if row.exception_note else _("exception")  # i18n: N_() in store/day_summary.py
        rows.append([row.shipment_nbr, _ship_to(row, styles), Paragraph(escape(row.service_name), styles.cell),
                     Paragraph(escape(note), styles.cell)])
    return _table(rows, (52, 150, 90, 248), width, styles, right=())


def _pickup_page(summary: DaySummary, width: float, styles: _Styles) -> list[Flowable]:
    counts = summary.pickup_counts()
    total = sum(count for _code, _name, count in counts)
    shipper = "<br/>".join(escape(line) for line in (summary.shipper_name, *summary.shipper_address))
    facts = Table([
        [Paragraph(f"<b>{escape(_('Shipper'))}</b>", styles.big), Paragraph(shipper, styles.big)],
        [Paragraph(f"<b>{escape(_('Shipper number'))}</b>", styles.big),
         Paragraph(escape(summary.shipper_number), styles.big)],
        [Paragraph(f"<b>{escape(_('Pickup date'))}</b>", styles.big),
         Paragraph(escape(f"{format_date(summary.day, 'EEEE', locale=current_locale())} {summary.day.isoformat()}"),
                   styles.big)],
    ], colWidths=[width * 0.3, width * 0.7])
    facts.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
    rows: list[list[Any]] = [[_("Service"), _("Packages")]]
    rows += [[f"{name} ({code})", str(count)] for code, name, count in counts] or [[_("Nothing to pick up"), "0"]]
    rows.append([_("Total packages"), str(total)])
    packages = Table(rows, colWidths=[width * 0.7, width * 0.3])
    packages.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), styles.regular, 12),
        ("FONT", (0, 0), (-1, 0), styles.bold, 12),
        ("FONT", (0, -1), (-1, -1), styles.bold, 14),
        ("ALIGN", (1, 0), (1, -1), "RIGHT"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("LINEABOVE", (0, -1), (-1, -1), 1.2, colors.black),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]))
    sign = Table([
        [_("Received by UPS driver (signature)"), ""],
        [_("Driver's name / ID"), ""],
        [_("Pickup time"), ""],
        [_("Number of packages received"), ""],
    ], colWidths=[width * 0.4, width * 0.6], rowHeights=[0.55 * inch] * 4)
    sign.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), styles.regular, 11),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LINEBELOW", (1, 0), (1, -1), 0.8, colors.black),
    ]))
    return [
        Paragraph(escape(_("UPS Pickup Summary — Driver's Receipt")), styles.title),
        Spacer(1, 12), facts, Spacer(1, 14), packages, Spacer(1, 28), sign, Spacer(1, 18),
        Paragraph(escape(_("The driver's signature acknowledges the number of packages received, not their contents "
                           "or condition. Keep this page with the day's shipping records.")), styles.small),
    ]
