"""Demo mode's time: the sandboxes' simulated clock, read over their control API.

A demo day is moved on with ``POST /_sandbox/clock`` (UPS then reports the scans of the hours
skipped). The sync has to see that time too, or the packages it polled a (real) minute ago would not
be due again although the sandbox says a day went by. The offset is read again at most once a
second; if the sandbox does not answer, the last offset (at first: none) stays.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import requests

log = logging.getLogger(__name__)

REFRESH_S = 1.0
TIMEOUT_S = 2.0


class SandboxClock:
    def __init__(self, sandbox_url: str, *, wall: Callable[[], datetime] = lambda: datetime.now(UTC),
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.url = sandbox_url.rstrip("/") + "/_sandbox/clock"
        self._wall = wall
        self._monotonic = monotonic
        self._offset = timedelta(0)
        self._read_at: float | None = None
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            if self._read_at is None or self._monotonic() - self._read_at >= REFRESH_S:
                self._refresh()
            return self._wall() + self._offset

    def _refresh(self) -> None:
        self._read_at = self._monotonic()
        try:
            answer = requests.get(self.url, timeout=TIMEOUT_S)
            answer.raise_for_status()
            sandbox_now = datetime.fromisoformat(answer.json()["now"])
        except (requests.RequestException, ValueError, KeyError, TypeError) as exc:
            log.debug("sandbox clock not read from %s: %s", self.url, exc)
            return
        self._offset = sandbox_now - self._wall()
