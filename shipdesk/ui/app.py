"""Starting the desktop app: ``run_app(args)`` (``shipdesk`` with no command; ``args.demo``, ``args.config``).

- Headless Linux (no ``DISPLAY`` / ``WAYLAND_DISPLAY``): Qt's offscreen platform is used so the app still
  starts (for kiosks, remote checks and tests) and stays up until it is closed.
- Ctrl+C and SIGTERM close the window the normal way (running work finishes, Acumatica is signed out):
  a short timer lets Python run its signal handlers while Qt's event loop is in charge.
- Nothing configured: a first-run choice between demo mode and setting up.
- An exception raised in a slot goes to the log file and a dialog (``ui/unexpected.py``), never only to
  a console nobody reads.
"""

from __future__ import annotations

import argparse
import faulthandler
import importlib
import logging
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, TextIO

from PySide6.QtCore import QCoreApplication, QEvent, QMessageLogContext, QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMessageBox

from shipdesk.core.logfile import log_to_file
from shipdesk.core.settings.config import Config, load_config
from shipdesk.core.settings.paths import DataPaths, Locations, locations
from shipdesk.errors import ConfigError, ShipdeskError
from shipdesk.i18n import _, use_language
from shipdesk.ui.single_instance import SingleInstance, ask_running_copy_to_show
from shipdesk.ui.stall_watch import stall_watch_from_env
from shipdesk.ui.translation import install_qt_translations
from shipdesk.ui.unexpected import install_excepthook

if TYPE_CHECKING:
    from shipdesk.demo import Sandboxes
    from shipdesk.ui.core_services import CoreServices
    from shipdesk.ui.services import Services

log = logging.getLogger(__name__)

EXIT_OK, EXIT_CONFIG = 0, 2
SIGNAL_POLL_MS = 250


