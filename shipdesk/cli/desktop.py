"""``shipdesk`` with no command: start the desktop app, or say in one sentence why it cannot start.

The app is imported only here, so the commands never load Qt. When that import fails because Qt
cannot load (PySide6 missing, or a system library Qt needs, such as ``libEGL.so.1``), the user gets
:class:`DesktopUnavailable`: what is missing and what to install, with the command line as the way
on. Any other ``ImportError`` is a bug in shipdesk and is reported as one.
"""

from __future__ import annotations

import argparse
import re

from shipdesk.errors import DesktopUnavailable
from shipdesk.i18n import _

#: the Debian/Ubuntu package of the system libraries Qt most often misses on a fresh machine
DEBIAN_PACKAGES = {
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libfontconfig.so.1": "libfontconfig1",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
    "libxcb-cursor.so.0": "libxcb-cursor0",
}
_SHARED_LIBRARY = re.compile(r"([\w.+-]+\.so(?:\.\d+)*): cannot open shared object file")
_QT_PACKAGES = ("PySide6", "shiboken6")


def run_desktop(args: argparse.Namespace) -> int:
    try:
        from shipdesk.ui.app import run_app
    except ImportError as exc:
        problem = qt_load_problem(exc)
        if problem is None:
            raise  # shipdesk's own import is broken: a bug, not the machine
        raise problem from exc
    return run_app(args)


def qt_load_problem(exc: ImportError) -> DesktopUnavailable | None:
    """What the user must install for Qt to load, or None when ``exc`` is not about Qt or the system."""
    text = str(exc)
    missing = _SHARED_LIBRARY.search(text)
    if missing:
        library = missing.group(1)
        package = DEBIAN_PACKAGES.get(library)
        install = (_("Install {package} (Debian/Ubuntu: sudo apt install {package}), or use the command line "
                     "(`shipdesk --help`).").format(package=package) if package
                   else _("Install the system package that provides {library}, or use the command line "
                          "(`shipdesk --help`).").format(library=library))
        return DesktopUnavailable(_("The desktop app cannot start: Qt could not load {library}, a system library it "
                                    "needs.").format(library=library), hint=install)
    if (exc.name or "").startswith(_QT_PACKAGES):
        return DesktopUnavailable(_("The desktop app cannot start: Qt for Python (PySide6) is not installed in "
                                    "this Python environment."),
                                  hint=_("Reinstall shipdesk (it installs PySide6), or use the command line "
                                         "(`shipdesk --help`)."))
    if "DLL load failed" in text or "Library not loaded" in text:  # Windows, macOS
        return DesktopUnavailable(_("The desktop app cannot start: Qt could not load a library it needs "
                                    "({error}).").format(error=text),
                                  hint=_("Reinstall shipdesk, or use the command line (`shipdesk --help`)."))
    return None
