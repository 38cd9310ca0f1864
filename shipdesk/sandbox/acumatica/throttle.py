"""The licence's requests-per-minute limit: over the quota requests wait in a queue; 429 only
when more than ``queue_limit`` are already waiting (Acumatica's documented behaviour).

Waiting uses real time (the requests really are held), over a window that tests may shorten.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable


class QueueFull(Exception):
    """More requests are waiting than the licence queues."""


class RequestThrottle:
    def __init__(self, per_window: int = 100_000, *, window_seconds: float = 60.0, queue_limit: int = 20,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.per_window = per_window
        self.window_seconds = window_seconds
        self.queue_limit = queue_limit
        self._monotonic = monotonic
        self._started: deque[float] = deque()
        self._waiting = 0
        self._condition = threading.Condition()

    @property
    def waiting(self) -> int:
        return self._waiting

    def admit(self) -> None:
        """Return when the request may run; :class:`QueueFull` when the queue is already full."""
        with self._condition:
            if self._has_room():
                self._started.append(self._monotonic())
                return
            if self._waiting >= self.queue_limit:
                raise QueueFull()
            self._waiting += 1
            try:
                while not self._has_room():
                    self._condition.wait(timeout=self._seconds_until_room())
                self._started.append(self._monotonic())
            finally:
                self._waiting -= 1

    def reset(self) -> None:
        with self._condition:
            self._started.clear()
            self._condition.notify_all()

    def _has_room(self) -> bool:
        cutoff = self._monotonic() - self.window_seconds
        while self._started and self._started[0] <= cutoff:
            self._started.popleft()
        return len(self._started) < self.per_window

    def _seconds_until_room(self) -> float:
        if not self._started:
            return 0.0
        return max(0.001, self._started[0] + self.window_seconds - self._monotonic())