def ensure_display() -> None:
    """Use the offscreen platform on a Linux box without a display, instead of failing to start."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        log.warning("No display found (DISPLAY and WAYLAND_DISPLAY are not set): running offscreen. "
                    "Close it with Ctrl+C or SIGTERM.")


def _headless() -> bool:
    return os.environ.get("QT_QPA_PLATFORM", "").startswith(("offscreen", "minimal"))


_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}
#: Qt chatter that says nothing to a user (the offscreen plugin repeats it for every window)
_QT_NOISE = ("propagateSizeHints",)


def _qt_message(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    """Qt's own warnings go to shipdesk's log like everything else, not raw to the console."""
    level = logging.DEBUG if any(n in message for n in _QT_NOISE) else _QT_LEVELS.get(kind, logging.INFO)
    logging.getLogger("qt").log(level, "%s", message)


_crash_file: TextIO | None = None  # kept open for faulthandler for the whole run


def log_crashes(paths: DataPaths) -> None:
    """A hard crash (SIGSEGV, SIGABRT from Qt's fatal messages) writes every thread's Python stack to
    ``logs/crash.log``: a start-up abort under Xvfb left nothing to read before."""
    global _crash_file
    try:
        paths.logs.mkdir(parents=True, exist_ok=True)
        _crash_file = open(paths.logs / "crash.log", "a", encoding="utf-8")  # noqa: SIM115 (open for the run)
    except OSError as exc:
        log.warning("cannot write crash stacks in %s: %s", paths.logs, exc)
        return
    faulthandler.enable(_crash_file, all_threads=True)


def install_signal_handlers(close: Callable[[], object]) -> QTimer:
    """SIGINT/SIGTERM call ``close`` on the GUI thread. The returned timer must be kept alive."""

    def handler(_signum: int, _frame: FrameType | None) -> None:
        QTimer.singleShot(0, close)

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)
    timer = QTimer()
    timer.timeout.connect(lambda: None)  # wakes the interpreter so pending signal handlers run
    timer.start(SIGNAL_POLL_MS)
    return timer


class _Started:
    """What ``run_app`` started and must stop at the end (sandboxes in demo mode)."""

    def __init__(self) -> None:
        self.sandboxes: Sandboxes | None = None

    def stop(self) -> None:
        if self.sandboxes is not None:
            self.sandboxes.stop()
            self.sandboxes = None


def _services(config: Config, file_config: Config, where: Locations, *, demo: bool,
              started: _Started) -> CoreServices:
    from shipdesk.core.context import AppContext
    from shipdesk.ui.core_services import CoreServices

    if demo:
        from shipdesk.demo.launcher import demo_context

        context, started.sandboxes = demo_context(where.data)
        log.info("demo mode: sandboxes at %s and %s, data in %s", context.config.acumatica.url,
                 context.config.ups.base_url, context.paths.root)
    else:
        context = AppContext.from_config(config, data_dir=where.data)
    return CoreServices(context, config_path=where.config, file_config=file_config)


def _x_display_problem() -> str:
    """What keeps Qt's xcb plugin from connecting, when it would (it aborts the process instead of saying)."""
    display = os.environ.get("DISPLAY", "")
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if not sys.platform.startswith("linux") or not display or (platform and not platform.startswith("xcb")):
        return ""
    if not platform and os.environ.get("WAYLAND_DISPLAY"):
        return ""  # Qt may take Wayland
    from shipdesk.ui.x_display import display_problem

    return display_problem(display)


def run_app(args: argparse.Namespace) -> int:
    ensure_display()
    if problem := _x_display_problem():
        print(f"shipdesk: {problem}", file=sys.stderr)
        return EXIT_CONFIG
    qInstallMessageHandler(_qt_message)
    install_excepthook()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("shipdesk")
    app.setOrganizationName("shipdesk")
    from shipdesk.ui.theme import apply_theme

    apply_theme(app)
    use_language("system")  # until the config says otherwise (a broken config is reported in the OS's language)
    install_qt_translations(app)

    try:
        where = locations(getattr(args, "config", None))  # this user's files, or the machine's (paths.py)
        log_to_file(DataPaths(where.data), "shipdesk.log")
        log_crashes(DataPaths(where.data))
        file_config = load_config(where.config)
    except ConfigError as exc:
        print(f"shipdesk: {exc}", file=sys.stderr)
        QMessageBox.critical(None, _("shipdesk cannot start"), str(exc))
        return EXIT_CONFIG
    use_language(file_config.region.language)
    install_qt_translations(app)

    demo = bool(getattr(args, "demo", False))
    setup = False
    if not demo and not file_config.is_configured and _headless():
        # Nobody can answer the first-run question without a screen: demo mode, as the README says.
        log.warning("Nothing is configured and there is no screen: starting in demo mode.")
        demo = True
    if not demo and not file_config.is_configured:
        from shipdesk.ui.dialogs.first_run import DEMO, SETUP, FirstRunDialog

        first = FirstRunDialog()
        first.exec()
        if first.choice is None:
            return EXIT_OK
        demo, setup = first.choice == DEMO, first.choice == SETUP

    # one copy per data folder: a second launch (a second demo would reset the demo data) shows the first
    instance_key = where.data / "demo" if demo else where.data
    if ask_running_copy_to_show(instance_key):
        log.info("shipdesk already runs on %s: its window was brought forward", instance_key)
        print(_("shipdesk is already running on this data folder: its window was brought forward."), file=sys.stderr)
        return EXIT_OK
    started = _Started()
    try:
        services = _services(file_config, file_config, where, demo=demo, started=started)
        if setup and not _set_up(services):
            services.close()
            return EXIT_OK
        return _run_window(app, services, instance_key)
    except ShipdeskError as exc:
        log.debug("start-up failed", exc_info=True)
        print(f"shipdesk: {exc}", file=sys.stderr)
        QMessageBox.critical(None, _("shipdesk cannot start"), str(exc))
        return EXIT_CONFIG if isinstance(exc, ConfigError) else 1
    finally:
        started.stop()


def _set_up(services: Services) -> bool:
    """Settings before the window, for a first run; False when the user gave up."""
    from shipdesk.ui.bridge import TaskBridge
    from shipdesk.ui.dialogs.settings_dialog import SettingsDialog

    bridge = TaskBridge()
    dialog = SettingsDialog(services, bridge)
    accepted = dialog.exec() == SettingsDialog.DialogCode.Accepted
    bridge.wait_for_done(30_000)
    # deleted by Qt now, with no event loop running: left to Python's teardown it crashed the app on exit
    dialog.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return accepted


#: what the first label and the first sync would otherwise import on a worker thread, holding the
#: interpreter lock long enough to freeze the window for a moment: imported while the app starts
PRELOAD = ("shipdesk.core.shipping.flow", "shipdesk.core.tracking.sync", "shipdesk.labels.pdf",
           "shipdesk.labels.preview", "shipdesk.labels.qt_printer", "PIL.GifImagePlugin", "PIL.PngImagePlugin")


def preload() -> None:
    for name in PRELOAD:
        importlib.import_module(name)


def _run_window(app: QApplication, services: Services, instance_key: Path) -> int:
    from shipdesk.ui.window.main_window import MainWindow

    preload()

    window = MainWindow(services)
    stalls = stall_watch_from_env(window)
    later_launches = SingleInstance(instance_key, window.bring_forward, window)
    window.show_at_start()  # where it was last time; maximized on the first run
    keep_alive = install_signal_handlers(window.close)
    QTimer.singleShot(0, window.shipment_actions.sync_now)  # fill the table with what Acumatica has now
    QTimer.singleShot(0, lambda: window.updates.check(quiet=True))  # [updates] manifest: offered only when newer
    code = app.exec()
    if stalls is not None:
        stalls.stop()
    keep_alive.stop()
    later_launches.close()
    return code
