"""The shipments table: a model over plain row tuples, and a proxy that filters by state group and text.

Built to stay smooth with 100,000 rows: ``data()`` only indexes a tuple, and a painted cell is one call from
Qt into Python, not seven (``multiData``: the delegate asks each cell for seven roles; every call takes the
GIL, which the sync's threads want too, so a repaint's Python time is what a busy sync stretches); a refresh
applies only the rows that changed (diffed off the GUI thread, see ``table_rows``: changed rows in place,
new ones inserted where the sort puts them, gone ones removed; one reset only when most rows changed);
sorting is done by the source model with Python's ``sorted`` (one pass, not a Python ``lessThan`` per comparison); the
filter is one list comprehension over the rows and their precomputed lowercase search keys (no Python
callback per row from Qt), and keeps the source's order.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import cast

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractProxyModel,
    QAbstractTableModel,
    QModelIndex,
    QModelRoleData,
    QModelRoleDataSpan,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from shipdesk.core.domain.states import State
from shipdesk.i18n import _, current_locale
from shipdesk.i18n.formats import number
from shipdesk.ui.theme import state_colours
from shipdesk.ui.view_data import COLUMN_TITLES, Col, Row
from shipdesk.ui.window.state_groups import group_of
from shipdesk.ui.window.table_rows import RowsUpdate, TableRows, prepare, search_key, shipment_key

AnyIndex = QModelIndex | QPersistentModelIndex
#: what Qt asks a cell for in one call (``multiData``): the roles, each to be given its value
RoleData = QModelRoleDataSpan | QModelRoleData
#: what ``data()`` gives Qt for a cell and a role: its text or number, alignment, font, colour, or nothing
CellValue = str | int | float | QFont | QBrush | None

#: the role that gives a row's state value (e.g. "needs_attention") for any column
StateRole = Qt.ItemDataRole.UserRole + 1

_NUMERIC = {Col.PACKAGES, Col.WEIGHT, Col.CHARGE}
_TABULAR = {Col.SHIPMENT, Col.TRACKING, Col.WEIGHT, Col.PACKAGES, Col.CHARGE}
#: roles and columns as plain ints: a cell is asked for seven roles on every repaint, and comparing with Qt's
#: enum members costs microseconds each
_DISPLAY, _FONT, _ALIGNMENT, _TOOLTIP = (int(r) for r in (
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.FontRole, Qt.ItemDataRole.TextAlignmentRole,
    Qt.ItemDataRole.ToolTipRole))
_BACKGROUND, _FOREGROUND = int(Qt.ItemDataRole.BackgroundRole), int(Qt.ItemDataRole.ForegroundRole)
_COLOUR_ROLES = frozenset((_BACKGROUND, _FOREGROUND))
_STATE_ROLE = int(StateRole)
_STATE_COL, _TRACKING_COL = int(Col.STATE), int(Col.TRACKING)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
#: the decimals of the number columns written the language's way (nothing for 0)
_PLACES = {int(Col.WEIGHT): 1, int(Col.CHARGE): 2}
_PACKAGES_COL = int(Col.PACKAGES)
#: rows added or removed one by one (each a rowsInserted/rowsRemoved the filter and view follow in O(n));
#: beyond this, one layout change carries them all
MAX_ROW_SIGNALS = 20


#: more runs of changed rows than this are told as one range (the signals would cost more than the repaint)
MAX_RUNS = 64


def row_runs(rows: Sequence[int]) -> list[tuple[int, int]]:
    """Sorted row numbers as runs of neighbours, first and last of each ([1, 2, 3, 9] → [(1, 3), (9, 9)]);
    one run from the first to the last when there would be more than ``MAX_RUNS``."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and row <= runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs if len(runs) <= MAX_RUNS else [(rows[0], rows[-1])]


def _state_label(value: str) -> str:
    try:
        return State(value).label
    except ValueError:
        return value


@lru_cache(maxsize=8192)
def _formatted(value: float, places: int, locale: str) -> str:
    """A weight or charge written the language's way (Babel takes ~50 µs: painted cells reuse it)."""
    return number(value, places)


def _sort_value(row: Row, column: int) -> object:
    # the state column sorts by what the user reads, not the stored value
    return _state_label(str(row[column])) if column == Col.STATE else row[column]


def tabular_font() -> QFont:
    """The monospaced font of numbers a clerk reads digit by digit (shipment, tracking, weight)."""
    font = QFont()
    font.setStyleHint(QFont.StyleHint.Monospace)
    font.setFamilies(["DejaVu Sans Mono", "Consolas", "Menlo", "monospace"])
    return font


