"""The right-hand pane: one shipment's ship-to address, validation, packages, rates, label preview,
UPS events, audit trail, and, when it needs attention, the reason, the fix and a Retry button.

Read top to bottom in the order a clerk needs it: what it is and its state, what is wrong (if anything)
and the button that fixes it, where it goes, what is in it, the label, what UPS saw, who did what.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from shipdesk.core.domain.audit import action_label
from shipdesk.i18n import _
from shipdesk.ui.theme import state_colours
from shipdesk.ui.view_data import AddressView, EventView, RateLine, RetryAction, ShipmentDetail, UncertainLabel
from shipdesk.ui.window.rich_text import RichText
from shipdesk.ui.window.state_groups import group_of

PREVIEW_HEIGHT = 300
MUTED = "#6b7480"
#: validation wording (store_views, in English) → chip colours, first match wins: a person's override blue,
#: confirmed green, not checked grey; anything else (UPS unsure, unknown address) amber
_VALIDATION_CHIPS = (("kept as entered", "#e3ecfb", "#1f4a8a"), ("overrid", "#e3ecfb", "#1f4a8a"),
                     ("confirmed", "#dcf5e3", "#145a2b"), ("not checked", "#ececec", "#555555"))
#: the same by the address status (what the chip goes by once the sentence is in another language)
_STATUS_CHIPS = {"overridden": ("#e3ecfb", "#1f4a8a"), "valid": ("#dcf5e3", "#145a2b"),
                 "": ("#ececec", "#555555")}


def decoded_preview(png: bytes) -> QImage | None:
    """A label preview decoded and scaled as the pane shows it (a QImage: may be made on a worker thread,
    so the GUI thread only wraps it in a pixmap); None when the bytes are no image."""
    image = QImage()
    if not image.loadFromData(png):
        return None
    return image.scaledToHeight(PREVIEW_HEIGHT, Qt.TransformationMode.SmoothTransformation)


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """An HTML table; a column with nothing in it (no sizes, no tracking yet) is left out."""
    rows = [tuple(r) for r in rows]
    keep = [i for i in range(len(headers)) if any(r[i] for r in rows)]
    headers = [headers[i] for i in keep]
    rows = [tuple(r[i] for i in keep) for r in rows]
    head = "".join(f"<th align='left' style='padding-right:10px; color:{MUTED}'>{escape(h)}</th>"
                   for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td style='padding-right:10px'>{escape(c)}</td>" for c in row) + "</tr>"
        for row in rows
    )
    return f"<table width='100%' cellspacing='0' cellpadding='2'><tr>{head}</tr>{body}</table>"


def chip(text: str, background: str, colour: str) -> str:
    return (f"<span style='background:{background}; color:{colour}; font-weight:600'>"
            f"&nbsp;{escape(text)}&nbsp;</span>")


def validation_chip(validation: str, status: str | None = None) -> str:
    """The validation sentence as a chip, coloured by ``status`` (an AddressStatus value) when given."""
    if status is not None:
        background, colour = _STATUS_CHIPS.get(status, ("#fff0c7", "#7a5200"))
        return chip(validation, background, colour)
    lowered = validation.lower()
    for word, background, colour in _VALIDATION_CHIPS:
        if word in lowered:
            return chip(validation, background, colour)
    return chip(validation, "#fff0c7", "#7a5200")  # ambiguous, unknown to UPS...


def address_html(a: AddressView, validation: str, classification: str, status: str | None = None) -> str:
    place = " ".join(p for p in (a.city, a.region, a.postal_code) if p)
    lines = [f"<b>{escape(a.name)}</b>" if a.name else "",
             escape(_("Attn: {name}").format(name=a.attention)) if a.attention and a.attention != a.name else "",
             *(escape(x) for x in a.lines), escape(place), escape(a.country),
             f"<span style='color:{MUTED}'>☎ {escape(a.phone)}</span>" if a.phone else ""]
    chips = [validation_chip(validation, status) if validation else "",
             chip(classification, "#eef1f5", "#3b4350") if classification else ""]
    chip_line = "&nbsp;".join(c for c in chips if c)
    return "<br>".join(x for x in lines if x) + (f"<p style='margin-top:6px'>{chip_line}</p>" if chip_line else "")


def timeline_html(events: Sequence[EventView]) -> str:
    """Newest first, as UPS lists them: a dot, what happened, where and when, and which package."""
    several = len({e.tracking for e in events}) > 1
    rows = []
    for i, e in enumerate(events):
        dot = "#2f6fd0" if i == 0 else "#b7c0cc"
        what = f"<b>{escape(e.description)}</b>" if i == 0 else escape(e.description)
        facts = " · ".join(escape(p) for p in (e.when, e.location, e.tracking if several else "") if p)
        rows.append(f"<tr><td valign='top' style='color:{dot}; padding-right:6px'>●</td>"
                    f"<td>{what}<br><span style='color:{MUTED}'>{facts}</span></td></tr>")
    return f"<table cellspacing='0' cellpadding='2'>{''.join(rows)}</table>"


def exception_text(events: Sequence[EventView]) -> str:
    """What to tell the clerk about a UPS delivery exception: UPS's own words, then what to do."""
    latest = events[0] if events else None
    if latest is None:
        said = _("UPS reports a delivery exception.")
    elif latest.location and latest.when:
        said = _("UPS reports “{event}” at {place} on {when}.").format(
            event=latest.description, place=latest.location, when=latest.when)
    elif latest.location:
        said = _("UPS reports “{event}” at {place}.").format(event=latest.description, place=latest.location)
    elif latest.when:
        said = _("UPS reports “{event}” on {when}.").format(event=latest.description, when=latest.when)
    else:
        said = _("UPS reports “{event}”.").format(event=latest.description)
    return f"{said} " + _("Call UPS or the customer about this package; the sync keeps tracking it and updates "
                          "Acumatica.")


