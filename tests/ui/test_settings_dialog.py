"""The settings dialog: Test connection shows core's sentence; saving sends config and secrets."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QTextDocument

from shipdesk.errors import AuthenticationFailed, EndpointVersionNotFound, ServerError
from shipdesk.ui.bridge import TaskBridge
from shipdesk.ui.dialogs.settings_dialog import SettingsDialog

WAIT = 5000


@pytest.fixture
def dialog(qtbot, fake_services):
    bridge = TaskBridge()
    dlg = SettingsDialog(fake_services, bridge)
    qtbot.addWidget(dlg)
    yield dlg
    bridge.wait_for_done(WAIT)


def test_failing_acumatica_test_shows_the_sentence_from_core(qtbot, dialog, fake_services):
    sentence = ("Acumatica has no endpoint Default/21.100.001. The instance publishes Default 23.200.001, "
                "24.200.001: set one of them as the version.")
    fake_services.failures["test_acumatica"] = EndpointVersionNotFound(
        sentence, tried="Default/21.100.001", available=["23.200.001", "24.200.001"])
    dialog.field("acumatica.version").setText("21.100.001")
    dialog.acu_test.click()
    qtbot.waitUntil(lambda: "24.200.001: set one" in dialog.acu_result.text(), timeout=WAIT)
    assert sentence in dialog.acu_result.text()
    assert dialog.acu_test.isEnabled()


def test_failing_ups_test_shows_the_sentence_and_uses_the_typed_settings(qtbot, dialog, fake_services):
    sentence = ("UPS refused the client credentials (250002 Invalid Authentication Information): add the "
                "APIs to your app in the UPS developer portal.")
    fake_services.failures["test_ups"] = AuthenticationFailed(sentence, service="UPS", code="250002")
    dialog.ups_env.setCurrentText("Test (customer integration)")
    dialog.ups_test.click()
    qtbot.waitUntil(lambda: "250002" in dialog.ups_result.text(), timeout=WAIT)
    assert sentence in dialog.ups_result.text()
    assert fake_services.called("test_ups") == [("https://wwwcie.ups.com",)]


def test_a_sentence_with_markup_characters_is_shown_as_written(qtbot, dialog, fake_services):
    sentence = "Acumatica answered <html><title>502</title> at https://acme.example/?a=1&b=2 instead of JSON."
    fake_services.failures["test_acumatica"] = ServerError(sentence, service="Acumatica", status=502)
    dialog.acu_test.click()
    qtbot.waitUntil(lambda: dialog.acu_test.isEnabled(), timeout=WAIT)
    shown = QTextDocument()
    shown.setHtml(dialog.acu_result.text())
    assert sentence in shown.toPlainText()


def test_a_passing_test_says_what_worked(qtbot, dialog):
    dialog.acu_test.click()
    qtbot.waitUntil(lambda: "Signed in to Acumatica." in dialog.acu_result.text(), timeout=WAIT)


def test_fetch_ship_via_codes_adds_the_missing_ones(qtbot, dialog):
    table = dialog.ship_vias.table
    before = table.rowCount()
    dialog.ship_vias.fetch_button.click()
    qtbot.waitUntil(lambda: table.rowCount() == before + 1, timeout=WAIT)  # FEDEX is new
    assert table.item(before, 0).text() == "FEDEX"
    assert "FEDEX" not in dialog.ship_vias.service_map()  # not mapped until a UPS service is picked
    assert "FEDEX" not in dialog.edited_config().ups.services


def test_save_sends_the_edited_config_and_only_typed_secrets(qtbot, dialog, fake_services):
    dialog.field("acumatica.url").setText("https://acme.acumatica.com/")
    dialog.secret_fields["acumatica.password"].setText("s3cret")
    dialog.field("sync.interval_minutes").setValue(5)
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT):
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    config, secrets = fake_services.saved[-1]
    assert config.acumatica.url == "https://acme.acumatica.com"
    assert config.sync.interval_minutes == 5
    assert config.ups.services == fake_services.editable_config.ups.services
    assert secrets == {"acumatica.password": "s3cret"}


def test_a_failed_save_keeps_the_dialog_open_with_the_reason(qtbot, dialog, fake_services):
    from shipdesk.errors import ConfigError

    fake_services.failures["save_settings"] = ConfigError("The config file /x/config.toml cannot be written.")
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    qtbot.waitUntil(lambda: "cannot be written" in dialog.save_result.text(), timeout=WAIT)
    assert dialog.result() != SettingsDialog.DialogCode.Accepted


def test_the_label_format_follows_the_printer_type(dialog):
    kind, label_format = dialog.field("printing.profiles.kind"), dialog.field("printing.profiles.label_format")
    kind.setCurrentIndex(kind.findData("network"))
    assert label_format.currentText() == "ZPL"
    assert not label_format.isEnabled() and dialog.field("printing.profiles.host").isEnabled()
    dialog.field("printing.profiles.host").setText("10.0.0.42")
    printing = dialog.edited_config().printing
    assert printing.profile().kind == "network" and printing.profile().host == "10.0.0.42"
    assert printing.profile().label_format == "ZPL"
    kind.setCurrentIndex(kind.findData("system"))
    assert label_format.currentText() == "GIF"


def test_the_shared_store_tab_holds_the_address_the_password_and_this_stations_name(qtbot, dialog, fake_services):
    tabs = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert "Shared store" in tabs and "This station" not in tabs  # the station's name sits with its store
    dialog.field("store.url").setText("postgresql://shipdesk@db.example.local:5432/shipdesk")
    dialog.secret_fields["store.password"].setText("pg-s3cret")
    dialog.field("station.name").setText("PACK-02")

    dialog.store_test.click()
    qtbot.waitUntil(lambda: "Connected to PostgreSQL." in dialog.store_result.text(), timeout=WAIT)
    assert fake_services.called("test_store") == [
        ("postgresql://shipdesk@db.example.local:5432/shipdesk", {"store.password": "pg-s3cret"})]

    with qtbot.waitSignal(dialog.accepted, timeout=WAIT):
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    config, secrets = fake_services.saved[-1]
    assert config.store.url == "postgresql://shipdesk@db.example.local:5432/shipdesk"
    assert config.station.name == "PACK-02"
    assert secrets == {"store.password": "pg-s3cret"}  # to the keyring, never into the file


def test_a_store_that_cannot_be_reached_is_said_in_the_tab(qtbot, dialog, fake_services):
    from shipdesk.errors import StoreError

    sentence = ("shipdesk cannot open the shared store shipdesk@db:5432/shipdesk: it cannot be reached "
                "(connection refused). Check that PostgreSQL runs on db, listens on port 5432.")
    fake_services.failures["test_store"] = StoreError(sentence)
    dialog.field("store.url").setText("postgresql://shipdesk@db:5432/shipdesk")
    dialog.store_test.click()
    qtbot.waitUntil(lambda: "cannot be reached" in dialog.store_result.text(), timeout=WAIT)
    dialog.field("store.url").setText("postgresql://shipdesk:pw@db/shipdesk")  # a password typed into it
    dialog.store_test.click()
    qtbot.waitUntil(lambda: "without a password" in dialog.store_result.text(), timeout=WAIT)
    assert "pw@" not in dialog.store_result.text()