class ShipmentsTableModel(QAbstractTableModel):
    #: source rows whose values changed in place (sorted); the filter model re-checks just those
    rows_updated = Signal(list)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Row] = []
        self._search: list[str] = []
        self._numbers: list[str] = []  # shipment_key of each row
        self._index_of: dict[str, int] = {}
        self._held = TableRows()
        self._by_number: dict[str, tuple[str, ...]] | None = None  # order/tracking number → shipments, made on use
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._tabular = tabular_font()
        # what a cell shows that depends only on its column (font, alignment), by column and role
        self._fixed: list[dict[int, CellValue]] = [
            {**({_FONT: self._tabular} if col in _TABULAR else {}), **({_ALIGNMENT: _RIGHT} if col in _NUMERIC else {})}
            for col in Col]
        self._looks: dict[object, dict[int, CellValue]] = {}
        self._looks_locale = current_locale()

    # -- Qt model API -------------------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Col)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> CellValue:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMN_TITLES[Col(section)])  # i18n: marked with N_()
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> CellValue:
        if not index.isValid():
            return None
        return self.cell(index.row(), index.column(), role)

    def multiData(self, index: AnyIndex, roleDataSpan: RoleData) -> None:
        if index.isValid():
            self.fill(index.row(), index.column(), roleDataSpan)

    def fill(self, row_number: int, col: int, roles: RoleData) -> None:
        """``multiData()`` without a QModelIndex: every role a delegate asks for a cell, in one call."""
        cell = self.cell
        # a span iterates its QModelRoleData (PySide's stubs do not say so)
        for role_data in (roles,) if isinstance(roles, QModelRoleData) else cast(Iterable[QModelRoleData], roles):
            role_data.setData(cell(row_number, col, role_data.role()))

    def cell(self, row_number: int, col: int, role: int = Qt.ItemDataRole.DisplayRole) -> CellValue:
        """``data()`` without a QModelIndex (the filter model calls this for every visible cell)."""
        row = self._rows[row_number]
        role = int(role)
        if role == _DISPLAY:
            value = row[col]
            if col == _STATE_COL:
                return self._look(value)[0]
            if col in _PLACES:
                return _formatted(float(value), _PLACES[col], current_locale()) if value else ""
            if col == _PACKAGES_COL:
                return str(value) if value else ""
            return value
        if role == _STATE_ROLE:
            return row[_STATE_COL]
        if role in _COLOUR_ROLES:
            return self._look(row[_STATE_COL])[role] if col == _STATE_COL else None
        if role == _TOOLTIP:
            return str(row[_TRACKING_COL]).replace(", ", "\n") or None if col == _TRACKING_COL else None
        return self._fixed[col].get(role)

    def _look(self, state: object) -> dict[int, CellValue]:
        """A state's label (key 0) and its colours by role, made once per state value (a row repaints often)."""
        if self._looks_locale != current_locale():  # the language changed: the labels with it
            self._looks, self._looks_locale = {}, current_locale()
        look = self._looks.get(state)
        if look is None:
            colours = state_colours(group_of(str(state)))
            look = {0: _state_label(str(state)),
                    _BACKGROUND: QBrush(QColor(colours[0])) if colours else None,
                    _FOREGROUND: QBrush(QColor(colours[1])) if colours else None}
            self._looks[state] = look
        return look

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if self._sort == (column, order):
            return  # already in that order (the header asks again when its indicator is set)
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        self._apply_sort()
        self.layoutChanged.emit()

    # -- our API ------------------------------------------------------------------------------------
    def held(self) -> TableRows:
        """What the model holds, for ``table_rows.prepare`` on a worker (an immutable snapshot)."""
        return self._held

    def set_rows(self, rows: Sequence[Row]) -> None:
        """Show ``rows`` (diffed here; the window diffs on a worker and calls ``apply``)."""
        self.apply(prepare(self._held, rows))

    def apply(self, update: RowsUpdate) -> None:
        """Show a prepared listing: only its changed, added and removed rows, unless most rows changed or
        it was diffed against rows no longer held (then one reset)."""
        if update.full or update.base is not self._held:
            self._reset(update)
            return
        self._held = update.result
        if not update.size():
            return
        self._by_number = None
        column = self._sort[0] if self._sort is not None else -1
        moved: list[Row] = []  # a changed sort value: the row goes elsewhere
        in_place: list[int] = []
        for row in update.changed:
            key = shipment_key(row)
            i = self._index_of[key]
            if column >= 0 and _sort_value(row, column) != _sort_value(self._rows[i], column):
                moved.append(row)
                continue
            self._rows[i] = row
            self._search[i] = update.search[key]
            in_place.append(i)
        if in_place:
            in_place.sort()
            self.dataChanged.emit(self.index(in_place[0], 0), self.index(in_place[-1], len(Col) - 1))
            self.rows_updated.emit(in_place)
        gone = sorted((self._index_of[k] for k in (*update.removed, *map(shipment_key, moved))), reverse=True)
        coming = [*update.added, *moved]
        if not gone and not coming:
            return
        one_by_one = len(gone) + len(coming) <= MAX_ROW_SIGNALS
        if not one_by_one:
            self.layoutAboutToBeChanged.emit()
        for i in gone:
            if one_by_one:
                self.beginRemoveRows(QModelIndex(), i, i)
            del self._rows[i], self._search[i], self._numbers[i]
            if one_by_one:
                self.endRemoveRows()
        for row in coming:
            i = self._insert_position(row)
            if one_by_one:
                self.beginInsertRows(QModelIndex(), i, i)
            key = shipment_key(row)
            self._rows.insert(i, row)
            self._search.insert(i, update.search[key])
            self._numbers.insert(i, key)
            if one_by_one:
                self.endInsertRows()
        # row_of is ours alone (the filter follows insertions by position): one reindex, after them all
        self._reindex()
        if not one_by_one:
            self.layoutChanged.emit()

    def _reset(self, update: RowsUpdate) -> None:
        self.beginResetModel()
        self._held = update.result
        self._rows = list(update.rows)
        search = update.search
        self._search = [search.get(shipment_key(r)) or search_key(r) for r in self._rows]
        self._by_number = None
        self._apply_sort()
        self.endResetModel()

    def _insert_position(self, row: Row) -> int:
        """Where ``row`` goes in the current sort: after the rows that sort equal (as a stable sort puts it)."""
        if self._sort is None:
            return len(self._rows)
        column, order = self._sort
        value, rows = _sort_value(row, column), self._rows
        descending = order == Qt.SortOrder.DescendingOrder
        low, high = 0, len(rows)
        while low < high:
            middle = (low + high) // 2
            there = _sort_value(rows[middle], column)
            if (there < value) if descending else (value < there):  # type: ignore[operator]
                high = middle
            else:
                low = middle + 1
        return low

    def _reindex(self) -> None:
        self._index_of = dict(zip(self._numbers, range(len(self._numbers)), strict=True))

    def rows(self) -> list[Row]:
        return self._rows

    def row_of(self, shipment: str) -> int:
        """The row of a shipment number (exact, case-insensitive), or -1."""
        return self._index_of.get(shipment.strip().upper(), -1)

    def find_by_tracking(self, tracking: str) -> int:
        found = self.shipments_by_number(tracking, Col.TRACKING)
        return self.row_of(found[0]) if found else -1

    def shipments_by_number(self, number: str, col: Col) -> tuple[str, ...]:
        """The shipments whose ``col`` (ORDER or TRACKING, a comma-separated list) holds ``number``: exact,
        case-insensitive; an order number also without its type ("SO 005103" is found as "005103")."""
        if self._by_number is None:
            index: dict[str, list[str]] = {}
            for row in self._rows:
                for c in (Col.ORDER, Col.TRACKING):
                    for item in str(row[c]).upper().split(","):
                        words = item.split()
                        for key in {" ".join(words), "".join(words), words[-1] if words else ""}:
                            if key:
                                index.setdefault(f"{int(c)}:{key}", []).append(str(row[Col.SHIPMENT]))
            self._by_number = {k: tuple(dict.fromkeys(v)) for k, v in index.items()}
        return self._by_number.get(f"{int(col)}:{number.strip().upper()}", ())

    def search_text(self, row: int) -> str:
        return self._search[row]

    def search_keys(self) -> list[str]:
        """The lowercase search text of every row, in row order (what the filter matches words in)."""
        return self._search

    def state_at(self, row: int) -> str:
        return str(self._rows[row][Col.STATE])

    def shipment_at(self, row: int) -> str:
        return str(self._rows[row][Col.SHIPMENT])

    def _apply_sort(self) -> None:
        if self._sort is not None:
            column, order = self._sort
            rows, search = self._rows, self._search
            # the state column sorts by what the user reads, not the stored value (see _sort_value)
            keys = [r[column] for r in rows]
            if column == Col.STATE:
                label_of = {value: _state_label(str(value)) for value in set(keys)}
                keys = [label_of[k] for k in keys]
            positions = sorted(range(len(rows)), key=keys.__getitem__,
                               reverse=order == Qt.SortOrder.DescendingOrder)
            self._rows = [rows[i] for i in positions]
            self._search = [search[i] for i in positions]
        self._numbers = [shipment_key(r) for r in self._rows]
        self._reindex()


