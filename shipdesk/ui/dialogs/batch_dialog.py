"""Batch ship: a progress dialog that can be cancelled between shipments, then the results.

The results list the failures first, each with what to do about it, wrapped to the dialog's width; the
dialog grows to fit them (up to most of the screen, then it scrolls).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from html import escape

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QProgressBar,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from shipdesk.errors import ShipdeskError
from shipdesk.i18n import _, ngettext
from shipdesk.ui.bridge import TaskBridge, async_slot, progress_callback, run_in_worker
from shipdesk.ui.scanner import closed_by_scans
from shipdesk.ui.services import Services
from shipdesk.ui.view_data import ActionResult, BatchProgress

MIN_WIDTH, MAX_SCREEN_SHARE = 640, 0.8


def result_html(r: ActionResult) -> str:
    colour = "#145a2b" if r.ok else "#9b1c13"
    lines = [f"<b style='color:{colour}'>{'✓' if r.ok else '✗'} {escape(r.shipment)}</b>: {escape(r.message)}"]
    if r.charge:
        lines.append("<span style='color:#3b4350'>{}</span>".format(
            escape(_("Charge: {amount}").format(amount=r.charge))))
    if r.fix:
        lines.append("<span style='color:#3b4350'>{}</span>".format(
            _("<b>What to do:</b> {fix}").format(fix=escape(r.fix))))
    return "<p style='margin-bottom:8px'>" + "<br>".join(lines) + "</p>"


def failures_first(results: Sequence[ActionResult]) -> list[ActionResult]:
    return [r for r in results if not r.ok] + [r for r in results if r.ok]


class BatchShipDialog(QDialog):
    """Runs ``services.ship_many`` through the bridge; ``finished_batch(results)`` when it is over."""

    finished_batch = Signal(list)

    def __init__(self, services: Services, bridge: TaskBridge, shipments: Sequence[str], *,
                 print_labels: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("batchShipDialog")
        self.setWindowTitle(ngettext("Ship {count} shipment", "Ship {count} shipments", len(shipments)).format(
            count=len(shipments)))
        self.setMinimumWidth(MIN_WIDTH)
        self._services, self.bridge = services, bridge
        self._shipments = list(shipments)
        self._print = print_labels
        self.cancel_event = threading.Event()
        self.running = False
        self.results: list[ActionResult] = []
        self._shown: list[ActionResult] = []

        self.current = QLabel(_("Starting…"))
        self.current.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, len(self._shipments))
        self.bar.setValue(0)
        self.bar.setFormat(_("{done} of {count}").format(done="%v", count="%m"))
        self.results_view = QTextBrowser()
        self.results_view.setObjectName("batchResults")
        self.results_view.setOpenLinks(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.current)
        layout.addWidget(self.bar)
        layout.addWidget(self.results_view, 1)
        layout.addWidget(self.buttons)

    def start(self) -> None:
        self.running = True
        if not self.isVisible():
            self.open()
        self._ship_all()

    def results_text(self) -> str:
        """What the results list says, as plain text (one result per paragraph)."""
        return self.results_view.toPlainText()

    @async_slot
    async def _ship_all(self) -> None:
        on_progress: Callable[[BatchProgress], None] = progress_callback(self, self._on_progress)
        try:
            results = await run_in_worker(self._services.ship_many, self._shipments, cancel=self.cancel_event,
                                          progress=on_progress, print_labels=self._print)
        except ShipdeskError as error:
            self.current.setText(str(error))
        else:
            self._show_results(results)
        self.running = False
        self._switch_to_close()
        self.finished_batch.emit(self.results)

    def request_cancel(self) -> None:
        """Stop after the shipment being labelled now (a label in flight is never abandoned)."""
        if self.running and not self.cancel_event.is_set():
            self.cancel_event.set()
            self.current.setText(_("Stopping after the current shipment…"))
            self.buttons.setEnabled(False)

    def reject(self) -> None:  # Cancel button and Esc
        if self.running:
            self.request_cancel()
        else:
            super().reject()

    def _on_progress(self, p: BatchProgress) -> None:
        self.bar.setValue(p.done)
        if not self.cancel_event.is_set():
            self.current.setText(_("Shipping {shipment}…").format(shipment=p.current) if p.done < p.total
                                 else _("Finishing…"))
        if p.result is not None:
            self._shown.append(p.result)
            self._render(self._shown)

    def _render(self, results: Sequence[ActionResult]) -> None:
        self.results_view.setHtml("".join(result_html(r) for r in failures_first(results)))

    def _show_results(self, results: list[ActionResult]) -> None:
        self.results = list(results)
        # the final list is authoritative (progress reports may have been coalesced)
        self._render(self.results)
        ok = sum(r.ok for r in self.results)
        failed = len(self.results) - ok
        skipped = len(self._shipments) - len(self.results)
        count = len(self._shipments)
        summary = [ngettext("{shipped} of {count} shipped.", "{shipped} of {count} shipped.", count).format(
            shipped=ok, count=count)]
        if failed:
            summary.append(ngettext("{count} needs a look (first in the list, with what to do).",
                                    "{count} need a look (first in the list, each with what to do).",
                                    failed).format(count=failed))
        if skipped:
            summary.append(ngettext("{count} not started (cancelled).", "{count} not started (cancelled).",
                                    skipped).format(count=skipped))
        self.current.setText(" ".join(summary))
        self.bar.setValue(len(self.results))
        self._fit_to_results()

    def _fit_to_results(self) -> None:
        """Grow so the results are read without scrolling, up to most of the screen."""
        screen = (self.screen() or QGuiApplication.primaryScreen()).availableGeometry()
        width = max(self.width(), MIN_WIDTH)
        document = self.results_view.document()
        document.setTextWidth(width - 40)
        wanted = int(document.size().height()) + 24
        extra = self.sizeHint().height() - self.results_view.sizeHint().height()
        height = min(int(screen.height() * MAX_SCREEN_SHARE), max(self.height(), extra + wanted))
        self.results_view.setMinimumHeight(min(wanted, height - extra))
        self.resize(width, height)

    def _switch_to_close(self) -> None:
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)
        self.buttons.setEnabled(True)
        closed_by_scans(self, _("only the results list was closed"))
