"""The shipments pushes named, waiting for the sync: the listener's threads put, the sync's loop takes.

The sync's loop waits on the inbox instead of sleeping out its interval, so a push is pulled within moments
while polling keeps its own pace. A stop wakes the wait too (:meth:`PushInbox.wake`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable


class PushInbox:
    def __init__(self) -> None:
        self._names: dict[str, None] = {}
        self._lock = threading.Lock()
        self._arrived = threading.Event()

    def put(self, numbers: Iterable[str]) -> None:
        with self._lock:
            self._names.update(dict.fromkeys(numbers))
            if self._names:
                self._arrived.set()

    def take(self) -> list[str]:
        """Every number waiting, once each, in arrival order; the inbox is then empty."""
        with self._lock:
            names, self._names = list(self._names), {}
            self._arrived.clear()
            return names

    def wait(self, timeout: float) -> bool:
        """Until a push arrives (True) or ``timeout`` seconds pass (False); :meth:`wake` ends it early."""
        return self._arrived.wait(timeout)

    def wake(self) -> None:
        """End a :meth:`wait` now (a stop)."""
        self._arrived.set()

    def __len__(self) -> int:
        with self._lock:
            return len(self._names)
