"""Widgets made from setting declarations: label, tooltip, placeholder, range and choices come from
``core.settings.config``, so the settings dialog writes none of them (and no default) itself. Their texts are
shown in the chosen language: ``python -m shipdesk.core.catalogue`` puts each declaration's label, help, unit
and choice texts in the catalogue, and :func:`setting_text` looks them up here.

``form_for`` lays out one settings table: a row per key, a group box per sub-table (checkable when
the sub-table's first key is its ``enabled`` switch). Each row's :class:`FieldEditor` reads and sets
the value as the config file holds it (text, number, true/false, a list of lines, a choice's text).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape
from typing import Any

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from shipdesk.core.settings.schema import Key, Kind, keys_of, plain
from shipdesk.i18n import _

_MARKDOWN = ((re.compile(r"\[([^\]]+)\]\([^)]+\)"), r"\1"), (re.compile(r"\*\*([^*]+)\*\*"), r"<b>\1</b>"),
             (re.compile(r"\*([^*]+)\*"), r"<i>\1</i>"), (re.compile(r"`([^`]+)`"), r"<code>\1</code>"))
_INT_LIMIT = 2**31 - 1


def setting_text(text: str) -> str:
    """A declaration's text (label, help, unit, choice) in the chosen language; the spaces around it kept."""
    core = text.strip()
    if not core:
        return text
    return text.replace(core, _(core), 1)  # i18n: the catalogue tool extracts the declarations' texts


@dataclass
class FieldEditor:
    """One declared key's widget, and its value as the config file holds it."""

    key: Key
    widget: QWidget
    value: Callable[[], Any]
    set_value: Callable[[Any], None]
    changed: SignalInstance  # emitted when the person changes the value

    @property
    def label(self) -> str:
        """The form row's label (a check box carries its own text)."""
        return "" if isinstance(self.widget, QCheckBox) else setting_text(self.key.setting.label)


def tooltip(help_text: str) -> str:
    """The declaration's Markdown help, in the chosen language, as tooltip rich text (links become their words)."""
    text = escape(setting_text(help_text), quote=False)
    for pattern, replacement in _MARKDOWN:
        text = pattern.sub(replacement, text)
    return f"<p>{text}</p>" if text else ""


def editor_for(key: Key) -> FieldEditor:
    about = key.setting
    editor = _make(key)
    editor.widget.setToolTip(tooltip(about.help))
    return editor


def described(key: Key, widget: QWidget, value: Callable[[], Any], set_value: Callable[[Any], None],
              changed: SignalInstance) -> FieldEditor:
    """A hand-made widget for a declared key (the printer queue's list of system printers)."""
    widget.setToolTip(tooltip(key.setting.help))
    return FieldEditor(key, widget, value, set_value, changed)


def _make(key: Key) -> FieldEditor:
    about = key.setting
    if key.kind is Kind.FLAG:
        box = QCheckBox(setting_text(about.label))
        return FieldEditor(key, box, box.isChecked, lambda v: box.setChecked(bool(v)), box.toggled)
    if key.kind is Kind.WHOLE:
        spin = QSpinBox()
        spin.setRange(int(about.low or 0), int(about.high if about.high is not None else _INT_LIMIT))
        spin.setSuffix(setting_text(about.unit))
        return FieldEditor(key, spin, spin.value, lambda v: spin.setValue(int(v)), spin.valueChanged)
    if key.kind is Kind.NUMBER:
        number = QDoubleSpinBox()
        number.setRange(about.low or 0.0, about.high if about.high is not None else float(_INT_LIMIT))
        number.setDecimals(1)
        number.setSuffix(setting_text(about.unit))
        return FieldEditor(key, number, number.value, lambda v: number.setValue(float(v)), number.valueChanged)
    if key.kind is Kind.CHOICE:
        combo = QComboBox()
        for member in key.item:
            combo.addItem(setting_text(about.choices[member]) if member in about.choices else member.value,
                          member.value)
        return FieldEditor(key, combo, combo.currentData,
                           lambda v: combo.setCurrentIndex(max(0, combo.findData(str(v)))), combo.currentIndexChanged)
    if key.kind is Kind.TEXTS:
        lines = QPlainTextEdit()
        lines.setPlaceholderText(_("one per line"))
        lines.setFixedHeight(lines.fontMetrics().lineSpacing() * 3 + 12)
        return FieldEditor(key, lines, lambda: [x.strip() for x in lines.toPlainText().splitlines() if x.strip()],
                           lambda v: lines.setPlainText("\n".join(v)), lines.textChanged)
    if key.kind is Kind.TEXT:
        line = QLineEdit()
        line.setPlaceholderText(setting_text(about.example))
        if about.max_length:
            line.setMaxLength(about.max_length)
        return FieldEditor(key, line, lambda: line.text().strip(), lambda v: line.setText(str(v)), line.textChanged)
    raise TypeError(f"{key.name}: a {key.kind.value} has no single widget")  # i18n: a programming error


def form_for(cls: type, section: str, values: Any, editors: dict[str, FieldEditor],
             skip: Iterable[str] = ()) -> QFormLayout:
    """Rows for the keys of the ``cls`` table at ``section`` (set to ``values``); editors land in ``editors``
    by dotted path. Keys in ``skip``, data tables and arrays of tables are left to the caller."""
    form = QFormLayout()
    for key in keys_of(cls):
        path = f"{section}.{key.name}"
        if path in skip or key.kind in (Kind.DATA_TABLE, Kind.TABLES):
            continue
        if key.kind is Kind.TABLE:
            form.addRow(_group(key, path, getattr(values, key.name), editors, skip))
            continue
        editor = editor_for(key)
        editor.set_value(plain(getattr(values, key.name)))
        editors[path] = editor
        form.addRow(editor.label, editor.widget)
    return form


def _group(key: Key, path: str, values: Any, editors: dict[str, FieldEditor], skip: Iterable[str]) -> QGroupBox:
    box = QGroupBox(setting_text(key.setting.label))
    box.setToolTip(tooltip(key.setting.help))
    first = keys_of(key.item)[0]
    if first.kind is Kind.FLAG and first.name == "enabled":  # the whole group is switched on and off
        box.setCheckable(True)
        box.setChecked(bool(values.enabled))
        editors[f"{path}.enabled"] = described(first, box, box.isChecked, lambda v: box.setChecked(bool(v)),
                                               box.toggled)
        skip = {*skip, f"{path}.enabled"}
    box.setLayout(form_for(key.item, path, values, editors, skip))
    return box
