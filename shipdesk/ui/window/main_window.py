"""The main window: state list with counts, scan box, shipments table, detail pane, actions, status bar.

A composition: each part has one job (``ShipmentsTable`` the table and its filters, ``ScanBox`` scanning,
``ShipmentActions`` what the commands do, ``WindowCommands`` the toolbar/menus/shortcuts, ``DetailLoader``
the detail pane, ``ConnectionStatusBar`` the status). The window lays them out, and wires them to each
other and to the core's events: the table and the status are read again when the core says something
changed (``ui/core_events.py``), never on a timer. ``MainWindow(services)`` takes its services object, so
tests and benchmarks drive it with a fake or with the real core against the sandboxes.

Scans are caught for the whole window by one application-level event filter (``ui/scanner.py``): wherever
the focus is, and never as an answer to a dialog. A scan that comes while a dialog is open closes it
unanswered when the dialog is a decision nobody made yet (the address dialog, a confirmation: nothing is
bought) and is handled next; any other dialog (Settings) keeps it waiting until it is closed. The note
under the scan box says which happened.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QSplitter, QVBoxLayout, QWidget

from shipdesk.core.events import ServiceStatusChanged
from shipdesk.errors import ShipdeskError
from shipdesk.i18n import _
from shipdesk.ui.bridge import TaskBridge, async_slot, freeze_long_lived_objects, run_in_worker, shorten_gil_turns
from shipdesk.ui.core_events import CoreEvents
from shipdesk.ui.latest_read import LatestRead
from shipdesk.ui.scanner import CLOSED_BY_SCAN, ScanCapture, ScannerSettings
from shipdesk.ui.services import Services
from shipdesk.ui.update_check import install_update_check
from shipdesk.ui.view_data import Listing, StatusInfo
from shipdesk.ui.window.detail_loader import DetailLoader
from shipdesk.ui.window.detail_pane import DetailPane
from shipdesk.ui.window.notice_bar import NoticeBar
from shipdesk.ui.window.scan_box import ScanBox
from shipdesk.ui.window.shipment_actions import ShipmentActions
from shipdesk.ui.window.shipments_table import ShipmentsTable
from shipdesk.ui.window.status_bar import ConnectionStatusBar
from shipdesk.ui.window.table_rows import RowsUpdate
from shipdesk.ui.window.toolbar import WindowCommands
from shipdesk.ui.window_memory import TableColumns, WindowPlace, ui_settings

log = logging.getLogger(__name__)

#: while a service is down, a sync runs this often: it finds out when the service is back, and writes back
#: what was labelled meanwhile
OUTAGE_SYNC_MS = 60_000


class MainWindow(QMainWindow):
    #: emitted after each listing refresh is shown (tests and benchmarks wait on it)
    listing_loaded = Signal()
    #: emitted after a shipment's detail is shown
    detail_loaded = Signal(str)
    #: emitted when an action on shipments has finished (its name: "ship", "void", ...)
    action_finished = Signal(str)

    def __init__(self, services: Services, *, bridge: TaskBridge | None = None) -> None:
        super().__init__()
        self.services = services
        self.bridge = bridge or TaskBridge(self)
        self._closing = self._logout_started = self._shutdown_complete = False
        self.setWindowTitle(_("shipdesk — DEMO MODE") if services.demo else "shipdesk")  # i18n: the name
        self.resize(1400, 820)
        self.setObjectName("mainWindow")

        self.notice = NoticeBar()
        self.detail = DetailPane()
        self.status = ConnectionStatusBar(demo=services.demo)
        self.shipments = ShipmentsTable(self)
        self.shipment_actions = ShipmentActions(services, self.bridge, self, self)
        self.scan = ScanBox(self.shipments, self.notice, self.shipment_actions,
                            scan_to_ship=services.config.printing.scan_to_ship)
        self.commands = WindowCommands(self, self.shipment_actions, open_settings=self.open_settings,
                                       scan_to_ship=self.scan.scan_to_ship,
                                       set_scan_to_ship=self.scan.set_scan_to_ship, demo=services.demo,
                                       quit_app=self.quit, open_about=self.open_about)
        ui = services.config.ui
        self.scanner = ScanCapture(self, self.scan.box, ScannerSettings(
            burst_ms=ui.scanner_burst_ms, prefix=ui.scanner_prefix, suffix=ui.scanner_suffix))
        self._waiting_scans: list[str] = []
        self._memory = ui_settings(services.data_folder)
        self.columns = TableColumns(self.shipments.table.horizontalHeader(), self._memory, self)
        self.place = WindowPlace(self, self._memory)
        self._outage_sync = QTimer(self, interval=OUTAGE_SYNC_MS)  # only while a service is down
        self.updates = install_update_check(self, self.bridge, lambda: services.editable_config.updates.manifest)
        self.details = DetailLoader(self.bridge, services.detail, self.detail, self.shipments.current_shipment,
                                    self)
        # the worker that reads the listing also diffs it against the table's rows (the GUI applies the diff)
        self._listing: LatestRead[None, tuple[Listing, RowsUpdate]] = LatestRead(
            self.bridge, lambda _: self.shipments.prepare(services.listing()), self._show_listing,
            self._listing_failed, self)
        self._status: LatestRead[None, StatusInfo] = LatestRead(
            self.bridge, lambda _: services.status(), lambda _, info: self.status.show_status(info),
            lambda _, error: log.warning("status: %s", error), self)
        self.events = CoreEvents(services.events, self)
        self._sync_timer = QTimer(self)  # the sync itself runs on a timer; nothing else does
        self._lay_out()
        self.columns.restore()
        self._wire()
        self.scanner.install()
        self.refresh()
        self.scan.focus()
        freeze_long_lived_objects()  # start-up is over: keep full GC passes short (see the bridge)
        shorten_gil_turns()  # the GUI thread waits less for the GIL the workers hold (see the bridge)

    def _lay_out(self) -> None:
        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(6, 6, 6, 6)
        centre_layout.addWidget(self.scan)
        centre_layout.addWidget(self.notice)
        centre_layout.addWidget(self.shipments.table, 1)
        splitter = QSplitter()
        splitter.addWidget(self.shipments.state_list)
        splitter.addWidget(centre)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 1)
        splitter.setSizes([250, 770, 420])
        self.setCentralWidget(splitter)
        self.setStatusBar(self.status)

    def _wire(self) -> None:
        self.shipments.current_changed.connect(self.details.load_soon)
        self.shipments.group_changed.connect(self.scan.focus)
        self.shipments.table.doubleClicked.connect(lambda _index: self.scan.focus())
        self.details.loaded.connect(self.detail_loaded)
        self.detail.retry_requested.connect(self.shipment_actions.retry)
        self.bridge.busy_changed.connect(self._on_busy_changed)
        # what the core tells: shipments changed (a label, a void, the sync), a service failed or came back
        self.events.shipments_changed.connect(lambda _event: self.refresh())
        self.events.sync_finished.connect(lambda _event: self.refresh())
        self.events.sync_finished.connect(lambda event: self._outage_sync.stop() if event.ok else None)
        self.events.service_status_changed.connect(self.status.show_service)
        self.events.service_status_changed.connect(lambda _event: self._status.request(None))
        self.events.service_status_changed.connect(self._on_service_status)
        self._sync_timer.timeout.connect(self.shipment_actions.sync_now)
        self._outage_sync.timeout.connect(self.shipment_actions.sync_now)
        self._set_sync_interval()
        self.scanner.scanned.connect(self.take_scan)
        self.scanner.dropped.connect(self._fast_input_dropped)

    def _set_sync_interval(self) -> None:
        self._sync_timer.start(max(1, self.services.config.sync.interval_minutes) * 60_000)

    # -- scans ------------------------------------------------------------------------------------------
    def take_scan(self, text: str) -> None:
        """A scan caught anywhere in the window: handled now, or after the open dialog (never its answer)."""
        if self._closing:
            return
        modal = QApplication.activeModalWidget()
        if modal is None or modal is self:
            self.scan.take_scan(text)
            return
        title = modal.windowTitle()
        undone = modal.property(CLOSED_BY_SCAN)
        if undone:  # a decision nobody made: closed unanswered, and the scan is the next thing handled
            log.info("scan %s closed the dialog %r", text, title)
            if isinstance(modal, QDialog):
                modal.reject()
            else:
                modal.close()
            note = _("The scan of {scan} closed “{title}” unanswered: {undone}.").format(scan=text, title=title,
                                                                                         undone=undone)
            QTimer.singleShot(0, lambda: self.scan.take_scan(text, note=note))
            return
        self._waiting_scans.append(text)
        self.scan.show_note(_("The scan of {scan} waits until “{title}” is closed.").format(scan=text, title=title))
        if isinstance(modal, QDialog) and not modal.property("scansWaiting"):
            modal.setProperty("scansWaiting", True)
            modal.finished.connect(lambda _code: QTimer.singleShot(0, self._take_waiting_scans))

    def _take_waiting_scans(self) -> None:
        waiting, self._waiting_scans = self._waiting_scans, []
        for text in waiting:
            self.take_scan(text)

    def _fast_input_dropped(self, text: str) -> None:
        window = QApplication.activeModalWidget()
        where = f"“{window.windowTitle()}”" if window is not None else _("a dialog")
        self.scan.show_note(_("Fast input ({text}) in {where} was not taken as typing: a scan ends with Enter. "
                              "Scan it again.").format(text=text, where=where))

    # -- what the parts ask of the window ----------------------------------------------------------
    def refresh(self) -> None:
        """Read the table and the status again (folded into one read each while one is running)."""
        if not self._closing:  # closing: no new work, the store is about to close
            self._listing.request(None)
            self._status.request(None)

    def _show_listing(self, _key: None, prepared: tuple[Listing, RowsUpdate]) -> None:
        self.shipments.show_listing(*prepared)
        self.listing_loaded.emit()

    def _listing_failed(self, _key: None, error: ShipdeskError) -> None:
        self.notice.show_error(str(error))

    def selected_shipments(self) -> list[str]:
        return self.shipments.selected_shipments()

    def action_done(self, name: str, *, refresh: bool = True) -> None:
        """Called by the actions when one is over (see ``ShipmentActions``)."""
        if refresh:
            self.refresh()
        self.action_finished.emit(name)
        if not self._closing:
            self.scan.focus()

    def quit(self) -> None:
        """File › Quit: close as the window's close button does (running work finishes first)."""
        self.close()

    def show_at_start(self) -> None:
        """Show the window where it was last time (maximized on the first run)."""
        self.place.show()

    def bring_forward(self) -> None:
        """Another launch of shipdesk on this data folder asked for this window."""
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()
        self.notice.show_message(_("shipdesk is already running here: this is its window."))

    def open_about(self) -> None:
        from shipdesk.ui.dialogs.about import AboutDialog

        dialog = AboutDialog(self.services.data_folder, demo=self.services.demo, parent=self)
        dialog.exec()
        dialog.deleteLater()
        self.scan.focus()

    def _on_service_status(self, event: ServiceStatusChanged) -> None:
        """While a service is down, sync every minute (it tells when the service is back); when it comes
        back, sync at once so what was labelled meanwhile is written back."""
        if self._closing:
            return
        if not event.reachable:
            if not self._outage_sync.isActive():
                self._outage_sync.start()
        elif self._outage_sync.isActive():  # back after an outage (not merely connected at start)
            self.shipment_actions.sync_now()

    def open_settings(self) -> None:
        from shipdesk.ui.dialogs.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.services, self.bridge, self)
        accepted = dialog.exec() == SettingsDialog.DialogCode.Accepted
        dialog.deleteLater()  # by Qt, now: left to the window's teardown it crashed the app on exit
        if accepted:
            self.notice.show_message(_("Settings saved."))
            self._set_sync_interval()
            self._status.request(None)

    # -- closing -----------------------------------------------------------------------------------
    def _on_busy_changed(self, running: int) -> None:
        self.status.set_busy(running)
        if self._closing:
            self._finish_closing()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._shutdown_complete:
            event.accept()
            return
        event.ignore()
        if not self._closing:
            self._stop_new_work()
        self._finish_closing()

    def _stop_new_work(self) -> None:
        self._closing = True
        self.scanner.remove()
        self.columns.save()
        self.place.save()
        self._sync_timer.stop()
        self._outage_sync.stop()
        self.scan.stop()
        self.details.stop()
        self.events.detach()
        self.commands.set_enabled(False)
        self.shipment_actions.stopped = True
        if self.shipment_actions.batch is not None:
            self.shipment_actions.batch.request_cancel()
        if self.shipment_actions.confirming is not None:
            self.shipment_actions.confirming.reject()
        if self.bridge.active_count:
            self.notice.show_message(_("Finishing the current step before closing…"))

    def _finish_closing(self) -> None:
        if not self.bridge.active_count and not self._logout_started:
            self._logout_started = True
            self._sign_out()

    @async_slot
    async def _sign_out(self) -> None:
        """Log the Acumatica session out (it would hold a licensed API seat for minutes), then close."""
        try:
            await run_in_worker(self.services.close)
        except ShipdeskError as error:
            log.warning("closing: %s", error)
        self._shutdown_complete = True
        self.close()
