"""A request to stop (Ctrl+C, SIGTERM, a closed console, a service stop), and the few steps it must not cut.

Python raises ``KeyboardInterrupt`` in the main thread wherever it happens to be; an Acumatica sign-in or
sign-out cut in half leaves a licensed API seat open until the idle timeout, and two such stops lock every
station out (docs/evidence/real-services.md 12.11). So:

- the command line's signal handlers call :func:`request_stop`, which raises the stop at once, unless the
  main thread is inside a :func:`critical` section: then the stop is raised as the section ends (a second
  request meanwhile raises at once: a person pressing Ctrl+C twice means "now");
- :class:`Terminated` is the stop a SIGTERM (or SIGHUP, SIGBREAK) asks for: a ``KeyboardInterrupt``, so every
  ``finally`` and ``except KeyboardInterrupt`` treats it as Ctrl+C, with the shell's exit code 128 + signal;
- :class:`SessionClosed` is what a worker thread gets when its session was signed out for it because the
  process is stopping (it must not sign in again).

Only the main thread is ever interrupted by a signal, so only it keeps a critical depth.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator

from shipdesk.errors import ShipdeskError

_lock = threading.RLock()  # re-entrant: a signal handler runs in the main thread, maybe while it holds the lock
_depth = 0
_pending: BaseException | None = None
#: told when a stop waits for the critical step (the command line says so on stderr)
_on_wait: Callable[[], None] | None = None


class Terminated(KeyboardInterrupt):
    """The process was asked to end by a signal other than Ctrl+C; ``exit_code`` is 128 + its number."""

    def __init__(self, signal_name: str, signal_number: int) -> None:
        super().__init__(signal_name)
        self.signal_name = signal_name
        self.exit_code = 128 + signal_number


class SessionClosed(ShipdeskError):
    """A session was signed out from another thread because shipdesk is stopping: the work using it ends."""


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def critical() -> Iterator[None]:
    """A step a stop must not cut in half (an Acumatica sign-in or sign-out): a stop requested meanwhile is
    raised when the step ends. Nested sections count as one; other threads are never interrupted anyway."""
    global _depth, _pending
    if not _in_main_thread():
        yield
        return
    with _lock:
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            pending = _pending if _depth == 0 else None
            if pending is not None:
                _pending = None
        if pending is not None:
            raise pending


def request_stop(stop: BaseException) -> None:
    """Called by a signal handler (in the main thread): raise ``stop`` now, or at the end of the critical step
    running now; a second request while one waits is raised at once."""
    global _pending
    with _lock:
        deferred = _depth > 0 and _pending is None
        _pending = stop if deferred else None
        tell = _on_wait if deferred else None
    if not deferred:
        raise stop
    if tell is not None:
        tell()


def on_wait(tell: Callable[[], None] | None) -> None:
    """``tell`` is called when a stop has to wait for a critical step (None: nobody is told)."""
    global _on_wait
    with _lock:
        _on_wait = tell


def pending() -> bool:
    """A stop waits for the critical step to end (for tests and the log)."""
    with _lock:
        return _pending is not None