_CELL_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


class ShipmentsFilterModel(QAbstractProxyModel):
    """Shows the source rows whose state is in a set (None = all) and whose search text holds every word.

    Filtering is one list comprehension over the source's rows and precomputed search keys, then one
    reset: a Python ``filterAcceptsRow`` per row would cost ~100 ms at 20,000 rows on every keystroke.
    The visible rows keep the source's order; sorting is the source's (see module docstring).
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._states: frozenset[str] | None = None
        self._words: tuple[str, ...] = ()
        self._visible: list[int] = []  # source row of each proxy row
        self._proxy_row: list[int] = []  # proxy row of each source row, -1 when filtered out
        self._held: list[tuple[str, int]] = []  # persistent indexes as (shipment, column) across a sort
        self._removing = (0, 0)  # the proxy rows a source removal takes away (between its two signals)
        self._cell: Callable[[int, int, int], CellValue] = lambda _row, _col, _role: None  # set with the source
        self._fill: Callable[[int, int, RoleData], None] = lambda _row, _col, _roles: None

    def _source(self) -> ShipmentsTableModel:
        source = self.sourceModel()
        assert isinstance(source, ShipmentsTableModel)
        return source

    def setSourceModel(self, source: QAbstractItemModel) -> None:
        if not isinstance(source, ShipmentsTableModel):
            raise TypeError("ShipmentsFilterModel filters a ShipmentsTableModel")  # i18n: a programming error
        self.beginResetModel()
        super().setSourceModel(source)
        self._cell, self._fill = source.cell, source.fill
        source.modelAboutToBeReset.connect(self.beginResetModel)
        source.modelReset.connect(self._on_source_reset)
        source.layoutAboutToBeChanged.connect(self._on_source_layout_about_to_change)
        source.layoutChanged.connect(self._on_source_layout_changed)
        source.rows_updated.connect(self._on_source_rows_updated)
        source.rowsAboutToBeRemoved.connect(self._on_source_rows_about_to_be_removed)
        source.rowsRemoved.connect(self._on_source_rows_removed)
        source.rowsInserted.connect(self._on_source_rows_inserted)
        self._refilter()
        self.endResetModel()

    # -- filters -----------------------------------------------------------------------------------
    def set_states(self, states: Iterable[str] | None) -> None:
        wanted = None if states is None else frozenset(states)
        if wanted != self._states:
            self._states = wanted
            self._apply()

    def set_search(self, text: str) -> None:
        words = tuple(text.lower().split())
        if words != self._words:
            self._words = words
            self._apply()

    def _apply(self) -> None:
        if self.sourceModel() is None:
            return
        self.beginResetModel()
        self._refilter()
        self.endResetModel()

    def _accepts(self, source_row: int) -> bool:
        source = self._source()
        key = source.search_keys()[source_row]
        return (self._states is None or source.rows()[source_row][Col.STATE] in self._states) and all(
            word in key for word in self._words)

    def _refilter(self) -> None:
        source = self._source()
        rows, keys = source.rows(), source.search_keys()
        states, words = self._states, self._words
        # each condition narrows the previous candidates in one comprehension (no per-row function call)
        visible: list[int] = list(range(len(rows))) if states is None else [
            i for i, r in enumerate(rows) if r[Col.STATE] in states]
        for word in words:
            visible = [i for i in visible if word in keys[i]]
        proxy_row = [-1] * len(rows)
        for position, source_row in enumerate(visible):
            proxy_row[source_row] = position
        self._visible, self._proxy_row = visible, proxy_row

    # -- following the source ----------------------------------------------------------------------
    def _on_source_reset(self) -> None:
        self._refilter()
        self.endResetModel()

    def _on_source_rows_updated(self, source_rows: list[int]) -> None:
        # rows changed in place: repaint the visible ones, unless one now enters or leaves the filter
        proxy_row = self._proxy_row
        if any((proxy_row[i] >= 0) != self._accepts(i) for i in source_rows):
            self._on_source_layout_about_to_change()
            self._on_source_layout_changed()
            return
        # one signal per run of neighbouring rows: the view repaints what a signal's range covers on screen, and
        # one range from the first changed row to the last (a sync changes rows all over the list) covered all
        for first, last in row_runs(sorted(proxy_row[i] for i in source_rows if proxy_row[i] >= 0)):
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(Col) - 1))

    def _on_source_rows_about_to_be_removed(self, _parent: QModelIndex, first: int, last: int) -> None:
        # the filter keeps the source's order: the visible rows among first..last are one proxy range
        start, end = bisect_left(self._visible, first), bisect_left(self._visible, last + 1)
        self._removing = (start, end)
        if start < end:
            self.beginRemoveRows(QModelIndex(), start, end - 1)

    def _on_source_rows_removed(self, _parent: QModelIndex, first: int, last: int) -> None:
        start, end = self._removing
        count, hidden = last - first + 1, end - start
        self._visible[start:] = [v - count for v in self._visible[end:]]
        tail = self._proxy_row[last + 1:]
        self._proxy_row[first:] = [p - hidden if p >= 0 else p for p in tail] if hidden else tail
        if start < end:
            self.endRemoveRows()

    def _on_source_rows_inserted(self, _parent: QModelIndex, first: int, last: int) -> None:
        count = last - first + 1
        start = bisect_left(self._visible, first)
        self._visible[start:] = [v + count for v in self._visible[start:]]  # the rows already shown, moved down
        shown = [i for i in range(first, last + 1) if self._accepts(i)]
        tail = self._proxy_row[first:]
        if not shown:
            self._proxy_row[first:] = [-1] * count + tail
            return
        self.beginInsertRows(QModelIndex(), start, start + len(shown) - 1)
        self._visible[start:start] = shown
        new = [-1] * count
        for position, i in enumerate(shown, start):
            new[i - first] = position
        self._proxy_row[first:] = new + [p + len(shown) if p >= 0 else p for p in tail]
        self.endInsertRows()

    def _on_source_layout_about_to_change(self, *_args: object) -> None:
        # the source is re-sorting: remember what each persistent index (the selection) points at
        self.layoutAboutToBeChanged.emit()
        source = self._source()
        self._held = [(source.shipment_at(self._visible[i.row()]), i.column())
                      for i in self.persistentIndexList()]

    def _on_source_layout_changed(self, *_args: object) -> None:
        source = self._source()
        self._refilter()
        moved = []
        for shipment, column in self._held:
            row = source.row_of(shipment)
            moved.append(self.index(self._proxy_row[row], column) if row >= 0 else QModelIndex())
        self.changePersistentIndexList(self.persistentIndexList(), moved)
        self._held = []
        self.layoutChanged.emit()

    # -- Qt model API ------------------------------------------------------------------------------
    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid() or not (0 <= row < len(self._visible) and 0 <= column < len(Col)):
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, _index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        return QModelIndex()  # a flat table

    def sibling(self, row: int, column: int, _index: AnyIndex) -> QModelIndex:
        return self.index(row, column)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Col)

    def mapToSource(self, proxy_index: AnyIndex) -> QModelIndex:
        if not proxy_index.isValid() or proxy_index.row() >= len(self._visible):
            return QModelIndex()
        return self._source().index(self._visible[proxy_index.row()], proxy_index.column())

    def mapFromSource(self, source_index: AnyIndex) -> QModelIndex:
        if not source_index.isValid() or source_index.row() >= len(self._proxy_row):
            return QModelIndex()
        return self.index(self._proxy_row[source_index.row()], source_index.column())

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> CellValue:
        # called for every role of every painted cell: keep it to one lookup and one call
        row = index.row()
        if not index.isValid() or row >= len(self._visible):
            return None
        return self._cell(self._visible[row], index.column(), role)

    def multiData(self, index: AnyIndex, roleDataSpan: RoleData) -> None:
        # what the view's delegate asks for each painted cell (font, alignment, colours, text...): one call
        row = index.row()
        if index.isValid() and row < len(self._visible):
            self._fill(self._visible[row], index.column(), roleDataSpan)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> CellValue:
        # straight from the source: the default maps through row 0, which fails when nothing matches
        return self._source().headerData(section, orientation, role)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        return _CELL_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        # the source sorts in one Python pass; the proxy keeps source order (see module docstring)
        self._source().sort(column, order)
