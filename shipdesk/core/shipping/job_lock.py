"""Which label jobs have a UPS Ship call in flight right now, across threads and processes.

A job in ``requesting`` is either being shipped by a live worker (this process, the desktop app, a
scheduled ``shipdesk ship``) or was left behind by one that died between sending and committing.
The worker holds an OS file lock on ``<data>/locks/<job id>.lock`` for the duration of the call; the OS
drops the lock when the process dies, so "lock free" means "nobody is waiting for that answer":
the job must be reconciled as ``uncertain``. No timeouts to guess. ``JobLocks(paths)`` is the one place
that knows where the lock files are.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import TracebackType
from typing import IO

from shipdesk.core.settings.paths import DataPaths

if sys.platform == "win32":
    import msvcrt

    def _try_lock(handle: IO[bytes]) -> bool:
        try:
            handle.seek(0)  # every process must lock the same byte
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(handle: IO[bytes]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _try_lock(handle: IO[bytes]) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # per open file: threads see it too
            return True
        except OSError:
            return False

    def _unlock(handle: IO[bytes]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


class JobLock:
    """``with JobLock(folder, job_id):`` marks the job as in flight in this process."""

    def __init__(self, folder: Path, job_id: str) -> None:
        self.path = Path(folder) / f"{job_id}.lock"
        self._handle: IO[bytes] | None = None

    def acquire(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+b")  # noqa: SIM115 - kept open while the lock is held
        if _try_lock(handle):
            self._handle = handle
            return True
        handle.close()
        return False

    def release(self) -> None:
        if self._handle is None:
            return
        try:
            _unlock(self._handle)
        finally:
            self._handle.close()
            self._handle = None
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
