"""What the window remembers between runs: its size and place, and the shipments table's columns (which ones
are shown, in which order, how wide). Kept in ``<data folder>/shipdesk-ui.ini`` with QSettings in INI
format (not QSettings' default, the Windows registry), so each data folder has its own and tests stay
isolated. The first run, with nothing remembered, opens maximized.

The columns are chosen by right-clicking the table's header; "Shipment" is always shown.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QObject, QPoint, QSettings, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHeaderView, QMainWindow, QMenu

from shipdesk.i18n import _
from shipdesk.ui.view_data import COLUMN_TITLES, Col

FILE_NAME = "shipdesk-ui.ini"
HEADER_KEY, GEOMETRY_KEY, STATE_KEY = "table/header", "window/geometry", "window/state"
SAVE_DELAY_MS = 400
ALWAYS_SHOWN = (Col.SHIPMENT,)


def ui_settings(data_folder: Path) -> QSettings:
    Path(data_folder).mkdir(parents=True, exist_ok=True)
    return QSettings(str(Path(data_folder) / FILE_NAME), QSettings.Format.IniFormat)


def _bytes(value: object) -> QByteArray | None:
    if isinstance(value, QByteArray) and not value.isEmpty():
        return value
    if isinstance(value, bytes | bytearray) and value:
        return QByteArray(bytes(value))
    return None


class TableColumns(QObject):
    """The header's remembered layout and its column chooser (the header's context menu)."""

    def __init__(self, header: QHeaderView, settings: QSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.header, self._settings = header, settings
        self._save_timer = QTimer(self, singleShot=True, interval=SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save)
        header.setSectionsMovable(True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._show_menu)

    def restore(self) -> bool:
        """Apply the remembered layout; False when there is none (the defaults stay)."""
        state = _bytes(self._settings.value(HEADER_KEY))
        restored = state is not None and self.header.restoreState(state)
        for col in ALWAYS_SHOWN:
            self.header.setSectionHidden(col, False)
        # remember from now on: restoring first, so the defaults never overwrite a saved layout
        self.header.sectionResized.connect(lambda *_: self._save_timer.start())
        self.header.sectionMoved.connect(lambda *_: self._save_timer.start())
        return restored

    def save(self) -> None:
        self._save_timer.stop()
        self._settings.setValue(HEADER_KEY, self.header.saveState())
        self._settings.sync()

    def shown(self) -> list[Col]:
        """The visible columns, left to right."""
        order = sorted((self.header.visualIndex(c), c) for c in Col if not self.header.isSectionHidden(c))
        return [c for _, c in order]

    def set_shown(self, col: Col, shown: bool) -> None:
        if col in ALWAYS_SHOWN:
            return
        self.header.setSectionHidden(col, not shown)
        self.save()

    def menu(self) -> QMenu:
        menu = QMenu(self.header)
        menu.setObjectName("columnMenu")
        menu.addSection(_("Show columns"))
        for col in sorted(Col, key=self.header.visualIndex):
            action = QAction(_(COLUMN_TITLES[col]), menu)  # i18n: marked with N_()
            action.setCheckable(True)
            action.setChecked(not self.header.isSectionHidden(col))
            action.setEnabled(col not in ALWAYS_SHOWN)
            action.toggled.connect(lambda on, c=col: self.set_shown(c, on))
            menu.addAction(action)
        return menu

    def _show_menu(self, where: QPoint) -> None:
        menu = self.menu()
        menu.exec(self.header.mapToGlobal(where))
        menu.deleteLater()


class WindowPlace:
    """The main window's size, place and maximized state."""

    def __init__(self, window: QMainWindow, settings: QSettings) -> None:
        self._window, self._settings = window, settings

    def show(self) -> None:
        """Show where it was last time; maximized on the first run."""
        geometry = _bytes(self._settings.value(GEOMETRY_KEY))
        if geometry is not None and self._window.restoreGeometry(geometry):
            self._window.show()
        else:
            self._window.showMaximized()

    def save(self) -> None:
        self._settings.setValue(GEOMETRY_KEY, self._window.saveGeometry())
        self._settings.sync()
