"""Which label jobs have a UPS Ship call in flight right now, across threads and processes.

A job in ``requesting`` is either being shipped by a live worker (this process, the desktop app, a
scheduled ``shipdesk ship``) or was left behind by one that died between sending and committing.
The worker holds an OS file lock (``filelock``) on ``<data>/locks/<job id>.lock`` for the duration of
the call; the OS drops the lock when the process dies, so "lock free" means "nobody is waiting for that answer":
the job must be reconciled as ``uncertain``. No timeouts to guess. ``JobLocks(paths)`` is the one place
that knows where the lock files are.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import TracebackType

from filelock import FileLock, Timeout

from shipdesk.core.settings.paths import DataPaths

#: lock files another user of a machine-wide data folder can open too (the app of one clerk, the service)
SHARED_MODE = 0o666


class JobLock:
    """``with JobLock(folder, job_id):`` marks the job as in flight in this process."""

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

    def __enter__(self) -> JobLock:
        if not self.acquire():
            raise RuntimeError(f"label job lock {self.path} is held elsewhere")
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()


def in_flight(folder: Path, job_id: str) -> bool:
    """True while a live worker holds the job's lock."""
    probe = JobLock(folder, job_id)
    if not probe.path.exists():
        return False
    if probe.acquire():
        probe.release()  # nobody held it: the worker is gone
        return False
    return True


class JobLocks:
    """The label-job locks of one data folder (``<data>/locks``), shared by every process using it."""

    def __init__(self, paths: DataPaths) -> None:
        self.folder = paths.root / "locks"

    def lock(self, job_id: str) -> JobLock:
        """The job's lock, not taken yet: ``acquire()`` it (False: another worker holds it)."""
        return JobLock(self.folder, job_id)

    def in_flight(self, job_id: str) -> bool:
        return in_flight(self.folder, job_id)
