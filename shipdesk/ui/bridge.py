"""The one way the UI runs core work: on a thread pool, with the answer delivered on the GUI thread.

Every network or disk operation the window starts goes through :meth:`TaskBridge.run_task`, so the UI
thread never blocks. A task's result reaches ``on_success``; a ``ShipdeskError`` reaches ``on_error``
as is (its ``str()`` is the sentence to show). Any other exception is a bug: it is logged with its
traceback and reaches ``on_error`` wrapped in a ``ShipdeskError`` with a plain sentence.

Delivery uses a queued signal on a relay object that lives on the GUI thread (Electrum / Picard idiom),
so handlers may touch widgets freely.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from shipdesk.errors import ShipdeskError, UnexpectedError

log = logging.getLogger(__name__)

SuccessHandler = Callable[[Any], None]
ErrorHandler = Callable[[ShipdeskError], None]


class _Relay(QObject):
    """Lives on the GUI thread; the worker emits ``finished`` and Qt queues :meth:`deliver` onto the GUI
    thread (a bound slot of a GUI-thread object, never a bare function: that would run on the worker)."""

    finished = Signal(bool, object)  # ok, result-or-error

    def __init__(self, bridge: TaskBridge, name: str, on_success: SuccessHandler | None,
                 on_error: ErrorHandler | None) -> None:
        super().__init__(bridge)
        self._bridge, self._name = bridge, name
        self._on_success, self._on_error = on_success, on_error
        self.finished.connect(self.deliver)

    @Slot(bool, object)
    def deliver(self, ok: bool, payload: object) -> None:
        # the task counts as running until its handler is done: work the handler starts is counted
        # before this one is forgotten, so "nothing running" (closing the window) is never seen too early
        try:
            if ok:
                if self._on_success is not None:
                    self._on_success(payload)
            elif self._on_error is not None:
                assert isinstance(payload, ShipdeskError)
                self._on_error(payload)
            else:
                log.warning("task %s failed with nobody listening: %s", self._name, payload)
        except Exception:  # a handler bug must not kill the event loop
            log.exception("handler for task %s crashed", self._name)
        finally:
            self._bridge._forget(self)


class _Task(QRunnable):
    def __init__(self, relay: _Relay, fn: Callable[..., Any], args: tuple[Any, ...],
                 kwargs: dict[str, Any]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._relay, self._fn, self._args, self._kwargs = relay, fn, args, kwargs

    def run(self) -> None:
        try:
            result = self._fn(*self._args, **self._kwargs)
        except ShipdeskError as exc:
            log.info("task %s failed: %s", _name(self._fn), exc, exc_info=log.isEnabledFor(logging.DEBUG))
            self._relay.finished.emit(False, exc)
        except Exception as exc:
            log.exception("task %s crashed", _name(self._fn))
            wrapped = UnexpectedError(
                f"Something unexpected went wrong ({type(exc).__name__}).",
                hint="The details are in the shipdesk log file; try again or tell IT.",
            )
            self._relay.finished.emit(False, wrapped)
        else:
            self._relay.finished.emit(True, result)


def freeze_long_lived_objects() -> None:
    """Take what is alive after start-up (modules, Qt wrappers, settings) out of the garbage collector's
    full passes. A full pass runs on whichever thread happens to allocate, holding the GIL: over every
    object of a started app it takes 50-150 ms, and when a worker runs it the GUI thread freezes that
    long. After this, a full pass scans only what was made since. Call once, when start-up is over."""
    gc.collect()  # what is garbage now is freed, not frozen
    gc.freeze()


def _name(fn: Callable[..., Any]) -> str:
    return getattr(fn, "__qualname__", None) or repr(fn)


class TaskBridge(QObject):
    """Runs callables off the GUI thread and reports back on it.

    ``busy_changed(int)`` tells the window how many tasks are running (for the "finishing…" notice
    on close and a busy indicator).
    """

    busy_changed = Signal(int)

    def __init__(self, parent: QObject | None = None, *, max_threads: int = 4) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._relays: set[_Relay] = set()

    @property
    def active_count(self) -> int:
        return len(self._relays)

    def run_task(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_success: SuccessHandler | None = None,
        on_error: ErrorHandler | None = None,
        **kwargs: Any,
    ) -> None:
        relay = _Relay(self, _name(fn), on_success, on_error)
        self._relays.add(relay)
        self.busy_changed.emit(len(self._relays))
        self._pool.start(_Task(relay, fn, args, kwargs))

    def _forget(self, relay: _Relay) -> None:
        self._relays.discard(relay)
        relay.deleteLater()
        self.busy_changed.emit(len(self._relays))

    def wait_for_done(self, msecs: int = -1) -> bool:
        """Block until every worker has finished (used only on shutdown, after the UI said so)."""
        return self._pool.waitForDone(msecs)


class _ProgressRelay(QObject):
    reported = Signal(object)

    def __init__(self, parent: QObject, handler: Callable[[Any], None]) -> None:
        super().__init__(parent)
        self._handler = handler
        self.reported.connect(self.deliver)

    @Slot(object)
    def deliver(self, value: object) -> None:
        self._handler(value)


def progress_callback(parent: QObject, handler: Callable[[Any], None]) -> Callable[[Any], None]:
    """A callable a worker may call from any thread; ``handler`` runs on the GUI thread.

    ``parent`` (a GUI-thread object, e.g. the progress dialog) owns the relay, so it dies with it.
    """
    relay = _ProgressRelay(parent, handler)
    return relay.reported.emit