def uncertain_text(u: UncertainLabel, problem: str) -> str:
    """What was checked about a label whose answer was lost, and what the person may decide (rich text)."""
    lines = [_("UPS's answer to the label request was lost at {time}: UPS may or may not have made a label. "
               "shipdesk looks it up at UPS by the shipment number, by itself, at every sync.").format(
                   time=escape(u.since))]
    if problem:
        lines.append(f"<span style='color:{MUTED}'>{escape(problem)}</span>")
    if u.checks:
        lines.append(_("Checked so far:") + "<br>"
                     + "<br>".join(f"• {escape(c.when)} {escape(c.what)}" for c in u.checks))
    else:
        lines.append(_("Not checked at UPS yet."))
    if u.can_decide:
        lines.append(_("<b>UPS lists no label for this shipment.</b> If the box has no UPS label on it, buy a new "
                       "one; if the first label turns up later, shipdesk voids it."))
    else:
        lines.append(_("If UPS still lists nothing at {time}, you can decide to buy a new label here.").format(
            time=escape(u.decide_from)))
    return "<br><br>".join(lines)


class _Section(QFrame):
    """A card: a bold title over a rich-text body; hidden while it has nothing to show."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailCard")
        self.title = QLabel(title)
        self.title.setProperty("sectionTitle", True)
        self.body = RichText()  # not a word-wrapped QLabel: that lays its tables out again for every size asked
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(10, 2, 10, 8)
        self.layout_.setSpacing(2)
        self.layout_.addWidget(self.title)
        self.layout_.addWidget(self.body)

    def set_html(self, html: str) -> None:
        if html != self.body.text():  # a rich text layout costs milliseconds: only when it changed
            self.body.setText(html)
        self.setVisible(bool(html))


class DetailPane(QScrollArea):
    """Shows a :class:`ShipmentDetail`; emits ``retry_requested(shipment, RetryAction)`` for the Retry button."""

    retry_requested = Signal(str, RetryAction)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setMinimumWidth(360)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._detail: ShipmentDetail | None = None
        self._rendered: ShipmentDetail | None = None  # what the pane shows as it was given (None: not just that)

        inner = QWidget()
        layout = QVBoxLayout(inner)
        layout.setAlignment(Qt.AlignmentFlag.AlignTop)
        layout.setSpacing(8)

        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setWordWrap(True)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.heading.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.heading.setMinimumWidth(1)
        layout.addWidget(self.heading)

        layout.addWidget(self._build_problem_box())

        self.address = _Section(_("Ship to"))
        self.packages = _Section(_("Packages"))
        self.rates = _Section(_("Rates"))
        self.label_card = _Section(_("Label"))
        self.preview_title = self.label_card.title
        self.preview = QLabel()
        self.preview.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.label_card.body.hide()
        self.label_card.layout_.addWidget(self.preview)
        self.events = _Section(_("UPS events"))
        self.audit = _Section(_("History"))
        for widget in (self.address, self.packages, self.rates, self.label_card, self.events, self.audit):
            layout.addWidget(widget)
        self.setWidget(inner)
        self.show_placeholder(_("Scan or pick a shipment to see its details."))

    def _build_problem_box(self) -> QFrame:
        """What is wrong and the button that fixes it (hidden while nothing is)."""
        self.problem_box = QFrame()
        self.problem_box.setObjectName("problemBox")
        self.problem_title = QLabel(_("Needs attention"))
        self.problem_title.setProperty("sectionTitle", True)
        self.problem_text = QLabel()
        self.problem_text.setObjectName("problemText")
        self.problem_text.setWordWrap(True)
        self.problem_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem_text.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.problem_text.setMinimumWidth(1)
        self.retry_button = QPushButton(_("Retry"))
        self.retry_button.clicked.connect(self._on_retry)
        # an uncertain label is only replaced on an explicit decision (the window asks to confirm)
        self.new_label_button = QPushButton(RetryAction.FORCE_NEW.button_text)
        self.new_label_button.clicked.connect(self._on_new_label)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.new_label_button)
        buttons.addWidget(self.retry_button)
        layout = QVBoxLayout(self.problem_box)
        layout.addWidget(self.problem_title)
        layout.addWidget(self.problem_text)
        layout.addLayout(buttons)
        return self.problem_box

    @property
    def shipment(self) -> str | None:
        return self._detail.shipment if self._detail else None

    def show_placeholder(self, text: str) -> None:
        self._detail = self._rendered = None
        self.heading.setText(f"<p style='color:{MUTED}; font-size:12pt'>{escape(text)}</p>")  # i18n: markup
        self.problem_box.hide()
        for section in (self.address, self.packages, self.rates, self.events, self.audit):
            section.set_html("")
        self._set_previews(())

    def show_error(self, shipment: str, message: str) -> None:
        self._detail = self._rendered = None
        """A sentence where the detail would be (the detail itself could not be read)."""
        self.show_placeholder("")
        self.heading.setText(f"<h2>{escape(shipment)}</h2>")  # i18n: markup around translated text
        self._show_problem(_("Cannot show this shipment"), message, exception=True)
        self.retry_button.hide()
        self.new_label_button.hide()

    def _show_problem(self, title: str, message: str, *, exception: bool, rich: bool = False) -> None:
        self.problem_title.setText(title)
        self.problem_text.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
        self.problem_text.setText(message)
        self.problem_box.setProperty("level", "error" if exception else "attention")
        self.problem_box.style().unpolish(self.problem_box)  # re-read the stylesheet for the new level
        self.problem_box.style().polish(self.problem_box)
        self.problem_box.show()

    def show_detail(self, d: ShipmentDetail, preview: QImage | None = None) -> None:
        """Show ``d``; ``preview``: its first label preview already decoded (``decoded_preview``, on a worker)."""
        if d == self._rendered:
            return  # read again after an action or a sync and nothing changed: no relayout, no repaint
        self._detail = d
        group = group_of(d.state)
        background, colour = state_colours(group) or ("#eeeeee", "#333333")
        via = f"{d.ship_via} → {d.service or _('not mapped')}" if d.ship_via else ""
        order = _("Order {numbers}").format(numbers=d.orders) if d.orders else ""
        sub = " · ".join(escape(p) for p in (d.customer, order, via, d.labelled_at) if p)
        self.heading.setText(
            f"<span style='font-size:17pt; font-weight:700'>{escape(d.shipment)}</span>&nbsp;&nbsp;"  # i18n: markup
            f"{chip(d.state_label, background, colour)}<br><span style='color:{MUTED}'>{sub}</span>")

        problem = d.problem or (exception_text(d.events) if group == "exception" else "")
        if d.uncertain is not None:
            self._show_problem(_("Label uncertain"), uncertain_text(d.uncertain, d.problem), exception=True,
                               rich=True)
            self.retry_button.setText(_("Look the label up at UPS now"))
            self.retry_button.setVisible(d.retry_action is not None)
            self.new_label_button.setVisible(d.uncertain.can_decide)
        elif problem:
            exception = group in ("exception", "problem")
            self._show_problem(_("Delivery exception") if group == "exception" else _("Needs attention"),
                               problem, exception=exception)
            self.retry_button.setText(d.retry_action.button_text if d.retry_action else _("Retry"))
            self.retry_button.setVisible(d.retry_action is not None)
            self.new_label_button.setVisible(False)
        else:
            self.problem_box.hide()

        self.address.set_html(address_html(d.ship_to, d.validation, d.classification, d.validation_status))
        charge = "<p>" + _("UPS charge for the label: <b>{amount}</b>").format(amount=escape(d.charge)) + "</p>" \
            if d.charge else ""
        self.packages.set_html(_table(
            ("#", _("Weight"), _("Size"), _("Tracking")),
            ((str(i), p.weight, p.dimensions, p.tracking) for i, p in enumerate(d.packages, start=1)),
        ) + charge if d.packages else charge)
        self._show_rates(d.rates)
        self._set_previews(d.label_previews, preview)
        self.events.set_html(timeline_html(d.events) if d.events else "")
        self.audit.set_html(_table((_("When"), _("Who"), _("Where"), _("What")),
                                   ((e.when, e.user, e.station, f"{action_label(e.action)}: {e.detail}" if e.detail
                                     else action_label(e.action))
                                    for e in d.audit))
                            if d.audit else "")
        self._rendered = d

    def show_rates(self, rates: Sequence[RateLine]) -> None:
        """Show a quote UPS just gave (the next detail read shows its own rates again)."""
        self._rendered = None
        self._show_rates(rates)

    def _show_rates(self, rates: Sequence[RateLine]) -> None:
        self.rates.set_html(_table((_("Service"), _("List"), _("Your rate"), _("Days")),
                                   ((r.service, r.amount, r.negotiated, r.days) for r in rates))
                            if rates else "")

    def _set_previews(self, images: Sequence[bytes], decoded: QImage | None = None) -> None:
        image = decoded if decoded is not None or not images else decoded_preview(images[0])
        if images and image is not None:
            self.preview.setPixmap(QPixmap.fromImage(image))
            self.preview_title.setText(_("Label (1 of {count})").format(count=len(images)) if len(images) > 1
                                       else _("Label"))
            self.label_card.show()
            self.preview.show()
        else:
            self.preview.clear()
            self.label_card.hide()
            self.preview.hide()

    def _on_new_label(self) -> None:
        if self._detail is not None:
            self.retry_requested.emit(self._detail.shipment, RetryAction.FORCE_NEW)

    def _on_retry(self) -> None:
        if self._detail is not None and self._detail.retry_action is not None:
            self.retry_requested.emit(self._detail.shipment, self._detail.retry_action)
