"""A barcode scanner types like a keyboard: this tells its scans apart from a person's typing, wherever the
focus is in the main window or one of its dialogs.

A scan is a burst: keys closer together than ``[ui] scanner_burst_ms`` (a person cannot type four keys
50 ms apart; a scanner sends them a few ms apart), ending in Enter (or the configured suffix), or anything
between the configured prefix and Enter/suffix. :class:`ScanCapture` is ONE application-level event filter,
installed once for the whole main window:

- **Main window**: the keys reach the scan box as they come, wherever the focus was (a click on a row no
  longer swallows a scan). The Enter that ends a burst is taken: ``scanned(text)`` carries the burst
  alone, so text left in the box before it cannot glue onto it ("SH000106SH000107").
- **Its dialogs**: a key there acts at once (the address dialog picks candidate 1 on "1"), so printable
  keys are held back for one burst interval. A burst that ends in Enter is a scan: it never reaches the
  dialog, and the window decides what happens to the dialog (``MainWindow.take_scan``). Keys a person
  typed are handed on to the dialog after the interval, in order; a fast burst with no Enter is no person's
  typing either and is dropped (``dropped``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from shiboken6 import isValid

log = logging.getLogger(__name__)

#: a burst shorter than this is a person's quick keys, not a barcode (shipment numbers have 8 characters)
MIN_SCAN_LENGTH = 4
#: a gap this many times ``burst_ms`` ends a burst; shorter gaps are tolerated one by one, as long as the
#: whole burst is scanner-fast on average: a loaded PC (or X server) delays one key of a scan by 100 ms now
#: and then, and "SH" + "000118" must still be one scan
PAUSE_FACTOR = 4
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
#: keys that only change the next key: a wedge scanner presses Shift before each capital letter of "SH000101"
_MODIFIER_KEYS = (Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_AltGr, Qt.Key.Key_Meta,
                  Qt.Key.Key_CapsLock)
_COMMAND_MODIFIERS = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                      | Qt.KeyboardModifier.MetaModifier)


@dataclass(frozen=True)
class ScannerSettings:
    burst_ms: int = 50
    prefix: str = ""
    suffix: str = ""


@dataclass
class _Key:
    key: int
    text: str
    modifiers: Qt.KeyboardModifier
    receiver: QWidget
    held: bool  # taken from its receiver, to be handed on (or dropped) when the burst is settled


@dataclass
class _Burst:
    keys: list[_Key] = field(default_factory=list)
    first: float = 0.0
    last: float = 0.0
    prefixed: bool = False

    @property
    def text(self) -> str:
        return "".join(k.text for k in self.keys)

    def scanner_fast(self, now: float, burst_s: float) -> bool:
        """The keys (and the key at ``now`` ending them) came ``burst_s`` apart or closer, on average."""
        return len(self.keys) >= MIN_SCAN_LENGTH and 0 <= now - self.first <= burst_s * len(self.keys)


class ScanCapture(QObject):
    #: a scan: its text (prefix and suffix removed)
    scanned = Signal(str)
    #: fast input in a dialog that was neither a scan (no Enter) nor a person's typing: not handed on
    dropped = Signal(str)

    def __init__(self, window: QWidget, scan_box: QWidget, settings: ScannerSettings, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(window)
        self._window, self._box = window, scan_box
        self.settings = settings
        self._clock = clock
        self._burst = _Burst()
        self._taken_releases: list[int] = []  # keys whose press was taken: their release is taken too
        self._handing_on = False
        self._settle_timer = QTimer(self, singleShot=True)
        self._settle_timer.timeout.connect(self._settle)
        self._installed = False

    # -- life ----------------------------------------------------------------------------------------
    def install(self) -> None:
        app = QCoreApplication.instance()
        if app is not None and not self._installed:
            app.installEventFilter(self)
            self._installed = True

    def remove(self) -> None:
        app = QCoreApplication.instance()
        if app is not None and self._installed:
            app.removeEventFilter(self)
            self._installed = False
        self._settle_timer.stop()

    @property
    def burst_s(self) -> float:
        return max(1, self.settings.burst_ms) / 1000

    @property
    def pause_s(self) -> float:
        return PAUSE_FACTOR * self.burst_s

    # -- the filter ------------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # every event of the application comes here (each paint, layout, timer...): all but keys leave at a
        # type check done in C, before ``event.type()`` makes a Python enum of it (microseconds each, thousands
        # a second while the window repaints, each holding the GIL the workers want)
        if self._handing_on or not isinstance(event, QKeyEvent):
            return False
        kind = event.type()
        if kind not in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):  # ShortcutOverride is a QKeyEvent too
            return False
        if not isinstance(watched, QWidget) or not self._watched(watched.window()):
            return False
        if kind == QEvent.Type.KeyRelease:
            if event.key() in self._taken_releases and not event.isAutoRepeat():
                self._taken_releases.remove(event.key())
                return True
            return False
        return self._key_pressed(watched, event)

    def _watched(self, window: QWidget) -> bool:
        """The main window, or a window it owns (its dialogs and message boxes)."""
        widget: QWidget | None = window
        while widget is not None:
            if widget is self._window:
                return True
            widget = widget.parentWidget()
        return False

    def _key_pressed(self, receiver: QWidget, event: QKeyEvent) -> bool:
        # when the key was pressed (the window system's time), not when a busy window got to it: a label being
        # drawn can hold the GUI thread 300 ms and split a scan in two ("SH" + "000118"); synthesized events
        # carry no time, the clock stands in
        now = event.timestamp() / 1000 if event.timestamp() else self._clock()
        burst = self._burst
        if event.key() in _MODIFIER_KEYS:  # part of the next key, not a pause in the burst
            return False
        if event.isAutoRepeat() or event.modifiers() & _COMMAND_MODIFIERS:
            self._settle()  # a shortcut: what was held goes first, in order
            return False
        if event.key() in _ENTER:
            return self._enter(now)
        text = event.text()
        if not text or not text.isprintable():
            self._settle()
            return False
        if burst.keys and self._paused(now) and not burst.prefixed:
            self._settle()  # a pause: what came before was typed by a person
            burst = self._burst
        if self.settings.suffix and text == self.settings.suffix and self._is_scan(now):
            self._finish(event.key())
            return True
        if self.settings.prefix and text == self.settings.prefix and not burst.prefixed:
            self._settle()
            self._burst = _Burst(last=now, prefixed=True)
            self._taken_releases.append(event.key())
            return True
        in_dialog = receiver.window() is not self._window
        hold = in_dialog or self._burst.prefixed
        if not self._burst.keys:
            self._burst.first = now
        self._burst.keys.append(_Key(event.key(), text, event.modifiers(), receiver, hold))
        self._burst.last = now
        if hold:  # a person's keys reach the dialog after a pause; a scan's never do
            self._settle_timer.start(round(1000 * self.pause_s) if not self._burst.prefixed else 1000)
            self._taken_releases.append(event.key())
            return True
        if receiver is not self._box and text != " ":
            # typed into the table or the detail pane: the scan box takes it (the release goes there too)
            self._box.setFocus(Qt.FocusReason.OtherFocusReason)
            self._hand_on(self._box, event.key(), text, event.modifiers(), release=False)
            return True
        return False

    def _is_scan(self, now: float) -> bool:
        burst = self._burst
        if burst.prefixed:
            return True
        return not self._paused(now) and burst.scanner_fast(now, self.burst_s)

    def _paused(self, now: float) -> bool:
        """A pause since the burst's last key (a time before it is from another clock: a pause too)."""
        return not 0 <= now - self._burst.last <= self.pause_s

    def _enter(self, now: float) -> bool:
        if self._burst.keys and self._is_scan(now):
            self._finish(Qt.Key.Key_Return)
            return True
        self._settle()  # a person's Enter: the keys held before it reach the dialog first
        return False

    def _finish(self, ending_key: int) -> None:
        text = self._burst.text.strip()
        self._burst = _Burst()
        self._settle_timer.stop()
        self._taken_releases.append(ending_key)
        if text:
            log.info("scan: %s", text)
            self.scanned.emit(text)

    def _settle(self) -> None:
        """No Enter came: keys a person typed reach the widget they were meant for."""
        burst, self._burst = self._burst, _Burst()
        self._settle_timer.stop()
        held = [k for k in burst.keys if k.held]
        if not held:
            return
        if burst.prefixed or burst.scanner_fast(burst.last, self.burst_s):  # nobody types that fast
            log.info("fast input without Enter not handed to the dialog: %s", burst.text)
            self.dropped.emit(burst.text)
            return
        for key in held:
            target = key.receiver if isValid(key.receiver) and key.receiver.hasFocus() else QApplication.focusWidget()
            if target is not None:
                self._hand_on(target, key.key, key.text, key.modifiers, release=True)

    def _hand_on(self, target: QWidget, key: int, text: str, modifiers: Qt.KeyboardModifier, *,
                 release: bool) -> None:
        self._handing_on = True
        try:
            QCoreApplication.sendEvent(target, QKeyEvent(QEvent.Type.KeyPress, key, modifiers, text))
            if release:
                QCoreApplication.sendEvent(target, QKeyEvent(QEvent.Type.KeyRelease, key, modifiers, text))
        finally:
            self._handing_on = False


#: a dialog's property: what a scan that closes the dialog leaves undone ("no label bought for SH000120").
#: A dialog without it is not closed by a scan: the scan waits until the dialog is closed.
CLOSED_BY_SCAN = "closedByScan"


def closed_by_scans(dialog: QWidget, undone: str) -> None:
    """Let a scan close ``dialog`` (a decision nobody made yet); ``undone`` is said in the note."""
    dialog.setProperty(CLOSED_BY_SCAN, undone)
