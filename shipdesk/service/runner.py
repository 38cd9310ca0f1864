"""Start and stop one running sync for a service manager, whatever the platform.

The Windows service (``windows_service``) and a test drive the same :class:`SyncServiceRunner`: the
service manager calls ``start()`` and then ``wait()`` on its main thread and ``stop()`` from its control
thread. The runner does not know how the sync is built: a factory (the command line passes the real one)
builds the sync, starts it and returns something with a ``stop()`` that ends the loop and the Track Alert
listener, signs out of Acumatica and closes the store, and returns when all of that is done.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Protocol

from shipdesk.i18n import _

log = logging.getLogger(__name__)


class RunningSync(Protocol):
    def stop(self) -> None: ...


SyncFactory = Callable[[], RunningSync]


class SyncServiceRunner:
    """Runs the sync from ``start()`` until ``stop()``; safe to call ``stop()`` from any thread, any number
    of times, before, during or after ``start()``."""

    def __init__(self, factory: SyncFactory, *, name: str = "shipdesk sync service") -> None:
        self._factory = factory
        self._name = name
        self._lock = threading.Lock()
        self._sync: RunningSync | None = None
        self._stop_requested = False
        self._started = False
        self._stopped = threading.Event()  # set once nothing of the sync runs any more
        #: the sentence that says why the sync could not start or did not stop cleanly, else None
        self.error: str | None = None

    @property
    def running(self) -> bool:
        return self._started and not self._stopped.is_set()

    def start(self) -> bool:
        """Build and start the sync; False (and ``error`` set, the reason logged) when it could not start.

        Blocks while the factory builds (opening the store, starting the listener); a ``stop()`` that
        arrives meanwhile stops the sync as soon as it exists."""
        with self._lock:
            if self._started or self._stop_requested:
                return self._started and self.error is None
            self._started = True
        try:
            sync = self._factory()
        except Exception as exc:
            self.error = _sentence(_("could not start"), exc)
            log.error("%s %s", self._name, self.error, exc_info=not _is_sentence(exc))
            self._stopped.set()
            return False
        with self._lock:
            self._sync = sync
            stop_now = self._stop_requested
        log.info("%s started", self._name)
        if stop_now:
            self._stop_sync()
        return True

    def stop(self, timeout: float | None = None) -> bool:
        """Ask the sync to stop and wait until it has (a cycle in flight ends its current step first).

        True when nothing runs any more; False when ``timeout`` passed first."""
        with self._lock:
            first = not self._stop_requested
            self._stop_requested = True
            sync = self._sync
            if not self._started:  # stopped before it started: there is nothing to wait for
                self._stopped.set()
        if first and sync is not None:
            log.info("%s stopping", self._name)
            self._stop_sync()
        return self._stopped.wait(timeout)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the sync has stopped (or could not start); False when ``timeout`` passed first."""
        return self._stopped.wait(timeout)

    def _stop_sync(self) -> None:
        sync = self._sync
        try:
            if sync is not None:
                sync.stop()
        except Exception as exc:  # stopping must finish: the service manager waits for it
            self.error = _sentence(_("did not stop cleanly"), exc)
            log.error("%s %s", self._name, self.error, exc_info=not _is_sentence(exc))
        finally:
            self._sync = None
            self._stopped.set()
            log.info("%s stopped", self._name)


def _is_sentence(exc: Exception) -> bool:
    from shipdesk.errors import ShipdeskError

    return isinstance(exc, ShipdeskError)


def _sentence(what: str, exc: Exception) -> str:
    """Our errors are sentences already; anything else is a bug whose traceback goes to the log."""
    if _is_sentence(exc):
        return f"{what}: {exc}"
    return _("{what} ({error}: {reason}); the details are in the service log.").format(
        what=what, error=type(exc).__name__, reason=exc)
