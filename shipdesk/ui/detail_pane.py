"""The right-hand pane: one shipment's ship-to address, validation, packages, rates, label preview,
UPS events, audit trail, and, when it needs attention, the reason, the fix and a Retry button."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from shipdesk.ui.state_groups import group_of
from shipdesk.ui.theme import state_colours
from shipdesk.ui.view_data import RateLine, ShipmentDetail

PREVIEW_HEIGHT = 360
RETRY_TITLES = {
    "validate": "Check address again",
    "ship": "Try the label again",
    "writeback": "Write back to Acumatica again",
    "reconcile": "Look the label up at UPS",
}


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    head = "".join(f"<th align='left' style='padding-right:12px'>{escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td style='padding-right:12px'>{escape(c)}</td>" for c in row) + "</tr>"
        for row in rows
    )
    return f"<table cellspacing='0' cellpadding='2'><tr>{head}</tr>{body}</table>"


class _Section(QWidget):
    """A bold title over a rich-text body; hidden while it has nothing to show."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(title)
        self.title.setProperty("sectionTitle", True)
        self.body = QLabel()
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.body)

    def set_html(self, html: str) -> None:
        self.body.setText(html)
        self.setVisible(bool(html))


class DetailPane(QScrollArea):
    """Shows a :class:`ShipmentDetail`; emits ``retry_requested(shipment, action)`` for the Retry button."""

    retry_requested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setMinimumWidth(340)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._detail: ShipmentDetail | None = None

        inner = QWidget()
        layout = QVBoxLayout(inner)
        layout.setAlignment(Qt.AlignmentFlag.AlignTop)

        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)

        self.problem_box = QFrame()
        self.problem_box.setObjectName("problemBox")
        problem_layout = QVBoxLayout(self.problem_box)
        self.problem_text = QLabel()
        self.problem_text.setWordWrap(True)
        self.problem_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.retry_button = QPushButton("Retry")
        self.retry_button.clicked.connect(self._on_retry)
        # an uncertain label is only replaced on an explicit decision (the window asks to confirm)
        self.new_label_button = QPushButton("Create a new label anyway…")
        self.new_label_button.clicked.connect(self._on_new_label)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.new_label_button)
        row.addWidget(self.retry_button)
        problem_layout.addWidget(self.problem_text)
        problem_layout.addLayout(row)
        layout.addWidget(self.problem_box)

        self.address = _Section("Ship to")
        self.packages = _Section("Packages")
        self.rates = _Section("Rates")
        self.preview_title = QLabel("Label")
        self.preview_title.setProperty("sectionTitle", True)
        self.preview = QLabel()
        self.preview.setAlignment(Qt.AlignmentFlag.AlignLeft)
        self.events = _Section("UPS events")
        self.audit = _Section("History")
        for widget in (self.address, self.packages, self.rates, self.preview_title, self.preview,
                       self.events, self.audit):
            layout.addWidget(widget)
        self.setWidget(inner)
        self.show_placeholder("Scan or pick a shipment to see its details.")

    @property
    def shipment(self) -> str | None:
        return self._detail.shipment if self._detail else None

    def show_placeholder(self, text: str) -> None:
        self._detail = None
        self.heading.setText(f"<span style='color:#6b7480'>{escape(text)}</span>")
        self.problem_box.hide()
        for section in (self.address, self.packages, self.rates, self.events, self.audit):
            section.set_html("")
        self._set_previews(())

    def show_error(self, shipment: str, message: str) -> None:
        """A sentence where the detail would be (the detail itself could not be read)."""
        self.show_placeholder("")
        self.heading.setText(f"<h2>{escape(shipment)}</h2>")
        self.problem_text.setText(message)
        self.retry_button.hide()
        self.new_label_button.hide()
        self.problem_box.show()

    def show_detail(self, d: ShipmentDetail) -> None:
        self._detail = d
        colours = state_colours(group_of(d.state)) or ("#eeeeee", "#333333")
        badge = (f"<span style='background:{colours[0]};color:{colours[1]};'>&nbsp;{escape(d.state_label)}"
                 "&nbsp;</span>")
        via = f"{d.ship_via} → {d.service or 'not mapped'}" if d.ship_via else ""
        sub = " · ".join(escape(p) for p in (d.customer, d.orders and f"Order {d.orders}", via) if p)
        self.heading.setText(f"<h2 style='margin:0'>{escape(d.shipment)}</h2>{badge}<br>{sub}")

        if d.problem:
            self.problem_text.setText(d.problem)
            self.retry_button.setText(RETRY_TITLES.get(d.retry_action, "Retry"))
            self.retry_button.setVisible(bool(d.retry_action))
            self.new_label_button.setVisible(d.retry_action == "reconcile")
            self.problem_box.show()
        else:
            self.problem_box.hide()

        a = d.ship_to
        lines = [a.name, a.attention and f"Attn: {a.attention}", *a.lines,
                 " ".join(p for p in (a.city, a.region, a.postal_code) if p), a.country, a.phone]
        facts = " · ".join(p for p in (d.validation, d.classification) if p)
        self.address.set_html("<br>".join(escape(x) for x in lines if x)
                              + (f"<br><i>{escape(facts)}</i>" if facts else ""))
        self.packages.set_html(_table(
            ("#", "Weight", "Size", "Tracking", "Last event"),
            ((str(i), p.weight, p.dimensions, p.tracking, p.last_event)
             for i, p in enumerate(d.packages, start=1)),
        ) if d.packages else "")
        self.show_rates(d.rates)
        self._set_previews(d.label_previews)
        if len({e.tracking for e in d.events}) > 1:  # several packages: say which one each scan is for
            events = _table(("When", "Event", "Where", "Package"),
                            ((e.when, e.description, e.location, e.tracking) for e in d.events))
        else:
            events = _table(("When", "Event", "Where"), ((e.when, e.description, e.location) for e in d.events))
        self.events.set_html(events if d.events else "")
        self.audit.set_html(_table(("When", "Who", "What", "Details"),
                                   ((e.when, e.user, e.action, e.detail) for e in d.audit))
                            if d.audit else "")

    def show_rates(self, rates: Sequence[RateLine]) -> None:
        self.rates.set_html(_table(("Service", "List", "Your rate", "Days"),
                                   ((r.service, r.amount, r.negotiated, r.days) for r in rates))
                            if rates else "")

    def _set_previews(self, images: Sequence[bytes]) -> None:
        pixmap = QPixmap()
        if images and pixmap.loadFromData(images[0]):
            self.preview.setPixmap(pixmap.scaledToHeight(PREVIEW_HEIGHT,
                                                         Qt.TransformationMode.SmoothTransformation))
            more = f" (1 of {len(images)})" if len(images) > 1 else ""
            self.preview_title.setText(f"Label{more}")
            self.preview_title.show()
            self.preview.show()
        else:
            self.preview.clear()
            self.preview_title.hide()
            self.preview.hide()

    def _on_new_label(self) -> None:
        if self._detail is not None:
            self.retry_requested.emit(self._detail.shipment, "force_new")

    def _on_retry(self) -> None:
        if self._detail is not None and self._detail.retry_action:
            self.retry_requested.emit(self._detail.shipment, self._detail.retry_action)
