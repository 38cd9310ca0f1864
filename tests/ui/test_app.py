"""Starting the app: headless fallback, first run, and a clean stop on SIGTERM."""

from __future__ import annotations

import argparse
import os
import signal
import sys

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from shipdesk.ui import app as app_module
from shipdesk.ui.dialogs.first_run import DEMO, SETUP, FirstRunDialog


def test_headless_linux_falls_back_to_offscreen(monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    app_module.ensure_display()
    assert os.environ["QT_QPA_PLATFORM"] == "offscreen"


def test_a_display_is_used_when_there_is_one(monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.setenv("DISPLAY", ":0")
    app_module.ensure_display()
    assert "QT_QPA_PLATFORM" not in os.environ


@pytest.mark.parametrize(("button", "choice"), [("demo_button", DEMO), ("setup_button", SETUP)])
def test_first_run_offers_demo_or_set_up(qtbot, button, choice):
    dialog = FirstRunDialog()
    qtbot.addWidget(dialog)
    getattr(dialog, button).click()
    assert dialog.choice == choice
    assert dialog.result() == FirstRunDialog.DialogCode.Accepted


@pytest.fixture
def restore_signals():
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


def test_demo_app_starts_and_closes_cleanly_on_sigterm(qapp, monkeypatch, restore_signals):
    monkeypatch.delenv("SHIPDESK_DEMO_ACUMATICA_URL", raising=False)
    monkeypatch.delenv("SHIPDESK_DEMO_UPS_URL", raising=False)
    seen = {}

    def stop_when_filled():
        windows = [w for w in QApplication.topLevelWidgets() if type(w).__name__ == "MainWindow"
                   and w.isVisible()]
        if windows and windows[0].shipments.model.rowCount() > 0:
            seen["rows"] = windows[0].shipments.model.rowCount()
            seen["badge"] = windows[0].status.demo_badge.isVisible()
            os.kill(os.getpid(), signal.SIGTERM)
        else:
            QTimer.singleShot(50, stop_when_filled)

    QTimer.singleShot(0, stop_when_filled)
    guard = QTimer(singleShot=True, interval=60_000)
    guard.timeout.connect(qapp.quit)  # never hang the test run
    guard.start()
    code = app_module.run_app(argparse.Namespace(demo=True, config=None))
    guard.stop()
    assert code == 0
    assert seen["rows"] > 0 and seen["badge"]
