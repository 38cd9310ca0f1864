"""The settings dialog's printer page: several printer profiles, one of them the default.

A list on the left (the default one marked), the selected profile's fields on the right. The label
format follows the printer: a thermal printer takes ZPL as UPS sends it, a system printer prints the
GIF on a 4x6 page; only "save to a folder" may keep any format.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from shipdesk.core.settings.config import LABEL_FORMATS, PRINTER_KINDS, PrinterProfile

PRINTER_KIND_TEXT = {
    "system": "System printer (4x6 PDF)",
    "network": "Thermal printer on the network (raw ZPL)",
    "local": "Thermal printer on this PC (raw ZPL)",
    "file": "Save label files to a folder",
}
#: printer kind → the only label format it takes (absent: any format)
FIXED_FORMAT = {"system": "GIF", "network": "ZPL", "local": "ZPL"}
DEFAULT_MARK = "  ★ default"


def unique_name(wanted: str, taken: set[str]) -> str:
    """``wanted``, or ``wanted (2)``, ``(3)``... so profile names stay unique (the default is named)."""
    name, n = wanted, 2
    while name in taken:
        name, n = f"{wanted} ({n})", n + 1
    return name


class PrinterProfilesEditor(QWidget):
    def __init__(self, profiles: tuple[PrinterProfile, ...], default: str, system_printers: list[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._profiles = list(profiles)
        self._default = default if any(p.name == default for p in profiles) else (
            profiles[0].name if profiles else "")
        self._current = -1

        self.printer_list = QListWidget()
        self.printer_list.setMaximumWidth(260)
        self.add_button = QPushButton("Add printer")
        self.remove_button = QPushButton("Remove")
        self.default_button = QPushButton("Make default")
        self.default_button.setToolTip("Labels print on the default printer")
        self.add_button.clicked.connect(self.add_profile)
        self.remove_button.clicked.connect(self.remove_profile)
        self.default_button.clicked.connect(self.make_default)

        self.printer_name = QLineEdit()
        self.printer_kind = QComboBox()
        for kind in PRINTER_KINDS:
            self.printer_kind.addItem(PRINTER_KIND_TEXT.get(kind, kind), kind)
        self.printer_queue = QComboBox()
        self.printer_queue.setEditable(True)
        self.printer_queue.addItems(["", *system_printers])
        queue_edit = self.printer_queue.lineEdit()
        if queue_edit is not None:  # always, for an editable combo box
            queue_edit.setPlaceholderText("empty: the system's default printer")
        self.printer_host = QLineEdit()
        self.printer_host.setPlaceholderText("e.g. 10.0.4.21 or zebra-dock1.local")
        self.printer_port = QSpinBox()
        self.printer_port.setRange(1, 65535)
        self.label_format = QComboBox()
        self.label_format.addItems(list(LABEL_FORMATS))
        self.printer_dpi = QComboBox()
        self.printer_dpi.addItems(["203", "300", "600"])
        self.printer_kind.currentIndexChanged.connect(self._on_kind)

        self.form = QWidget()
        form = QFormLayout(self.form)
        form.addRow("Profile name", self.printer_name)
        form.addRow("Printer type", self.printer_kind)
        form.addRow("Print queue", self.printer_queue)
        form.addRow("Network address", self.printer_host)
        form.addRow("Port", self.printer_port)
        form.addRow("Label format", self.label_format)
        form.addRow("Resolution (dpi)", self.printer_dpi)

        buttons = QHBoxLayout()
        for b in (self.add_button, self.remove_button, self.default_button):
            buttons.addWidget(b)
        left = QVBoxLayout()
        left.addWidget(self.printer_list, 1)
        left.addLayout(buttons)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(left)
        layout.addWidget(self.form, 1)

        self.printer_list.currentRowChanged.connect(self._on_row)
        self._fill_list()
        if self._profiles:
            self.printer_list.setCurrentRow(next(
                (i for i, p in enumerate(self._profiles) if p.name == self._default), 0))
        self._update_enabled()

    # -- what the dialog reads ---------------------------------------------------------------------
    def profiles(self) -> tuple[PrinterProfile, ...]:
        self._commit()
        return tuple(self._profiles)

    def default_profile(self) -> str:
        self._commit()
        return self._default

    # -- editing -----------------------------------------------------------------------------------
    def add_profile(self) -> None:
        self._commit()
        name = unique_name("Label printer", {p.name for p in self._profiles})
        self._profiles.append(PrinterProfile(name=name, kind="network", label_format="ZPL"))
        if not self._default:
            self._default = name
        self._fill_list()
        self.printer_list.setCurrentRow(len(self._profiles) - 1)
        self.printer_name.setFocus()
        self.printer_name.selectAll()

    def remove_profile(self) -> None:
        row = self.printer_list.currentRow()
        if row < 0:
            return
        removed = self._profiles.pop(row)
        self._current = -1  # nothing to commit: it is gone
        if removed.name == self._default:
            self._default = self._profiles[0].name if self._profiles else ""
        self._fill_list()
        if self._profiles:
            self.printer_list.setCurrentRow(min(row, len(self._profiles) - 1))
        self._update_enabled()

    def make_default(self) -> None:
        self._commit()
        row = self.printer_list.currentRow()
        if row >= 0:
            self._default = self._profiles[row].name
            self._fill_list()
            self.printer_list.setCurrentRow(row)

    def _commit(self) -> None:
        """Write the form into the profile it shows (names stay unique; the default follows a rename)."""
        i = self._current
        if not 0 <= i < len(self._profiles):
            return
        old = self._profiles[i]
        others = {p.name for j, p in enumerate(self._profiles) if j != i}
        name = unique_name(self.printer_name.text().strip() or "Label printer", others)
        self._profiles[i] = replace(
            old, name=name, kind=self.printer_kind.currentData(), label_format=self.label_format.currentText(),
            host=self.printer_host.text().strip(), port=self.printer_port.value(),
            queue=self.printer_queue.currentText().strip(), dpi=int(self.printer_dpi.currentText()))
        if old.name == self._default:
            self._default = name
        item = self.printer_list.item(i)
        if item is not None:
            self._label_item(item, self._profiles[i])

    def _on_row(self, row: int) -> None:
        self._commit()
        self._current = row
        if 0 <= row < len(self._profiles):
            p = self._profiles[row]
            self.printer_name.setText(p.name)
            self.printer_kind.setCurrentIndex(max(0, self.printer_kind.findData(p.kind)))
            self.printer_queue.setCurrentText(p.queue)
            self.printer_host.setText(p.host)
            self.printer_port.setValue(p.port)
            self.label_format.setCurrentText(p.label_format)
            self.printer_dpi.setCurrentText(str(p.dpi))
            self._on_kind()
        self._update_enabled()

    def _on_kind(self) -> None:
        kind = self.printer_kind.currentData()
        fixed = FIXED_FORMAT.get(kind)
        if fixed:
            self.label_format.setCurrentText(fixed)
        self.label_format.setEnabled(fixed is None)
        self.printer_queue.setEnabled(kind in ("system", "local"))
        self.printer_host.setEnabled(kind == "network")
        self.printer_port.setEnabled(kind == "network")
        self.printer_dpi.setEnabled(kind in ("network", "local"))

    def _fill_list(self) -> None:
        self.printer_list.blockSignals(True)  # rebuilding: no half-made selection to commit
        self.printer_list.clear()
        for p in self._profiles:
            item = QListWidgetItem()
            self._label_item(item, p)
            self.printer_list.addItem(item)
        self.printer_list.blockSignals(False)
        self._current = -1

    def _label_item(self, item: QListWidgetItem, p: PrinterProfile) -> None:
        is_default = p.name == self._default
        item.setText(p.name + (DEFAULT_MARK if is_default else ""))
        item.setToolTip(PRINTER_KIND_TEXT.get(p.kind, p.kind))
        font = QFont(item.font())
        font.setBold(is_default)
        item.setFont(font)
        item.setData(Qt.ItemDataRole.UserRole, p.name)

    def _update_enabled(self) -> None:
        has = self.printer_list.currentRow() >= 0
        self.form.setEnabled(has)
        self.remove_button.setEnabled(has)
        self.default_button.setEnabled(has)
