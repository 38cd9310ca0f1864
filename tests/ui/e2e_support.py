"""The real window over the real core against fresh sandboxes, for the end-to-end UI tests.

``RunningApp`` starts both sandboxes, a demo-like configuration whose printer writes label files into a
folder (the Qt system printer cannot be used offscreen), the store in the test's data folder, and the
``MainWindow``; ``close()`` closes the window the way a user does and checks that no Acumatica API
session (a licensed seat) was left open.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from copy import deepcopy
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

from shipdesk.core.context import AppContext
from shipdesk.core.settings.config import Config, PrinterProfile, PrintingConfig
from shipdesk.core.settings.paths import data_dir
from shipdesk.demo.launcher import DEMO_SECRETS
from shipdesk.demo.settings import demo_config
from shipdesk.sandbox import Sandboxes, start_sandboxes
from shipdesk.ui.core_services import CoreServices
from shipdesk.ui.view_data import Col, Row
from shipdesk.ui.window.main_window import MainWindow

WAIT_MS = 30_000
W = TypeVar("W", bound=QWidget)


class RunningApp:
    def __init__(self, qtbot: Any, *, scan_to_ship: bool = False,
                 configure: Callable[[Config], Config] | None = None) -> None:
        """``configure``: changes the demo settings before the app starts (e.g. an empty shipper address)."""
        self.qtbot = qtbot
        self.sandboxes: Sandboxes = start_sandboxes()
        config = demo_config(self.sandboxes.acumatica_url, self.sandboxes.ups_url)
        if configure is not None:
            config = configure(config)
        # a "file" printer writes each print job into the data folder's printed/ folder
        printer = PrinterProfile(name="Dock printer", kind="file", label_format="ZPL")
        config = replace(config, printing=PrintingConfig(profiles=(printer,), default_profile=printer.name,
                                                         scan_to_ship=scan_to_ship))
        context = AppContext.from_config(config, data_dir=data_dir(), demo=True, secret_values=DEMO_SECRETS,
                                         now=self.sandboxes.clock.now)  # the demo day the test moves on
        profile = context.printer()
        assert profile is not None and profile.folder is not None
        self.printer_folder: Path = profile.folder
        self.services = CoreServices(context)
        self.window = MainWindow(self.services)
        self.listings_shown = 0  # listing refreshes the window has shown
        self.window.listing_loaded.connect(self._count_listing)
        self.window.show()
        self.pull()

    def _count_listing(self) -> None:
        self.listings_shown += 1

    # -- driving the window ------------------------------------------------------------------------
    def pull(self) -> None:
        """Press Refresh and wait until the list shows what Acumatica has."""
        with self.qtbot.waitSignal(self.window.action_finished, timeout=WAIT_MS):
            self.window.commands.by_name["refresh"].trigger()
        self.wait_for_listing()

    def wait_for_listing(self) -> None:
        """Wait for the listing refresh that an action just started (the table shows its outcome)."""
        after = self.listings_shown
        self.qtbot.waitUntil(lambda: self.listings_shown > after, timeout=WAIT_MS)

    def row(self, shipment: str) -> Row:
        index = self.window.shipments.model.row_of(shipment)
        assert index >= 0, f"{shipment} is not in the table"
        return self.window.shipments.model.rows()[index]

    def state(self, shipment: str) -> str:
        return str(self.row(shipment)[Col.STATE])

    def wait_state(self, shipment: str, *states: str) -> None:
        self.qtbot.waitUntil(lambda: self.state(shipment) in states, timeout=WAIT_MS)

    def acumatica_shipment(self, shipment: str) -> dict[str, Any]:
        """The shipment as the Acumatica sandbox holds it (what a user would see in Acumatica)."""
        with self.sandboxes.acumatica.lock:
            return self.sandboxes.acumatica.documents.shipment(shipment)

    def acumatica_files(self, shipment: str) -> list[str]:
        return [ref["filename"] for ref in self.acumatica_shipment(shipment).get("files", [])]

    def add_shipments_like(self, template: str, count: int) -> list[str]:
        """Copies of one seeded shipment in the Acumatica sandbox (a busier day); returns their numbers."""
        added = []
        with self.sandboxes.acumatica.lock:
            documents = self.sandboxes.acumatica.documents
            original = documents.shipment(template)
            for n in range(count):
                nbr = f"SH9{n:05d}"
                copy = _with_new_ids(deepcopy(original))
                copy.update(ShipmentNbr=nbr, LastModifiedDateTime=self.sandboxes.clock.now(), files=[])
                for order in copy.get("Orders", []):
                    order["ShipmentNbr"] = nbr
                for package in copy.get("Packages", []):
                    package["TrackingNbr"] = ""
                documents.shipments.append(copy)
                added.append(nbr)
        return added

    def printed_files(self, shipment: str) -> list[Path]:
        if not self.printer_folder.exists():
            return []
        return sorted(p for p in self.printer_folder.iterdir() if p.name.startswith(shipment))

    # -- closing -----------------------------------------------------------------------------------
    def close_window(self) -> None:
        """Close as a user does: running work finishes, the Acumatica session is signed out."""
        win = self.window
        if win.isVisible():
            win.close()
        self.qtbot.waitUntil(lambda: not win.isVisible(), timeout=WAIT_MS)

    def close(self) -> None:
        try:
            self.close_window()
            self.window.deleteLater()
            # every Acumatica session was signed out: no licensed API seat is left held
            assert self.sandboxes.acumatica.stats_payload().get("sessions_open", 0) == 0
        finally:
            self.sandboxes.stop()


def _with_new_ids(value: Any) -> Any:
    """Every ``id`` in an Acumatica record replaced by a fresh GUID (a copy is a different record)."""
    if isinstance(value, dict):
        return {k: (str(uuid.uuid4()) if k == "id" else _with_new_ids(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_with_new_ids(v) for v in value]
    return value


def when_dialog_opens(kind: type[W], handle: Callable[[W], None], *, poll_ms: int = 20) -> QTimer:
    """Run ``handle(dialog)`` once a visible ``kind`` dialog exists: modal dialogs the window opens with
    ``exec()`` run their own event loop, so the test acts from a timer inside that loop."""
    timer = QTimer()
    timer.setInterval(poll_ms)

    def look() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, kind) and widget.isVisible():
                timer.stop()
                handle(widget)
                return

    timer.timeout.connect(look)
    timer.start()
    return timer


def answer_batch_confirmation(*, ship: bool = True) -> QTimer:
    """Answer the "Ship N shipments with UPS?" question a batch asks first (Ship, or Cancel)."""
    from shipdesk.ui.dialogs.batch_confirm import BatchConfirmDialog

    return when_dialog_opens(BatchConfirmDialog, lambda dialog: dialog.accept() if ship else dialog.reject())
