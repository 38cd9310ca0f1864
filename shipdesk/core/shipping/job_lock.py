"""Which label jobs have a UPS Ship call (or the print and write-back after it) in progress right now.

A job in ``requesting`` is either being shipped by a live worker (this process, the desktop app, a
scheduled ``shipdesk ship``, another station) or was left behind by one that died between sending and
committing. The worker holds the job's lock for the duration; the lock goes when its process dies, so
"lock free" means "nobody is waiting for that answer": the job must be reconciled as ``uncertain``. No
timeouts to guess.

One interface (:class:`JobLocks`: ``lock(job_id)`` gives a :class:`JobLock` to ``acquire``/``release``,
``in_flight(job_id)``), two implementations chosen by the store (:func:`job_locks_for`):
- one station's SQLite store: an OS file lock (``filelock``) on ``<data>/locks/<job id>.lock`` (:class:`FileJobLocks`),
  shared by every process of that PC;
- the shared PostgreSQL store: a session-level advisory lock the server drops with the session
  (:class:`StoreJobLocks`, ``core/store/job_locks.py``), shared by every station.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import TracebackType
from typing import Protocol

from filelock import FileLock, Timeout

from shipdesk.core.settings.paths import DataPaths
from shipdesk.core.store import Store
from shipdesk.core.store import job_locks as store_locks

#: lock files another user of a machine-wide data folder can open too (the app of one clerk, the service)
SHARED_MODE = 0o666


class JobLock(Protocol):
    def acquire(self) -> bool:
        """Take the lock now; False when another worker holds it (nothing waits)."""
        ...

    def release(self) -> None: ...

    def __enter__(self) -> JobLock: ...

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None: ...


class JobLocks(Protocol):
    def lock(self, job_id: str) -> JobLock:
        """The job's lock, not taken yet: ``acquire()`` it (False: another worker holds it)."""
        ...

    def in_flight(self, job_id: str) -> bool:
        """True while a live worker holds the job's lock."""
        ...


class FileJobLock:
    """``with FileJobLock(folder, job_id):`` marks the job as in flight on this PC."""

    def __init__(self, folder: Path, job_id: str) -> None:
        self.path = Path(folder) / f"{job_id}.lock"
        # an OS lock on the open file (flock / LockFileEx): a second lock on the same file fails in this process
        # too, and the OS drops it when the process dies. Not per thread: a worker may release it elsewhere.
        self._lock = FileLock(self.path, mode=SHARED_MODE, thread_local=False)

    def acquire(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            return False
        return True

    def release(self) -> None:
        if not self._lock.is_locked:
            return
        self._lock.release()
        try:
            os.unlink(self.path)
        except OSError:
            pass  # another process may have it open; a stale empty file is harmless

    def __enter__(self) -> FileJobLock:
        if not self.acquire():
            raise RuntimeError(f"label job lock {self.path} is held elsewhere")  # i18n: a bug
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()


def in_flight(folder: Path, job_id: str) -> bool:
    """True while a live worker holds the job's lock."""
    probe = FileJobLock(folder, job_id)
    if not probe.path.exists():
        return False
    if probe.acquire():
        probe.release()  # nobody held it: the worker is gone
        return False
    return True


class FileJobLocks:
    """The label-job locks of one data folder (``<data>/locks``), shared by every process using it."""

    def __init__(self, paths: DataPaths) -> None:
        self.folder = paths.root / "locks"

    def lock(self, job_id: str) -> FileJobLock:
        return FileJobLock(self.folder, job_id)

    def in_flight(self, job_id: str) -> bool:
        return in_flight(self.folder, job_id)


class StoreJobLocks:
    """The label-job locks of the shared store, seen by every station."""

    def lock(self, job_id: str) -> store_locks.AdvisoryJobLock:
        return store_locks.AdvisoryJobLock(job_id)

    def in_flight(self, job_id: str) -> bool:
        return store_locks.in_flight(job_id)


def job_locks_for(store: Store) -> JobLocks:
    """The locks that go with the store: warehouse-wide on the shared store, this PC's on a local file."""
    return StoreJobLocks() if store.shared else FileJobLocks(store.paths)
