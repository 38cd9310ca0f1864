"""Group commit of the "written back" state in a batch: it rides with the next label's first transaction.

A label costs three commits: the job as ``requesting`` (right before the Ship call), UPS's answer, written back.
The last one is safe to lose: the write-back never replaces a number it did not write and compares every step before
it writes (``writeback``), so a crash before it is committed leaves the job ``labelled`` and the next ``ship``
or the sync's retry redoes it without a second tracking number or label file (only a read of the shipment).
So inside a batch (``ShipFlow.ship_many``) its writes wait for the next label's first transaction
(:meth:`GroupCommit.riding`) instead of a commit of their own, and are committed alone at the batch's end, when
no next label follows within ``IDLE_SECONDS`` (a slow Acumatica read, the batch's end), or right away outside a
batch. The shipment shows "Labelled, not written back" for that moment at most.

Only the thread running the batch defers; the writes are guarded (a job another worker moved on meanwhile is
left as it is), so a write that runs late changes nothing it should not. The job's lock is released only once
its written-back state is committed (:meth:`GroupCommit.when_committed`): until then another station, window
or the sync's retry finds the job being written back, instead of a ``labelled`` job whose lock is free, which
it would write back a second time and report as its own label.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator

from shipdesk.core.store import transaction
from shipdesk.errors import StoreError

log = logging.getLogger(__name__)

#: how long written-back writes wait for the next label of a batch before they are committed on their own
IDLE_SECONDS = 1.0

#: a store that will not take the writes ("database is locked" past the busy timeout, a shared store gone)
_REFUSED: tuple[type[Exception], ...] = (StoreError, *transaction.DATABASE_ERRORS)

#: writes to run inside a write transaction
Writes = Callable[[], None]


class GroupCommit:
    def __init__(self, release_thread: Callable[[], None] = lambda: None) -> None:
        """``release_thread``: closes the calling thread's store connection (the idle flush runs on a timer
        thread of its own)."""
        self._release_thread = release_thread
        self._lock = threading.Lock()
        self._pending: list[Writes] = []
        self._after: list[Callable[[], None]] = []  # run once the pending writes are committed (or refused)
        self._timer: threading.Timer | None = None
        self._batch = threading.local()

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """The calling thread's writes handed to :meth:`commit` wait for the next transaction of the batch;
        whatever still waits is committed when the batch ends."""
        self._batch.on = True
        try:
            yield
        finally:
            self._batch.on = False
            self.flush()

    def commit(self, writes: Writes) -> None:
        """Commit ``writes`` now (in a transaction of their own), or, inside a batch, with the next one."""
        if not getattr(self._batch, "on", False):
            with transaction.write():
                writes()
            return
        with self._lock:
            self._pending.append(writes)
            self._restart_timer()

    def when_committed(self, done: Callable[[], None]) -> None:
        """Run ``done`` (a job lock's release) once the writes waiting now are committed; at once outside a batch
        (its writes were committed right away) or when none wait."""
        with self._lock:
            if getattr(self._batch, "on", False) and self._pending:
                self._after.append(done)
                return
        done()

    @contextlib.contextmanager
    def riding(self) -> Iterator[Callable[[], None]]:
        """``with group.riding() as ride, transaction.write(): ride(); ...``: the waiting writes run inside the
        caller's transaction; when it fails (or its commit does), they wait again for the next one."""
        with self._lock:
            taken, self._pending = self._pending, []
            after, self._after = self._after, []
            self._cancel_timer()

        def ride() -> None:
            for writes in taken:
                writes()
        try:
            yield ride
        except BaseException:
            with self._lock:
                self._pending[:0] = taken
                self._after[:0] = after
                self._restart_timer()
            raise
        _run_all(after)  # committed: the jobs' locks may go

    def flush(self) -> None:
        """Commit whatever waits, now. A store that refuses leaves the jobs labelled: the sync redoes their
        write-back (idempotent), nothing is lost."""
        with self._lock:
            taken, self._pending = self._pending, []
            after, self._after = self._after, []
            self._cancel_timer()
        try:
            if taken:
                with transaction.write():
                    for writes in taken:
                        writes()
        except _REFUSED as exc:
            log.warning("written-back state of %d label(s) not saved (the sync writes them back again): %s",
                        len(taken), exc)
        finally:
            _run_all(after)  # committed, or left labelled for the sync: either way the jobs' locks go

    def _idle_flush(self) -> None:
        try:
            self.flush()
        finally:
            self._release_thread()

    def _restart_timer(self) -> None:  # holding self._lock
        self._cancel_timer()
        if self._pending:
            self._timer = threading.Timer(IDLE_SECONDS, self._idle_flush)
            self._timer.daemon = True
            self._timer.start()

    def _cancel_timer(self) -> None:  # holding self._lock
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None


def _run_all(callbacks: list[Callable[[], None]]) -> None:
    """Run each (a lock's release); one that fails does not keep the others from running."""
    for callback in callbacks:
        try:
            callback()
        except Exception:  # a lock whose release failed is dropped by the OS or the server with its holder
            log.exception("a label job's lock was not released after its written-back state")
