"""The simulated clock both sandboxes share: real time plus an offset that tests and demos advance."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta


class SimClock:
    def __init__(self, start: datetime | None = None) -> None:
        self._lock = threading.Lock()
        self._offset = timedelta(0)
        if start is not None:
            self._offset = start - datetime.now(UTC)

    def now(self) -> datetime:
        """Aware UTC datetime, moved forward by every :meth:`advance`."""
        with self._lock:
            return datetime.now(UTC) + self._offset

    def rewind(self) -> datetime:
        """Back to real time (the seeded day starts now)."""
        with self._lock:
            self._offset = timedelta(0)
        return self.now()

    def advance(self, *, hours: float = 0.0, minutes: float = 0.0, days: float = 0.0) -> datetime:
        with self._lock:
            self._offset += timedelta(days=days, hours=hours, minutes=minutes)
        return self.now()
