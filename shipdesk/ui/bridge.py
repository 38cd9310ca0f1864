"""The one way the UI runs core work off the GUI thread: ``result = await run_in_worker(fn, *args)``.

A window action is a coroutine the bridge drives. Every line of it runs on the GUI thread, so it may
touch widgets; only the function handed to :func:`run_in_worker` runs on a worker thread, and the
coroutine carries on when its answer is back::

    @async_slot
    async def ship(self, nbr: str) -> None:
        self.notice.show_message(f"Creating the UPS label for {nbr}…")
        try:
            result = await run_in_worker(self.services.ship, nbr)
        except ShipdeskError as error:      # its str() is the sentence to show
            self.notice.show_error(str(error))
            return
        self.notice.show_message(result.message)

- ``fn`` raising a ``ShipdeskError``: raised at the ``await`` as is.
- ``fn`` raising anything else: a bug. Its traceback goes to the log, and an ``UnexpectedError`` with a
  plain sentence is raised at the ``await``.
- An exception the coroutine itself lets out reaches the log and a dialog (``ui/unexpected.py``).
- ``bridge.active_count`` counts coroutines from start to finish (not only their worker calls), so
  "nothing running" (closing the window) is never seen while one still has a step to take.

Why not qasync: it drives asyncio from Qt's loop, and asyncio allows one running task step at a time.
A modal dialog (``exec()``, ``QMessageBox.question``) opened inside a step runs a nested Qt loop; any
other task whose answer arrives meanwhile fails with "Cannot enter into task … while another task … is
being executed" and is lost (qasync issues #59, #82, #174). Here each coroutine is driven step by step
from a queued signal: a step may open a modal dialog, and others go on around it. No asyncio loop has to
be installed either: a window made anywhere (tests, benchmarks, scripts) just works.
"""

from __future__ import annotations

import functools
import gc
import logging
import sys
from collections.abc import Awaitable, Callable, Coroutine, Generator
from dataclasses import dataclass
from typing import Concatenate, Generic, ParamSpec, Protocol, TypeVar, cast

from PySide6.QtCore import QObject, QThreadPool, Signal, Slot

from shipdesk.errors import ShipdeskError
from shipdesk.ui.unexpected import as_sentence, report_unexpected

log = logging.getLogger(__name__)

T = TypeVar("T")
P = ParamSpec("P")
UiCoroutine = Coroutine[object, object, None]  # what an ``async def`` method of the UI is


class _Work(Generic[T]):
    """What a UI coroutine awaits: one call to run on a worker thread (made by :func:`run_in_worker`)."""

    def __init__(self, fn: Callable[..., T], args: tuple[object, ...], kwargs: dict[str, object]) -> None:
        self.fn, self.args, self.kwargs = fn, args, kwargs

    @property
    def name(self) -> str:
        return getattr(self.fn, "__qualname__", None) or repr(self.fn)

    def __await__(self) -> Generator[_Work[T], object, T]:
        answer = yield self  # the bridge runs it and sends the result back (or throws the error in)
        return cast(T, answer)

    def call(self) -> tuple[object, ShipdeskError | None]:
        """Runs on the worker thread: the result, or the error to raise at the ``await``."""
        try:
            return self.fn(*self.args, **self.kwargs), None
        except ShipdeskError as exc:
            log.info("%s failed: %s", self.name, exc, exc_info=log.isEnabledFor(logging.DEBUG))
            return None, exc
        except Exception as exc:
            log.exception("%s crashed", self.name)
            return None, as_sentence(exc)


