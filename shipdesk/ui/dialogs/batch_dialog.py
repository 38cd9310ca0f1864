"""Batch ship: a progress dialog that can be cancelled between shipments and lists each row's result."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from shipdesk.errors import ShipdeskError
from shipdesk.ui.bridge import TaskBridge, async_slot, progress_callback, run_in_worker
from shipdesk.ui.services import Services
from shipdesk.ui.view_data import ActionResult, BatchProgress


class BatchShipDialog(QDialog):
    """Runs ``services.ship_many`` through the bridge; ``finished_batch(results)`` when it is over."""

    finished_batch = Signal(list)

    def __init__(self, services: Services, bridge: TaskBridge, shipments: Sequence[str], *,
                 print_labels: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Ship {len(shipments)} shipments")
        self.setMinimumWidth(520)
        self._services, self.bridge = services, bridge
        self._shipments = list(shipments)
        self._print = print_labels
        self.cancel_event = threading.Event()
        self.running = False
        self.results: list[ActionResult] = []

        self.current = QLabel("Starting…")
        self.bar = QProgressBar()
        self.bar.setRange(0, len(self._shipments))
        self.bar.setValue(0)
        self.bar.setFormat("%v of %m")
        self.result_list = QListWidget()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.current)
        layout.addWidget(self.bar)
        layout.addWidget(self.result_list, 1)
        layout.addWidget(self.buttons)

    def start(self) -> None:
        self.running = True
        self.open()
        self._ship_all()

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
            self.current.setText("Stopping after the current shipment…")
            self.buttons.setEnabled(False)

    def reject(self) -> None:  # Cancel button and Esc
        if self.running:
            self.request_cancel()
        else:
            super().reject()

    def _on_progress(self, p: BatchProgress) -> None:
        self.bar.setValue(p.done)
        if not self.cancel_event.is_set():
            self.current.setText(f"Shipping {p.current}…" if p.done < p.total else "Finishing…")
        if p.result is not None:
            self._add_result(p.result)

    def _add_result(self, r: ActionResult) -> None:
        item = QListWidgetItem(f"{'✓' if r.ok else '✗'}  {r.shipment}: {r.message}")
        item.setForeground(QColor("#145a2b" if r.ok else "#9b1c13"))
        item.setData(Qt.ItemDataRole.UserRole, r.shipment)
        self.result_list.addItem(item)
        self.result_list.scrollToBottom()

    def _show_results(self, results: list[ActionResult]) -> None:
        self.results = list(results)
        # the final list is authoritative (progress reports may have been coalesced)
        self.result_list.clear()
        for r in self.results:
            self._add_result(r)
        ok = sum(r.ok for r in self.results)
        skipped = len(self._shipments) - len(self.results)
        summary = f"{ok} of {len(self._shipments)} shipped."
        if len(self.results) - ok:
            summary += f" {len(self.results) - ok} need a look (below)."
        if skipped:
            summary += f" {skipped} not started (cancelled)."
        self.current.setText(summary)
        self.bar.setValue(len(self.results))

    def _switch_to_close(self) -> None:
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)
        self.buttons.setEnabled(True)
