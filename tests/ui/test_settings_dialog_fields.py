"""The settings dialog's fields are made from the declarations: every declared key has one, it shows the
value and gives it back, and its label, range and tooltip are the declaration's."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from PySide6.QtWidgets import QLabel

from shipdesk.core.settings.config import Config, PrinterProfile, check_settings
from shipdesk.core.settings.schema import Key, Kind, find, keys_of, plain, sections
from shipdesk.ui.bridge import TaskBridge
from shipdesk.ui.dialogs.settings_dialog import HAND_MADE, SettingsDialog
from tests.ui.fakes import FakeServices

WAIT = 5000
#: the keys the dialog makes a field for: all but data tables, arrays of tables and the hand-made ones
#: (the keys of arrays of tables have their fields in the array's own editor: printer profiles, boxes)
ARRAYS = {f"{section}.{key.name}" for section, _cls, keys in sections(Config) for key in keys
          if key.kind is Kind.TABLES}
FIELDS = [f"{section}.{key.name}" for section, _cls, keys in sections(Config) if section
          for key in keys if key.kind not in (Kind.TABLE, Kind.TABLES, Kind.DATA_TABLE)
          and f"{section}.{key.name}" not in HAND_MADE and section not in ARRAYS]


def other_than_default(key: Key) -> object:
    """A valid value of ``key`` that is not its default (as the config file holds it)."""
    about, default = key.setting, plain(key.default)
    if key.kind is Kind.FLAG:
        return not default
    if key.kind in (Kind.WHOLE, Kind.NUMBER):
        return default + 1 if about.high is None or default + 1 <= about.high else default - 1
    if key.kind is Kind.CHOICE:
        return next(m.value for m in key.item if m.value != default)
    if key.kind is Kind.TEXTS:
        return ["First", "Second"]
    if about.web_address:
        return "https://erp.example.com/AcumaticaERP"
    if "://" in about.example:  # an address with a shape of its own ([store] url): the declared example
        return about.example
    if about.pattern and about.example != default and re.fullmatch(about.pattern, about.example):
        return about.example  # a text of a given form: its example (when it is a value, not a description)
    if about.max_length:  # a short code: two letters, or as many as its form wants ([region] currency)
        return "AB" if not about.pattern or re.fullmatch(about.pattern, "AB") else "ABC"[:about.max_length]
    return f"{key.name} edited"


def dialog_for(qtbot, config: Config) -> SettingsDialog:
    services = FakeServices(_config=config)
    dialog = SettingsDialog(services, TaskBridge())
    qtbot.addWidget(dialog)
    return dialog


@pytest.fixture
def everything_changed() -> Config:
    """A config in which every key the dialog shows has a value other than its default."""
    data = plain(Config())
    for path in FIELDS:
        *where, name = path.split(".")
        table = data
        for part in where:
            table = table[part]
        table[name] = other_than_default(find(Config, path))
    printer = PrinterProfile(name="Dock 1", kind="network", label_format="ZPL", host="10.0.0.9", port=9101)
    data["printing"].update(profiles=[plain(printer)], default_profile="Dock 1")
    data["ups"].update(label_format="ZPL", services={"UPSGROUND": "03"})
    return check_settings(data, "the test")


def test_every_declared_key_has_a_field(qtbot):
    dialog = dialog_for(qtbot, Config())
    assert sorted(dialog.editors) == sorted(FIELDS)
    assert sorted(dialog.printers.editors) == sorted(key.name for key in keys_of(PrinterProfile))
    assert len(FIELDS) > 40


def test_every_generated_field_shows_its_value_and_gives_it_back(qtbot, everything_changed):
    dialog = dialog_for(qtbot, everything_changed)

    assert dialog.edited_config() == everything_changed
    for path in FIELDS:
        assert dialog.editors[path].value() == plain(other_than_default(find(Config, path))), path


def test_a_changed_field_reaches_the_saved_config_and_looks_as_declared(qtbot):
    dialog = dialog_for(qtbot, Config())
    cadence = dialog.field("sync.poll_every_minutes")
    declared = find(Config, "sync.poll_every_minutes").setting

    cadence.setValue(90)

    assert dialog.edited_config().sync.poll_every_minutes == 90
    assert (cadence.minimum(), cadence.maximum(), cadence.suffix()) == (1, 7 * 24 * 60, " minutes")
    labels = [label.text() for label in dialog.findChildren(QLabel) if label.buddy() is cadence]
    assert labels == [declared.label]
    assert "asked from UPS again" in cadence.toolTip()


def test_a_wrong_value_is_named_and_nothing_is_saved(qtbot):
    services = FakeServices()
    dialog = SettingsDialog(services, TaskBridge())
    qtbot.addWidget(dialog)
    dialog.field("acumatica.url").setText("acme.acumatica.com")

    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()

    assert "In the settings, [acumatica] url must be a web address starting with https://" in (
        dialog.save_result.text())
    assert services.saved == [] and dialog.result() != SettingsDialog.DialogCode.Accepted


def test_an_empty_optional_field_means_its_default(qtbot):
    dialog = dialog_for(qtbot, replace(Config(), sync=replace(Config().sync, concurrency=8)))
    dialog.field("acumatica.endpoint").setText("")
    dialog.field("sync.listener.path").setText("  ")

    config = dialog.edited_config()

    assert (config.acumatica.endpoint, config.sync.listener.path) == ("Default", "/ups/track-alert")
    assert config.sync.concurrency == 8
