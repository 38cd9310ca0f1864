"""The desktop app's parts the UI benchmarks use, in one place (see ``_product``; Qt is loaded only here).

The window is being split (issue 10): when these move or are renamed, fix them here, in ``Window``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer

from shipdesk.ui.core_services import CoreServices
from shipdesk.ui.dialogs.batch_confirm import BatchConfirmDialog
from shipdesk.ui.stall_watch import StallWatch
from shipdesk.ui.view_data import Col, Row
from shipdesk.ui.window.main_window import MainWindow
from shipdesk.ui.window.shipments_table_model import ShipmentsFilterModel, ShipmentsTableModel
from shipdesk.ui.window.table_rows import prepare

__all__ = ["Col", "CoreServices", "MainWindow", "Row", "ShipmentsFilterModel", "ShipmentsTableModel", "StallWatch",
           "Window", "prepare"]


class Window:
    """The main window driven as a clerk drives it: Refresh, a batch, Sync now, Close."""

    def __init__(self, services: CoreServices) -> None:
        self.window = MainWindow(services)
        self.refreshed = 0
        self.window.action_finished.connect(self._finished)
        self.batch_results: list[object] | None = None
        self.window.show()

    def _finished(self, name: str) -> None:
        if name == "refresh":
            self.refreshed += 1

    def refresh(self) -> Callable[[], bool]:
        """Press Refresh; returns "is it done?"."""
        before = self.refreshed
        self.window.commands.by_name["refresh"].trigger()
        return lambda: self.refreshed > before

    def ship_batch(self, shipments: list[str]) -> Callable[[], bool]:
        """Ship these as a batch; returns "is the batch over?"."""
        self.batch_results = None

        def answer_yes() -> None:  # the batch asks first (issue 13): the person says Ship
            dialog = self.window.shipment_actions.confirming
            if isinstance(dialog, BatchConfirmDialog) and dialog.isVisible():
                dialog.accept()
            else:
                QTimer.singleShot(10, answer_yes)

        QTimer.singleShot(0, answer_yes)
        dialog = self.window.shipment_actions.ship_batch(shipments)
        assert dialog is not None, "the batch was not confirmed"
        dialog.finished_batch.connect(self._batch_done)
        return lambda: self.batch_results is not None

    def _batch_done(self, results: list[object]) -> None:
        self.batch_results = results

    def labelled(self) -> int:
        return sum(bool(getattr(r, "ok", False)) for r in self.batch_results or [])

    def sync_now(self) -> Callable[[], bool]:
        """Start a sync cycle; returns "is it over?"."""
        actions = self.window.shipment_actions
        actions.sync_now()
        return lambda: not actions.syncing

    def idle(self) -> bool:
        return self.window.bridge.active_count == 0

    def detail_shown(self) -> str | None:
        """The shipment the detail pane shows."""
        return self.window.detail.shipment

    def select(self, shipment: str) -> bool:
        return bool(self.window.shipments.select_shipment(shipment))

    def close(self) -> Callable[[], bool]:
        """Close as a user does (running work finishes, Acumatica is signed out); returns "closed?"."""
        self.window.close()
        return lambda: not self.window.isVisible()
