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
    QVBoxLayout,
    QWidget,
)

from shipdesk.core.settings.config import PrinterProfile
from shipdesk.core.settings.schema import keys_of, plain
from shipdesk.i18n import N_, _
from shipdesk.labels.printers import LabelFormat, PrinterKind
from shipdesk.ui.dialogs.settings_fields import FieldEditor, described, editor_for, setting_text

#: printer kind → the only label format it takes here (absent: any format; EPL by editing the file)
FIXED_FORMAT = {PrinterKind.SYSTEM: LabelFormat.GIF, PrinterKind.NETWORK: LabelFormat.ZPL,
                PrinterKind.LOCAL: LabelFormat.ZPL}
#: the profile "Add printer" makes: a thermal printer on the network, the usual warehouse label printer
NEW_PRINTER = PrinterProfile(name=N_("Label printer"), kind=PrinterKind.NETWORK, label_format=LabelFormat.ZPL)
DEFAULT_MARK = N_("{name}  ★ default")
KEYS = {key.name: key for key in keys_of(PrinterProfile)}


def unique_name(wanted: str, taken: set[str]) -> str:
    """``wanted``, or ``wanted (2)``, ``(3)``... so profile names stay unique (the default is named)."""
    name, n = wanted, 2
    while name in taken:
        name, n = f"{wanted} ({n})", n + 1
    return name


def kind_text(kind: PrinterKind) -> str:
    choices = KEYS["kind"].setting.choices
    return setting_text(choices[kind]) if kind in choices else kind.value


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
        self.add_button = QPushButton(_("Add printer"))
        self.remove_button = QPushButton(_("Remove"))
        self.default_button = QPushButton(_("Make default"))
        self.default_button.setToolTip(_("Labels print on the default printer"))
        self.add_button.clicked.connect(self.add_profile)
        self.remove_button.clicked.connect(self.remove_profile)
        self.default_button.clicked.connect(self.make_default)

        queue = QComboBox()
        queue.setEditable(True)
        queue.addItems(["", *system_printers])
        queue_edit = queue.lineEdit()
        if queue_edit is not None:  # always, for an editable combo box
            queue_edit.setPlaceholderText(setting_text(KEYS["queue"].setting.example))
        self.editors: dict[str, FieldEditor] = {
            name: described(key, queue, lambda: queue.currentText().strip(), queue.setCurrentText,
                            queue.currentTextChanged) if name == "queue" else editor_for(key)
            for name, key in KEYS.items()}
        self.editors["kind"].changed.connect(self._on_kind)

        self.form = QWidget()
        form = QFormLayout(self.form)
        for editor in self.editors.values():
            form.addRow(editor.label, editor.widget)

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
    def field(self, name: str) -> QWidget:
        """The selected profile's widget for the key ``name`` (``kind``, ``host``...)."""
        return self.editors[name].widget

    def profiles(self) -> tuple[PrinterProfile, ...]:
        self._commit()
        return tuple(self._profiles)

    def default_profile(self) -> str:
        self._commit()
        return self._default

    # -- editing -----------------------------------------------------------------------------------
    def add_profile(self) -> None:
        self._commit()
        name = unique_name(_(NEW_PRINTER.name), {p.name for p in self._profiles})  # i18n: marked above
        self._profiles.append(replace(NEW_PRINTER, name=name))
        if not self._default:
            self._default = name
        self._fill_list()
        self.printer_list.setCurrentRow(len(self._profiles) - 1)
        name_field = self.field("name")
        name_field.setFocus()
        if isinstance(name_field, QLineEdit):
            name_field.selectAll()

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
        values = {name: editor.value() for name, editor in self.editors.items()}
        name = unique_name(values.pop("name") or _(NEW_PRINTER.name), others)  # i18n: marked above
        self._profiles[i] = replace(old, name=name, **values)
        if old.name == self._default:
            self._default = name
        item = self.printer_list.item(i)
        if item is not None:
            self._label_item(item, self._profiles[i])

    def _on_row(self, row: int) -> None:
        self._commit()
        self._current = row
        if 0 <= row < len(self._profiles):
            profile = self._profiles[row]
            for name, editor in self.editors.items():
                editor.set_value(plain(getattr(profile, name)))
            self._on_kind()
        self._update_enabled()

    def _on_kind(self) -> None:
        kind = PrinterKind(self.editors["kind"].value())
        fixed = FIXED_FORMAT.get(kind)
        if fixed:
            self.editors["label_format"].set_value(fixed)
        self.field("label_format").setEnabled(fixed is None)
        self.field("queue").setEnabled(kind in (PrinterKind.SYSTEM, PrinterKind.LOCAL))
        self.field("host").setEnabled(kind is PrinterKind.NETWORK)
        self.field("port").setEnabled(kind is PrinterKind.NETWORK)

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
        item.setText(_(DEFAULT_MARK).format(name=p.name) if is_default else p.name)  # i18n: marked above
        item.setToolTip(kind_text(p.kind))
        font = QFont(item.font())
        font.setBold(is_default)
        item.setFont(font)
        item.setData(Qt.ItemDataRole.UserRole, p.name)

    def _update_enabled(self) -> None:
        has = self.printer_list.currentRow() >= 0
        self.form.setEnabled(has)
        self.remove_button.setEnabled(has)
        self.default_button.setEnabled(has)
