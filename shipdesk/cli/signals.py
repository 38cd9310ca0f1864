"""How a command hears it must stop, on every platform, and signs out of Acumatica whichever way it ends.

- Ctrl+C (SIGINT) raises ``KeyboardInterrupt``; SIGTERM (a service manager, ``kill``), SIGHUP (the terminal
  closed) and Ctrl+Break (SIGBREAK, Windows) raise :class:`~shipdesk.stopping.Terminated`, a
  ``KeyboardInterrupt`` too: the ``with`` blocks unwind and each Acumatica session signs out on the way.
  Both go through :func:`~shipdesk.stopping.request_stop`, so a stop never cuts a sign-in or a sign-out in
  half (it is raised when that step ends; a second Ctrl+C meanwhile means "now").
- Windows does not signal a console being closed (or the user logging off, or shutdown): its console
  control handler runs on a new thread and the process is ended when it returns. :func:`console_event`
  signs out every open session from there (``acumatica.session.sign_out_all``), which takes one short POST
  each.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any

from shipdesk.acumatica.session import sign_out_all
from shipdesk.i18n import N_, _
from shipdesk.stopping import Terminated, on_wait, request_stop

log = logging.getLogger(__name__)

STOPPING_AFTER_THE_STEP = N_("Stopping as soon as the Acumatica sign-in or sign-out running now has finished "
                           "(Ctrl+C again to stop at once).")
#: Windows console control events (wincon.h) that end the process once the handler returns
CTRL_CLOSE_EVENT, CTRL_LOGOFF_EVENT, CTRL_SHUTDOWN_EVENT = 2, 5, 6
ENDING_EVENTS = frozenset({CTRL_CLOSE_EVENT, CTRL_LOGOFF_EVENT, CTRL_SHUTDOWN_EVENT})


def stop_signals() -> list[signal.Signals]:
    """The signals that stop a command here (the ones this platform has)."""
    names = ("SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK")
    return [getattr(signal, name) for name in names if hasattr(signal, name)]


def on_signal(signum: int, frame: FrameType | None) -> None:
    """The handler of every stop signal: Ctrl+C is a ``KeyboardInterrupt``, the others :class:`Terminated`."""
    stop = KeyboardInterrupt() if signum == signal.SIGINT else Terminated(signal.Signals(signum).name, signum)
    request_stop(stop)  # raises now, or when the sign-in or sign-out running now ends


def console_event(ctrl_type: int) -> bool:
    """Windows' console control handler (on its own thread): sign out before a closing console ends the
    process. Ctrl+C and Ctrl+Break are left to Python, which turns them into signals (False: not handled)."""
    if ctrl_type not in ENDING_EVENTS:
        return False
    signed_out = sign_out_all()
    log.info("console closing (event %d): %d Acumatica session(s) signed out", ctrl_type, signed_out)
    return True


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """Stop signals raise in the main thread while the block runs (sign-ins and sign-outs finish first); on
    Windows a closing console signs out first. The previous handlers come back at the end."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.signal(sig, on_signal) for sig in stop_signals()}
    remove_console_handler = _install_console_handler()
    on_wait(say_stopping_after_the_step)
    try:
        yield
    finally:
        on_wait(None)
        remove_console_handler()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def say_stopping_after_the_step() -> None:
    """Ctrl+C during a slow sign-in (Acumatica queues requests): the person learns why it is not instant."""
    sys.stderr.write("\n" + _(STOPPING_AFTER_THE_STEP) + "\n")  # i18n: marked with N_() above
    sys.stderr.flush()


def _install_console_handler() -> Callable[[], None]:
    """Register :func:`console_event` with Windows (``SetConsoleCtrlHandler``); returns how to remove it."""
    if sys.platform != "win32":
        return lambda: None
    import ctypes

    routine_type: Any = ctypes.WINFUNCTYPE(ctypes.c_int, ctypes.c_uint)
    routine = routine_type(lambda ctrl_type: 1 if console_event(ctrl_type) else 0)
    kernel32 = ctypes.windll.kernel32
    if not kernel32.SetConsoleCtrlHandler(routine, True):
        log.info("no console control handler (no console?)")
        return lambda: None
    return lambda: kernel32.SetConsoleCtrlHandler(routine, False)  # the routine stays referenced until then
