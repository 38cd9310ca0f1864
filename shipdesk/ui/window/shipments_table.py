"""The shipments table and what filters it: the state list with its counts, the search, the empty-state
sentence, and which rows are selected. Widgets only: what to show comes in as a ``Listing``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QTableView,
    QWidget,
)

from shipdesk.i18n import _
from shipdesk.i18n.formats import number
from shipdesk.ui.theme import state_swatch
from shipdesk.ui.view_data import Col, Listing
from shipdesk.ui.window.shipments_table_model import ShipmentsFilterModel, ShipmentsTableModel, tabular_font
from shipdesk.ui.window.state_groups import ALL, GROUPS, StateGroup, group_counts
from shipdesk.ui.window.table_rows import RowsUpdate, prepare

#: the table's columns left to right: the shipment, its state and what UPS says of it (what clerks and supervisors
#: look at), then where it goes and how; the person can hide, move and widen them (``window_memory``)
VISUAL_COLUMN_ORDER = (Col.SHIPMENT, Col.STATE, Col.TRACKING, Col.LAST_EVENT, Col.DELIVERED, Col.CUSTOMER, Col.CITY,
                       Col.REGION, Col.SERVICE, Col.CHARGE, Col.PACKAGES, Col.WEIGHT, Col.ORDER, Col.COUNTRY)
#: sized for what the columns hold at the base font; the user can drag them wider
COLUMN_WIDTHS = ((Col.SHIPMENT, 96), (Col.ORDER, 120), (Col.CUSTOMER, 190), (Col.CITY, 105), (Col.REGION, 50),
                 (Col.COUNTRY, 66), (Col.SERVICE, 175), (Col.PACKAGES, 48), (Col.WEIGHT, 66), (Col.STATE, 150),
                 (Col.TRACKING, 165), (Col.LAST_EVENT, 190), (Col.DELIVERED, 92),
                 (Col.CHARGE, 72))


@dataclass(frozen=True)
class ScanMatch:
    """What a scanned or typed number found: how (its shipment, order or tracking number) and which shipments."""

    kind: str  # "shipment" | "order" | "tracking"
    shipments: tuple[str, ...]


class EmptyState(QLabel):
    """A sentence over the table's empty viewport saying why it is empty and what to do."""

    def __init__(self, table: QTableView, proxy: ShipmentsFilterModel) -> None:
        super().__init__(table.viewport())
        self.setObjectName("emptyState")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._proxy = proxy
        self._group: StateGroup = ALL
        self._searched = ""
        for signal in (proxy.modelReset, proxy.rowsInserted, proxy.rowsRemoved, proxy.layoutChanged):
            signal.connect(self.update_visibility)
        table.viewport().installEventFilter(self)
        self.update_visibility()

    def set_filter(self, group: StateGroup, searched: str) -> None:
        self._group, self._searched = group, searched.strip()
        self.update_visibility()

    def message(self) -> str:
        if self._searched:
            return _("No shipment matches “{text}”. Press F5 to pull the latest from Acumatica.").format(
                text=self._searched)
        if self._group.key in ("all", "ready"):
            return _("No shipments ready. Press F5 to pull from Acumatica.")
        return _("No shipments in “{group}”.").format(group=_(self._group.title))  # i18n: marked with N_()

    def update_visibility(self, *_args: object) -> None:
        self.setText(self.message())
        self.setVisible(self._proxy.rowCount() == 0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            self.setGeometry(watched.rect().adjusted(24, 24, -24, -24))
        return False


def _state_list() -> QListWidget:
    states = QListWidget()
    states.setObjectName("stateList")
    states.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keep the scan box focused
    for group in GROUPS:
        item = QListWidgetItem(state_swatch(group.key), _(group.title))  # i18n: marked with N_()
        item.setData(Qt.ItemDataRole.UserRole, group.key)
        item.setToolTip(_(group.hint))  # i18n: marked with N_()
        states.addItem(item)
    states.setCurrentRow(0)
    states.setMaximumWidth(280)  # "Awaiting write-back (12)" fits
    states.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return states


def _table_view(proxy: ShipmentsFilterModel) -> QTableView:
    table = QTableView()
    table.setModel(proxy)
    table.setSortingEnabled(True)
    table.sortByColumn(Col.SHIPMENT, Qt.SortOrder.AscendingOrder)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(26)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # no per-row sizing
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    for col, width in COLUMN_WIDTHS:
        header.resizeSection(col, width)
    # a whole 18-character tracking number, and the mark of a second package: under Xvfb's fonts 165 px cut
    # its last digit ("1ZA1B2C3070280819…"), and a clerk reads what is shown
    needed = QFontMetrics(tabular_font()).horizontalAdvance("1ZA1B2C30302808030, …") + 16
    header.resizeSection(Col.TRACKING, max(header.sectionSize(Col.TRACKING), needed))
    # what a packer looks at first comes first (visual order only; the model keeps its own)
    for position, col in enumerate(VISUAL_COLUMN_ORDER):
        header.moveSection(header.visualIndex(col), position)
    return table


class ShipmentsTable(QObject):
    """``state_list`` and ``table`` for the window to lay out; ``current_changed`` when the current row moves,
    ``group_changed`` when another state group is picked."""

    current_changed = Signal()
    group_changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model = ShipmentsTableModel(self)
        self.proxy = ShipmentsFilterModel(self)
        self.proxy.setSourceModel(self.model)
        self.state_list = _state_list()
        self.state_list.currentItemChanged.connect(self._on_group_changed)
        self.table = _table_view(self.proxy)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self.current_changed.emit())
        self.empty_state = EmptyState(self.table, self.proxy)
        self._group: StateGroup = ALL
        self._searched = ""
        self._counts: dict[str, int] = {}

    # -- what is shown -----------------------------------------------------------------------------
    def prepare(self, listing: Listing) -> tuple[Listing, RowsUpdate]:
        """What ``listing`` changes in the table (call it on the worker that read the listing)."""
        return listing, prepare(self.model.held(), listing.rows)

    def show_listing(self, listing: Listing, update: RowsUpdate | None = None) -> None:
        """Show a listing; ``update``: the same, already diffed by ``prepare`` (only those rows change)."""
        current, selected = self.current_shipment(), set(self.selected_shipments())
        self.model.apply(update if update is not None else prepare(self.model.held(), listing.rows))
        self._counts = group_counts(listing.counts)
        for i, group in enumerate(GROUPS):
            count = number(self._counts.get(group.key, 0))
            self.state_list.item(i).setText(f"{_(group.title)}  ({count})")  # i18n: marked with N_()
        if current and not self._proxy_index(current).isValid() and self.model.row_of(current) >= 0:
            # an action moved the shipment being worked on out of the state filter: the list shows "All",
            # so it stays selected and the detail pane keeps following it (Ctrl+L still ships it)
            self.state_list.setCurrentRow(0)
        self._reselect(current, selected)

    def group_count(self, key: str) -> int:
        return self._counts.get(key, 0)

    def select_group(self, key: str) -> None:
        for i, group in enumerate(GROUPS):
            if group.key == key:
                self.state_list.setCurrentRow(i)
                return
        raise KeyError(key)

    def set_search(self, text: str) -> None:
        self._searched = text
        self._keep_selection(lambda: self.proxy.set_search(text))
        self.empty_state.set_filter(self._group, text)

    def _on_group_changed(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None = None) -> None:
        key = item.data(Qt.ItemDataRole.UserRole) if item else ALL.key
        self._group = next(g for g in GROUPS if g.key == key)
        self._keep_selection(lambda: self.proxy.set_states(self._group.states))
        self.empty_state.set_filter(self._group, self._searched)
        self.group_changed.emit()

    # -- selection ---------------------------------------------------------------------------------
    def current_shipment(self) -> str | None:
        selection = self.table.selectionModel()
        index = selection.currentIndex()
        if not index.isValid() or not selection.isRowSelected(index.row(), QModelIndex()):
            return None
        return self.model.shipment_at(self.proxy.mapToSource(index).row())

    def selected_shipments(self) -> list[str]:
        rows = self.table.selectionModel().selectedRows()
        return [self.model.shipment_at(self.proxy.mapToSource(i).row()) for i in rows]

    def find(self, scanned: str) -> ScanMatch | None:
        """The shipments a scan means: by shipment number, else a package's tracking number, else an order
        number (an order may have several shipments)."""
        row = self.model.row_of(scanned)
        if row >= 0:
            return ScanMatch("shipment", (self.model.shipment_at(row),))
        for kind, col in (("tracking", Col.TRACKING), ("order", Col.ORDER)):
            found = self.model.shipments_by_number(scanned, col)
            if found:
                return ScanMatch(kind, found)
        return None

    def select_shipments(self, shipments: Iterable[str]) -> None:
        """Select several rows (the first one current), showing "All" if the state filter hid one."""
        wanted = list(shipments)
        if not wanted or not self.select_shipment(wanted[0]):
            return
        if any(not self._proxy_index(n).isValid() for n in wanted[1:]):
            self.state_list.setCurrentRow(0)
        selection = self.table.selectionModel()
        for nbr in wanted[1:]:
            index = self._proxy_index(nbr)
            if index.isValid():
                selection.select(index, QItemSelectionModel.SelectionFlag.Select
                                 | QItemSelectionModel.SelectionFlag.Rows)

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

    def _keep_selection(self, refilter: Callable[[], None]) -> None:
        """A filter change resets the filtered model: the rows still shown stay selected."""
        current, selected = self.current_shipment(), set(self.selected_shipments())
        refilter()
        self._reselect(current, selected)

    def _reselect(self, current: str | None, selected: set[str]) -> None:
        selection = self.table.selectionModel()
        for nbr in selected:
            index = self._proxy_index(nbr)
            if index.isValid():
                selection.select(index, QItemSelectionModel.SelectionFlag.Select
                                 | QItemSelectionModel.SelectionFlag.Rows)
        if current:
            index = self._proxy_index(current)
            if index.isValid():
                selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
                self.current_changed.emit()

    def _proxy_index(self, shipment: str) -> QModelIndex:
        row = self.model.row_of(shipment)
        if row < 0:
            return QModelIndex()
        return self.proxy.mapFromSource(self.model.index(row, 0))

