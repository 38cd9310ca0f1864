"""Help › Check for updates… and the quiet check at start, against IT's manifest on a local web server."""

from __future__ import annotations

import dataclasses
import hashlib
import json

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox

from shipdesk.core.settings.config import UpdatesConfig
from shipdesk.ui import update_check
from tests.install.test_updates import Intranet

WAIT_MS = 10_000
INSTALLER = b"MZ the next shipdesk installer" * 200


@pytest.fixture
def intranet():
    server = Intranet()
    yield server
    server.close()


@pytest.fixture
def dialogs(monkeypatch, tmp_path):
    """The message boxes and the folder opened, recorded; questions answered with ``answer``."""
    shown: dict[str, list] = {"asked": [], "told": [], "opened": []}
    answer = {"yes": True}

    def question(parent, title, text, buttons):
        shown["asked"].append(text)
        return QMessageBox.StandardButton.Yes if answer["yes"] else QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: shown["told"].append(text))
    monkeypatch.setattr(update_check.QDesktopServices, "openUrl", lambda url: shown["opened"].append(url.toLocalFile()))
    monkeypatch.setattr(update_check, "DOWNLOADS", tmp_path / "downloads")
    shown["answer"] = answer  # type: ignore[assignment]
    return shown


def publish(intranet: Intranet, fake_services, version: str) -> None:
    intranet.files["/shipdesk/shipdesk-setup.exe"] = (200, INSTALLER)
    intranet.files["/shipdesk/latest.json"] = (200, json.dumps({
        "version": version, "url": f"{intranet.url}/shipdesk/shipdesk-setup.exe",
        "sha256": hashlib.sha256(INSTALLER).hexdigest(), "notes": "Labels print faster."}).encode())
    fake_services._config = dataclasses.replace(
        fake_services._config, updates=UpdatesConfig(manifest=f"{intranet.url}/shipdesk/latest.json"))


def help_action(window) -> QAction:
    """Help › Check for updates…, found in the menu bar as a clerk finds it."""
    (help_menu,) = [a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "Help"]
    (action,) = [a for a in help_menu.actions() if a.text() == "Check for updates…"]
    return action


def test_help_check_offers_the_newer_version_and_fetches_its_checked_installer(window, qtbot, intranet,
                                                                                fake_services, dialogs, tmp_path):
    publish(intranet, fake_services, "99.0")

    help_action(window).trigger()
    qtbot.waitUntil(lambda: bool(dialogs["told"]), timeout=WAIT_MS)

    (question,) = dialogs["asked"]
    assert "shipdesk 99.0 is available" in question and "Labels print faster." in question
    installer = tmp_path / "downloads" / "shipdesk-setup.exe"
    assert installer.read_bytes() == INSTALLER  # downloaded and checked against the manifest's SHA-256
    assert dialogs["told"] == [f"The shipdesk 99.0 installer is checked and ready: {installer}"]
    assert dialogs["opened"] == [str(installer.parent)]  # not Windows: the folder is shown, nothing is run
    assert window.isVisible()


def test_declining_downloads_nothing(window, qtbot, intranet, fake_services, dialogs, tmp_path):
    publish(intranet, fake_services, "99.0")
    dialogs["answer"]["yes"] = False

    help_action(window).trigger()
    qtbot.waitUntil(lambda: bool(dialogs["asked"]) and not window.updates.running, timeout=WAIT_MS)

    assert not (tmp_path / "downloads").exists() and dialogs["told"] == []


def test_the_check_at_start_says_nothing_unless_there_is_a_newer_version(window, qtbot, intranet, fake_services,
                                                                         dialogs):
    publish(intranet, fake_services, "0.0.1")
    window.updates.check(quiet=True)
    qtbot.waitUntil(lambda: window.updates.last is not None and not window.updates.running, timeout=WAIT_MS)
    assert window.updates.last.status is update_check.UpdateStatus.UP_TO_DATE
    assert dialogs["asked"] == dialogs["told"] == []

    help_action(window).trigger()  # asked for: the answer is shown
    qtbot.waitUntil(lambda: bool(dialogs["told"]), timeout=WAIT_MS)
    assert "up to date" in dialogs["told"][0]


def test_a_manifest_that_cannot_be_read_is_a_sentence_only_when_asked(window, qtbot, intranet, fake_services,
                                                                      dialogs):
    fake_services._config = dataclasses.replace(
        fake_services._config, updates=UpdatesConfig(manifest=f"{intranet.url}/gone/latest.json"))

    window.updates.check(quiet=True)
    qtbot.waitUntil(lambda: window.updates.last is not None and not window.updates.running, timeout=WAIT_MS)
    assert dialogs["told"] == []

    help_action(window).trigger()
    qtbot.waitUntil(lambda: bool(dialogs["told"]), timeout=WAIT_MS)
    assert "404" in dialogs["told"][0]
