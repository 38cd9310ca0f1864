"""The clerk's dialogs speak the chosen language and the warehouse's units.

A stand-in catalogue marks every text it translates (``«...»``), so a text a person reads that did not go
through the catalogue shows up unmarked, whatever the real catalogues hold today.
"""

from __future__ import annotations

import gettext
from dataclasses import replace

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QWidget,
)

from shipdesk.core.settings.config import Language
from shipdesk.i18n import language
from shipdesk.ui.bridge import TaskBridge
from shipdesk.ui.dialogs.address_dialog import AddressDialog
from shipdesk.ui.dialogs.pack_dialog import PackDialog
from shipdesk.ui.dialogs.settings_dialog import SettingsDialog
from tests.ui.fakes import FakeServices
from tests.ui.test_address_dialog import CHECK

QT_WORDS = {"Cancel", "&Cancel", "Close", "&Close", "OK", "&OK", "Save", "&Save"}


class Marking(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return f"«{message}»"

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return f"«{msgid1 if n == 1 else msgid2}»"


@pytest.fixture
def marked(monkeypatch):
    monkeypatch.setattr(language, "_translations", Marking())


def shown_texts(dialog: QWidget) -> list[str]:
    """The words a person reads on the dialog: labels, buttons, check boxes, group titles (Qt's own buttons,
    Cancel and Close, are translated by Qt's catalogue)."""
    qts = {b for box in dialog.findChildren(QDialogButtonBox) for b in box.buttons()
           if box.standardButton(b) is not QDialogButtonBox.StandardButton.NoButton and b.text() in QT_WORDS}
    texts = [dialog.windowTitle()]
    texts += [w.text() for w in dialog.findChildren(QLabel) if w.text()]
    texts += [w.text() for w in dialog.findChildren(QAbstractButton) if w.text() and w not in qts]
    texts += [w.title() for w in dialog.findChildren(QGroupBox) if w.title()]
    return texts


def test_the_pack_dialog_shows_the_shipments_weight_unit_and_its_length_unit(qtbot):
    services = FakeServices()
    for unit, weight, length in (("KG", "kg", "cm"), ("LBS", "lb", "in")):
        view = replace(services.packing("SH000007"), weight_unit=unit)
        dialog = PackDialog(view, lambda u=unit: services.weigh(u), TaskBridge())
        qtbot.addWidget(dialog)
        headers = [dialog.table.horizontalHeaderItem(c).text() for c in range(dialog.table.columnCount())]
        assert headers == ["Box", f"Weight ({weight})", f"Length ({length})", f"Width ({length})",
                           f"Height ({length})"]


def test_every_word_of_the_pack_dialog_goes_through_the_catalogue(qtbot, marked):
    services = FakeServices()
    dialog = PackDialog(services.packing("SH000007"), lambda: services.weigh("LB"), TaskBridge())
    qtbot.addWidget(dialog)
    texts = shown_texts(dialog)
    texts += [dialog.table.horizontalHeaderItem(c).text() for c in range(dialog.table.columnCount())]
    texts += [dialog.signature.itemText(i) for i in range(dialog.signature.count())]
    texts += [dialog.reason.placeholderText(), dialog.weigh_button.toolTip()]
    assert texts and [t for t in texts if "«" not in t] == []


def test_every_word_of_the_address_dialog_goes_through_the_catalogue(qtbot, marked):
    dialog = AddressDialog(CHECK)
    qtbot.addWidget(dialog)
    texts = [t for t in shown_texts(dialog) if t != dialog.findChild(QLabel, "enteredAddress").text()]
    texts += [dialog.candidates.item(i).text() for i in range(dialog.candidates.count())]
    assert [t for t in texts if "«" not in t] == []


def test_the_settings_dialog_shows_the_declarations_through_the_catalogue(qtbot, marked):
    dialog = SettingsDialog(FakeServices(), TaskBridge())
    qtbot.addWidget(dialog)
    tabs = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    labels = []
    for form in dialog.findChildren(QFormLayout):
        for row in range(form.rowCount()):
            item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            if item is not None and isinstance(item.widget(), QLabel) and item.widget().text():
                labels.append(item.widget().text())
    choices = [combo.itemText(i) for combo in dialog.findChildren(QComboBox) if not combo.isEditable()
               for i in range(combo.count())]
    boxes = [box.text() for box in dialog.findChildren(QCheckBox)]
    tooltips = [editor.widget.toolTip() for editor in dialog.editors.values() if editor.key.setting.help]
    assert len(labels) > 30 and len(tooltips) > 30
    unmarked = [t for t in (*tabs, *labels, *boxes, *tooltips) if "«" not in t]
    # a choice list may hold codes (UPS service codes, system printers): only declared choices are words
    assert unmarked == [] and any(c == "«Pounds (lb)»" for c in choices)


def test_the_language_and_units_tab_says_the_language_changes_at_the_next_start(qtbot):
    dialog = SettingsDialog(FakeServices(), TaskBridge())
    qtbot.addWidget(dialog)
    tabs = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    dialog.tabs.setCurrentIndex(tabs.index("Language and units"))
    note = dialog.findChild(QLabel, "regionNote")
    assert note is not None and "started again" in note.text()
    language_field = dialog.field("region.language")
    assert isinstance(language_field, QComboBox)
    language_field.setCurrentIndex(language_field.findData("fr"))
    assert dialog.edited_config().region.language is Language.FRENCH
