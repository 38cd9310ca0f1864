"""The shipments table: a model over plain row tuples, and a proxy that filters by state group and text.

Built to stay smooth with 20,000 rows: ``data()`` only indexes a tuple; a refresh swaps the whole row
list in one reset (the rows are built off the GUI thread by the services adapter); sorting is done by
the source model with Python's ``sorted`` (one pass, not a Python ``lessThan`` per comparison); the
filter reads a precomputed lowercase search text per row instead of calling ``data()``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from operator import itemgetter
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from shipdesk.core.states import State
from shipdesk.ui.state_groups import group_of
from shipdesk.ui.theme import state_colours
from shipdesk.ui.view_data import COLUMN_TITLES, Col, Row

AnyIndex = QModelIndex | QPersistentModelIndex

#: the role that gives a row's state value (e.g. "needs_attention") for any column
StateRole = Qt.ItemDataRole.UserRole + 1

_NUMERIC = {Col.PACKAGES, Col.WEIGHT}
#: the text columns free-text search looks in
_searched = itemgetter(Col.SHIPMENT, Col.ORDER, Col.CUSTOMER, Col.CITY, Col.REGION, Col.COUNTRY, Col.SERVICE,
                       Col.TRACKING)


def _state_label(value: str) -> str:
    try:
        return State(value).label
    except ValueError:
        return value


class ShipmentsTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Row] = []
        self._search: list[str] = []
        self._index_of: dict[str, int] = {}
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._tabular = QFont()
        self._tabular.setStyleHint(QFont.StyleHint.Monospace)
        self._tabular.setFamilies(["DejaVu Sans Mono", "Consolas", "Menlo", "monospace"])

    # -- Qt model API -------------------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Col)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMN_TITLES[Col(section)]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            value = row[col]
            if col == Col.STATE:
                return _state_label(str(row[Col.STATE]))
            if col == Col.WEIGHT:
                return f"{value:,.1f}" if value else ""
            if col == Col.PACKAGES:
                return str(value) if value else ""
            return value
        if role == StateRole:
            return row[Col.STATE]
        if role == Qt.ItemDataRole.TextAlignmentRole and col in _NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and col in (Col.SHIPMENT, Col.TRACKING, Col.WEIGHT, Col.PACKAGES):
            return self._tabular
        if col == Col.STATE and role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            colours = state_colours(group_of(str(row[Col.STATE])))
            if colours is None:
                return None
            return QBrush(QColor(colours[0] if role == Qt.ItemDataRole.BackgroundRole else colours[1]))
        if role == Qt.ItemDataRole.ToolTipRole and col == Col.TRACKING:
            return str(row[Col.TRACKING]).replace(", ", "\n") or None
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        self._apply_sort()
        self.layoutChanged.emit()

    # -- our API ------------------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[Row]) -> None:
        """Replace every row (one reset: cheaper than diffing for a full refresh)."""
        self.beginResetModel()
        self._rows = list(rows)
        self._search = [" ".join(_searched(r)).lower() for r in self._rows]
        self._apply_sort()
        self.endResetModel()

    def rows(self) -> list[Row]:
        return self._rows

    def row_of(self, shipment: str) -> int:
        """The row of a shipment number (exact, case-insensitive), or -1."""
        return self._index_of.get(shipment.strip().upper(), -1)

    def find_by_tracking(self, tracking: str) -> int:
        wanted = tracking.strip().upper()
        if not wanted:
            return -1
        for i, row in enumerate(self._rows):
            if wanted in str(row[Col.TRACKING]).upper().split(", "):
                return i
        return -1

    def search_text(self, row: int) -> str:
        return self._search[row]

    def state_at(self, row: int) -> str:
        return str(self._rows[row][Col.STATE])

    def shipment_at(self, row: int) -> str:
        return str(self._rows[row][Col.SHIPMENT])

    def _apply_sort(self) -> None:
        if self._sort is not None:
            column, order = self._sort
            rows, search = self._rows, self._search
            # the state column sorts by what the user reads, not the stored value
            labelled = column == Col.STATE
            keys = [_state_label(str(r[column])) if labelled else r[column] for r in rows]
            positions = sorted(range(len(rows)), key=keys.__getitem__,
                               reverse=order == Qt.SortOrder.DescendingOrder)
            self._rows = [rows[i] for i in positions]
            self._search = [search[i] for i in positions]
        self._index_of = {str(r[0]).upper(): i for i, r in enumerate(self._rows)}


class ShipmentsFilterModel(QSortFilterProxyModel):
    """Filters by a set of state values (None = all) and by free text (every word must match)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._states: frozenset[str] | None = None
        self._words: tuple[str, ...] = ()

    def set_states(self, states: Iterable[str] | None) -> None:
        self.beginFilterChange()
        self._states = None if states is None else frozenset(states)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_search(self, text: str) -> None:
        words = tuple(text.lower().split())
        if words == self._words:
            return
        self.beginFilterChange()
        self._words = words
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        source = self.sourceModel()
        assert isinstance(source, ShipmentsTableModel)
        if self._states is not None and source.state_at(source_row) not in self._states:
            return False
        if self._words:
            text = source.search_text(source_row)
            return all(w in text for w in self._words)
        return True

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        # the source sorts in one Python pass; the proxy keeps source order (see module docstring)
        self.sourceModel().sort(column, order)
