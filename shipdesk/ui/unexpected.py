"""An error that reaches the top of a slot goes to the log and to a dialog, never only to stderr: nobody
reads the console of a warehouse PC.

- :func:`report_unexpected`: the bridge calls it for a coroutine that let an exception out.
- :func:`install_excepthook`: ``ui/app.py`` installs it for plain slots (PySide hands an exception raised
  in a slot to ``sys.excepthook``).

A ``ShipdeskError`` shows its own sentence; anything else is a bug: the traceback goes to the log and the
person reads "Something unexpected went wrong (KeyError). The details are in the shipdesk log file…".
One dialog at a time: an error repeating in a timer is logged each time but asks only once.
"""

from __future__ import annotations

import logging
import sys
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from shiboken6 import isValid

from shipdesk.errors import ShipdeskError, UnexpectedError
from shipdesk.i18n import _

log = logging.getLogger(__name__)

DIALOG_NAME = "unexpectedErrorDialog"
_shown: list[QMessageBox] = []  # the one open now, if any


def as_sentence(bug: BaseException) -> UnexpectedError:
    """What a person reads about a bug (its traceback is logged apart)."""
    return UnexpectedError(_("Something unexpected went wrong ({error}).").format(error=type(bug).__name__),
                           hint=_("The details are in the shipdesk log file; try again or tell IT."))


def report_unexpected(exc: BaseException, *, where: str) -> None:
    """Log ``exc`` (with its traceback when it is a bug) and show its sentence in a dialog."""
    if isinstance(exc, ShipdeskError):
        log.warning("%s: %s", where, exc)
        _show(exc)
    else:
        log.error("unexpected error in %s", where, exc_info=(type(exc), exc, exc.__traceback__))
        _show(as_sentence(exc))


def _show(error: ShipdeskError) -> None:
    if QApplication.instance() is None or any(isValid(d) and d.isVisible() for d in _shown):
        return
    _shown.clear()  # closed, or gone with the window it belonged to
    dialog = QMessageBox(QMessageBox.Icon.Warning if not isinstance(error, UnexpectedError)
                         else QMessageBox.Icon.Critical, "shipdesk", str(error),
                         QMessageBox.StandardButton.Ok, QApplication.activeWindow())
    dialog.setObjectName(DIALOG_NAME)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.finished.connect(lambda _code: _shown.clear())
    _shown.append(dialog)
    dialog.open()  # no nested event loop: the slot that failed returns at once


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if not isinstance(exc, Exception):  # Ctrl+C, SystemExit: Python's own handling
        sys.__excepthook__(kind, exc, tb)
        return
    report_unexpected(exc.with_traceback(tb), where="a slot")


def install_excepthook() -> None:
    sys.excepthook = _excepthook
