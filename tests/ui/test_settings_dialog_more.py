"""The settings dialog's printer profiles, Track Alert/listener settings and demo-mode behaviour."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from shipdesk.core.settings.config import AcumaticaConfig, Config, PrinterProfile, PrintingConfig
from shipdesk.ui.bridge import TaskBridge
from shipdesk.ui.dialogs.printer_profiles import unique_name
from shipdesk.ui.dialogs.settings_dialog import SettingsDialog
from tests.ui.fakes import FakeServices

WAIT = 5000
REAL_CONFIG = Config(
    acumatica=AcumaticaConfig(url="https://acme.acumatica.com", company="ACME", username="shipdesk"),
    printing=PrintingConfig(profiles=(
        PrinterProfile(name="Dock 1 Zebra", kind="network", label_format="ZPL", host="10.0.4.21"),
        PrinterProfile(name="Office laser", kind="system", label_format="GIF"),
    ), default_profile="Dock 1 Zebra"),
)


@dataclass
class DemoServicesWithRealConfig(FakeServices):
    """Demo mode as the app runs it: talking to sandboxes, editing the user's real config file."""

    file_config: Config = field(default_factory=lambda: REAL_CONFIG)

    @property
    def editable_config(self) -> Config:
        return self.file_config


@pytest.fixture
def services() -> DemoServicesWithRealConfig:
    return DemoServicesWithRealConfig()


@pytest.fixture
def dialog(qtbot, services):
    bridge = TaskBridge()
    dlg = SettingsDialog(services, bridge)
    qtbot.addWidget(dlg)
    yield dlg
    bridge.wait_for_done(WAIT)


def _save(qtbot, dialog, services):
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT):
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    return services.saved[-1]


def test_demo_mode_is_announced_and_saves_only_the_real_config(qtbot, dialog, services):
    assert dialog.demo_banner.isVisibleTo(dialog) and "DEMO MODE" in dialog.demo_banner.text()
    assert "DEMO MODE" in dialog.windowTitle()
    assert dialog.field("acumatica.url").text() == "https://acme.acumatica.com"  # the real settings, not the demo's
    dialog.field("acumatica.username").setText("packer1")
    config, secrets = _save(qtbot, dialog, services)
    assert config.acumatica.url == "https://acme.acumatica.com"
    assert config.acumatica.username == "packer1"
    assert "127.0.0.1" not in config.ups.base_url and secrets == {}


def test_outside_demo_mode_there_is_no_banner(qtbot, services):
    services.demo = False
    dlg = SettingsDialog(services, TaskBridge())
    qtbot.addWidget(dlg)
    assert not dlg.demo_banner.isVisibleTo(dlg) and "DEMO" not in dlg.windowTitle()


def test_every_printer_profile_is_listed_with_the_default_marked(dialog):
    texts = [dialog.printers.printer_list.item(i).text() for i in range(dialog.printers.printer_list.count())]
    assert texts[0].startswith("Dock 1 Zebra") and "default" in texts[0]
    assert texts[1] == "Office laser"
    assert dialog.field("printing.profiles.host").text() == "10.0.4.21"  # the default profile is open for editing


def test_add_edit_make_default_and_remove_printers(qtbot, dialog, services):
    printers = dialog.printers
    printers.add_profile()
    kind, label_format = dialog.field("printing.profiles.kind"), dialog.field("printing.profiles.label_format")
    dialog.field("printing.profiles.name").setText("Dock 2 USB")
    kind.setCurrentIndex(kind.findData("local"))
    dialog.field("printing.profiles.queue").setCurrentText("zebra_usb")
    assert label_format.currentText() == "ZPL" and not label_format.isEnabled()
    printers.make_default()
    printers.printer_list.setCurrentRow(1)  # Office laser
    printers.remove_profile()
    config, _ = _save(qtbot, dialog, services)
    names = [p.name for p in config.printing.profiles]
    assert names == ["Dock 1 Zebra", "Dock 2 USB"]
    assert config.printing.default_profile == "Dock 2 USB"
    usb = config.printing.profile()
    assert (usb.kind, usb.queue, usb.label_format) == ("local", "zebra_usb", "ZPL")
    assert config.ups.label_format == "ZPL"  # UPS is asked for what the default printer takes


def test_removing_the_default_printer_makes_another_the_default(dialog):
    dialog.printers.remove_profile()  # Dock 1 Zebra, the default, is selected
    assert dialog.edited_config().printing.default_profile == "Office laser"
    assert dialog.edited_config().ups.label_format == "GIF"


def test_a_renamed_default_stays_default_and_names_stay_unique(dialog):
    dialog.field("printing.profiles.name").setText("Office laser")  # taken by the other profile
    printing = dialog.edited_config().printing
    assert [p.name for p in printing.profiles] == ["Office laser (2)", "Office laser"]
    assert printing.default_profile == "Office laser (2)"


def test_unique_name():
    assert unique_name("Zebra", set()) == "Zebra"
    assert unique_name("Zebra", {"Zebra", "Zebra (2)"}) == "Zebra (3)"


def test_track_alert_and_listener_settings_are_saved_with_the_listener_secret(qtbot, dialog, services):
    dialog.tabs.setCurrentIndex([dialog.tabs.tabText(i) for i in range(dialog.tabs.count())].index("Sync"))
    dialog.field("sync.track_alert").setChecked(True)
    dialog.field("sync.listener.enabled").setChecked(True)
    dialog.field("sync.listener.host").setText("0.0.0.0")
    dialog.field("sync.listener.port").setValue(9443)
    dialog.listener_secret.setText("hook-secret")
    config, secrets = _save(qtbot, dialog, services)
    assert config.sync.track_alert
    listener = config.sync.listener
    assert (listener.enabled, listener.host, listener.port, listener.credential_mode) == (
        True, "0.0.0.0", 9443, "token")
    assert secrets == {"track_alert.client_secret": "hook-secret"}


def test_the_v1_credential_mode_stores_the_credential_secret(dialog):
    mode = dialog.field("sync.listener.credential_mode")
    mode.setCurrentIndex(mode.findData("credential"))
    assert not dialog.field("sync.listener.token_url_path").isEnabled()
    dialog.listener_secret.setText("abc")
    assert dialog.edited_secrets() == {"track_alert.credential": "abc"}


def test_oauth_fields_show_only_for_oauth_sign_in(dialog):
    dialog.show()
    assert not dialog.field("acumatica.client_id").isVisible()
    auth = dialog.field("acumatica.auth")
    auth.setCurrentIndex(auth.findData("oauth"))
    assert dialog.field("acumatica.client_id").isVisible()
    assert dialog.secret_fields["acumatica.client_secret"].isEnabled()
