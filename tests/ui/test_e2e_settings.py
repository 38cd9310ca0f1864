"""End to end: the settings dialog, opened from the window's toolbar, checks the Acumatica connection."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from shipdesk.ui.dialogs.settings_dialog import SettingsDialog
from tests.ui.e2e_support import WAIT_MS, RunningApp, when_dialog_opens


@pytest.fixture
def app(qtbot):
    running = RunningApp(qtbot)
    yield running
    running.close()


def test_a_wrong_endpoint_version_is_named_with_the_versions_the_instance_has(qtbot, app):
    seen: dict[str, str] = {}

    def test_with_wrong_version(dialog: SettingsDialog) -> None:
        try:
            dialog.field("acumatica.version").setText("21.100.001")
            dialog.secret_fields["acumatica.password"].setText("demo")
            qtbot.mouseClick(dialog.acu_test, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: dialog.acu_test.isEnabled(), timeout=WAIT_MS)  # the check is over
            seen["result"] = dialog.acu_result.text()
        finally:
            dialog.reject()  # nothing is saved

    opener = when_dialog_opens(SettingsDialog, test_with_wrong_version)
    app.window.commands.by_name["settings"].trigger()  # returns when the (modal) dialog is closed
    opener.stop()
    result = seen["result"]
    assert "21.100.001" in result  # the version tried
    for available in ("22.200.001", "23.200.001", "24.200.001"):  # and the ones to choose from
        assert available in result, result
    # nothing was saved: the running app still uses the right version
    assert app.services.editable_config.acumatica.version == "24.200.001"
