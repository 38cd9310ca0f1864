"""An array of settings tables (``[[packing.boxes]]``, ``[[packing.option_defaults]]``) as a grid: one row per
table, one column per declared key, each cell the key's own editor (``settings_fields.editor_for``), so the
grid follows the declarations as the dialog's forms do."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTableWidget, QVBoxLayout, QWidget

from shipdesk.core.settings.schema import Table, keys_of, plain
from shipdesk.i18n import _
from shipdesk.ui.dialogs.settings_fields import FieldEditor, editor_for, setting_text


class TableRowsEditor(QWidget):
    def __init__(self, table: type[Table], rows: tuple[Table, ...], add_text: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.keys = keys_of(table)
        self.editors: list[list[FieldEditor]] = []
        self.grid = QTableWidget(0, len(self.keys))
        self.grid.setHorizontalHeaderLabels([setting_text(key.setting.label) or key.name for key in self.keys])
        self.grid.verticalHeader().setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.grid)
        buttons = QHBoxLayout()
        self.add_button, self.remove_button = QPushButton(add_text), QPushButton(_("Remove"))
        self.add_button.clicked.connect(lambda: self.add_row({}))
        self.remove_button.clicked.connect(self.remove_selected)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        for row in rows:
            self.add_row(plain(row))
        self.grid.resizeColumnsToContents()

    def add_row(self, values: dict[str, Any]) -> None:
        row = self.grid.rowCount()
        self.grid.insertRow(row)
        editors = []
        for column, key in enumerate(self.keys):
            editor = editor_for(key)
            default = plain(key.default) if key.has_default else ""
            editor.set_value(values.get(key.name, default))
            self.grid.setCellWidget(row, column, editor.widget)
            editors.append(editor)
        self.editors.append(editors)

    def remove_selected(self) -> None:
        row = self.grid.currentRow()
        if 0 <= row < len(self.editors):
            self.grid.removeRow(row)
            del self.editors[row]

    def values(self) -> list[dict[str, Any]]:
        """The rows as the config file holds them (checked with the rest when the dialog saves)."""
        return [{key.name: editor.value() for key, editor in zip(self.keys, row, strict=True)}
                for row in self.editors]
