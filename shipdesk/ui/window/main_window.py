"""The main window: state list with counts, scan box, shipments table, detail pane, actions, status bar.

Every call into ``services`` goes through the task bridge; handlers update widgets on the GUI thread.
``MainWindow(services)`` takes its services object, so tests and benchmarks drive it with a fake or
with the real core against the sandboxes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSizePolicy,
    QSplitter,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from shipdesk.errors import ShipdeskError
from shipdesk.ui.bridge import TaskBridge, freeze_long_lived_objects
from shipdesk.ui.icons import icon
from shipdesk.ui.services import Services
from shipdesk.ui.theme import state_swatch
from shipdesk.ui.view_data import (
    Col,
    Listing,
    ShipmentDetail,
    StatusInfo,
)
from shipdesk.ui.window.detail_pane import DetailPane
from shipdesk.ui.window.notice_bar import NoticeBar
from shipdesk.ui.window.shipment_actions import ShipmentActions
from shipdesk.ui.window.shipments_table_model import ShipmentsFilterModel, ShipmentsTableModel
from shipdesk.ui.window.state_groups import GROUPS, StateGroup, group_counts
from shipdesk.ui.window.status_bar import ConnectionStatusBar

log = logging.getLogger(__name__)

#: the table's columns left to right: the shipment and its state, where it goes, how, then the rest
VISUAL_COLUMN_ORDER = (Col.SHIPMENT, Col.STATE, Col.CUSTOMER, Col.CITY, Col.REGION, Col.SERVICE, Col.PACKAGES,
                       Col.WEIGHT, Col.TRACKING, Col.LAST_EVENT, Col.ORDER, Col.COUNTRY)
SEARCH_DELAY_MS = 150  # typing filters after a short pause, so a scanner's burst filters once
DETAIL_DELAY_MS = 80
STATUS_INTERVAL_MS = 15_000


class EmptyState(QLabel):
    """A sentence over the table's empty viewport saying why it is empty and what to do."""

    def __init__(self, table: QTableView, proxy: QAbstractItemModel, search: Callable[[], str]) -> None:
        super().__init__(table.viewport())
        self.setObjectName("emptyState")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._proxy = proxy
        self._search = search
        self._group: StateGroup = GROUPS[0]
        for signal in (proxy.modelReset, proxy.rowsInserted, proxy.rowsRemoved, proxy.layoutChanged):
            signal.connect(self.update_visibility)
        table.viewport().installEventFilter(self)
        self.update_visibility()

    def set_group(self, group: StateGroup) -> None:
        self._group = group
        self.update_visibility()

    def message(self) -> str:
        if searched := self._search().strip():
            return f"No shipment matches “{searched}”. Press F5 to pull the latest from Acumatica."
        if self._group.key in ("all", "ready"):
            return "No shipments ready. Press F5 to pull from Acumatica."
        return f"No shipments in “{self._group.title}”."

    def update_visibility(self, *_args: object) -> None:
        self.setText(self.message())
        self.setVisible(self._proxy.rowCount() == 0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.setGeometry(watched.rect().adjusted(24, 24, -24, -24))  # type: ignore[attr-defined]
        return False


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
        self.scan_to_ship = services.config.printing.scan_to_ship
        self._closing = False
        self._logout_started = False
        self._shutdown_complete = False
        self._detail_token = 0
        self._listing_token = 0
        self._counts: dict[str, int] = {}

        self.shipment_actions = ShipmentActions(services, self.bridge, self, self)
        self.setWindowTitle("shipdesk" + (" — DEMO MODE" if services.demo else ""))
        self.resize(1400, 820)
        self._build_widgets()
        self._build_actions()
        self._build_timers()
        self.bridge.busy_changed.connect(self._on_busy_changed)
        self.refresh_listing()
        self.refresh_status()
        self.scan_box.setFocus()
        freeze_long_lived_objects()  # start-up is over: keep full GC passes short (see the bridge)

    # -- construction ------------------------------------------------------------------------------
    def _build_widgets(self) -> None:
        self.state_list = QListWidget()
        self.state_list.setObjectName("stateList")
        self.state_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keep the scan box focused
        for group in GROUPS:
            item = QListWidgetItem(state_swatch(group.key), group.title)
            item.setData(Qt.ItemDataRole.UserRole, group.key)
            item.setToolTip(group.hint)
            self.state_list.addItem(item)
        self.state_list.setCurrentRow(0)
        self.state_list.currentItemChanged.connect(self._on_group_changed)
        self.state_list.setMaximumWidth(280)  # "Awaiting write-back (12)" fits
        self.state_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.scan_prompt = QLabel("Scan or type a shipment number")
        self.scan_prompt.setObjectName("scanPrompt")
        self.scan_box = QLineEdit()
        self.scan_box.setObjectName("scanBox")
        self.scan_prompt.setBuddy(self.scan_box)
        self.scan_box.setPlaceholderText("Scan or type a shipment number")
        self.scan_box.setToolTip("Scan a shipment barcode, or type a shipment, order, customer or tracking "
                                 "number and press Enter. Typing filters the list.")
        self.scan_box.setClearButtonEnabled(True)
        self.scan_box.returnPressed.connect(self._on_scan)
        self.scan_box.textChanged.connect(lambda _t: self._search_timer.start())

        self.notice = NoticeBar()

        self.model = ShipmentsTableModel(self)
        self.proxy = ShipmentsFilterModel(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Col.SHIPMENT, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # no per-row sizing
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        # sized for what the columns hold at the base font; the user can drag them wider
        for col, width in ((Col.SHIPMENT, 96), (Col.ORDER, 120), (Col.CUSTOMER, 190), (Col.CITY, 105),
                           (Col.REGION, 50), (Col.COUNTRY, 66), (Col.SERVICE, 175), (Col.PACKAGES, 48),
                           (Col.WEIGHT, 66), (Col.STATE, 140), (Col.TRACKING, 170), (Col.LAST_EVENT, 220)):
            header.resizeSection(col, width)
        # what a packer looks at first comes first (visual order only; the model keeps its own)
        for position, col in enumerate(VISUAL_COLUMN_ORDER):
            header.moveSection(header.visualIndex(col), position)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._detail_timer.start())
        self.table.doubleClicked.connect(lambda _i: self.scan_box.setFocus())

        self.detail = DetailPane()
        self.detail.retry_requested.connect(self.shipment_actions.retry)

        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(6, 6, 6, 6)
        centre_layout.addWidget(self.scan_prompt)
        centre_layout.addWidget(self.scan_box)
        centre_layout.addWidget(self.notice)
        centre_layout.addWidget(self.table, 1)
        self.empty_state = EmptyState(self.table, self.proxy, self.scan_box.text)

        splitter = QSplitter()
        splitter.addWidget(self.state_list)
        splitter.addWidget(centre)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 1)
        splitter.setSizes([250, 770, 420])
        self.setCentralWidget(splitter)

        self.status = ConnectionStatusBar(demo=self.services.demo)
        self.setStatusBar(self.status)

    def _build_actions(self) -> None:
        toolbar = QToolBar("Actions")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.addToolBar(toolbar)
        self.action_by_name: dict[str, QAction] = {}

        def add(key: str, title: str, shortcut: str, handler: Callable[[], Any], tip: str) -> QAction:
            action = QAction(icon(key), title, self)
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            keys = QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{tip} ({keys})")
            action.triggered.connect(handler)
            toolbar.addAction(action)
            self.addAction(action)
            self.action_by_name[key] = action
            return action

        do = self.shipment_actions
        ship = add("ship", "Ship", "Ctrl+L", do.ship_selected, "Create and print the UPS label")
        ship_button = toolbar.widgetForAction(ship)
        if ship_button is not None:
            ship_button.setObjectName("primaryAction")  # the one button a packer presses all day
        add("validate", "Validate address", "Ctrl+Shift+V", do.validate_selected,
            "Check the ship-to address with UPS")
        add("rate", "Rate", "Ctrl+R", do.rate_selected, "Ask UPS what it will cost")
        add("reprint", "Reprint", "Ctrl+P", do.reprint_selected, "Print the stored label again")
        add("void", "Void", "Ctrl+Shift+Delete", do.void_selected,
            "Cancel the UPS label and clear the tracking numbers in Acumatica")
        toolbar.addSeparator()
        add("refresh", "Refresh", "F5", do.pull, "Fetch ready shipments from Acumatica")
        scan_ship = QAction(icon("scan"), "Scan to ship", self)
        scan_ship.setCheckable(True)
        scan_ship.setChecked(self.scan_to_ship)
        scan_ship.setToolTip("When on, scanning a shipment creates and prints its label at once")
        scan_ship.toggled.connect(self._set_scan_to_ship)
        toolbar.addAction(scan_ship)
        self.action_by_name["scan_to_ship"] = scan_ship
        toolbar.addSeparator()
        add("settings", "Settings", "Ctrl+,", self.open_settings, "Connections, printers, Ship Via map")
        if self.services.demo:
            spacer = QWidget()
            spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            toolbar.addWidget(spacer)
            badge = QLabel("DEMO MODE · no real labels")
            badge.setObjectName("demoToolbarBadge")
            badge.setToolTip("Talking to the built-in sandboxes: nothing is sent to UPS or your Acumatica.")
            toolbar.addWidget(badge)
        self._build_menus()

    def _build_menus(self) -> None:
        """The same actions in menus, where their shortcuts are listed beside them."""
        by_name = self.action_by_name
        shipment = self.menuBar().addMenu("&Shipment")
        for key in ("ship", "validate", "rate", "reprint", "void"):
            shipment.addAction(by_name[key])
        shipment.addSeparator()
        shipment.addAction(by_name["scan_to_ship"])
        tools = self.menuBar().addMenu("&Tools")
        tools.addAction(by_name["refresh"])
        tools.addAction(by_name["settings"])

    def _build_timers(self) -> None:
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(
            lambda: self._keep_selection(lambda: self.proxy.set_search(self.scan_box.text())))
        self._detail_timer = QTimer(self, singleShot=True, interval=DETAIL_DELAY_MS)
        self._detail_timer.timeout.connect(self.load_detail)
        self._status_timer = QTimer(self, interval=STATUS_INTERVAL_MS)
        self._status_timer.timeout.connect(self.refresh_status)
        self._status_timer.start()
        self._sync_timer = QTimer(self, interval=max(1, self.services.config.sync.interval_minutes) * 60_000)
        self._sync_timer.timeout.connect(self.shipment_actions.sync_now)
        self._sync_timer.start()

    # -- listing -----------------------------------------------------------------------------------
    def refresh_listing(self) -> None:
        self._listing_token += 1
        token = self._listing_token

        def shown(listing: Listing) -> None:
            if token == self._listing_token:  # an older, slower read never overwrites a newer one
                self._apply_listing(listing)

        self.bridge.run_task(self.services.listing, on_success=shown, on_error=self._show_error)

    def _apply_listing(self, listing: Listing) -> None:
        current = self.current_shipment()
        selected = set(self.selected_shipments())
        self.model.set_rows(listing.rows)
        self._counts = group_counts(listing.counts)
        for i in range(self.state_list.count()):
            item = self.state_list.item(i)
            key = item.data(Qt.ItemDataRole.UserRole)
            item.setText(f"{GROUPS[i].title}  ({self._counts.get(key, 0):,})")
        self._reselect(current, selected)
        self.listing_loaded.emit()

    def group_count(self, key: str) -> int:
        return self._counts.get(key, 0)

    def _keep_selection(self, refilter: Callable[[], None]) -> None:
        """A filter change resets the filtered model: the rows still shown stay selected."""
        current, selected = self.current_shipment(), set(self.selected_shipments())
        refilter()
        self._reselect(current, selected)

    def _reselect(self, current: str | None, selected: set[str]) -> None:
        sel = self.table.selectionModel()
        for nbr in selected:
            index = self._proxy_index(nbr)
            if index.isValid():
                sel.select(index, QItemSelectionModel.SelectionFlag.Select
                           | QItemSelectionModel.SelectionFlag.Rows)
        if current:
            index = self._proxy_index(current)
            if index.isValid():
                sel.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
                self._detail_timer.start()

    def _proxy_index(self, shipment: str) -> QModelIndex:
        row = self.model.row_of(shipment)
        if row < 0:
            return QModelIndex()
        return self.proxy.mapFromSource(self.model.index(row, 0))

    def _on_group_changed(self, item: QListWidgetItem | None, _previous: Any = None) -> None:
        key = item.data(Qt.ItemDataRole.UserRole) if item else "all"
        group = next(g for g in GROUPS if g.key == key)
        self._keep_selection(lambda: self.proxy.set_states(group.states))
        self.empty_state.set_group(group)
        self.scan_box.setFocus()

    def select_group(self, key: str) -> None:
        for i, group in enumerate(GROUPS):
            if group.key == key:
                self.state_list.setCurrentRow(i)
                return
        raise KeyError(key)

    # -- selection ---------------------------------------------------------------------------------
    def current_shipment(self) -> str | None:
        index = self.table.selectionModel().currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row(), QModelIndex()):
            return None
        return self.model.shipment_at(self.proxy.mapToSource(index).row())

    def selected_shipments(self) -> list[str]:
        rows = self.table.selectionModel().selectedRows()
        return [self.model.shipment_at(self.proxy.mapToSource(i).row()) for i in rows]

    def select_shipment(self, shipment: str) -> bool:
        """Select one shipment's row (showing it even if the state filter hid it); False if unknown."""
        index = self._proxy_index(shipment)
        if not index.isValid() and self.model.row_of(shipment) >= 0:
            self.state_list.setCurrentRow(0)  # "All": the filter hid it
            index = self._proxy_index(shipment)
        if not index.isValid():
            return False
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)
        return True

    def load_detail(self) -> None:
        nbr = self.current_shipment()
        if nbr is None:
            self.detail.show_placeholder("Scan or pick a shipment to see its details.")
            return
        self._detail_token += 1
        token = self._detail_token

        def shown(detail: ShipmentDetail) -> None:
            if token == self._detail_token:  # a newer selection wins
                self.detail.show_detail(detail)
                self.detail_loaded.emit(detail.shipment)

        def failed(error: ShipdeskError) -> None:
            if token == self._detail_token:
                self.detail.show_error(nbr, str(error))

        self.bridge.run_task(self.services.detail, nbr, on_success=shown, on_error=failed)

    # -- scanning ----------------------------------------------------------------------------------
    def _on_scan(self) -> None:
        text = self.scan_box.text().strip()
        if not text:
            return
        self._search_timer.stop()
        self.proxy.set_search("")  # an exact scan shows its row whatever was typed before
        row = self.model.row_of(text)
        if row < 0:
            row = self.model.find_by_tracking(text)
        if row < 0:
            self.proxy.set_search(text)
            self.notice.show_error(
                f"No shipment {text} in the list. Press F5 to fetch the latest shipments from Acumatica.",
                retry=self.shipment_actions.pull)
            self.scan_box.selectAll()
            return
        nbr = self.model.shipment_at(row)
        self.select_shipment(nbr)
        self.scan_box.selectAll()  # the next scan replaces this one
        self.notice.hide()  # a notice about an earlier scan would read as if this one failed
        if self.scan_to_ship:
            self.shipment_actions.ship(nbr)

    def _set_scan_to_ship(self, on: bool) -> None:
        self.scan_to_ship = on
        self.notice.show_message("Scan to ship is on: scanning a shipment prints its label at once."
                                 if on else "Scan to ship is off.")
        self.scan_box.setFocus()

    # -- actions -----------------------------------------------------------------------------------
    def action_done(self, name: str, *, refresh: bool = True) -> None:
        """Called by the actions when one is over (see ``ShipmentActions``)."""
        if refresh and not self._closing:  # closing: no new work, the store is about to close
            self.refresh_listing()
            self.refresh_status()
        self.action_finished.emit(name)
        if not self._closing:
            self.scan_box.setFocus()

    def open_settings(self) -> None:
        from shipdesk.ui.dialogs.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.services, self.bridge, self)
        accepted = dialog.exec() == SettingsDialog.DialogCode.Accepted
        dialog.deleteLater()  # by Qt, now: left to the window's teardown it crashed the app on exit
        if accepted:
            self.notice.show_message("Settings saved.")
            self._sync_timer.setInterval(max(1, self.services.config.sync.interval_minutes) * 60_000)
            self.refresh_status()

    def _show_error(self, error: ShipdeskError) -> None:
        self.shipment_actions.note_connection(error)
        self.notice.show_error(str(error))

    # -- status ------------------------------------------------------------------------------------
    def refresh_status(self) -> None:
        self.bridge.run_task(self.services.status, on_success=self._apply_status,
                             on_error=lambda e: log.warning("status: %s", e))

    def _apply_status(self, info: StatusInfo) -> None:
        self.status.show_status(info)

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
            self._closing = True
            for timer in (self._status_timer, self._sync_timer, self._search_timer, self._detail_timer):
                timer.stop()
            for action in self.action_by_name.values():
                action.setEnabled(False)
            self.shipment_actions.stopped = True
            if self.shipment_actions.batch is not None:
                self.shipment_actions.batch.request_cancel()
            if self.bridge.active_count:
                self.notice.show_message("Finishing the current step before closing…")
        self._finish_closing()

    def _finish_closing(self) -> None:
        if self.bridge.active_count or self._logout_started:
            return
        self._logout_started = True

        def closed(_result: object = None) -> None:
            self._shutdown_complete = True
            self.close()

        # logs the Acumatica session out: it would hold a licensed API seat for minutes otherwise
        def failed(error: ShipdeskError) -> None:
            log.warning("closing: %s", error)
            closed()

        self.bridge.run_task(self.services.close, on_success=closed, on_error=failed)
