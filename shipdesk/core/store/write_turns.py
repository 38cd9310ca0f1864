"""Whose turn it is to write to the SQLite file, among this process's threads: first come, first served.

SQLite lets one writer in at a time and makes the others poll: a writer that finds the file taken sleeps (1, 2,
5 ... up to 100 ms) and tries again until ``busy_timeout``. A thread that commits and begins its next write
transaction at once (the sync storing tracking answers, one batch after the other) takes the lock again within
microseconds, so a polling waiter almost never finds it free: the clerk's label waited 10 s and was refused
with "database is locked" while the sync ran. So this process's writers queue here first, and the one that
finishes hands the turn straight to the longest waiting (no polling, no overtaking): a writer waits for at most
the transactions of those queued before it. SQLite's busy handler still settles turns with other processes
(a ``shipdesk sync`` command on the same file).
"""

from __future__ import annotations

import threading
from collections import deque


class WriteTurns:
    """A lock handed over in the order it was asked for (``threading.Lock`` lets whoever runs first take it)."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._waiting: deque[threading.Lock] = deque()
        self._held = False
        self.owner: int | None = None  # the thread whose turn it is

    def acquire(self, timeout: float) -> bool:
        """Wait for this thread's turn; False when it did not come within ``timeout`` seconds."""
        with self._guard:
            if not self._held:
                self._held = True
                self.owner = threading.get_ident()
                return True
            wake = threading.Lock()
            wake.acquire()
            self._waiting.append(wake)
        if not wake.acquire(timeout=timeout):
            with self._guard:
                if wake in self._waiting:  # still queued: it leaves the queue
                    self._waiting.remove(wake)
                    return False
            # handed over in the instant it gave up: the turn is this thread's
        self.owner = threading.get_ident()
        return True

    def release(self) -> None:
        """End this thread's turn: the longest waiting thread has it now."""
        with self._guard:
            self.owner = None
            if self._waiting:
                self._waiting.popleft().release()  # still held: handed over, nobody can barge in
            else:
                self._held = False
