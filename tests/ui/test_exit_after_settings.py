"""Opening Settings must not make the app crash when it quits.

The crash came at interpreter exit (a segfault after "QObject: shared QObject was deleted directly"), after
every test had passed, so each case runs the app in its own Python process and checks how that ends.
The crash did not come every time (teardown order varies), so each case runs a few times.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
RUNS = 3

THROUGH_THE_WINDOW = """
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from shipdesk.ui.window.main_window import MainWindow
    from tests.ui.fakes import FakeServices

    app = QApplication([])
    def run():
        window = MainWindow(FakeServices())
        window.show()
        def open_and_cancel_settings():
            QTimer.singleShot(100, lambda: QApplication.activeModalWidget().reject())
            window.open_settings()
            QTimer.singleShot(50, window.close)
        QTimer.singleShot(100, open_and_cancel_settings)
        return app.exec()
    print("window closed with", run(), flush=True)
"""

AT_FIRST_RUN = """
    import argparse
    from shipdesk.ui import app as app_module
    from shipdesk.ui.dialogs import first_run, settings_dialog

    def choose_setup(dialog):
        dialog.choice = first_run.SETUP
        return 1
    first_run.FirstRunDialog.exec = choose_setup
    settings_dialog.SettingsDialog.exec = lambda dialog: 0  # the admin cancels the settings
    app_module._headless = lambda: False  # the first-run question is asked only with a screen
    print("app returned", app_module.run_app(argparse.Namespace(demo=False, config=None)), flush=True)
"""


def _run(script: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO),
           "SHIPDESK_DATA_DIR": str(tmp_path / "data"), "SHIPDESK_CONFIG": str(tmp_path / "shipdesk.toml")}
    return subprocess.run([sys.executable, "-c", textwrap.dedent(script)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("script", [THROUGH_THE_WINDOW, AT_FIRST_RUN], ids=["window", "first-run"])
def test_the_app_quits_cleanly_after_settings_were_opened(script, tmp_path):
    for run in range(RUNS):
        ended = _run(script, tmp_path / str(run))
        output = ended.stdout + ended.stderr
        assert " 0" in ended.stdout, output  # the app itself finished normally
        assert ended.returncode == 0, output  # and the process did not crash on the way out
        assert "shared QObject was deleted directly" not in output
