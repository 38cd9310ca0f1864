"""A thread-safe token bucket that slows down when the service pushes back and recovers gradually.

The sync's tracking workers all call :meth:`TokenBucket.acquire` before each UPS request, so the
whole process stays under ``requests_per_second`` however many workers run. The shape is
MusicBrainz Picard's per-host throttle: on "too many requests" the rate is halved (down to a
floor), and every success adds back a small step, so one 429 storm does not flip between
hammering and crawling. Time and sleeping are injected so tests run without waiting.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

#: a success gives back this share of the configured rate (20 successes: from half to full speed)
RECOVERY_SHARE = 0.025
#: never slower than this share of the configured rate, so the sync always makes progress
FLOOR_SHARE = 0.05


class TokenBucket:
    def __init__(
        self,
        rate: float,
        *,
        burst: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.max_rate = float(rate)
        self._rate = float(rate)
        self._burst = max(1.0, float(burst))
        self._tokens = self._burst
        self._clock = clock
        self._sleep = sleep
        self._last = clock()
        self._lock = threading.Lock()

    @property
    def rate(self) -> float:
        """Requests per second allowed right now."""
        with self._lock:
            return self._rate

    def acquire(self, cancel: threading.Event | None = None) -> bool:
        """Wait for a token. Returns False (without a token) when ``cancel`` is set while waiting.

        Tokens go into debt under the lock, so concurrent callers get consecutive slots and the
        waiting happens outside it.
        """
        with self._lock:
            self._refill()
            self._tokens -= 1.0
            wait = 0.0 if self._tokens >= 0 else -self._tokens / self._rate
        if wait <= 0:
            return True
        if cancel is None:
            self._sleep(wait)
            return True
        if cancel.wait(wait):
            with self._lock:
                self._tokens += 1.0  # give the slot back to the callers still waiting
            return False
        return True

    def slow_down(self) -> None:
        """The service said "too many requests": halve the rate (not below the floor)."""
        with self._lock:
            self._refill()
            self._rate = max(self.max_rate * FLOOR_SHARE, self._rate / 2.0)

    def succeeded(self) -> None:
        """A request went through: creep back towards the configured rate."""
        with self._lock:
            if self._rate < self.max_rate:
                self._refill()
                self._rate = min(self.max_rate, self._rate + self.max_rate * RECOVERY_SHARE)

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(self._burst, self._tokens + (now - self._last) * self._rate)
        self._last = now
