"""Is there a newer shipdesk? Asked once at start (quietly: only a newer version is shown) and from
Help › Check for updates (every answer shown).

The manifest IT publishes (``[updates] manifest``, read from the config file, in demo mode too) is read on a
worker through the bridge, never on the GUI thread (it may wait up to 10 s for an intranet server or a file
share). A newer version is offered with IT's notes; accepted, its installer is copied to this user's temp
folder and checked against the manifest's SHA-256 (``updates.fetch_installer``), then started: on Windows
through the shell, which asks for an administrator's consent, and the app closes the normal way (running
work finishes, Acumatica is signed out) so the installer can replace its files. Elsewhere the folder with the
checked installer is shown.

:func:`add_update_action` puts the action in the Help menu (made here when the window has none yet): the
menu is shared with the window's other Help entries, whichever code adds it first.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox

from shipdesk import __version__
from shipdesk.errors import ShipdeskError
from shipdesk.i18n import N_, _
from shipdesk.ui.bridge import TaskBridge, async_slot, run_in_worker
from shipdesk.updates import ManifestError, Update, UpdateCheck, UpdateStatus, check_for_update, fetch_installer

log = logging.getLogger(__name__)

TITLE = N_("Check for updates")  # shown with _()
HELP_MENU = N_("&Help")
#: where installers are copied: this user's temp folder (two users of a shared PC never share a half copy)
DOWNLOADS = Path(tempfile.gettempdir()) / "shipdesk-update"

Ask = Callable[[str, str], bool]  # (title, question) → yes?
Tell = Callable[[str, str], None]  # (title, sentence)


def title() -> str:
    """The dialogs' title in the chosen language."""
    return _(TITLE)  # i18n: marked with N_()


def download(update: Update, folder: Path = DOWNLOADS) -> Path:
    """The checked installer (on a worker); a sentence when it cannot be had."""
    try:
        return fetch_installer(update, folder)
    except ManifestError as exc:
        raise ShipdeskError(_("The shipdesk {version} installer could not be downloaded: {problem}").format(
            version=update.version, problem=exc), hint=_("Try again later, or ask IT to install it.")) from exc


def start_installer(installer: Path) -> bool:
    """Start the installer; True when the app must close so that its files can be replaced."""
    if sys.platform == "win32":
        os.startfile(installer)  # through the shell: it asks for an administrator's consent (UAC)
        return True
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(installer.parent)))  # a Windows installer: shown, not run
    return False


class UpdateChecker(QObject):
    """Checks the manifest, offers a newer version and starts its installer. ``ask``/``tell``/``start`` are
    the dialogs and the launch (tests hand in their own)."""

    def __init__(self, window: QMainWindow, bridge: TaskBridge, manifest: Callable[[], str], *,
                 ask: Ask | None = None, tell: Tell | None = None,
                 start: Callable[[Path], bool] = start_installer, folder: Path | None = None) -> None:
        super().__init__(window)
        self.window, self.bridge = window, bridge
        self._manifest = manifest
        self._ask = ask or self._question
        self._tell = tell or self._information
        self._start = start
        self._folder = folder
        self.running = False  # one check at a time: a second click while one runs does nothing
        #: the outcome of the last check
        self.last: UpdateCheck | None = None
        #: Help › Check for updates… (set by :func:`install_update_check`)
        self.action: QAction | None = None

    @async_slot
    async def check(self, quiet: bool = False) -> None:
        """Ask the manifest; ``quiet`` (at start) shows only a newer version, never "up to date" or a failure."""
        if self.running:
            return
        self.running = True
        try:
            result = self.last = await run_in_worker(check_for_update, self._manifest())
            if result.status is UpdateStatus.AVAILABLE and result.update is not None:
                await self._offer(result)
            elif not quiet:
                self._tell(title(), result.message)
            elif result.status is UpdateStatus.ERROR:
                log.warning("%s", result.message)  # at start nobody asked: the log says why there was no offer
        finally:
            self.running = False

    async def _offer(self, result: UpdateCheck) -> None:
        assert result.update is not None
        update = result.update
        notes = f"\n\n{update.notes}" if update.notes else ""
        question = _("shipdesk {version} is available (this is {current}).{notes}\n\n"
                     "Download and install it now? Installing needs an administrator's consent; "
                     "shipdesk closes while it installs.").format(version=update.version, current=__version__,
                                                                 notes=notes)
        if not self._ask(title(), question):
            return
        try:
            installer = await run_in_worker(download, update, self._folder or DOWNLOADS)
        except ShipdeskError as error:
            self._tell(title(), str(error))
            return
        if self._start(installer):
            self.window.close()  # the normal close: work finishes, Acumatica is signed out, files are freed
        else:
            self._tell(title(), _("The shipdesk {version} installer is checked and ready: {installer}").format(
                version=update.version, installer=installer))

    def _question(self, title: str, text: str) -> bool:
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        return QMessageBox.question(self.window, title, text, buttons) == QMessageBox.StandardButton.Yes

    def _information(self, title: str, text: str) -> None:
        QMessageBox.information(self.window, title, text)


def help_menu(window: QMainWindow) -> QMenu:
    """The window's Help menu: the one already there (About…), else a new one at the end of the menu bar."""
    shown = _(HELP_MENU)  # i18n: marked with N_()
    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu) and menu.title().replace("&", "") == shown.replace("&", ""):
            return menu
    return window.menuBar().addMenu(shown)


def add_update_action(window: QMainWindow, checker: UpdateChecker) -> QAction:
    """Help › Check for updates… (the check shows every answer)."""
    action = QAction(_("Check for updates…"), window)
    action.setToolTip(_("Ask IT's update manifest whether a newer shipdesk is available"))
    action.triggered.connect(lambda _checked=False: checker.check())
    help_menu(window).addAction(action)
    return action


def install_update_check(window: QMainWindow, bridge: TaskBridge, manifest: Callable[[], str]) -> UpdateChecker:
    """The window's update checker with its Help menu entry; ``check(quiet=True)`` is the check at start."""
    checker = UpdateChecker(window, bridge, manifest)
    checker.action = add_update_action(window, checker)
    return checker