def run_in_worker(fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Awaitable[T]:
    """``await run_in_worker(fn, *args)`` in a coroutine the bridge drives: ``fn`` runs on a worker thread."""
    return _Work(fn, args, kwargs)


@dataclass(eq=False)
class _Task:
    coroutine: UiCoroutine
    name: str


@dataclass(frozen=True)
class _Answer:
    task: _Task
    value: object
    error: ShipdeskError | None


class TaskBridge(QObject):
    """Drives UI coroutines: their steps on the GUI thread, their ``run_in_worker`` calls on a thread pool.

    ``busy_changed(int)`` tells the window how many are running (the busy indicator, and closing waits
    for zero).
    """

    busy_changed = Signal(int)
    _answered = Signal(object)  # an _Answer, emitted on a worker thread, delivered on the GUI thread

    def __init__(self, parent: QObject | None = None, *, max_threads: int = 4) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._tasks: set[_Task] = set()
        self._answered.connect(self._resume)  # a bound slot of a GUI-thread object: queued to it

    @property
    def active_count(self) -> int:
        return len(self._tasks)

    def start(self, coroutine: UiCoroutine, *, name: str = "") -> None:
        """Run ``coroutine`` up to its first ``await`` now, the rest as the answers come back."""
        task = _Task(coroutine, name or getattr(coroutine, "__qualname__", "coroutine"))
        self._tasks.add(task)
        self.busy_changed.emit(len(self._tasks))
        self._step(task, None, None)

    def run_task(self, fn: Callable[..., T], *args: object, on_success: Callable[[T], None] | None = None,
                 on_error: Callable[[ShipdeskError], None] | None = None, **kwargs: object) -> None:
        """The same with handlers instead of ``await`` (for callers written that way): ``on_success(result)``
        or ``on_error(error)`` on the GUI thread; an error nobody handles is shown like any other."""

        async def call() -> None:
            try:
                result = await _Work(fn, args, kwargs)
            except ShipdeskError as error:
                if on_error is None:
                    raise
                on_error(error)
                return
            if on_success is not None:
                on_success(result)

        self.start(call(), name=getattr(fn, "__qualname__", "task"))

    def wait_for_done(self, msecs: int = -1) -> bool:
        """Block until every worker call has returned (shutdown and tests only, after the UI said so)."""
        return self._pool.waitForDone(msecs)

    # -- driving -----------------------------------------------------------------------------------
    @Slot(object)
    def _resume(self, answer: _Answer) -> None:
        self._step(answer.task, answer.value, answer.error)

    def _step(self, task: _Task, value: object, error: BaseException | None) -> None:
        try:
            awaited = task.coroutine.throw(error) if error is not None else task.coroutine.send(value)
        except StopIteration:
            self._finish(task)
            return
        except Exception as exc:  # the coroutine's own bug, or an error it did not handle
            self._finish(task)
            report_unexpected(exc, where=task.name)
            return
        if not isinstance(awaited, _Work):
            self._step(task, None, TypeError(f"{task.name} awaited {awaited!r}: UI coroutines await "
                                             "run_in_worker(...) only"))
            return
        work = cast(_Work[object], awaited)
        self._pool.start(functools.partial(self._run_on_worker, task, work))

    def _run_on_worker(self, task: _Task, work: _Work[object]) -> None:
        value, error = work.call()
        self._answered.emit(_Answer(task, value, error))

    def _finish(self, task: _Task) -> None:
        self._tasks.discard(task)
        self.busy_changed.emit(len(self._tasks))


class HasBridge(Protocol):
    @property
    def bridge(self) -> TaskBridge: ...


S = TypeVar("S", bound=HasBridge)


def async_slot(method: Callable[Concatenate[S, P], UiCoroutine]) -> Callable[Concatenate[S, P], None]:
    """Make a coroutine method a plain slot: calling it starts the coroutine on ``self.bridge``."""

    @functools.wraps(method)
    def start(self: S, /, *args: P.args, **kwargs: P.kwargs) -> None:
        self.bridge.start(method(self, *args, **kwargs), name=method.__qualname__)

    return start


class _ProgressRelay(QObject, Generic[T]):
    reported = Signal(object)

    def __init__(self, parent: QObject, handler: Callable[[T], None]) -> None:
        super().__init__(parent)
        self._handler = handler
        self.reported.connect(self.deliver)

    @Slot(object)
    def deliver(self, value: T) -> None:
        self._handler(value)


def progress_callback(parent: QObject, handler: Callable[[T], None]) -> Callable[[T], None]:
    """A callable a worker may call from any thread; ``handler`` runs on the GUI thread.

    ``parent`` (a GUI-thread object, e.g. the progress dialog) owns the relay, so it dies with it.
    """
    relay: _ProgressRelay[T] = _ProgressRelay(parent, handler)

    def report(value: T) -> None:
        try:
            relay.reported.emit(value)
        except RuntimeError:  # "Signal source has been deleted": the dialog closed, nobody is left to tell
            log.debug("progress report after its receiver was closed: dropped")

    return report


def freeze_long_lived_objects() -> None:
    """Take what is alive after start-up (modules, Qt wrappers, settings) out of the garbage collector's
    full passes. A full pass runs on whichever thread happens to allocate, holding the GIL: over every
    object of a started app it takes 50-150 ms, and when a worker runs it the GUI thread freezes that
    long. After this, a full pass scans only what was made since. Call once, when start-up is over."""
    gc.collect()  # what is garbage now is freed, not frozen
    gc.freeze()


#: how long a thread may hold the GIL while another waits for it (Python's default: 5 ms)
GIL_SWITCH_S = 0.001


def shorten_gil_turns() -> None:
    """Let a thread that waits for the GIL have it after 1 ms instead of 5. The GUI thread needs the GIL for
    every call from Qt into Python (a timer, a slot, a table cell while it paints) and competes for it with
    the workers (the sync runs 16 of them): with 5 ms turns it waited for several of them, one after the
    other, for each of those calls. The cost is more switches between busy workers (well under 1% of a core).
    Process-wide: the desktop app calls it once, when its window is made."""
    sys.setswitchinterval(GIL_SWITCH_S)
